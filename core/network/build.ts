/**
 * Noding and CSR assembly: lines -> walk graph.
 *
 * Vertices coincide when they fall on the same 1e-7 degree grid cell (about 1 cm; OSM stores 7
 * decimals, so OSM nodes map one-to-one). Nodes are:
 *  - every line end (all line ends at one point connect, whatever their level: ramps meet streets);
 *  - an interior vertex shared with another line of the same level (OSM ways sharing a node, or GIS
 *    centrelines digitised through a common vertex). A bridge (level > 0) or tunnel (< 0) therefore
 *    never connects to the street it passes over or under, even where their vertices coincide.
 * Lines are cut at their nodes into edges; an edge's cost is its WGS84 ellipsoidal length.
 */
import { EkimaeError } from '../errors.js';
import { distanceM } from './geodesic.js';
import type { ComponentInfo, GraphStats, LineSource, WalkGraph } from './types.js';

export const GRAPH_VERSION = 1;
export const COORD_QUANTUM = 1e7;
const ENDPOINT_LEVEL = 127;

/**
 * Open-addressing hash of (qx, qy, level) -> slot. Each slot keeps x, y, meta and one value side by
 * side (one cache line per probe: at 1M edges the tables outgrow the CPU caches).
 * meta: bit 0 used, bits 8.. level + 128. A growable table rehashes at 2/3 load (its slots move, so
 * callers keep values, never slot indexes); a fixed one is sized up front.
 */
class PointHash {
  t: Int32Array;
  size = 0;
  private mask: number;
  constructor(expected: number, private growable = false) {
    let cap = 1024;
    while (cap * 2 < expected * 3) cap *= 2;
    this.mask = cap - 1;
    this.t = new Int32Array(cap * 4);
  }
  private h(x: number, y: number, l: number): number {
    let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca6b) ^ Math.imul(l + 1000, 0xc2b2ae35);
    h ^= h >>> 13; h = Math.imul(h, 0x27d4eb2f); h ^= h >>> 16;
    return h & this.mask;
  }
  /** Index (into t, step 4) of the key, inserting it (value = init) when absent. */
  slot(x: number, y: number, l: number, init: number): number {
    const t = this.t, meta = ((l + 128) << 8) | 1;
    let i = this.h(x, y, l) << 2;
    while (t[i + 2]) {
      if (t[i] === x && t[i + 1] === y && t[i + 2] === meta) return i;
      i = (i + 4) & ((this.mask << 2) | 3);
    }
    if (this.growable && (this.size + 1) * 3 > (this.mask + 1) * 2) { this.rehash(); return this.slot(x, y, l, init); }
    t[i] = x; t[i + 1] = y; t[i + 2] = meta; t[i + 3] = init; this.size++;
    return i;
  }
  /** Index of the key or -1. */
  find(x: number, y: number, l: number): number {
    const t = this.t, meta = ((l + 128) << 8) | 1;
    let i = this.h(x, y, l) << 2;
    while (t[i + 2]) {
      if (t[i] === x && t[i + 1] === y && t[i + 2] === meta) return i;
      i = (i + 4) & ((this.mask << 2) | 3);
    }
    return -1;
  }
  private rehash(): void {
    const old = this.t;
    this.mask = this.mask * 2 + 1;
    this.t = new Int32Array((this.mask + 1) * 4);
    this.size = 0;
    for (let i = 0; i < old.length; i += 4) {
      if (!old[i + 2]) continue;
      const j = this.slot(old[i], old[i + 1], (old[i + 2] >> 8) - 128, old[i + 3]);
      this.t[j + 3] = old[i + 3];
    }
  }
}

/**
 * One bit per hashed point: lets line ends skip the interior table when no interior vertex is there.
 * Sized to the interior vertices (8 bits each, up to 2^23): a fixed 1 MB filter was a thousand page
 * faults for a network whose lines are mostly two-vertex.
 */
const MAX_FILTER_BITS = 1 << 23;
const filterBit = (x: number, y: number, mask: number) => (Math.imul(x ^ Math.imul(y, 0x9e3779b1), 0x85ebca6b) >>> 9) & mask;

