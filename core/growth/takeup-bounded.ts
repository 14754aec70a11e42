/**
 * The take-up's re-runs over the parcels a market draw can change (the sensitivity's Monte Carlo at
 * metropolitan scale). The sensitivity moves sale values, construction costs and the premium curve
 * within stated ranges (a MarketBox); every draw re-ran the redevelopment test over every tested
 * parcel and ranked every parcel that passed, although the allocation builds only the best-ranked
 * few before demand or the absorption ceiling stops it.
 *
 * Once per box: each tested parcel's margin at the most favourable corner of the box (highest sale
 * values, lowest costs, the highest premium its distance can get) bounds its margin in every draw
 * (the margin is monotone in each of these and float rounding is monotone too, so the bound holds
 * bit for bit); a parcel that fails even there can never pass, and the rest are ordered by that
 * bound. Per draw: the exact margins (the full re-run's own expression) of the first L parcels in
 * that order; every parcel not computed has a margin ≤ τ, the bound of the first one not computed,
 * so the computed ones whose float32 rank key is above τ's are exactly the first ranks of the full
 * ranking. The allocation runs on those (and on the public-land programme's parcels, which it
 * builds whatever their margin); if its walk ran out of them while an area still wanted growth
 * (`ranOut`), L doubles and the draw runs again, else the parcels not passed could not have changed
 * anything: the shares are those of the full re-run, bit for bit.
 * Each draw's market is checked against the box first (group structure, land prices and every other
 * market constant unchanged; sale values, costs and curve points inside the corner values); one that
 * is not inside gets null and the caller re-runs over every parcel.
 */
import { allocateCandidates, type AllocCandidates, type AllocControls } from './allocate.js';
import { marketConstants, premiumAt, type MarketConstants } from './market.js';
import { groupMarkets } from './station-prices.js';
import type { GrowthSettings } from './settings.js';

type Market = GrowthSettings['market'];

/** Ranges of the market's uncertain figures as multipliers of the base market (the sensitivity's sampled ranges). */
export interface MarketBox {
  /** Every sale value × [lo, hi]. */
  sale: [number, number];
  /** Every construction cost × [lo, hi]. */
  cost: [number, number];
  /** Every premium of the curve × [lo, hi] (capped at 10 as the sensitivity caps it). */
  premium: [number, number];
  /** Every distance of the curve × [lo, hi]. */
  reach: [number, number];
}

export interface BoundedColumns {
  n: number;
  periods: number;
  /** Every candidate of the take-up (its margin column is not read) and the controls of the allocation. */
  cand: AllocCandidates;
  controls: AllocControls;
  /** The tested entries (candidates the redevelopment test applies to): entry, parcel, walk distance, capacity by use. */
  tested: Uint32Array;
  tId: Uint32Array;
  tDist: Float64Array;
  tRes: Float64Array;
  tCom: Float64Array;
  tOff: Float64Array;
  /** Price group per parcel for a market (the same array for markets with the same station bands), null = one group. */
  groupOf: (market: Market) => Int32Array | null;
  /** Margin of tested entry t: the full re-run's own expression. */
  marginAt: (t: number, k: MarketConstants, landFill: number, premium1: number) => number;
}

