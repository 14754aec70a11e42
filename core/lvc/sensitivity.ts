/**
 * Sensitivity of the capture result: a tornado (each uncertain input moved to its low and high
 * value, one at a time) and a seeded Monte Carlo over all of them together (P10/P50/P90).
 * Every uncertain input is applied to the parameters and the run goes through runLvc exactly as a
 * full run does (tests/core/lvc/sensitivity-full-run.test.ts checks each bar against a fresh
 * prepare + run); the prepared aggregates make that cost O(horizon × price groups), not O(parcels).
 * With development booked by the projected take-up (issue #12), sale values and construction costs
 * also change which parcels pass the redevelopment test and when they are built: their bars and
 * every draw re-run the take-up on the changed market figures (a TakeUpRerun) — the redevelopment
 * test and the allocation on columns prepared once — and re-aggregate the schedule, so each equals a
 * full run with the growth market and the LVC parameters changed together. The station premium
 * curve (its premia and its reach) is priced into that test too (sale value × (1 + premium)), so its
 * bars and draws re-run the take-up the same way; so does the premium FSI charge (price × the share
 * bought), which the test deducts from the residual: the price bar and the development-rights
 * take-up bar move it (only where development rights are sold).
 */
import { runLvc, withSchedule, type Prepared } from './run.js';
import type { DevelopmentSchedule } from './schedule.js';
import type { GrowthSettings } from '../growth/settings.js';
import type { MarketScales } from '../growth/market.js';
import type { LvcParams } from './params.js';
import { mulberry32 } from '../util/prng.js';

export interface Uncertain {
  id: string;
  label: string;
  low: number;
  high: number;
  /** How a value is applied: multiply the base input, or replace it. */
  kind: 'multiplier' | 'absolute';
  apply: (p: LvcParams, v: number) => LvcParams;
  base: (p: LvcParams) => number;
  /** The same input in the take-up's market figures (growth settings), where it is one. */
  market?: (m: TakeUpMarket, v: number) => TakeUpMarket;
  /**
   * What `market` does as scales of the base market's prices (sale values, construction costs, the
   * premium FSI charge; {} = the premium curve only, which the re-run reads from the market), so a
   * re-run can test parcels on the margin's parts made once. Absent: the re-run reads the market as
   * a whole.
   */
  scales?: (v: number) => Partial<MarketScales>;
}

/** The market figures of the take-up's redevelopment test (growth settings). */
export type TakeUpMarket = GrowthSettings['market'];

/**
 * Re-runs the projected take-up for other market figures (core/growth/schedule.ts scenarioTakeUp):
 * its base market and the schedule it gives for a changed one.
 */
export interface TakeUpRerun {
  market: TakeUpMarket;
  scheduleFor: (m: TakeUpMarket) => DevelopmentSchedule;
  /** The same schedule for a market given also as scales of `market`'s prices (core/growth/schedule.ts). */
  scheduleForScaled?: (m: TakeUpMarket, scales: MarketScales) => DevelopmentSchedule;
  /** Parcels each re-run's redevelopment test reads: what one draw costs (none where nothing can be built). */
  tested?: number;
}

const scaleRecord = (r: Record<string, number>, f: number) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v * f]));

/** What both the LVC parameters and the take-up's market carry: project-wide figures and per station and band. */
interface Priced {
  saleValuePerM2: Record<string, number>;
  constructionCostPerM2: Record<string, number>;
  stationValues?: Array<{ bands: Array<{ saleValuePerM2?: Record<string, number>; constructionCostPerM2?: Record<string, number> }> }>;
}

/** Sale values × f everywhere they are set: project-wide and per station and band. */
function scaleSaleValues<T extends Priced>(q: T, f: number): T {
  return {
    ...q, saleValuePerM2: scaleRecord(q.saleValuePerM2, f),
    stationValues: q.stationValues?.map((s) => ({ ...s, bands: s.bands.map((b) => (b.saleValuePerM2 ? { ...b, saleValuePerM2: scaleRecord(b.saleValuePerM2, f) } : b)) })),
  };
}

/** Construction costs × f everywhere they are set: project-wide and per station and band. */
function scaleCosts<T extends Priced>(q: T, f: number): T {
  return {
    ...q, constructionCostPerM2: scaleRecord(q.constructionCostPerM2, f),
    stationValues: q.stationValues?.map((s) => ({ ...s, bands: s.bands.map((b) => (b.constructionCostPerM2 ? { ...b, constructionCostPerM2: scaleRecord(b.constructionCostPerM2, f) } : b)) })),
  };
}