function checkCoords(src: LineSource): void {
  const c = src.coords;
  for (let p = 0; p < src.partFid.length; p++) {
    if (!src.partWalkable[p]) continue;
    for (let v = src.partStart[p]; v < src.partStart[p + 1]; v++) {
      const lon = c[2 * v], lat = c[2 * v + 1];
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
        throw new EkimaeError('E_COORD_INVALID', `${src.name}: feature ${src.partFid[p]} has a vertex at (${lon}, ${lat}), which is not a valid longitude/latitude`, { layer: src.name, fid: src.partFid[p] });
      }
    }
  }
}

/*
 * buildGraph's passes are separate functions: a one-shot run (`ekimae catchment` on a file) meets
 * each loop once, and one function holding all of them was optimised on stack (OSR) and thrown
 * away again at every next loop whose code had not run yet ("insufficient type feedback"); small
 * functions are each compiled once, with their own loop's feedback.
 */

/** Pass 1: count interior vertex occurrences per (point, level); innerSlot[v] = the vertex's slot. */
function countInterior(src: LineSource, inner: PointHash, innerSlot: Int32Array, filter: Uint32Array, mask: number): void {
  const c = src.coords, parts = src.partFid.length;
  for (let p = 0; p < parts; p++) {
    const a = src.partStart[p], b = src.partStart[p + 1];
    if (!src.partWalkable[p] || b - a < 2) continue;
    const lev = src.partLevel[p];
    for (let v = a + 1; v < b - 1; v++) {
      const qx = Math.round(c[2 * v] * COORD_QUANTUM), qy = Math.round(c[2 * v + 1] * COORD_QUANTUM);
      const s = inner.slot(qx, qy, lev, 0);
      const bit = filterBit(qx, qy, mask);
      filter[bit >>> 5] |= 1 << (bit & 31);
      inner.t[s + 3]++;
      innerSlot[v] = s;
    }
  }
}

/**
 * Pass 2: line ends become nodes; they also count towards same-level interior sharing. Returns the
 * node count; endNode[2p], endNode[2p+1] are part p's end nodes.
 */
function nodeEnds(src: LineSource, ends: PointHash, inner: PointHash, innerNode: Int32Array, filter: Uint32Array, mask: number, endNode: Int32Array, nodeLL: Float64Array): number {
  const c = src.coords, parts = src.partFid.length;
  let nodeCount = 0;
  for (let p = 0; p < parts; p++) {
    const a = src.partStart[p], b = src.partStart[p + 1];
    if (!src.partWalkable[p] || b - a < 2) continue;
    for (let k = 0; k < 2; k++) {
      const v = k ? b - 1 : a;
      const qx = Math.round(c[2 * v] * COORD_QUANTUM), qy = Math.round(c[2 * v + 1] * COORD_QUANTUM);
      const s = ends.slot(qx, qy, ENDPOINT_LEVEL, -1);
      if (ends.t[s + 3] < 0) { nodeLL[2 * nodeCount] = c[2 * v]; nodeLL[2 * nodeCount + 1] = c[2 * v + 1]; ends.t[s + 3] = nodeCount++; }
      endNode[2 * p + k] = ends.t[s + 3];
      const bit = filterBit(qx, qy, mask);
      if (filter[bit >>> 5] & (1 << (bit & 31))) {
        const t = inner.find(qx, qy, src.partLevel[p]);
        if (t >= 0) { inner.t[t + 3]++; innerNode[t >> 2] = ends.t[s + 3]; }
      }
    }
  }
  return nodeCount;
}

interface EdgeList { u: Int32Array; v: Int32Array; s: Int32Array; e: Int32Array; len: Float64Array; fid: Float64Array; count: number; nodeCount: number; sharedInteriorNodes: number; droppedLoops: number }

