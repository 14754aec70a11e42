/**
 * The take-up as a development schedule for land value capture: per parcel (in the LVC run's
 * order) the share of its added floor area built in each cash-flow year. Each period's built share
 * is spread evenly over the years of the period; nothing is booked after the last horizon (growth
 * beyond it is not projected, so it is not counted as revenue).
 */
import type { DevelopmentSchedule, SchedulePeriod } from '../lvc/schedule.js';
import type { Project } from '../store/project.js';
import { resolveAssumptions } from '../scenario/assumptions.js';
import { distanceSource, type DistanceSpec } from '../scenario/distance-source.js';
import { getAssumptions, getScenario } from '../scenario/store.js';
import { landValues } from './land-value.js';
import { getGrowth } from './store.js';
import type { GrowthSettings } from './settings.js';
import type { MarketScales } from './market.js';
import { takeUp, takeUpColumns, takeUpRerun, type TakeUpColumns } from './takeup.js';

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

/**
 * The development schedule land value capture books a scenario by: its projected take-up on the
 * project's growth settings, as cash-flow-year shares per parcel (in the order of `fids`).
 */
export function scenarioSchedule(p: Project, scenario: { id: string; version: number }, cash: { baseYear?: number; horizonYears: number; fids: Float64Array },
  opts: { parcelLayer?: string; distances?: DistanceSpec } = {}): { schedule: DevelopmentSchedule; note: string } {
  const g = getGrowth(p).settings;
  const def = getScenario(p, scenario.id, scenario.version).definition;
  const t = takeUp(p, def, { parcelLayer: opts.parcelLayer, distances: distanceSource(p, opts.distances), assumptions: resolveAssumptions(getAssumptions(p).entries), growth: g, landValue: (prep) => landValues(p, prep) });
  const schedule = takeUpSchedule(t, g.horizons, g.baseYear, { baseYear: cash.baseYear ?? g.baseYear, years: cash.horizonYears, fids: cash.fids });
  return { schedule, note: `development booked as the projected take-up builds it (horizons ${g.horizons.join(', ')}; nothing after ${g.horizons.at(-1)}), not at capacity` };
}

/** Take-up parcel index of each cash-flow parcel (−1 = not in the take-up). */
function parcelMap(takeUpFids: Float64Array, cashFids: Float64Array): Int32Array {
  // Both read from one parcel layer in one order (the usual case): each parcel is its own.
  let same = takeUpFids.length === cashFids.length;
  for (let i = 0; same && i < cashFids.length; i++) if (takeUpFids[i] !== cashFids[i]) same = false;
  if (same) return Int32Array.from({ length: cashFids.length }, (_, i) => i);
  const at = new Map<number, number>();
  for (let j = 0; j < takeUpFids.length; j++) at.set(takeUpFids[j], j);
  return Int32Array.from(cashFids, (f) => at.get(f) ?? -1);
}

/** The parcels takeUpPeriods last wrote into a reused buffer (every other entry is 0). */
const lastWritten = new WeakMap<Float64Array, Uint32Array>();

/**
 * The take-up as a schedule in its own form ('periods'): each period's built share spread evenly
 * over its years, the years clipped to the cash flow's horizon; equal to takeUpSchedule's shares.
 * `into` (per horizon) holds buffers reused from call to call. `built` (optional): the take-up
 * parcels with any share (every other one is 0 in every period) and, for each take-up parcel, its
 * cash-flow parcel (a one-to-one map, the inverse of `at`): then only those are read.
 */
export function takeUpPeriods(share: Float32Array, m: number, at: Int32Array, horizons: number[], baseYear: number, cash: { baseYear: number; years: number }, into?: Float64Array[],
  built?: { touched: Uint32Array; cashOf: Int32Array }): DevelopmentSchedule {
  const n = at.length, H = cash.years;
  const periods: SchedulePeriod[] = [];
  let prevYear = baseYear;
  for (let p = 0; p < horizons.length; p++) {
    const y = horizons[p], span = y - prevYear;
    const from = Math.max(0, prevYear + 1 - cash.baseYear), to = Math.min(H - 1, y - cash.baseYear);
    prevYear = y;
    if (from > to) continue;
    const reuse = into?.[p]?.length === n ? into[p] : null;
    // A reused buffer is cleared where the last call wrote when that call listed its parcels (a re-run's cost follows what it builds).
    const last = reuse ? lastWritten.get(reuse) : undefined;
    if (reuse && built && last) for (let k = 0; k < last.length; k++) reuse[last[k]] = 0;
    else if (reuse) reuse.fill(0);
    const perYear = reuse ?? new Float64Array(n);
    lastWritten.delete(perYear);
    if (into) into[p] = perYear;
    const o = p * m, o0 = (p - 1) * m;
    if (built) {
      // Only the built parcels: the period lists them (ascending), so the capture's aggregates read those only.
      const { touched, cashOf } = built;
      const list: number[] = [];
      let ascending = true;
      for (let k = 0; k < touched.length; k++) {
        const j = touched[k], i = cashOf[j];
        if (i < 0) continue;
        const inc = share[o + j] - (p > 0 ? share[o0 + j] : 0);
        if (inc > 0) { perYear[i] = 0 + inc / span; if (list.length && i < list[list.length - 1]) ascending = false; list.push(i); }
      }
      const parcels = Uint32Array.from(list);
      lastWritten.set(perYear, parcels);
      periods.push({ from, to, perYear, parcels: ascending ? parcels : parcels.sort() });
      continue;
    } else {
      for (let i = 0; i < n; i++) {
        const j = at[i];
        if (j < 0) continue;
        const inc = share[o + j] - (p > 0 ? share[o0 + j] : 0);
        if (inc > 0) perYear[i] = 0 + inc / span;
      }
    }
    periods.push({ from, to, perYear });
  }
  return { kind: 'periods', years: H, periods };
}

