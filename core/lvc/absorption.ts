/**
 * Development absorption: the share of a station area's added floor area built and sold in each
 * year, as a logistic S-curve (slow start, peak around the midpoint, tail), normalised so the
 * shares over the absorption period sum to exactly 1.
 */
import { EkimaeError } from '../errors.js';

export interface AbsorptionParams {
  /** First year (0-based, relative to the cash-flow start) in which development is absorbed. */
  startYear: number;
  /** Years over which the whole added floor area is absorbed (≥ 1). */
  years: number;
  /** Steepness of the S-curve (per year); 0 gives an even spread. */
  steepness: number;
}

export function absorptionShares(p: AbsorptionParams, horizon: number): Float64Array {
  if (!Number.isInteger(p.years) || p.years < 1) throw new EkimaeError('E_INPUT_INVALID', `absorption period must be ≥ 1 year (got ${p.years})`);
  if (!Number.isInteger(p.startYear) || p.startYear < 0) throw new EkimaeError('E_INPUT_INVALID', `absorption start year must be ≥ 0 (got ${p.startYear})`);
  if (!Number.isFinite(p.steepness) || p.steepness < 0) throw new EkimaeError('E_INPUT_INVALID', `absorption steepness must be ≥ 0 (got ${p.steepness})`);
  const out = new Float64Array(horizon);
  const mid = p.years / 2;
  const S = (x: number) => (p.steepness === 0 ? x / p.years : 1 / (1 + Math.exp(-p.steepness * (x - mid))));
  const s0 = S(0), s1 = S(p.years);
  for (let i = 0; i < p.years; i++) {
    const t = p.startYear + i;
    if (t >= horizon) break;
    out[t] = (S(i + 1) - S(i)) / (s1 - s0);
  }
  return out;
}

/** Running total of shares: the fraction of development completed by the end of each year. */
export function cumulative(shares: Float64Array): Float64Array {
  const out = new Float64Array(shares.length);
  let c = 0;
  for (let t = 0; t < shares.length; t++) { c += shares[t]; out[t] = Math.min(1, c); }
  return out;
}