/** Pass 3: cut lines at nodes into edges (interior nodes numbered from nodeCount on). */
function cutEdges(src: LineSource, inner: PointHash, innerSlot: Int32Array, innerNode: Int32Array, endNode: Int32Array, nodeLL: Float64Array, nodeCount: number, cap: number): EdgeList {
  const c = src.coords, parts = src.partFid.length;
  let sharedInteriorNodes = 0, droppedLoops = 0;
  const eU = new Int32Array(cap), eV = new Int32Array(cap), eS = new Int32Array(cap), eE = new Int32Array(cap);
  const eL = new Float64Array(cap), eF = new Float64Array(cap);
  let E = 0;
  for (let p = 0; p < parts; p++) {
    const a = src.partStart[p], b = src.partStart[p + 1];
    if (!src.partWalkable[p] || b - a < 2) continue;
    let startV = a, startNode = endNode[2 * p], len = 0;
    for (let v = a + 1; v < b; v++) {
      len += distanceM(c[2 * v - 2], c[2 * v - 1], c[2 * v], c[2 * v + 1]);
      let node = -1;
      if (v === b - 1) node = endNode[2 * p + 1];
      else {
        const s = innerSlot[v];
        if (inner.t[s + 3] >= 2) {
          const k = s >> 2;
          if (innerNode[k] < 0) { nodeLL[2 * nodeCount] = c[2 * v]; nodeLL[2 * nodeCount + 1] = c[2 * v + 1]; innerNode[k] = nodeCount++; sharedInteriorNodes++; }
          node = innerNode[k];
        }
      }
      if (node < 0) continue;
      if (node === startNode || len === 0) droppedLoops++;
      else { eU[E] = startNode; eV[E] = node; eS[E] = startV; eE[E] = v; eL[E] = len; eF[E] = src.partFid[p]; E++; }
      startV = v; startNode = node; len = 0;
    }
  }
  return { u: eU, v: eV, s: eS, e: eE, len: eL, fid: eF, count: E, nodeCount, sharedInteriorNodes, droppedLoops };
}

/** Nodes renumbered in spatial order (node coordinates and edge ends). */
function renumber(nodeLL: Float64Array, nodeCount: number, el: EdgeList): Float64Array {
  const order = spatialOrder(nodeLL, nodeCount);
  const nodeLonLat = new Float64Array(2 * nodeCount);
  for (let n = 0; n < nodeCount; n++) { nodeLonLat[2 * order[n]] = nodeLL[2 * n]; nodeLonLat[2 * order[n] + 1] = nodeLL[2 * n + 1]; }
  const eU = el.u, eV = el.v;
  for (let e = 0; e < el.count; e++) { eU[e] = order[eU[e]]; eV[e] = order[eV[e]]; }
  return nodeLonLat;
}

export function buildGraph(src: LineSource): WalkGraph {
  const parts = src.partFid.length;
  const c = src.coords;
  let walkableParts = 0, interiorTotal = 0;
  for (let p = 0; p < parts; p++) {
    if (!src.partWalkable[p]) continue;
    const n = src.partStart[p + 1] - src.partStart[p];
    if (n < 2) continue;
    walkableParts++;
    interiorTotal += n - 2;
  }
  if (!walkableParts) {
    throw new EkimaeError('E_NETWORK_EMPTY', `${src.name} has no walkable lines (${parts} lines, none usable on foot); check its role and the highway/walkable field mapping`, { layer: src.name, lines: parts });
  }
  checkCoords(src);

  const inner = new PointHash(interiorTotal + 16);
  const innerSlot = new Int32Array(c.length / 2).fill(-1);
  let filterBits = 1024;
  while (filterBits < interiorTotal * 8 && filterBits < MAX_FILTER_BITS) filterBits *= 2;
  const filter = new Uint32Array(filterBits / 32);
  countInterior(src, inner, innerSlot, filter, filterBits - 1);
  // Line ends meet in threes and fours at junctions: start near the node count (street grids have
  // about 0.7 nodes a line) and grow; a table twice as large was 2 MB more to fault in and to miss in cache.
  const ends = new PointHash(Math.ceil(walkableParts * 0.75), true);
  // Node ids of shared interior points, by inner slot / 4 (a line end's node when one ends there).
  const innerNode = new Int32Array(inner.t.length / 4).fill(-1);
  const endNode = new Int32Array(parts * 2).fill(-1);
  const nodeLL = new Float64Array(2 * (walkableParts * 2 + interiorTotal));
  const nodeCount = nodeEnds(src, ends, inner, innerNode, filter, filterBits - 1, endNode, nodeLL);
  const el = cutEdges(src, inner, innerSlot, innerNode, endNode, nodeLL, nodeCount, walkableParts + interiorTotal);
  const E = el.count;
  if (!E) {
    throw new EkimaeError('E_NETWORK_EMPTY', `${src.name}: its walkable lines have no length (every line starts and ends at one point)`, { layer: src.name });
  }
  const nodeLonLat = renumber(nodeLL, el.nodeCount, el);
  // Views, not copies, of the edge columns (their buffers are at most a little larger).
  return assemble({
    nodeLonLat, edgeU: el.u.subarray(0, E), edgeV: el.v.subarray(0, E), edgeVStart: el.s.subarray(0, E),
    edgeVEnd: el.e.subarray(0, E), edgeLength: el.len.subarray(0, E), edgeFid: el.fid.subarray(0, E), vertices: c,
    stats: { parts, nonWalkableParts: parts - walkableParts, sharedInteriorNodes: el.sharedInteriorNodes, droppedLoops: el.droppedLoops }, partName: src.partName, src,
  });
}

