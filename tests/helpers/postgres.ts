/**
 * A real PostgreSQL + PostGIS for a test file: initdb in a private temp directory, a free loopback
 * port, password (SCRAM) authentication over TCP, `CREATE EXTENSION postgis` in a fresh database.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` OS user.
 *
 * The server is started under a small shell watchdog that stops it and removes the data directory as
 * soon as the test process is gone, so a crashed or killed test run leaves no postgres behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgServer {
  port: number;
  dir: string;
  /** Superuser name and password (the password is random per run). */
  user: string;
  password: string;
  database: string;
  /** postgresql://user:password@127.0.0.1:port/database (add ?schema=…). */
  url: string;
  /** The postmaster's process id. */
  serverPid: number;
  /** A second login role without superuser (for the role-in-provenance test). */
  addRole(name: string, password: string): Promise<void>;
  stop(): Promise<void>;
}

/** The directory with initdb and postgres, or null (with why) when PostgreSQL is not installed. */
export function findPostgres(): { bin: string | null; reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) {
      if (!existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`)) return { bin: null, reason: `PostgreSQL ${v} is installed but PostGIS is not (scripts/install-test-deps.sh installs postgresql-${v}-postgis-3)` };
      return { bin, reason: '' };
    }
  }
  return { bin: null, reason: 'PostgreSQL binaries (initdb, postgres) are not installed; scripts/install-test-deps.sh installs them' };
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;
const asPg = (cmd: string, args: string[]) => (isRoot() ? { cmd: 'runuser', args: ['-u', 'postgres', '--', cmd, ...args] } : { cmd, args });

export async function startPostgres(): Promise<PgServer> {
  const { bin, reason } = findPostgres();
  if (!bin) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-pgtest-'));
  const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const user = 'ekimae_admin';
  writeFileSync(join(dir, 'pw'), password);
  chmodSync(dir, 0o700);
  if (isRoot()) execFileSync('chown', ['-R', 'postgres:postgres', dir]);
  const init = asPg(join(bin, 'initdb'), ['-D', join(dir, 'data'), '-U', user, `--pwfile=${join(dir, 'pw')}`, '--auth-host=scram-sha-256', '--auth-local=peer', '-E', 'UTF8', '--no-locale', '--no-sync']);
  execFileSync(init.cmd, init.args, { stdio: 'pipe' });
  rmSync(join(dir, 'pw'), { force: true });
  const port = await freePort();
  // The watchdog: runs postgres, stops it when this process (or postgres) ends, removes the directory.
  const script = `
    "${bin}/postgres" -D "${dir}/data" -p ${port} -k "${dir}" -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=40 >"${dir}/log" 2>&1 &
    PG=$!
    echo $PG > "${dir}/server.pid"
    while [ -d /proc/${process.pid} ] && kill -0 $PG 2>/dev/null; do sleep 0.5; done
    kill -INT $PG 2>/dev/null; wait $PG 2>/dev/null
    rm -rf "${dir}"
  `;
  const w = asPg('/bin/sh', ['-c', script]);
  const watchdog = spawn(w.cmd, w.args, { detached: true, stdio: 'ignore' });
  watchdog.unref();
  const url = (db: string) => `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  // Ready when it accepts a login (bounded: a server that never starts fails the suite, with its log).
  let lastErr: unknown;
  for (let i = 0; i < 120; i++) {
    const c = new pg.Client({ connectionString: url('postgres') });
    try {
      await c.connect();
      await c.query('CREATE DATABASE ekimae_test');
      await c.end();
      lastErr = null;
      break;
    } catch (e) {
      lastErr = e;
      await c.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  if (lastErr) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '(no log)';
    await stopAt(dir);
    throw new Error(`PostgreSQL did not start: ${(lastErr as Error).message}\n${log}`);
  }
  const admin = async (db: string, sql: string) => {
    const c = new pg.Client({ connectionString: url(db) });
    await c.connect();
    try { await c.query(sql); } finally { await c.end(); }
  };
  await admin('ekimae_test', 'CREATE EXTENSION postgis');
  return {
    port, dir, user, password, database: 'ekimae_test', url: url('ekimae_test'),
    serverPid: Number(readFileSync(join(dir, 'server.pid'), 'utf8').trim()),
    addRole: async (name, pw) => {
      await admin('ekimae_test', `CREATE ROLE ${name} LOGIN PASSWORD '${pw.replace(/'/g, "''")}'; GRANT CREATE, USAGE ON SCHEMA public TO ${name}; GRANT CREATE ON DATABASE ekimae_test TO ${name}`);
    },
    stop: () => stopAt(dir),
  };
}

/** Stop the server (fast shutdown) and wait until the watchdog has removed its directory. */
async function stopAt(dir: string): Promise<void> {
  const pidFile = join(dir, 'server.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
  if (pid > 0) { try { process.kill(pid, 'SIGINT'); } catch { /* already gone */ } }
  for (let i = 0; i < 200 && existsSync(dir); i++) await new Promise((r) => setTimeout(r, 100));
  if (pid > 0) { try { process.kill(pid, 'SIGKILL'); } catch { /* stopped */ } }
  rmSync(dir, { recursive: true, force: true });
}
