/**
 * A local metric frame around a centre: x east and y north in metres from the ellipsoid's radii of
 * curvature at the centre. Over a station area (a few km) its scale error stays below 3e-4, far
 * below the 10 m raster the polygons are drawn on; distances that matter are computed on the
 * ellipsoid, never here.
 */
import { localRadii } from '../network/geodesic.js';
import type { Position } from '../geo/geometry.js';

const RAD = Math.PI / 180;

export class LocalFrame {
  readonly kx: number;
  readonly ky: number;
  constructor(readonly lon0: number, readonly lat0: number) {
    const r = localRadii(lat0);
    this.kx = r.n * RAD; this.ky = r.m * RAD;
  }
  x(lon: number): number { return (lon - this.lon0) * this.kx; }
  y(lat: number): number { return (lat - this.lat0) * this.ky; }
  toLonLat(x: number, y: number): Position { return [this.lon0 + x / this.kx, this.lat0 + y / this.ky]; }
}
