/**
 * One land value capture run: uplift per parcel, instrument cash flows, the station cost they
 * help finance, and the summary figures (NPV, IRR, payback, share financed). Every result carries
 * the parameters that produced it.
 */
import { EkimaeError } from '../api/errors.js';
import { irr, npv, paybackYear, type IrrResult } from './finance.js';
import { runInstruments, type InstrumentFlow } from './instruments.js';
import { LvcParamsSchema, type LvcParams } from './params.js';
import { checkCurve } from './premium-curve.js';
import { checkParcels, DistanceIndex, parcelUplift, residualPerM2, type LvcParcels, type ParcelUplift } from './uplift.js';

export interface LvcSummary {
  upliftProximity: number;
  upliftDevelopment: number;
  upliftTotal: number;
  upliftPublic: number;
  /** Present values at the discount rate. */
  pvCaptured: number;
  pvCost: number;
  /** NPV of captured revenue minus station, infrastructure and instrument costs. */
  npv: number;
  irr: IrrResult;
  paybackYear: number | null;
  /** PV of captured revenue net of instrument costs ÷ PV of station and infrastructure cost (null when there is no cost). */
  shareFinanced: number | null;
}

export interface LvcResult {
  params: LvcParams;
  years: number[];
  instruments: InstrumentFlow[];
  costs: number[];
  captured: number[];
  net: number[];
  summary: LvcSummary;
  pools: Record<string, number>;
}

/** A prepared run: per-parcel work done once, so sensitivity re-runs cost O(horizon), not O(parcels). */
export interface Prepared {
  parcels: LvcParcels;
  index: DistanceIndex;
  uplift: ParcelUplift;
  residual: Record<string, number>;
}

export function prepare(parcels: LvcParcels, params: LvcParams): Prepared {
  checkParcels(parcels);
  const residual = residualPerM2(params.saleValuePerM2, params.constructionCostPerM2, params.developerMargin);
  return { parcels, index: new DistanceIndex(parcels, residual), uplift: parcelUplift(parcels, params.premiumCurve, residual), residual };
}

export function validateParams(params: unknown): LvcParams {
  const r = LvcParamsSchema.safeParse(params);
  if (!r.success) {
    throw new EkimaeError('E_INPUT_INVALID', `LVC parameters: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  checkCurve(r.data.premiumCurve);
  return r.data;
}

export function runLvc(prep: Prepared, params: LvcParams, opts: { premiumScale?: number; premiumStretch?: number } = {}): LvcResult {
  const H = params.horizonYears;
  const cap = runInstruments({ p: params, index: prep.index, premiumScale: opts.premiumScale ?? 1, premiumStretch: opts.premiumStretch ?? 1 });
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
  const prox = (pub: 0 | 1) => (opts.premiumScale ?? 1) * prep.index.premiumValue(pub, params.premiumCurve, opts.premiumStretch ?? 1);
  const dev = (pub: 0 | 1) => prep.index.within(pub, 'dev');
  const summary: LvcSummary = {
    upliftProximity: prox(0) + prox(1),
    upliftDevelopment: dev(0) + dev(1),
    upliftTotal: prox(0) + prox(1) + dev(0) + dev(1),
    upliftPublic: prox(1) + dev(1),
    pvCaptured,
    pvCost,
    npv: npv(params.discountRate, net),
    irr: irr(net),
    paybackYear: paybackYear(net),
    shareFinanced: pvCost > 0 ? (pvCaptured - pvInstrumentCost) / pvCost : null,
  };
  return { params, years: Array.from({ length: H }, (_, t) => t), instruments: cap.instruments, costs, captured, net, summary, pools: cap.pools };
}
