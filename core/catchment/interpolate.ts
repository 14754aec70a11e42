/**
 * Census counts into catchments, two ways:
 *  - areal weighting: a zone's count times the share of its area inside the band polygon;
 *  - dasymetric: a zone's population spread over its parcels by residential floor area, its jobs by
 *    non-residential floor area (parcel -> zone by the parcel's representative point), then summed
 *    over the parcels whose walking distance falls in the band. A zone with no parcel floor area of
 *    the needed kind falls back to areal weighting for that count (reported).
 */
import Flatbush from 'flatbush';
import type { Position } from '../geo/geometry.js';
import { LocalFrame } from './frame.js';
import { inRing, type Grid } from './raster.js';

export interface ZoneInput { fid: number; id: string; polygons: Position[][][]; population: number | null; jobs: number | null }
export interface ParcelInput { fid: number; lon: number; lat: number; floorArea: number | null; landUse: string | null }

/** Share of a parcel's floor area that is residential, from its land-use label. */
export function residentialShare(landUse: string | null): number {
  if (!landUse) return 0;
  if (/mix/i.test(landUse)) return 0.5;
  if (/resid|housing|dwelling|apartment|condo|town ?house|house|^r\d*$|^r-/i.test(landUse.trim())) return 1;
  return 0;
}

function flat(ring: Position[], f?: LocalFrame): number[] {
  const out: number[] = [];
  for (const p of ring) out.push(f ? f.x(p[0]) : p[0], f ? f.y(p[1]) : p[1]);
  return out;
}

function inPolygons(polys: number[][][], x: number, y: number): boolean {
  for (const rings of polys) {
    let inside = false;
    for (const r of rings) if (inRing(r, x, y)) inside = !inside;
    if (inside) return true;
  }
  return false;
}

/** Area in m² (own local frame at the zone's first vertex). */
export function polygonsAreaM2(polys: Position[][][]): number {
  const p0 = polys[0]?.[0]?.[0];
  if (!p0) return 0;
  const f = new LocalFrame(p0[0], p0[1]);
  let a = 0;
  for (const rings of polys) rings.forEach((ring, i) => {
    const pts = flat(ring, f);
    let s = 0;
    for (let k = 0; k + 3 < pts.length; k += 2) s += pts[k] * pts[k + 3] - pts[k + 2] * pts[k + 1];
    a += (i === 0 ? 1 : -1) * Math.abs(s / 2);
  });
  return a;
}

export interface ZoneModel {
  zones: ZoneInput[];
  areaM2: Float64Array;
  /** Parcel shares of their zone's population and jobs (0 where the zone fell back). */
  parcelPop: Map<number, number>;
  parcelJobs: Map<number, number>;
  /** The same shares by position in the parcels given (0 where absent): what the catchment sums. */
  popAt: Float64Array;
  jobsAt: Float64Array;
  /** Zones whose population / jobs are areal-weighted even in the dasymetric estimate. */
  popFallback: Uint8Array;
  jobsFallback: Uint8Array;
  dasymetricAvailable: boolean;
}

/**
 * The first zone (in layer order) holding each parcel's point: zone candidates from a Flatbush index of
 * the boxes of all their rings, tried in ascending order, so the answer is the linear scan's (1M
 * parcels x 2,000 zones was the catchment's slowest step at metropolitan scale).
 */
function firstZoneOf(ll: number[][][][], pts: ReadonlyArray<{ lon: number; lat: number }>): number[] {
  const ids: number[] = [];
  const boxes: number[][] = [];
  ll.forEach((polys, z) => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const rings of polys) for (const r of rings) for (let i = 0; i < r.length; i += 2) {
      if (r[i] < x0) x0 = r[i]; if (r[i] > x1) x1 = r[i]; if (r[i + 1] < y0) y0 = r[i + 1]; if (r[i + 1] > y1) y1 = r[i + 1];
    }
    if (x0 <= x1 && y0 <= y1) { ids.push(z); boxes.push([x0, y0, x1, y1]); }
  });
  if (!ids.length) return pts.map(() => -1);
  const index = new Flatbush(ids.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  return pts.map((p) => {
    const hits = index.search(p.lon, p.lat, p.lon, p.lat).map((k) => ids[k]).sort((a, b) => a - b);
    for (const z of hits) if (inPolygons(ll[z], p.lon, p.lat)) return z;
    return -1;
  });
}

