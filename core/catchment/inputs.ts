/** Project or file features -> the engine's stations, parcels and census zones. */
import { EkimaeError } from '../errors.js';
import type { Geometry, Position } from '../geo/geometry.js';
import type { Feature, Value } from '../io/types.js';
import { valueAt } from '../store/column-values.js';
import type { LayerArrays } from '../store/layer-arrays.js';
import type { StationInput } from './engine.js';
import type { ParcelInput, ZoneInput } from './interpolate.js';

const num = (v: Value | undefined): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
};
const text = (v: Value | undefined): string | null => (v === null || v === undefined || v === '' ? null : String(v));

function points(g: Geometry | null): Array<[number, number]> {
  if (!g) return [];
  if (g.type === 'Point') return [[g.coordinates[0], g.coordinates[1]]];
  if (g.type === 'MultiPoint') return g.coordinates.map((p) => [p[0], p[1]]);
  return [];
}

/**
 * Stations from point features. With a station_id field, features sharing an id are the entrances
 * of one station; without one, each feature is a station (its id from the name field or fid).
 * `names` (station_id -> name) come from the stations layer when entrances are given separately;
 * given (even empty), the features' own name field is an entrance's name, not the station's.
 */
export function stationsFromFeatures(layer: string, features: Feature[], fieldMap: Record<string, string>, names?: Map<string, string>): StationInput[] {
  const byId = new Map<string, StationInput>();
  features.forEach((f, i) => {
    const pts = points(f.geometry);
    if (f.geometry && !pts.length) throw new EkimaeError('E_INPUT_INVALID', `${layer}: feature ${f.fid ?? i + 1} is a ${f.geometry.type}, not a station or entrance point`, { layer });
    const sid = text(fieldMap.station_id ? f.properties[fieldMap.station_id] : null);
    const name = text(fieldMap.name ? f.properties[fieldMap.name] : null);
    const id = sid ?? name ?? String(f.fid ?? i + 1);
    const st = byId.get(id) ?? { id, name: names ? names.get(id) ?? null : name, points: [] };
    st.points.push(...pts);
    byId.set(id, st);
  });
  return [...byId.values()];
}

/** Area-weighted centroid of a (multi)polygon in lon/lat (small polygons: the plane is fine). */
export function centroid(g: Geometry): [number, number] | null {
  const polys: Position[][][] = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  if (!polys.length) return points(g)[0] ?? null;
  let a = 0, cx = 0, cy = 0, n = 0, sx = 0, sy = 0;
  for (const rings of polys) rings.forEach((ring, ri) => {
    const sign = ri === 0 ? 1 : -1;
    const [ox, oy] = ring[0];
    let ra = 0, rx = 0, ry = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const x0 = ring[i][0] - ox, y0 = ring[i][1] - oy, x1 = ring[i + 1][0] - ox, y1 = ring[i + 1][1] - oy;
      const c = x0 * y1 - x1 * y0;
      ra += c; rx += (x0 + x1) * c; ry += (y0 + y1) * c;
      sx += ring[i][0]; sy += ring[i][1]; n++;
    }
    const area = Math.abs(ra / 2) * sign;
    if (ra !== 0) { cx += (rx / (3 * ra) + ox) * area; cy += (ry / (3 * ra) + oy) * area; }
    a += area;
  });
  if (a > 0) return [cx / a, cy / a];
  return n ? [sx / n, sy / n] : null;
}

export function parcelsFromFeatures(features: Feature[], fieldMap: Record<string, string>): ParcelInput[] {
  const out: ParcelInput[] = [];
  features.forEach((f, i) => {
    const c = f.geometry ? centroid(f.geometry) : null;
    if (!c) return;
    out.push({
      fid: f.fid ?? i + 1, lon: c[0], lat: c[1],
      floorArea: fieldMap.floor_area ? num(f.properties[fieldMap.floor_area]) : null,
      landUse: fieldMap.land_use ? text(f.properties[fieldMap.land_use]) : null,
    });
  });
  return out;
}

/**
 * centroid() of feature i of packed geometry, with the same arithmetic in the same order (the
 * catchment's figures stay identical to the object reader's), without building the feature.
 */
function packedCentroid(a: LayerArrays, i: number): [number, number] | null {
  const g = a.geometry!;
  const t = g.types[i], c = g.coords;
  const p0 = g.featureStart[i], p1 = g.featureStart[i + 1];
  if (t === 1 || t === 4) return p1 > p0 ? [c[2 * g.ringStart[g.partStart[p0]]], c[2 * g.ringStart[g.partStart[p0]] + 1]] : null;
  if ((t !== 3 && t !== 6) || p1 === p0) return null;
  let area = 0, cx = 0, cy = 0, n = 0, sx = 0, sy = 0;
  for (let p = p0; p < p1; p++) {
    for (let r = g.partStart[p]; r < g.partStart[p + 1]; r++) {
      const sign = r === g.partStart[p] ? 1 : -1;
      const v0 = g.ringStart[r], v1 = g.ringStart[r + 1];
      if (v1 === v0) continue;
      const ox = c[2 * v0], oy = c[2 * v0 + 1];
      let ra = 0, rx = 0, ry = 0;
      for (let v = v0; v + 1 < v1; v++) {
        const x0 = c[2 * v] - ox, y0 = c[2 * v + 1] - oy, x1 = c[2 * v + 2] - ox, y1 = c[2 * v + 3] - oy;
        const cr = x0 * y1 - x1 * y0;
        ra += cr; rx += (x0 + x1) * cr; ry += (y0 + y1) * cr;
        sx += c[2 * v]; sy += c[2 * v + 1]; n++;
      }
      const ar = Math.abs(ra / 2) * sign;
      if (ra !== 0) { cx += (rx / (3 * ra) + ox) * ar; cy += (ry / (3 * ra) + oy) * ar; }
      area += ar;
    }
  }
  if (area > 0) return [cx / area, cy / area];
  return n ? [sx / n, sy / n] : null;
}

/** parcelsFromFeatures on a layer read as typed arrays (core/store/layer-arrays.ts): the same parcels. */
export function parcelsFromArrays(a: LayerArrays, fieldMap: Record<string, string>): ParcelInput[] {
  const out: ParcelInput[] = [];
  const fa = fieldMap.floor_area ? a.columns[fieldMap.floor_area] : null, lu = fieldMap.land_use ? a.columns[fieldMap.land_use] : null;
  for (let i = 0; i < a.count; i++) {
    const c = packedCentroid(a, i);
    if (!c) continue;
    out.push({ fid: a.fids[i], lon: c[0], lat: c[1], floorArea: fa ? num(valueAt(fa, i)) : null, landUse: lu ? text(valueAt(lu, i)) : null });
  }
  return out;
}

export function zonesFromFeatures(features: Feature[], fieldMap: Record<string, string>): ZoneInput[] {
  const out: ZoneInput[] = [];
  features.forEach((f, i) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
    out.push({
      fid: f.fid ?? i + 1,
      id: text(fieldMap.zone_id ? f.properties[fieldMap.zone_id] : null) ?? text(fieldMap.name ? f.properties[fieldMap.name] : null) ?? String(f.fid ?? i + 1),
      polygons: g.type === 'Polygon' ? [g.coordinates] : g.coordinates,
      population: fieldMap.population ? num(f.properties[fieldMap.population]) : null,
      jobs: fieldMap.jobs ? num(f.properties[fieldMap.jobs]) : null,
    });
  });
  return out;
}
