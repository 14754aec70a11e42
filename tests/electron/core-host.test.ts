// The core in its own process: the message protocol with every payload structured-cloned (as the
// utilityProcess channel does), and the bundled core-host.cjs run under Node with a stand-in for
// Electron's parentPort, checking that every database core/ opens goes through the addon path given
// by the main process (the Electron-ABI better-sqlite3 on a user's machine).
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { MessageClient, serveMessages, type HostMessage } from '../../core/api/transports/message-host.js';
import { tmpDir } from '../helpers/tmp.js';

const root = join(import.meta.dirname, '..', '..');
const dir = tmpDir('ekimae-host-');

describe('message protocol between main and the core host', () => {
  const service = new EkimaeService();
  const client = new MessageClient((m) => setImmediate(() => host.receive(structuredClone(m))));
  const host = serveMessages(service, (m: HostMessage) => setImmediate(() => client.receive(structuredClone(m))));
  afterAll(() => service.close());

  it('answers calls, matching results to ids even when they overlap', async () => {
    const path = join(dir, 'a.gpkg');
    const [created, version] = await Promise.all([
      client.call('project.create', { path, settings: { name: 'A' } }),
      client.call('app.version', {}),
    ]);
    expect(created).toMatchObject({ ok: true, value: { path, settings: { name: 'A' } } });
    expect(version).toMatchObject({ ok: true, value: { version: expect.any(String) } });
    expect(client.inFlight).toBe(0);
  });

  it('carries errors as data and forwards progress events', async () => {
    const events: unknown[] = [];
    client.onProgress((e) => events.push(e));
    const bad = await client.call('layers.import', { path: join(dir, 'missing.geojson'), jobId: 'j7' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('E_FILE_NOT_FOUND');
    expect(events).toEqual([{ jobId: 'j7', method: 'layers.import', fraction: 0, message: 'reading file' }]);
  });

  it('fails calls in flight when the host dies', async () => {
    const dead = new MessageClient(() => {});
    const pending = dead.call('project.info', {});
    dead.failAll({ code: 'E_INTERNAL', message: 'core stopped' });
    expect(await pending).toEqual({ ok: false, error: { code: 'E_INTERNAL', message: 'core stopped' } });
  });

  it('ignores messages that are not calls', () => {
    expect(() => host.receive({ type: 'call', id: 'x', method: 1 })).not.toThrow();
    expect(() => host.receive(null)).not.toThrow();
  });
});

describe('bundled core-host.cjs', () => {
  // Laid out as in the app: dist/electron/ beside dist/renderer/, where the core looks for the report page.
  const app = join(dir, 'app');
  const out = join(app, 'dist', 'electron');
  const nodeAddon = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    const build: any = await import(join(root, 'scripts', 'build-app.mjs') as string);
    const esbuild = await import('esbuild');
    const options = build.electronBundles(root, []).find((o: any) => String(o.outfile).endsWith('core-host.cjs'));
    await esbuild.build({ ...options, outfile: join(out, 'core-host.cjs') });
    // Electron's utilityProcess gives the script process.parentPort; Node's IPC channel stands in for it.
    writeFileSync(join(out, 'parent-port.cjs'), "process.parentPort = { postMessage: (m) => process.send(m), on: (ev, cb) => process.on('message', (data) => cb({ data })) };\n");
    // The core host only checks that the page is built; the main process is the one that loads it.
    mkdirSync(join(app, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(app, 'dist', 'renderer', 'report.html'), '<!doctype html><title>stub</title>');
  });
  afterAll(() => children.forEach((c) => c.kill()));

  /** `advanced` serialization is a structured clone, like Electron's parentPort (Uint8Array survives). */
  function startHost(project: string, binding: string, serialization: 'json' | 'advanced' = 'json') {
    const child = fork(join(out, 'core-host.cjs'), [`--project=${project}`], {
      serialization,
      execArgv: ['--require', join(out, 'parent-port.cjs')],
      env: { ...process.env, EKIMAE_SQLITE_BINDING: binding, NODE_PATH: join(root, 'node_modules') },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    const call = (method: string, input: unknown) =>
      new Promise<any>((resolve) => {
        const id = Math.floor(Math.random() * 1e9);
        const onMessage = (m: any) => {
          if (m.type === 'result' && m.id === id) {
            child.off('message', onMessage);
            resolve(m.result);
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'call', id, method, input });
      });
    return { call, stderr: () => stderr, child };
  }

  it('reaches the real better-sqlite3 package from one place only (electron/native-sqlite.ts)', () => {
    const text = readFileSync(join(out, 'core-host.cjs'), 'utf8');
    expect(text.match(/require\("better-sqlite3"\)/g)).toHaveLength(1);
    expect(text).not.toMatch(/require\("electron"\)/);
    // PDF reports: playwright-core stays a runtime require, not a (broken) bundled copy.
    expect(text).not.toContain('node_modules/playwright-core/lib');
  });

  it('opens (creating) the start-up project through the given addon and answers calls', async () => {
    expect(existsSync(nodeAddon)).toBe(true);
    const project = join(dir, 'startup.gpkg');
    const host = startHost(project, nodeAddon);
    const info = await host.call('project.info', {});
    expect(info).toMatchObject({ ok: true, value: { path: project, settings: { name: 'Untitled project' } } });
    expect(existsSync(project)).toBe(true);
  });

  it('without the Electron addon, says how to build it instead of loading the Node one', async () => {
    const project = join(dir, 'never.gpkg');
    const host = startHost(project, join(dir, 'no-such-addon.node'));
    const r = await host.call('project.info', {});
    expect(r.ok).toBe(false);
    expect(r.error.code).toBe('E_PROJECT_NOT_OPEN');
    await new Promise((res) => setTimeout(res, 50));
    expect(host.stderr()).toContain('scripts/electron-native.mjs');
    expect(existsSync(project)).toBe(false);
  });

  it('prints reports through the main process: report.generate asks over the port and writes what main answers', async () => {
    const host = startHost(join(dir, 'printing.gpkg'), nodeAddon, 'advanced');
    const requests: any[] = [];
    host.child.on('message', (m: any) => {
      if (m.type !== 'print') return;
      requests.push(m);
      host.child.send({ type: 'printed', id: m.id, html: '<!doctype html>\n<p>printed by main</p>', pdf: new TextEncoder().encode('%PDF-1.7 printed by main') });
    });
    const r = await host.call('report.generate', { outDir: join(dir, 'printed'), html: true, pdf: true, paper: 'A3', orientation: 'landscape' });
    expect(r).toMatchObject({ ok: true, value: { pdf: join(dir, 'printed', 'report.pdf'), html: join(dir, 'printed', 'report.html') } });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ want: { html: true, pdf: true }, spec: { paper: 'A3', landscape: true }, model: { meta: { paper: 'A3', orientation: 'landscape' } } });
    expect(readFileSync(join(dir, 'printed', 'report.pdf'), 'utf8')).toBe('%PDF-1.7 printed by main');
    expect(readFileSync(join(dir, 'printed', 'report.html'), 'utf8')).toBe('<!doctype html>\n<p>printed by main</p>');
  });

  it('a print error from main becomes E_REPORT_RENDER with main\'s message', async () => {
    const host = startHost(join(dir, 'printing-fails.gpkg'), nodeAddon, 'advanced');
    host.child.on('message', (m: any) => {
      if (m.type === 'print') host.child.send({ type: 'printed', id: m.id, error: 'the report page was not laid out within 60 s' });
    });
    const r = await host.call('report.generate', { outDir: join(dir, 'not-printed'), pdf: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_REPORT_RENDER', message: expect.stringContaining('not laid out within 60 s') } });
  });
});
