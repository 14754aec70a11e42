// A recording stand-in for the parts of Electron's main-process API the shell uses (the real binary
// cannot be downloaded here). Each fake keeps what it was given so tests can assert on it.
import { EventEmitter } from 'node:events';

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  sent: [string, unknown][] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
  send(channel: string, value: unknown) {
    this.sent.push([channel, value]);
  }
}

export class FakeUtilityProcess extends EventEmitter {
  posted: unknown[] = [];
  killed = false;
  constructor(readonly modulePath: string, readonly args: string[], readonly options: { env: Record<string, string | undefined> }) {
    super();
  }
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  kill() {
    this.killed = true;
    return true;
  }
}

export function createElectronMock() {
  const rec = {
    windows: [] as FakeBrowserWindow[],
    handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    handleCalls: [] as string[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (req: { url: string }) => Promise<Response>>(),
    menuTemplates: [] as unknown[],
    forks: [] as FakeUtilityProcess[],
    headersListener: null as null | ((d: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void),
    beforeRequest: null as null | ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void),
    permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    permissionCheck: null as null | (() => boolean),
    sandboxEnabled: false,
    appEvents: new EventEmitter(),
  };

  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents();
    loaded: string[] = [];
    constructor(readonly options: Record<string, any>) {
      super();
      rec.windows.push(this);
      rec.appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    show() {}
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
  }

  const electron = {
    app: {
      whenReady: () => Promise.resolve(),
      on: (ev: string, cb: (...a: any[]) => void) => rec.appEvents.on(ev, cb),
      getPath: () => '/nonexistent-ekimae-userdata',
      requestSingleInstanceLock: () => true,
      enableSandbox: () => {
        rec.sandboxEnabled = true;
      },
      quit: () => {},
    },
    BrowserWindow: FakeBrowserWindow,
    ipcMain: {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
        rec.handleCalls.push(channel);
        rec.handlers.set(channel, fn);
      },
    },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.privilegedSchemes.push(...s),
      handle: (scheme: string, fn: (req: { url: string }) => Promise<Response>) => rec.protocolHandlers.set(scheme, fn),
    },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: (fn: typeof rec.headersListener) => {
            rec.headersListener = fn;
          },
          onBeforeRequest: (fn: typeof rec.beforeRequest) => {
            rec.beforeRequest = fn;
          },
        },
        setPermissionRequestHandler: (fn: typeof rec.permissionRequest) => {
          rec.permissionRequest = fn;
        },
        setPermissionCheckHandler: (fn: typeof rec.permissionCheck) => {
          rec.permissionCheck = fn;
        },
      },
    },
    Menu: {
      buildFromTemplate: (t: unknown) => {
        rec.menuTemplates.push(t);
        return t;
      },
      setApplicationMenu: () => {},
    },
    dialog: {
      showOpenDialog: async () => ({ canceled: false, filePaths: ['/picked/file.geojson'] }),
      showSaveDialog: async () => ({ canceled: false, filePath: '/picked/out.gpkg' }),
      showErrorBox: () => {},
    },
    utilityProcess: {
      fork: (modulePath: string, args: string[], options: { env: Record<string, string | undefined> }) => {
        const p = new FakeUtilityProcess(modulePath, args, options);
        rec.forks.push(p);
        return p;
      },
    },
  };
  return { electron, rec };
}
