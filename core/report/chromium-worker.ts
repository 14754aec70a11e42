/**
 * Headless Chromium driven from a worker thread. Playwright needs the event loop for every message to
 * and from Chromium; in a worker it launches Chromium and loads the report page while the main
 * thread is busy building the model (synchronous SQLite reads and SVG maps), instead of after it.
 * The worker's code is plain JavaScript source (it runs the same under tsx, vitest and a bundle).
 *
 * Page numbers in the contents: Chromium cannot compute target-counter(), so the worker prints once
 * with the maps' drawing switched off (same layout, a fraction of the time), the main thread reads on
 * which page each chapter landed (destinationPages), the page shows those numbers and the real PDF
 * is printed. Should the real PDF disagree (the numbers moved a line), it is printed again with its own.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CAN_PAGINATE_SCRIPT, CONTENTS_REPRINTS, contentsPages, PAGINATE_SCRIPT, samePages, SET_PAGES_TEMPLATE } from './contents-pages.js';
import type { PrintSpec } from './render.js';

export interface ChromiumSetup {
  executablePath: string;
  args: string[];
  /** file: URL of the report page. */
  pageUrl: string;
  /** Serialises the laid-out page (STATIC_HTML_SCRIPT). */
  staticHtmlScript: string;
}

export type WorkerStep = 'page loaded' | 'laid out' | 'paginated' | 'pdf printed' | 'html serialised';

export interface ChromiumReportPage {
  /** Resolves when the report page is loaded and can take a model. */
  ready: Promise<void>;
  print(modelJson: string, want: { html: boolean; pdf: boolean }, spec: PrintSpec): Promise<{ html?: string; pdf?: Uint8Array }>;
  /** Closes Chromium in the worker; nobody waits for it (it takes 0.5 s or more). */
  close(): void;
}

