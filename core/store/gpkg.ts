/**
 * The OGC GeoPackage 1.3 layer: core tables, feature tables with GPKG binary geometry, the R-tree
 * spatial index extension with its standard triggers. Ekimae-specific tables live in project.ts.
 */
import Database from 'better-sqlite3';
import { EkimaeError } from '../errors.js';
import { bboxOf, emptyBBox, extendBBox, type BBox, type LayerGeometryType } from '../geo/geometry.js';
import { decodeGpkg, encodeGpkg, gpkgEnvelope, readGpkgHeader } from '../geo/wkb.js';
import { WGS84_WKT } from '../geo/crs.js';
import type { Feature, FieldDef, FieldType, Properties, Value } from '../io/types.js';

export type DB = Database.Database;

export const GPKG_APPLICATION_ID = 0x47504b47; // 'GPKG'
export const GPKG_USER_VERSION = 10300; // 1.3.0

/** Quote an SQL identifier (table or column names come from user files). */
export const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Open a database with the ST_* functions the R-tree triggers call, as GDAL and QGIS also define them. */
export function openDatabase(path: string, opts: { readonly?: boolean; mustExist?: boolean } = {}): DB {
  let db: DB;
  try {
    db = new Database(path, { readonly: !!opts.readonly, fileMustExist: !!opts.mustExist });
  } catch (e) {
    throw new EkimaeError('E_PROJECT_NOT_FOUND', `cannot open ${path}: ${(e as Error).message}`, { path });
  }
  registerSpatialFunctions(db);
  return db;
}

export function registerSpatialFunctions(db: DB): void {
  const env = (i: number) => (blob: unknown) => {
    if (!(blob instanceof Uint8Array)) return null;
    try { const e = gpkgEnvelope(blob); return e ? e[i] : null; } catch { return null; }
  };
  db.function('ST_MinX', { deterministic: true }, env(0));
  db.function('ST_MaxX', { deterministic: true }, env(1));
  db.function('ST_MinY', { deterministic: true }, env(2));
  db.function('ST_MaxY', { deterministic: true }, env(3));
  db.function('ST_IsEmpty', { deterministic: true }, (blob: unknown) => {
    if (!(blob instanceof Uint8Array)) return 1;
    try { return readGpkgHeader(blob).empty ? 1 : 0; } catch { return 1; }
  });
}

