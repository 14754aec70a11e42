/**
 * Area on the WGS84 sphere-equivalent (radius 6378137 m) for lon/lat polygons, the method of
 * Chamberlain & Duquette (2007) that turf and d3 use: within a fraction of a percent of the
 * ellipsoidal area at parcel scale, which is enough for charts and the inspector.
 */
import type { Geometry } from 'geojson';

const R = 6378137;
const RAD = Math.PI / 180;

export function ringArea(ring: ReadonlyArray<ArrayLike<number>>): number {
  const n = ring.length;
  if (n < 3) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const lo = ring[i];
    const mid = ring[(i + 1) % n];
    const hi = ring[(i + 2) % n];
    sum += (hi[0] - lo[0]) * RAD * Math.sin(mid[1] * RAD);
  }
  return Math.abs((sum * R * R) / 2);
}

export function geometryArea(g: Geometry | null): number {
  if (!g) return 0;
  const poly = (rings: number[][][]): number => rings.reduce((a, r, i) => a + (i === 0 ? ringArea(r) : -ringArea(r)), 0);
  if (g.type === 'Polygon') return poly(g.coordinates);
  if (g.type === 'MultiPolygon') return g.coordinates.reduce((a, p) => a + poly(p), 0);
  return 0;
}