export type GrowthMarket = GrowthSettings['market'];

/**
 * A scenario's take-up held ready for re-runs on other market figures (the sensitivity: sale values
 * and construction costs change which parcels pass the redevelopment test and in what order). The
 * scenario is evaluated once; each re-run is the redevelopment test and the allocation only.
 */
export interface ScenarioTakeUp {
  schedule: DevelopmentSchedule;
  note: string;
  market: GrowthMarket;
  /**
   * The schedule the take-up gives with these market figures (everything else as stored). Its
   * arrays are reused by the next call: use each schedule before asking for another (the
   * sensitivity does, bar by bar and draw by draw).
   */
  scheduleFor: (market: GrowthMarket) => DevelopmentSchedule;
  /** As scheduleFor, for a market that is this one's with its prices × `scales` (the premium curve as `market` has it): the same schedule, the redevelopment test cheaper. */
  scheduleForScaled: (market: GrowthMarket, scales: MarketScales) => DevelopmentSchedule;
  /** Parcels each re-run's redevelopment test reads (what a Monte Carlo draw costs). */
  tested: number;
}

export function scenarioTakeUp(p: Project, scenario: { id: string; version: number }, cash: { baseYear?: number; horizonYears: number; fids: Float64Array },
  opts: { parcelLayer?: string; distances?: DistanceSpec } = {}): ScenarioTakeUp {
  const g = getGrowth(p).settings;
  const def = getScenario(p, scenario.id, scenario.version).definition;
  const cols = takeUpColumns(p, def, { parcelLayer: opts.parcelLayer, distances: distanceSource(p, opts.distances), assumptions: resolveAssumptions(getAssumptions(p).entries), growth: g, landValue: (prep) => landValues(p, prep) }, true);
  return takeUpForCash({ cols, cash: { baseYear: cash.baseYear ?? g.baseYear, years: cash.horizonYears, fids: cash.fids } });
}

/**
 * What a scenario's take-up for the capture is made from, without the project: plain data (typed
 * arrays and JSON), so a worker thread can rebuild the same re-runs (core/lvc/parallel-mc.ts).
 */
export interface TakeUpSource {
  cols: TakeUpColumns;
  cash: { baseYear: number; years: number; fids: Float64Array };
}

/** The take-up held ready for re-runs, from its columns (scenarioTakeUp without reading the project). */
export function takeUpForCash(source: TakeUpSource): ScenarioTakeUp & { source: TakeUpSource } {
  const { cols, cash: c } = source;
  const g = cols.growth;
  const at = parcelMap(cols.fids, c.fids);
  const m = cols.fids.length;
  const held = takeUpRerun(cols);
  const buffers: Float64Array[] = [];
  // The cash-flow parcel of each take-up parcel, when each has at most one (so a re-run's schedule
  // is written from the parcels it built only); else every cash-flow parcel is read.
  let cashOf: Int32Array | null = new Int32Array(m).fill(-1);
  for (let i = 0; i < at.length && cashOf; i++) { const j = at[i]; if (j >= 0) { if (cashOf[j] >= 0) cashOf = null; else cashOf[j] = i; } }
  const periodsOf = (share: Float32Array, into: Float64Array[] | undefined) => takeUpPeriods(share, m, at, g.horizons, g.baseYear, c, into, cashOf ? { touched: held.touched(), cashOf } : undefined);
  // The base schedule in the same form as the re-runs' (equal to takeUpSchedule's shares), in arrays
  // of its own (the re-runs reuse theirs): the capture then sums and indexes the parcels it builds
  // only, not every parcel in every year.
  const schedule = periodsOf(held.shares, undefined);
  return {
    schedule, market: g.market, source,
    note: `development booked as the projected take-up builds it (horizons ${g.horizons.join(', ')}; nothing after ${g.horizons.at(-1)}), not at capacity`,
    scheduleFor: (market) => periodsOf(held.rerun(market), buffers),
    scheduleForScaled: (market, scales) => periodsOf(held.rerun(market, scales), buffers),
    tested: held.tested,
  };
}
