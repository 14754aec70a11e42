/**
 * Polygon validity checks that import flags (never silently "fixes"): ring self-intersection.
 * Rings of planning data are short (parcels: tens of vertices), so a pairwise segment test with a
 * bounding-box reject is enough; very long rings are sorted by x first (a sweep over x-intervals).
 */
import type { Polygon, MultiPolygon, Position } from './geometry.js';

function orient(a: Position, b: Position, c: Position): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

export function segmentsIntersect(p1: Position, p2: Position, p3: Position, p4: Position): boolean {
  const d1 = orient(p3, p4, p1), d2 = orient(p3, p4, p2), d3 = orient(p1, p2, p3), d4 = orient(p1, p2, p4);
  if (d1 !== d2 && d3 !== d4) return true;
  if (d1 === 0 && onSegment(p3, p4, p1)) return true;
  if (d2 === 0 && onSegment(p3, p4, p2)) return true;
  if (d3 === 0 && onSegment(p1, p2, p3)) return true;
  if (d4 === 0 && onSegment(p1, p2, p4)) return true;
  return false;
}

/** Index of the first pair of non-adjacent crossing segments of a closed ring, or null. */
export function ringSelfIntersection(ring: Position[]): [number, number] | null {
  const n = ring.length - 1; // segments
  if (n < 4) return null;
  const order = Array.from({ length: n }, (_, i) => i);
  const minx = (i: number) => Math.min(ring[i][0], ring[i + 1][0]);
  const maxx = (i: number) => Math.max(ring[i][0], ring[i + 1][0]);
  order.sort((a, b) => minx(a) - minx(b));
  for (let a = 0; a < n; a++) {
    const i = order[a];
    const ix = maxx(i);
    for (let b = a + 1; b < n; b++) {
      const j = order[b];
      if (minx(j) > ix) break;
      if (Math.abs(i - j) === 1 || Math.abs(i - j) === n - 1) continue; // neighbours share a vertex
      if (segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) return i < j ? [i, j] : [j, i];
    }
  }
  return null;
}

/** A plain-words description of the first self-intersection, or null when every ring is simple. */
export function findSelfIntersection(g: Polygon | MultiPolygon): string | null {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (let p = 0; p < polys.length; p++) {
    for (let r = 0; r < polys[p].length; r++) {
      const hit = ringSelfIntersection(polys[p][r]);
      if (hit) {
        const where = `${polys.length > 1 ? `part ${p + 1} ` : ''}${r === 0 ? 'outer ring' : `hole ${r}`}`;
        return `${where} crosses itself (segments ${hit[0] + 1} and ${hit[1] + 1})`;
      }
    }
  }
  return null;
}