/**
 * The station premium raises sale values in the take-up's redevelopment test (core/growth/market.ts)
 * as it raises land values in the capture, so its bars move both curves: a lower premium fails
 * parcels near the margin, a higher one brings parcels in. Each curve is scaled as it stands (the
 * take-up's market curve may differ from the capture's when a user edited one of them).
 */
type Curved = { premiumCurve: Array<[number, number]> };
/** Every premium × v (capped at the schema's 10 = 1,000 %). */
function scalePremia<T extends Curved>(q: T, v: number): T {
  return { ...q, premiumCurve: q.premiumCurve.map(([d, x]) => [d, Math.min(10, x * v)] as [number, number]) };
}
/** Every distance of the curve × v: the premium reaches further (v > 1) or less far. */
function stretchCurve<T extends Curved>(q: T, v: number): T {
  return { ...q, premiumCurve: q.premiumCurve.map(([d, x]) => [d * v, x] as [number, number]) };
}

/** Premium FSI price × f: project-wide and per station and band (the capture's price). */
function scalePremiumFsiPrice(q: LvcParams, f: number): LvcParams {
  return {
    ...q, instruments: { ...q.instruments, developmentRights: { ...q.instruments.developmentRights, pricePerM2: q.instruments.developmentRights.pricePerM2 * f } },
    stationValues: q.stationValues?.map((s) => ({ ...s, bands: s.bands.map((b) => (b.premiumFsiPricePerM2 !== undefined ? { ...b, premiumFsiPricePerM2: b.premiumFsiPricePerM2 * f } : b)) })),
  };
}

/** The take-up's premium FSI charge × f: project-wide and per station and band. */
function scalePremiumFsiCharge(m: TakeUpMarket, f: number): TakeUpMarket {
  return {
    ...m, ...(m.premiumFsiChargePerM2 !== undefined ? { premiumFsiChargePerM2: m.premiumFsiChargePerM2 * f } : {}),
    stationValues: m.stationValues.map((s) => ({ ...s, bands: s.bands.map((b) => (b.premiumFsiChargePerM2 !== undefined ? { ...b, premiumFsiChargePerM2: b.premiumFsiChargePerM2 * f } : b)) })),
  };
}

/** Multipliers act on the base case; absolute inputs are ranges around it. */
export function defaultUncertainties(p: LvcParams): Uncertain[] {
  // Where development rights are sold, their price and take-up are a developer's cost in the take-up's test too.
  const dr = p.instruments.developmentRights;
  const sold = dr.enabled;
  const takeUpOf = (v: number) => Math.min(1, dr.takeUp * v);
  return [
    { id: 'premium', label: 'Station premium (× curve)', kind: 'multiplier', low: 0.5, high: 1.5, base: () => 1,
      apply: scalePremia, market: scalePremia, scales: () => ({}) },
    { id: 'premiumReach', label: 'Premium reach (× distances)', kind: 'multiplier', low: 0.75, high: 1.25, base: () => 1,
      apply: stretchCurve, market: stretchCurve, scales: () => ({}) },
    { id: 'saleValue', label: 'Sale values (×)', kind: 'multiplier', low: 0.8, high: 1.2, base: () => 1, apply: scaleSaleValues,
      market: scaleSaleValues, scales: (v) => ({ sale: v }) },
    { id: 'constructionCost', label: 'Construction cost (×)', kind: 'multiplier', low: 0.85, high: 1.25, base: () => 1, apply: scaleCosts,
      market: scaleCosts, scales: (v) => ({ cost: v }) },
    { id: 'discountRate', label: 'Discount rate', kind: 'absolute', low: Math.max(-0.5, p.discountRate - 0.02), high: p.discountRate + 0.02, base: (q) => q.discountRate, apply: (q, v) => ({ ...q, discountRate: v }) },
    { id: 'priceGrowth', label: 'Real price growth', kind: 'absolute', low: p.priceGrowth - 0.01, high: p.priceGrowth + 0.01, base: (q) => q.priceGrowth, apply: (q, v) => ({ ...q, priceGrowth: v }) },
    { id: 'absorptionYears', label: 'Absorption period (years)', kind: 'absolute', low: Math.max(1, p.absorption.years - 5), high: p.absorption.years + 5, base: (q) => q.absorption.years, apply: (q, v) => ({ ...q, absorption: { ...q.absorption, years: Math.max(1, Math.round(v)) } }) },
    { id: 'collection', label: 'Collection rates (×)', kind: 'multiplier', low: 0.75, high: 1, base: () => 1,
      apply: (q, v) => ({ ...q, instruments: { ...q.instruments,
        bettermentLevy: { ...q.instruments.bettermentLevy, collectionRate: Math.min(1, q.instruments.bettermentLevy.collectionRate * v) },
        taxIncrement: { ...q.instruments.taxIncrement, collectionRate: Math.min(1, q.instruments.taxIncrement.collectionRate * v) },
        impactFees: { ...q.instruments.impactFees, collectionRate: Math.min(1, q.instruments.impactFees.collectionRate * v) } } }) },
    { id: 'takeUp', label: 'Development-rights take-up (×)', kind: 'multiplier', low: 0.5, high: 1.3, base: () => 1,
      apply: (q, v) => ({ ...q, instruments: { ...q.instruments, developmentRights: { ...q.instruments.developmentRights, takeUp: Math.min(1, q.instruments.developmentRights.takeUp * v) } } }),
      ...(sold && dr.takeUp > 0 ? { market: (m: TakeUpMarket, v: number) => scalePremiumFsiCharge(m, takeUpOf(v) / dr.takeUp), scales: (v: number) => ({ charge: takeUpOf(v) / dr.takeUp }) } : {}) },
    // Appended last, and only where development rights are sold, so the draws elsewhere stay as they were.
    ...(sold ? [{ id: 'premiumFsiPrice', label: 'Premium FSI price (×)', kind: 'multiplier' as const, low: 0.5, high: 1.5, base: () => 1,
      apply: scalePremiumFsiPrice, market: scalePremiumFsiCharge, scales: (v: number) => ({ charge: v }) }] : []),
  ];
}

