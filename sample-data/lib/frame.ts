/**
 * A local metric frame (metres east/north of a site centre) on the WGS84 ellipsoid's tangent plane.
 * Within the few kilometres of a station site the scale error stays far below a metre.
 */
import type { Position } from '../../core/geo/geometry.js';

export type XY = [number, number];

const A = 6378137;
const E2 = 0.00669437999014;

export interface Frame {
  lon0: number;
  lat0: number;
  toXY(p: Position): XY;
  toLonLat(p: XY): Position;
}

export function createFrame(lon0: number, lat0: number): Frame {
  const phi = (lat0 * Math.PI) / 180;
  const s = 1 - E2 * Math.sin(phi) ** 2;
  const ky = ((A * (1 - E2)) / s ** 1.5) * (Math.PI / 180);
  const kx = (A / Math.sqrt(s)) * Math.cos(phi) * (Math.PI / 180);
  return {
    lon0,
    lat0,
    toXY: ([lon, lat]) => [(lon - lon0) * kx, (lat - lat0) * ky],
    // Rounded to 1e-7 degrees (about 1 cm): stable bytes, nothing lost at planning scale.
    toLonLat: ([x, y]) => [round7(lon0 + x / kx), round7(lat0 + y / ky)],
  };
}

export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}