export interface BoundedRerun {
  /** The allocation for this market into `into` (all 0 where the caller needs it), or null when the market is not inside the box. */
  run: (market: Market, into: Float32Array) => ReturnType<typeof allocateCandidates> | null;
  /** Tested parcels that can pass in some draw, and the most computed in one draw so far (reporting, tests). */
  stats: () => { tested: number; canPass: number; computed: number };
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
/** Rank-key ranges per area: a positive float32's top bits (exponent and two mantissa bits), ordered as the keys. */
const SHIFT = 21, BUCKETS = 1024;
const lohi = (r: [number, number]): [number, number] => [Math.min(r[0], r[1]), Math.max(r[0], r[1])];
/** Constants compared for equality (everything but sale values and costs, including fields added later). */
const fixedKeys = (k: MarketConstants) => Object.keys(k).filter((x) => x !== 'sv' && x !== 'cc' && x !== 'costByClass').sort();

export function boundedRerun(c: BoundedColumns, base: Market, boxIn: MarketBox): BoundedRerun | null {
  const sale = lohi(boxIn.sale), cost = lohi(boxIn.cost), prem = lohi(boxIn.premium), reach = lohi(boxIn.reach);
  if (!(sale[0] > 0 && cost[0] >= 0 && prem[0] >= 0 && reach[0] > 0) || ![...sale, ...cost, ...prem, ...reach].every(Number.isFinite)) return null;
  const group0 = c.groupOf(base);
  const g0 = groupMarkets(base);
  const k0 = g0.markets.map(marketConstants), land0 = g0.land;
  // Monotone only with non-negative prices and factors: otherwise every draw goes the full way.
  const nonNeg = (a: number[]) => a.every((v) => v >= 0);
  if (!k0.every((k) => nonNeg(k.sv) && nonNeg(k.cc) && nonNeg(k.costByClass) && k.keep >= 0 && k.hurdle >= 0 && k.bshare >= 0)) return null;
  const fixed = k0.map((k) => JSON.stringify(fixedKeys(k).map((x) => [x, (k as unknown as Record<string, unknown>)[x]])));
  // The most favourable corner per price group: highest sale values, lowest costs.
  const kHi = k0.map((k) => ({ ...k, sv: k.sv.map((v) => v * sale[1]) as [number, number, number], cc: k.cc.map((v) => v * cost[0]) as [number, number, number], costByClass: k.costByClass.map((v) => v * cost[0]) }));
  const kLo = k0.map((k) => ({ sv: k.sv.map((v) => v * sale[0]), cc: k.cc.map((v) => v * cost[1]), costByClass: k.costByClass.map((v) => v * cost[1]) }));
  // Each curve point moves within a box: its distance × reach, its premium × premium (capped at 10).
  const curve0 = base.premiumCurve;
  const K = curve0.length;
  const dLo = curve0.map(([d]) => Math.min(d * reach[0], d * reach[1])), dHi = curve0.map(([d]) => Math.max(d * reach[0], d * reach[1]));
  const xLo = curve0.map(([, x]) => Math.min(Math.min(10, x * prem[0]), Math.min(10, x * prem[1])));
  const xHi = curve0.map(([, x]) => Math.max(Math.min(10, x * prem[0]), Math.min(10, x * prem[1])));
  /** Highest 1 + premium any curve inside the box gives at distance d (premiumAt's cases, each a point or a convex mix of two). */
  const p1High = (d: number): number => {
    if (!(d >= 0) || d === Infinity) return 1;
    let hi = -Infinity;
    if (d <= dHi[0]) hi = xHi[0];
    for (let k = 1; k < K; k++) if (d > dLo[k - 1] && d <= dHi[k]) hi = Math.max(hi, xHi[k - 1], xHi[k]);
    if (d > dLo[K - 1]) hi = Math.max(hi, 0);
    // A mix of two points rounds to within an ulp or two of the larger: widened far beyond that.
    return 1 + hi + 1e-9 * (1 + Math.abs(hi));
  };

  const { cand, tested, tId, tDist, tRes, tCom, tOff } = c;
  const T = tested.length;
  const zone = cand.zone;
  // Tested entries that can pass somewhere in the box, by their bound, best first; the programme's
  // entries apart (always allocated).
  const hiOf = new Float64Array(T);
  const keep: number[] = [];
  const progT: number[] = [];
  const tOfEntry = new Int32Array(cand.m).fill(-1);
  for (let t = 0; t < T; t++) {
    const j = tested[t];
    tOfEntry[j] = t;
    if (zone !== null && zone[j] >= 0) continue;
    // Outside every market area the walk never builds it.
    if (cand.area[j] < 0) continue;
    const gi = group0 ? group0[tId[t]] : 0;
    const signsOk = tRes[t] >= 0 && tCom[t] >= 0 && tOff[t] >= 0;
    const hi = signsOk ? c.marginAt(t, kHi[gi], land0[gi], p1High(tDist[t])) : Infinity;
    if (hi !== hi) continue;
    hiOf[t] = hi;
    keep.push(t);
  }
  const prog: number[] = [];
  if (zone !== null) for (let j = 0; j < cand.m; j++) if (zone[j] >= 0) prog.push(j);
  progT.push(...prog.map((j) => tOfEntry[j]));
  // In entry order (= parcel order): the chosen ones come out ascending, as the allocation takes them.
  const order = Uint32Array.from(keep);
  const U = order.length;
  const oArea = Int32Array.from(order, (t) => cand.area[tested[t]]);
  // Per draw: margins, a histogram of their float32 rank keys, the chosen entries, and the compact candidates handed to the allocation.
  const oMargin = new Float64Array(U);
  const oBucket = new Uint16Array(U);
  const A = c.controls.nAreas;
  const hist = new Uint32Array(A * BUCKETS), cut = new Uint32Array(A), passing = new Uint32Array(A);
  const marginOfEntry = new Float64Array(cand.m);
  const cap = U + prog.length;
  const sub: AllocCandidates = {
    m: 0, id: new Uint32Array(cap), area: new Int32Array(cap), dRes: new Float64Array(cap), dJobs: new Float64Array(cap),
    dResM2: new Float64Array(cap), dNonResM2: new Float64Array(cap), margin: new Float64Array(cap), zone: zone ? new Int32Array(cap) : null,
  };
  // Per area, how many of its best entries to try first: a few times what the last draw built there
  // (draws build similar numbers), grown within a draw that needed more.
  const want = new Float64Array(A), builtLast = new Float64Array(A).fill(64);
  const areaOf = new Int32Array(c.n).fill(-1);
  for (let j = 0; j < cand.m; j++) areaOf[cand.id[j]] = cand.area[j];
  const areaOfParcel = (i: number) => areaOf[i];
  let most = 0;

  /** This market's per-group constants and land prices when it lies inside the box, else null. */
  const inside = (market: Market): { ks: MarketConstants[]; land: Float64Array; group: Int32Array | null } | null => {
    const group = c.groupOf(market);
    if (group !== group0) return null;
    const gm = groupMarkets(market);
    if (gm.markets.length !== k0.length) return null;
    for (let g = 0; g < k0.length; g++) if (!Object.is(gm.land[g], land0[g])) return null;
    const ks = gm.markets.map(marketConstants);
    for (let g = 0; g < ks.length; g++) {
      const k = ks[g], hi = kHi[g], lo = kLo[g];
      for (let u = 0; u < 3; u++) if (!(k.sv[u] >= lo.sv[u] && k.sv[u] <= hi.sv[u] && k.cc[u] >= hi.cc[u] && k.cc[u] <= lo.cc[u])) return null;
      if (k.costByClass.length !== hi.costByClass.length) return null;
      for (let q = 0; q < k.costByClass.length; q++) if (!(k.costByClass[q] >= hi.costByClass[q] && k.costByClass[q] <= lo.costByClass[q])) return null;
      if (JSON.stringify(fixedKeys(k).map((x) => [x, (k as unknown as Record<string, unknown>)[x]])) !== fixed[g]) return null;
    }
    const curve = market.premiumCurve;
    if (curve.length !== K) return null;
    for (let q = 0; q < K; q++) {
      const [d, x] = curve[q];
      if (!(d >= dLo[q] && d <= dHi[q] && x >= xLo[q] && x <= xHi[q])) return null;
    }
    return { ks, land: gm.land, group };
  };

  /** The lowest key range of area ar that, with the ones above it, holds at least want[ar] of its entries (0 = all). */
  const cutFor = (ar: number): number => {
    const h = ar * BUCKETS;
    let b = BUCKETS, count = 0;
    while (b > 0 && count < want[ar]) count += hist[h + --b];
    return count >= passing[ar] ? 0 : b;
  };
  /** Every passing entry of area ar is given at its cut. */
  const allIn = (ar: number): boolean => {
    let count = 0;
    for (let b = cut[ar]; b < BUCKETS; b++) count += hist[ar * BUCKETS + b];
    return count >= passing[ar];
  };
  /** Entry j as compact candidate k (returns 1). */
  const gather = (j: number, k: number): number => {
    sub.id[k] = cand.id[j]; sub.area[k] = cand.area[j]; sub.dRes[k] = cand.dRes[j]; sub.dJobs[k] = cand.dJobs[j];
    sub.dResM2[k] = cand.dResM2[j]; sub.dNonResM2[k] = cand.dNonResM2[j]; sub.margin[k] = marginOfEntry[j];
    if (sub.zone) sub.zone[k] = zone![j];
    return 1;
  };
  return {
    stats: () => ({ tested: T, canPass: U, computed: most }),
    run: (market, into) => {
      const m = inside(market);
      if (!m) return null;
      const { ks, land, group } = m;
      const curve = market.premiumCurve;
      const margin = (t: number) => {
        const gi = group ? group[tId[t]] : 0;
        return c.marginAt(t, ks[gi], land[gi], 1 + premiumAt(curve, tDist[t]));
      };
      for (const t of progT) if (t >= 0) marginOfEntry[tested[t]] = margin(t);
      for (const j of prog) if (tOfEntry[j] < 0) marginOfEntry[j] = NaN;
      // Exact margins of every entry that can pass, and per area how many fall in each range of rank keys.
      hist.fill(0); passing.fill(0);
      for (let q = 0; q < U; q++) {
        const v = margin(order[q]);
        oMargin[q] = v;
        if (v === v) { f32[0] = v; const b = u32[0] >>> SHIFT, ar = oArea[q]; oBucket[q] = b; hist[ar * BUCKETS + b]++; passing[ar]++; }
      }
      for (let ar = 0; ar < A; ar++) { want[ar] = 4 * builtLast[ar] + 64; cut[ar] = cutFor(ar); }
      for (;;) {
        // The chosen entries (per area, its highest key ranges) and the programme's, merged in entry (= parcel) order.
        let s = 0, b = 0, nMarket = 0;
        for (let q = 0; q < U; q++) {
          const v = oMargin[q];
          if (v === v && oBucket[q] >= cut[oArea[q]]) {
            const j = tested[order[q]];
            while (b < prog.length && prog[b] < j) s += gather(prog[b++], s);
            marginOfEntry[j] = v;
            s += gather(j, s);
            nMarket++;
          }
        }
        while (b < prog.length) s += gather(prog[b++], s);
        const view: AllocCandidates = {
          m: s, id: sub.id.subarray(0, s), area: sub.area.subarray(0, s), dRes: sub.dRes.subarray(0, s), dJobs: sub.dJobs.subarray(0, s),
          dResM2: sub.dResM2.subarray(0, s), dNonResM2: sub.dNonResM2.subarray(0, s), margin: sub.margin.subarray(0, s), zone: sub.zone ? sub.zone.subarray(0, s) : null,
        };
        const out = allocateCandidates(view, c.controls, into, { clear: false });
        // An area that still wanted growth after a period used every candidate given: give it more of its own, unless it had them all.
        let again = false;
        if (out.ranOut) for (let ar = 0; ar < A; ar++) if (out.wanting[ar] && cut[ar] > 0 && !allIn(ar)) { want[ar] = want[ar] * 4; cut[ar] = Math.min(cutFor(ar), cut[ar] - 1); again = true; }
        if (!again) {
          if (nMarket > most) most = nMarket;
          builtLast.fill(0);
          for (let k = 0; k < out.touched.length; k++) { const ar = areaOfParcel(out.touched[k]); if (ar >= 0) builtLast[ar]++; } return out; }
        // Clear what this attempt wrote and run again.
        const P = c.periods, n = c.n, tt = out.touched;
        for (let p = 0; p < P; p++) { const o = p * n; for (let k = 0; k < tt.length; k++) into[o + tt[k]] = 0; }
      }
    },
  };
}
