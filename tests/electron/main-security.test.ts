// The Electron main process with electron mocked: every security option, the IPC generated from the
// contract (one validated, sender-checked handler per method), the core in its own process, menus.
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract.js';
import { APP_CSP } from '../../core/api/transports/csp.js';
import { printSpec } from '../../core/report/render.js';
import { ELECTRON_BINDING_RELATIVE } from '../../electron/native-sqlite.js';
import { PRINT_PARTITION } from '../../electron/report-printer.js';
import { cancels, type FakeUtilityProcess } from './electron-mock.js';
import { tinyModel } from './tiny-model.js';

const mock = await vi.hoisted(async () => (await import('./electron-mock.js')).createElectronMock());
vi.mock('electron', () => mock.electron);

await import('../../electron/main.js');
await new Promise((r) => setTimeout(r, 0));
const { rec } = mock;
const win = rec.windows[0]!;
const trustedEvent = () => ({ senderFrame: { url: 'app://ekimae/index.html', parent: null }, sender: win.webContents });
const core = () => rec.forks.at(-1) as FakeUtilityProcess;

/** Answers the next call message the fake core process receives. */
function answerNext(child: FakeUtilityProcess, result: unknown) {
  const m = child.posted.at(-1) as { id: number };
  child.emit('message', { type: 'result', id: m.id, result });
}

