/**
 * How much of each census zone the study site covers. The site is the union of the parcels with
 * every gap narrower than 2 × gapM filled (streets, road reserves, rail corridors, narrow rivers):
 * a morphological closing of the rasterised parcels, which leaves the site's outer edge where the
 * outermost parcels end. Measured on a square grid (cellM) in the local metric projection.
 */
import Flatbush from 'flatbush';
import type { Rings } from './parcel-geometry.js';
import { flatRings, type FlatRings } from './prepare.js';

export interface CoverOptions { gapM: number; cellM: number }
/** 4 million cells: two distance fields of 8 bytes a cell, about 80 MB at worst. */
const MAX_CELLS = 4e6;

/**
 * Polygons as offsets into one coordinate array (prepare.ts FlatRings without the per-parcel level):
 * polygon q has rings polyRing[q]..polyRing[q + 1], ring k its x,y pairs at xy[ringCoord[k]]..xy[ringCoord[k + 1]].
 * A million parcels stay a few typed arrays instead of ~7 million nested arrays held through the
 * whole measurement (their garbage collection grew faster than the parcel count).
 */
interface FlatPolys { polyRing: ArrayLike<number>; ringCoord: ArrayLike<number>; xy: ArrayLike<number> }

function flatOf(polys: Rings[]): FlatPolys {
  const polyRing = [0], ringCoord = [0], xy: number[] = [];
  for (const poly of polys) {
    for (const ring of poly) { for (const [x, y] of ring) xy.push(x, y); ringCoord.push(xy.length); }
    polyRing.push(ringCoord.length - 1);
  }
  return { polyRing, ringCoord, xy };
}

/** Box of the outer rings of polygons q0..q1 (a polygon without rings adds nothing). */
function boxOf(f: FlatPolys, q0: number, q1: number, out: Float64Array): Float64Array {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let q = q0; q < q1; q++) {
    const k = f.polyRing[q];
    if (k >= f.polyRing[q + 1]) continue;
    for (let c = f.ringCoord[k], e = f.ringCoord[k + 1]; c < e; c += 2) {
      const x = f.xy[c], y = f.xy[c + 1];
      if (x < x0) x0 = x; if (y < y0) y0 = y; if (x > x1) x1 = x; if (y > y1) y1 = y;
    }
  }
  out[0] = x0; out[1] = y0; out[2] = x1; out[3] = y1;
  return out;
}

interface Grid { x0: number; y0: number; w: number; h: number; cell: number }

const xs: number[] = [];
const pbox = new Float64Array(4);

/** Set the cells whose centre lies inside polygons q0..q1 (even-odd over all rings: holes stay empty). */
function fill(g: Grid, f: FlatPolys, q0: number, q1: number, out: Uint8Array): void {
  for (let q = q0; q < q1; q++) {
    const [bx0, by0, , by1] = boxOf(f, q, q + 1, pbox);
    if (!(bx0 < Infinity)) continue;
    const j0 = Math.max(0, Math.ceil((by0 - g.y0) / g.cell - 0.5)), j1 = Math.min(g.h - 1, Math.floor((by1 - g.y0) / g.cell - 0.5));
    for (let j = j0; j <= j1; j++) {
      const y = g.y0 + (j + 0.5) * g.cell;
      xs.length = 0;
      for (let k = f.polyRing[q]; k < f.polyRing[q + 1]; k++) crossings(f.xy, f.ringCoord[k], f.ringCoord[k + 1], y, xs);
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil((xs[k] - g.x0) / g.cell - 0.5)), i1 = Math.min(g.w - 1, Math.floor((xs[k + 1] - g.x0) / g.cell - 0.5));
        for (let i = i0; i <= i1; i++) out[j * g.w + i] = 1;
      }
    }
  }
}

/** x of each edge of the ring at xy[from..to) crossing the line at y, in the ring's order. */
function crossings(xy: ArrayLike<number>, from: number, to: number, y: number, out: number[]): void {
  const n = (to - from) / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = xy[from + 2 * i], yi = xy[from + 2 * i + 1], xj = xy[from + 2 * j], yj = xy[from + 2 * j + 1];
    if ((yi > y) !== (yj > y)) out.push(xi + ((y - yi) * (xj - xi)) / (yj - yi));
  }
}

/** One pass of the 1-D squared distance transform over f[0..len) into out (Felzenszwalb & Huttenlocher 2012). */
function pass1d(len: number, f: Float64Array, out: Float64Array, z: Float64Array, v: Int32Array, INF: number): void {
  let m = 0;
  v[0] = 0; z[0] = -INF; z[1] = INF;
  for (let q = 1; q < len; q++) {
    let s = ((f[q] + q * q) - (f[v[m]] + v[m] * v[m])) / (2 * q - 2 * v[m]);
    while (s <= z[m]) { m--; s = ((f[q] + q * q) - (f[v[m]] + v[m] * v[m])) / (2 * q - 2 * v[m]); }
    m++; v[m] = q; z[m] = s; z[m + 1] = INF;
  }
  m = 0;
  for (let q = 0; q < len; q++) {
    while (z[m + 1] < q) m++;
    out[q] = (q - v[m]) ** 2 + f[v[m]];
  }
}