/**
 * New node ids in Morton (Z-order) of their coordinates: nodes near each other get nearby ids, so a
 * search touches a few contiguous stretches of the CSR arrays instead of cache lines all over 100 MB.
 * Returns newId by old id.
 */
function spatialOrder(ll: Float64Array, n: number): Int32Array {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = ll[2 * i], y = ll[2 * i + 1];
    if (x < minX) minX = x; if (x > maxX) maxX = x; if (y < minY) minY = y; if (y > maxY) maxY = y;
  }
  // Morton key and old id packed into one exact double (< 2^53) so a native numeric sort orders both.
  const idBits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const axisBits = Math.min(16, Math.floor((52 - idBits) / 2));
  const cells = 2 ** axisBits - 1, sx = cells / Math.max(maxX - minX, 1e-12), sy = cells / Math.max(maxY - minY, 1e-12);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const m = interleave(Math.round((ll[2 * i] - minX) * sx)) + 2 * interleave(Math.round((ll[2 * i + 1] - minY) * sy));
    keys[i] = m * 2 ** idBits + i;
  }
  keys.sort();
  const newId = new Int32Array(n);
  const idMod = 2 ** idBits;
  for (let r = 0; r < n; r++) newId[keys[r] % idMod] = r;
  return newId;
}

/** Spread the bits of a 16-bit integer to the even positions (as a double: up to 2^31). */
function interleave(v: number): number {
  let x = v & 0xffff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  x = (x | (x << 1)) & 0x55555555;
  return x >>> 0;
}

interface Pieces {
  nodeLonLat: Float64Array; edgeU: Int32Array; edgeV: Int32Array; edgeVStart: Int32Array; edgeVEnd: Int32Array;
  edgeLength: Float64Array; edgeFid: Float64Array; vertices: Float64Array; stats: GraphStats;
  partName?: Array<string | null>; src?: LineSource;
}

/** CSR adjacency and components from the edge list (also used when a cached graph is loaded). */
export function assemble(pc: Pieces, components?: ComponentInfo[]): WalkGraph {
  const N = pc.nodeLonLat.length / 2, E = pc.edgeU.length;
  const { offsets, targets, weights } = csr(N, pc.edgeU, pc.edgeV, pc.edgeLength);
  const g: WalkGraph = {
    version: GRAPH_VERSION, nodeCount: N, edgeCount: E, nodeLonLat: pc.nodeLonLat, offsets, targets, weights,
    edgeU: pc.edgeU, edgeV: pc.edgeV, edgeLength: pc.edgeLength, edgeFid: pc.edgeFid, edgeVStart: pc.edgeVStart, edgeVEnd: pc.edgeVEnd,
    vertices: pc.vertices, component: new Int32Array(N), components: [], stats: pc.stats,
  };
  labelComponents(g, components, pc.src);
  return g;
}

