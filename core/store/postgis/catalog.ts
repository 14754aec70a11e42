/**
 * What the database keeps besides the tables themselves: each table's GeoPackage description
 * (DDL, gpkg_contents and geometry-column rows, extensions), the spatial reference systems, an audit
 * log of who pushed or changed what, and a sequence handing each working copy its own block of ids.
 * All in tables named ekimae_pg_*, which a pull leaves out.
 */
import { q, type DB } from '../gpkg.js';
import { qi, type PgClient } from './client.js';
import type { TableDesc } from './tables.js';

/** Format of the ekimae_pg_* tables; a newer one is refused by an older Ekimae. */
export const STORE_VERSION = 1;

/** Ids a working copy may use for rows it adds: one block per opening, so two copies never pick the same fid. */
export const ID_BLOCK = 1_000_000_000;

export async function createCatalog(c: PgClient, s: string): Promise<void> {
  const S = qi(s);
  await c.query(`
    CREATE TABLE ${S}.ekimae_pg_meta (key text PRIMARY KEY, value text NOT NULL);
    CREATE TABLE ${S}.ekimae_pg_catalog (
      table_name text PRIMARY KEY, ddl text NOT NULL, indexes_json text NOT NULL, contents_json text, geometry_json text,
      extensions_json text NOT NULL, sqlite_seq bigint, position bigint,
      ekimae_changed_by text NOT NULL DEFAULT current_user, ekimae_changed_at timestamptz NOT NULL DEFAULT now());
    CREATE TABLE ${S}.ekimae_pg_srs (srs_id bigint PRIMARY KEY, row_json text NOT NULL);
    CREATE TABLE ${S}.ekimae_pg_audit (
      id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), db_role text NOT NULL DEFAULT current_user,
      action text NOT NULL, tables text NOT NULL, detail text);
    CREATE SEQUENCE ${S}.ekimae_pg_id_block START 1;
    -- Rows changed outside Ekimae (QGIS, psql) are stamped with their role and time too.
    CREATE FUNCTION ${S}.ekimae_pg_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.ekimae_changed_by := current_user; NEW.ekimae_changed_at := now(); RETURN NEW; END $$;
  `);
  await c.query(`INSERT INTO ${S}.ekimae_pg_meta (key, value) VALUES ('store_version', $1)`, [String(STORE_VERSION)]);
}

export async function hasCatalog(c: PgClient, s: string): Promise<boolean> {
  const r = await c.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'ekimae_pg_catalog'`, [s]);
  return !!r.rowCount;
}

export interface CatalogRow {
  table_name: string; ddl: string; indexes_json: string; contents_json: string | null; geometry_json: string | null;
  extensions_json: string; sqlite_seq: number | null;
  /** The table's place in gpkg_contents (GDAL and QGIS list layers in that order). */
  position: number | null;
}

export function catalogRowOf(db: DB, t: TableDesc): CatalogRow {
  const contents = db.prepare('SELECT * FROM gpkg_contents WHERE table_name = ?').get(t.name);
  const position = db.prepare('SELECT rowid FROM gpkg_contents WHERE table_name = ?').pluck().get(t.name) as number | undefined;
  const geometry = db.prepare('SELECT * FROM gpkg_geometry_columns WHERE table_name = ?').get(t.name);
  const ext = db.prepare('SELECT * FROM gpkg_extensions WHERE table_name = ? ORDER BY rowid').all(t.name);
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").pluck().get(t.name) as number | undefined;
  return {
    table_name: t.name, ddl: t.ddl, indexes_json: JSON.stringify(t.indexes), contents_json: contents ? JSON.stringify(contents) : null,
    geometry_json: geometry ? JSON.stringify(geometry) : null, extensions_json: JSON.stringify(ext), sqlite_seq: seq ?? null,
    position: position ?? null,
  };
}

export async function putCatalogRow(c: PgClient, s: string, r: CatalogRow): Promise<void> {
  await c.query(`INSERT INTO ${qi(s)}.ekimae_pg_catalog (table_name, ddl, indexes_json, contents_json, geometry_json, extensions_json, sqlite_seq, position)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (table_name) DO UPDATE SET ddl = EXCLUDED.ddl, indexes_json = EXCLUDED.indexes_json,
    contents_json = EXCLUDED.contents_json, geometry_json = EXCLUDED.geometry_json, extensions_json = EXCLUDED.extensions_json,
    sqlite_seq = EXCLUDED.sqlite_seq, position = EXCLUDED.position, ekimae_changed_by = current_user, ekimae_changed_at = now()`,
  [r.table_name, r.ddl, r.indexes_json, r.contents_json, r.geometry_json, r.extensions_json, r.sqlite_seq, r.position]);
}

export async function putSrs(c: PgClient, s: string, db: DB): Promise<void> {
  for (const row of db.prepare('SELECT * FROM gpkg_spatial_ref_sys ORDER BY srs_id').all() as Array<{ srs_id: number }>) {
    await c.query(`INSERT INTO ${qi(s)}.ekimae_pg_srs (srs_id, row_json) VALUES ($1, $2) ON CONFLICT (srs_id) DO UPDATE SET row_json = EXCLUDED.row_json`, [row.srs_id, JSON.stringify(row)]);
  }
}

export async function audit(c: PgClient, s: string, action: string, tables: string[], detail: unknown): Promise<void> {
  await c.query(`INSERT INTO ${qi(s)}.ekimae_pg_audit (action, tables, detail) VALUES ($1, $2, $3)`, [action, tables.join(','), JSON.stringify(detail)]);
}

/** Insert a row given as a JSON object into a GeoPackage table (columns by name). */
export function insertJsonRow(db: DB, table: string, json: string, orIgnore = false): void {
  const row = JSON.parse(json) as Record<string, unknown>;
  const keys = Object.keys(row);
  db.prepare(`INSERT ${orIgnore ? 'OR IGNORE ' : ''}INTO ${q(table)} (${keys.map(q).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`).run(...keys.map((k) => row[k] as never));
}
