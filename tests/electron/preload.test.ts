// The preload as it ships: bundled by scripts/build-app.mjs into one CJS file, run here in a bare vm
// context whose `require` knows only 'electron' (as in Electron's sandbox), with a fake contextBridge.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract.js';
import { CALL_CHANNEL_PREFIX, MENU_CHANNEL, PICK_FILE_CHANNEL, PROGRESS_CHANNEL } from '../../electron/ipc.js';
import { tmpDir } from '../helpers/tmp.js';

const root = join(import.meta.dirname, '..', '..');
const out = tmpDir('ekimae-preload-');
let bundle = '';
const required: string[] = [];
const exposed: [string, any][] = [];
const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
const invoke = vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args }));

beforeAll(async () => {
  const build: any = await import(join(root, 'scripts', 'build-app.mjs') as string);
  const esbuild = await import('esbuild');
  const names = await build.contractMethodNames(root);
  const options = build.electronBundles(root, names).find((o: any) => String(o.outfile).endsWith('preload.cjs'));
  await esbuild.build({ ...options, outfile: join(out, 'preload.cjs') });
  bundle = readFileSync(join(out, 'preload.cjs'), 'utf8');
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
    ipcRenderer: {
      invoke,
      on: (ch: string, l: (...a: unknown[]) => void) => (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(l),
      removeListener: (ch: string, l: (...a: unknown[]) => void) => listeners.get(ch)?.delete(l),
    },
  };
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`sandboxed preload cannot require ${id}`);
    return electron;
  };
  const module = { exports: {} };
  vm.runInNewContext(bundle, { require: sandboxRequire, module, exports: module.exports, Promise, Set, String });
});

const emit = (ch: string, value: unknown) => [...(listeners.get(ch) ?? [])].forEach((l) => l({}, value));

describe('preload bridge', () => {
  it('is one small file that requires nothing but electron (no zod, no core)', () => {
    expect(required).toEqual(['electron']);
    expect(bundle.length).toBeLessThan(4000);
    expect(bundle).not.toMatch(/zod|better-sqlite3/);
  });

  it('exposes exactly window.ekimae with the bridge interface', () => {
    expect(exposed.map(([k]) => k)).toEqual(['ekimae']);
    const api = exposed[0]![1];
    expect(Object.keys(api).sort()).toEqual(['call', 'kind', 'onMenu', 'onProgress', 'pickFile']);
    expect(api.kind).toBe('electron');
  });

  it('sends each contract method on its own channel, and refuses other names without IPC', async () => {
    const api = exposed[0]![1];
    for (const m of METHOD_NAMES) {
      expect(await api.call(m, { a: 1 })).toEqual({ channel: `${CALL_CHANNEL_PREFIX}${m}`, args: [{ a: 1 }] });
    }
    invoke.mockClear();
    for (const bad of ['nope', '__proto__', 'toString', 'project.info ', 42]) {
      const r = await api.call(bad, {});
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('E_METHOD_UNKNOWN');
    }
    expect(invoke).not.toHaveBeenCalled();
  });

  it('delivers progress and menu events until unsubscribed', () => {
    const api = exposed[0]![1];
    const progress: unknown[] = [];
    const menu: unknown[] = [];
    const offP = api.onProgress((e: unknown) => progress.push(e));
    const offM = api.onMenu((a: unknown) => menu.push(a));
    emit(PROGRESS_CHANNEL, { jobId: 'j', fraction: 0.5 });
    emit(MENU_CHANNEL, 'file.import');
    offP();
    offM();
    emit(PROGRESS_CHANNEL, { jobId: 'j', fraction: 1 });
    emit(MENU_CHANNEL, 'edit.undo');
    expect(progress).toEqual([{ jobId: 'j', fraction: 0.5 }]);
    expect(menu).toEqual(['file.import']);
  });

  it('asks the main process for a native file dialog', async () => {
    const api = exposed[0]![1];
    expect(await api.pickFile({ title: 'Import' })).toEqual({ channel: PICK_FILE_CHANNEL, args: [{ title: 'Import' }] });
  });
});
