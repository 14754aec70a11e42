/**
 * One land value capture run: uplift per parcel, instrument cash flows, the station cost they
 * help finance, and the summary figures. Two appraisals are kept apart and labelled:
 * - financial: nominal flows at the market discount rate (params.discountRate);
 * - economic: the same flows deflated to base-year prices (real) at the real social discount rate
 *   (params.socialDiscountRate).
 * Years are calendar years from params.baseYear. Every result carries the parameters that produced it.
 */
import { EkimaeError } from '../errors.js';
import { irr, npv, paybackYear, type IrrResult } from './finance.js';
import { runInstruments, type InstrumentFlow } from './instruments.js';
import { LvcParamsSchema, type LvcParams } from './params.js';
import { checkCurve } from './premium-curve.js';
import { groupCostValues, groupLandValues, groupSaleValues, groupSignature, priceGroups, type PriceGroups } from './price-groups.js';
import { checkSchedule, scheduleShare, type DevelopmentSchedule } from './schedule.js';
import { checkParcels, DistanceIndex, LAND_CLASSES, landClass, parcelUplift, residualPerM2, type LandClass, type LvcParcels, type ParcelUplift } from './uplift.js';

export interface Appraisal {
  /** 'financial' = nominal flows, market rate; 'economic' = real flows (base-year prices), social rate. */
  basis: 'financial' | 'economic';
  label: string;
  rate: number;
  net: number[];
  npv: number;
  irr: IrrResult;
  /** Calendar year in which the cumulative net turns ≥ 0 and stays so. */
  paybackYear: number | null;
}

export interface LvcSummary {
  /** Uplift over every parcel of the scenario (the set the uplift map shows). */
  upliftProximity: number;
  upliftDevelopment: number;
  upliftTotal: number;
  upliftPublic: number;
  /** The same uplift over parcels reachable on foot within the catchment only. */
  upliftTotalWithinReach: number;
  /** Railway-owned developable land's share of the uplift (what joint development can pool). */
  upliftRailway: number;
  /**
   * Development uplift the rules allow at build-out (capacity). With a take-up schedule,
   * upliftDevelopment (and the totals) count only what is built within the horizon (projected).
   */
  upliftDevelopmentCapacity: number;
  upliftBasis: 'projected' | 'capacity';
  /** Present values at the financial discount rate. */
  pvCaptured: number;
  pvCost: number;
  /** Financial NPV of captured revenue minus station, infrastructure and instrument costs. */
  npv: number;
  irr: IrrResult;
  paybackYear: number | null;
  /** PV of captured revenue net of instrument costs ÷ PV of station and infrastructure cost (null when there is no cost). */
  shareFinanced: number | null;
}

export interface LvcResult {
  params: LvcParams;
  /** Calendar years. */
  years: number[];
  baseYear: number;
  instruments: InstrumentFlow[];
  costs: number[];
  captured: number[];
  /** Costs the instruments themselves carry (e.g. land readjustment facilities), per year. */
  instrumentCosts: number[];
  net: number[];
  /** Discount factors of the financial appraisal, per year. */
  discountFactors: number[];
  summary: LvcSummary;
  financial: Appraisal;
  economic: Appraisal;
  pools: Record<string, number>;
}

/** Development floor area kept per (land class, price group, use), and per year when a schedule is given. */
export interface DevAggregates {
  uses: string[];
  groups: PriceGroups;
  /** [class][g × U + u] over all parcels / reachable parcels. */
  gfa: Float64Array[];
  gfaReach: Float64Array[];
  /** Bonus floor area per price group (all land classes): the premium FSI price may differ by station. */
  bonusByGroup?: Float64Array;
  schedule: null | {
    horizon: number;
    /** [class][(g × U + u) × H + t] */
    gfaYear: Float64Array[];
    /** [class][t]: bonus and added floor area (all uses) completed in year t. */
    bonusYear: Float64Array[];
    /** [g × H + t]: bonus floor area (all classes) of price group g completed in year t. */
    bonusGroupYear?: Float64Array;
    allGfaYear: Float64Array[];
    /** Distance index of the parcels (weighted by share) completed in year t. */
    yearIndex: DistanceIndex[];
  };
}

