/**
 * How one GeoPackage table becomes a PostgreSQL table and back. Every table of a project is mirrored
 * column for column (its SQLite DDL is kept beside it in ekimae_pg_catalog, so a pull recreates the
 * file exactly); feature geometries become PostGIS geometry with the layer's SRID and a GiST index, so
 * QGIS opens the schema as it is.
 */
import { EkimaeError } from '../../errors.js';
import { decodeWkb, encodeGpkg, readGpkgHeader } from '../../geo/wkb.js';
import { q, type DB } from '../gpkg.js';
import { qi, type PgClient } from './client.js';

export type ColumnKind = 'int' | 'real' | 'text' | 'bool' | 'blob' | 'geom';

export interface ColumnDesc { name: string; decl: string; kind: ColumnKind; notNull: boolean }

export interface TableDesc {
  name: string;
  /** The table's CREATE TABLE statement in the GeoPackage. */
  ddl: string;
  /** Its other indexes (CREATE INDEX …) in the GeoPackage. */
  indexes: string[];
  columns: ColumnDesc[];
  uniques: string[][];
  geometry: { column: string; type: string; srsId: number } | null;
  autoincrement: boolean;
  /** References to other tables' fids (children of a result or run row). */
  foreignKeys: Array<{ column: string; table: string; to: string; onDelete: string }>;
}

/** Columns only the database has: who wrote a row and when (kept there, left out of a pulled file). */
export const AUDIT_COLUMNS = ['ekimae_changed_by', 'ekimae_changed_at'] as const;

/** The project's own tables: every table but the GeoPackage's bookkeeping, R-trees and SQLite's. */
export function mirroredTables(db: DB): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'gpkg\\_%' ESCAPE '\\'
      AND name NOT LIKE 'rtree\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
}

function kindOf(decl: string): ColumnKind {
  const d = decl.toUpperCase();
  if (/INT/.test(d)) return 'int';
  if (/BOOL/.test(d)) return 'bool';
  if (/REAL|FLOA|DOUB|NUMERIC|DECIMAL/.test(d)) return 'real';
  if (/BLOB/.test(d)) return 'blob';
  return 'text';
}

export function describeTable(db: DB, name: string): TableDesc {
  const ddl = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(name) as string | undefined) ?? '';
  const geom = db.prepare('SELECT column_name AS c, geometry_type_name AS t, srs_id AS s FROM gpkg_geometry_columns WHERE table_name = ?').get(name) as { c: string; t: string; s: number } | undefined;
  const info = db.prepare(`PRAGMA table_info(${q(name)})`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
  const pk = info.filter((c) => c.pk > 0);
  if (pk.length !== 1 || pk[0].name !== 'fid' || kindOf(pk[0].type) !== 'int') {
    throw new EkimaeError('E_PROJECT_INVALID', `table "${name}" has no integer primary key "fid"; only GeoPackage feature and attribute tables can be shared`, { table: name });
  }
  const columns = info.map((c) => ({ name: c.name, decl: c.type, notNull: !!c.notnull, kind: geom && c.name === geom.c ? 'geom' as const : kindOf(c.type) }));
  for (const c of columns) {
    if ((AUDIT_COLUMNS as readonly string[]).includes(c.name)) throw new EkimaeError('E_PROJECT_INVALID', `table "${name}" has a column "${c.name}", a name the shared store keeps for itself`, { table: name });
  }
  const uniques: string[][] = [];
  const indexes: string[] = [];
  for (const ix of db.prepare(`PRAGMA index_list(${q(name)})`).all() as Array<{ name: string; unique: number; origin: string }>) {
    if (ix.origin === 'pk') continue;
    if (ix.unique) uniques.push((db.prepare(`PRAGMA index_info(${q(ix.name)})`).all() as Array<{ name: string }>).map((r) => r.name));
    if (ix.origin === 'c') {
      const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(ix.name) as string | null;
      if (sql) indexes.push(sql);
    }
  }
  const foreignKeys = (db.prepare(`PRAGMA foreign_key_list(${q(name)})`).all() as Array<{ table: string; from: string; to: string | null; on_delete: string }>)
    .map((f) => ({ column: f.from, table: f.table, to: f.to ?? 'fid', onDelete: f.on_delete }));
  return {
    name, ddl, indexes, columns, uniques, foreignKeys, autoincrement: /AUTOINCREMENT/i.test(ddl),
    geometry: geom ? { column: geom.c, type: geom.t, srsId: geom.s } : null,
  };
}

