/**
 * Development schedule: when each parcel's added floor area is built. The take-up engine (issue
 * #12) hands it to `prepare(parcels, params, schedule)`; it then replaces the aggregate absorption
 * S-curve, so that every development-linked instrument is booked in the years building happens:
 * - development rights (premium FAR/FSI) and impact fees on the floor area completed that year;
 * - tax increment on the development increment completed so far (cumulative);
 * - betterment levy on the realised proximity uplift of parcels in its zone, due in the year each
 *   is developed (parcels never developed within the horizon pay nothing);
 * - land readjustment reserve land sold as the zone's parcels are developed, in proportion to their
 *   post-station land value;
 * - joint development on railway land as each railway parcel is developed (sold then, or leased
 *   from then on).
 * Without a schedule the absorption curve (params.absorption) applies to the whole station area.
 *
 * Two forms, both indexed by horizon year t = calendar year − params.baseYear (0 … horizon − 1):
 * - { kind: 'completionYear', year: Int16Array(n) }: the year parcel i's added floor area is
 *   completed, −1 = not built within the horizon;
 * - { kind: 'shares', years: H, share: Float64Array(n × H) }: share[i × H + t] = fraction of
 *   parcel i's added floor area completed in year t (row sums ≤ 1; the rest is never built).
 * - { kind: 'periods', years: H, periods }: the take-up's own form: each period spans the years
 *   from … to (inclusive, within the horizon) and builds perYear[i] of parcel i's added floor area in
 *   each of them (evenly spread). Equal to the 'shares' form with share[i × H + t] = perYear[i] for t
 *   in the period, but the aggregates and distance indexes are built once per period, not per year.
 * Parcel order is the order of LvcParcels (the scenario's parcel order).
 */
import { EkimaeError } from '../errors.js';

export type DevelopmentSchedule =
  | { kind: 'completionYear'; year: Int16Array }
  | { kind: 'shares'; years: number; share: Float64Array | Float32Array }
  | { kind: 'periods'; years: number; periods: SchedulePeriod[] };

export interface SchedulePeriod {
  from: number; to: number; perYear: Float64Array;
  /**
   * Optional: the only parcels whose perYear may be non-zero (ascending; the producer guarantees
   * every other is 0, as the take-up's re-runs do). Aggregates and checks then read these only.
   */
  parcels?: Uint32Array;
}

let checkScratch = new Float64Array(0);

export function checkSchedule(s: DevelopmentSchedule, n: number, horizon: number): void {
  if (s.kind === 'completionYear') {
    if (s.year.length !== n) throw new EkimaeError('E_INPUT_INVALID', `development schedule has ${s.year.length} completion years for ${n} parcels`);
    for (let i = 0; i < n; i++) {
      const y = s.year[i];
      if (y < -1) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i} has completion year ${y} (−1 = never, else 0 … horizon − 1)`);
    }
    return;
  }
  if (s.kind === 'periods') {
    if (s.years !== horizon) throw new EkimaeError('E_INPUT_INVALID', `development schedule covers ${s.years} years; the horizon is ${horizon}`);
    let prevTo = -1;
    for (const q of s.periods) {
      if (!(Number.isInteger(q.from) && Number.isInteger(q.to) && q.from > prevTo && q.to >= q.from && q.to < horizon)) throw new EkimaeError('E_INPUT_INVALID', `development schedule: period ${q.from}–${q.to} is not within the horizon after the one before`);
      if (q.perYear.length !== n) throw new EkimaeError('E_INPUT_INVALID', `development schedule has ${q.perYear.length} shares for ${n} parcels in period ${q.from}–${q.to}`);
      prevTo = q.to;
    }
    // Periods that list their parcels are checked on those (the rest are 0 by the producer's word),
    // and only those sums are cleared: the check then costs what the schedule builds.
    const all = s.periods.every((q) => q.parcels);
    const sum = n > checkScratch.length ? (checkScratch = new Float64Array(n)) : all ? checkScratch : checkScratch.fill(0, 0, n);
    if (all) for (const q of s.periods) for (const i of q.parcels!) if (i < n) sum[i] = 0;
    for (const q of s.periods) {
      const w = q.perYear, years = q.to - q.from + 1, list = q.parcels;
      const m = list ? list.length : n;
      for (let k = 0; k < m; k++) {
        const i = list ? list[k] : k;
        if (list && !(i < n)) throw new EkimaeError('E_INPUT_INVALID', `development schedule: period ${q.from}–${q.to} lists parcel ${i} of ${n}`);
        const v = w[i];
        if (!(v >= 0 && v <= 1)) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i}, years ${q.from}–${q.to}: share ${v} is not in 0–1`);
        sum[i] += v * years;
      }
    }
    if (all) {
      for (const q of s.periods) for (const i of q.parcels!) if (sum[i] > 1 + 1e-9) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i}'s shares add up to ${sum[i]} (> 1)`);
    } else for (let i = 0; i < n; i++) if (sum[i] > 1 + 1e-9) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i}'s shares add up to ${sum[i]} (> 1)`);
    return;
  }
  if (s.years !== horizon) throw new EkimaeError('E_INPUT_INVALID', `development schedule covers ${s.years} years; the horizon is ${horizon}`);
  if (s.share.length !== n * horizon) throw new EkimaeError('E_INPUT_INVALID', `development schedule has ${s.share.length} shares for ${n} parcels × ${horizon} years`);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let t = 0; t < horizon; t++) {
      const v = s.share[i * horizon + t];
      if (!(v >= 0 && v <= 1)) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i}, year ${t}: share ${v} is not in 0–1`);
      sum += v;
    }
    if (sum > 1 + 1e-9) throw new EkimaeError('E_INPUT_INVALID', `development schedule: parcel ${i}'s shares add up to ${sum} (> 1)`);
  }
}

/** Share of parcel i's added floor area completed in year t (completion years past the horizon count as never). */
export function scheduleShare(s: DevelopmentSchedule, horizon: number, i: number, t: number): number {
  if (s.kind === 'completionYear') return s.year[i] === t && t < horizon ? 1 : 0;
  if (s.kind === 'periods') {
    for (const q of s.periods) if (t >= q.from && t <= q.to) return q.perYear[i];
    return 0;
  }
  return s.share[i * horizon + t];
}
