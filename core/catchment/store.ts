/**
 * Catchment results in the project: a run row with its parameters, per-station band summaries,
 * per-parcel distances, and the band polygons as a GeoPackage feature layer QGIS draws as it is.
 * One run = one transaction.
 */
import { EkimaeError } from '../errors.js';
import { emptyBBox, extendBBox, type Geometry, type LayerGeometryType } from '../geo/geometry.js';
import { createFeatureTable, createSpatialIndex, getFeatureTable, insertFeatures, setContentsExtent, type DB } from '../store/gpkg.js';
import { nowIso } from '../store/clock.js';
import { insertRows } from '../store/bulk-insert.js';
import type { Project } from '../store/project.js';
import type { Feature, FieldDef } from '../io/types.js';
import type { Analysis, BandSummary } from './analyze.js';
import type { WalkGraph } from '../network/types.js';

export const POLYGON_LAYER = 'ekimae_catchment_polygons';
export const STREET_LAYER = 'ekimae_catchment_streets';
const STREET_FIELDS: FieldDef[] = [
  { name: 'run_id', type: 'INTEGER' }, { name: 'station_id', type: 'TEXT' }, { name: 'walk_start_m', type: 'REAL' }, { name: 'walk_end_m', type: 'REAL' },
  { name: 'network_fid', type: 'INTEGER' },
];
const POLYGON_FIELDS: FieldDef[] = [
  { name: 'run_id', type: 'INTEGER' }, { name: 'station_id', type: 'TEXT' }, { name: 'station_name', type: 'TEXT' },
  { name: 'band_m', type: 'REAL' }, { name: 'band_min', type: 'REAL' }, { name: 'area_m2', type: 'REAL' }, { name: 'pedshed', type: 'REAL' },
];

export interface RunParams {
  networkLayer: string; stationsLayer: string; entrancesLayer: string | null; parcelsLayer: string | null; censusLayer: string | null;
  snap: string; bandsM: number[]; speedMPerMin: number; cellM: number; bufferM: number;
}

export function saveRun(project: Project, p: RunParams, a: Analysis, g: WalkGraph): number {
  return project.action((db) => {
    const snaps = a.catchment.snaps.map((s) => ({
      station: a.catchment.stations[s.station].id, entrance: s.entrance + 1, lon: s.lon, lat: s.lat,
      snappedLon: s.snappedLon, snappedLat: s.snappedLat, snapM: s.snapM, component: s.component,
    }));
    const comps = { nodes: g.nodeCount, edges: g.edgeCount, components: g.components.length, islands: g.components.slice(1, 51) };
    const runId = Number(db.prepare(`INSERT INTO ekimae_catchment_runs (created_at, network_layer, stations_layer, parcels_layer, census_layer, snap, cutoff_m,
        params_json, snaps_json, components_json, warnings_json) VALUES (?,?,?,?,?,?,?,?,?,?,?)`).run(
      nowIso(), p.networkLayer, p.stationsLayer, p.parcelsLayer, p.censusLayer, p.snap, Math.max(...p.bandsM),
      JSON.stringify(p), JSON.stringify(snaps), JSON.stringify(comps), JSON.stringify(a.warnings)).lastInsertRowid);
    const band = db.prepare(`INSERT INTO ekimae_catchment_bands (run_id, station_id, station_name, band_m, nodes, network_m, area_m2, circle_m2, pedshed,
        parcels, pop_areal, jobs_areal, pop_dasymetric, jobs_dasymetric) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`);
    for (const b of a.bands) band.run(runId, b.stationId, b.stationName, b.bandM, b.nodes, b.networkM, b.areaM2, b.circleM2, b.pedshed, b.parcels, b.popAreal, b.jobsAreal, b.popDasy, b.jobsDasy);
    const fin = (x: number) => (Number.isFinite(x) ? x : null);
    const rows = a.parcels;
    insertRows(db, 'ekimae_catchment_parcels', ['run_id', 'parcel_fid', 'station_id', 'dist_m', 'access_m', 'band_m'], rows.length, (i, o, k) => {
      const r = rows[i];
      o[k] = runId; o[k + 1] = r.fid; o[k + 2] = r.stationId; o[k + 3] = fin(r.distM); o[k + 4] = fin(r.accessM); o[k + 5] = r.bandM;
    });
    const names = new Map(a.bands.map((b) => [b.stationId, b.stationName]));
    appendFeatures(db, POLYGON_LAYER, 'MULTIPOLYGON', POLYGON_FIELDS, 'Walk catchments (bands)', a.polygons.filter((x) => x.polygons).map((x) => ({
      geometry: { type: 'MultiPolygon', coordinates: x.polygons! } as Geometry,
      properties: { run_id: runId, station_id: x.stationId, station_name: names.get(x.stationId) ?? null, band_m: x.bandM, band_min: x.bandM / p.speedMPerMin, area_m2: x.areaM2, pedshed: x.pedshed },
    })));
    appendFeatures(db, STREET_LAYER, 'LINESTRING', STREET_FIELDS, 'Walk catchments (reached streets)', a.streets.filter((x) => x.coords.length > 1).map((x) => ({
      geometry: { type: 'LineString', coordinates: x.coords } as Geometry,
      properties: { run_id: runId, station_id: x.stationId, walk_start_m: x.startM, walk_end_m: x.endM, network_fid: x.edgeFid },
    })));
    return runId;
  });
}

