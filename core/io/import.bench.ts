/**
 * Import benchmark (npm run bench -- import): a seeded 200k-parcel polygon GeoJSON and the 1M-edge
 * street network from ../shared/peers/gen_network.py, imported into a new project by Ekimae and by
 * GDAL's `ogr2ogr -f GPKG` in the same run. Prints wall times, the ratio (ours / GDAL; target ≤ 1.0)
 * and peak resident memory (VmHWM of a child process doing only the import; ogr2ogr's from
 * /usr/bin/time -v) relative to the input size (target ≤ 2×). Asserts nothing.
 *
 * The child runs the core bundled by esbuild, as the desktop app's core process
 * (dist/electron/core-host.cjs) and the `ekimae` command (dist/cli/ekimae.mjs) do, with the core
 * process's two malloc arenas (the command runs with glibc's default: about 5 MB more).
 *
 * Inputs are cached in $EKIMAE_BENCH_DIR (default .cache/bench). BENCH_RUNS=n repeats each import
 * and prints medians (default 1: the network import alone takes tens of seconds on two cores).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 as rng } from '../util/prng.js';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(HERE, '../../..');
const DIR = resolve(process.env.EKIMAE_BENCH_DIR ?? join(ROOT, '.cache/bench'));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));


/** 200 000 jittered quadrilaterals (~25 m parcels) on a 400 × 500 grid around Bang Sue, with planning attributes. */
function makeParcels(path: string, n = 200_000): void {
  const r = rng(20251125);
  const cols = 400, step = 0.00025;
  const uses = ['residential', 'commercial', 'mixed', 'industrial', 'public', 'open space'];
  const parts: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = k % cols, j = Math.floor(k / cols);
    const x0 = 100.48 + i * step, y0 = 13.75 + j * step;
    const jit = () => (r() - 0.5) * step * 0.2;
    const c = [[x0 + jit(), y0 + jit()], [x0 + step * 0.9 + jit(), y0 + jit()], [x0 + step * 0.9 + jit(), y0 + step * 0.9 + jit()], [x0 + jit(), y0 + step * 0.9 + jit()]];
    const ring = [...c, c[0]].map(([x, y]) => [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]);
    parts.push(JSON.stringify({
      type: 'Feature',
      properties: { parcel_id: `BS-${String(k + 1).padStart(6, '0')}`, land_use: uses[Math.floor(r() * uses.length)], far: Math.round(r() * 80) / 10, floors: 1 + Math.floor(r() * 30), land_value: Math.round(20000 + r() * 180000) },
      geometry: { type: 'Polygon', coordinates: [ring] },
    }));
  }
  writeFileSync(path, `{"type":"FeatureCollection","name":"parcels_200k","features":[\n${parts.join(',\n')}\n]}\n`);
}

