/**
 * Headless Chromium driven from a worker thread. Playwright needs the event loop for every message to
 * and from Chromium; in a worker it launches Chromium and loads the report page while the main
 * thread is busy building the model (synchronous SQLite reads and SVG maps), instead of after it.
 * The worker's code is plain JavaScript source (it runs the same under tsx, vitest and a bundle).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { PrintSpec } from './render.js';

export interface ChromiumSetup {
  executablePath: string;
  args: string[];
  /** file: URL of the report page. */
  pageUrl: string;
  /** Serialises the laid-out page (STATIC_HTML_SCRIPT). */
  staticHtmlScript: string;
}

export type WorkerStep = 'page loaded' | 'laid out' | 'pdf printed' | 'html serialised';

export interface ChromiumReportPage {
  /** Resolves when the report page is loaded and can take a model. */
  ready: Promise<void>;
  print(modelJson: string, want: { html: boolean; pdf: boolean }, spec: PrintSpec): Promise<{ html?: string; pdf?: Uint8Array }>;
  /** Closes Chromium in the worker; nobody waits for it (it takes 0.5 s or more). */
  close(): void;
}

const WORKER_SOURCE = `
const { parentPort, workerData: d } = require('node:worker_threads');
let browser;
const post = (m, transfer) => parentPort.postMessage(m, transfer);
const step = (name) => post({ type: 'step', step: name, at: performance.timeOrigin + performance.now() });
const fail = (e) => post({ type: 'error', message: e && e.message ? e.message : String(e) });
async function print(page, m) {
  await page.evaluate((json) => { globalThis.__EKIMAE_LOAD_REPORT__(JSON.parse(json)); }, m.json);
  await page.waitForFunction('window.__EKIMAE_REPORT_READY__ === true', null, { timeout: 60000 });
  step('laid out');
  const s = m.spec, mm = (n) => n + 'mm';
  // Chromium writes the PDF in another process once the page is painted; the HTML is serialised meanwhile.
  const [pdf, html] = await Promise.all([
    m.want.pdf ? page.pdf({ format: s.paper, landscape: s.landscape, printBackground: true, displayHeaderFooter: true,
      headerTemplate: s.headerTemplate, footerTemplate: s.footerTemplate,
      margin: { top: mm(s.marginsMm.top), bottom: mm(s.marginsMm.bottom), left: mm(s.marginsMm.left), right: mm(s.marginsMm.right) },
    }).then((b) => { step('pdf printed'); return b; }) : undefined,
    m.want.html ? page.evaluate(d.staticHtmlScript).then((h) => { step('html serialised'); return h; }) : undefined,
  ]);
  const bytes = pdf ? new Uint8Array(pdf.buffer.slice(pdf.byteOffset, pdf.byteOffset + pdf.byteLength)) : undefined;
  post({ type: 'done', pdf: bytes, html }, bytes ? [bytes.buffer] : []);
}
(async () => {
  const { chromium } = require(d.playwright);
  browser = await chromium.launch({ executablePath: d.executablePath, headless: true, args: d.args });
  // Printing lays the page out again at paper width: the screen viewport only holds the cover.
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  // The page only reads local files; anything else would be a leak of the client's data.
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(d.pageUrl);
  if ((await page.evaluate('typeof window.__EKIMAE_LOAD_REPORT__')) !== 'function') {
    throw new Error('the report page ' + d.pageUrl + ' cannot take a model; rebuild it with "npx vite build"');
  }
  step('page loaded');
  parentPort.on('message', (m) => {
    if (m.type === 'print') print(page, m).catch(fail);
    else if (m.type === 'close') browser.close().finally(() => process.exit(0));
  });
})().catch(async (e) => {
  fail(e);
  if (browser) await browser.close().catch(() => undefined);
  process.exit(0);
});
`;

type FromWorker =
  | { type: 'step'; step: WorkerStep; at: number }
  | { type: 'error'; message: string }
  | { type: 'done'; pdf?: Uint8Array; html?: string };

/** Starts Chromium and loads the report page in a worker thread; returns at once. */
/** onStep gets each step with its time (performance.timeOrigin + performance.now() in the worker). */
export function openChromiumReportPage(setup: ChromiumSetup, onStep: (s: WorkerStep, at: number) => void): ChromiumReportPage {
  const playwright = createRequire(import.meta.url).resolve('playwright-core');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...setup, playwright } });
  let settle: { resolve(v: { html?: string; pdf?: Uint8Array }): void; reject(e: Error): void } | null = null;
  let readyResolve!: () => void, readyReject!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; });
  // A caller that fails first (building the model) never awaits it.
  ready.catch(() => undefined);
  let closed = false;
  const failAll = (e: Error) => {
    readyReject(e);
    settle?.reject(e);
    settle = null;
  };
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'step') {
      onStep(m.step, m.at);
      if (m.step === 'page loaded') readyResolve();
    } else if (m.type === 'error') failAll(new Error(m.message));
    else { settle?.resolve({ ...(m.pdf ? { pdf: m.pdf } : {}), ...(m.html !== undefined ? { html: m.html } : {}) }); settle = null; }
  });
  worker.on('error', failAll);
  worker.on('exit', () => { if (!closed) failAll(new Error('the Chromium worker stopped')); });
  return {
    ready,
    print(modelJson, want, spec) {
      return new Promise((resolve, reject) => {
        settle = { resolve, reject };
        worker.postMessage({ type: 'print', json: modelJson, want, spec });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      worker.postMessage({ type: 'close' });
    },
  };
}