export function initGeoPackage(db: DB): void {
  db.pragma(`application_id = ${GPKG_APPLICATION_ID}`);
  db.pragma(`user_version = ${GPKG_USER_VERSION}`);
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
      description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    CREATE TABLE gpkg_extensions (
      table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
      scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
  `);
  const srs = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)');
  srs.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system');
  srs.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system');
  srs.run('WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
}

export function isGeoPackage(db: DB): boolean {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const hasContents = db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='gpkg_contents'").get();
  return (appId === GPKG_APPLICATION_ID || appId === 0x47503130 /* GP10 */ || appId === 0x47503131) && !!hasContents;
}

const SQL_TYPE: Record<FieldType, string> = {
  TEXT: 'TEXT', INTEGER: 'INTEGER', REAL: 'DOUBLE', BOOLEAN: 'BOOLEAN', DATE: 'DATE', DATETIME: 'DATETIME',
};

export function fieldTypeFromSql(t: string): FieldType {
  const u = t.toUpperCase();
  if (/^(INT|INTEGER|MEDIUMINT|SMALLINT|TINYINT)/.test(u)) return 'INTEGER';
  if (/^(DOUBLE|REAL|FLOAT|NUMERIC)/.test(u)) return 'REAL';
  if (u === 'BOOLEAN') return 'BOOLEAN';
  if (u === 'DATE') return 'DATE';
  if (u === 'DATETIME') return 'DATETIME';
  return 'TEXT';
}

export interface FeatureTableInfo {
  table: string;
  geometryColumn: string;
  geometryType: string;
  srsId: number;
  fields: FieldDef[];
  count: number;
  bbox: BBox | null;
  identifier: string | null;
}

export function createFeatureTable(
  db: DB, table: string, geometryType: LayerGeometryType, fields: FieldDef[], identifier = table,
): void {
  const cols = fields.map((f) => `${q(f.name)} ${SQL_TYPE[f.type]}`);
  db.exec(`CREATE TABLE ${q(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom ${geometryType}${cols.length ? ', ' + cols.join(', ') : ''})`);
  db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) VALUES (?, 'features', ?, 4326)`).run(table, identifier);
  db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, 4326, 0, 0)`).run(table, geometryType);
}

function toSqlValue(v: Value | undefined, type: FieldType): string | number | null {
  if (v === null || v === undefined) return null;
  if (type === 'BOOLEAN') return v === true || v === 1 || v === 'true' ? 1 : 0;
  if (type === 'INTEGER' || type === 'REAL') return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : v;
  return typeof v === 'string' ? v : String(v);
}

/**
 * Insert features (geometry already in EPSG:4326); returns the layer's extent. Call inside a transaction.
 * With spatialIndex, the R-tree table is created first and filled row by row from the boxes computed
 * here anyway (createSpatialIndex then only adds its triggers): filling it afterwards through the
 * ST_* SQL functions costs four JS calls per row, most of a large import's time.
 */
export function insertFeatures(db: DB, table: string, fields: FieldDef[], features: Feature[], opts: { spatialIndex?: boolean; fillIndex?: boolean } = {}): BBox | null {
  const cols = ['geom', ...fields.map((f) => q(f.name))];
  const stmt = db.prepare(`INSERT INTO ${q(table)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
  let rt: Database.Statement | null = null;
  let trigger: string | null = null;
  if (opts.spatialIndex) {
    const name = `rtree_${table}_geom`;
    db.exec(`CREATE VIRTUAL TABLE ${q(name)} USING rtree(id, minx, maxx, miny, maxy)`);
    rt = db.prepare(`INSERT INTO ${q(name)} VALUES (?, ?, ?, ?, ?)`);
  } else if (opts.fillIndex) {
    // An indexed table: its insert trigger fills the R-tree through four ST_* calls into JS per row
    // (most of the time a catchment's reached streets took to store). Lifted for this batch and
    // recreated from its own SQL, the rows' boxes computed here go in directly: the same R-tree rows.
    const name = `rtree_${table}_geom`;
    trigger = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?").pluck().get(`${name}_insert`) as string | undefined) ?? null;
    if (trigger) {
      db.exec(`DROP TRIGGER ${q(`${name}_insert`)}`);
      rt = db.prepare(`INSERT OR REPLACE INTO ${q(name)} VALUES (?, ?, ?, ?, ?)`);
    }
  }
  const box = emptyBBox();
  const row: Array<string | number | Buffer | null> = new Array(cols.length);
  // A large layer touches more pages (table and R-tree nodes) than SQLite's default 2 MB page cache
  // holds; spilling and re-reading them mid-transaction made a 1M-feature import twice as slow.
  const prevCache = db.pragma('cache_size', { simple: true }) as number;
  const big = features.length > 10_000 && prevCache > -65536 && prevCache < 16384;
  if (big) db.pragma('cache_size = -65536');
  try {
    for (const f of features) {
      const b = f.geometry ? bboxOf(f.geometry) : null;
      if (f.geometry) {
        row[0] = encodeGpkg(f.geometry, 4326, b!);
        extendBBox(box, b!);
      } else row[0] = null;
      for (let i = 0; i < fields.length; i++) row[i + 1] = toSqlValue(f.properties[fields[i].name], fields[i].type);
      const res = stmt.run(row);
      if (rt && b) rt.run(res.lastInsertRowid, b[0], b[2], b[1], b[3]);
    }
  } finally {
    if (big) db.pragma(`cache_size = ${prevCache}`);
    if (trigger && db.open) db.exec(trigger);
  }
  return Number.isFinite(box[0]) ? box : null;
}

/** Create the R-tree index and its triggers, filled in one pass (faster than trigger-by-trigger on import). */
export function createSpatialIndex(db: DB, table: string, column = 'geom'): void {
  const t = table, c = column, rt = `rtree_${t}_${c}`;
  // Already created and filled by insertFeatures(..., { spatialIndex: true })?
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(rt)) {
    db.exec(`CREATE VIRTUAL TABLE ${q(rt)} USING rtree(id, minx, maxx, miny, maxy)`);
    db.exec(`INSERT INTO ${q(rt)} SELECT fid, ST_MinX(${q(c)}), ST_MaxX(${q(c)}), ST_MinY(${q(c)}), ST_MaxY(${q(c)})
             FROM ${q(t)} WHERE ${q(c)} NOT NULL AND NOT ST_IsEmpty(${q(c)})`);
  }
  const T = q(t), C = q(c), R = q(rt);
  const vals = `NEW.fid, ST_MinX(NEW.${C}), ST_MaxX(NEW.${C}), ST_MinY(NEW.${C}), ST_MaxY(NEW.${C})`;
  db.exec(`
    CREATE TRIGGER ${q(`${rt}_insert`)} AFTER INSERT ON ${T} WHEN (new.${C} NOT NULL AND NOT ST_IsEmpty(NEW.${C}))
    BEGIN INSERT OR REPLACE INTO ${R} VALUES (${vals}); END;
    CREATE TRIGGER ${q(`${rt}_update1`)} AFTER UPDATE OF ${C} ON ${T} WHEN OLD.fid = NEW.fid AND (NEW.${C} NOTNULL AND NOT ST_IsEmpty(NEW.${C}))
    BEGIN INSERT OR REPLACE INTO ${R} VALUES (${vals}); END;
    CREATE TRIGGER ${q(`${rt}_update2`)} AFTER UPDATE OF ${C} ON ${T} WHEN OLD.fid = NEW.fid AND (NEW.${C} ISNULL OR ST_IsEmpty(NEW.${C}))
    BEGIN DELETE FROM ${R} WHERE id = OLD.fid; END;
    CREATE TRIGGER ${q(`${rt}_update3`)} AFTER UPDATE ON ${T} WHEN OLD.fid != NEW.fid AND (NEW.${C} NOTNULL AND NOT ST_IsEmpty(NEW.${C}))
    BEGIN DELETE FROM ${R} WHERE id = OLD.fid; INSERT OR REPLACE INTO ${R} VALUES (${vals}); END;
    CREATE TRIGGER ${q(`${rt}_update4`)} AFTER UPDATE ON ${T} WHEN OLD.fid != NEW.fid AND (NEW.${C} ISNULL OR ST_IsEmpty(NEW.${C}))
    BEGIN DELETE FROM ${R} WHERE id IN (OLD.fid, NEW.fid); END;
    CREATE TRIGGER ${q(`${rt}_delete`)} AFTER DELETE ON ${T} WHEN old.${C} NOT NULL
    BEGIN DELETE FROM ${R} WHERE id = OLD.fid; END;
  `);
  db.prepare(`INSERT INTO gpkg_extensions VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`).run(t, c);
}