/** A prepared run: per-parcel work done once, so sensitivity re-runs cost O(horizon × groups), not O(parcels). */
export interface Prepared {
  /** The parcels as given (land values unfilled). */
  input: LvcParcels;
  /** The parcels with missing land values filled from station/band land prices (else 0). */
  parcels: LvcParcels;
  schedule?: DevelopmentSchedule;
  /** Land class per parcel. */
  cls: Uint8Array;
  index: DistanceIndex;
  dev: DevAggregates;
  uplift: ParcelUplift;
  /** Per-parcel residual for the params prepared with (map only). */
  signature: string;
  landValueFilled: number;
  landValueMissing: number;
}

function signatureOf(params: LvcParams, schedule?: DevelopmentSchedule): string {
  return groupSignature(params) + (schedule ? `|H${params.horizonYears}` : '');
}

export function prepare(input: LvcParcels, params: LvcParams, schedule?: DevelopmentSchedule): Prepared {
  const n = input.fid.length;
  const groups = priceGroups(input, params.stationValues);
  const land = groupLandValues(params, groups.count);
  const landValue = Float64Array.from(input.landValue);
  let filled = 0, missing = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(landValue[i])) {
      const v = land[groups.group[i]];
      if (Number.isFinite(v)) { landValue[i] = v; filled++; } else { landValue[i] = 0; missing++; }
    }
  }
  const parcels: LvcParcels = { ...input, landValue };
  checkParcels(parcels);
  const H = params.horizonYears;
  if (schedule) checkSchedule(schedule, n, H);
  const uses = Object.keys(parcels.addedGfa);
  const U = uses.length, G = groups.count;
  const mk = (k: number) => LAND_CLASSES.map(() => new Float64Array(k));
  const gfa = mk(G * U), gfaReach = mk(G * U), bonusByGroup = new Float64Array(G);
  const cls = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = landClass(parcels, i);
    cls[i] = c;
    const reach = Number.isFinite(parcels.distM[i]);
    for (let u = 0; u < U; u++) {
      const a = parcels.addedGfa[uses[u]][i];
      if (a === 0) continue;
      const k = groups.group[i] * U + u;
      gfa[c][k] += a;
      if (reach) gfaReach[c][k] += a;
    }
    bonusByGroup[groups.group[i]] += parcels.bonusGfa[i];
  }
  const index = new DistanceIndex(parcels);
  const sched = schedule ? scheduleAggregates(parcels, cls, groups, uses, H, schedule, index) : null;
  const residuals = groupResiduals(params, groups.count);
  return {
    input, parcels, schedule, cls, index, dev: { uses, groups, gfa, gfaReach, bonusByGroup, schedule: sched },
    uplift: parcelUplift(parcels, params.premiumCurve, (i) => residuals[groups.group[i]]),
    signature: signatureOf(params, schedule), landValueFilled: filled, landValueMissing: missing,
  };
}

/** The index of no parcel (years no period builds in), once per prepared index. */
const emptyIndexes = new WeakMap<DistanceIndex, DistanceIndex>();
function emptyIndex(index: DistanceIndex, parcels: LvcParcels): DistanceIndex {
  let e = emptyIndexes.get(index);
  if (!e) { e = index.reweighted(parcels, new Float64Array(parcels.fid.length)); emptyIndexes.set(index, e); }
  return e;
}

