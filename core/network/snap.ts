/**
 * Snapping points onto the walk graph: to the nearest node (the peers' definition) or to the
 * nearest point of the nearest edge. Candidates come from flatbush indexes in degrees; the search
 * box is widened until the best exact (ellipsoidal) distance lies inside it, so the answer is the
 * true nearest, not merely the nearest box.
 */
import Flatbush from 'flatbush';
import { distanceM, localRadii } from './geodesic.js';
import type { WalkGraph } from './types.js';

const RAD = Math.PI / 180;

export interface NodeSnap { node: number; distM: number }

export interface EdgeSnap {
  edge: number;
  lon: number;
  lat: number;
  /** Straight ellipsoidal distance from the point to the snapped position (the access leg). */
  accessM: number;
  /** Distance along the edge from its u end to the snapped position, and on to its v end. */
  alongM: number;
  restM: number;
}

export class Snapper {
  private nodeGrid: NodeGrid | null = null;
  private segIndex: Flatbush | null = null;
  private segEdge: Int32Array | null = null;
  private segV: Int32Array | null = null;

  constructor(private g: WalkGraph) {}

  private boxes(lon: number, lat: number, d: number): [number, number, number, number] {
    const r = localRadii(lat);
    const dLat = (d / r.m / RAD) * 1.05 + 1e-9, dLon = (d / Math.max(r.n, 1) / RAD) * 1.05 + 1e-9;
    return [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
  }

  /** Nearest node by ellipsoidal distance (ties: lower node id), or null beyond maxM. */
  nearestNode(lon: number, lat: number, maxM: number): NodeSnap | null {
    this.nodeGrid ??= new NodeGrid(this.g.nodeLonLat, this.g.nodeCount);
    const ll = this.g.nodeLonLat, grid = this.nodeGrid;
    for (let d = 25; ; d *= 4) {
      const r = Math.min(d, maxM);
      const [x0, y0, x1, y1] = this.boxes(lon, lat, r);
      let best = -1, bestD = Infinity;
      grid.each(x0, y0, x1, y1, (n) => {
        const dd = distanceM(lon, lat, ll[2 * n], ll[2 * n + 1]);
        if (dd < bestD || (dd === bestD && n < best)) { bestD = dd; best = n; }
      });
      if (best >= 0 && bestD <= r) return { node: best, distM: bestD };
      if (r >= maxM) return null;
    }
  }

  private buildSegIndex(): void {
    const g = this.g;
    let S = 0;
    for (let e = 0; e < g.edgeCount; e++) S += g.edgeVEnd[e] - g.edgeVStart[e];
    const segEdge = new Int32Array(S), segV = new Int32Array(S);
    const ix = new Flatbush(S);
    const c = g.vertices;
    let k = 0;
    for (let e = 0; e < g.edgeCount; e++) {
      for (let v = g.edgeVStart[e]; v < g.edgeVEnd[e]; v++) {
        const ax = c[2 * v], ay = c[2 * v + 1], bx = c[2 * v + 2], by = c[2 * v + 3];
        ix.add(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by));
        segEdge[k] = e; segV[k] = v; k++;
      }
    }
    ix.finish();
    this.segIndex = ix; this.segEdge = segEdge; this.segV = segV;
  }

