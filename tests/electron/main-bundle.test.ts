// The shipped main.cjs, not the TypeScript source: bundled as scripts/build-app.mjs does and run with
// the mocked electron, so bundling mistakes (paths from __dirname, inlined modules) show up here.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract.js';
import { createElectronMock } from './electron-mock.js';
import { tmpDir } from '../helpers/tmp.js';

const root = join(import.meta.dirname, '..', '..');
const appRoot = tmpDir('ekimae-main-bundle-');
const outfile = join(appRoot, 'dist', 'electron', 'main.cjs');
const { electron, rec } = createElectronMock();

beforeAll(async () => {
  const build: any = await import(join(root, 'scripts', 'build-app.mjs') as string);
  const esbuild = await import('esbuild');
  const options = build.electronBundles(root, []).find((o: any) => String(o.outfile).endsWith('main.cjs'));
  await esbuild.build({ ...options, outfile });
  const code = readFileSync(outfile, 'utf8');
  const real = createRequire(outfile);
  const required: string[] = [];
  const fakeRequire = (id: string) => (required.push(id), id === 'electron' ? electron : real(id));
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__filename', '__dirname', code)(fakeRequire, module, module.exports, outfile, dirname(outfile));
  await new Promise((r) => setTimeout(r, 0));
  expect(required.filter((id) => !id.startsWith('node:') && !['fs', 'path', 'url', 'util', 'stream', 'events', 'crypto', 'os', 'zlib', 'module'].includes(id))).toEqual(['electron']);
});

describe('bundled dist/electron/main.cjs', () => {
  it('starts one hardened window on app://ekimae with the preload beside it', () => {
    expect(rec.windows).toHaveLength(1);
    const wp = rec.windows[0]!.options.webPreferences;
    expect(wp).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: join(appRoot, 'dist', 'electron', 'preload.cjs') });
    expect(rec.windows[0]!.loaded).toEqual(['app://ekimae/index.html']);
  });

  it('registers one handler per contract method', () => {
    expect(rec.handleCalls.filter((c) => c.startsWith('ekimae:call:')).sort()).toEqual(METHOD_NAMES.map((m) => `ekimae:call:${m}`).sort());
  });

  it('forks core-host.cjs beside it and points it at the app root\'s Electron sqlite addon', () => {
    expect(rec.forks).toHaveLength(1);
    expect(rec.forks[0]!.modulePath).toBe(join(appRoot, 'dist', 'electron', 'core-host.cjs'));
    expect(rec.forks[0]!.options.env.EKIMAE_SQLITE_BINDING).toBe(join(appRoot, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
  });

  it('prints the core\'s reports itself: a hardened in-memory print session, the report page beside the app\'s renderer', () => {
    expect([...rec.partitions.keys()]).toEqual(['ekimae-print']);
    const printSession = rec.partitions.get('ekimae-print')!;
    let cancel: boolean | undefined;
    printSession.beforeRequest!({ url: 'https://example.com/' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
    printSession.beforeRequest!({ url: `file://${join(appRoot, 'dist', 'renderer', 'assets', 'report.js')}` }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(false);
  });
});
