/**
 * Looking into a foreign SQLite file (a GeoPackage to import) in a separate process with a deadline.
 * A query SQLite runs for ever (a recursive view, a damaged file) spins inside native code: neither
 * a worker thread's terminate() nor process.exit() can stop it (the serve process then ignored
 * Ctrl+C for good), but a child process can always be killed. The child opens the file read-only
 * with trusted_schema off and query_only on, so nothing in the file's schema can write or call
 * application functions.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { EkimaeError } from '../errors.js';

const CHILD_SOURCE = `
const Database = require(process.env.EKIMAE_SQLITE_MODULE);
const job = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
let out;
try {
  const db = new Database(job.path, { readonly: true, fileMustExist: true });
  db.pragma('trusted_schema = OFF');
  db.pragma('query_only = ON');
  out = { ok: true, results: job.statements.map((s) => db.prepare(s).all()) };
  if (job.gpkg) {
    const has = (n) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(n);
    if (has('gpkg_contents') && has('gpkg_geometry_columns')) {
      const rows = db.prepare("SELECT c.table_name AS t, (SELECT type FROM sqlite_master WHERE name = c.table_name) AS kind FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features' ORDER BY c.table_name").all();
      out.layers = rows.map((r) => ({ table: r.t, kind: r.kind, count: r.kind === 'table' ? db.prepare('SELECT count(*) AS n FROM "' + String(r.t).replace(/"/g, '""') + '"').get().n : null }));
    }
  }
  db.close();
} catch (e) {
  out = { ok: false, message: String((e && e.message) || e), code: e && e.code };
}
process.stdout.write(JSON.stringify(out));
`;

/** A feature layer of a GeoPackage's gpkg_contents: a base table (counted), a view (never read), or missing. */
export interface ProbedLayer { table: string; kind: 'table' | 'view' | null; count: number | null }

export type ProbeResult =
  | { ok: true; results: Array<Array<Record<string, unknown>>>; layers?: ProbedLayer[] }
  | { ok: false; message: string; code?: string };

/** How long reading the schema and counting rows of a file of this size may take: seconds, never minutes (the base leaves room for starting Node on a loaded machine, about 1 s on two busy cores). */
export function probeDeadlineMs(bytes: number): number {
  return 10_000 + Math.ceil(bytes / (50 << 20)) * 1000;
}

/**
 * Runs read-only statements on the file at `path` in a child process; each gives its rows. With
 * `gpkg`, also lists the feature layers of gpkg_contents and counts the rows of those that are tables. Throws
 * E_SOURCE_TIMEOUT when they have not finished after `deadlineMs` (the child is killed).
 */
export function probeSqlite(path: string, statements: string[], deadlineMs: number, opts: { fileName?: string; gpkg?: boolean } = {}): ProbeResult {
  const fileName = opts.fileName ?? path;
  const r = spawnSync(process.execPath, ['-e', CHILD_SOURCE], {
    input: JSON.stringify({ path, statements, gpkg: !!opts.gpkg }),
    timeout: deadlineMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
    windowsHide: true,
    // Under Electron, process.execPath is the app: this makes it plain Node (with the same native module build).
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', EKIMAE_SQLITE_MODULE: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT' || r.signal === 'SIGKILL') {
    throw new EkimaeError('E_SOURCE_TIMEOUT', `${fileName}: reading its tables did not finish within ${Math.round(deadlineMs / 1000)} s and was stopped; the file is damaged or built to hang (a recursive view or trigger). Nothing was imported.`, { file: fileName, deadlineMs });
  }
  if (r.error) throw new EkimaeError('E_INTERNAL', `cannot start a process to read ${fileName}: ${r.error.message}`);
  try {
    return JSON.parse(r.stdout.toString('utf8')) as ProbeResult;
  } catch {
    throw new EkimaeError('E_INTERNAL', `reading ${fileName} in a separate process failed: ${r.stderr.toString('utf8').slice(0, 500)}`);
  }
}
