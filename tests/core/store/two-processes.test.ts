/**
 * Two connections on one project (issue #16, 5): a CLI write while the app has the project open
 * commits and exits 0 (its close used to die on SQLITE_BUSY with exit 1); a write blocked by another
 * process's write lock is E_PROJECT_BUSY and changes nothing; re-opening the open project returns it
 * (it used to fail with an internal error and leak a connection).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { Project } from '../../../core/store/project.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const STATIONS = join(ROOT, 'tests/fixtures/hostile-gpkg/stations.geojson');
const dir = tmpDir('ekimae-two-');
let n = 0;

async function project(): Promise<string> {
  const path = join(dir, `p${++n}.gpkg`);
  const svc = new EkimaeService();
  await svc.invoke('project.create', { path, settings: { name: 'two' } });
  svc.close();
  return path;
}

/** File descriptors of this process open on `path` (one per SQLite connection). */
function fdsOn(path: string): number {
  const real = realpathSync(path);
  return readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`) === real; } catch { return false; } }).length;
}

describe('two connections on one project', () => {
  it('a CLI import while this process has the project open commits and exits 0; this process sees it', async () => {
    const path = await project();
    const app = Project.open(path);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/ekimae.mjs'), 'import', path, STATIONS, '--name', 'stations', '--role', 'stations'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(app.layers().map((l) => [l.name, l.count])).toEqual([['stations', 2]]);
    app.close();
    // The last connection to close folds the WAL back: one self-contained file again.
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = Project.open(path, { readOnly: true });
    expect(again.layer('stations').count).toBe(2);
    again.close();
  });

  it('closing one of two connections in a process does not throw, and keeps what it committed', async () => {
    const path = await project();
    const a = Project.open(path);
    const b = Project.open(path);
    b.updateSettings({ client: 'SRT' });
    expect(() => b.close()).not.toThrow();
    expect(b.isOpen).toBe(false);
    expect(a.settings().client).toBe('SRT');
    a.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a write while another connection holds the write lock is E_PROJECT_BUSY and changes nothing', async () => {
    const path = await project();
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path });
    const p = svc.requireProject();
    p.database.pragma('busy_timeout = 0'); // not wait the 5 s default for the lock to go
    const before = p.logicalDigest();
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const r = await svc.call('project.updateSettings', { patch: { name: 'meanwhile' } });
    expect(r.ok ? null : r.error.code).toBe('E_PROJECT_BUSY');
    other.exec('ROLLBACK');
    other.close();
    expect(p.logicalDigest()).toBe(before);
    svc.close();
  });

  it.skipIf(!existsSync('/proc/self/fd'))('re-opening the open project returns it: no error, no second connection', async () => {
    const path = await project();
    const svc = new EkimaeService();
    const first = await svc.call('project.open', { path });
    expect(first.ok).toBe(true);
    expect(fdsOn(path)).toBe(1);
    const p = svc.project;
    const again = await svc.call('project.open', { path: join(dir, '.', `p${n}.gpkg`) });
    expect(again.ok ? (again.value as { path: string }).path : again.error.code).toBe(path);
    expect(svc.project).toBe(p);
    expect(fdsOn(path)).toBe(1);
    // Read-only asked of the project open read-write: the one connection is replaced, not doubled.
    const ro = await svc.call('project.open', { path, readOnly: true });
    expect(ro.ok && (ro.value as { readOnly: boolean }).readOnly).toBe(true);
    expect(fdsOn(path)).toBe(1);
    svc.close();
    expect(fdsOn(path)).toBe(0);
  });
});
