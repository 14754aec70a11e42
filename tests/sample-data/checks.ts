/** Shared checks for the sample projects: structure the engines rely on, and facts against the citation table. */
import geodesic from 'geographiclib-geodesic';
import { readFileSync } from 'node:fs';
import type { Project } from '../../core/store/project.js';
import type { Position } from '../../core/geo/geometry.js';

export const SAMPLE_DIR = new URL('../../sample-data/', import.meta.url).pathname;
export const SOURCES = JSON.parse(readFileSync(`${SAMPLE_DIR}sources.json`, 'utf8'));

const geod = geodesic.Geodesic.WGS84;
export const metres = (a: Position, b: Position): number => geod.Inverse(a[1], a[0], b[1], b[0]).s12 ?? NaN;
export const lineMetres = (pts: Position[]): number => pts.slice(1).reduce((s, p, i) => s + metres(pts[i], p), 0);

/** Geodesic area (m²) of a ring on the WGS84 ellipsoid. */
export function ringArea(ring: Position[]): number {
  const poly = geod.Polygon(false);
  for (const p of ring.slice(0, -1)) poly.AddPoint(p[1], p[0]);
  return Math.abs(poly.Compute(false, true).area ?? NaN);
}

/**
 * The decimal coordinate printed in a source quote ("13.80500°N 100.54167°E", "北緯13.82639度 東経100.54944度",
 * or a GTFS stops.txt row: stop_id, stop_name, stop_lat, stop_lon) as [lon, lat].
 */
export function quotedLonLat(quote: string): Position | null {
  const m = /(\d+\.\d+)°N\s+(\d+\.\d+)°E/.exec(quote) ?? /北緯(\d+\.\d+)度\s*東経(\d+\.\d+)度/.exec(quote) ?? /^"[^"]*","[^"]*","(\d+\.\d+)","(\d+\.\d+)"/.exec(quote);
  return m ? [Number(m[2]), Number(m[1])] : null;
}

/** Geodesic area (m²) of a Polygon or MultiPolygon: outer rings minus holes. */
export function geometryArea(g: { type: string; coordinates: unknown }): number {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][];
  return polys.reduce((s, rings) => s + rings.reduce((t, r, i) => t + (i === 0 ? 1 : -1) * ringArea(r), 0), 0);
}

export const REALDATA = `${SAMPLE_DIR}realdata/`;
export const readGeoJson = (rel: string): Array<{ properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } }> =>
  JSON.parse(readFileSync(REALDATA + rel, 'utf8')).features;

interface SourceStation { id: string; lon: number; lat: number; confidence: string; source_lon?: number; source_lat?: number }

/** Stations missing from the file, placed off their sources.json position, or more than 150 m from their cited/derived position. */
export function stationPositionProblems(got: Map<unknown, Position>, stations: SourceStation[]): string[] {
  const problems: string[] = [];
  for (const s of stations) {
    const p = got.get(s.id);
    if (!p) { problems.push(`${s.id}: not in the file`); continue; }
    if (metres(p, [s.lon, s.lat]) > 1) problems.push(`${s.id}: not at its sources.json position`);
    if (s.confidence === 'cited' || s.confidence === 'derived') {
      const d = metres(p, [s.source_lon!, s.source_lat!]);
      if (!(d < 150)) problems.push(`${s.id}: ${Math.round(d)} m from its ${s.confidence} position`);
    }
  }
  if (got.size !== stations.length) problems.push(`${got.size} stations in the file, ${stations.length} in sources.json`);
  return problems;
}

export const LAND_USES = ['residential', 'commercial', 'office', 'mixed_use', 'industrial', 'civic', 'open_space', 'transport', 'vacant', 'water'];
export const OSM_HIGHWAYS = ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'residential', 'service', 'footway', 'path', 'pedestrian', 'steps', 'unclassified', 'living_street'];

export const REQUIRED: Record<string, { role: string; type: string[]; fields: string[] }> = {
  parcels: { role: 'parcels', type: ['MULTIPOLYGON'], fields: ['parcel_id', 'land_use', 'floors', 'floor_area', 'land_value', 'ownership', 'owner_type', 'owner_name', 'station'] },
  stations: { role: 'stations', type: ['POINT'], fields: ['station_id', 'name', 'name_local', 'line'] },
  entrances: { role: 'entrances', type: ['POINT'], fields: ['station_id', 'name'] },
  rail: { role: 'rail', type: ['LINESTRING', 'MULTILINESTRING'], fields: ['line', 'name', 'status'] },
  network: { role: 'network', type: ['LINESTRING'], fields: ['highway', 'name', 'bridge', 'tunnel', 'layer', 'walkable'] },
  census: { role: 'census', type: ['MULTIPOLYGON'], fields: ['zone_id', 'name', 'name_local', 'population', 'households', 'jobs'] },
  buildings: { role: 'buildings', type: ['MULTIPOLYGON', 'POLYGON'], fields: ['floors', 'height', 'use'] },
};

/** Every role the engines need, with the exact field names, and provenance notes that say real vs synthetic. */
export function structureProblems(p: Project): string[] {
  const problems: string[] = [];
  const layers = new Map(p.layers().map((l) => [l.name, l]));
  for (const [name, req] of Object.entries(REQUIRED)) {
    const l = layers.get(name);
    if (!l) { problems.push(`missing layer ${name}`); continue; }
    if (l.role !== req.role) problems.push(`${name}: role ${l.role}`);
    if (!req.type.includes(l.geometryType)) problems.push(`${name}: geometry ${l.geometryType}`);
    const have = new Set(l.fields.map((f) => f.name));
    for (const f of req.fields) if (!have.has(f)) problems.push(`${name}: no field ${f}`);
    const note = l.provenance[0]?.note ?? '';
    if (!/REAL|SYNTHETIC|ESTIMATED|APPROXIMATED/.test(note)) problems.push(`${name}: provenance note does not say what is real`);
    if (l.count === 0) problems.push(`${name}: empty`);
  }
  return problems;
}

/** GDAL/GEOS's count of invalid geometries in a layer (null when ogrinfo is missing or lacks the SQLite dialect). */
export function invalidCount(file: string, layer: string, run: (cmd: string, args: string[]) => string): number | null {
  const out = run('ogrinfo', ['-ro', '-q', '-dialect', 'sqlite', '-sql', `SELECT sum(NOT ST_IsValid(geom)) AS bad FROM ${layer}`, file]);
  const m = /bad \(\w+\) = (\d+)/.exec(out);
  return m ? Number(m[1]) : null;
}

/** Number of connected pieces of the walkable network, joining lines at identical coordinates. */
export function walkComponents(lines: Position[][]): number[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  const key = (c: Position) => `${c[0]},${c[1]}`;
  for (const cs of lines) {
    for (const c of cs) if (!parent.has(key(c))) parent.set(key(c), key(c));
    for (let i = 1; i < cs.length; i++) { const a = find(key(cs[i - 1])), b = find(key(cs[i])); if (a !== b) parent.set(a, b); }
  }
  const sizes = new Map<string, number>();
  for (const cs of lines) { const r = find(key(cs[0])); sizes.set(r, (sizes.get(r) ?? 0) + 1); }
  return [...sizes.values()].sort((a, b) => b - a);
}
