// npm start's pieces without running Electron or the network: the better-sqlite3-for-Electron plan
// and its fallbacks (with a fake runner and file system), the Electron command line, the working copy
// of the sample, argument parsing, the app:// protocol's file resolution and the recent-projects list.
import { existsSync, mkdirSync, readFileSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { respondFromRenderer } from '../../electron/app-protocol.js';
import { RecentProjects } from '../../electron/menu.js';
import { ELECTRON_BINDING_RELATIVE } from '../../electron/native-sqlite.js';
import { APP_CSP } from '../../core/api/transports/csp.js';
import { tmpDir } from '../helpers/tmp.js';

const root = join(import.meta.dirname, '..', '..');
const native: any = await import(join(root, 'scripts', 'electron-native.mjs') as string);
const start: any = await import(join(root, 'scripts', 'start-app.mjs') as string);
const build: any = await import(join(root, 'scripts', 'build-app.mjs') as string);
const dir = tmpDir('ekimae-scripts-');

function plan(overrides: Record<string, unknown> = {}) {
  return native.electronNativePlan({
    root: '/app', electronVersion: '45.4.1', sqliteVersion: '12.11.1', platform: 'linux', arch: 'x64',
    env: {}, execPath: '/usr/bin/node', exists: () => true, ...overrides,
  });
}

/** An in-memory file system with just what ensureElectronNative touches. */
function fakeFs(files: Record<string, string> = {}) {
  const copied: string[] = [];
  return {
    files,
    copied,
    existsSync: (p: string) => p in files,
    readFileSync: (p: string) => files[p]!,
    writeFileSync: (p: string, s: string) => void (files[p] = s),
    mkdirSync: () => {},
    rmSync: (p: string) => {
      for (const k of Object.keys(files)) if (k.startsWith(p)) delete files[k];
    },
    cpSync: (from: string, to: string, opts: { filter: (src: string) => boolean }) =>
      copied.push(...[`${from}/src/x.cpp`, `${from}/build/Release/better_sqlite3.node`, `${from}/build`, `${from}/binding.gyp`, `${from}/buildtools.txt`].filter(opts.filter).map((s) => s.replace(from, to))),
  };
}

describe('electron-native (better-sqlite3 for Electron)', () => {
  it('plans a prebuilt download for the electron runtime, then a node-gyp build against Electron headers', () => {
    const p = plan({ env: { npm_config_node_gyp: '/npm/node-gyp/bin/node-gyp.js' } });
    expect(p.dir).toBe('/app/.electron-native/better-sqlite3');
    expect(p.binding).toBe(join('/app', ELECTRON_BINDING_RELATIVE));
    expect(p.source).toBe('/app/node_modules/better-sqlite3');
    expect(p.attempts.map((a: any) => [a.cmd, ...a.args])).toEqual([
      ['/usr/bin/node', '/app/node_modules/prebuild-install/bin.js', '--runtime', 'electron', '--target', '45.4.1', '--arch', 'x64', '--platform', 'linux', '--verbose'],
      ['/usr/bin/node', '/npm/node-gyp/bin/node-gyp.js', 'rebuild', '--release', '--target=45.4.1', '--arch=x64', '--dist-url=https://electronjs.org/headers', '--runtime=electron'],
    ]);
    expect(p.attempts.every((a: any) => a.cwd === p.dir)).toBe(true);
  });

  it('finds npm\'s node-gyp beside node, else falls back to npx', () => {
    expect(native.nodeGypCommand({}, '/opt/node/bin/node', (p: string) => p === '/opt/node/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'))
      .toEqual({ cmd: '/opt/node/bin/node', args: ['/opt/node/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'] });
    expect(native.nodeGypCommand({}, '/opt/node/bin/node', () => false).args).toEqual(['--yes', 'node-gyp']);
  });

  it('copies the sources without the Node build, stops at the first attempt that yields the addon, and stamps it', () => {
    const p = plan();
    const fs = fakeFs();
    const ran: string[] = [];
    const run = (cmd: string, args: string[]) => {
      ran.push(args[0]!);
      fs.files[p.binding] = 'addon';
      return true;
    };
    expect(native.ensureElectronNative(p, { run, fs, log: () => {} })).toBe(p.binding);
    expect(ran).toEqual(['/app/node_modules/prebuild-install/bin.js']);
    expect(fs.copied).toEqual(['/app/.electron-native/better-sqlite3/src/x.cpp', '/app/.electron-native/better-sqlite3/binding.gyp', '/app/.electron-native/better-sqlite3/buildtools.txt']);
    expect(JSON.parse(fs.files[p.stampFile]!)).toEqual({ electron: '45.4.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' });
  });

  it('falls back to node-gyp when the prebuilt download fails', () => {
    const p = plan();
    const fs = fakeFs();
    const ran: string[] = [];
    const run = (cmd: string, args: string[]) => {
      ran.push(args.includes('rebuild') ? 'node-gyp' : 'prebuild');
      if (args.includes('rebuild')) fs.files[p.binding] = 'addon';
      return args.includes('rebuild');
    };
    expect(native.ensureElectronNative(p, { run, fs, log: () => {} })).toBe(p.binding);
    expect(ran).toEqual(['prebuild', 'node-gyp']);
  });

  it('does nothing when the stamp matches, and rebuilds when Electron changed', () => {
    const p = plan();
    const fs = fakeFs({ [p.binding]: 'addon', [p.stampFile]: JSON.stringify(p.stamp) });
    let runs = 0;
    native.ensureElectronNative(p, { run: () => (runs++, true), fs, log: () => {} });
    expect(runs).toBe(0);
    const newer = plan({ electronVersion: '46.0.0' });
    const fs2 = fakeFs({ [newer.binding]: 'old addon', [newer.stampFile]: JSON.stringify(p.stamp) });
    native.ensureElectronNative(newer, { run: () => (runs++, (fs2.files[newer.binding] = 'addon'), true), fs: fs2, log: () => {} });
    expect(runs).toBe(1);
  });

  it('fails with a clear message when offline, leaving no stamp', () => {
    const p = plan();
    const fs = fakeFs();
    expect(() => native.ensureElectronNative(p, { run: () => false, fs, log: () => {} }))
      .toThrow(/could not get better-sqlite3 for Electron 45\.4\.1 \(linux-x64\).*prebuild-install.*node-gyp[\s\S]*internet access once[\s\S]*npm run serve/);
    expect(fs.files[p.stampFile]).toBeUndefined();
  });

  it('a command that "succeeds" without producing the addon does not count', () => {
    const p = plan();
    expect(() => native.ensureElectronNative(p, { run: () => true, fs: fakeFs(), log: () => {} })).toThrow(/could not get/);
  });

  it('reads the real installed versions for the default plan', () => {
    const p = native.defaultPlan(root);
    expect(p.stamp.electron).toBe(JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version);
    expect(p.stamp.betterSqlite3).toBe(JSON.parse(readFileSync(join(root, 'node_modules/better-sqlite3/package.json'), 'utf8')).version);
    expect(p.binding).toBe(join(root, ELECTRON_BINDING_RELATIVE));
  });
});

describe('npm start', () => {
  it('launches electron on the app root (package.json main) with the project', () => {
    const c = start.electronCommand({ root: '/app', project: '/home/u/.local/share/ekimae/bang-sue.gpkg', execPath: '/usr/bin/node' });
    expect(c).toEqual({ cmd: '/usr/bin/node', args: ['/app/node_modules/electron/cli.js', '/app', '--project=/home/u/.local/share/ekimae/bang-sue.gpkg'], cwd: '/app' });
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).main).toBe('dist/electron/main.cjs');
  });

  it('puts user data where each platform expects it', () => {
    expect(start.userDataDir({}, 'linux', '/home/u')).toBe('/home/u/.local/share/ekimae');
    expect(start.userDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/ekimae');
    expect(start.userDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/Ekimae');
    expect(start.userDataDir({ APPDATA: 'C:/Users/u/AppData/Roaming' }, 'win32', 'C:/Users/u')).toBe(join('C:/Users/u/AppData/Roaming', 'Ekimae'));
    expect(start.userDataDir({ EKIMAE_DATA_DIR: '/d' }, 'linux', '/home/u')).toBe('/d');
  });

  it('copies the sample once into the user data folder and never overwrites the working copy', () => {
    const fakeRoot = join(dir, 'root');
    mkdirSync(join(fakeRoot, 'sample-data'), { recursive: true });
    writeFileSync(join(fakeRoot, 'sample-data', 'bang-sue.gpkg'), 'sample v1');
    const data = join(dir, 'data');
    const first = start.ensureWorkingProject({ root: fakeRoot, dataDir: data });
    expect(first.path).toBe(join(data, 'bang-sue.gpkg'));
    expect(first.note).toMatch(/Copied the Bang Sue sample/);
    writeFileSync(first.path, 'user edits');
    const again = start.ensureWorkingProject({ root: fakeRoot, dataDir: data });
    expect(again.path).toBe(first.path);
    expect(readFileSync(first.path, 'utf8')).toBe('user edits');
    expect(readFileSync(join(fakeRoot, 'sample-data', 'bang-sue.gpkg'), 'utf8')).toBe('sample v1');
  });

  it('says so when the sample is not built, and honours --project', () => {
    const r = start.ensureWorkingProject({ root: join(dir, 'empty-root'), dataDir: join(dir, 'data2') });
    expect(r.path).toBe(join(dir, 'data2', 'untitled.gpkg'));
    expect(r.note).toMatch(/not built yet.*empty project/);
    expect(existsSync(r.path)).toBe(false);
    const p = start.ensureWorkingProject({ root, dataDir: join(dir, 'data3'), project: 'x/site.gpkg' });
    expect(p.path).toBe(join(process.cwd(), 'x/site.gpkg'));
  });

  it('parses --name value, --name=value and flags, and refuses unknown arguments', () => {
    const known = { project: 'value', port: 'value', 'no-open': 'flag' };
    expect(start.parseArgs(['--project', 'a.gpkg', '--port=8080', '--no-open'], known)).toEqual({ project: 'a.gpkg', port: '8080', 'no-open': true });
    expect(() => start.parseArgs(['--evil'], known)).toThrow(/unknown argument --evil/);
    expect(() => start.parseArgs(['--port'], known)).toThrow(/needs a value/);
    expect(() => start.parseArgs(['stray'], known)).toThrow(/unknown argument stray/);
  });

  it('rebuilds the renderer when it is missing or older than its sources', () => {
    const r = join(dir, 'stale');
    mkdirSync(join(r, 'renderer'), { recursive: true });
    writeFileSync(join(r, 'renderer', 'main.tsx'), 'x');
    expect(build.rendererIsStale(r)).toBe(true);
    mkdirSync(join(r, 'dist', 'renderer'), { recursive: true });
    writeFileSync(join(r, 'dist', 'renderer', 'index.html'), 'built');
    const past = new Date(Date.now() - 60_000);
    utimesSync(join(r, 'renderer', 'main.tsx'), past, past);
    utimesSync(join(r, 'renderer'), past, past);
    expect(build.rendererIsStale(r)).toBe(false);
    writeFileSync(join(r, 'renderer', 'main.tsx'), 'changed');
    expect(build.rendererIsStale(r)).toBe(true);
  });
});

describe('app:// protocol', () => {
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<title>Ekimae</title>');
  writeFileSync(join(dir, 'secret.txt'), 'secret');

  it('serves the renderer with the CSP and refuses anything outside it or another host', async () => {
    const ok = await respondFromRenderer(rendererDir, 'app://ekimae/index.html');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(await ok.text()).toBe('<title>Ekimae</title>');
    for (const url of ['app://ekimae/../secret.txt', 'app://ekimae/%2e%2e/secret.txt', 'app://ekimae/assets/..%2f..%2fsecret.txt', 'app://other/index.html', 'app://ekimae/assets/']) {
      expect((await respondFromRenderer(rendererDir, url)).status, url).toBe(404);
    }
  });
});

describe('recent projects', () => {
  it('keeps the newest first, without duplicates, capped, across restarts; ignores a damaged file', () => {
    const file = join(dir, 'recent.json');
    const r = new RecentProjects(file, 3);
    for (const p of ['/a', '/b', '/c', '/a', '/d']) r.add(p);
    expect(r.items).toEqual(['/d', '/a', '/c']);
    expect(new RecentProjects(file, 3).items).toEqual(['/d', '/a', '/c']);
    writeFileSync(file, '{not json');
    expect(new RecentProjects(file).items).toEqual([]);
    writeFileSync(file, JSON.stringify(['/ok', 3, null]));
    expect(new RecentProjects(file).items).toEqual(['/ok']);
  });
});
