/**
 * Catchment polygons by rasterising the reached network: every point of a reached street (partial
 * edges at the cutoff included) claims the cells within `bufferM` of it, each cell keeping the
 * smallest walking distance that claims it. A band's polygon is the set of cells with a distance
 * within the band, traced cell edge by cell edge into rings (outer rings counter-clockwise, holes
 * clockwise; diagonal contacts separate, so every ring is simple). Its area is exactly cells × cell².
 */
import { distanceM } from '../network/geodesic.js';
import type { Position } from '../geo/geometry.js';
import type { LocalFrame } from './frame.js';
import { reachedIntervals, type Reach } from './reach.js';

export interface Grid {
  frame: LocalFrame;
  x0: number; y0: number; cell: number; w: number; h: number;
  /** Smallest walking distance claiming each cell (Infinity = none). */
  value: Float64Array;
}

/** Grids stay under this many cells (32 MB of distances). */
export const MAX_CELLS = 4_000_000;

/** The cell size, doubled until a width × height extent fits in MAX_CELLS. */
export function fitCell(cellM: number, width: number, height: number): number {
  while ((width / cellM) * (height / cellM) > MAX_CELLS) cellM *= 2;
  return cellM;
}

/** Samples (x, y, walk) of the last rasterizeReach, reused: a station's walk gives ~10^5 of them. */
let sampleBuf = new Float64Array(3 << 16);

/** Drops the sample buffer when it grew past a station's walk (a merged walk over a metropolis takes millions of samples). */
export function releaseRasterBuffers(): void {
  if (sampleBuf.length > 3 << 18) sampleBuf = new Float64Array(3 << 16);
}

export function rasterizeReach(r: Reach, edges: Int32Array, limit: number, frame: LocalFrame, cellM: number, bufferM: number): Grid | null {
  const g = r.g, c = g.vertices, nd = r.dist, eu = g.edgeU, ev = g.edgeV, el = g.edgeLength;
  const { lon0, lat0, kx, ky } = frame;
  let samples = sampleBuf, ns = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const step = cellM / 2;
  for (let ei = 0; ei < edges.length; ei++) {
    const e = edges[ei];
    const iv = reachedIntervals(r, e, limit);
    if (!iv.length) continue;
    // distAlong(r, e, s) with the edge's ends and seeds looked up once (same expressions, same order).
    const du = nd[eu[e]], dv = nd[ev[e]], L = el[e], ss = r.seeds.get(e);
    // Walk the polyline, sampling each reached interval every `step` metres (and at its ends).
    let acc = 0;
    for (let v = g.edgeVStart[e]; v < g.edgeVEnd[e]; v++) {
      const ax = c[2 * v], ay = c[2 * v + 1], bx = c[2 * v + 2], by = c[2 * v + 3];
      const len = distanceM(ax, ay, bx, by);
      for (let q = 0; q < iv.length; q++) {
        const s0 = Math.max(iv[q][0], acc), s1 = Math.min(iv[q][1], acc + len);
        if (s1 < s0) continue;
        const n = Math.max(1, Math.ceil((s1 - s0) / step));
        if (ns + 3 * (n + 1) > samples.length) {
          const grown = new Float64Array(Math.max(2 * samples.length, ns + 3 * (n + 1)));
          grown.set(samples.subarray(0, ns));
          samples = sampleBuf = grown;
        }
        for (let k = 0; k <= n; k++) {
          const s = s0 + ((s1 - s0) * k) / n;
          const t = len > 0 ? (s - acc) / len : 0;
          const x = (ax + t * (bx - ax) - lon0) * kx, y = (ay + t * (by - ay) - lat0) * ky;
          let d = Math.min(du + s, dv + Math.max(0, L - s));
          if (ss) for (const sd of ss) d = Math.min(d, sd.dist0 + Math.abs(s - sd.posM));
          samples[ns] = x; samples[ns + 1] = y; samples[ns + 2] = d; ns += 3;
          if (x < minX) minX = x; if (x > maxX) maxX = x;
          if (y < minY) minY = y; if (y > maxY) maxY = y;
        }
      }
      acc += len;
    }
  }
  if (!ns) return null;
  // A corridor of stations tens of km apart would need a huge grid at the station cell size; coarsen it.
  cellM = fitCell(cellM, maxX - minX + 2 * (bufferM + cellM), maxY - minY + 2 * (bufferM + cellM));
  const pad = bufferM + cellM;
  const x0 = Math.floor((minX - pad) / cellM) * cellM, y0 = Math.floor((minY - pad) / cellM) * cellM;
  const w = Math.ceil((maxX + pad - x0) / cellM), h = Math.ceil((maxY + pad - y0) / cellM);
  const value = new Float64Array(w * h).fill(Infinity);
  const rc = Math.ceil(bufferM / cellM), b2 = bufferM * bufferM;
  for (let i = 0; i < ns; i += 3) {
    const px = samples[i], py = samples[i + 1], d = samples[i + 2];
    const ci = Math.floor((px - x0) / cellM), cj = Math.floor((py - y0) / cellM);
    const kMin = Math.max(0, ci - rc), kMax = Math.min(w - 1, ci + rc);
    for (let j = Math.max(0, cj - rc); j <= Math.min(h - 1, cj + rc); j++) {
      const dy = y0 + (j + 0.5) * cellM - py, dy2 = dy * dy;
      if (dy2 > b2) continue;
      // The cells of this row within the buffer: a run (the test below, x0 + (k + 0.5) * cellM - px,
      // is monotone in k), found from the chord and settled at both ends by the exact test, so the
      // claimed cells are those of testing every cell of the square.
      const half = Math.sqrt(b2 - dy2);
      let lo = Math.min(kMax + 1, Math.max(kMin, Math.ceil((px - half - x0) / cellM - 0.5)));
      let hi = Math.max(kMin - 1, Math.min(kMax, Math.floor((px + half - x0) / cellM - 0.5)));
      while (lo > kMin && within(x0 + (lo - 0.5) * cellM - px, dy2, b2)) lo--;
      while (lo <= kMax && !within(x0 + (lo + 0.5) * cellM - px, dy2, b2)) lo++;
      while (hi < kMax && within(x0 + (hi + 1.5) * cellM - px, dy2, b2)) hi++;
      while (hi >= lo && !within(x0 + (hi + 0.5) * cellM - px, dy2, b2)) hi--;
      for (let o = j * w + lo, o1 = j * w + hi; o <= o1; o++) if (d < value[o]) value[o] = d;
    }
  }
  return { frame, x0, y0, cell: cellM, w, h, value };
}