/** Append result features to one of the catchment feature layers, creating it (with its R-tree) on first use. */
function appendFeatures(db: DB, table: string, type: LayerGeometryType, fields: FieldDef[], title: string, feats: Feature[]): void {
  if (!getFeatureTable(db, table)) {
    createFeatureTable(db, table, type, fields, title);
    createSpatialIndex(db, table);
    db.prepare('INSERT OR IGNORE INTO ekimae_layers (table_name, title, role, created_at) VALUES (?, ?, ?, ?)').run(table, title, 'other', nowIso());
  }
  const box = insertFeatures(db, table, fields, feats, { fillIndex: true });
  const all = emptyBBox();
  const t = getFeatureTable(db, table)!;
  if (t.bbox) extendBBox(all, t.bbox);
  if (box) extendBBox(all, box);
  setContentsExtent(db, table, Number.isFinite(all[0]) ? all : null);
}

export interface RunInfo {
  runId: number; createdAt: string; networkLayer: string; stationsLayer: string; parcelsLayer: string | null; censusLayer: string | null;
  snap: string; cutoffM: number; params: RunParams; snaps: unknown[]; graph: unknown; warnings: string[]; bands: BandSummary[];
}

export function latestRunId(project: Project): number | null {
  return (project.database.prepare('SELECT max(fid) FROM ekimae_catchment_runs').pluck().get() as number | null) ?? null;
}

export function readRun(project: Project, runId?: number): RunInfo {
  const db = project.database;
  const id = runId ?? latestRunId(project);
  const r = id === null ? undefined : db.prepare('SELECT * FROM ekimae_catchment_runs WHERE fid = ?').get(id) as Record<string, unknown> | undefined;
  if (!r) throw new EkimaeError('E_CATCHMENT_NOT_FOUND', runId === undefined ? 'no catchment has been run in this project yet' : `no catchment run ${runId} in this project`, { runId });
  const bands = (db.prepare('SELECT * FROM ekimae_catchment_bands WHERE run_id = ? ORDER BY station_id = ?, fid').all(id, '*') as Array<Record<string, unknown>>).map((b) => ({
    stationId: String(b.station_id), stationName: (b.station_name as string) ?? null, bandM: Number(b.band_m), nodes: Number(b.nodes), networkM: Number(b.network_m),
    areaM2: Number(b.area_m2), circleM2: Number(b.circle_m2), pedshed: Number(b.pedshed), parcels: Number(b.parcels),
    popAreal: b.pop_areal as number | null, jobsAreal: b.jobs_areal as number | null, popDasy: b.pop_dasymetric as number | null, jobsDasy: b.jobs_dasymetric as number | null,
  }));
  return {
    runId: Number(r.fid), createdAt: String(r.created_at), networkLayer: String(r.network_layer), stationsLayer: String(r.stations_layer),
    parcelsLayer: (r.parcels_layer as string) ?? null, censusLayer: (r.census_layer as string) ?? null, snap: String(r.snap), cutoffM: Number(r.cutoff_m),
    params: JSON.parse(String(r.params_json)), snaps: JSON.parse(String(r.snaps_json)), graph: JSON.parse(String(r.components_json)),
    warnings: JSON.parse(String(r.warnings_json)), bands,
  };
}

export interface ParcelRow { parcelFid: number; stationId: string | null; distM: number | null; accessM: number | null; bandM: number | null }

export function readParcels(project: Project, runId: number, offset = 0, limit = 1_000_000): ParcelRow[] {
  return (project.database.prepare('SELECT parcel_fid, station_id, dist_m, access_m, band_m FROM ekimae_catchment_parcels WHERE run_id = ? ORDER BY parcel_fid LIMIT ? OFFSET ?')
    .all(runId, limit, offset) as Array<Record<string, unknown>>).map((r) => ({
    parcelFid: Number(r.parcel_fid), stationId: (r.station_id as string) ?? null, distM: r.dist_m as number | null, accessM: r.access_m as number | null, bandM: r.band_m as number | null,
  }));
}

/** Walking distance from each parcel to its nearest station entrance in the latest run that had parcels (Infinity = unreached). */
export function latestParcelDistances(project: Project): { runId: number; parcelLayer: string; fids: Float64Array; distM: Float64Array; station: string[] } | null {
  const db = project.database;
  const r = db.prepare('SELECT fid, parcels_layer FROM ekimae_catchment_runs WHERE parcels_layer IS NOT NULL ORDER BY fid DESC LIMIT 1').get() as { fid: number; parcels_layer: string } | undefined;
  if (!r) return null;
  const rows = db.prepare('SELECT parcel_fid, dist_m, station_id FROM ekimae_catchment_parcels WHERE run_id = ? ORDER BY parcel_fid').raw(true).all(r.fid) as Array<[number, number | null, string | null]>;
  const fids = new Float64Array(rows.length), distM = new Float64Array(rows.length), station: string[] = new Array(rows.length);
  rows.forEach(([f, d, s], i) => { fids[i] = f; distM[i] = d ?? Infinity; station[i] = s ?? ''; });
  return { runId: r.fid, parcelLayer: r.parcels_layer, fids, distM, station };
}
