/**
 * City blocks and lots on a 4 m raster: blocks are the land left between road reserves, rail
 * corridors, water and zone edges (connected components); a block is divided among its lot seeds
 * cell by cell (nearest seed), and every region is traced back to a polygon along cell edges.
 * Regions are made 4-connected and free of diagonal pinches first, so the traced ring is simple;
 * simplification is accepted only if the ring stays simple (else a finer one, else the raw ring).
 */
import type { XY } from './frame.js';
import { closestOnSegment, dist, ringArea, simplifyRing } from './planar.js';

export const CELL = 4;

export interface Block { ring: XY[]; area: number; cells: Int32Array }

export class Grid {
  readonly n: number;
  readonly mask: Uint8Array;
  constructor(readonly extent: number) {
    this.n = Math.ceil((2 * extent) / CELL);
    this.mask = new Uint8Array(this.n * this.n);
    this.owner = new Int32Array(this.n * this.n).fill(-1);
  }
  private readonly owner: Int32Array;
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
        const ring = simplifyRing(this.traceOuter((c) => label[c] === next, start), tolerance);
        if (ring.length >= 3 && ringArea(ring) > minArea / 2) out.push({ ring, area: ringArea(ring), cells: queue.slice(0, tail) });
      }
      next++;
      function visit(c: number): void {
        if (!mask[c] && label[c] < 0) { label[c] = next; queue[tail++] = c; }
      }
    }
    return out;
  }

  /**
   * Divide a block's cells among seeds (nearest seed wins) and trace each seed's region: one simple
   * ring per seed, or null when its region vanished.
   */
  partition(cells: Int32Array, seeds: XY[], tolerance: number): Array<XY[] | null> {
    const { n, owner } = this;
    const H = 48;
    const hash = new Map<number, number[]>();
    const hk = (x: number, y: number) => (x + 2000) * 4000 + (y + 2000);
    seeds.forEach((s, k) => {
      const key = hk(Math.floor(s[0] / H), Math.floor(s[1] / H));
      const l = hash.get(key);
      if (l) l.push(k); else hash.set(key, [k]);
    });
    const members: number[][] = seeds.map(() => []);
    for (const c of cells) {
      const i = c % n, j = (c - i) / n;
      const p = this.center(i, j);
      const cx = Math.floor(p[0] / H), cy = Math.floor(p[1] / H);
      let best = -1, bestD = Infinity;
      for (let r = 0; r < 400; r++) {
        if (best >= 0 && (r - 1) * H > bestD) break;
        for (let x = cx - r; x <= cx + r; x++) for (let y = cy - r; y <= cy + r; y++) {
          if (Math.max(Math.abs(x - cx), Math.abs(y - cy)) !== r) continue;
          const l = hash.get(hk(x, y));
          if (l) for (const k of l) { const d = dist(p, seeds[k]); if (d < bestD || (d === bestD && k < best)) { bestD = d; best = k; } }
        }
      }
      owner[c] = best;
      members[best].push(c);
    }
    const rings = members.map((m, k) => this.regionRing(m, k, seeds[k], tolerance));
    for (const c of cells) owner[c] = -1;
    return rings;
  }

  private regionRing(cellsOf: number[], k: number, seed: XY, tolerance: number): XY[] | null {
    const { n, owner } = this;
    if (!cellsOf.length) return null;
    const inside = (c: number) => owner[c] === k;
    let region = cellsOf;
    for (let pass = 0; pass < 8; pass++) {
      // Keep the 4-connected part holding the seed (or the first cell); the rest is left unowned.
      const si = Math.floor((seed[0] + this.extent) / CELL), sj = Math.floor((seed[1] + this.extent) / CELL);
      const sc = sj * n + si;
      const start = si >= 0 && sj >= 0 && si < n && sj < n && inside(sc) ? sc : region.find(inside);
      if (start === undefined) return null;
      const seen = new Set<number>([start]);
      const queue = [start];
      for (let h = 0; h < queue.length; h++) {
        const c = queue[h], i = c % n;
        for (const d of [i > 0 ? c - 1 : -1, i < n - 1 ? c + 1 : -1, c - n, c + n]) {
          if (d >= 0 && d < n * n && inside(d) && !seen.has(d)) { seen.add(d); queue.push(d); }
        }
      }
      for (const c of region) if (!seen.has(c)) owner[c] = -2;
      region = queue;
      // Diagonal pinches (two cells touching only at a corner) would make the ring touch itself.
      let removed = false;
      for (const c of region) {
        const i = c % n, j = (c - i) / n;
        for (const [dx, dy] of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) {
          const x = i + dx, y = j + dy;
          if (x < 0 || y < 0 || x >= n || y >= n) continue;
          if (inside(y * n + x) && !inside(j * n + x) && !inside(y * n + i)) { owner[c] = -2; removed = true; break; }
        }
      }
      if (!removed) break;
      region = region.filter(inside);
    }
    region = region.filter(inside);
    if (region.length * CELL * CELL < 25) return null;
    let start = region[0];
    for (const c of region) if (c < start) start = c;
    const raw = this.traceOuter(inside, start);
    for (const tol of [tolerance, tolerance / 2]) {
      const r = simplifyRing(raw, tol);
      if (r.length >= 3 && isSimple(r)) return r;
    }
    return raw;
  }

  private traceOuter(isIn: (c: number) => boolean, start: number): XY[] {
    const n = this.n;
    const inside = (i: number, j: number) => i >= 0 && j >= 0 && i < n && j < n && isIn(j * n + i);
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

/** True when no two non-adjacent edges of the ring meet (touching counts as meeting). */
export function isSimple(ring: XY[]): boolean {
  const m = ring.length;
  for (let a = 0; a < m; a++) {
    // A spike: the ring doubles back on itself along one line.
    const u = ring[(a + m - 1) % m], v = ring[a], w = ring[(a + 1) % m];
    const cross = (v[0] - u[0]) * (w[1] - v[1]) - (v[1] - u[1]) * (w[0] - v[0]);
    const dot = (v[0] - u[0]) * (w[0] - v[0]) + (v[1] - u[1]) * (w[1] - v[1]);
    if (Math.abs(cross) < 1e-9 && dot < 0) return false;
    const p = ring[a], q = ring[(a + 1) % m];
    const ax0 = Math.min(p[0], q[0]), ax1 = Math.max(p[0], q[0]), ay0 = Math.min(p[1], q[1]), ay1 = Math.max(p[1], q[1]);
    for (let b = a + 1; b < m; b++) {
      if (b === a + 1 || (a === 0 && b === m - 1)) continue;
      const r = ring[b], s = ring[(b + 1) % m];
      if (Math.max(r[0], s[0]) < ax0 || Math.min(r[0], s[0]) > ax1 || Math.max(r[1], s[1]) < ay0 || Math.min(r[1], s[1]) > ay1) continue;
      if (segmentsMeet(p, q, r, s)) return false;
    }
  }
  return true;
}

function segmentsMeet(p: XY, q: XY, r: XY, s: XY): boolean {
  const o = (a: XY, b: XY, c: XY) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
  const on = (a: XY, b: XY, c: XY) => Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);
  const o1 = o(p, q, r), o2 = o(p, q, s), o3 = o(r, s, p), o4 = o(r, s, q);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && on(p, q, r)) || (o2 === 0 && on(p, q, s)) || (o3 === 0 && on(r, s, p)) || (o4 === 0 && on(r, s, q));
}