/** The parameters of one tornado end or Monte Carlo draw: every value applied to the params themselves. */
export function applyValues(base: LvcParams, u: Uncertain[], values: number[]): LvcParams {
  let p = base;
  u.forEach((x, i) => { if (values[i] !== x.base(base)) p = x.apply(p, values[i]); });
  return p;
}

/** The take-up's market for these values: the base market with every market input that moved applied; null when none moved. */
export function marketFor(rerun: TakeUpRerun, base: LvcParams, u: Uncertain[], values: number[]): TakeUpMarket | null {
  let m: TakeUpMarket | null = null;
  u.forEach((x, i) => { if (x.market && values[i] !== x.base(base)) m = x.market(m ?? rerun.market, values[i]); });
  return m;
}

/** The scales of the base market's prices for these values, as marketFor applies them; null when an input that moved says none. */
export function scalesFor(base: LvcParams, u: Uncertain[], values: number[]): MarketScales | null {
  const s: MarketScales = { sale: 1, cost: 1, charge: 1 };
  for (let i = 0; i < u.length; i++) {
    const x = u[i];
    if (!x.market || values[i] === x.base(base)) continue;
    if (!x.scales) return null;
    const d = x.scales(values[i]);
    s.sale *= d.sale ?? 1; s.cost *= d.cost ?? 1; s.charge *= d.charge ?? 1;
  }
  return s;
}

function scheduleOf(rerun: TakeUpRerun, m: TakeUpMarket, base: LvcParams, u: Uncertain[], values: number[]): DevelopmentSchedule {
  const s = rerun.scheduleForScaled ? scalesFor(base, u, values) : null;
  return s ? rerun.scheduleForScaled!(m, s) : rerun.scheduleFor(m);
}

function evaluate(prep: Prepared, base: LvcParams, u: Uncertain[], values: number[], rerun?: TakeUpRerun) {
  const params = applyValues(base, u, values);
  const m = rerun ? marketFor(rerun, base, u, values) : null;
  const r = runLvc(m ? withSchedule(prep, params, scheduleOf(rerun!, m, base, u, values)) : prep, params, { irr: false });
  return { npv: r.summary.npv, share: r.summary.shareFinanced, pvCaptured: r.summary.pvCaptured };
}

export interface TornadoBar { id: string; label: string; low: number; high: number; npvLow: number; npvHigh: number; shareLow: number | null; shareHigh: number | null }

/**
 * The uncertain inputs that act on this prepared run: with a development schedule (the projected
 * take-up, issue #12) the absorption curve is not used, so its period is no input to vary.
 */
export function uncertaintiesFor(prep: Prepared, p: LvcParams): Uncertain[] {
  return defaultUncertainties(p).filter((u) => !(prep.schedule && u.id === 'absorptionYears'));
}