const PG_TYPE: Record<Exclude<ColumnKind, 'geom'>, string> = { int: 'bigint', real: 'double precision', text: 'text', bool: 'boolean', blob: 'bytea' };

/** PostGIS's SRID for the layer: its own when PostGIS knows it, else 0 (unknown), so the push never fails on it. */
export async function pgSrid(c: PgClient, srsId: number): Promise<number> {
  if (srsId <= 0) return 0;
  const r = await c.query('SELECT 1 FROM spatial_ref_sys WHERE srid = $1', [srsId]);
  return r.rowCount ? srsId : 0;
}

const geomTypmod = (t: string) => {
  const u = t.toUpperCase();
  return ['POINT', 'LINESTRING', 'POLYGON', 'MULTIPOINT', 'MULTILINESTRING', 'MULTIPOLYGON', 'GEOMETRYCOLLECTION'].includes(u) ? u : 'GEOMETRY';
};

export async function createPgTable(c: PgClient, schema: string, t: TableDesc): Promise<number> {
  const srid = t.geometry ? await pgSrid(c, t.geometry.srsId) : 0;
  const cols = t.columns.map((col) => {
    if (col.name === 'fid') return `fid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY`;
    const type = col.kind === 'geom' ? `geometry(${geomTypmod(t.geometry!.type)}, ${srid})` : PG_TYPE[col.kind];
    return `${qi(col.name)} ${type}${col.notNull ? ' NOT NULL' : ''}`;
  });
  cols.push(`${AUDIT_COLUMNS[0]} text NOT NULL DEFAULT current_user`, `${AUDIT_COLUMNS[1]} timestamptz NOT NULL DEFAULT now()`);
  for (const u of t.uniques) cols.push(`UNIQUE (${u.map(qi).join(', ')})`);
  await c.query(`CREATE TABLE ${qi(schema)}.${qi(t.name)} (${cols.join(', ')})`);
  await c.query(`CREATE TRIGGER ekimae_pg_stamp BEFORE UPDATE ON ${qi(schema)}.${qi(t.name)} FOR EACH ROW EXECUTE FUNCTION ${qi(schema)}.ekimae_pg_stamp()`);
  if (t.geometry) await c.query(`CREATE INDEX ${qi(`${t.name}_${t.geometry.column}_gist`.slice(0, 63))} ON ${qi(schema)}.${qi(t.name)} USING gist (${qi(t.geometry.column)})`);
  return srid;
}

/**
 * The GeoPackage's references as PostgreSQL foreign keys, checked at commit (a push or write-through
 * writes tables in any order); ON DELETE CASCADE as in the file, so a replaced result takes its rows along.
 */
export async function addForeignKeys(c: PgClient, schema: string, t: TableDesc): Promise<void> {
  for (const f of t.foreignKeys) {
    const del = f.onDelete === 'CASCADE' ? ' ON DELETE CASCADE' : '';
    await c.query(`ALTER TABLE ${qi(schema)}.${qi(t.name)} ADD FOREIGN KEY (${qi(f.column)}) REFERENCES ${qi(schema)}.${qi(f.table)} (${qi(f.to)})${del} DEFERRABLE INITIALLY DEFERRED`);
  }
}

/** A GeoPackage value as the parameter PostgreSQL gets. */
function toPg(v: unknown, col: ColumnDesc): unknown {
  if (v === null || v === undefined) return null;
  if (col.kind === 'geom') {
    const b = v as Uint8Array;
    const h = readGpkgHeader(b);
    return Buffer.from(b.buffer, b.byteOffset + h.wkbOffset, b.byteLength - h.wkbOffset);
  }
  if (col.kind === 'bool') return v !== 0 && v !== '0' && v !== false;
  return v;
}

