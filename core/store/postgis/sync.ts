/**
 * A project opened from PostgreSQL: the engines work on a private GeoPackage working copy (pulled at
 * open, with its own block of ids), exactly as on a file. Each API call that changes the copy runs
 * inside one local transaction; TEMP triggers (in the connection only, never in the file) note which
 * rows it touched; before the local commit those rows are written to PostgreSQL in one transaction,
 * under a lock per layer and per scenario. If the database refuses (a stale scenario version, a lost
 * connection), the local transaction is rolled back too: the copy and the database never disagree.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EkimaeError } from '../../errors.js';
import { q, type DB } from '../gpkg.js';
import { Project, type ProjectSync, type ScenarioAuthor } from '../project.js';
import { makeTempDir } from '../temp-dirs.js';
import { inTransaction, qi, sqlState, withClient, type PgClient } from './client.js';
import { audit, catalogRowOf, putCatalogRow, putSrs } from './catalog.js';
import { pullProject } from './pull.js';
import { addForeignKeys, copyTableUp, createPgTable, describeTable, mirroredTables, upsertRows, type TableDesc } from './tables.js';
import { parsePgUrl, type PgTarget } from './url.js';

/** Calls that open, close or replace the project: nothing of theirs is written through. */
const LIFECYCLE = new Set(['project.open', 'project.openDatabase', 'project.reload', 'project.create', 'project.close', 'project.saveAs', 'review.open', 'review.close']);

/** Reads that wait on the database themselves: no local transaction held open across their query. */
const REMOTE_READS = new Set(['scenario.history']);

/** Tables whose rows belong to one layer (named in table_name): a change to them locks that layer. */
const LAYER_META = new Set(['ekimae_layers', 'ekimae_field_map', 'ekimae_field_meta', 'ekimae_provenance']);

const CHANGES = 'temp.ekimae_pg_changes';