function inputs(): Array<{ name: string; path: string }> {
  mkdirSync(DIR, { recursive: true });
  const parcels = join(DIR, 'parcels_200k.geojson');
  if (!existsSync(parcels)) { console.log(`generating ${parcels}`); makeParcels(parcels); }
  const network = join(DIR, 'network_1m.geojson');
  if (!existsSync(network)) {
    console.log(`generating ${network} (gen_network.py --size 1m, about a minute)`);
    const gen = resolve(ROOT, '../shared/peers/gen_network.py');
    const r = spawnSync('/usr/bin/python3', [existsSync(gen) ? gen : '/work/shared/peers/gen_network.py', '--size', '1m', '--out', DIR], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('gen_network.py failed');
  }
  return [{ name: 'parcels 200k polygons', path: parcels }, { name: 'network 1M lines', path: network }];
}

/** Wall and CPU time (user + system: less sensitive to other load on a shared machine), peak RSS, features written. */
interface Run { ms: number; cpuMs: number; peakKb: number; count: number }

let bundlePath = '';

/** This file and the core it imports as one ESM bundle; node_modules beside the root resolves better-sqlite3. */
async function buildChildBundle(): Promise<void> {
  const { build } = await import('esbuild');
  bundlePath = join(ROOT, 'node_modules/.cache/ekimae-bench/import-child.mjs');
  await build({
    entryPoints: [HERE], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundlePath, logLevel: 'error',
    external: ['better-sqlite3', 'playwright-core', 'esbuild'],
    banner: { js: "import { createRequire as __ekimaeRequire } from 'node:module'; const require = __ekimaeRequire(import.meta.url);" },
  });
}

/** Our import, in a child process so its peak RSS (VmHWM) is the import's alone. */
function ours(input: string, out: string): Run {
  rmSync(out, { force: true });
  // With the malloc setting the desktop app gives its core process (electron/core-client.ts).
  const env = { MALLOC_ARENA_MAX: '2', ...process.env };
  const r = spawnSync(process.execPath, [bundlePath, '--child', input, out], { encoding: 'utf8', cwd: ROOT, env, maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`import child failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Run;
}

function gdal(input: string, out: string): Run {
  rmSync(out, { force: true });
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', 'ogr2ogr', '-f', 'GPKG', out, input], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`ogr2ogr failed: ${r.stderr.slice(-2000)}`);
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const seconds = (what: string) => Number(new RegExp(`${what} time \\(seconds\\): ([\\d.]+)`).exec(r.stderr)?.[1] ?? NaN);
  const cpuMs = (seconds('User') + seconds('System')) * 1000;
  const info = spawnSync('ogrinfo', ['-so', '-al', out], { encoding: 'utf8' }).stdout;
  return { ms, cpuMs, peakKb, count: Number(/Feature Count: (\d+)/.exec(info)?.[1] ?? NaN) };
}

async function child(input: string, out: string): Promise<void> {
  const { EkimaeService } = await import('../api/service.js');
  const svc = new EkimaeService();
  await svc.invoke('project.create', { path: out, settings: { name: 'import benchmark' } });
  const t0 = performance.now(), c0 = process.cpuUsage();
  const r = await svc.invoke('layers.import', { path: input });
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  // The import's peak, read before closing the project (the WAL checkpoint on close is its own step).
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  svc.close();
  console.log(JSON.stringify({ ms, cpuMs: (c.user + c.system) / 1000, peakKb: hwm, count: r.layers[0].count }));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;

async function bench(): Promise<void> {
  // Per run: a second benchmark run at the same time (the machine is shared) must not delete our outputs.
  const work = join(DIR, `out-${process.pid}`);
  mkdirSync(work, { recursive: true });
  await buildChildBundle();
  console.log(`import benchmark: Ekimae layers.import vs GDAL ogr2ogr -f GPKG, ${RUNS} run(s) each (median), inputs in ${DIR}`);
  console.log('ekimae = the layers.import call in a child process (parse, check, reproject, write, R-tree, commit); ogr2ogr = the whole process');
  // Both are timed in the same run, interleaved, but other load on the machine still skews the ratio.
  console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  // What the child needs before any data (Node, the core's modules, SQLite, zod): a one-feature import.
  const tiny = join(DIR, 'one-point.geojson');
  writeFileSync(tiny, '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[100.53,13.8]},"properties":{}}]}');
  const base = ours(tiny, join(work, 'ekimae.gpkg')).peakKb * 1024;
  console.log(`baseline: a one-feature import peaks at ${mb(base)} (included in the peaks below)`);
  for (const { name, path } of inputs()) {
    const size = statSync(path).size;
    const a: Run[] = [], b: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      a.push(ours(path, join(work, 'ekimae.gpkg')));
      b.push(gdal(path, join(work, 'gdal.gpkg')));
    }
    const ta = median(a.map((x) => x.ms)), tb = median(b.map((x) => x.ms));
    const ma = Math.max(...a.map((x) => x.peakKb)) * 1024, mg = Math.max(...b.map((x) => x.peakKb)) * 1024;
    console.log(`\n${name}: ${path} (${mb(size)}), features: ekimae ${a[0].count}, gdal ${b[0].count}`);
    const ca = median(a.map((x) => x.cpuMs)), cb = median(b.map((x) => x.cpuMs));
    console.log(`  time    ekimae ${(ta / 1000).toFixed(2)} s   ogr2ogr ${(tb / 1000).toFixed(2)} s   ratio ${(ta / tb).toFixed(2)}  (target ≤ 1.00)`);
    console.log(`  CPU     ekimae ${(ca / 1000).toFixed(2)} s   ogr2ogr ${(cb / 1000).toFixed(2)} s   ratio ${(ca / cb).toFixed(2)}`);
    console.log(`  peak    ekimae ${mb(ma)} = ${(ma / size).toFixed(2)}× input (${((ma - base) / size).toFixed(2)}× above baseline)   ogr2ogr ${mb(mg)} = ${(mg / size).toFixed(2)}× input  (target ≤ 2×)`);
  }
  rmSync(work, { recursive: true, force: true });
  console.log(`\nload average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await bench();
