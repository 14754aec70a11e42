/**
 * Planar measures the scenario engine needs, in a local metric projection: polygon area (holes
 * subtracted), area-weighted centroid, point-in-polygon, point-to-geometry distance.
 */
import type { Geometry, Position } from '../geo/geometry.js';

export type Rings = Position[][];

/** Polygons of a geometry as lists of rings (outer first); empty for non-polygon geometry. */
export function polygonsOf(g: Geometry | null): Rings[] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') return g.coordinates;
  return [];
}

function ringSigned(r: Position[]): { a: number; cx: number; cy: number } {
  let a = 0, cx = 0, cy = 0;
  const n = r.length;
  if (n < 3) return { a: 0, cx: 0, cy: 0 };
  // Shift to the first vertex: keeps the shoelace exact to the millimetre with UTM's 6–7 digit coordinates.
  const x0 = r[0][0], y0 = r[0][1];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = r[i][0] - x0, yi = r[i][1] - y0, xj = r[j][0] - x0, yj = r[j][1] - y0;
    const c = xj * yi - xi * yj;
    a += c;
    cx += (xj + xi) * c;
    cy += (yj + yi) * c;
  }
  a /= 2;
  return a === 0 ? { a: 0, cx: x0, cy: y0 } : { a, cx: cx / (6 * a) + x0, cy: cy / (6 * a) + y0 };
}

/**
 * Area (outer rings minus holes, whatever their winding) and area-weighted centroid.
 * Area is NaN when a coordinate is not finite, so the caller flags the parcel.
 */
export function areaAndCentroid(polys: Rings[]): { area: number; cx: number; cy: number } {
  let area = 0, sx = 0, sy = 0;
  for (const poly of polys) {
    poly.forEach((ring, k) => {
      const s = ringSigned(ring);
      const w = k === 0 ? Math.abs(s.a) : -Math.abs(s.a);
      area += w;
      sx += w * s.cx;
      sy += w * s.cy;
    });
  }
  if (!Number.isFinite(area)) return { area: NaN, cx: NaN, cy: NaN };
  return area > 0 ? { area, cx: sx / area, cy: sy / area } : { area, cx: NaN, cy: NaN };
}

/** ringSigned on ring k of flat rings (x,y pairs of ring k at xy[ringCoord[k]] .. xy[ringCoord[k + 1]]): the same arithmetic. */
function ringSignedFlat(xy: Float64Array, from: number, to: number): { a: number; cx: number; cy: number } {
  let a = 0, cx = 0, cy = 0;
  const n = (to - from) / 2;
  if (n < 3) return { a: 0, cx: 0, cy: 0 };
  const x0 = xy[from], y0 = xy[from + 1];
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[from + 2 * i] - x0, yi = xy[from + 2 * i + 1] - y0, xj = xy[from + 2 * j] - x0, yj = xy[from + 2 * j + 1] - y0;
    const c = xj * yi - xi * yj;
    a += c;
    cx += (xj + xi) * c;
    cy += (yj + yi) * c;
  }
  a /= 2;
  return a === 0 ? { a: 0, cx: x0, cy: y0 } : { a, cx: cx / (6 * a) + x0, cy: cy / (6 * a) + y0 };
}

/**
 * areaAndCentroid of polygons polyFrom..polyTo of flat rings (prepare.ts FlatRings layout: polygon q
 * has rings polyRing[q]..polyRing[q + 1], ring k its x,y pairs at xy[ringCoord[k]]..xy[ringCoord[k + 1]]),
 * with the same arithmetic in the same order, so the figures do not move by a bit.
 */
export function areaAndCentroidFlat(xy: Float64Array, ringCoord: ArrayLike<number>, polyRing: ArrayLike<number>, polyFrom: number, polyTo: number): { area: number; cx: number; cy: number } {
  let area = 0, sx = 0, sy = 0;
  for (let q = polyFrom; q < polyTo; q++) {
    for (let k = polyRing[q]; k < polyRing[q + 1]; k++) {
      const s = ringSignedFlat(xy, ringCoord[k], ringCoord[k + 1]);
      const w = k === polyRing[q] ? Math.abs(s.a) : -Math.abs(s.a);
      area += w;
      sx += w * s.cx;
      sy += w * s.cy;
    }
  }
  if (!Number.isFinite(area)) return { area: NaN, cx: NaN, cy: NaN };
  return area > 0 ? { area, cx: sx / area, cy: sy / area } : { area, cx: NaN, cy: NaN };
}

function inRing(x: number, y: number, r: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const xi = r[i][0], yi = r[i][1], xj = r[j][0], yj = r[j][1];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygons(x: number, y: number, polys: Rings[]): boolean {
  for (const poly of polys) {
    if (!poly.length || !inRing(x, y, poly[0])) continue;
    let hole = false;
    for (let k = 1; k < poly.length && !hole; k++) hole = inRing(x, y, poly[k]);
    if (!hole) return true;
  }
  return false;
}

function segDist2(px: number, py: number, a: Position, b: Position): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const L = dx * dx + dy * dy;
  let t = L > 0 ? ((px - a[0]) * dx + (py - a[1]) * dy) / L : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = a[0] + t * dx - px, ey = a[1] + t * dy - py;
  return ex * ex + ey * ey;
}

/** Distance from a point to a point, line or polygon boundary geometry (0 inside a polygon). */
export function distanceToGeometry(x: number, y: number, g: Geometry): number {
  let best = Infinity;
  const line = (cs: Position[]) => {
    if (cs.length === 1) best = Math.min(best, (cs[0][0] - x) ** 2 + (cs[0][1] - y) ** 2);
    for (let i = 1; i < cs.length; i++) best = Math.min(best, segDist2(x, y, cs[i - 1], cs[i]));
  };
  switch (g.type) {
    case 'Point': line([g.coordinates]); break;
    case 'MultiPoint': for (const p of g.coordinates) line([p]); break;
    case 'LineString': line(g.coordinates); break;
    case 'MultiLineString': for (const l of g.coordinates) line(l); break;
    case 'Polygon': case 'MultiPolygon': {
      const polys = polygonsOf(g);
      if (pointInPolygons(x, y, polys)) return 0;
      for (const p of polys) for (const r of p) line(r);
    }
  }
  return Math.sqrt(best);
}
