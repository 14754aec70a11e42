/**
 * GeoPackage import (files written by QGIS, GDAL, ArcGIS: any CRS, several layers) and export
 * (one or many layers as a standalone GeoPackage that QGIS and GDAL open).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../store/temp-dirs.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EkimaeError } from '../errors.js';
import { knowsEpsg } from '../geo/crs.js';
import {
  createFeatureTable, createSpatialIndex, getFeatureTable, initGeoPackage, insertFeatures, listFeatureTables,
  readFeatures, registerSpatialFunctions, setContentsExtent, type DB,
} from '../store/gpkg.js';
import { registerAttributesTable } from '../store/schema.js';
import type { RawLayer } from './normalize.js';
import { probeDeadlineMs, probeSqlite } from './sqlite-probe.js';
import type { SourceFile } from './source.js';
import type { ImportOptions, LayerData } from './types.js';

const SQLITE_MAGIC = 'SQLite format 3\u0000';

function srsOf(db: DB, srsId: number): string | undefined {
  const r = db.prepare('SELECT organization, organization_coordsys_id AS code, definition FROM gpkg_spatial_ref_sys WHERE srs_id = ?').get(srsId) as
    { organization: string; code: number; definition: string } | undefined;
  if (!r) return undefined;
  if (srsId === 0 || srsId === -1) return undefined; // "undefined" SRS: decided by coordinates later
  const hasDefinition = !!r.definition && r.definition !== 'undefined';
  // An EPSG code Ekimae does not list is still readable from the WKT the file carries with it.
  if (r.organization?.toUpperCase() === 'EPSG') return knowsEpsg(r.code) || !hasDefinition ? `EPSG:${r.code}` : r.definition;
  if (r.definition && r.definition !== 'undefined') return r.definition;
  return undefined;
}

export function parseGeoPackage(src: SourceFile, opts: ImportOptions = {}): RawLayer[] {
  const head = Buffer.from(src.bytes.subarray(0, 16)).toString('latin1');
  if (head !== SQLITE_MAGIC) throw new EkimaeError('E_NOT_GPKG', `${src.name} is not a GeoPackage (not an SQLite database)`, { file: src.name });
  // better-sqlite3 needs a file; the source may be in memory (zip member, upload).
  const dir = makeTempDir('gpkg');
  const path = join(dir, 'in.gpkg');
  writeFileSync(path, src.bytes);
  let db: DB | null = null;
  try {
    // Schema and row counts first, in a process that can be killed: nothing in the file can hang this one.
    const probe = probeSqlite(path, ['SELECT count(*) AS n FROM sqlite_master'], probeDeadlineMs(src.bytes.length), { fileName: src.name, gpkg: true });
    if (!probe.ok) throw new EkimaeError('E_NOT_GPKG', `${src.name} is damaged and cannot be read as SQLite: ${probe.message}`, { file: src.name });
    const views = (probe.layers ?? []).filter((l) => l.kind !== 'table').map((l) => l.table);
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      // Nothing of the file's schema may call Ekimae's functions or write; only base tables are read.
      db.pragma('trusted_schema = OFF');
      db.pragma('query_only = ON');
      registerSpatialFunctions(db);
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      throw new EkimaeError('E_NOT_GPKG', `${src.name} is damaged and cannot be read as SQLite: ${(e as Error).message}`, { file: src.name });
    }
    const hasContents = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='gpkg_contents'").get();
    const hasCols = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='gpkg_geometry_columns'").get();
    if (!hasContents || !hasCols) throw new EkimaeError('E_NOT_GPKG', `${src.name} is an SQLite database but not a GeoPackage (no gpkg_contents / gpkg_geometry_columns)`, { file: src.name });
    let tables = listFeatureTables(db);
    if (opts.layers?.length) {
      const asked = opts.layers.filter((l) => views.includes(l));
      if (asked.length) throw new EkimaeError('E_LAYER_NOT_FOUND', `${src.name}: ${asked.join(', ')} ${asked.length === 1 ? 'is a view' : 'are views'}, not ${asked.length === 1 ? 'a table' : 'tables'}; Ekimae imports only tables (a view runs arbitrary queries when read). Export it to a table with ogr2ogr first.`, { file: src.name, views: asked });
      const missing = opts.layers.filter((l) => !tables.some((t) => t.table === l));
      if (missing.length) throw new EkimaeError('E_LAYER_NOT_FOUND', `${src.name} has no layer ${missing.join(', ')}; it has ${tables.map((t) => t.table).join(', ')}`, { file: src.name });
      tables = tables.filter((t) => opts.layers!.includes(t.table));
    }
    if (!tables.length) throw new EkimaeError('E_NO_FEATURES', `${src.name} has no feature layers${views.length ? ` that are tables (left out, being views: ${views.join(', ')})` : ''}`, { file: src.name, views });
    const viewIssues = views.map((v) => ({ code: 'E_FORMAT_INVALID' as const, action: 'flagged' as const, message: `layer ${v} of ${src.name} is a view, not a table, and was left out (a view runs arbitrary queries when read)` }));
    return tables.map((t) => {
      let features;
      const bad = new Map<number, EkimaeError>();
      try {
        const onBadGeometry = (fid: number, e: EkimaeError) => {
          bad.set(fid, new EkimaeError(e.code, `geometry of fid ${fid} cannot be decoded: ${e.message}`));
        };
        // normalizeLayer skips a feature whose geometry is an error, with that reason.
        features = readFeatures(db!, t, { onBadGeometry }).map((f) => ({ geometry: bad.get(f.fid!) ?? f.geometry, properties: f.properties }));
      } catch (e) {
        if (e instanceof EkimaeError) throw new EkimaeError(e.code, `${src.name}, layer ${t.table}: ${e.message}`, { file: src.name, layer: t.table });
        throw e;
      }
      return {
        name: t.table,
        features,
        fields: t.fields,
        crs: srsOf(db!, t.srsId),
        source: { file: src.name, format: 'geopackage' as const, sourceLayer: t.table },
        ...(viewIssues.length ? { issues: viewIssues } : {}),
      };
    });
  } finally {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Write layers into a new GeoPackage file at `path` (the caller renames it into place). */
export function writeGeoPackage(path: string, layers: LayerData[], meta?: Record<string, unknown>): void {
  const db = new Database(path);
  try {
    registerSpatialFunctions(db);
    db.transaction(() => {
      initGeoPackage(db);
      for (const l of layers) {
        createFeatureTable(db, l.name, l.geometryType, l.fields);
        const box = insertFeatures(db, l.name, l.fields, l.features, { spatialIndex: true });
        createSpatialIndex(db, l.name);
        setContentsExtent(db, l.name, box);
      }
      if (meta) {
        db.exec('CREATE TABLE ekimae_export (fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value_json TEXT NOT NULL)');
        registerAttributesTable(db, 'ekimae_export', 'Ekimae: where this export came from (project, time, sources, fields left out)');
        const ins = db.prepare('INSERT INTO ekimae_export (key, value_json) VALUES (?, ?)');
        for (const [k, v] of Object.entries(meta)) ins.run(k, JSON.stringify(v));
      }
    })();
    if (!getFeatureTable(db, layers[0]?.name ?? '') && layers.length) throw new Error('layer not written');
  } finally {
    db.close();
  }
}