const WORKER_SOURCE = `
const { parentPort, workerData: d } = require('node:worker_threads');
let browser, page, pdfOptions, pagesArrived;
const post = (m, transfer) => parentPort.postMessage(m, transfer);
const step = (name) => post({ type: 'step', step: name, at: performance.timeOrigin + performance.now() });
const fail = (e) => post({ type: 'error', message: e && e.message ? e.message : String(e) });
const bytes = (b) => new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
const setPages = (pages) => page.evaluate(d.setPagesScript.replace('__PAGES__', () => JSON.stringify(pages)));
async function printPdf() {
  const pdf = bytes(await page.pdf(pdfOptions));
  step('pdf printed');
  return pdf;
}
async function print(m) {
  await page.evaluate((json) => { globalThis.__EKIMAE_LOAD_REPORT__(JSON.parse(json)); }, m.json);
  await page.waitForFunction('window.__EKIMAE_REPORT_READY__ === true', null, { timeout: 60000 });
  step('laid out');
  const s = m.spec, mm = (n) => n + 'mm';
  pdfOptions = { format: s.paper, landscape: s.landscape, printBackground: true, displayHeaderFooter: true,
    headerTemplate: s.headerTemplate, footerTemplate: s.footerTemplate,
    margin: { top: mm(s.marginsMm.top), bottom: mm(s.marginsMm.bottom), left: mm(s.marginsMm.left), right: mm(s.marginsMm.right) } };
  if (m.want.pdf && await page.evaluate(d.canPaginateScript)) {
    await page.evaluate(d.paginateScript);
    const draft = bytes(await page.pdf(pdfOptions));
    step('paginated');
    const pages = new Promise((r) => { pagesArrived = r; });
    post({ type: 'paginated', pdf: draft }, [draft.buffer]);
    await setPages(await pages);
  }
  // Chromium writes the PDF in another process once the page is painted; the HTML is serialised meanwhile.
  const [pdf, html] = await Promise.all([
    m.want.pdf ? printPdf() : undefined,
    m.want.html ? page.evaluate(d.staticHtmlScript).then((h) => { step('html serialised'); return h; }) : undefined,
  ]);
  post({ type: 'done', pdf, html }, pdf ? [pdf.buffer] : []);
}
async function reprint(pages) {
  await setPages(pages);
  const pdf = await printPdf();
  post({ type: 'done', pdf }, [pdf.buffer]);
}
(async () => {
  const { chromium } = require(d.playwright);
  browser = await chromium.launch({ executablePath: d.executablePath, headless: true, args: d.args });
  // Printing lays the page out again at paper width: the screen viewport only holds the cover.
  page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  // The page only reads local files; anything else would be a leak of the client's data.
  await page.route(/^(?!file:)/, (route) => route.abort());
  await page.goto(d.pageUrl);
  if ((await page.evaluate('typeof window.__EKIMAE_LOAD_REPORT__')) !== 'function') {
    throw new Error('the report page ' + d.pageUrl + ' cannot take a model; rebuild it with "npx vite build"');
  }
  step('page loaded');
  parentPort.on('message', (m) => {
    if (m.type === 'print') print(m).catch(fail);
    else if (m.type === 'pages') pagesArrived(m.pages);
    else if (m.type === 'reprint') reprint(m.pages).catch(fail);
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
  | { type: 'paginated'; pdf: Uint8Array }
  | { type: 'done'; pdf?: Uint8Array; html?: string };

type Pages = Record<string, number>;

interface Job {
  /** The page numbers the contents show, once paginated. */
  shown: Pages | null;
  html?: string;
  reprints: number;
  resolve(v: { html?: string; pdf?: Uint8Array }): void;
  reject(e: Error): void;
}

/** Starts Chromium and loads the report page in a worker thread; returns at once. onStep gets each step with its time (performance.timeOrigin + performance.now()). */
export function openChromiumReportPage(setup: ChromiumSetup, onStep: (s: WorkerStep, at: number) => void): ChromiumReportPage {
  const playwright = createRequire(import.meta.url).resolve('playwright-core');
  const scripts = { canPaginateScript: CAN_PAGINATE_SCRIPT, paginateScript: PAGINATE_SCRIPT, setPagesScript: SET_PAGES_TEMPLATE };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...setup, ...scripts, playwright } });
  let job: Job | null = null;
  let readyResolve!: () => void, readyReject!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; });
  // A caller that fails first (building the model) never awaits it.
  ready.catch(() => undefined);
  let closed = false;
  const failAll = (e: Error) => {
    readyReject(e);
    job?.reject(e);
    job = null;
  };
  const onMessage = (m: FromWorker) => {
    if (m.type === 'step') {
      onStep(m.step, m.at);
      if (m.step === 'page loaded') readyResolve();
    } else if (m.type === 'error') failAll(new Error(m.message));
    else if (!job) return;
    else if (m.type === 'paginated') {
      job.shown = contentsPages(m.pdf);
      worker.postMessage({ type: 'pages', pages: job.shown ?? {} });
    } else {
      if (m.html !== undefined) job.html = m.html;
      if (m.pdf && job.shown && job.reprints < CONTENTS_REPRINTS) {
        const printed = contentsPages(m.pdf);
        if (printed && !samePages(printed, job.shown)) {
          job.shown = printed;
          job.reprints++;
          worker.postMessage({ type: 'reprint', pages: printed });
          return;
        }
      }
      job.resolve({ ...(m.pdf ? { pdf: m.pdf } : {}), ...(job.html !== undefined ? { html: job.html } : {}) });
      job = null;
    }
  };
  worker.on('message', (m: FromWorker) => {
    try { onMessage(m); } catch (e) { failAll(e as Error); }
  });
  worker.on('error', failAll);
  worker.on('exit', () => { if (!closed) failAll(new Error('the Chromium worker stopped')); });
  return {
    ready,
    print(modelJson, want, spec) {
      return new Promise((resolve, reject) => {
        job = { shown: null, reprints: 0, resolve, reject };
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
