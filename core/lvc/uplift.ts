/**
 * Land value uplift per parcel, in two parts kept apart so neither is counted twice:
 * - proximity uplift = current land value × land area × premium(walking distance): the station's
 *   effect on the value of what may already be built;
 * - development uplift = added floor area × residual value per m² (sale value − construction cost
 *   − developer margin, at prices WITHOUT the station, never below zero): what the scenario's extra
 *   floor area is worth as land. Because its prices exclude the station, the premium is never
 *   applied to the added floor area a second time.
 * A prefix-sum index over parcels sorted by distance then answers "sum of X within r metres" and
 * "sum of premium(d) × value" for any curve in O(points × log n). Development uplift is kept as
 * floor area per (land class, price group, use[, year]) so that a change of sale value or
 * construction cost is a sum over a few dozen aggregates, not a pass over the parcels: Monte Carlo
 * draws and tornado bars go through exactly the same arithmetic as a full run.
 */
import { EkimaeError } from '../errors.js';
import { checkCurve, premiumAt, type PremiumCurve } from './premium-curve.js';

export interface LvcParcels {
  fid: Float64Array;
  areaM2: Float64Array;
  /** Current land value per m² of land (project currency); NaN = missing (filled from the station/band land price if one is given, else 0). */
  landValue: Float64Array;
  /** Walking distance to the nearest station entrance (Infinity when unreachable). */
  distM: Float64Array;
  isPublic: Uint8Array;
  /** 1 = owned by the railway AND of a developable land use (what joint development can pool). Optional: none when absent. */
  railwayDevelopable?: Uint8Array;
  /** Index of the nearest station into stationNames (−1 = none). Optional. */
  station?: Int32Array;
  stationNames?: string[];
  /** Floor area the scenario adds, by use (m²), ≥ 0. */
  addedGfa: Record<string, Float64Array>;
  /** Floor area above the base entitlement (what premium FSI / development rights sell), ≥ 0. */
  bonusGfa: Float64Array;
}

/** Land classes: private land, other public land, railway-owned developable land (joint development). */
export type LandClass = 0 | 1 | 2;
export const LAND_CLASSES: readonly LandClass[] = [0, 1, 2];

export function landClass(p: LvcParcels, i: number): LandClass {
  return p.railwayDevelopable?.[i] ? 2 : p.isPublic[i] ? 1 : 0;
}

export function checkParcels(p: LvcParcels): void {
  const n = p.fid.length;
  const cols: Array<[string, ArrayLike<number>]> = [['areaM2', p.areaM2], ['landValue', p.landValue], ['distM', p.distM], ['isPublic', p.isPublic], ['bonusGfa', p.bonusGfa],
    ...Object.entries(p.addedGfa).map(([u, a]) => [`addedGfa.${u}`, a] as [string, Float64Array])];
  if (p.station) cols.push(['station', p.station]);
  if (p.railwayDevelopable) cols.push(['railwayDevelopable', p.railwayDevelopable]);
  for (const [name, a] of cols) if (a.length !== n) throw new EkimaeError('E_INPUT_INVALID', `LVC input column ${name} has ${a.length} values for ${n} parcels`);
  for (let i = 0; i < n; i++) {
    if (!(p.landValue[i] >= 0)) throw new EkimaeError('E_INPUT_INVALID', `parcel ${p.fid[i]}: land value ${p.landValue[i]} is negative or missing; fix the parcel's land value`, { fid: p.fid[i] });
    if (!(p.areaM2[i] >= 0) || !Number.isFinite(p.areaM2[i])) throw new EkimaeError('E_INPUT_INVALID', `parcel ${p.fid[i]}: area ${p.areaM2[i]} is invalid`, { fid: p.fid[i] });
    if (!(p.distM[i] >= 0)) throw new EkimaeError('E_INPUT_INVALID', `parcel ${p.fid[i]}: walking distance ${p.distM[i]} is invalid`, { fid: p.fid[i] });
    if (!(p.bonusGfa[i] >= 0)) throw new EkimaeError('E_INPUT_INVALID', `parcel ${p.fid[i]}: bonus floor area ${p.bonusGfa[i]} is negative`, { fid: p.fid[i] });
  }
  for (const [u, a] of Object.entries(p.addedGfa)) for (let i = 0; i < n; i++) {
    if (!(a[i] >= 0)) throw new EkimaeError('E_INPUT_INVALID', `parcel ${p.fid[i]}: added ${u} floor area ${a[i]} is negative or missing`, { fid: p.fid[i] });
  }
}

