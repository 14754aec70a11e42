/**
 * `ekimae analyze <project>` with each service call timed, for metro.bench.ts. Bundled by the bench
 * with the CLI's esbuild options (scripts/build-app.mjs ensureCliBundle) and run in its own plain
 * `node` process, as bin/ekimae.mjs runs the CLI: same code, same heap limit, and no tsx (whose
 * keepNames wrappers cost a tenth of the CPU here). Prints one JSON line.
 * Per step: wall time, CPU time of the process (the machine is shared; CPU time is what load does
 * not inflate) and peak resident memory (VmHWM, reset before each step through /proc/self/clear_refs).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { EkimaeService } from '../../core/api/service.js';
import { analyzeCommand } from '../../core/cli/commands/analyze.js';

/** A capture's Monte Carlo: its draws, P50 NPV and that figure's 95 % sampling interval (how far fewer draws would move it). */
interface Mc { draws: number; p50: number; lo: number; hi: number }
interface Call { wallS: number; cpuS: number; peakKb: number; of?: string; mc?: Mc }
interface Step { name: string; wallS: number; cpuS: number; peakKb: number; calls: number; each: Call[] }

function vmHwmKb(): number {
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : NaN;
}
function resetPeak(): boolean {
  try { writeFileSync('/proc/self/clear_refs', '5'); return true; } catch { return false; }
}

const path = process.argv[2];
if (!path) { console.error('usage: analyze-timed <project.gpkg>'); process.exit(2); }
const steps: Step[] = [];
const svc = new EkimaeService();
const invoke = svc.invoke.bind(svc) as (m: string, i: unknown) => Promise<unknown>;
const canReset = resetPeak();
(svc as unknown as { invoke: typeof invoke }).invoke = async (method: string, input: unknown) => {
  resetPeak();
  const c0 = process.cpuUsage(), t0 = performance.now();
  let result: unknown;
  try {
    result = await invoke(method, input);
    return result;
  } finally {
    const c = process.cpuUsage(c0);
    const wallS = (performance.now() - t0) / 1000, cpuS = (c.user + c.system) / 1e6, peakKb = vmHwmKb();
    const s = steps.find((x) => x.name === method);
    // Each call too (lvc.run runs once per scenario: which one costs what).
    const of = (input as { scenario?: unknown } | null)?.scenario;
    const m = (result as { result?: { monteCarlo?: { draws: number; npv: { p50: number }; ci95?: { npv: { p50: [number, number] } } } } } | undefined)?.result?.monteCarlo;
    const mc = m?.ci95 ? { draws: m.draws, p50: m.npv.p50, lo: m.ci95.npv.p50[0], hi: m.ci95.npv.p50[1] } : undefined;
    const call: Call = { wallS, cpuS, peakKb, ...(typeof of === 'string' ? { of } : {}), ...(mc ? { mc } : {}) };
    if (s) { s.wallS += wallS; s.cpuS += cpuS; s.peakKb = Math.max(s.peakKb, peakKb); s.calls++; s.each.push(call); } else steps.push({ name: method, wallS, cpuS, peakKb, calls: 1, each: [call] });
  }
};
const out: string[] = [];
resetPeak();
const c0 = process.cpuUsage(), t0 = performance.now();
let code = -1;
try {
  code = await analyzeCommand.run({ values: process.env.EKIMAE_METRO_DRAWS ? { draws: process.env.EKIMAE_METRO_DRAWS } : {}, positionals: [path] }, svc, { out: (s) => out.push(s), err: (s) => out.push(`(stderr) ${s}`), stdin: async () => '' });
} finally {
  svc.close();
}
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ code, canReset, steps, wallS: (performance.now() - t0) / 1000, cpuS: (cpu.user + cpu.system) / 1e6, peakKb: Math.max(...steps.map((s) => s.peakKb)), out }));
