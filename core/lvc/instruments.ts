/**
 * Capture instruments: each turns the part of the uplift it can legally reach into a yearly
 * nominal cash flow. Instruments draw on shared pools of uplift (present values): a pool is never
 * overdrawn, so everything captured together never exceeds the uplift it comes from.
 */
import { absorptionShares } from './absorption.js';
import { annuityPayment, discountFactors } from './finance.js';
import type { LvcParams } from './params.js';
import { groupPremiumFsiPrices } from './price-groups.js';
import type { DevAggregates, DevValues } from './run.js';
import type { DistanceIndex, LandClass } from './uplift.js';

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

type Pool = 'proximityPrivate' | 'developmentPrivate' | 'upliftPublic' | 'upliftRailway';

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
  dev: DevValues;
  schedule: DevAggregates['schedule'];
  /** Bonus floor area per price group (for premium FSI prices per station); absent = one price everywhere. */
  bonusByGroup?: Float64Array;
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
  const { p, index, dev, schedule: sc } = ctx;
  const H = p.horizonYears;
  const gNom = (1 + p.inflation) * (1 + p.priceGrowth) - 1;
  const growth = new Float64Array(H);
  for (let t = 0; t < H; t++) growth[t] = Math.pow(1 + gNom, t);
  const df = discountFactors(p.discountRate, H);
  const shares = absorptionShares(p.absorption, H);
  const open = Math.min(p.stationOpeningYear, H - 1);
  const curve = p.premiumCurve;
  const prox = (c: LandClass, r = Infinity) => index.premiumValue(c, curve, 1, r);
  const proxYear = (c: LandClass, t: number, r = Infinity) => sc!.yearIndex[t].premiumValue(c, curve, 1, r);

  // Development uplift per year at base-year prices: from the schedule when one is given, else the
  // whole station area's development spread by the absorption curve.
  const devByClass = ([0, 1, 2] as LandClass[]).map((c) => dev.year ? dev.year(c) : Float64Array.from(shares, (s) => s * dev.total(c)));
  const sumYears = (f: (c: LandClass) => Float64Array | number[]) => {
    const out = new Float64Array(H);
    for (const c of [0, 1, 2] as LandClass[]) { const a = f(c); for (let t = 0; t < H; t++) out[t] += a[t]; }
    return out;
  };
  const bonusYear = sc ? sumYears((c) => sc.bonusYear[c]) : Float64Array.from(shares, (s) => s * (index.total(0, 'bonus') + index.total(1, 'bonus') + index.total(2, 'bonus')));
  const gfaYear = sc ? sumYears((c) => sc.allGfaYear[c]) : Float64Array.from(shares, (s) => s * (index.total(0, 'gfa') + index.total(1, 'gfa') + index.total(2, 'gfa')));

  // Uplift pools in present value: proximity uplift is capitalised when the station opens,
  // development uplift as the added floor area is built.
  const devPv = (c: LandClass) => { let s = 0; const d = devByClass[c]; for (let t = 0; t < H; t++) s += d[t] * growth[t] * df[t]; return s; };
  const atOpen = growth[open] * df[open];
  const pools: Record<Pool, number> = {
    proximityPrivate: prox(0) * atOpen,
    developmentPrivate: devPv(0),
    upliftPublic: prox(1) * atOpen + devPv(1),
    upliftRailway: prox(2) * atOpen + devPv(2),
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
        const r = lr.zoneRadiusM;
        let first = Math.min(lr.saleYear, H - 1);
        if (sc) {
          // Reserve land is sold as the zone is developed, in proportion to the post-station value built each year.
          first = -1;
          for (let t = 0; t < H; t++) {
            const v = sc.yearIndex[t].within(0, 'value', r) + proxYear(0, t, r);
            rev[t] = lr.contributionRatio * lr.reserveShare * v * growth[t];
            if (first < 0 && rev[t] > 0) first = t;
          }
          if (first < 0) first = 0;
        } else {
          const zoneValuePost = index.within(0, 'value', r) + prox(0, r);
          rev[first] = lr.contributionRatio * lr.reserveShare * zoneValuePost * growth[first];
        }
        if (sc) {
          // Phased readjustment: each phase's public facilities are built with the land it readjusts, so a
          // zone where nothing is developed within the horizon carries no facility cost either.
          for (let t = 0; t < H; t++) cost[t] = lr.facilityCostPerM2 * sc.yearIndex[t].within(0, 'area', r) * Math.pow(1 + p.inflation, t);
        } else {
          const area = index.within(0, 'area', r);
          const span = Math.max(1, first);
          for (let t = 0; t < span; t++) cost[t] = (lr.facilityCostPerM2 * area / span) * Math.pow(1 + p.inflation, t);
        }
        const zoneProx = prox(0, r), zoneBase = index.within(0, 'value', r);
        if (zoneBase > 0 && lr.contributionRatio > zoneProx / (zoneBase + zoneProx)) {
          note = `contribution ratio ${(lr.contributionRatio * 100).toFixed(0)} % exceeds the ${(100 * zoneProx / (zoneBase + zoneProx)).toFixed(1)} % that keeps landowners whole at this premium`;
        }
        break;
      }
      case 'bettermentLevy': {
        const b = I.bettermentLevy;
        if (sc) {
          // Levied on realised uplift: due in the year each parcel in the zone is developed.
          for (let t = 0; t < H; t++) rev[t] = b.share * b.collectionRate * proxYear(0, t, b.zoneRadiusM) * growth[t];
        } else {
          const base = b.share * b.collectionRate * prox(0, b.zoneRadiusM);
          for (let k = 0; k < b.instalments; k++) {
            const t = b.startYear + k;
            if (t < H) rev[t] = (base / b.instalments) * growth[Math.min(b.startYear, H - 1)];
          }
        }
        break;
      }
      case 'developmentRights': {
        const d = I.developmentRights;
        // Premium FSI priced per station (a share of its land rate): each price group's bonus floor area at its price.
        const bg = ctx.bonusByGroup, bgy = sc?.bonusGroupYear;
        const prices = bg ? groupPremiumFsiPrices(p, bg.length) : [];
        if (bg && prices.some((x) => x !== d.pricePerM2) && (!sc || bgy)) {
          const G = bg.length;
          for (let t = 0; t < H; t++) {
            let charged = 0;
            if (sc) { for (let g = 0; g < G; g++) charged += prices[g] * bgy![g * H + t]; } else { for (let g = 0; g < G; g++) charged += prices[g] * bg[g]; charged *= shares[t]; }
            rev[t] = charged * d.takeUp * growth[t];
          }
        } else for (let t = 0; t < H; t++) rev[t] = d.pricePerM2 * bonusYear[t] * d.takeUp * growth[t];
        from = ['developmentPrivate', 'upliftPublic', 'upliftRailway'];
        break;
      }
      case 'impactFees': {
        const f = I.impactFees;
        for (let t = 0; t < H; t++) rev[t] = f.feePerM2 * gfaYear[t] * f.collectionRate * growth[t];
        from = ['developmentPrivate', 'upliftPublic', 'upliftRailway'];
        break;
      }
      case 'taxIncrement': {
        const x = I.taxIncrement;
        const proxPriv = prox(0);
        let devCum = 0;
        for (let t = 0; t < H; t++) {
          devCum += devByClass[0][t];
          if (t < x.startYear || t >= x.startYear + x.years) continue;
          const increment = ((t >= open ? proxPriv : 0) + devCum) * growth[t];
          rev[t] = x.taxRate * x.assessmentRatio * x.collectionRate * increment;
        }
        from = ['proximityPrivate', 'developmentPrivate'];
        break;
      }
      case 'jointDevelopment': {
        const j = I.jointDevelopment;
        // Only railway-owned developable land is pooled (schools, parks, track and other public land are not).
        const book = (y0: number, captured: number) => {
          if (captured <= 0) return;
          if (j.mode === 'sale') { rev[y0] += captured; return; }
          const rent = annuityPayment(captured, j.leaseYield, j.leaseYears);
          for (let t = y0; t < Math.min(H, y0 + j.leaseYears); t++) rev[t] += rent;
          if (y0 + j.leaseYears > H) note = `leases run up to ${y0 + j.leaseYears - H} years past the ${H}-year horizon; those rents are not counted`;
        };
        if (sc) for (let t = 0; t < H; t++) book(t, j.railwayShare * (proxYear(2, t) + devByClass[2][t]) * growth[t]);
        else {
          const y0 = Math.min(j.startYear, H - 1);
          book(y0, j.railwayShare * (prox(2) + dev.total(2)) * growth[y0]);
        }
        from = ['upliftRailway'];
        break;
      }
    }
    out.push(draw(id, enabled, rev, cost, from, note));
  }
  return { instruments: out, pools, poolsLeft: left, growth, df };
}
