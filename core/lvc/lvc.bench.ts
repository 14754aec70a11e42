/**
 * Benchmark: a full land value capture run with 1,000 Monte Carlo draws over 200k parcels
 * (target ≤ 2 s). Baseline: the same Monte Carlo done naively, re-evaluating every parcel's
 * premium per draw (what the prefix-sum index avoids). Medians of 5 runs; printed, not asserted.
 */
import { defaultLvcParams } from './params.js';
import { prepare, runLvc } from './run.js';
import { monteCarlo, tornado } from './sensitivity.js';
import { mulberry32 } from '../util/prng.js';
import { premiumAt } from './premium-curve.js';
import type { LvcParcels } from './uplift.js';

const N = 200_000;
const rand = mulberry32(2026);
const col = (f: () => number) => Float64Array.from({ length: N }, f);
const parcels: LvcParcels = {
  fid: Float64Array.from({ length: N }, (_, i) => i + 1),
  areaM2: col(() => 200 + rand() * 3000),
  landValue: col(() => 20_000 + rand() * 120_000),
  distM: col(() => (rand() < 0.02 ? Infinity : rand() * 2500)),
  isPublic: Uint8Array.from({ length: N }, () => (rand() < 0.1 ? 1 : 0)),
  addedGfa: { residential: col(() => rand() * 4000), commercial: col(() => rand() * 1500), office: col(() => rand() * 1000) },
  bonusGfa: col(() => rand() * 800),
};
const params = defaultLvcParams('TH').params;
params.costs = { station: 30e9, infrastructure: 5e9, startYear: 0, years: 5 };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void, reps = 5) => median(Array.from({ length: reps }, () => { const t = performance.now(); fn(); return performance.now() - t; }));

const full = time(() => {
  const prep = prepare(parcels, params);
  runLvc(prep, params);
  tornado(prep, params);
  monteCarlo(prep, params, 1000);
});
const prep = prepare(parcels, params);
const mcOnly = time(() => monteCarlo(prep, params, 1000));
const naive = time(() => {
  for (let d = 0; d < 20; d++) {
    let s = 0;
    for (let i = 0; i < N; i++) s += parcels.landValue[i] * parcels.areaM2[i] * premiumAt(params.premiumCurve, parcels.distM[i], 1 + d / 100);
    if (s < 0) throw new Error('unreachable');
  }
}, 3) * 50; // 20 draws timed, scaled to 1,000

console.log(`LVC, ${N.toLocaleString('en')} parcels, 1,000 Monte Carlo draws`);
console.log(`  full run (prepare + base + tornado + 1,000 draws): ${full.toFixed(0)} ms   target ≤ 2000 ms`);
console.log(`  1,000 draws on a prepared index:                   ${mcOnly.toFixed(1)} ms`);
console.log(`  baseline: naive per-parcel premium for 1,000 draws ≈ ${naive.toFixed(0)} ms (premium sums alone) → index is ${(naive / mcOnly).toFixed(0)}× faster`);