export function setContentsExtent(db: DB, table: string, box: BBox | null): void {
  db.prepare(`UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=?, last_change=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name=?`)
    .run(box?.[0] ?? null, box?.[1] ?? null, box?.[2] ?? null, box?.[3] ?? null, table);
}

export function dropFeatureTable(db: DB, table: string): void {
  const rt = `rtree_${table}_geom`;
  db.exec(`DROP TABLE IF EXISTS ${q(rt)}`);
  db.exec(`DROP TABLE IF EXISTS ${q(table)}`);
  db.prepare('DELETE FROM gpkg_extensions WHERE table_name = ?').run(table);
  db.prepare('DELETE FROM gpkg_geometry_columns WHERE table_name = ?').run(table);
  db.prepare('DELETE FROM gpkg_contents WHERE table_name = ?').run(table);
}

/**
 * The feature layers: base tables only. A view registered in gpkg_contents runs its query on every
 * read (a recursive one never ends), so it is never a layer (listFeatureViews names them).
 */
export function listFeatureTables(db: DB): FeatureTableInfo[] {
  const rows = db.prepare(`SELECT c.table_name AS t, c.identifier AS ident, g.column_name AS col, g.geometry_type_name AS gt, g.srs_id AS srs,
      c.min_x, c.min_y, c.max_x, c.max_y
    FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
    WHERE c.data_type = 'features' AND c.table_name IN (SELECT name FROM sqlite_master WHERE type = 'table') ORDER BY c.table_name`).all() as Array<Record<string, unknown>>;
  return rows.map((r) => featureTableInfo(db, r));
}

/** Feature layers of gpkg_contents that are views: left out, and said so. */
export function listFeatureViews(db: DB): string[] {
  return (db.prepare(`SELECT c.table_name AS t FROM gpkg_contents c
    WHERE c.data_type = 'features' AND c.table_name IN (SELECT name FROM sqlite_master WHERE type = 'view') ORDER BY c.table_name`).all() as Array<{ t: string }>).map((r) => r.t);
}

export function getFeatureTable(db: DB, table: string): FeatureTableInfo | null {
  const r = db.prepare(`SELECT c.table_name AS t, c.identifier AS ident, g.column_name AS col, g.geometry_type_name AS gt, g.srs_id AS srs,
      c.min_x, c.min_y, c.max_x, c.max_y
    FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
    WHERE c.data_type = 'features' AND c.table_name IN (SELECT name FROM sqlite_master WHERE type = 'table') AND c.table_name = ?`).get(table) as Record<string, unknown> | undefined;
  return r ? featureTableInfo(db, r) : null;
}

