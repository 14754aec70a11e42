/**
 * Capture instruments: each turns the part of the uplift it can legally reach into a yearly
 * nominal cash flow. Instruments draw on shared pools of uplift (present values): a pool is never
 * overdrawn, so everything captured together never exceeds the uplift it comes from.
 */
import { absorptionShares, cumulative } from './absorption.js';
import { annuityPayment, discountFactors } from './finance.js';
import type { LvcParams } from './params.js';
import type { DistanceIndex } from './uplift.js';

export const INSTRUMENT_IDS = ['landReadjustment', 'bettermentLevy', 'developmentRights', 'impactFees', 'taxIncrement', 'jointDevelopment'] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];

export const INSTRUMENT_NAMES: Record<InstrumentId, string> = {
  landReadjustment: 'Land readjustment (reserve land sales)',
  bettermentLevy: 'Betterment levy / special assessment',
  developmentRights: 'Sale of development rights (premium FSI)',
  impactFees: 'Impact fees',
  taxIncrement: 'Tax increment financing',
  jointDevelopment: 'Joint development on railway land',
};

type Pool = 'proximityPrivate' | 'developmentPrivate' | 'upliftPublic';

export interface InstrumentFlow {
  id: InstrumentId;
  name: string;
  enabled: boolean;
  /** Nominal revenue per year (≥ 0). */
  revenue: number[];
  /** Nominal costs the instrument itself carries (e.g. land readjustment's public facilities), per year. */
  cost: number[];
  pvRevenue: number;
  /** True when the pools it draws on could not pay its full formula amount (scaled down). */
  capped: boolean;
  /** Why, in plain words, when capped or when something else limits it. */
  note: string | null;
}

export interface Context {
  p: LvcParams;
  index: DistanceIndex;
  /** Multipliers used by sensitivity runs (1 = as given). */
  premiumScale: number;
  premiumStretch: number;
}

export interface Capture {
  instruments: InstrumentFlow[];
  pools: Record<Pool, number>;
  poolsLeft: Record<Pool, number>;
  /** Nominal growth factor and discount factor per year. */
  growth: Float64Array;
  df: Float64Array;
}

