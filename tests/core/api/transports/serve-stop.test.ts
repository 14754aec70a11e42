/**
 * `npm run serve` stops on Ctrl+C (SIGINT) while it imports a GeoPackage holding a recursive view
 * (issue #16, 4): the import used to spin in SQLite on the main thread for good, so the signal was
 * never handled. Fixture: tests/fixtures/hostile-gpkg/recursive-view-source (SOURCE.md). The
 * renderer must be built (serve.mjs would build it first); the test is skipped when it is not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../../core/api/service.js';
import { writeGeoPackage } from '../../../../core/io/geopackage.js';
import { Project } from '../../../../core/store/project.js';
// @ts-expect-error plain JavaScript build script
import { rendererIsStale } from '../../../../scripts/build-app.mjs';
import { tmpDir } from '../../../helpers/tmp.js';

const ROOT = resolve(new URL('../../../..', import.meta.url).pathname);
const dir = tmpDir('ekimae-serve-stop-');
let serve: ChildProcess | null = null;
// A serve process that ignored the signal (the bug) must not outlive the failed test.
afterEach(() => { if (serve && serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL'); serve = null; });

describe('npm run serve and a hostile GeoPackage', () => {
  it.skipIf(rendererIsStale())('stops on SIGINT (exit 0) during the import, and leaves the project intact', async () => {
    const project = join(dir, 'p.gpkg');
    const svc = new EkimaeService();
    await svc.invoke('project.create', { path: project, settings: { name: 'serve' } });
    svc.close();
    const src = join(dir, 'hostile.gpkg');
    writeGeoPackage(src, [{ name: 'stations', geometryType: 'POINT', fields: [], features: [{ geometry: { type: 'Point', coordinates: [100.53, 13.8] }, properties: {} }] }]);
    const db = new Database(src);
    db.exec(readFileSync(join(ROOT, 'tests/fixtures/hostile-gpkg/recursive-view-source/plant.sql'), 'utf8'));
    db.close();

    const child = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs'), '--project', project, '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    serve = child;
    const exited = new Promise<{ code: number | null; signal: string | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
    let out = '';
    child.stderr!.on('data', (d) => { out += d; });
    const url = await new Promise<URL>((res, rej) => {
      child.stdout!.on('data', (d) => {
        out += d;
        // serve prints the tokened URL only as the one for another browser (the sign-in link is single-use).
        const m = /use (http:\/\/\S+token=[^\s)]+)/.exec(out);
        if (m) res(new URL(m[1]));
      });
      child.once('exit', () => rej(new Error(`serve ended before it listened: ${out}`)));
    });
    const token = url.searchParams.get('token')!;
    // The import's first progress event says it has started; Ctrl+C comes right after it.
    let subscribed!: () => void;
    const connected = new Promise<void>((res) => { subscribed = res; });
    const started = new Promise<void>((res) => {
      get(`${url.origin}/api/events?token=${token}`, (r) => r.on('data', (d: Buffer) => {
        subscribed();
        if (d.toString().includes('"hostile"')) res();
      })).on('error', () => undefined);
    });
    await connected;
    void fetch(`${url.origin}/api/call/layers.import`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-ekimae-token': token }, body: JSON.stringify({ path: src, jobId: 'hostile' }),
    }).catch(() => undefined);
    await started;
    child.kill('SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });

    const check = new Database(project);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const p = Project.open(project);
    expect(p.layers().map((l) => l.name).filter((n) => n === 'endless')).toEqual([]);
    p.close();
  }, 120_000);
});
