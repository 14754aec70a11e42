/**
 * Re-evaluation after one rule change, 200k seeded parcels: compile the changed scenario, run the
 * per-parcel pass and rebuild every indicator (bands, stations, ITDP). Prints medians; asserts nothing.
 * Baseline for the ratio: the first evaluation, which also allocates the result buffers.
 */
import { cpus, loadavg } from 'node:os';
import { defaultAssumptions, resolveAssumptions } from './assumptions.js';
import { compileRules } from './compile.js';
import { DEFAULT_SCENARIOS } from './defaults.js';
import { allocResult, evaluateParcels, type ParcelColumns, type SiteInputs } from './evaluate.js';
import { buildIndicators } from './indicators.js';
import { ScenarioDefSchema } from './model.js';
import { LU_UNKNOWN, NU } from './vocabulary.js';
import { mulberry32 as rng } from '../util/prng.js';

const N = Number(process.env.PARCELS ?? 200_000);
const RUNS = 41;


const r = rng(42);
const cols: ParcelColumns = {
  n: N, fid: Float64Array.from({ length: N }, (_, i) => i + 1), area: Float64Array.from({ length: N }, () => 100 + r() * 5000),
  landUse: Uint8Array.from({ length: N }, () => Math.floor(r() * NU)), existingFa: Float64Array.from({ length: N }, () => (r() < 0.1 ? NaN : r() * 8000)),
  existingFloors: Float64Array.from({ length: N }, () => 1 + Math.floor(r() * 8)), isPublic: Uint8Array.from({ length: N }, () => (r() < 0.15 ? 1 : 0)),
};
const stations = Array.from({ length: 20 }, (_, k) => `station ${k + 1}`);
const site: SiteInputs = {
  dist: Float64Array.from({ length: N }, () => (r() < 0.05 ? NaN : r() * 2000)), station: Int32Array.from({ length: N }, () => Math.floor(r() * 20)),
  stationNames: stations, excluded: Uint8Array.from({ length: N }, () => (r() < 0.03 ? 1 : 0)),
  zoneFar: Float64Array.from({ length: N }, () => (r() < 0.05 ? 1 + r() * 5 : NaN)), zoneFloors: new Float64Array(N).fill(NaN),
  zoneUse: new Uint8Array(N).fill(LU_UNKNOWN),
};
const a = resolveAssumptions(defaultAssumptions('TH').entries);
const base = ScenarioDefSchema.parse(DEFAULT_SCENARIOS.find((s) => s.id === 'tod-intensive')!.def);

function evaluateAll(far: number, into?: ReturnType<typeof allocResult>) {
  const def = { ...base, rules: base.rules.map((x, k) => (k === base.rules.length - 1 ? { ...x, maxFar: far } : x)) };
  const rules = compileRules(def);
  const res = evaluateParcels(cols, site, rules, a, null, into);
  const ind = buildIndicators(res, rules.bandNames, rules.bandFrom, rules.bandTo, stations);
  return { res, ind };
}

const median = (xs: number[]) => { const s = [...xs].sort((x, y) => x - y); return s[s.length >> 1]; };

let t = performance.now();
const first = evaluateAll(8);
const firstMs = performance.now() - t;
const times: number[] = [];
// CPU time of this process as well as wall time: on a loaded machine the wall clock measures the queue.
const cpu: number[] = [];
let check = 0;
for (let k = 0; k < RUNS; k++) {
  const far = 4 + (k % 9);
  const c0 = process.cpuUsage();
  t = performance.now();
  const { ind } = evaluateAll(far, first.res);
  times.push(performance.now() - t);
  const c1 = process.cpuUsage(c0);
  cpu.push((c1.user + c1.system) / 1000);
  check += ind.total.floorAreaM2;
}
const passOnly: number[] = [];
const rules = compileRules(base);
for (let k = 0; k < RUNS; k++) {
  t = performance.now();
  evaluateParcels(cols, site, rules, a, null, first.res);
  passOnly.push(performance.now() - t);
}
const med = median(times);
console.log(`scenario re-evaluation, ${N.toLocaleString('en')} parcels, ${stations.length} stations, ${RUNS} runs (seed 42)`);
console.log(`  first evaluation (allocates buffers):       ${firstMs.toFixed(2)} ms`);
console.log(`  rule change -> every indicator, median:     ${med.toFixed(2)} ms   (min ${Math.min(...times).toFixed(2)}, max ${Math.max(...times).toFixed(2)})`);
console.log(`  same, CPU time of the process, median:      ${median(cpu).toFixed(2)} ms   (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
console.log(`  per-parcel pass alone, median:              ${median(passOnly).toFixed(2)} ms`);
console.log(`  ratio first / re-evaluation:                ${(firstMs / med).toFixed(2)}x   target <= 20 ms: ${med <= 20 ? 'met' : 'NOT met'}`);
console.log(`  (checksum ${check.toExponential(6)})`);
