/**
 * Metropolitan scale (issue #15): `ekimae analyze` on a generated metropolitan project.
 *
 *   npm run bench -- metro                        # scale 1: ~1M parcels, ~2M edges, 300 stations, ~2,000 zones
 *   EKIMAE_METRO_SCALE=0.1 npm run bench -- metro # a tenth of everything, for quick iteration
 *
 * The project is generated once per scale and seed into the temp dir (generate-metro.ts, in a child
 * process so its memory is not counted) and copied fresh for each run: analyze writes its results
 * and the walk-graph cache into the file. Then analyze runs as the CLI runs it (analyzeCommand.run
 * on an EkimaeService, bundled with the CLI's esbuild options, in a plain node process:
 * analyze-timed.ts), with each service call timed: wall time, CPU time (the machine is shared; CPU
 * time is what load does not inflate) and peak resident memory (VmHWM, reset before each step).
 * Targets: whole analyze ≤ 60 s and ≤ 4 GB. Prints figures; asserts nothing.
 * EKIMAE_METRO_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles the analyze process.
 * EKIMAE_METRO_DRAWS=50 runs land value capture with 50 Monte Carlo draws instead of 1,000 (analyze --draws), for
 * iterating on the other steps; the figures against the targets are taken without it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METRO_SEED } from './generate-metro.js';

const SCALE = Number(process.env.EKIMAE_METRO_SCALE ?? 1);
const SEED = Number(process.env.EKIMAE_METRO_SEED ?? METRO_SEED);
const TARGET_S = 60, TARGET_GB = 4;
const dir = join(tmpdir(), 'ekimae-metro-bench');
const root = fileURLToPath(new URL('../..', import.meta.url));
const pristine = join(dir, `metro-${SCALE}-${SEED}.gpkg`);
// Per process: two benches at once (another checkout, another scale run) must not copy over each other's file.
const work = join(dir, `metro-${SCALE}-${SEED}-run-${process.pid}.gpkg`);

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const gb = (kb: number) => (kb / 1024 / 1024).toFixed(2);


mkdirSync(dir, { recursive: true });
if (!existsSync(pristine)) {
  const t = performance.now();
  const gen = fileURLToPath(new URL('./generate-metro.ts', import.meta.url));
  const r = spawnSync('npx', ['tsx', gen, '--out', pristine, '--scale', String(SCALE), '--seed', String(SEED)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`generate-metro.ts exited ${r.status}`);
  console.log(`generated ${r.stdout.trim()} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  writeFileSync(`${pristine}.json`, r.stdout.trim());
}
const counts = JSON.parse(readFileSync(`${pristine}.json`, 'utf8')) as { parcels: number; edges: number; stations: number; zones: number; sideKm: number };
rmSync(work, { force: true });
copyFileSync(pristine, work);

console.log(`metro scale ${SCALE} (seed ${SEED}): ${counts.parcels.toLocaleString('en')} parcels, ${counts.edges.toLocaleString('en')} network edges, ${counts.stations} stations, ${counts.zones.toLocaleString('en')} census zones, ${counts.sideKm.toFixed(1)} km square`);
console.log(`node ${process.version}, ${cpus().length} cores (shared with other sessions), load average at start ${load()}`);

// The timed analyze, bundled as the CLI is (no tsx in the measured process).
// Inside the project (dist/ is not committed) so that better-sqlite3 resolves from node_modules at run time.
const bundle = join(root, 'dist', 'bench', 'analyze-timed.mjs');
const esbuild = await import('esbuild');
await esbuild.build({
  // The Monte Carlo's worker beside it, where core/lvc/parallel-mc.ts looks for it.
  entryPoints: { 'analyze-timed': fileURLToPath(new URL('./analyze-timed.ts', import.meta.url)), 'lvc-mc-worker': join(root, 'core', 'lvc', 'mc-worker.ts') },
  bundle: true, platform: 'node', format: 'esm', target: 'node20', outdir: dirname(bundle), outExtension: { '.js': '.mjs' },
  logLevel: 'error', legalComments: 'none', external: ['better-sqlite3', 'playwright-core', 'esbuild'],
  banner: { js: "import { createRequire as __ekimaeCreateRequire } from 'node:module'; const require = __ekimaeCreateRequire(import.meta.url);" },
});
interface Step { name: string; wallS: number; cpuS: number; peakKb: number; calls: number; each: Array<{ wallS: number; cpuS: number; peakKb: number; of?: string; mc?: { draws: number; p50: number; lo: number; hi: number } }> }
const extra = process.env.EKIMAE_METRO_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const run = spawnSync(process.execPath, [...extra, bundle, work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28, cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
if (run.status !== 0) throw new Error(`analyze exited ${run.status}`);
const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as { code: number; canReset: boolean; steps: Step[]; wallS: number; cpuS: number; peakKb: number; out: string[] };
const { steps, out, code, canReset } = r;
const totalWall = r.wallS, totalCpu = r.cpuS, totalPeak = r.peakKb;

/**
 * The capture's P50 NPV with its 95 % sampling interval as ± % of it (the Monte Carlo's own error:
 * what the number of draws buys; docs/LVC.md "The Monte Carlo's own error").
 */