describe('BrowserWindow and session security', () => {
  it('opens exactly one window with isolation, sandbox, no node, web security', () => {
    expect(rec.windows).toHaveLength(1);
    const wp = win.options.webPreferences;
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.preload).toMatch(/preload\.cjs$/);
    expect(rec.sandboxEnabled).toBe(true);
  });

  it('loads only our own app:// page, served from a privileged secure scheme', () => {
    expect(win.loaded).toEqual(['app://ekimae/index.html']);
    expect(rec.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(rec.protocolHandlers.has('app')).toBe(true);
  });

  it('prevents navigation, redirects and webviews, and denies every new window', () => {
    for (const ev of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      win.webContents.emit(ev, { preventDefault }, 'https://example.com/');
      expect(preventDefault, ev).toHaveBeenCalledOnce();
    }
    for (const url of ['https://example.com/', 'app://ekimae/index.html', 'file:///etc/passwd']) {
      expect(win.webContents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
  });

  it('sets the strict CSP on every response', () => {
    let headers: Record<string, string[]> = {};
    rec.headersListener!({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']).toEqual([APP_CSP]);
    expect(headers['Content-Type']).toEqual(['text/html']);
    const directives = Object.fromEntries(APP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
  });

  it('cancels every request for remote content and refuses every permission', () => {
    const cancelled = (url: string) => {
      let cancel: boolean | undefined;
      rec.beforeRequest!({ url }, (r) => (cancel = r.cancel));
      return cancel;
    };
    expect(cancelled('app://ekimae/assets/index.js')).toBe(false);
    expect(cancelled('data:image/png;base64,AAAA')).toBe(false);
    expect(cancelled('blob:app://ekimae/1234')).toBe(false);
    expect(cancelled('https://tiles.example.com/1/2/3.png')).toBe(true);
    expect(cancelled('http://127.0.0.1:8080/')).toBe(true);
    expect(cancelled('file:///etc/passwd')).toBe(true);
    expect(cancelled('app://other/index.html')).toBe(true);
    const granted = vi.fn();
    rec.permissionRequest!(win.webContents, 'geolocation', granted);
    expect(granted).toHaveBeenCalledWith(false);
    expect(rec.permissionCheck!()).toBe(false);
  });
});

describe('IPC generated from the contract', () => {
  it('registers exactly one handler per contract method, and nothing else but the file dialog', () => {
    const calls = rec.handleCalls.filter((c) => c.startsWith('ekimae:call:'));
    expect(calls.slice().sort()).toEqual(METHOD_NAMES.map((m) => `ekimae:call:${m}`).sort());
    expect(new Set(calls).size).toBe(calls.length);
    expect(rec.handleCalls.filter((c) => !c.startsWith('ekimae:call:'))).toEqual(['ekimae:pickFile']);
  });

  it('forwards valid input from our window to the core process and returns its result', async () => {
    const child = core();
    const before = child.posted.length;
    const pending = rec.handlers.get('ekimae:call:layers.remove')!(trustedEvent(), { layer: 'parcels' });
    expect(child.posted.slice(before)).toEqual([{ type: 'call', id: expect.any(Number), method: 'layers.remove', input: { layer: 'parcels' } }]);
    answerNext(child, { ok: true, value: { removed: 'parcels' } });
    expect(await pending).toEqual({ ok: true, value: { removed: 'parcels' } });
  });

  it('refuses a foreign sender without forwarding (other origin, sub-frame, other contents, no frame)', async () => {
    const child = core();
    const before = child.posted.length;
    const events = [
      { senderFrame: { url: 'https://evil.example/', parent: null }, sender: win.webContents },
      { senderFrame: { url: 'file:///tmp/x.html', parent: null }, sender: win.webContents },
      { senderFrame: { url: 'app://ekimae/index.html', parent: {} }, sender: win.webContents },
      { senderFrame: { url: 'app://ekimae/index.html', parent: null }, sender: { id: 99999 } },
      { senderFrame: null, sender: win.webContents },
    ];
    for (const e of events) {
      const r = (await rec.handlers.get('ekimae:call:project.info')!(e, {})) as { ok: boolean; error: { code: string } };
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('E_FORBIDDEN');
    }
    expect(child.posted.length).toBe(before);
  });

  it('rejects invalid input with E_INPUT_INVALID without forwarding', async () => {
    const child = core();
    const before = child.posted.length;
    for (const [method, input] of [['layers.remove', { layer: 42 }], ['project.open', { path: '' }], ['project.info', { extra: 1 }], ['layers.features', 'not an object']] as const) {
      const r = (await rec.handlers.get(`ekimae:call:${method}`)!(trustedEvent(), input)) as { ok: boolean; error: { code: string; message: string } };
      expect(r.ok, method).toBe(false);
      expect(r.error.code).toBe('E_INPUT_INVALID');
      expect(r.error.message).toContain(method);
    }
    expect(child.posted.length).toBe(before);
  });

  it('adds an opened project to Open Recent', async () => {
    const child = core();
    mock.electron.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: ['/data/site.gpkg'] });
    expect(await rec.handlers.get('ekimae:pickFile')!(trustedEvent(), { title: 'Open' })).toBe('/data/site.gpkg');
    mock.electron.dialog.showOpenDialog = async () => ({ canceled: false, filePaths: ['/picked/file.geojson'] });
    const pending = rec.handlers.get('ekimae:call:project.open')!(trustedEvent(), { path: '/data/site.gpkg' });
    answerNext(child, { ok: true, value: { path: '/data/site.gpkg' } });
    await pending;
    const file = (rec.menuTemplates.at(-1) as any[]).find((m) => m.label === 'File');
    const recent = file.submenu.find((i: any) => i.label === 'Open Recent').submenu;
    expect(recent[0].label).toBe('/data/site.gpkg');
    recent[0].click();
    expect(win.webContents.sent.at(-1)).toEqual(['ekimae:menu', 'file.openRecent:/data/site.gpkg']);
  });

  it('answers the file dialog for our window only, with validated options', async () => {
    const pick = rec.handlers.get('ekimae:pickFile')!;
    expect(await pick(trustedEvent(), { title: 'Import', filters: [{ name: 'GeoJSON', extensions: ['geojson'] }] })).toBe('/picked/file.geojson');
    expect(await pick(trustedEvent(), { title: 'Save as', save: true })).toBe('/picked/out.gpkg');
    expect(await pick({ senderFrame: { url: 'https://evil.example/', parent: null }, sender: win.webContents }, { title: 'x' })).toBeNull();
    expect(await pick(trustedEvent(), { title: 'x', filters: [{ name: 'bad', extensions: ['../../x'] }] })).toBeNull();
    expect(await pick(trustedEvent(), { title: 'x', properties: ['multiSelections'] })).toBeNull();
  });
});

describe('paths: only what the user chose in a dialog (or the app\'s data folder)', () => {
  const call = (method: string, input: unknown) => rec.handlers.get(`ekimae:call:${method}`)!(trustedEvent(), input) as Promise<{ ok: boolean; error?: { code: string; details?: { field: string } } }>;

  it('refuses a path no dialog returned, without forwarding (import, export, open, review, report folder)', async () => {
    const child = core();
    const before = child.posted.length;
    const attempts: Array<[string, unknown, string]> = [
      ['layers.import', { path: '/home/user/.ssh/id_ed25519' }, 'path'],
      ['layers.export', { layers: ['parcels'], format: 'geojson', path: '/home/user/.bashrc', overwrite: true }, 'path'],
      ['project.open', { path: '/etc/passwd' }, 'path'],
      ['review.open', { package: '/tmp/evil.zip', reviewFile: '/picked/file.geojson' }, 'package'],
      ['review.open', { package: '/picked/file.geojson', reviewFile: '/home/user/.profile' }, 'reviewFile'],
      ['report.generate', { outDir: '/home/user/.config/autostart' }, 'outDir'],
      ['project.saveAs', { path: '/picked/../home/user/x.gpkg' }, 'path'],
      ['package.verify', { path: 'relative/pkg.zip' }, 'path'],
    ];
    for (const [method, input, field] of attempts) {
      const r = await call(method, input);
      expect(r.ok, method).toBe(false);
      expect(r.error!.code, method).toBe('E_PATH_NOT_GRANTED');
      expect(r.error!.details!.field, method).toBe(field);
    }
    expect(child.posted.length).toBe(before);
  });

  it('forwards a path the open or save dialog returned, and the folder of a chosen file only where a folder is meant', async () => {
    const child = core();
    expect(await rec.handlers.get('ekimae:pickFile')!(trustedEvent(), { title: 'Import' })).toBe('/picked/file.geojson');
    const before = child.posted.length;
    const pending = call('layers.import', { path: '/picked/file.geojson' });
    expect(child.posted.length).toBe(before + 1);
    answerNext(child, { ok: true, value: {} });
    await pending;
    // The folder holding a picked file: fine for a report's folder, not as a file to write.
    const report = call('report.generate', { outDir: '/picked' });
    expect(child.posted.length).toBe(before + 2);
    answerNext(child, { ok: true, value: {} });
    await report;
    expect((await call('layers.export', { layers: ['parcels'], format: 'gpkg', path: '/picked', overwrite: true })).error!.code).toBe('E_PATH_NOT_GRANTED');
  });

  it('allows anything under the app\'s data folder', async () => {
    const child = core();
    const before = child.posted.length;
    const pending = call('project.open', { path: '/nonexistent-ekimae-userdata/projects/a.gpkg' });
    expect(child.posted.length).toBe(before + 1);
    answerNext(child, { ok: false, error: { code: 'E_FILE_NOT_FOUND', message: 'x' } });
    await pending;
    expect((await call('project.open', { path: '/nonexistent-ekimae-userdata-other/a.gpkg' })).error!.code).toBe('E_PATH_NOT_GRANTED');
  });
});

describe('the core in its own process', () => {
  it('is a utilityProcess running core-host.cjs with the Electron sqlite addon', () => {
    const child = rec.forks[0]!;
    expect(child.modulePath).toMatch(/core-host\.cjs$/);
    expect(child.options.env.EKIMAE_SQLITE_BINDING!.endsWith(ELECTRON_BINDING_RELATIVE)).toBe(true);
  });

  it('relays progress events to the window', () => {
    const event = { jobId: 'j1', method: 'layers.import', fraction: 0.5, message: 'half' };
    core().emit('message', { type: 'progress', event });
    expect(win.webContents.sent.at(-1)).toEqual(['ekimae:progress', event]);
  });

  it('when the core process dies, fails the call in flight and starts a new one on the last project', async () => {
    const child = core();
    const forks = rec.forks.length;
    const pending = rec.handlers.get('ekimae:call:project.info')!(trustedEvent(), {});
    child.emit('exit', 1);
    const r = (await pending) as { ok: boolean; error: { code: string } };
    expect(r.error.code).toBe('E_INTERNAL');
    expect(rec.forks.length).toBe(forks + 1);
    expect(core().args).toEqual(['--project=/data/site.gpkg']);
  });
});

describe('reports printed by the main process for the core', () => {
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  };

  it('prints a print request in a hidden window on the print session, answers the core, and destroys the window', async () => {
    const child = core();
    const windows = rec.windows.length;
    const model = tinyModel('A3', 'landscape');
    child.emit('message', { type: 'print', id: 41, model, want: { html: true, pdf: true }, spec: printSpec(model.meta) });
    await until(() => child.posted.some((m: any) => m.type === 'printed'));
    const answer = child.posted.find((m: any) => m.type === 'printed') as { id: number; html: string; pdf: Uint8Array };
    expect(answer.id).toBe(41);
    expect(Buffer.from(answer.pdf).toString()).toBe('%PDF-1.7 fake report');
    expect(answer.html).toContain('static report');
    expect(rec.windows.length).toBe(windows + 1);
    const printWindow = rec.windows.at(-1)!;
    expect(printWindow.options.show).toBe(false);
    expect(printWindow.options.webPreferences.session).toBe(rec.partitions.get(PRINT_PARTITION));
    expect(printWindow.loaded[0]).toMatch(/dist[\\/]renderer[\\/]report\.html$/);
    expect(printWindow.webContents.printed).toEqual([expect.objectContaining({ pageSize: 'A3', landscape: true })]);
    expect(printWindow.destroyed).toBe(true);
    // The print window is hardened like every web contents: no navigation, no new windows.
    expect(printWindow.webContents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });

  it('answers a malformed print request with an error and opens no window', async () => {
    const child = core();
    const windows = rec.windows.length;
    child.emit('message', { type: 'print', id: 42, model: { meta: 'x' }, want: { html: true, pdf: true }, spec: {} });
    await until(() => child.posted.some((m: any) => m.type === 'printed' && m.id === 42));
    expect(child.posted.find((m: any) => m.id === 42)).toMatchObject({ type: 'printed', id: 42, error: expect.stringMatching(/^malformed print request/) });
    expect(rec.windows.length).toBe(windows);
  });

  it('uses an in-memory session (no persist: partition) that cancels every request but the built renderer\'s files', () => {
    const s = rec.partitions.get(PRINT_PARTITION)!;
    expect(PRINT_PARTITION.startsWith('persist:')).toBe(false);
    expect(s.options).toEqual({ cache: false });
    expect(cancels(s, 'https://example.com/x.js')).toBe(true);
    expect(cancels(s, 'file:///etc/passwd')).toBe(true);
    expect(cancels(s, 'app://ekimae/index.html')).toBe(true);
    const page = rec.windows.at(-1)!.loaded[0]!;
    expect(cancels(s, `file://${page}`)).toBe(false);
  });
});

describe('menus', () => {
  it('has the File, Edit, View and Help menus with the issue\'s items, sending actions to the renderer', () => {
    const template = rec.menuTemplates.at(-1) as any[];
    const labels = template.map((m) => m.label).filter(Boolean);
    expect(labels).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = template.find((m) => m.label === 'File').submenu.map((i: any) => i.label).filter(Boolean);
    expect(file).toEqual(['New Project…', 'Open Project…', 'Open Database…', 'Reload from Database', 'Open Recent', 'Save As…', 'Import Layer…', 'Export…', 'Report…', 'Review a Plan Package…']);
    const edit = template.find((m) => m.label === 'Edit').submenu;
    const clicks: Record<string, string> = {};
    for (const menu of template) for (const item of menu.submenu ?? []) {
      if (typeof item.click === 'function' && item.label !== 'Open Recent') {
        item.click();
        clicks[item.label] = (win.webContents.sent.at(-1) as [string, string])[1];
      }
    }
    expect(clicks).toMatchObject({
      'New Project…': 'file.new', 'Open Project…': 'file.open', 'Open Database…': 'file.openDatabase', 'Reload from Database': 'file.reloadDatabase', 'Save As…': 'file.saveAs', 'Import Layer…': 'file.import',
      'Export…': 'file.export', 'Report…': 'file.report', 'Review a Plan Package…': 'file.review', Undo: 'edit.undo', Redo: 'edit.redo',
    });
    expect(edit.find((i: any) => i.label === 'Undo').accelerator).toBe('CmdOrCtrl+Z');
    expect(win.webContents.sent.filter(([c]) => c === 'ekimae:menu').every(([, a]) => typeof a === 'string')).toBe(true);
  });
});
