/**
 * Electron main process: one window showing the renderer from app://ekimae under the settings in
 * security.ts, the native menu, the file dialog, IPC forwarded to the core in its own process, and
 * hidden windows that print the core's reports. The main process computes nothing itself.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, utilityProcess, type WebContents } from 'electron';
import { join, resolve } from 'node:path';
import { CoreClient } from './core-client.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { MENU_CHANNEL, PROGRESS_CHANNEL, registerContractHandlers, registerDialogHandler } from './ipc.js';
import { menuTemplate, RecentProjects, type MenuAction } from './menu.js';
import { ELECTRON_BINDING_RELATIVE } from './native-sqlite.js';
import { PathGrants } from './path-grants.js';
import { createReportPrinter, PRINT_PARTITION } from './report-printer.js';
import { APP_ENTRY, hardenContents, hardenSession, webPreferences } from './security.js';

// dist/electron/main.cjs → the app root holds dist/renderer and .electron-native.
const root = resolve(__dirname, '..', '..');
const trusted = new Set<number>();
let window: BrowserWindow | null = null;

registerAppScheme(protocol);
app.enableSandbox();
app.on('web-contents-created', (_event, contents: WebContents) => hardenContents(contents));

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Ekimae',
    show: false,
    backgroundColor: '#f4f4f2',
    webPreferences: webPreferences(join(__dirname, 'preload.cjs')),
  });
  const id = win.webContents.id;
  trusted.add(id);
  win.on('closed', () => {
    trusted.delete(id);
    window = null;
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}

async function launch(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession);
  serveRenderer(protocol, join(root, 'dist', 'renderer'));

  const recent = new RecentProjects(join(app.getPath('userData'), 'recent.json'));
  const send = (action: MenuAction) => window?.webContents.send(MENU_CHANNEL, action);
  const rebuildMenu = () => Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(send, recent.items, process.platform === 'darwin')));
  rebuildMenu();

  const project = process.argv.find((a) => a.startsWith('--project='))?.slice('--project='.length) ?? null;
  // The renderer may only name files the user chose here (docs/DESKTOP.md, "Paths").
  const grants = new PathGrants([app.getPath('userData'), process.env.EKIMAE_DATA_DIR ?? '']);
  grants.grant(project ? resolve(project) : null);
  for (const p of recent.items) grants.grant(p);
  const core = new CoreClient({
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    hostScript: join(__dirname, 'core-host.cjs'),
    sqliteBinding: join(root, ELECTRON_BINDING_RELATIVE),
    project: project ? resolve(project) : null,
    onProgress: (e) => window?.webContents.send(PROGRESS_CHANNEL, e),
    print: createReportPrinter({ BrowserWindow, session: session.fromPartition(PRINT_PARTITION, { cache: false }), rendererDir: join(root, 'dist', 'renderer') }),
  });

  registerContractHandlers(ipcMain, trusted, async (method, input) => {
    const r = await core.call(method, input);
    if (r.ok && (method === 'project.open' || method === 'project.create' || method === 'project.saveAs')) {
      recent.add((r.value as { path: string }).path);
      rebuildMenu();
    }
    return r;
  }, grants);
  registerDialogHandler(ipcMain, trusted, dialog, () => window, grants);

  window = createWindow();
  app.on('activate', () => {
    if (!window) window = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => core.stop());
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  launch().catch((e: unknown) => {
    dialog.showErrorBox('Ekimae could not start', e instanceof Error ? e.message : String(e));
    app.quit();
  });
}