export async function openSharedProject(url: string, opts: { readOnly?: boolean } = {}): Promise<Project> {
  const target = parsePgUrl(url);
  const dir = makeTempDir('pg');
  const file = join(dir, 'working.gpkg');
  try {
    await pullProject(target, file, { reserveIds: !opts.readOnly });
    const p = Project.open(file, { readOnly: opts.readOnly });
    p.label = target.display;
    p.onClose = () => rmSync(dir, { recursive: true, force: true });
    p.reopen = () => openSharedProject(url, opts);
    p.scenarioAuthors = (ids) => scenarioAuthors(target, ids);
    if (!opts.readOnly) p.sync = new PgSync(p, target);
    return p;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Who saved each version of these scenarios in the database (ekimae_changed_by: the role, set by its trigger) and when. */
async function scenarioAuthors(target: PgTarget, scenarioIds: string[]): Promise<ScenarioAuthor[]> {
  if (!scenarioIds.length) return [];
  return withClient(target, 'reading', async (c) => {
    const r = await c.query(`SELECT scenario_id, version, ekimae_changed_by AS who, ekimae_changed_at AS at FROM ${qi(target.schema)}.ekimae_scenarios WHERE scenario_id = ANY($1::text[]) ORDER BY scenario_id, version`, [scenarioIds]);
    return (r.rows as Array<{ scenario_id: string; version: number; who: string; at: Date | string }>)
      .map((x) => ({ scenarioId: x.scenario_id, version: Number(x.version), by: x.who, at: x.at instanceof Date ? x.at.toISOString() : String(x.at) }));
  });
}

interface Conflict { scenarioId: string; version: number; fid: number }

export class PgSync implements ProjectSync {
  private known = new Set<string>();

  constructor(private p: Project, private target: PgTarget) {
    const db = p.database;
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS ekimae_pg_changes (tbl TEXT NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (tbl, id)) WITHOUT ROWID`);
    for (const t of mirroredTables(db)) this.watch(db, t);
  }

  private watch(db: DB, table: string): void {
    this.known.add(table);
    const n = this.known.size;
    const lit = `'${table.replace(/'/g, "''")}'`;
    // Not INSERT OR IGNORE: the conflict clause of the statement that fires a trigger (an upsert) overrides the trigger's own.
    const note = (id: string) => `INSERT INTO ${CHANGES} SELECT ${lit}, ${id} WHERE NOT EXISTS (SELECT 1 FROM ${CHANGES} WHERE tbl = ${lit} AND id = ${id});`;
    db.exec(`
      CREATE TEMP TRIGGER IF NOT EXISTS ekimae_pg_i${n} AFTER INSERT ON main.${q(table)} BEGIN ${note('NEW.fid')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS ekimae_pg_u${n} AFTER UPDATE ON main.${q(table)} BEGIN ${note('OLD.fid')} ${note('NEW.fid')} END;
      CREATE TEMP TRIGGER IF NOT EXISTS ekimae_pg_d${n} AFTER DELETE ON main.${q(table)} BEGIN ${note('OLD.fid')} END;
    `);
  }

  async around<T>(method: string, input: unknown, run: () => Promise<T>): Promise<T> {
    if (LIFECYCLE.has(method)) {
      const out = await run();
      // A Save As continues in a plain file: nothing more goes to the database.
      if (method === 'project.saveAs') { this.p.sync = undefined; this.p.label = undefined; this.p.reopen = undefined; }
      return out;
    }
    if (REMOTE_READS.has(method)) return run();
    const db = this.p.database;
    if (db.inTransaction || this.p.busy || method === 'layers.import') {
      // An import holds its own (async) transaction; it is written through once it has committed.
      const out = await run();
      // If this write fails, the noted rows and the new table stay pending and go with the next call's write.
      if (!db.inTransaction && !this.p.busy) await this.flush(method);
      return out;
    }
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = await run();
      await this.flush(method, input);
      db.exec('COMMIT');
      return out;
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      if (e instanceof EkimaeError && e.code === 'E_CONFLICT' && typeof e.details?.scenarioId === 'string') {
        // Both versions kept: theirs is brought into the copy, so a retry starts from it.
        await this.catchUpScenario(e.details.scenarioId).catch(() => undefined);
      }
      throw e;
    }
  }

  /** Write the rows the current call changed (and tables it added or dropped) to PostgreSQL, in one transaction. */
  async flush(method: string, input?: unknown): Promise<void> {
    const db = this.p.database;
    const s = this.target.schema, S = qi(s);
    const changed = db.prepare(`SELECT tbl, id FROM ${CHANGES} ORDER BY tbl, id`).all() as Array<{ tbl: string; id: number }>;
    const now = new Set(mirroredTables(db));
    const added = [...now].filter((t) => !this.known.has(t));
    const dropped = [...this.known].filter((t) => !now.has(t));
    if (!changed.length && !added.length && !dropped.length) return;
    const byTable = new Map<string, number[]>();
    for (const r of changed) {
      if (!now.has(r.tbl) || added.includes(r.tbl)) continue;
      (byTable.get(r.tbl) ?? byTable.set(r.tbl, []).get(r.tbl)!).push(r.id);
    }
    const descs = new Map([...byTable.keys(), ...added].map((t) => [t, describeTable(db, t)]));
    const counts: Record<string, number> = {};

    await withClient(this.target, 'saving to', (c) => inTransaction(c, async () => {
      await this.lock(c, db, byTable, descs, added, dropped);
      for (const t of dropped) {
        await c.query(`DROP TABLE IF EXISTS ${S}.${qi(t)} CASCADE`);
        await c.query(`DELETE FROM ${S}.ekimae_pg_catalog WHERE table_name = $1`, [t]);
      }
      for (const t of added) {
        const d = descs.get(t)!;
        const srid = await createPgTable(c, s, d);
        counts[t] = await copyTableUp(c, db, s, d, srid);
        await addForeignKeys(c, s, d);
        await putCatalogRow(c, s, catalogRowOf(db, d));
      }
      const scen = byTable.get('ekimae_scenarios');
      if (scen) await this.checkScenarios(c, db, scen, input);
      // Deletes first: a replaced row (a re-evaluated result) may come back under the same key with a new fid.
      const rowsOf = new Map<string, unknown[][]>();
      for (const [t, ids] of byTable) {
        const d = descs.get(t)!;
        const rows = selectByFid(db, d, ids);
        rowsOf.set(t, rows);
        const fx = colIx(d, 'fid');
        const present = new Set(rows.map((r) => r[fx] as number));
        const gone = ids.filter((id) => !present.has(id));
        if (gone.length) await c.query(`DELETE FROM ${S}.${qi(t)} WHERE fid = ANY($1::bigint[])`, [gone]);
        counts[t] = ids.length;
      }
      for (const [t, rows] of rowsOf) {
        const d = descs.get(t)!;
        if (t !== 'ekimae_scenarios') await this.replaceSameKey(c, d, rows);
        const srid = d.geometry ? Number((await c.query('SELECT Find_SRID($1, $2, $3) AS s', [s, t, d.geometry.column])).rows[0].s) : 0;
        try {
          await upsertRows(c, s, d, srid, rows);
        } catch (e) {
          // Two saves of one version passed the check at once (the advisory lock makes this rare): the unique key decides.
          if (t === 'ekimae_scenarios' && sqlState(e) === '23505') {
            const r = rows[0];
            throw this.conflictError({ scenarioId: String(r[colIx(d, 'scenario_id')]), version: Number(r[colIx(d, 'version')]), fid: Number(r[colIx(d, 'fid')]) }, db, input);
          }
          throw e;
        }
        if (d.geometry) await putCatalogRow(c, s, catalogRowOf(db, d));
      }
      await putSrs(c, s, db);
      await audit(c, s, method, [...dropped, ...added, ...byTable.keys()], { rows: counts, dropped });
    }));
    db.exec(`DELETE FROM ${CHANGES}`);
    for (const t of dropped) this.known.delete(t);
    for (const t of added) this.watch(db, t);
  }

  /**
   * One writer per layer and per scenario at a time, for the length of the transaction (advisory
   * locks, taken in name order so two writers never wait on each other crosswise).
   */
  private async lock(c: PgClient, db: DB, byTable: Map<string, number[]>, descs: Map<string, TableDesc>, added: string[], dropped: string[]): Promise<void> {
    const keys = new Set<string>();
    for (const t of [...added, ...dropped]) keys.add(`layer:${t}`);
    for (const [t, ids] of byTable) {
      if (descs.get(t)?.geometry) keys.add(`layer:${t}`);
      if (LAYER_META.has(t) || t === 'ekimae_scenarios') {
        const col = t === 'ekimae_scenarios' ? 'scenario_id' : 'table_name';
        const kind = t === 'ekimae_scenarios' ? 'scenario' : 'layer';
        for (const v of selectColumn(db, t, col, ids)) keys.add(`${kind}:${v}`);
        const r = await c.query(`SELECT DISTINCT ${qi(col)} AS v FROM ${qi(this.target.schema)}.${qi(t)} WHERE fid = ANY($1::bigint[])`, [ids]);
        for (const row of r.rows as Array<{ v: string }>) keys.add(`${kind}:${row.v}`);
      }
    }
    for (const k of [...keys].sort()) await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ekimae:${this.target.schema}:${k}`]);
  }

  /**
   * A new scenario version must be the next one in the database too: a save based on a version that
   * someone else has moved past since this copy was opened is refused (both versions stay).
   */
  private async checkScenarios(c: PgClient, db: DB, ids: number[], input: unknown): Promise<void> {
    const d = describeTable(db, 'ekimae_scenarios');
    for (const r of selectByFid(db, d, ids)) {
      const row = Object.fromEntries(d.columns.map((col, i) => [col.name, r[i]])) as { fid: number; scenario_id: string; version: number };
      const there = await c.query(`SELECT fid FROM ${qi(this.target.schema)}.ekimae_scenarios WHERE scenario_id = $1 AND version = $2`, [row.scenario_id, row.version]);
      const other = (there.rows as Array<{ fid: number }>).find((x) => x.fid !== row.fid);
      if (other) throw await this.conflictErrorWithWho(c, { scenarioId: row.scenario_id, version: row.version, fid: row.fid }, db, input);
    }
  }

  private async conflictErrorWithWho(c: PgClient, k: Conflict, db: DB, input: unknown): Promise<EkimaeError> {
    const latest = (await c.query(`SELECT version, ekimae_changed_by AS who, ekimae_changed_at AS at FROM ${qi(this.target.schema)}.ekimae_scenarios WHERE scenario_id = $1 ORDER BY version DESC LIMIT 1`, [k.scenarioId])).rows[0] as { version: number; who: string; at: Date } | undefined;
    return this.conflictError(k, db, input, latest);
  }

  private conflictError(k: Conflict, db: DB, input: unknown, latest?: { version: number; who: string; at: Date }): EkimaeError {
    const mine = db.prepare('SELECT name, definition_json FROM ekimae_scenarios WHERE fid = ?').get(k.fid) as { name: string; definition_json: string } | undefined;
    const def = mine ? JSON.parse(mine.definition_json) as Record<string, unknown> : (input as { scenario?: Record<string, unknown> } | undefined)?.scenario;
    const by = latest ? ` (version ${latest.version} by ${latest.who} at ${latest.at instanceof Date ? latest.at.toISOString() : String(latest.at)})` : '';
    const asNew = def ? { method: 'scenario.save', input: { scenario: { ...def, name: `${String(def.name ?? k.scenarioId)} (copy)` }, note: `saved as a new scenario: version ${k.version} of ${k.scenarioId} was taken by another save` } } : undefined;
    return new EkimaeError('E_CONFLICT',
      `scenario "${k.scenarioId}" was saved by someone else since this project was opened${by}; your save (as version ${k.version}, based on version ${k.version - 1}) was refused and nothing was changed. Reopen to see their version, or save yours as a new scenario${asNew ? ' (call scenario.save with details.asNew.input, or ekimae call … --as-new)' : ''}`,
      { scenarioId: k.scenarioId, yourVersion: k.version, baseVersion: k.version - 1, ...(latest ? { currentVersion: latest.version, savedBy: latest.who } : {}), ...(asNew ? { asNew } : {}) });
  }

  /**
   * Rows of other tables keep the file's unique keys; when another copy already wrote the same key
   * (both evaluated one scenario version), the later write replaces it, as it does within one file.
   * Only small row sets: the big per-parcel tables are keyed by their own new parent fid.
   */
  private async replaceSameKey(c: PgClient, d: TableDesc, rows: unknown[][]): Promise<void> {
    if (!d.uniques.length || rows.length > 2000) return;
    const at = new Map(d.columns.map((col, i) => [col.name, i]));
    for (const u of d.uniques) {
      for (const r of rows) {
        const where = u.map((col, i) => `${qi(col)} IS NOT DISTINCT FROM $${i + 2}`).join(' AND ');
        await c.query(`DELETE FROM ${qi(this.target.schema)}.${qi(d.name)} WHERE fid <> $1 AND ${where}`, [r[at.get('fid')!], ...u.map((col) => {
          const v = r[at.get(col)!];
          return d.columns[at.get(col)!].kind === 'bool' ? (v == null ? null : !!v) : v;
        })]);
      }
    }
  }

  /** Bring the database's versions of a scenario into the copy (after a refused save). */
  private async catchUpScenario(id: string): Promise<void> {
    const db = this.p.database;
    if (db.inTransaction) return;
    const d = describeTable(db, 'ekimae_scenarios');
    const have = (db.prepare('SELECT fid FROM ekimae_scenarios WHERE scenario_id = ?').all(id) as Array<{ fid: number }>).map((r) => r.fid);
    const rows = await withClient(this.target, 'reading', async (c) =>
      (await c.query({ text: `SELECT ${d.columns.map((col) => qi(col.name)).join(', ')} FROM ${qi(this.target.schema)}.ekimae_scenarios WHERE scenario_id = $1 AND NOT (fid = ANY($2::bigint[])) ORDER BY version`, values: [id, have], rowMode: 'array' })).rows as unknown[][]);
    if (!rows.length) return;
    const ins = db.prepare(`INSERT OR REPLACE INTO ekimae_scenarios (${d.columns.map((col) => q(col.name)).join(', ')}) VALUES (${d.columns.map(() => '?').join(', ')})`);
    db.transaction(() => {
      // Another copy's fid may equal a row only this copy had (never: blocks differ), and a version it holds locally
      // under another fid is the refused one, already rolled back.
      for (const r of rows) ins.run(...(r as never[]));
      db.exec(`DELETE FROM ${CHANGES}`);
    })();
  }

}

/** The rows with these fids, in the table's column order. */
function selectByFid(db: DB, d: TableDesc, ids: number[]): unknown[][] {
  const out: unknown[][] = [];
  const stmt = (n: number) => db.prepare(`SELECT ${d.columns.map((c) => q(c.name)).join(', ')} FROM ${q(d.name)} WHERE fid IN (${new Array(n).fill('?').join(', ')})`).raw(true);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    out.push(...(stmt(chunk.length).all(...chunk) as unknown[][]));
  }
  return out;
}

const colIx = (d: TableDesc, name: string) => d.columns.findIndex((c) => c.name === name);

function selectColumn(db: DB, t: string, col: string, ids: number[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for (const v of db.prepare(`SELECT DISTINCT ${q(col)} FROM ${q(t)} WHERE fid IN (${chunk.map(() => '?').join(', ')})`).pluck().all(...chunk)) out.add(String(v));
  }
  return [...out];
}
