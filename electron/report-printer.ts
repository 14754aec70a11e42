/**
 * Reports printed by Electron itself (issue #8), so the app needs no installed Chrome. The core host
 * has no window; it sends the model here. A hidden, sandboxed window on its own in-memory session,
 * which may read nothing but the built renderer's files, loads the report page, is handed the model,
 * and once the page says it is laid out is printed with printToPDF (a draft first, for the contents'
 * page numbers); then the page turns itself into
 * the self-contained HTML (STATIC_HTML_SCRIPT). The window is destroyed whatever happens.
 */
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserWindow, BrowserWindowConstructorOptions, PrintToPDFOptions, Session } from 'electron';
import type { PrintHandler } from '../core/api/transports/message-host.js';
import { CAN_PAGINATE_SCRIPT, CONTENTS_REPRINTS, contentsPages, PAGINATE_SCRIPT, samePages, setContentsPagesScript } from '../core/report/contents-pages.js';
import { STATIC_HTML_SCRIPT, type PrintSpec } from '../core/report/render.js';
import { webPreferences } from './security.js';

/** No "persist:" prefix: an in-memory session, nothing of the print window is kept on disk. */
export const PRINT_PARTITION = 'ekimae-print';
/** The viewport the core's Chromium printer uses, so both lay the page out alike. */
export const PRINT_VIEWPORT = { width: 1100, height: 1400 };
export const DEFAULT_PRINT_TIMING = { timeoutMs: 60_000, pollMs: 50 };
export type PrintTiming = typeof DEFAULT_PRINT_TIMING;

const MM_PER_INCH = 25.4;

/** The print spec in Electron's terms: margins in inches, the paper as a named page size. */
export function pdfOptions(spec: PrintSpec): PrintToPDFOptions {
  const inches = (mm: number) => mm / MM_PER_INCH;
  return {
    pageSize: spec.paper,
    landscape: spec.landscape,
    margins: { top: inches(spec.marginsMm.top), bottom: inches(spec.marginsMm.bottom), left: inches(spec.marginsMm.left), right: inches(spec.marginsMm.right) },
    printBackground: true,
    displayHeaderFooter: true,
    headerTemplate: spec.headerTemplate,
    footerTemplate: spec.footerTemplate,
    generateDocumentOutline: true,
  };
}

/** The print window may read the report page and its assets, and inline data: — nothing else, no network. */
export function isPrintRequestAllowed(url: string, rendererDir: string): boolean {
  if (url.startsWith('data:')) return true;
  if (!url.startsWith('file:')) return false;
  try {
    return resolve(fileURLToPath(url)).startsWith(resolve(rendererDir) + sep);
  } catch {
    return false; // e.g. file://host/share on POSIX
  }
}

export type PrintSession = Pick<Session, 'webRequest' | 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>;

export function hardenPrintSession(session: PrintSession, rendererDir: string): void {
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isPrintRequestAllowed(details.url, rendererDir) }));
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** A loaded page as the printing steps need it: Electron's window here, playwright's page in a test. */
export interface PrintPage {
  load(file: string): Promise<void>;
  evaluate(code: string): Promise<unknown>;
  printToPDF(options: PrintToPDFOptions): Promise<Uint8Array>;
}

async function beforeDeadline<T>(work: Promise<T>, deadline: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Load the page, hand it the model after load, wait until it is laid out, print, then serialise. */
export async function printInPage(page: PrintPage, reportPage: string, request: Parameters<PrintHandler>[0], timing: PrintTiming = DEFAULT_PRINT_TIMING): Promise<{ html?: string; pdf?: Uint8Array }> {
  const deadline = Date.now() + timing.timeoutMs;
  const seconds = `${timing.timeoutMs / 1000} s`;
  await beforeDeadline(page.load(reportPage), deadline, `the report page did not load within ${seconds} (${reportPage})`);
  if ((await page.evaluate('typeof window.__EKIMAE_LOAD_REPORT__')) !== 'function') {
    throw new Error(`the report page ${reportPage} cannot take a model; rebuild it with "npx vite build"`);
  }
  // One expression (both executeJavaScript and playwright's evaluate take that); `void`: nothing to clone back.
  await page.evaluate(`void window.__EKIMAE_LOAD_REPORT__(${JSON.stringify(request.model)})`);
  while ((await beforeDeadline(page.evaluate('window.__EKIMAE_REPORT_READY__ === true'), deadline, `the report page was not laid out within ${seconds}`)) !== true) {
    if (Date.now() >= deadline) throw new Error(`the report page was not laid out within ${seconds}`);
    await sleep(timing.pollMs);
  }
  const out: { html?: string; pdf?: Uint8Array } = {};
  // A fresh allowance for printing: a big report may take most of the first one to lay out.
  const printDeadline = Date.now() + timing.timeoutMs;
  const print = () => beforeDeadline(page.printToPDF(pdfOptions(request.spec)), printDeadline, `the PDF was not printed within ${seconds}`);
  // Printed before serialising, so the PDF is the page exactly as laid out; the contents get their page
  // numbers from a draft first (core/report/contents-pages.ts), as in the core's Chromium printer.
  if (request.want.pdf && (await page.evaluate(CAN_PAGINATE_SCRIPT)) === true) {
    await page.evaluate(PAGINATE_SCRIPT);
    let shown = contentsPages(await print());
    await page.evaluate(setContentsPagesScript(shown));
    out.pdf = await print();
    for (let i = 0; shown && i < CONTENTS_REPRINTS; i++) {
      const printed = contentsPages(out.pdf);
      if (!printed || samePages(printed, shown)) break;
      shown = printed;
      await page.evaluate(setContentsPagesScript(shown));
      out.pdf = await print();
    }
  } else if (request.want.pdf) out.pdf = await print();
  if (request.want.html) {
    const html = await beforeDeadline(page.evaluate(STATIC_HTML_SCRIPT), printDeadline, `the report page was not serialised within ${seconds}`);
    if (typeof html !== 'string') throw new Error('the report page did not serialise to HTML');
    out.html = html;
  }
  return out;
}

export type PrintWindow = Pick<BrowserWindow, 'loadFile' | 'destroy' | 'isDestroyed'> & {
  webContents: Pick<BrowserWindow['webContents'], 'executeJavaScript' | 'printToPDF'>;
};

export interface ReportPrinterOptions {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => PrintWindow;
  /** session.fromPartition(PRINT_PARTITION): hardened here, used by every print window. */
  session: PrintSession;
  /** dist/renderer: holds report.html and its assets. */
  rendererDir: string;
  timing?: PrintTiming;
}

/** What the main process answers the core host's print requests with. */
export function createReportPrinter(opts: ReportPrinterOptions): PrintHandler {
  hardenPrintSession(opts.session, opts.rendererDir);
  const reportPage = join(opts.rendererDir, 'report.html');
  return async (request) => {
    const win = new opts.BrowserWindow({
      show: false,
      ...PRINT_VIEWPORT,
      webPreferences: { ...webPreferences(), session: opts.session as Session, backgroundThrottling: false },
    });
    const page: PrintPage = {
      load: (file) => win.loadFile(file),
      evaluate: (code) => win.webContents.executeJavaScript(code),
      printToPDF: (options) => win.webContents.printToPDF(options),
    };
    try {
      return await printInPage(page, reportPage, request, opts.timing);
    } finally {
      if (!win.isDestroyed()) win.destroy();
    }
  };
}
