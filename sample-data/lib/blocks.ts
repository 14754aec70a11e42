/**
 * City blocks: the land left between road reserves, rail corridors, water and closed-land edges,
 * found on a 4 m raster (connected components) and traced back to polygons along cell edges.
 */
import type { XY } from './frame.js';
import { closestOnSegment, ringArea, simplifyRing } from './planar.js';

export const CELL = 4;

export interface Block { ring: XY[]; area: number }

export class Grid {
  readonly n: number;
  readonly mask: Uint8Array;
  constructor(readonly extent: number) {
    this.n = Math.ceil((2 * extent) / CELL);
    this.mask = new Uint8Array(this.n * this.n);
  }
  center(i: number, j: number): XY { return [-this.extent + (i + 0.5) * CELL, -this.extent + (j + 0.5) * CELL]; }
  /** Mark cells within halfWidth of a polyline as not buildable. */
  burnLine(pts: XY[], halfWidth: number): void {
    const hw = Math.max(halfWidth, CELL * 0.75);
    for (let k = 1; k < pts.length; k++) {
      const a = pts[k - 1], b = pts[k];
      const i0 = Math.max(0, Math.floor((Math.min(a[0], b[0]) - hw + this.extent) / CELL));
      const i1 = Math.min(this.n - 1, Math.floor((Math.max(a[0], b[0]) + hw + this.extent) / CELL));
      const j0 = Math.max(0, Math.floor((Math.min(a[1], b[1]) - hw + this.extent) / CELL));
      const j1 = Math.min(this.n - 1, Math.floor((Math.max(a[1], b[1]) + hw + this.extent) / CELL));
      for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) {
        if (closestOnSegment(this.center(i, j), a, b).d <= hw) this.mask[j * this.n + i] = 1;
      }
    }
  }
  burnOutside(radius: number): void {
    for (let j = 0; j < this.n; j++) for (let i = 0; i < this.n; i++) {
      const [x, y] = this.center(i, j);
      if (x * x + y * y > radius * radius) this.mask[j * this.n + i] = 1;
    }
  }

  blocks(minArea: number, tolerance: number): Block[] {
    const { n, mask } = this;
    const label = new Int32Array(n * n).fill(-1);
    const queue = new Int32Array(n * n);
    const out: Block[] = [];
    let next = 0;
    for (let start = 0; start < n * n; start++) {
      if (mask[start] || label[start] >= 0) continue;
      let head = 0, tail = 0;
      queue[tail++] = start;
      label[start] = next;
      while (head < tail) {
        const c = queue[head++];
        const i = c % n, j = (c - i) / n;
        if (i > 0) visit(c - 1);
        if (i < n - 1) visit(c + 1);
        if (j > 0) visit(c - n);
        if (j < n - 1) visit(c + n);
      }
      const area = tail * CELL * CELL;
      // The scan order makes `start` the lowest-row, leftmost cell: its bottom edge is on the outer boundary.
      if (area >= minArea) {
        const ring = simplifyRing(this.traceOuter(label, next, start), tolerance);
        if (ring.length >= 3 && ringArea(ring) > minArea / 2) out.push({ ring, area: ringArea(ring) });
      }
      next++;
      function visit(c: number): void {
        if (!mask[c] && label[c] < 0) { label[c] = next; queue[tail++] = c; }
      }
    }
    return out;
  }

  private traceOuter(label: Int32Array, l: number, start: number): XY[] {
    const n = this.n;
    const inside = (i: number, j: number) => i >= 0 && j >= 0 && i < n && j < n && label[j * n + i] === l;
    const DX = [1, 0, -1, 0], DY = [0, 1, 0, -1];
    const si = start % n, sj = (start - si) / n;
    let x = si + 1, y = sj, d = 0;
    const pts: XY[] = [[-this.extent + si * CELL, -this.extent + sj * CELL]];
    for (let guard = 0; guard < 4 * n * n; guard++) {
      // Cells ahead-left and ahead-right of the vertex (x, y) when heading d, region kept on the left.
      let al: boolean, ar: boolean;
      if (d === 0) { al = inside(x, y); ar = inside(x, y - 1); }
      else if (d === 1) { al = inside(x - 1, y); ar = inside(x, y); }
      else if (d === 2) { al = inside(x - 1, y - 1); ar = inside(x - 1, y); }
      else { al = inside(x, y - 1); ar = inside(x - 1, y - 1); }
      const nd = !al ? (d + 1) % 4 : ar ? (d + 3) % 4 : d;
      if (x === si && y === sj && nd === 0) break;
      if (nd !== d) pts.push([-this.extent + x * CELL, -this.extent + y * CELL]);
      d = nd;
      x += DX[d];
      y += DY[d];
    }
    return pts;
  }
}