/** Per year of the horizon: floor area completed by class, price group and use, and the distance index of what is completed. */
function scheduleAggregates(parcels: LvcParcels, cls: Uint8Array, groups: PriceGroups, uses: string[], H: number, schedule: DevelopmentSchedule, index: DistanceIndex): NonNullable<DevAggregates['schedule']> {
  const n = parcels.fid.length, U = uses.length, G = groups.count;
  const mk = (k: number) => LAND_CLASSES.map(() => new Float64Array(k));
  const gfaYear = mk(G * U * H), bonusYear = mk(H), allGfaYear = mk(H), bonusGroupYear = new Float64Array(G * H);
  if (schedule.kind === 'periods') {
    // A period builds the same share in each of its years: its sums (in the same parcel order as the
    // per-year loop below, so equal to it) and one distance index serve every year of it.
    const yearIndex = new Array<DistanceIndex>(H);
    // The columns looked up once, not by name per parcel and use (this runs for every draw of the Monte Carlo).
    const added = uses.map((u) => parcels.addedGfa[u]), group = groups.group, bonusGfa = parcels.bonusGfa;
    for (const q of schedule.periods) {
      const w = q.perYear, list = q.parcels;
      const gfa = mk(G * U), bonus = new Float64Array(LAND_CLASSES.length), all = new Float64Array(LAND_CLASSES.length), bonusG = new Float64Array(G);
      // A period that lists its parcels is summed over those (ascending: the same order and sums).
      const m = list ? list.length : n;
      for (let k = 0; k < m; k++) {
        const i = list ? list[k] : k;
        const wi = w[i];
        if (wi === 0) continue;
        const c = cls[i], gc = gfa[c], o = group[i] * U;
        bonus[c] += wi * bonusGfa[i];
        bonusG[group[i]] += wi * bonusGfa[i];
        for (let u = 0; u < U; u++) {
          const a = added[u][i];
          all[c] += wi * a;
          gc[o + u] += wi * a;
        }
      }
      const periodIndex = index.reweighted(parcels, w, list);
      for (let t = q.from; t <= q.to; t++) {
        yearIndex[t] = periodIndex;
        for (let g = 0; g < G; g++) bonusGroupYear[g * H + t] = bonusG[g];
        for (const c of LAND_CLASSES) {
          bonusYear[c][t] = bonus[c]; allGfaYear[c][t] = all[c];
          for (let k = 0; k < G * U; k++) gfaYear[c][k * H + t] = gfa[c][k];
        }
      }
    }
    for (let t = 0; t < H; t++) if (!yearIndex[t]) yearIndex[t] = emptyIndex(index, parcels);
    return { horizon: H, gfaYear, bonusYear, bonusGroupYear, allGfaYear, yearIndex };
  }
  for (let i = 0; i < n; i++) for (let t = 0; t < H; t++) {
    const w = scheduleShare(schedule, H, i, t);
    if (w === 0) continue;
    const c = cls[i];
    bonusYear[c][t] += w * parcels.bonusGfa[i];
    bonusGroupYear[groups.group[i] * H + t] += w * parcels.bonusGfa[i];
    for (let u = 0; u < U; u++) {
      const a = parcels.addedGfa[uses[u]][i];
      allGfaYear[c][t] += w * a;
      gfaYear[c][(groups.group[i] * U + u) * H + t] += w * a;
    }
  }
  const yearIndex = Array.from({ length: H }, (_, t) => new DistanceIndex(parcels, {}, (i) => scheduleShare(schedule, H, i, t)));
  return { horizon: H, gfaYear, bonusYear, bonusGroupYear, allGfaYear, yearIndex };
}

/**
 * The prepared run with development booked by another schedule (the sensitivity's take-up re-runs):
 * what does not depend on when parcels are built (price groups, land values, aggregates, the
 * distance index, uplift per parcel) is kept; the schedule's aggregates are built anew. Equal to
 * prepare(prep.input, params, schedule) for the params prep was made with.
 */