/** Residual land value per m² of added floor area, by use (≥ 0; uses without a sale value are worth 0). */
export function residualPerM2(sale: Record<string, number>, cost: Record<string, number>, margin: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [use, v] of Object.entries(sale)) out[use] = Math.max(0, v * (1 - margin) - (cost[use] ?? 0));
  return out;
}

export interface ParcelUplift {
  proximity: Float64Array;
  development: Float64Array;
  total: Float64Array;
}

/** Per-parcel uplift (for the map and the stored run); `residualOf(i)` gives parcel i's residual per use. */
export function parcelUplift(p: LvcParcels, curve: PremiumCurve, residual: Record<string, number> | ((i: number) => Record<string, number>)): ParcelUplift {
  checkCurve(curve);
  const n = p.fid.length;
  const proximity = new Float64Array(n), development = new Float64Array(n), total = new Float64Array(n);
  const res = typeof residual === 'function' ? residual : () => residual;
  const uses = Object.entries(p.addedGfa);
  for (let i = 0; i < n; i++) {
    proximity[i] = p.landValue[i] * p.areaM2[i] * premiumAt(curve, p.distM[i]);
    const r = res(i);
    let d = 0;
    for (const [u, a] of uses) d += a[i] * (r[u] ?? 0);
    development[i] = d;
    total[i] = proximity[i] + d;
  }
  return { proximity, development, total };
}

type Col = 'value' | 'vd' | 'area' | 'gfa' | 'bonus' | 'dev';

