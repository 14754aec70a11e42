/**
 * How much of each census zone the study site covers. The site is the union of the parcels with
 * every gap narrower than 2 × gapM filled (streets, road reserves, rail corridors, narrow rivers):
 * a morphological closing of the rasterised parcels, which leaves the site's outer edge where the
 * outermost parcels end. Measured on a square grid (cellM) in the local metric projection.
 */
import Flatbush from 'flatbush';
import type { Position } from '../geo/geometry.js';
import type { Rings } from './parcel-geometry.js';

export interface CoverOptions { gapM: number; cellM: number }
type Box = [number, number, number, number];
/** 4 million cells: two distance fields of 8 bytes a cell, about 80 MB at worst. */
const MAX_CELLS = 4e6;

function boxOf(polys: Rings[]): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const poly of polys) for (const [x, y] of poly[0] ?? []) {
    if (x < x0) x0 = x; if (y < y0) y0 = y; if (x > x1) x1 = x; if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}

interface Grid { x0: number; y0: number; w: number; h: number; cell: number }

/** Set the cells whose centre lies inside the polygons (even-odd over all rings: holes stay empty). */
function fill(g: Grid, polys: Rings[], out: Uint8Array): void {
  const xs: number[] = [];
  for (const poly of polys) {
    const [bx0, by0, , by1] = boxOf([poly]);
    if (!(bx0 < Infinity)) continue;
    const j0 = Math.max(0, Math.ceil((by0 - g.y0) / g.cell - 0.5)), j1 = Math.min(g.h - 1, Math.floor((by1 - g.y0) / g.cell - 0.5));
    for (let j = j0; j <= j1; j++) {
      const y = g.y0 + (j + 0.5) * g.cell;
      xs.length = 0;
      for (const ring of poly) crossings(ring, y, xs);
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil((xs[k] - g.x0) / g.cell - 0.5)), i1 = Math.min(g.w - 1, Math.floor((xs[k + 1] - g.x0) / g.cell - 0.5));
        for (let i = i0; i <= i1; i++) out[j * g.w + i] = 1;
      }
    }
  }
}

function crossings(r: Position[], y: number, xs: number[]): void {
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const yi = r[i][1], yj = r[j][1];
    if ((yi > y) !== (yj > y)) xs.push(r[i][0] + ((y - yi) * (r[j][0] - r[i][0])) / (yj - yi));
  }
}

/** Squared Euclidean distance (in cells²) from every cell to the nearest cell with mask = target (Felzenszwalb & Huttenlocher 2012). */
function distance2(mask: Uint8Array, w: number, h: number, target: number): Float64Array {
  const INF = 1e20;
  const d = new Float64Array(w * h);
  for (let o = 0; o < d.length; o++) d[o] = mask[o] === target ? 0 : INF;
  const n = Math.max(w, h);
  const f = new Float64Array(n), out = new Float64Array(n), z = new Float64Array(n + 1), v = new Int32Array(n);
  const pass = (len: number, get: (k: number) => number, set: (k: number, x: number) => void) => {
    for (let k = 0; k < len; k++) f[k] = get(k);
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
    for (let k = 0; k < len; k++) set(k, out[k]);
  };
  for (let i = 0; i < w; i++) pass(h, (j) => d[j * w + i], (j, x) => { d[j * w + i] = x; });
  for (let j = 0; j < h; j++) pass(w, (i) => d[j * w + i], (i, x) => { d[j * w + i] = x; });
  return d;
}

/**
 * For each zone: (zone cells inside the closed site) / (zone cells), in [0, 1]; 0 for a zone too
 * small to hold a cell centre. Zones and parcels are polygons in one metric projection.
 */
export function zoneCoverShares(zones: Rings[][], parcels: Rings[][], opts: CoverOptions): Float64Array {
  const { gapM } = opts;
  const boxes = parcels.map(boxOf);
  // Each zone's grid takes the parcels whose box meets it: through an index, not a scan of every
  // parcel per zone (2,000 zones x 1M parcels at metropolitan scale). Filling is idempotent, so the
  // order parcels come back in does not change the grid.
  const indexed = boxes.flatMap((b, k) => (b[0] <= b[2] && b[1] <= b[3] ? [k] : []));
  const index = indexed.length ? new Flatbush(indexed.length) : null;
  if (index) { for (const k of indexed) index.add(boxes[k][0], boxes[k][1], boxes[k][2], boxes[k][3]); index.finish(); }
  const out = new Float64Array(zones.length);
  zones.forEach((zone, z) => {
    const [zx0, zy0, zx1, zy1] = boxOf(zone);
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
    if (index) for (const j of index.search(g.x0, g.y0, gx1, gy1)) fill(g, parcels[indexed[j]], site);
    const zoneMask = new Uint8Array(g.w * g.h);
    fill(g, zone, zoneMask);
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
