/**
 * Where a comment's pin goes: on a feature (a parcel's interior, a line's middle, a point itself)
 * and whether a place is near enough to the plan to be about it.
 */
import type { BBox, Geometry, Position } from '../geo/geometry.js';
import { ringSignedArea } from '../geo/geometry.js';

/** Pins may sit a little outside the plan's layers (the street beyond the last parcel), not anywhere on Earth. */
export const PIN_MARGIN_MIN_DEG = 0.01;
export const PIN_MARGIN_FRACTION = 0.25;

/** The plan's extent grown by the pin margin: max(0.01°, 25% of the larger side) on every side. */
export function pinArea(extent: BBox | null): BBox | null {
  if (!extent) return null;
  const m = Math.max(PIN_MARGIN_MIN_DEG, PIN_MARGIN_FRACTION * Math.max(extent[2] - extent[0], extent[3] - extent[1]));
  return [Math.max(-180, extent[0] - m), Math.max(-90, extent[1] - m), Math.min(180, extent[2] + m), Math.min(90, extent[3] + m)];
}

export function insideBox(box: BBox, lon: number, lat: number): boolean {
  return lon >= box[0] && lon <= box[2] && lat >= box[1] && lat <= box[3];
}

function ringCentroid(ring: Position[]): { a: number; x: number; y: number } {
  // Shifted to the first vertex so lon/lat magnitudes do not swamp a small parcel's cross products.
  const [ox, oy] = ring[0];
  let a = 0, x = 0, y = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const x0 = ring[i][0] - ox, y0 = ring[i][1] - oy, x1 = ring[i + 1][0] - ox, y1 = ring[i + 1][1] - oy;
    const c = x0 * y1 - x1 * y0;
    a += c; x += (x0 + x1) * c; y += (y0 + y1) * c;
  }
  a /= 2;
  return a === 0 ? { a: 0, x: ox, y: oy } : { a, x: ox + x / (6 * a), y: oy + y / (6 * a) };
}

/** Area centroid of polygons (holes subtract), every ring treated by its absolute orientation. */
function polygonsCentroid(polys: Position[][][]): Position | null {
  let A = 0, X = 0, Y = 0;
  for (const rings of polys) {
    rings.forEach((ring, i) => {
      if (ring.length < 4) return;
      const c = ringCentroid(ring);
      const a = Math.abs(c.a) * (i === 0 ? 1 : -1);
      A += a; X += c.x * a; Y += c.y * a;
    });
  }
  return A > 0 ? [X / A, Y / A] : null;
}

function insidePolygon(rings: Position[][], [x, y]: Position): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i], [xj, yj] = ring[j];
      if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** The middle of the widest inside stretch of the horizontal line at y (null if the line misses). */
function scanlineInterior(rings: Position[][], y: number): Position | null {
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0, y0] = ring[i], [x1, y1] = ring[i + 1];
      if ((y0 > y) !== (y1 > y)) xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
    }
  }
  xs.sort((a, b) => a - b);
  let best: Position | null = null, width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    if (xs[i + 1] - xs[i] > width) { width = xs[i + 1] - xs[i]; best = [(xs[i] + xs[i + 1]) / 2, y]; }
  }
  return best;
}

function lineMiddle(line: Position[]): Position | null {
  if (!line.length) return null;
  const seg = line.slice(1).map((p, i) => Math.hypot(p[0] - line[i][0], p[1] - line[i][1]));
  let half = seg.reduce((s, d) => s + d, 0) / 2;
  for (let i = 0; i < seg.length; i++) {
    if (half <= seg[i] && seg[i] > 0) {
      const t = half / seg[i];
      return [line[i][0] + t * (line[i + 1][0] - line[i][0]), line[i][1] + t * (line[i + 1][1] - line[i][1])];
    }
    half -= seg[i];
  }
  return line[0];
}

/**
 * A point on the feature to pin a comment to: a polygon's area centroid when that lies inside it,
 * otherwise (an L- or U-shaped parcel) the middle of the widest inside stretch through the centroid's
 * latitude in the largest part; the middle of a line by length; a point itself.
 */
export function anchorPoint(g: Geometry): Position | null {
  switch (g.type) {
    case 'Point': return g.coordinates;
    case 'MultiPoint': return g.coordinates[0] ?? null;
    case 'LineString': return lineMiddle(g.coordinates);
    case 'MultiLineString': {
      const longest = [...g.coordinates].sort((a, b) => lineLength(b) - lineLength(a))[0];
      return longest ? lineMiddle(longest) : null;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      const c = polygonsCentroid(polys);
      if (!c) return null;
      if (polys.some((rings) => insidePolygon(rings, c))) return c;
      const largest = [...polys].sort((a, b) => Math.abs(ringSignedArea(b[0])) - Math.abs(ringSignedArea(a[0])))[0];
      const ys = largest[0].map((p) => p[1]);
      return scanlineInterior(largest, c[1]) ?? scanlineInterior(largest, (Math.min(...ys) + Math.max(...ys)) / 2);
    }
  }
}

function lineLength(line: Position[]): number {
  let s = 0;
  for (let i = 1; i < line.length; i++) s += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return s;
}