function within(dx: number, dy2: number, b2: number): boolean { return dx * dx + dy2 <= b2; }

export function cellsWithin(grid: Grid, limit: number): number {
  let n = 0;
  for (let i = 0; i < grid.value.length; i++) if (grid.value[i] <= limit) n++;
  return n;
}

const DX = [1, 0, -1, 0], DY = [0, 1, 0, -1];

/** The cells with value <= limit as a MultiPolygon in lon/lat (null when empty). */
export function traceBand(grid: Grid, limit: number): Position[][][] | null {
  const { w, h, value } = grid;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x < w && y < h && value[y * w + x] <= limit;
  const W1 = w + 1;
  const out = new Uint8Array(W1 * (h + 1));
  let count = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (!inside(x, y)) continue;
    if (!inside(x, y - 1)) { out[y * W1 + x] |= 1 << 0; count++; }
    if (!inside(x + 1, y)) { out[y * W1 + x + 1] |= 1 << 1; count++; }
    if (!inside(x, y + 1)) { out[(y + 1) * W1 + x + 1] |= 1 << 2; count++; }
    if (!inside(x - 1, y)) { out[(y + 1) * W1 + x] |= 1 << 3; count++; }
  }
  if (!count) return null;
  const rings: Array<{ pts: number[]; area: number }> = [];
  for (let p0 = 0; p0 < out.length; p0++) {
    while (out[p0]) {
      const d0 = Math.log2(out[p0] & -out[p0]);
      out[p0] &= ~(1 << d0);
      const pts: number[] = [];
      let x = p0 % W1, y = (p0 / W1) | 0, d = d0;
      pts.push(x, y);
      for (;;) {
        x += DX[d]; y += DY[d];
        const p = y * W1 + x;
        let next = -1;
        for (const turn of [1, 0, 3]) {
          const nd = (d + turn) & 3;
          if (out[p] & (1 << nd)) { next = nd; break; }
          if (p === p0 && nd === d0) { next = -2; break; }
        }
        if (next === -2 || next === -1) break;
        out[p] &= ~(1 << next);
        if (next !== d) pts.push(x, y);
        d = next;
      }
      for (const ring of splitSelfTouching(pts)) {
        let a = 0;
        for (let i = 0; i < ring.length; i += 2) {
          const j = (i + 2) % ring.length;
          a += ring[i] * ring[j + 1] - ring[j] * ring[i + 1];
        }
        if (a !== 0) rings.push({ pts: ring, area: a / 2 });
      }
    }
  }
  const outers = rings.filter((r) => r.area > 0).sort((a, b) => a.area - b.area);
  const holes = rings.filter((r) => r.area < 0);
  const polys = outers.map((o) => ({ outer: o, holes: [] as typeof holes }));
  for (const hole of holes) {
    // The cell on the left of the hole's first edge is inside the polygon that holds the hole.
    const [ax, ay, bx, by] = hole.pts;
    const dx = Math.sign(bx - ax), dy = Math.sign(by - ay);
    const cx = ax + dx * 0.5 - dy * 0.5, cy = ay + dy * 0.5 + dx * 0.5;
    const owner = polys.find((p) => inRing(p.outer.pts, cx, cy));
    if (owner) owner.holes.push(hole);
  }
  const toLL = (pts: number[]): Position[] => {
    const ring: Position[] = [];
    for (let i = 0; i < pts.length; i += 2) ring.push(grid.frame.toLonLat(grid.x0 + pts[i] * grid.cell, grid.y0 + pts[i + 1] * grid.cell));
    ring.push(ring[0]);
    return ring;
  };
  return polys.map((p) => [toLL(p.outer.pts), ...p.holes.map((hh) => toLL(hh.pts))]);
}

