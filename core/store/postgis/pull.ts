/**
 * Bring a shared project back as a GeoPackage: the file is rebuilt from each table's own DDL and
 * GeoPackage rows as pushed, filled from one consistent snapshot (REPEATABLE READ), given its R-trees,
 * then opened once as a project (trust check, migrations) before it takes the target's name.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { EkimaeError } from '../../errors.js';
import { createSpatialIndex, initGeoPackage, openDatabase, q, type DB } from '../gpkg.js';
import { Project } from '../project.js';
import { qi, withClient, type PgClient } from './client.js';
import { hasCatalog, ID_BLOCK, insertJsonRow, STORE_VERSION, type CatalogRow } from './catalog.js';
import { copyTableDown, describeTable } from './tables.js';
import type { PgTarget } from './url.js';

export interface PullResult { tables: Array<{ name: string; rows: number }>; idBlock: number | null }

/** Only plain CREATE TABLE / CREATE INDEX statements for the named table are run from the catalog. */
function checkedDdl(sql: string, kind: 'TABLE' | 'INDEX', table: string): string {
  const ok = kind === 'TABLE'
    ? new RegExp(`^CREATE TABLE (${escape(q(table))}|${escape(table)})\\s*\\(`, 'i').test(sql)
    : /^CREATE (UNIQUE )?INDEX /i.test(sql) && new RegExp(` ON (${escape(q(table))}|${escape(table)})\\s*\\(`, 'i').test(sql);
  if (!ok || sql.includes(';')) throw new EkimaeError('E_PROJECT_INVALID', `the database's description of "${table}" is not a plain CREATE ${kind}; it was not run`, { table });
  return sql;
}
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function fill(c: PgClient, s: string, db: DB): Promise<PullResult['tables']> {
  const S = qi(s);
  const ver = (await c.query(`SELECT value FROM ${S}.ekimae_pg_meta WHERE key = 'store_version'`)).rows[0]?.value;
  if (Number(ver) > STORE_VERSION) throw new EkimaeError('E_PROJECT_INVALID', `schema "${s}" was written by a newer Ekimae (store format ${ver})`, { schema: s });
  const catalog = (await c.query(`SELECT table_name, ddl, indexes_json, contents_json, geometry_json, extensions_json, sqlite_seq, position FROM ${S}.ekimae_pg_catalog ORDER BY position NULLS LAST, table_name`)).rows as CatalogRow[];
  const srs = (await c.query(`SELECT row_json FROM ${S}.ekimae_pg_srs ORDER BY srs_id`)).rows as Array<{ row_json: string }>;
  db.exec('DELETE FROM gpkg_spatial_ref_sys');
  for (const r of srs) insertJsonRow(db, 'gpkg_spatial_ref_sys', r.row_json);
  const out: PullResult['tables'] = [];
  for (const r of catalog) {
    db.exec(checkedDdl(r.ddl, 'TABLE', r.table_name));
    if (r.contents_json) insertJsonRow(db, 'gpkg_contents', r.contents_json);
    if (r.geometry_json) insertJsonRow(db, 'gpkg_geometry_columns', r.geometry_json);
    const t = describeTable(db, r.table_name);
    const rows = await copyTableDown(c, db, s, t);
    if (t.geometry && (JSON.parse(r.extensions_json) as Array<{ extension_name: string }>).some((e) => e.extension_name === 'gpkg_rtree_index')) {
      createSpatialIndex(db, t.name, t.geometry.column);
    }
    for (const e of JSON.parse(r.extensions_json) as unknown[]) insertJsonRow(db, 'gpkg_extensions', JSON.stringify(e), true);
    for (const ix of JSON.parse(r.indexes_json) as string[]) db.exec(checkedDdl(ix, 'INDEX', r.table_name));
    if (r.sqlite_seq !== null) db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(r.sqlite_seq, r.table_name);
    out.push({ name: r.table_name, rows });
  }
  return out;
}

/**
 * Write the schema's project to `file` (which must not exist unless overwrite). With `reserveIds`, a
 * block of ids is taken from the database and every AUTOINCREMENT table of the copy continues from it:
 * rows two working copies add never share a fid.
 */
export async function pullProject(target: PgTarget, file: string, opts: { overwrite?: boolean; reserveIds?: boolean } = {}): Promise<PullResult> {
  if (existsSync(file) && !opts.overwrite) throw new EkimaeError('E_PROJECT_EXISTS', `${file} already exists`, { path: file });
  const tmp = `${file}.pulling`;
  rmSync(tmp, { force: true });
  const db = openDatabase(tmp);
  try {
    const result = await withClient(target, 'pulling from', async (c) => {
      if (!(await hasCatalog(c, target.schema))) {
        throw new EkimaeError('E_PROJECT_NOT_FOUND', `schema "${target.schema}" in ${target.display} holds no Ekimae project (push one first)`, { schema: target.schema });
      }
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      try {
        // Tables are filled in name order, children before their parents; the references are whole again at the end.
        db.pragma('foreign_keys = OFF');
        db.exec('BEGIN');
        initGeoPackage(db);
        const tables = await fill(c, target.schema, db);
        let idBlock: number | null = null;
        if (opts.reserveIds) {
          idBlock = Number((await c.query(`SELECT nextval('${qi(target.schema)}.ekimae_pg_id_block') AS n`)).rows[0].n);
          const base = idBlock * ID_BLOCK;
          for (const t of tables) {
            if (!describeTable(db, t.name).autoincrement) continue;
            if (!db.prepare('SELECT 1 FROM sqlite_sequence WHERE name = ?').get(t.name)) db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, 0)').run(t.name);
            db.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(base, t.name);
          }
        }
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length) throw new EkimaeError('E_PROJECT_INVALID', `schema "${target.schema}" holds ${broken.length} rows whose parent row is missing`, { schema: target.schema });
        db.exec('COMMIT');
        await c.query('COMMIT');
        return { tables, idBlock };
      } catch (e) {
        if (db.inTransaction) db.exec('ROLLBACK');
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
    db.close();
    // The same checks (trusted schema, migrations) as any project file, before it takes its name.
    Project.open(tmp).close();
    renameSync(tmp, file);
    return result;
  } catch (e) {
    if (db.open) db.close();
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-wal`, { force: true });
    rmSync(`${tmp}-shm`, { force: true });
    throw e;
  }
}
