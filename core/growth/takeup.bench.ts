/**
 * Take-up after one rule change, 200k seeded parcels, 3 horizons, 20 stations in one market area:
 * re-evaluate the scenario's capacity (the per-parcel pass and indicators), then the redevelopment
 * test, the ranked allocation over the horizons and the per-horizon figures. Existing is evaluated
 * once (it does not depend on the rules). Target (issue #12): ≤ 50 ms. Prints medians; asserts nothing.
 * CHARGE=<per m²>: with a premium FSI charge on the floor area above the base entitlement (Existing's
 * permitted floor area stands in for it), the path India's take-up runs.
 */
import { cpus, loadavg } from 'node:os';
import { defaultAssumptions, resolveAssumptions } from '../scenario/assumptions.js';
import { compileRules } from '../scenario/compile.js';
import { defaultScenarios, EXISTING_DEF } from '../scenario/defaults.js';
import { allocResult, evaluateParcels, type ParcelColumns, type SiteInputs } from '../scenario/evaluate.js';
import { buildIndicators } from '../scenario/indicators.js';
import { ScenarioDefSchema } from '../scenario/model.js';
import { NU } from '../scenario/vocabulary.js';
import { mulberry32 as rng } from '../util/prng.js';
import { defaultGrowth } from './defaults.js';
import { colsOf, copyCols, takeUpFromColumns, takeUpWorkspace } from './takeup.js';

const N = Number(process.env.PARCELS ?? 200_000);
const RUNS = 21;
const r = rng(7);
const cols: ParcelColumns = {
  n: N, fid: Float64Array.from({ length: N }, (_, i) => i + 1), area: Float64Array.from({ length: N }, () => 100 + r() * 5000),
  landUse: Uint8Array.from({ length: N }, () => Math.floor(r() * NU)), existingFa: Float64Array.from({ length: N }, () => (r() < 0.1 ? NaN : r() * 4000)),
  existingFloors: Float64Array.from({ length: N }, () => 1 + Math.floor(r() * 8)), isPublic: Uint8Array.from({ length: N }, () => (r() < 0.15 ? 1 : 0)),
};
const stations = Array.from({ length: 20 }, (_, k) => `station ${k + 1}`);
const site: SiteInputs = {
  dist: Float64Array.from({ length: N }, () => (r() < 0.05 ? NaN : r() * 2000)), station: Int32Array.from({ length: N }, () => Math.floor(r() * 20)),
  stationNames: stations, excluded: null, zoneFar: null, zoneFloors: null, zoneUse: null,
};
const landValue = Float64Array.from({ length: N }, () => 20_000 + r() * 120_000);
const a = resolveAssumptions(defaultAssumptions('TH').entries);
const growth = defaultGrowth({ country: 'TH', baseYear: 2024 });
growth.areas[0].absorption = { residentialM2PerYear: 2_000_000, nonResidentialM2PerYear: 1_000_000 };
const CHARGE = Number(process.env.CHARGE ?? 0);
if (CHARGE > 0) growth.market.premiumFsiChargePerM2 = CHARGE;
const base = ScenarioDefSchema.parse(defaultScenarios('TH').find((s) => s.id === 'tod-intensive')!.def);
const exRes = evaluateParcels(cols, site, compileRules(EXISTING_DEF), a, null);
const ex = copyCols(exRes);
const asOfRight = CHARGE > 0 ? exRes.permitted.slice() : null;
const buf = allocResult(N);
// The caller's take-up workspace, kept across re-runs as the evaluation's result buffer is.
const ws = takeUpWorkspace();
const dist = { dist: site.dist, station: site.station, stationNames: stations, source: 'bench' };

const cpuMs = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const evalCpu: number[] = [], evalWall: number[] = [];
function once(far: number) {
  const def = { ...base, rules: base.rules.map((x, k) => (k === base.rules.length - 1 ? { ...x, maxFar: far } : x)) };
  const e0 = cpuMs(), w0 = performance.now();
  const rules = compileRules(def);
  const res = evaluateParcels(cols, site, rules, a, null, buf);
  buildIndicators(res, rules.bandNames, rules.bandFrom, rules.bandTo, stations);
  evalCpu.push(cpuMs() - e0); evalWall.push(performance.now() - w0);
  return takeUpFromColumns({ def, growth, assumptions: a, layer: 'bench', fids: cols.fid, area: cols.area, landUse: cols.landUse, landValue, dist,
    cap: colsOf(res), ex, capBand: res.band, nb: rules.nb, programme: null, asOfRight }, ws);
}

const median = (x: number[]) => [...x].sort((p, q) => p - q)[Math.floor(x.length / 2)];
const wall: number[] = [], cpu: number[] = [];
let last = once(8);
evalCpu.length = 0; evalWall.length = 0;
for (let k = 0; k < RUNS; k++) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  last = once(8 + (k % 5) * 0.5);
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0); cpu.push((c.user + c.system) / 1000);
}
const h = last.horizons.at(-1)!;
const f1 = (x: number[]) => median(x).toFixed(1);
const load = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`take-up after a rule change, ${N.toLocaleString('en')} parcels × ${growth.horizons.length} horizons${CHARGE > 0 ? `, premium FSI charge ${CHARGE}/m² of bonus floor area` : ''} (${cpus().length} cores, load ${load} over 1/5/15 min; medians of ${RUNS} runs; target ≤ 50 ms)`);
console.log(`  total:      CPU ${f1(cpu)} ms (ratio ${(median(cpu) / 50).toFixed(2)}), wall ${f1(wall)} ms (ratio ${(median(wall) / 50).toFixed(2)})`);
console.log(`  evaluation: CPU ${f1(evalCpu)} ms, wall ${f1(evalWall)} ms (core/scenario: the per-parcel pass and indicators, as the app re-evaluates on a rule change)`);
console.log(`  take-up:    CPU ${f1(cpu.map((c, k) => c - evalCpu[k]))} ms, wall ${f1(wall.map((w, k) => w - evalWall[k]))} ms (redevelopment test, allocation, figures; shares in the caller's workspace)`);
console.log(`  ${last.viableParcels.toLocaleString('en')} parcels pass the redevelopment test; ${h.year}: ${Math.round(h.residents).toLocaleString('en')} residents projected vs capacity ${Math.round(last.capacity.residents).toLocaleString('en')}`);