/** Squared Euclidean distance (in cells²) from every cell to the nearest cell with mask = target: columns, then rows. */
function distance2(mask: Uint8Array, w: number, h: number, target: number): Float64Array {
  const INF = 1e20;
  const d = new Float64Array(w * h);
  for (let o = 0; o < d.length; o++) d[o] = mask[o] === target ? 0 : INF;
  const n = Math.max(w, h);
  const f = new Float64Array(n), out = new Float64Array(n), z = new Float64Array(n + 1), v = new Int32Array(n);
  for (let i = 0; i < w; i++) {
    for (let j = 0; j < h; j++) f[j] = d[j * w + i];
    pass1d(h, f, out, z, v, INF);
    for (let j = 0; j < h; j++) d[j * w + i] = out[j];
  }
  for (let j = 0; j < h; j++) {
    const row = j * w;
    for (let i = 0; i < w; i++) f[i] = d[row + i];
    pass1d(w, f, out, z, v, INF);
    for (let i = 0; i < w; i++) d[row + i] = out[i];
  }
  return d;
}

/**
 * For each zone: (zone cells inside the closed site) / (zone cells), in [0, 1]; 0 for a zone too
 * small to hold a cell centre. Zones and parcels are polygons in one metric projection (the parcels
 * as prepareParcels keeps them, or as lists of rings).
 */
export function zoneCoverShares(zones: Rings[][], parcelShapes: FlatRings | Rings[][], opts: CoverOptions): Float64Array {
  const { gapM } = opts;
  const parcels = Array.isArray(parcelShapes) ? flatRings(parcelShapes, (c) => c) : parcelShapes;
  const n = parcels.parcelPoly.length - 1;
  const boxes = new Float64Array(4 * n), b = new Float64Array(4);
  // Each zone's grid takes the parcels whose box meets it: through an index, not a scan of every
  // parcel per zone (2,000 zones x 1M parcels at metropolitan scale). Filling is idempotent, so the
  // order parcels come back in does not change the grid.
  const indexed = new Int32Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) {
    boxOf(parcels, parcels.parcelPoly[k], parcels.parcelPoly[k + 1], b);
    boxes.set(b, 4 * k);
    if (b[0] <= b[2] && b[1] <= b[3]) indexed[m++] = k;
  }
  const index = m ? new Flatbush(m) : null;
  if (index) { for (let j = 0; j < m; j++) { const o = 4 * indexed[j]; index.add(boxes[o], boxes[o + 1], boxes[o + 2], boxes[o + 3]); } index.finish(); }
  const out = new Float64Array(zones.length);
  zones.forEach((zone, z) => {
    const zf = flatOf(zone);
    const [zx0, zy0, zx1, zy1] = boxOf(zf, 0, zone.length, new Float64Array(4));
    if (!(zx0 < Infinity)) return;
    // Dilation at a zone cell needs parcels within gapM, erosion needs dilated cells within gapM: 2 × gapM of margin.
    const span = (cell: number) => (zx1 - zx0 + 4 * (gapM + cell) + cell) * (zy1 - zy0 + 4 * (gapM + cell) + cell) / (cell * cell);
    // A zone too large for the grid budget is measured on coarser cells: a share is a ratio, it survives that.
    let cellM = opts.cellM;
    while (span(cellM) > MAX_CELLS) cellM *= 1.25;
    const margin = 2 * (gapM + cellM);
    const g: Grid = { x0: zx0 - margin, y0: zy0 - margin, w: 0, h: 0, cell: cellM };
    g.w = Math.ceil((zx1 + margin - g.x0) / cellM);
    g.h = Math.ceil((zy1 + margin - g.y0) / cellM);
    const site = new Uint8Array(g.w * g.h);
    const gx1 = g.x0 + g.w * cellM, gy1 = g.y0 + g.h * cellM;
    if (index) for (const j of index.search(g.x0, g.y0, gx1, gy1)) { const k = indexed[j]; fill(g, parcels, parcels.parcelPoly[k], parcels.parcelPoly[k + 1], site); }
    const zoneMask = new Uint8Array(g.w * g.h);
    fill(g, zf, 0, zone.length, zoneMask);
    const toSite = distance2(site, g.w, g.h, 1);
    const dilated = new Uint8Array(site.length);
    const r2 = (gapM / cellM) ** 2;
    for (let o = 0; o < site.length; o++) dilated[o] = toSite[o] <= r2 ? 1 : 0;
    const toOutside = distance2(dilated, g.w, g.h, 0);
    let inZone = 0, covered = 0;
    for (let o = 0; o < site.length; o++) {
      if (zoneMask[o] !== 1) continue;
      inZone++;
      if (toOutside[o] > r2) covered++;
    }
    out[z] = inZone > 0 ? covered / inZone : 0;
  });
  return out;
}
