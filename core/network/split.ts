/**
 * Optional noding of GIS centrelines where they cross without a shared vertex: every crossing of two
 * ground-level walkable segments (and every line end lying on another segment, within 1e-7°) gets a
 * vertex inserted into both lines at the same coordinates, so the ordinary noding joins them.
 * Bridges, tunnels and any line with a non-zero level are left alone: they cross without meeting.
 */
import Flatbush from 'flatbush';
import type { LineSource } from './types.js';

const EPS = 1e-7;

export function splitCrossings(src: LineSource): { source: LineSource; crossings: number } {
  const c = src.coords, parts = src.partFid.length;
  const segs: number[] = [];
  for (let p = 0; p < parts; p++) {
    if (!src.partWalkable[p] || src.partLevel[p] !== 0) continue;
    for (let v = src.partStart[p]; v < src.partStart[p + 1] - 1; v++) segs.push(v);
  }
  if (segs.length < 2) return { source: src, crossings: 0 };
  const ix = new Flatbush(segs.length);
  for (const v of segs) ix.add(Math.min(c[2 * v], c[2 * v + 2]) - EPS, Math.min(c[2 * v + 1], c[2 * v + 3]) - EPS, Math.max(c[2 * v], c[2 * v + 2]) + EPS, Math.max(c[2 * v + 1], c[2 * v + 3]) + EPS);
  ix.finish();
  const partOf = new Int32Array(c.length / 2);
  for (let p = 0; p < parts; p++) for (let v = src.partStart[p]; v < src.partStart[p + 1]; v++) partOf[v] = p;
  // Inserted points per segment (keyed by its first vertex): [t, lon, lat].
  const cuts = new Map<number, number[][]>();
  const add = (v: number, t: number, x: number, y: number) => { const l = cuts.get(v); if (l) l.push([t, x, y]); else cuts.set(v, [[t, x, y]]); };
  let crossings = 0;
  segs.forEach((a, i) => {
    const ax = c[2 * a], ay = c[2 * a + 1], bx = c[2 * a + 2], by = c[2 * a + 3];
    for (const k of ix.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by))) {
      if (k <= i) continue;
      const b = segs[k];
      if (partOf[a] === partOf[b] && Math.abs(a - b) <= 1) continue;
      const cx = c[2 * b], cy = c[2 * b + 1], dx = c[2 * b + 2], dy = c[2 * b + 3];
      const rx = bx - ax, ry = by - ay, sx = dx - cx, sy = dy - cy;
      const den = rx * sy - ry * sx;
      if (den === 0) continue; // parallel or collinear: overlapping centrelines are not a crossing
      const t = ((cx - ax) * sy - (cy - ay) * sx) / den, u = ((cx - ax) * ry - (cy - ay) * rx) / den;
      const ta = EPS / Math.hypot(rx, ry), tb = EPS / Math.hypot(sx, sy);
      if (t < -ta || t > 1 + ta || u < -tb || u > 1 + tb) continue;
      const endA = t <= ta || t >= 1 - ta, endB = u <= tb || u >= 1 - tb;
      if (endA && endB) continue; // vertex on vertex: ordinary noding already decides
      // Use an existing end's exact coordinates when one line ends on the other (a T).
      const [px, py] = endA ? (t <= ta ? [ax, ay] : [bx, by]) : endB ? (u <= tb ? [cx, cy] : [dx, dy]) : [ax + t * rx, ay + t * ry];
      if (!endA) add(a, t, px, py);
      if (!endB) add(b, u, px, py);
      crossings++;
    }
  });
  if (!crossings) return { source: src, crossings: 0 };
  const coords: number[] = [], partStart: number[] = [];
  for (let p = 0; p < parts; p++) {
    partStart.push(coords.length / 2);
    const end = src.partStart[p + 1];
    for (let v = src.partStart[p]; v < end; v++) {
      coords.push(c[2 * v], c[2 * v + 1]);
      const l = cuts.get(v);
      if (l && v < end - 1) for (const [, x, y] of l.sort((m, n) => m[0] - n[0])) coords.push(x, y);
    }
  }
  partStart.push(coords.length / 2);
  return { source: { ...src, coords: Float64Array.from(coords), partStart: Int32Array.from(partStart) }, crossings };
}