/** Both directions of every edge, grouped by node (counting sort). */
function csr(N: number, edgeU: Int32Array, edgeV: Int32Array, edgeLength: Float64Array): { offsets: Int32Array; targets: Int32Array; weights: Float64Array } {
  const E = edgeU.length;
  const offsets = new Int32Array(N + 1);
  for (let e = 0; e < E; e++) { offsets[edgeU[e] + 1]++; offsets[edgeV[e] + 1]++; }
  for (let n = 0; n < N; n++) offsets[n + 1] += offsets[n];
  const fill = offsets.slice(0, N);
  const targets = new Int32Array(2 * E), weights = new Float64Array(2 * E);
  for (let e = 0; e < E; e++) {
    const u = edgeU[e], v = edgeV[e], w = edgeLength[e];
    let i = fill[u]++; targets[i] = v; weights[i] = w;
    i = fill[v]++; targets[i] = u; weights[i] = w;
  }
  return { offsets, targets, weights };
}

/** Component ids in discovery order (depth-first from the lowest unlabelled node); returns their sizes. */
function rawComponents(g: WalkGraph, raw: Int32Array): number[] {
  const N = g.nodeCount, offsets = g.offsets, targets = g.targets;
  const stack = new Int32Array(N);
  const sizes: number[] = [];
  for (let s = 0; s < N; s++) {
    if (raw[s] >= 0) continue;
    const id = sizes.length;
    let top = 0, count = 0;
    stack[top++] = s; raw[s] = id;
    while (top) {
      const n = stack[--top]; count++;
      for (let i = offsets[n]; i < offsets[n + 1]; i++) {
        const t = targets[i];
        if (raw[t] < 0) { raw[t] = id; stack[top++] = t; }
      }
    }
    sizes.push(count);
  }
  return sizes;
}

/** Edge count, street length, bounding box and up to 50 feature ids (islands) per component. */
function componentStats(g: WalkGraph, comps: ComponentInfo[], islandFids: number[][]): void {
  const component = g.component, edgeU = g.edgeU, edgeLength = g.edgeLength, vs = g.edgeVStart, ve = g.edgeVEnd, vx = g.vertices;
  for (let e = 0; e < g.edgeCount; e++) {
    const ci = comps[component[edgeU[e]]];
    ci.edges++; ci.lengthM += edgeLength[e];
    const b = ci.bbox;
    for (let v = vs[e]; v <= ve[e]; v++) {
      const x = vx[2 * v], y = vx[2 * v + 1];
      if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y; if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y;
    }
    if (ci.id > 0 && islandFids[ci.id].length < 50) islandFids[ci.id].push(g.edgeFid[e]);
  }
}

function labelComponents(g: WalkGraph, known: ComponentInfo[] | undefined, src?: LineSource): void {
  const N = g.nodeCount;
  const raw = new Int32Array(N).fill(-1);
  const sizes = rawComponents(g, raw);
  // Largest first; ties by first node so the numbering is deterministic.
  const order = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const rank = new Int32Array(sizes.length);
  order.forEach((c, r) => { rank[c] = r; });
  for (let n = 0; n < N; n++) g.component[n] = rank[raw[n]];
  if (known) { g.components = known; return; }
  const comps: ComponentInfo[] = order.map((_, r) => ({ id: r, nodes: sizes[order[r]], edges: 0, lengthM: 0, bbox: [Infinity, Infinity, -Infinity, -Infinity], name: '' }));
  // Up to 50 feature ids per island; their names are looked up afterwards (islands are few and small).
  const islandFids: number[][] = comps.map(() => []);
  componentStats(g, comps, islandFids);
  const wanted = new Set(islandFids.flat());
  const fidToName = new Map<number, string>();
  if (src?.partName && wanted.size) {
    for (let p = 0; p < src.partFid.length; p++) { const nm = src.partName[p]; if (nm && wanted.has(src.partFid[p])) fidToName.set(src.partFid[p], nm); }
  }
  for (const ci of comps) {
    const names = new Set<string>();
    for (const fid of islandFids[ci.id]) { if (names.size === 5) break; names.add(fidToName.get(fid) ?? `feature ${fid}`); }
    ci.name = ci.id === 0 ? 'main network' : `island ${ci.id}: ${[...names].join(', ')}`;
  }
  g.components = comps;
}
