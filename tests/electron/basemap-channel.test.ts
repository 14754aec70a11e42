// The basemap in the desktop app, with electron mocked: the renderer's tile requests travel the same
// generated, sender-checked IPC as every other call (no protocol handler, no URL, no CSP change), and
// "Choose basemap file…" reaches the native dialog with the two archive extensions.
import { describe, expect, it, vi } from 'vitest';
import { APP_CSP } from '../../core/api/transports/csp.js';
import type { FakeUtilityProcess } from './electron-mock.js';

const mock = await vi.hoisted(async () => (await import('./electron-mock.js')).createElectronMock());
vi.mock('electron', () => mock.electron);

await import('../../electron/main.js');
await new Promise((r) => setTimeout(r, 0));
const { rec } = mock;
const win = rec.windows[0]!;
const trustedEvent = () => ({ senderFrame: { url: 'app://ekimae/index.html', parent: null }, sender: win.webContents });
const core = () => rec.forks.at(-1) as FakeUtilityProcess;

describe('basemap over Electron IPC', () => {
  it('basemap.tile goes to the core process and its bytes come back as the result', async () => {
    const child = core();
    const before = child.posted.length;
    const pending = rec.handlers.get('ekimae:call:basemap.tile')!(trustedEvent(), { z: 15, x: 25556, y: 15087 });
    expect(child.posted.slice(before)).toEqual([{ type: 'call', id: expect.any(Number), method: 'basemap.tile', input: { z: 15, x: 25556, y: 15087 } }]);
    const m = child.posted.at(-1) as { id: number };
    child.emit('message', { type: 'result', id: m.id, result: { ok: true, value: { format: 'pbf', data: 'GgA=' } } });
    expect(await pending).toEqual({ ok: true, value: { format: 'pbf', data: 'GgA=' } });
  });

  it('refuses a malformed tile request or a foreign sender without reaching the core', async () => {
    const child = core();
    const before = child.posted.length;
    for (const input of [{ z: 25, x: 0, y: 0 }, { z: 1, x: -1, y: 0 }, { z: 1, x: 0, y: 0, url: 'https://tiles.example/' }]) {
      const r = (await rec.handlers.get('ekimae:call:basemap.tile')!(trustedEvent(), input)) as { ok: boolean; error: { code: string } };
      expect(r.error.code).toBe('E_INPUT_INVALID');
    }
    const foreign = { senderFrame: { url: 'https://evil.example/', parent: null }, sender: win.webContents };
    const r = (await rec.handlers.get('ekimae:call:basemap.set')!(foreign, { path: '/tmp/x.pmtiles' })) as { ok: boolean; error: { code: string } };
    expect(r.error.code).toBe('E_FORBIDDEN');
    expect(child.posted.length).toBe(before);
  });

  it('the file dialog is asked for .pmtiles and .mbtiles files', async () => {
    const spy = vi.spyOn(mock.electron.dialog, 'showOpenDialog');
    const filters = [{ name: 'PMTiles / MBTiles', extensions: ['pmtiles', 'mbtiles'] }];
    await rec.handlers.get('ekimae:pickFile')!(trustedEvent(), { title: 'Choose basemap file…', filters });
    expect(spy).toHaveBeenCalledOnce();
    expect(spy.mock.calls[0]!.at(-1)).toMatchObject({ filters, properties: ['openFile'] });
  });

  it('needs no new protocol or CSP source: the app scheme is the only one registered and nothing remote is allowed', () => {
    expect([...rec.protocolHandlers.keys()]).toEqual(['app']);
    expect(APP_CSP).not.toMatch(/https?:|ekimae-basemap|\*/);
  });
});