export function tornado(prep: Prepared, base: LvcParams, u = uncertaintiesFor(prep, base), rerun?: TakeUpRerun): { baseNpv: number; baseShare: number | null; bars: TornadoBar[] } {
  const mid = u.map((x) => x.base(base));
  const b = evaluate(prep, base, u, mid, rerun);
  const bars = u.map((x, i) => {
    const lo = evaluate(prep, base, u, mid.map((v, j) => (j === i ? x.low : v)), rerun);
    const hi = evaluate(prep, base, u, mid.map((v, j) => (j === i ? x.high : v)), rerun);
    return { id: x.id, label: x.label, low: x.low, high: x.high, npvLow: lo.npv, npvHigh: hi.npv, shareLow: lo.share, shareHigh: hi.share };
  });
  bars.sort((a, c) => Math.abs(c.npvHigh - c.npvLow) - Math.abs(a.npvHigh - a.npvLow));
  return { baseNpv: b.npv, baseShare: b.share, bars };
}

/** Triangular draw on [lo, hi] with its mode at the base value (clamped into the range). */
function triangular(u: number, lo: number, mode: number, hi: number): number {
  if (hi <= lo) return lo;
  const m = Math.min(hi, Math.max(lo, mode));
  const c = (m - lo) / (hi - lo);
  return u < c ? lo + Math.sqrt(u * (hi - lo) * (m - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - m));
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q, i = Math.floor(pos), f = pos - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** The Monte Carlo's seed unless one is given (results are reproducible run to run). */
export const MC_SEED = 20261125;

/** A percentile's 95 % interval from the draws alone: [low, high]. */
export type Interval = [number, number];
export interface PercentileIntervals { p10: Interval; p50: Interval; p90: Interval }

export interface MonteCarlo {
  draws: number;
  seed: number;
  npv: { p10: number; p50: number; p90: number; mean: number };
  share: { p10: number; p50: number; p90: number } | null;
  probabilityNpvPositive: number;
  /**
   * The Monte Carlo's own sampling error: where each percentile would lie, 19 times in 20, had other
   * draws been taken (percentileInterval). Not the uncertainty of the inputs, which the percentiles
   * themselves show; it says whether the number of draws was enough. Absent on runs stored before it.
   */
  ci95?: { npv: PercentileIntervals; share: PercentileIntervals | null };
  /**
   * Set when the draws stopped on a precision rule (McStop) rather than at a fixed number: the rule,
   * the most draws allowed, and whether every percentile met it at the draws taken (false: it ran to
   * maxDraws without). Absent: a fixed number of draws.
   */
  stop?: McStop & { maxDraws: number; converged: boolean };
}

/**
 * When the draws may stop before the most allowed (convergence monitoring, as @RISK's "Convergence
 * tolerance ± x % at a confidence level" on a percentile): at `minDraws`, and every `every` draws
 * after, the draws taken so far are checked; they stop at the first check where the 95 % sampling
 * interval (percentileInterval) of each of P10, P50 and P90 of the NPV and of the share financed lies
 * within `tolerance` of the percentile (withinTolerance: a share of the NPV, points of the share). The checks fall at fixed counts and look only at the
 * draws before them, so where the draws stop does not depend on how threads shared them.
 */
export interface McStop { tolerance: number; minDraws: number; every: number }

/**
 * The product's rule (lvc.run's default): ±1 % of each NPV percentile and ±1 point of each share
 * percentile, at 95 %, checked every 100 draws from 200. @RISK's
 * documented example is ±3 % at 95 % on the mean (help.palisade.com, "Convergence Settings"); this one
 * is three times stricter and holds every percentile the reports print to it. A percentile near zero
 * (an NPV that may go either way) cannot meet a relative tolerance, so such a run takes every draw.
 */
export const MC_STOP: McStop = { tolerance: 0.01, minDraws: 200, every: 100 };

/** Whether n draws (n < the most allowed) fall on a check of the rule. */
export function isCheck(stop: McStop, n: number): boolean {
  return n >= stop.minDraws && (n - stop.minDraws) % stop.every === 0;
}

/**
 * Whether each percentile's 95 % interval (its ends' farther side) lies within the tolerance of it:
 * the NPV's within ± tolerance × |percentile|, the share financed's within ± tolerance itself. The
 * share is already a fraction of the cost, so ±0.01 is one percentage point of it; a relative
 * tolerance would ask a share of 0.2 % to be known to 0.002 points, which no reader needs and 1,000
 * draws seldom give (the 0.1 metropolitan case's TOD moderate at 1,000 draws: a P50 share of 5.1 %
 * ± 0.8 points, ±15 % of itself).
 */
export function withinTolerance(npvs: readonly number[], shares: readonly number[], tolerance: number): boolean {
  const ok = (xs: readonly number[], relative: boolean) => {
    const sorted = Array.from(Float64Array.from(xs).sort());
    return [0.1, 0.5, 0.9].every((q) => {
      const v = quantile(sorted, q), [lo, hi] = percentileInterval(sorted, q);
      return Math.max(v - lo, hi - v) <= tolerance * (relative ? Math.abs(v) : 1);
    });
  };
  return npvs.length > 0 && ok(npvs, true) && (shares.length === 0 || ok(shares, false));
}

/**
 * The distribution-free 95 % confidence interval of the q-quantile from n sorted draws: the order
 * statistics of ranks n·q ∓ 1.96·√(n·q·(1−q)) (rounded outwards, within 1..n), since the number of
 * draws below the true quantile is binomial(n, q) (e.g. Conover, Practical Nonparametric Statistics,
 * 3rd ed., §3.2; its normal approximation). No density estimate is needed, so it holds for the skewed
 * NPV distributions a capture gives.
 */
export function percentileInterval(sorted: readonly number[], q: number): Interval {
  const n = sorted.length;
  const half = 1.959963984540054 * Math.sqrt(n * q * (1 - q));
  const lo = Math.min(n, Math.max(1, Math.floor(n * q - half))), hi = Math.min(n, Math.max(1, Math.ceil(n * q + half)));
  return [sorted[lo - 1], sorted[hi - 1]];
}

const intervals = (sorted: readonly number[]): PercentileIntervals => ({ p10: percentileInterval(sorted, 0.1), p50: percentileInterval(sorted, 0.5), p90: percentileInterval(sorted, 0.9) });

/**
 * `draws` draws, or with `stop` at most that many (McStop). `onDraw` is told the number of draws done
 * after each (progress; throwing stops the run).
 */
export function monteCarlo(prep: Prepared, base: LvcParams, draws = 1000, seed = MC_SEED, u = uncertaintiesFor(prep, base), rerun?: TakeUpRerun,
  onDraw?: (done: number) => void, stop?: McStop): MonteCarlo {
  const npvs: number[] = [], shares: number[] = [];
  for (const values of drawValues(base, u, draws, seed)) {
    const r = evaluate(prep, base, u, values, rerun);
    npvs.push(r.npv);
    if (r.share !== null) shares.push(r.share);
    onDraw?.(npvs.length);
    if (stop && npvs.length < draws && isCheck(stop, npvs.length) && withinTolerance(npvs, shares, stop.tolerance)) break;
  }
  return summariseDraws(npvs.length, seed, npvs, shares, stop && { maxDraws: draws, stop });
}

/** The inputs of every draw, in draw order: each draw takes one number of the seeded stream per uncertain input. */
export function drawValues(base: LvcParams, u: Uncertain[], draws: number, seed: number): number[][] {
  const rand = mulberry32(seed);
  const mid = u.map((x) => x.base(base));
  const out: number[][] = [];
  for (let d = 0; d < draws; d++) out.push(u.map((x, i) => triangular(rand(), x.low, mid[i], x.high)));
  return out;
}

/** One draw's NPV and share financed (what the Monte Carlo keeps of a run). */
export function evaluateDraw(prep: Prepared, base: LvcParams, u: Uncertain[], values: number[], rerun?: TakeUpRerun): { npv: number; share: number | null } {
  const r = evaluate(prep, base, u, values, rerun);
  return { npv: r.npv, share: r.share };
}

/**
 * The Monte Carlo's figures from the draws' NPVs (in draw order) and their shares financed (the
 * non-null ones, in draw order); `stopped`: the draws were taken under a stop rule allowing at most
 * maxDraws.
 */
export function summariseDraws(draws: number, seed: number, npvs: number[], shares: number[], stopped?: { maxDraws: number; stop: McStop }): MonteCarlo {
  const converged = stopped ? withinTolerance(npvs, shares, stopped.stop.tolerance) : false;
  const mean = npvs.reduce((a, b) => a + b, 0) / npvs.length;
  const pos = npvs.filter((v) => v > 0).length / npvs.length;
  npvs.sort((a, b) => a - b);
  shares.sort((a, b) => a - b);
  return {
    draws, seed,
    npv: { p10: quantile(npvs, 0.1), p50: quantile(npvs, 0.5), p90: quantile(npvs, 0.9), mean },
    share: shares.length ? { p10: quantile(shares, 0.1), p50: quantile(shares, 0.5), p90: quantile(shares, 0.9) } : null,
    probabilityNpvPositive: pos,
    ci95: { npv: intervals(npvs), share: shares.length ? intervals(shares) : null },
    ...(stopped ? { stop: { ...stopped.stop, maxDraws: stopped.maxDraws, converged } } : {}),
  };
}
