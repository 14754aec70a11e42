/**
 * Area of lon/lat polygons on the WGS84 ellipsoid, by projecting each ring onto the plane tangent at
 * its mean latitude (meridional radius M and prime-vertical radius N there) and taking the shoelace
 * area. At parcel to district scale (up to a few km) this is within 0.1 % of the geodesic area; a
 * sphere of the equatorial radius would be 0.6 % high near Bangkok.
 */
import type { Geometry } from 'geojson';

const A = 6378137;
const E2 = 0.00669437999014;
const RAD = Math.PI / 180;

export function ringArea(ring: ReadonlyArray<ArrayLike<number>>): number {
  const n = ring.length;
  if (n < 3) return 0;
  let lat0 = 0;
  for (let i = 0; i < n; i++) lat0 += ring[i][1];
  lat0 = (lat0 / n) * RAD;
  const w = 1 - E2 * Math.sin(lat0) ** 2;
  const m = (A * (1 - E2)) / (w * Math.sqrt(w));
  const nRad = A / Math.sqrt(w);
  const kx = nRad * Math.cos(lat0) * RAD;
  const ky = m * RAD;
  const lon0 = ring[0][0];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i];
    const q = ring[(i + 1) % n];
    sum += (p[0] - lon0) * kx * (q[1] * ky) - (q[0] - lon0) * kx * (p[1] * ky);
  }
  return Math.abs(sum / 2);
}

export function geometryArea(g: Geometry | null): number {
  if (!g) return 0;
  const poly = (rings: number[][][]): number => rings.reduce((a, r, i) => a + (i === 0 ? ringArea(r) : -ringArea(r)), 0);
  if (g.type === 'Polygon') return poly(g.coordinates);
  if (g.type === 'MultiPolygon') return g.coordinates.reduce((a, p) => a + poly(p), 0);
  return 0;
}