/** A PostgreSQL value (as selected by selectList) back as the GeoPackage holds it. */
function fromPg(v: unknown, col: ColumnDesc, srsId: number): unknown {
  if (v === null || v === undefined) return null;
  if (col.kind === 'geom') {
    const g = decodeWkb(v as Buffer);
    return g ? encodeGpkg(g, srsId) : null;
  }
  if (col.kind === 'bool') return v ? 1 : 0;
  return v;
}

/**
 * Upsert rows (arrays in column order) into the PostgreSQL table, many per statement (at most 60,000
 * parameters). A row already there (same fid) is replaced and marked with who changed it and when.
 */
export async function upsertRows(c: PgClient, schema: string, t: TableDesc, srid: number, rows: unknown[][]): Promise<void> {
  if (!rows.length) return;
  const n = t.columns.length;
  const per = Math.max(1, Math.floor(60_000 / n));
  const names = t.columns.map((col) => qi(col.name)).join(', ');
  const set = [...t.columns.filter((col) => col.name !== 'fid').map((col) => `${qi(col.name)} = EXCLUDED.${qi(col.name)}`),
    `${AUDIT_COLUMNS[0]} = current_user`, `${AUDIT_COLUMNS[1]} = now()`].join(', ');
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => `(${t.columns.map((col, j) => {
      params.push(toPg(row[j], col));
      const p = `$${params.length}`;
      return col.kind === 'geom' ? `ST_GeomFromWKB(${p}::bytea, ${srid})` : col.kind === 'blob' ? `${p}::bytea` : p;
    }).join(', ')})`);
    await c.query(`INSERT INTO ${qi(schema)}.${qi(t.name)} (${names}) VALUES ${tuples.join(', ')} ON CONFLICT (fid) DO UPDATE SET ${set}`, params);
  }
}

/** After rows were written with their own fids, new rows QGIS adds get the next one. */
export async function syncIdentity(c: PgClient, schema: string, table: string): Promise<void> {
  await c.query(`SELECT setval(pg_get_serial_sequence($1, 'fid'), greatest(coalesce((SELECT max(fid) FROM ${qi(schema)}.${qi(table)}), 0), 1))`, [`${qi(schema)}.${qi(table)}`]);
}

/** Copy a whole GeoPackage table into its (new) PostgreSQL table. */
export async function copyTableUp(c: PgClient, db: DB, schema: string, t: TableDesc, srid: number): Promise<number> {
  const stmt = db.prepare(`SELECT ${t.columns.map((col) => q(col.name)).join(', ')} FROM ${q(t.name)} ORDER BY fid`).raw(true);
  let batch: unknown[][] = [];
  let count = 0;
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    batch.push(row);
    if (batch.length >= 5000) { await upsertRows(c, schema, t, srid, batch); count += batch.length; batch = []; }
  }
  await upsertRows(c, schema, t, srid, batch);
  count += batch.length;
  await syncIdentity(c, schema, t.name);
  return count;
}

/** Copy a PostgreSQL table's rows (fid order, keyset pages) into the GeoPackage table of the same columns. */
export async function copyTableDown(c: PgClient, db: DB, schema: string, t: TableDesc): Promise<number> {
  const sel = t.columns.map((col) => (col.kind === 'geom' ? `ST_AsBinary(${qi(col.name)}, 'NDR') AS ${qi(col.name)}` : qi(col.name))).join(', ');
  const ins = db.prepare(`INSERT INTO ${q(t.name)} (${t.columns.map((col) => q(col.name)).join(', ')}) VALUES (${t.columns.map(() => '?').join(', ')})`);
  const srsId = t.geometry?.srsId ?? 0;
  const fidIx = t.columns.findIndex((col) => col.name === 'fid');
  let last = -Infinity;
  let count = 0;
  for (;;) {
    const r = await c.query({ text: `SELECT ${sel} FROM ${qi(schema)}.${qi(t.name)} WHERE fid > $1 ORDER BY fid LIMIT 5000`, values: [Number.isFinite(last) ? last : -9007199254740991], rowMode: 'array' });
    for (const row of r.rows as unknown[][]) ins.run(...t.columns.map((col, j) => fromPg(row[j], col, srsId)));
    count += r.rows.length;
    if (r.rows.length < 5000) return count;
    last = Number((r.rows[r.rows.length - 1] as unknown[])[fidIx]);
  }
}
