/**
 * How far one can walk along each edge within a distance, after a Dijkstra run: from either end
 * (node distance + distance along the edge) or straight along the edge from an entrance snapped
 * onto it (edge seeds). Used for partial edges at the cutoff, for parcels and for the polygons.
 */
import { distanceM } from '../network/geodesic.js';
import type { WalkGraph } from '../network/types.js';
import type { EdgeSeed } from './engine.js';

export interface Reach {
  g: WalkGraph;
  /** Node distance (Infinity when not reached). */
  dist: Float64Array;
  /** Seeds by edge. */
  seeds: Map<number, EdgeSeed[]>;
}

export function seedsByEdge(seeds: EdgeSeed[], station?: number): Map<number, EdgeSeed[]> {
  const m = new Map<number, EdgeSeed[]>();
  for (const s of seeds) {
    if (station !== undefined && s.station !== station) continue;
    const l = m.get(s.edge);
    if (l) l.push(s); else m.set(s.edge, [s]);
  }
  return m;
}

/** Walking distance to the point `a` metres along edge e from its u end. */
export function distAlong(r: Reach, e: number, a: number): number {
  const L = r.g.edgeLength[e];
  let d = Math.min(r.dist[r.g.edgeU[e]] + a, r.dist[r.g.edgeV[e]] + Math.max(0, L - a));
  const ss = r.seeds.get(e);
  if (ss) for (const s of ss) d = Math.min(d, s.dist0 + Math.abs(a - s.posM));
  return d;
}

/** The parts of edge e within `limit` metres of walking, as [from, to] along the edge, merged. */
export function reachedIntervals(r: Reach, e: number, limit: number): Array<[number, number]> {
  const L = r.g.edgeLength[e];
  const iv: Array<[number, number]> = [];
  const du = r.dist[r.g.edgeU[e]], dv = r.dist[r.g.edgeV[e]];
  if (du <= limit) iv.push([0, Math.min(L, limit - du)]);
  if (dv <= limit) iv.push([Math.max(0, L - (limit - dv)), L]);
  const ss = r.seeds.get(e);
  if (ss) for (const s of ss) if (s.dist0 <= limit) iv.push([Math.max(0, s.posM - (limit - s.dist0)), Math.min(L, s.posM + (limit - s.dist0))]);
  if (iv.length < 2) return iv;
  iv.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [iv[0]];
  for (let i = 1; i < iv.length; i++) {
    const last = out[out.length - 1];
    if (iv[i][0] <= last[1]) last[1] = Math.max(last[1], iv[i][1]); else out.push(iv[i]);
  }
  return out;
}

/** Edges touched by a run: an end reached, or a seed on them; ascending. */
export function touchedEdges(r: Reach, reachedNodes: ArrayLike<number>): Int32Array {
  const g = r.g, { edge, mark } = arcIndexOf(g);
  let out = new Int32Array(Math.min(g.edgeCount, 4 * reachedNodes.length + r.seeds.size + 16)), n = 0;
  const add = (e: number) => {
    if (mark[e]) return;
    mark[e] = 1;
    if (n === out.length) { const o = new Int32Array(Math.min(g.edgeCount, 2 * n)); o.set(out); out = o; }
    out[n++] = e;
  };
  for (let i = 0; i < reachedNodes.length; i++) {
    const v = reachedNodes[i];
    for (let k = g.offsets[v]; k < g.offsets[v + 1]; k++) add(edge[k]);
  }
  for (const e of r.seeds.keys()) add(e);
  for (let i = 0; i < n; i++) mark[out[i]] = 0;
  return out.slice(0, n).sort();
}

/**
 * The edge behind each CSR arc, and a per-edge mark cleared after each use. The graph keeps no arc ->
 * edge array (8 MB at 1M edges that queries never need); analyses build it once per graph, in the
 * order assemble() fills the arcs.
 */
let arcIndex: { g: WalkGraph; edge: Int32Array; mark: Uint8Array } | null = null;
function arcIndexOf(g: WalkGraph): { edge: Int32Array; mark: Uint8Array } {
  if (!arcIndex || arcIndex.g !== g) {
    const edge = new Int32Array(g.targets.length);
    const fill = g.offsets.slice(0, g.nodeCount);
    for (let e = 0; e < g.edgeCount; e++) { edge[fill[g.edgeU[e]]++] = e; edge[fill[g.edgeV[e]]++] = e; }
    arcIndex = { g, edge, mark: new Uint8Array(g.edgeCount) };
  }
  return arcIndex;
}

/** Total street length within `limit` (partial edges included). */
export function reachedLength(r: Reach, edges: Int32Array, limit: number): number {
  let s = 0;
  for (const e of edges) for (const [a, b] of reachedIntervals(r, e, limit)) s += b - a;
  return s;
}

/** The part of edge e between a and b metres from its u end, as lon/lat positions. */
export function cutEdge(g: WalkGraph, e: number, a: number, b: number): Array<[number, number]> {
  const c = g.vertices, out: Array<[number, number]> = [];
  let acc = 0;
  for (let v = g.edgeVStart[e]; v < g.edgeVEnd[e]; v++) {
    const ax = c[2 * v], ay = c[2 * v + 1], bx = c[2 * v + 2], by = c[2 * v + 3];
    const len = distanceM(ax, ay, bx, by);
    const s0 = Math.max(a, acc), s1 = Math.min(b, acc + len);
    if (s1 >= s0 && len > 0) {
      const t0 = (s0 - acc) / len, t1 = (s1 - acc) / len;
      if (!out.length) out.push([ax + t0 * (bx - ax), ay + t0 * (by - ay)]);
      out.push([ax + t1 * (bx - ax), ay + t1 * (by - ay)]);
    }
    acc += len;
  }
  return out;
}