function mcText(m: { draws: number; p50: number; lo: number; hi: number }): string {
  const half = (m.hi - m.lo) / 2, rel = m.p50 !== 0 ? Math.abs(half / m.p50) : NaN;
  return `P50 NPV ${(m.p50 / 1e9).toFixed(2)} bn, sampling interval ${(m.lo / 1e9).toFixed(2)} – ${(m.hi / 1e9).toFixed(2)} bn (±${Number.isFinite(rel) ? (100 * rel).toFixed(2) : '–'} %, ${m.draws} draws)`;
}

if (process.env.EKIMAE_METRO_VERBOSE) for (const l of out) console.log(`  | ${l.slice(0, 400)}`);
if (process.env.EKIMAE_METRO_DRAWS) console.log(`(EKIMAE_METRO_DRAWS=${process.env.EKIMAE_METRO_DRAWS}: land value capture with that many Monte Carlo draws, not the default 1,000)`);
console.log(`analyze exit code ${code}; ${out.length} lines of output (EKIMAE_METRO_VERBOSE=1 prints them)`);
console.log(`\n${'step'.padEnd(20)} ${'calls'.padStart(5)} ${'wall s'.padStart(8)} ${'cpu s'.padStart(8)} ${'peak RSS GB'.padStart(12)}`);
for (const s of steps) {
  console.log(`${s.name.padEnd(20)} ${String(s.calls).padStart(5)} ${s.wallS.toFixed(2).padStart(8)} ${s.cpuS.toFixed(2).padStart(8)} ${gb(s.peakKb).padStart(12)}`);
  if (s.calls > 1 && s.each.some((c) => c.of)) {
    for (const c of s.each) console.log(`  ${(c.of ?? '').slice(0, 18).padEnd(18)} ${''.padStart(5)} ${c.wallS.toFixed(2).padStart(8)} ${c.cpuS.toFixed(2).padStart(8)} ${gb(c.peakKb).padStart(12)}${c.mc ? `  ${mcText(c.mc)}` : ''}`);
  }
}
console.log(`${'total analyze'.padEnd(20)} ${''.padStart(5)} ${totalWall.toFixed(2).padStart(8)} ${totalCpu.toFixed(2).padStart(8)} ${gb(totalPeak).padStart(12)}`);
if (!canReset) console.log('(peaks are the process peak so far: /proc/self/clear_refs is not writable here)');
const ok = (v: boolean) => (v ? 'within' : 'OVER');
console.log(`\ntarget whole analyze ≤ ${TARGET_S} s and ≤ ${TARGET_GB} GB: wall ${totalWall.toFixed(1)} s (${ok(totalWall <= TARGET_S)}), cpu ${totalCpu.toFixed(1)} s (${ok(totalCpu <= TARGET_S)}), peak ${gb(totalPeak)} GB (${ok(totalPeak / 1024 / 1024 <= TARGET_GB)})`);
console.log(`load average at end ${load()} (1, 5, 15 min; 2 cores: above 2 the wall times are inflated by other work)`);
rmSync(work, { force: true });
