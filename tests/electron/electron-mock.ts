// A recording stand-in for the parts of Electron's main-process API the shell uses (the real binary
// cannot be downloaded here). Each fake keeps what it was given so tests can assert on it.
import { EventEmitter } from 'node:events';

/** How a fake page answers executeJavaScript and printToPDF (the report page's protocol by default). */
export interface FakePage {
  evaluate(code: string): unknown;
  printToPDF(options: unknown): Promise<Buffer>;
}

export const reportPage = (): FakePage => ({
  evaluate: (code) => {
    if (code === 'typeof window.__EKIMAE_LOAD_REPORT__') return 'function';
    if (code === 'window.__EKIMAE_REPORT_READY__ === true') return true;
    if (code.startsWith('(() =>')) return '<!doctype html>\n<html><body>static report</body></html>';
    return undefined;
  },
  printToPDF: async () => Buffer.from('%PDF-1.7 fake report'),
});

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  id = FakeWebContents.nextId++;
  sent: [string, unknown][] = [];
  scripts: string[] = [];
  printed: unknown[] = [];
  constructor(private page: FakePage = reportPage()) {
    super();
  }
  async executeJavaScript(code: string) {
    this.scripts.push(code);
    return this.page.evaluate(code);
  }
  printToPDF(options: unknown) {
    this.printed.push(options);
    return this.page.printToPDF(options);
  }
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

type BeforeRequest = (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
type PermissionRequest = (wc: unknown, permission: string, cb: (ok: boolean) => void) => void;

/** A session other than the default one (e.g. the print window's partition), recording its handlers. */
export function fakeSession() {
  const recorded = { beforeRequest: null as BeforeRequest | null, permissionRequest: null as PermissionRequest | null, permissionCheck: null as (() => boolean) | null };
  return Object.assign(recorded, {
    webRequest: {
      onBeforeRequest: (fn: BeforeRequest) => {
        recorded.beforeRequest = fn;
      },
    },
    setPermissionRequestHandler: (fn: PermissionRequest) => {
      recorded.permissionRequest = fn;
    },
    setPermissionCheckHandler: (fn: () => boolean) => {
      recorded.permissionCheck = fn;
    },
  });
}

/** True when the session's request filter cancels `url`. */
export function cancels(session: ReturnType<typeof fakeSession>, url: string): boolean {
  let cancel: boolean | undefined;
  session.beforeRequest!({ url }, (r) => (cancel = r.cancel));
  if (cancel === undefined) throw new Error(`the request filter did not answer for ${url}`);
  return cancel;
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
    partitions: new Map<string, ReturnType<typeof fakeSession> & { partition: string; options?: { cache: boolean } }>(),
    /** The page the next BrowserWindow shows; tests swap it to script failures. */
    nextPage: reportPage,
    /** Set to make loadFile fail or hang. */
    loadFile: (_path: string): Promise<void> => Promise.resolve(),
  };

  class FakeBrowserWindow extends EventEmitter {
    webContents = new FakeWebContents(rec.nextPage());
    loaded: string[] = [];
    destroyed = false;
    constructor(readonly options: Record<string, any>) {
      super();
      rec.windows.push(this);
      rec.appEvents.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(path: string) {
      this.loaded.push(path);
      return rec.loadFile(path);
    }
    destroy() {
      this.destroyed = true;
    }
    isDestroyed() {
      return this.destroyed;
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
      fromPartition: (partition: string, options?: { cache: boolean }) => {
        const existing = rec.partitions.get(partition);
        if (existing) return existing;
        const created = Object.assign(fakeSession(), { partition, options });
        rec.partitions.set(partition, created);
        return created;
      },
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