export function runInstruments(ctx: Context): Capture {
  const { p, index } = ctx;
  const H = p.horizonYears;
  const gNom = (1 + p.inflation) * (1 + p.priceGrowth) - 1;
  const growth = new Float64Array(H);
  for (let t = 0; t < H; t++) growth[t] = Math.pow(1 + gNom, t);
  const df = discountFactors(p.discountRate, H);
  const shares = absorptionShares(p.absorption, H);
  const cum = cumulative(shares);
  const open = Math.min(p.stationOpeningYear, H - 1);
  const curve = p.premiumCurve;
  const prox = (pub: 0 | 1, r = Infinity) => ctx.premiumScale * index.premiumValue(pub, curve, ctx.premiumStretch, r);

  // Uplift pools in present value: proximity uplift is capitalised when the station opens,
  // development uplift as the added floor area is absorbed.
  const devPv = (pub: 0 | 1) => { let s = 0; const d = index.within(pub, 'dev'); for (let t = 0; t < H; t++) s += d * shares[t] * growth[t] * df[t]; return s; };
  const pools: Record<Pool, number> = {
    proximityPrivate: prox(0) * growth[open] * df[open],
    developmentPrivate: devPv(0),
    upliftPublic: prox(1) * growth[open] * df[open] + devPv(1),
  };
  const left = { ...pools };
  const zeros = () => new Array<number>(H).fill(0);
  const pv = (a: number[]) => a.reduce((s, v, t) => s + v * df[t], 0);

  const draw = (id: InstrumentId, enabled: boolean, revenue: number[], cost: number[], from: Pool[], note: string | null = null): InstrumentFlow => {
    let capped = false;
    let pvr = pv(revenue);
    const avail = from.reduce((s, k) => s + left[k], 0);
    if (pvr > avail + 1e-9 * Math.max(1, pvr)) {
      const f = avail > 0 ? avail / pvr : 0;
      for (let t = 0; t < H; t++) revenue[t] *= f;
      capped = true;
      note = `${note ? note + '; ' : ''}limited to the uplift left in its pool(s) (${from.join(', ')}): ${(100 * f).toFixed(1)} % of its formula amount`;
      pvr = avail;
    }
    // Take from the pools in proportion to what they hold.
    if (pvr > 0 && avail > 0) for (const k of from) left[k] -= (pvr * left[k]) / avail;
    return { id, name: INSTRUMENT_NAMES[id], enabled, revenue, cost, pvRevenue: pvr, capped, note };
  };

  const I = p.instruments;
  const out: InstrumentFlow[] = [];
  for (const id of INSTRUMENT_IDS) {
    const rev = zeros(), cost = zeros();
    let note: string | null = null;
    let from: Pool[] = ['proximityPrivate'];
    const enabled = I[id].enabled;
    if (enabled) switch (id) {
      case 'landReadjustment': {
        const lr = I.landReadjustment;
        const y = Math.min(lr.saleYear, H - 1);
        const zoneValuePost = index.within(0, 'value', lr.zoneRadiusM) + prox(0, lr.zoneRadiusM);
        rev[y] = lr.contributionRatio * lr.reserveShare * zoneValuePost * growth[y];
        const area = index.within(0, 'area', lr.zoneRadiusM);
        const span = Math.max(1, y);
        for (let t = 0; t < span; t++) cost[t] = (lr.facilityCostPerM2 * area / span) * Math.pow(1 + p.inflation, t);
        const zoneProx = prox(0, lr.zoneRadiusM), zoneBase = index.within(0, 'value', lr.zoneRadiusM);
        if (zoneBase > 0 && lr.contributionRatio > zoneProx / (zoneBase + zoneProx)) {
          note = `contribution ratio ${(lr.contributionRatio * 100).toFixed(0)} % exceeds the ${(100 * zoneProx / (zoneBase + zoneProx)).toFixed(1)} % that keeps landowners whole at this premium`;
        }
        break;
      }
      case 'bettermentLevy': {
        const b = I.bettermentLevy;
        const base = b.share * b.collectionRate * prox(0, b.zoneRadiusM);
        for (let k = 0; k < b.instalments; k++) {
          const t = b.startYear + k;
          if (t < H) rev[t] = (base / b.instalments) * growth[Math.min(b.startYear, H - 1)];
        }
        break;
      }
      case 'developmentRights': {
        const d = I.developmentRights;
        const bonus = index.within(0, 'bonus') + index.within(1, 'bonus');
        for (let t = 0; t < H; t++) rev[t] = d.pricePerM2 * bonus * d.takeUp * shares[t] * growth[t];
        from = ['developmentPrivate', 'upliftPublic'];
        break;
      }
      case 'impactFees': {
        const f = I.impactFees;
        const gfa = index.within(0, 'gfa') + index.within(1, 'gfa');
        for (let t = 0; t < H; t++) rev[t] = f.feePerM2 * gfa * f.collectionRate * shares[t] * growth[t];
        from = ['developmentPrivate', 'upliftPublic'];
        break;
      }
      case 'taxIncrement': {
        const x = I.taxIncrement;
        const proxPriv = prox(0), devPriv = index.within(0, 'dev');
        for (let t = x.startYear; t < Math.min(H, x.startYear + x.years); t++) {
          const increment = ((t >= open ? proxPriv : 0) + devPriv * cum[t]) * growth[t];
          rev[t] = x.taxRate * x.assessmentRatio * x.collectionRate * increment;
        }
        from = ['proximityPrivate', 'developmentPrivate'];
        break;
      }
      case 'jointDevelopment': {
        const j = I.jointDevelopment;
        const y0 = Math.min(j.startYear, H - 1);
        const captured = j.railwayShare * (prox(1) + index.within(1, 'dev')) * growth[y0];
        if (j.mode === 'sale') rev[y0] = captured;
        else {
          const rent = annuityPayment(captured, j.leaseYield, j.leaseYears);
          for (let t = y0; t < Math.min(H, y0 + j.leaseYears); t++) rev[t] = rent;
          if (y0 + j.leaseYears > H) note = `lease runs ${y0 + j.leaseYears - H} years past the ${H}-year horizon; those rents are not counted`;
        }
        from = ['upliftPublic'];
        break;
      }
    }
    out.push(draw(id, enabled, rev, cost, from, note));
  }
  return { instruments: out, pools, poolsLeft: left, growth, df };
}
