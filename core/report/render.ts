/**
 * Render a report model to a self-contained HTML file and a PDF by loading the report page
 * (renderer/report, built into dist/renderer/report.html) in headless Chromium. The HTML is the
 * rendered page with its scripts removed: static SVG maps and charts, inline CSS, a CSP that
 * forbids every external request. In the desktop app Electron prints the same page itself.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EkimaeError } from '../errors.js';
import { openChromiumReportPage, type ChromiumReportPage, type WorkerStep } from './chromium-worker.js';
import type { ReportModel } from './model.js';
import { ensureReportPage, rendererDir } from './report-page.js';

/** Where the report page is (built on demand by renderReport: report-page.ts). */
export const REPORT_PAGE = join(rendererDir(), 'report.html');

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'];

export function findChromium(): string {
  const env = process.env.EKIMAE_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw new EkimaeError('E_REPORT_RENDER', `EKIMAE_CHROMIUM points to ${env}, which does not exist`);
    return env;
  }
  const hit = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!hit) throw new EkimaeError('E_REPORT_RENDER', 'PDF reports need Chromium, Chrome or Edge: install one or set EKIMAE_CHROMIUM to its path (HTML reports work without it)');
  return hit;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--allow-file-access-from-files', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-dev-shm-usage', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

/**
 * Flags for printing reports: CHROMIUM_ARGS without the GPU. Printing is vector; with SwiftShader the
 * GPU process also rasterised the screen copy of every map while the PDF was made, doubling the CPU a
 * print took (Bang Sue sample: 4 s of CPU, 2 s without).
 */
export const REPORT_CHROMIUM_ARGS = [...CHROMIUM_ARGS.filter((a) => !/^--(use-angle|enable-unsafe-swiftshader)/.test(a)), '--disable-gpu'];

export interface RenderOptions {
  outDir: string;
  html?: boolean;
  pdf?: boolean;
  /** File name stem (default "report"). */
  name?: string;
  /** Told when each step finished, in ms since renderReport was called (the benchmark prints them). */
  onStep?: (step: RenderStep, ms: number) => void;
}

export type RenderStep = WorkerStep | 'model built' | 'files written';

export interface RenderResult { html: string | null; pdf: string | null }

/** How a report is printed, in terms any Chromium printer understands (playwright's page.pdf, Electron's printToPDF). */
export interface PrintSpec {
  paper: 'A4' | 'A3';
  landscape: boolean;
  marginsMm: { top: number; bottom: number; left: number; right: number };
  headerTemplate: string;
  footerTemplate: string;
}

export function printSpec(meta: ReportModel['meta']): PrintSpec {
  return {
    paper: meta.paper,
    landscape: meta.orientation === 'landscape',
    marginsMm: { top: 15, bottom: 18, left: 15, right: 15 },
    headerTemplate: '<span></span>',
    footerTemplate: `<div style="font-size:7px;width:100%;padding:0 15mm;color:#666;display:flex;justify-content:space-between;font-family:sans-serif"><span>${escapeHtml(meta.site)} — ${escapeHtml(meta.generator)}</span><span>${escapeHtml(meta.labels?.['page.of'] ?? 'page {n} of {m}').replace('{n}', '<span class="pageNumber"></span>').replace('{m}', '<span class="totalPages"></span>')}</span></div>`,
  };
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * Evaluated in the rendered report page: the page as a self-contained document (scripts, stylesheet
 * links and what only the PDF has, the contents' page numbers, removed; a CSP that forbids every
 * request). It serialises a copy and leaves the live page alone, so it may run while the page prints.
 */
export const STATIC_HTML_SCRIPT = `(() => {
  const root = document.documentElement.cloneNode(true);
  for (const el of Array.from(root.querySelectorAll('script, link[rel="modulepreload"], link[rel="stylesheet"], [data-print-only]'))) el.remove();
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = ${JSON.stringify(CSP)};
  root.querySelector('head').prepend(meta);
  return '<!doctype html>\\n' + root.outerHTML;
})()`;

/**
 * Turns a model into the report page's outputs. The page (REPORT_PAGE) receives the model through
 * window.__EKIMAE_REPORT__ or window.__EKIMAE_LOAD_REPORT__(model), sets
 * window.__EKIMAE_REPORT_READY__ when laid out; the PDF is printed with `spec`, then the HTML is
 * STATIC_HTML_SCRIPT's result. Chromium through playwright-core by default; the desktop app installs
 * one that prints with Electron (useReportPrinter).
 */
export type ReportPrinter = (model: ReportModel, want: { html: boolean; pdf: boolean }, spec: PrintSpec) => Promise<{ html?: string; pdf?: Uint8Array }>;

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.part`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function openChromium(page: string, onStep: (s: WorkerStep, at: number) => void): ChromiumReportPage {
  return openChromiumReportPage({ executablePath: findChromium(), args: REPORT_CHROMIUM_ARGS, pageUrl: pathToFileURL(page).href, staticHtmlScript: STATIC_HTML_SCRIPT }, onStep);
}

/** null: headless Chromium (openChromium). */
let printer: ReportPrinter | null = null;

/** The desktop app's core host prints through Electron's main process; null goes back to Chromium. */
export function useReportPrinter(p: ReportPrinter | null): void {
  printer = p;
}

/** A model, or a function that builds it: with the default printer, Chromium starts and loads the report page meanwhile. */
export type ModelSource = ReportModel | (() => ReportModel);

export async function renderReport(source: ModelSource, opts: RenderOptions): Promise<RenderResult> {
  // Built first when missing or older than its sources (also for Electron, which prints the same file).
  const page = await ensureReportPage();
  const t0 = performance.timeOrigin + performance.now();
  const step = (s: RenderStep, at = performance.timeOrigin + performance.now()) => opts.onStep?.(s, at - t0);
  const stem = opts.name ?? 'report';
  const want = { html: opts.html !== false, pdf: !!opts.pdf };
  const out: RenderResult = { html: null, pdf: null };
  const custom = printer;
  const chromium = custom ? null : openChromium(page, step);
  try {
    const model = typeof source === 'function' ? source() : source;
    step('model built');
    try {
      const spec = printSpec(model.meta);
      let printed: { html?: string; pdf?: Uint8Array };
      if (custom) printed = await custom(model, want, spec);
      else {
        await chromium!.ready;
        printed = await chromium!.print(JSON.stringify(model), want, spec);
      }
      if (want.pdf) {
        if (!printed.pdf) throw new Error('the printer returned no PDF');
        out.pdf = join(opts.outDir, `${stem}.pdf`);
        writeAtomic(out.pdf, printed.pdf);
      }
      if (want.html) {
        if (printed.html === undefined) throw new Error('the printer returned no HTML');
        out.html = join(opts.outDir, `${stem}.html`);
        writeAtomic(out.html, printed.html);
      }
      step('files written');
    } catch (e) {
      for (const p of [out.html, out.pdf]) if (p) rmSync(p, { force: true });
      if (e instanceof EkimaeError) throw e;
      throw new EkimaeError('E_REPORT_RENDER', `report rendering failed: ${(e as Error).message}`);
    }
  } finally {
    chromium?.close();
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