function featureTableInfo(db: DB, r: Record<string, unknown>): FeatureTableInfo {
  const table = String(r.t), col = String(r.col);
  const cols = db.prepare(`PRAGMA table_info(${q(table)})`).all() as Array<{ name: string; type: string; pk: number }>;
  const fields = cols.filter((c) => c.pk === 0 && c.name !== col).map((c) => ({ name: c.name, type: fieldTypeFromSql(c.type) }));
  const bbox = r.min_x == null ? null : ([r.min_x, r.min_y, r.max_x, r.max_y] as BBox);
  // count(*) reads every page of the table (a 1M-parcel layer: a few hundred MB): counted when first
  // asked, since most callers only want a layer's name, role, fields or field map.
  let count: number | undefined;
  return {
    table, geometryColumn: col, geometryType: String(r.gt), srsId: Number(r.srs), fields, bbox,
    get count() { return (count ??= (db.prepare(`SELECT count(*) AS n FROM ${q(table)}`).get() as { n: number }).n); },
    identifier: r.ident == null ? null : String(r.ident),
  };
}

export function primaryKeyOf(db: DB, table: string): string {
  const cols = db.prepare(`PRAGMA table_info(${q(table)})`).all() as Array<{ name: string; pk: number }>;
  return cols.find((c) => c.pk === 1)?.name ?? 'rowid';
}

export interface ReadOptions {
  /** Only features whose envelope intersects [minx,miny,maxx,maxy] (through the R-tree when present). */
  bbox?: BBox;
  limit?: number;
  offset?: number;
  fids?: number[];
  /** Only these fields in the properties (in the layer's order; names it does not have are ignored); default all. */
  fields?: readonly string[];
  /** Report an undecodable geometry and return the feature with this value as geometry, instead of throwing. */
  onBadGeometry?: (fid: number, error: EkimaeError) => void;
}

/** Read features of a feature table (any GeoPackage's); geometry decoded to GeoJSON-shaped objects. */
export function readFeatures(db: DB, info: FeatureTableInfo, opts: ReadOptions = {}): Feature[] {
  const pk = primaryKeyOf(db, info.table);
  const fields = opts.fields ? info.fields.filter((f) => opts.fields!.includes(f.name)) : info.fields;
  const fieldCols = fields.map((f) => q(f.name));
  const select = [`${q(pk)} AS __fid`, `${q(info.geometryColumn)} AS __geom`, ...fieldCols].join(', ');
  let sql = `SELECT ${select} FROM ${q(info.table)}`;
  const params: unknown[] = [];
  const where: string[] = [];
  const rt = `rtree_${info.table}_${info.geometryColumn}`;
  const useRtree = !!opts.bbox && !!db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(rt);
  if (opts.bbox) {
    if (useRtree) {
      where.push(`${q(pk)} IN (SELECT id FROM ${q(rt)} WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)`);
      params.push(opts.bbox[0], opts.bbox[2], opts.bbox[1], opts.bbox[3]);
    }
  }
  if (opts.fids) { where.push(`${q(pk)} IN (SELECT value FROM json_each(?))`); params.push(JSON.stringify(opts.fids)); }
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  sql += ` ORDER BY ${q(pk)}`;
  if (opts.limit !== undefined) { sql += ' LIMIT ?'; params.push(opts.limit); }
  if (opts.offset !== undefined) { if (opts.limit === undefined) sql += ' LIMIT -1'; sql += ' OFFSET ?'; params.push(opts.offset); }
  const out: Feature[] = [];
  const stmt = db.prepare(sql).raw(true);
  for (const row of stmt.iterate(...params) as Iterable<unknown[]>) {
    const props: Properties = {};
    for (let i = 0; i < fields.length; i++) {
      const name = fields[i].name, v = fromSqlValue(row[i + 2], fields[i].type);
      // A foreign table's "__proto__" column would set the object's prototype instead of a value.
      if (name === '__proto__') Object.defineProperty(props, name, { value: v, enumerable: true, writable: true, configurable: true });
      else props[name] = v;
    }
    const blob = row[1];
    let geometry: Feature['geometry'] = null;
    try {
      geometry = blob instanceof Uint8Array ? decodeGpkg(blob) : null;
    } catch (e) {
      if (!opts.onBadGeometry || !(e instanceof EkimaeError)) throw e;
      opts.onBadGeometry(Number(row[0]), e);
    }
    if (opts.bbox && geometry && !useRtree) {
      const b = bboxOf(geometry);
      if (b[2] < opts.bbox[0] || b[0] > opts.bbox[2] || b[3] < opts.bbox[1] || b[1] > opts.bbox[3]) continue;
    }
    out.push({ fid: Number(row[0]), geometry, properties: props });
  }
  return out;
}

function fromSqlValue(v: unknown, type: FieldType): Value {
  if (v === null || v === undefined) return null;
  if (type === 'BOOLEAN') return v === 1 || v === 1n || v === true;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v as Value;
}
