/**
 * The take-up as a development schedule for land value capture: per parcel (in the LVC run's
 * order) the share of its added floor area built in each cash-flow year. Each period's built share
 * is spread evenly over the years of the period; nothing is booked after the last horizon (growth
 * beyond it is not projected, so it is not counted as revenue).
 */
import type { DevelopmentSchedule } from '../lvc/schedule.js';

export function takeUpSchedule(t: { share: Float32Array; fids: Float64Array }, horizons: number[], baseYear: number,
  cash: { baseYear: number; years: number; fids: Float64Array }): DevelopmentSchedule {
  const n = cash.fids.length, H = cash.years, P = horizons.length, m = t.fids.length;
  const at = new Map<number, number>();
  for (let j = 0; j < m; j++) at.set(t.fids[j], j);
  const share = new Float64Array(n * H);
  for (let i = 0; i < n; i++) {
    const j = at.get(cash.fids[i]);
    if (j === undefined) continue;
    let prevYear = baseYear, prev = 0;
    for (let p = 0; p < P; p++) {
      const c = t.share[p * m + j], inc = c - prev, span = horizons[p] - prevYear;
      if (inc > 0) {
        for (let y = prevYear + 1; y <= horizons[p]; y++) {
          const k = y - cash.baseYear;
          if (k >= 0 && k < H) share[i * H + k] += inc / span;
        }
      }
      prev = c; prevYear = horizons[p];
    }
  }
  return { kind: 'shares', years: H, share };
}