  /** Nearest point of the nearest edge (ties: lower edge id), or null beyond maxM. */
  nearestEdge(lon: number, lat: number, maxM: number, accept?: (edge: number) => boolean): EdgeSnap | null {
    if (!this.segIndex) this.buildSegIndex();
    const c = this.g.vertices;
    const r0 = localRadii(lat);
    const kx = r0.n * RAD, ky = r0.m * RAD;
    for (let d = 25; ; d *= 4) {
      const r = Math.min(d, maxM);
      const [x0, y0, x1, y1] = this.boxes(lon, lat, r);
      let best: EdgeSnap | null = null, bestV = -1;
      for (const s of this.segIndex!.search(x0, y0, x1, y1)) {
        const e = this.segEdge![s];
        if (accept && !accept(e)) continue;
        const v = this.segV![s];
        const ax = (c[2 * v] - lon) * kx, ay = (c[2 * v + 1] - lat) * ky;
        const bx = (c[2 * v + 2] - lon) * kx, by = (c[2 * v + 3] - lat) * ky;
        const dx = bx - ax, dy = by - ay, L2 = dx * dx + dy * dy;
        const t = L2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / L2)) : 0;
        const plon = c[2 * v] + t * (c[2 * v + 2] - c[2 * v]), plat = c[2 * v + 1] + t * (c[2 * v + 3] - c[2 * v + 1]);
        const dd = distanceM(lon, lat, plon, plat);
        if (!best || dd < best.accessM || (dd === best.accessM && e < best.edge)) {
          best = { edge: e, lon: plon, lat: plat, accessM: dd, alongM: 0, restM: 0 }; bestV = v;
        }
      }
      if (best && best.accessM <= r) {
        this.offsets(best, bestV);
        return best;
      }
      if (r >= maxM) return null;
    }
  }

  private offsets(s: EdgeSnap, v: number): void {
    const g = this.g, c = g.vertices;
    let along = 0, rest = 0;
    for (let i = g.edgeVStart[s.edge]; i < v; i++) along += distanceM(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]);
    along += distanceM(c[2 * v], c[2 * v + 1], s.lon, s.lat);
    rest += distanceM(s.lon, s.lat, c[2 * v + 2], c[2 * v + 3]);
    for (let i = v + 1; i < g.edgeVEnd[s.edge]; i++) rest += distanceM(c[2 * i], c[2 * i + 1], c[2 * i + 2], c[2 * i + 3]);
    s.alongM = along; s.restM = rest;
  }
}

/**
 * Nodes bucketed in a uniform grid of about two nodes a cell (a counting sort: three linear passes).
 * A box query visits the nodes inside the box, the same set a spatial index's search returns, so
 * the nearest node and its tie-break are the same. Building a Flatbush tree over every node (a
 * Hilbert sort) was most of snapping's time when a file run snaps a hundred stations once.
 */
class NodeGrid {
  private minX = Infinity; private minY = Infinity; private sx = 0; private sy = 0;
  private nx: number; private ny: number;
  private start: Int32Array; private items: Int32Array;

  constructor(private ll: Float64Array, n: number) {
    let maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      const x = ll[2 * i], y = ll[2 * i + 1];
      if (x < this.minX) this.minX = x; if (x > maxX) maxX = x; if (y < this.minY) this.minY = y; if (y > maxY) maxY = y;
    }
    const side = Math.max(1, Math.round(Math.sqrt(n / 2)));
    this.nx = side; this.ny = side;
    this.sx = side / Math.max(maxX - this.minX, 1e-9); this.sy = side / Math.max(maxY - this.minY, 1e-9);
    const cellOf = new Int32Array(n);
    const start = new Int32Array(side * side + 1);
    for (let i = 0; i < n; i++) { const c = this.cell(ll[2 * i], ll[2 * i + 1]); cellOf[i] = c; start[c + 1]++; }
    for (let c = 0; c < side * side; c++) start[c + 1] += start[c];
    const fill = start.slice(0, side * side), items = new Int32Array(n);
    for (let i = 0; i < n; i++) items[fill[cellOf[i]]++] = i;
    this.start = start; this.items = items;
  }

  private col(x: number): number { return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) * this.sx))); }
  private row(y: number): number { return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) * this.sy))); }
  private cell(x: number, y: number): number { return this.row(y) * this.nx + this.col(x); }

  /** Calls fn for every node with x0 <= x <= x1 and y0 <= y <= y1. */
  each(x0: number, y0: number, x1: number, y1: number, fn: (n: number) => void): void {
    const c0 = this.col(x0), c1 = this.col(x1), r0 = this.row(y0), r1 = this.row(y1), ll = this.ll;
    for (let r = r0; r <= r1; r++) {
      for (let k = this.start[r * this.nx + c0], e = this.start[r * this.nx + c1 + 1]; k < e; k++) {
        const i = this.items[k], x = ll[2 * i], y = ll[2 * i + 1];
        if (x >= x0 && x <= x1 && y >= y0 && y <= y1) fn(i);
      }
    }
  }
}
