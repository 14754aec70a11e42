/**
 * Benchmark (issue #12): the phased Monte Carlo, 1,000 draws with development booked by the
 * projected take-up, on both samples. Sale values and construction costs move in every draw, so each
 * draw re-runs the take-up (redevelopment test and allocation on columns prepared once) and
 * re-aggregates the schedule before the capture run. Target ≤ 2 s per 1,000 draws. Prints medians
 * (and the ratio to the target); asserts nothing. Works on copies of sample-data/*.gpkg in a temp dir.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkimaeService } from '../api/service.js';
import { scenarioTakeUp } from '../growth/schedule.js';
import { lvcInputsFromScenario } from './from-scenario.js';
import { getLvcParams } from './store.js';
import { prepare, validateParams } from './run.js';
import { monteCarlo, tornado } from './sensitivity.js';
import { resolveAssumptions } from '../scenario/assumptions.js';
import { distanceSource } from '../scenario/distance-source.js';
import { getAssumptions } from '../scenario/store.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const RUNS = Number(process.env.RUNS ?? 3);
const TARGET = 2000;
const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const dir = mkdtempSync(join(tmpdir(), 'ekimae-mc-bench-'));
console.log(`phased Monte Carlo, 1,000 draws with the take-up re-run in each (${cpus().length} cores, load ${loadavg()[0].toFixed(1)})`);
try {
  for (const sample of ['bang-sue', 'mahsr-corridor']) {
    // SAMPLES_DIR: samples generated elsewhere (e.g. regenerated with premium FSI prices) instead of sample-data/.
    const src = join(process.env.SAMPLES_DIR ?? join(ROOT, 'sample-data'), `${sample}.gpkg`);
    if (!existsSync(src)) { console.log(`  ${sample}: sample missing, skipped`); continue; }
    const path = join(dir, `${sample}.gpkg`);
    copyFileSync(src, path);
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path });
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    const p = svc.requireProject();
    const scenario = 'tod-moderate';
    const inputs = lvcInputsFromScenario(p, scenario, { distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries) });
    const stored = getLvcParams(p).params;
    const params = { ...validateParams(stored), baseYear: stored.baseYear ?? (p.settings().priceYear as number | undefined) ?? 2024 };
    const timing = scenarioTakeUp(p, inputs.scenario, { baseYear: params.baseYear, horizonYears: params.horizonYears, fids: inputs.parcels.fid });
    const prep = prepare(inputs.parcels, params, timing.schedule);
    monteCarlo(prep, params, 50, 1, undefined, timing); // warm-up
    const wall: number[] = [], cpu: number[] = [], fixed: number[] = [];
    let last = monteCarlo(prep, params, 1, 1);
    for (let k = 0; k < RUNS; k++) {
      const c0 = cpuMs(), t0 = performance.now();
      last = monteCarlo(prep, params, 1000, 20261125 + k, undefined, timing);
      wall.push(performance.now() - t0); cpu.push(cpuMs() - c0);
      const f0 = cpuMs();
      monteCarlo(prep, params, 1000, 20261125 + k);
      fixed.push(cpuMs() - f0);
    }
    const t0 = cpuMs();
    const tb = tornado(prep, params, undefined, timing);
    const tor = cpuMs() - t0;
    console.log(`  ${sample} (${inputs.parcels.fid.length.toLocaleString('en')} parcels, ${scenario}): median wall ${median(wall).toFixed(0)} ms, CPU ${median(cpu).toFixed(0)} ms per 1,000 draws (target ≤ ${TARGET} ms, ratio ${(median(cpu) / TARGET).toFixed(2)}); runs ${RUNS}`);
    console.log(`    baseline: the same draws at a fixed take-up ${median(fixed).toFixed(0)} ms CPU; tornado with take-up re-runs ${tor.toFixed(0)} ms; P50 NPV ${last.npv.p50.toExponential(3)}`);
    for (const b of tb.bars.filter((x) => x.id === 'saleValue' || x.id === 'constructionCost')) console.log(`    ${b.label}: NPV ${b.npvLow.toExponential(4)} at ${b.low} … ${b.npvHigh.toExponential(4)} at ${b.high} (base ${tb.baseNpv.toExponential(4)})`);
    svc.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