export function withSchedule(prep: Prepared, params: LvcParams, schedule: DevelopmentSchedule): Prepared {
  const H = params.horizonYears;
  checkSchedule(schedule, prep.parcels.fid.length, H);
  return {
    // The price-group structure stays prep's (a parameter that changes it goes through a fresh prepare in runLvc).
    ...prep, schedule, signature: `${prep.signature.replace(/\|H\d+$/, '')}|H${H}`,
    dev: { ...prep.dev, schedule: scheduleAggregates(prep.parcels, prep.cls, prep.dev.groups, prep.dev.uses, H, schedule, prep.index) },
  };
}

/** Residual per m² by use, per price group, for these params. */
export function groupResiduals(params: LvcParams, count: number): Array<Record<string, number>> {
  const cost = groupCostValues(params, count);
  return groupSaleValues(params, count).map((sale, g) => residualPerM2(sale, cost[g], params.developerMargin));
}

/** Development uplift (base-year prices) of a land class: total, within reach, and per year of a schedule. */
export interface DevValues {
  total: (c: LandClass) => number;
  withinReach: (c: LandClass) => number;
  /** Development uplift completed in year t (null when no schedule: the absorption curve applies). */
  year: ((c: LandClass) => Float64Array) | null;
}

export function devValues(dev: DevAggregates, params: LvcParams): DevValues {
  const res = groupResiduals(params, dev.groups.count);
  const U = dev.uses.length;
  const rv = new Float64Array(dev.groups.count * U);
  res.forEach((r, g) => dev.uses.forEach((u, k) => { rv[g * U + k] = r[u] ?? 0; }));
  const dot = (a: Float64Array) => { let s = 0; for (let k = 0; k < rv.length; k++) s += a[k] * rv[k]; return s; };
  const sc = dev.schedule;
  return {
    total: (c) => dot(dev.gfa[c]),
    withinReach: (c) => dot(dev.gfaReach[c]),
    year: sc ? (c) => {
      const H = sc.horizon, out = new Float64Array(H);
      for (let k = 0; k < rv.length; k++) if (rv[k] !== 0) for (let t = 0; t < H; t++) out[t] += sc.gfaYear[c][k * H + t] * rv[k];
      return out;
    } : null,
  };
}