export function buildZoneModel(zones: ZoneInput[], parcels: ParcelInput[] | null): ZoneModel {
  // residentialShare by label, tested once per distinct label (a few) instead of twice per parcel (a million).
  const shares = new Map<string | null, number>();
  const residentialShareOf = (lu: string | null) => { let r = shares.get(lu); if (r === undefined) shares.set(lu, (r = residentialShare(lu))); return r; };
  const areaM2 = Float64Array.from(zones.map((z) => polygonsAreaM2(z.polygons)));
  const ps = parcels ?? [], P = ps.length;
  const popAt = new Float64Array(P), jobsAt = new Float64Array(P), popSet = new Uint8Array(P), jobsSet = new Uint8Array(P);
  // The maps by fid are built when first read (the land access run reads them; the catchment sums
  // popAt / jobsAt): two million map entries were 4 % of a catchment run at a million parcels.
  let maps: { pop: Map<number, number>; jobs: Map<number, number> } | null = null;
  const mapsOf = () => {
    if (maps) return maps;
    maps = { pop: new Map(), jobs: new Map() };
    for (let i = 0; i < P; i++) {
      if (popSet[i]) maps.pop.set(ps[i].fid, popAt[i]);
      if (jobsSet[i]) maps.jobs.set(ps[i].fid, jobsAt[i]);
    }
    return maps;
  };
  const model = (dasymetricAvailable: boolean): ZoneModel => ({
    zones, areaM2, popAt, jobsAt, popFallback, jobsFallback, dasymetricAvailable,
    get parcelPop() { return mapsOf().pop; }, get parcelJobs() { return mapsOf().jobs; },
  });
  const popFallback = new Uint8Array(zones.length).fill(1), jobsFallback = new Uint8Array(zones.length).fill(1);
  const at: number[] = [];
  for (let i = 0; i < P; i++) if (ps[i].floorArea !== null && ps[i].floorArea! > 0) at.push(i);
  if (!at.length) return model(false);
  const withFloor = at.map((i) => ps[i]);
  const ll = zones.map((z) => z.polygons.map((rings) => rings.map((r) => flat(r))));
  const zoneOf = firstZoneOf(ll, withFloor);
  const res = new Float64Array(zones.length), non = new Float64Array(zones.length);
  withFloor.forEach((p, i) => {
    const z = zoneOf[i];
    if (z < 0) return;
    const r = residentialShareOf(p.landUse);
    res[z] += p.floorArea! * r; non[z] += p.floorArea! * (1 - r);
  });
  zones.forEach((_, z) => { popFallback[z] = res[z] > 0 ? 0 : 1; jobsFallback[z] = non[z] > 0 ? 0 : 1; });
  withFloor.forEach((p, i) => {
    const z = zoneOf[i];
    if (z < 0) return;
    const r = residentialShareOf(p.landUse), k = at[i];
    if (res[z] > 0) { popAt[k] = ((zones[z].population ?? 0) * p.floorArea! * r) / res[z]; popSet[k] = 1; }
    if (non[z] > 0) { jobsAt[k] = ((zones[z].jobs ?? 0) * p.floorArea! * (1 - r)) / non[z]; jobsSet[k] = 1; }
  });
  return model(true);
}

/** Zone index per grid cell (-1 outside every zone). */
export function zoneCells(model: ZoneModel, grid: Grid): Int32Array {
  const out = new Int32Array(grid.w * grid.h).fill(-1);
  const f = grid.frame;
  model.zones.forEach((z, zi) => {
    const polys = z.polygons.map((rings) => rings.map((r) => flat(r, f)));
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const rings of polys) for (let i = 0; i < rings[0].length; i += 2) {
      minX = Math.min(minX, rings[0][i]); maxX = Math.max(maxX, rings[0][i]); minY = Math.min(minY, rings[0][i + 1]); maxY = Math.max(maxY, rings[0][i + 1]);
    }
    const i0 = Math.max(0, Math.floor((minX - grid.x0) / grid.cell)), i1 = Math.min(grid.w - 1, Math.floor((maxX - grid.x0) / grid.cell));
    const j0 = Math.max(0, Math.floor((minY - grid.y0) / grid.cell)), j1 = Math.min(grid.h - 1, Math.floor((maxY - grid.y0) / grid.cell));
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) {
      const o = j * grid.w + i;
      if (grid.value[o] === Infinity || out[o] >= 0) continue;
      if (inPolygons(polys, grid.x0 + (i + 0.5) * grid.cell, grid.y0 + (j + 0.5) * grid.cell)) out[o] = zi;
    }
  });
  return out;
}

export interface BandCounts { popAreal: number | null; jobsAreal: number | null; popDasy: number | null; jobsDasy: number | null }

/**
 * Counts within `limit`: areal from the grid cells (summed over the grids of separate groups of
 * stations), dasymetric from parcels within the band (distance given per parcel; parcelPop and
 * parcelJobs are model.parcelPop / parcelJobs by parcel position, 0 where absent).
 */
export function bandCounts(model: ZoneModel, grids: Array<{ grid: Grid | null; cells: Int32Array | null }>, limit: number,
  parcels: { idx: Int32Array; dist: Float64Array }, parcelPop: Float64Array, parcelJobs: Float64Array): BandCounts {
  const Z = model.zones.length;
  const inside = new Float64Array(Z);
  for (const { grid, cells } of grids) {
    if (!grid || !cells) continue;
    const a = grid.cell * grid.cell;
    for (let o = 0; o < cells.length; o++) if (cells[o] >= 0 && grid.value[o] <= limit) inside[cells[o]] += a;
  }
  const frac = (z: number) => (model.areaM2[z] > 0 ? Math.min(1, inside[z] / model.areaM2[z]) : 0);
  const hasPop = model.zones.some((z) => z.population !== null), hasJobs = model.zones.some((z) => z.jobs !== null);
  let popA = 0, jobsA = 0, popD = 0, jobsD = 0;
  for (let z = 0; z < Z; z++) {
    const f = frac(z);
    popA += (model.zones[z].population ?? 0) * f; jobsA += (model.zones[z].jobs ?? 0) * f;
    if (model.popFallback[z]) popD += (model.zones[z].population ?? 0) * f;
    if (model.jobsFallback[z]) jobsD += (model.zones[z].jobs ?? 0) * f;
  }
  for (let j = 0; j < parcels.idx.length; j++) {
    if (!(parcels.dist[j] <= limit)) continue;
    popD += parcelPop[parcels.idx[j]]; jobsD += parcelJobs[parcels.idx[j]];
  }
  const dasy = model.dasymetricAvailable;
  return {
    popAreal: hasPop ? popA : null, jobsAreal: hasJobs ? jobsA : null,
    popDasy: dasy && hasPop ? popD : null, jobsDasy: dasy && hasJobs ? jobsD : null,
  };
}