/**
 * A ring that passes one lattice corner twice (a region touching itself diagonally) is split there
 * into two rings: OGC validity allows rings to touch each other at a point, not themselves. Each
 * loop keeps the inside on its left, so its sign says outer (CCW) or hole (CW).
 */
function splitSelfTouching(pts: number[]): number[][] {
  const out: number[][] = [];
  const stack: number[] = [];
  const at = new Map<number, number>();
  for (let i = 0; i < pts.length; i += 2) {
    const key = pts[i] * 1048576 + pts[i + 1];
    const k = at.get(key);
    if (k !== undefined) {
      const loop = stack.splice(k * 2);
      for (let j = 0; j < loop.length; j += 2) at.delete(loop[j] * 1048576 + loop[j + 1]);
      if (loop.length >= 6) out.push(loop);
    }
    at.set(key, stack.length / 2);
    stack.push(pts[i], pts[i + 1]);
  }
  if (stack.length >= 6) out.push(stack);
  return out;
}

export function inRing(pts: number[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 2; i < pts.length; j = i, i += 2) {
    const xi = pts[i], yi = pts[i + 1], xj = pts[j], yj = pts[j + 1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Area (m²) of the union of circles of radius r around the centres (lon/lat), on a raster of cellM (coarsened as in rasterizeReach). */
export function circlesUnionArea(frame: LocalFrame, centres: Array<[number, number]>, r: number, cellM: number): number {
  if (centres.length === 1) return Math.PI * r * r;
  const pts = centres.map(([lon, lat]) => [frame.x(lon), frame.y(lat)]);
  const x0 = Math.min(...pts.map((p) => p[0])) - r, x1 = Math.max(...pts.map((p) => p[0])) + r;
  const y0 = Math.min(...pts.map((p) => p[1])) - r, y1 = Math.max(...pts.map((p) => p[1])) + r;
  const cell = fitCell(cellM, x1 - x0, y1 - y0);
  const w = Math.ceil((x1 - x0) / cell), h = Math.ceil((y1 - y0) / cell);
  const mark = new Uint8Array(w * h);
  for (const [px, py] of pts) {
    const j0 = Math.max(0, Math.floor((py - r - y0) / cell)), j1 = Math.min(h - 1, Math.floor((py + r - y0) / cell));
    for (let j = j0; j <= j1; j++) {
      const dy = y0 + (j + 0.5) * cell - py;
      if (dy * dy > r * r) continue;
      const half = Math.sqrt(r * r - dy * dy);
      // Cells whose centre lies within the chord at this row.
      const i0 = Math.max(0, Math.ceil((px - half - x0) / cell - 0.5)), i1 = Math.min(w - 1, Math.floor((px + half - x0) / cell - 0.5));
      mark.fill(1, j * w + i0, j * w + i1 + 1);
    }
  }
  let n = 0;
  for (let i = 0; i < mark.length; i++) n += mark[i];
  return n * cell * cell;
}
