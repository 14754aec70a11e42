/** Write a project file into a PostgreSQL schema: every table, its rows and its GeoPackage description, in one transaction. */
import { basename } from 'node:path';
import { EkimaeError } from '../../errors.js';
import { Project } from '../project.js';
import { inTransaction, qi, withClient, type PgClient } from './client.js';
import { audit, catalogRowOf, createCatalog, hasCatalog, putCatalogRow, putSrs } from './catalog.js';
import { addForeignKeys, copyTableUp, createPgTable, describeTable, mirroredTables } from './tables.js';
import type { PgTarget } from './url.js';

export interface PushResult { schema: string; database: string; tables: Array<{ name: string; rows: number; geometry: boolean; srid: number | null }> }

export async function requirePostgis(c: PgClient, target: PgTarget): Promise<void> {
  const r = await c.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'");
  if (!r.rowCount) throw new EkimaeError('E_DATABASE', `the database ${target.display} has no PostGIS: run CREATE EXTENSION postgis; in it (as its owner) first`, { database: target.display });
}

export async function pushProject(file: string, target: PgTarget, opts: { replace?: boolean } = {}): Promise<PushResult> {
  // Opening checks it is an Ekimae project with nothing planted in it, and brings its schema up to date… read-only, so not the file.
  const p = Project.open(file, { readOnly: true });
  try {
    const db = p.database;
    const descs = mirroredTables(db).map((t) => describeTable(db, t));
    return await withClient(target, 'pushing to', async (c) => {
      await requirePostgis(c, target);
      return inTransaction(c, async () => {
        const S = qi(target.schema);
        if (await hasCatalog(c, target.schema)) {
          if (!opts.replace) throw new EkimaeError('E_PROJECT_EXISTS', `schema "${target.schema}" in ${target.display} already holds an Ekimae project; pull it, or push with --replace to overwrite it`, { schema: target.schema });
          await c.query(`DROP SCHEMA ${S} CASCADE`);
        }
        await c.query(`CREATE SCHEMA IF NOT EXISTS ${S}`);
        await createCatalog(c, target.schema);
        const out: PushResult['tables'] = [];
        for (const t of descs) {
          const srid = await createPgTable(c, target.schema, t);
          const rows = await copyTableUp(c, db, target.schema, t, srid);
          await putCatalogRow(c, target.schema, catalogRowOf(db, t));
          out.push({ name: t.name, rows, geometry: !!t.geometry, srid: t.geometry ? srid : null });
        }
        for (const t of descs) await addForeignKeys(c, target.schema, t);
        await putSrs(c, target.schema, db);
        await audit(c, target.schema, 'push', descs.map((t) => t.name), { file: basename(file), tables: out.length });
        return { schema: target.schema, database: target.display, tables: out };
      });
    });
  } finally {
    p.close();
  }
}