export function validateParams(params: unknown): LvcParams {
  const r = LvcParamsSchema.safeParse(params);
  if (!r.success) {
    throw new EkimaeError('E_INPUT_INVALID', `LVC parameters: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  checkCurve(r.data.premiumCurve);
  for (const s of r.data.stationValues ?? []) {
    for (let b = 1; b < s.bands.length; b++) if (!(s.bands[b].maxDistM > s.bands[b - 1].maxDistM)) {
      throw new EkimaeError('E_INPUT_INVALID', `LVC parameters: stationValues "${s.station}": band distances must increase`);
    }
  }
  return r.data;
}

/** The base year a run uses: params.baseYear, else the project's price year, else the current year. */
export function resolveBaseYear(params: LvcParams, priceYear?: number): number {
  return params.baseYear ?? priceYear ?? new Date().getUTCFullYear();
}

/** opts.irr = false skips the IRR root scans (sensitivity needs only NPV and share financed); the rest is identical. */
export function runLvc(prepIn: Prepared, params: LvcParams, opts: { irr?: boolean } = {}): LvcResult {
  const withIrr = opts.irr !== false;
  const irrOf = (flows: number[]): IrrResult => (withIrr ? irr(flows) : { status: 'none', irr: null, roots: [] });
  // A prepared run is only valid for the station/band structure it was prepared with: anything else
  // goes through a fresh prepare, so no parameter can be silently ignored.
  const prep = prepIn.signature === signatureOf(params, prepIn.schedule) ? prepIn : prepare(prepIn.input, params, prepIn.schedule);
  const H = params.horizonYears;
  const baseYear = resolveBaseYear(params);
  const dv = devValues(prep.dev, params);
  const cap = runInstruments({ p: params, index: prep.index, dev: dv, schedule: prep.dev.schedule, bonusByGroup: prep.dev.bonusByGroup });
  const costs = new Array<number>(H).fill(0);
  const c = params.costs;
  const total = c.station + c.infrastructure;
  for (let k = 0; k < c.years; k++) {
    const t = c.startYear + k;
    if (t < H) costs[t] += (total / c.years) * Math.pow(1 + params.inflation, t);
  }
  const captured = new Array<number>(H).fill(0);
  const instrumentCost = new Array<number>(H).fill(0);
  for (const f of cap.instruments) for (let t = 0; t < H; t++) { captured[t] += f.revenue[t]; instrumentCost[t] += f.cost[t]; }
  const net = captured.map((v, t) => v - instrumentCost[t] - costs[t]);
  const pv = (a: number[]) => a.reduce((s, v, t) => s + v * cap.df[t], 0);
  const pvCaptured = pv(captured), pvCost = pv(costs), pvInstrumentCost = pv(instrumentCost);
  const curve = params.premiumCurve;
  const proxAll = (k: LandClass) => prep.index.premiumValue(k, curve);
  const classes = LAND_CLASSES;
  const sum = (f: (k: LandClass) => number, ks: readonly LandClass[] = classes) => ks.reduce((s: number, k) => s + f(k), 0);
  const upliftProximity = sum(proxAll), upliftDevelopmentCapacity = sum(dv.total);
  // With a schedule the headline is what gets built within the horizon, not what the rules allow.
  const realised = (k: LandClass) => (dv.year ? dv.year(k).reduce((a, b) => a + b, 0) : dv.total(k));
  const upliftDevelopment = sum(realised);
  const reachShare = upliftDevelopmentCapacity > 0 ? sum(dv.withinReach) / upliftDevelopmentCapacity : 0;
  const years = Array.from({ length: H }, (_, t) => baseYear + t);
  const calendar = (t: number | null) => (t === null ? null : baseYear + t);
  const fin: Appraisal = {
    basis: 'financial', label: `Financial appraisal: nominal prices, market discount rate ${(100 * params.discountRate).toFixed(1)} %`,
    rate: params.discountRate, net, npv: npv(params.discountRate, net), irr: irrOf(net), paybackYear: calendar(paybackYear(net)),
  };
  const social = params.socialDiscountRate ?? params.discountRate;
  const realNet = net.map((v, t) => v / Math.pow(1 + params.inflation, t));
  const eco: Appraisal = {
    basis: 'economic', label: `Economic appraisal: real ${baseYear} prices (deflated at ${(100 * params.inflation).toFixed(1)} % a year), social discount rate ${(100 * social).toFixed(1)} % real`,
    rate: social, net: realNet, npv: npv(social, realNet), irr: irrOf(realNet), paybackYear: calendar(paybackYear(realNet)),
  };
  const summary: LvcSummary = {
    upliftProximity,
    upliftDevelopment,
    upliftTotal: upliftProximity + upliftDevelopment,
    upliftPublic: sum(proxAll, [1, 2]) + sum(realised, [1, 2]),
    upliftTotalWithinReach: upliftProximity + (dv.year ? upliftDevelopment * reachShare : sum(dv.withinReach)),
    upliftRailway: proxAll(2) + realised(2),
    upliftDevelopmentCapacity,
    upliftBasis: dv.year ? 'projected' : 'capacity',
    pvCaptured,
    pvCost,
    npv: fin.npv,
    irr: fin.irr,
    paybackYear: fin.paybackYear,
    shareFinanced: pvCost > 0 ? (pvCaptured - pvInstrumentCost) / pvCost : null,
  };
  return {
    params, years, baseYear, instruments: cap.instruments, costs, captured, instrumentCosts: instrumentCost, net, discountFactors: Array.from(cap.df),
    summary, financial: fin, economic: eco, pools: cap.pools,
  };
}