const INDEX_BITS = 22;
const f64 = new Float64Array(1), u32 = new Uint32Array(f64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1; // low word of a double (little-endian: 0)

/**
 * Sort parcel indices by distance (finite, ≥ 0). A comparator sort of 200k indices costs ~0.5 s;
 * instead each distance's low 22 mantissa bits carry its position, the doubles are sorted natively
 * (for non-negative doubles numeric order is bit order), and an insertion pass on the true
 * distances fixes the rare pairs closer than 2⁻³⁰ relative that the packing may have swapped.
 */
function sortByDistance(idx: number[], dist: Float64Array): void {
  const m = idx.length;
  if (m >= 1 << INDEX_BITS) { idx.sort((a, b) => dist[a] - dist[b]); return; }
  const keys = new Float64Array(m);
  const mask = (1 << INDEX_BITS) - 1;
  for (let k = 0; k < m; k++) {
    f64[0] = dist[idx[k]];
    u32[LO] = ((u32[LO] & ~mask) | k) >>> 0;
    keys[k] = f64[0];
  }
  keys.sort();
  const orig = idx.slice();
  for (let k = 0; k < m; k++) { f64[0] = keys[k]; idx[k] = orig[u32[LO] & mask]; }
  for (let k = 1; k < m; k++) {
    const v = idx[k], dv = dist[v];
    let j = k - 1;
    while (j >= 0 && dist[idx[j]] > dv) { idx[j + 1] = idx[j]; j--; }
    idx[j + 1] = v;
  }
}

/** Parcel i with weight w as entry k + 1 of the running sums by distance (entry k holds the sums before it). */
function pushPrefix(c: Record<Col, Float64Array>, k: number, p: LvcParcels, i: number, w: number, gfa: Float64Array, dev: Float64Array): void {
  const v = w * p.landValue[i] * p.areaM2[i];
  c.value[k + 1] = c.value[k] + v;
  c.vd[k + 1] = c.vd[k] + v * p.distM[i];
  c.area[k + 1] = c.area[k] + w * p.areaM2[i];
  c.gfa[k + 1] = c.gfa[k] + w * gfa[i];
  c.bonus[k + 1] = c.bonus[k] + w * p.bonusGfa[i];
  c.dev[k + 1] = c.dev[k] + w * dev[i];
}

/** Parcel i with weight w added to the totals of the parcels no station reaches (no distance, so no vd). */
function addUnreached(un: Record<Col, number>, p: LvcParcels, i: number, w: number, gfa: Float64Array, dev: Float64Array): void {
  un.value += w * p.landValue[i] * p.areaM2[i]; un.area += w * p.areaM2[i]; un.gfa += w * gfa[i]; un.bonus += w * p.bonusGfa[i]; un.dev += w * dev[i];
}

/**
 * Cumulative sums over parcels sorted by distance, separately per land class. `weight` (optional)
 * counts each parcel that many times (a development schedule's share of a parcel in one year).
 * Unreachable parcels are kept apart: `within` never counts them, `total` does.
 */
export class DistanceIndex {
  readonly dist: Float64Array[];
  private cum: Array<Record<Col, Float64Array>>;
  private unreached: Array<Record<Col, number>>;

  /** Unweighted index only: each class's reached parcels in distance order and its unreached ones, and the per-parcel columns (for reweighted). */
  private order: Uint32Array[] | null = null;
  private unreachedOrder: Uint32Array[] | null = null;
  private gfaCol: Float64Array | null = null;
  private devCol: Float64Array | null = null;
  /** Unweighted index only, built on first use: each parcel's class (255 = none) and rank in its class's distance order (-1 = unreached). */
  private classOf: Uint8Array | null = null;
  private rankOf: Int32Array | null = null;

  constructor(p: LvcParcels, residual: Record<string, number> = {}, weight?: (i: number) => number) {
    const n = p.fid.length;
    const gfa = new Float64Array(n), dev = new Float64Array(n);
    for (const [u, a] of Object.entries(p.addedGfa)) {
      const r = residual[u] ?? 0;
      for (let i = 0; i < n; i++) { gfa[i] += a[i]; dev[i] += a[i] * r; }
    }
    const dists: Float64Array[] = [];
    const orders: Uint32Array[] = [], unreachedOrders: Uint32Array[] = [];
    this.unreached = [];
    this.cum = LAND_CLASSES.map((cls) => {
      const idx: number[] = [], unIdx: number[] = [];
      const un = { value: 0, vd: 0, area: 0, gfa: 0, bonus: 0, dev: 0 };
      for (let i = 0; i < n; i++) {
        if (landClass(p, i) !== cls) continue;
        const w = weight ? weight(i) : 1;
        if (w === 0) continue;
        if (Number.isFinite(p.distM[i])) idx.push(i);
        else { unIdx.push(i); addUnreached(un, p, i, w, gfa, dev); }
      }
      this.unreached.push(un);
      sortByDistance(idx, p.distM);
      if (!weight) { orders.push(Uint32Array.from(idx)); unreachedOrders.push(Uint32Array.from(unIdx)); }
      const m = idx.length;
      const mk = () => new Float64Array(m + 1);
      const c = { value: mk(), vd: mk(), area: mk(), gfa: mk(), bonus: mk(), dev: mk() };
      const d = new Float64Array(m);
      idx.forEach((i, k) => {
        const w = weight ? weight(i) : 1;
        d[k] = p.distM[i];
        pushPrefix(c, k, p, i, w, gfa, dev);
      });
      dists.push(d);
      return c;
    });
    this.dist = dists;
    if (!weight) { this.order = orders; this.unreachedOrder = unreachedOrders; this.gfaCol = gfa; this.devCol = dev; }
  }

  /**
   * The same parcels counted by weight (a development schedule's share per parcel) from this
   * unweighted index's distance order: no sort, one pass over the parcels. Equal to
   * new DistanceIndex(p, residual, (i) => weight[i]) for the parcels and residual this index was
   * built with (the order is by distance, ties by parcel order, in both). `nonZero` (optional):
   * the only parcels whose weight may be non-zero, ascending; then only they are read.
   */
  reweighted(p: LvcParcels, weight: Float64Array, nonZero?: Uint32Array): DistanceIndex {
    if (!this.order || !this.unreachedOrder || !this.gfaCol || !this.devCol) throw new Error('DistanceIndex.reweighted needs an unweighted index');
    const gfa = this.gfaCol, dev = this.devCol;
    const out = Object.create(DistanceIndex.prototype) as DistanceIndex;
    const self = out as unknown as { dist: Float64Array[]; cum: Array<Record<Col, Float64Array>>; unreached: Array<Record<Col, number>> };
    self.dist = []; self.unreached = [];
    // With `nonZero` (ascending parcels; every other weight is 0) the parcels are taken in the same
    // order as the full pass: unreached ones in parcel order, reached ones by their rank in the distance order.
    const sparse = nonZero ? this.sparseOrders(nonZero, weight) : null;
    self.cum = LAND_CLASSES.map((cls) => {
      const un = { value: 0, vd: 0, area: 0, gfa: 0, bonus: 0, dev: 0 };
      for (const i of sparse ? sparse.unreached[cls] : this.unreachedOrder![cls]) {
        const w = weight[i];
        if (w === 0) continue;
        addUnreached(un, p, i, w, gfa, dev);
      }
      self.unreached.push(un);
      const order = sparse ? sparse.reached[cls] : this.order![cls];
      let m = 0;
      for (let k = 0; k < order.length; k++) if (weight[order[k]] !== 0) m++;
      const mk = () => new Float64Array(m + 1);
      const c = { value: mk(), vd: mk(), area: mk(), gfa: mk(), bonus: mk(), dev: mk() };
      const d = new Float64Array(m);
      let k = 0;
      for (let j = 0; j < order.length; j++) {
        const i = order[j], w = weight[i];
        if (w === 0) continue;
        d[k] = p.distM[i];
        pushPrefix(c, k, p, i, w, gfa, dev);
        k++;
      }
      self.dist.push(d);
      return c;
    });
    return out;
  }

  /** The listed parcels with a weight, per class: unreached in parcel order, reached in this index's distance order. */
  private sparseOrders(nonZero: Uint32Array, weight: Float64Array): { unreached: Uint32Array[]; reached: Uint32Array[] } {
    if (!this.classOf || !this.rankOf) {
      const n = this.gfaCol!.length;
      const classOf = new Uint8Array(n).fill(255), rankOf = new Int32Array(n).fill(-1);
      LAND_CLASSES.forEach((cls) => {
        const o = this.order![cls];
        for (let k = 0; k < o.length; k++) { classOf[o[k]] = cls; rankOf[o[k]] = k; }
        for (const i of this.unreachedOrder![cls]) classOf[i] = cls;
      });
      this.classOf = classOf; this.rankOf = rankOf;
    }
    const classOf = this.classOf, rankOf = this.rankOf;
    const un: number[][] = LAND_CLASSES.map(() => []), ranks: number[][] = LAND_CLASSES.map(() => []);
    for (let q = 0; q < nonZero.length; q++) {
      const i = nonZero[q], cls = classOf[i];
      if (cls === 255 || weight[i] === 0) continue;
      if (rankOf[i] < 0) un[cls].push(i); else ranks[cls].push(rankOf[i]);
    }
    return {
      unreached: un.map((x) => Uint32Array.from(x)),
      reached: ranks.map((x, cls) => { const r = Uint32Array.from(x).sort(), o = this.order![cls]; for (let k = 0; k < r.length; k++) r[k] = o[r[k]]; return r; }),
    };
  }

  /** Number of parcels with distance ≤ r (or < r when strict). */
  private count(cls: LandClass, r: number, strict = false): number {
    const d = this.dist[cls];
    let lo = 0, hi = d.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? d[mid] < r : d[mid] <= r) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Sum of a column over reachable parcels within r metres (Infinity = all reachable). */
  within(cls: LandClass, col: 'value' | 'area' | 'gfa' | 'bonus' | 'dev', r = Infinity): number {
    return this.cum[cls][col][this.count(cls, r)];
  }

  /** Sum over every parcel of the class, reachable or not (what the map shows). */
  total(cls: LandClass, col: 'value' | 'area' | 'gfa' | 'bonus' | 'dev'): number {
    return this.within(cls, col) + this.unreached[cls][col];
  }

  /**
   * Σ value_i × premium(d_i) over parcels within r: exact for a piecewise-linear curve, as on
   * each segment premium is α + β·d and Σ v(α + βd) = α Σv + β Σvd.
   */
  premiumValue(cls: LandClass, curve: PremiumCurve, stretch = 1, r = Infinity): number {
    const c = this.cum[cls];
    const seg = (a: number, b: number, alpha: number, beta: number, firstInclusive: boolean) => {
      const lo = Math.min(a, r), hi = Math.min(b, r);
      if (hi < lo || (hi === lo && !firstInclusive)) return 0;
      const i0 = this.count(cls, lo, firstInclusive), i1 = this.count(cls, hi);
      if (i1 <= i0) return 0;
      return alpha * (c.value[i1] - c.value[i0]) + beta * (c.vd[i1] - c.vd[i0]);
    };
    const pts = curve.map(([d, p]) => [d * stretch, p] as [number, number]);
    let s = seg(0, pts[0][0], pts[0][1], 0, true);
    for (let k = 1; k < pts.length; k++) {
      const [d0, p0] = pts[k - 1], [d1, p1] = pts[k];
      const beta = (p1 - p0) / (d1 - d0);
      s += seg(d0, d1, p0 - beta * d0, beta, false);
    }
    return s;
  }
}
