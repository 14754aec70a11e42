/**
 * Render a report model to a self-contained HTML file and a PDF by loading the report page
 * (renderer/report, built into dist/renderer/report.html) in headless Chromium. The HTML is the
 * rendered page with its scripts removed: static SVG maps and charts, inline CSS, a CSP that
 * forbids every external request. In the desktop app Electron prints the same page itself.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EkimaeError } from '../api/errors.js';
import type { ReportModel } from './model.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const REPORT_PAGE = join(REPO, 'dist/renderer/report.html');

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

export interface RenderOptions {
  outDir: string;
  html?: boolean;
  pdf?: boolean;
  /** File name stem (default "report"). */
  name?: string;
}

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
    footerTemplate: `<div style="font-size:7px;width:100%;padding:0 15mm;color:#666;display:flex;justify-content:space-between;font-family:sans-serif"><span>${escapeHtml(meta.site)} — ${escapeHtml(meta.generator)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
  };
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/**
 * Evaluated in the rendered report page: the page as a self-contained document (scripts and
 * stylesheet links removed, a CSP that forbids every request). Run it after printing: the live page
 * prints more slowly once its scripts are gone.
 */
export const STATIC_HTML_SCRIPT = `(() => {
  for (const el of Array.from(document.querySelectorAll('script, link[rel="modulepreload"], link[rel="stylesheet"]'))) el.remove();
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = ${JSON.stringify(CSP)};
  document.head.prepend(meta);
  return '<!doctype html>\\n' + document.documentElement.outerHTML;
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

const printWithChromium: ReportPrinter = async (model, want, spec) => {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    // The page only reads local files; anything else would be a leak of the client's data.
    await page.route(/^(?!file:)/, (route) => route.abort());
    // Page code is passed as source text: core/ compiles without DOM types, on purpose.
    await page.addInitScript({ content: `window.__EKIMAE_REPORT__ = ${JSON.stringify(model)};` });
    await page.goto(pathToFileURL(REPORT_PAGE).href);
    await page.waitForFunction('window.__EKIMAE_REPORT_READY__ === true', null, { timeout: 60_000 });
    const out: { html?: string; pdf?: Uint8Array } = {};
    if (want.pdf) {
      const mm = (n: number) => `${n}mm`;
      out.pdf = await page.pdf({
        format: spec.paper, landscape: spec.landscape, printBackground: true, displayHeaderFooter: true,
        headerTemplate: spec.headerTemplate, footerTemplate: spec.footerTemplate,
        margin: { top: mm(spec.marginsMm.top), bottom: mm(spec.marginsMm.bottom), left: mm(spec.marginsMm.left), right: mm(spec.marginsMm.right) },
      });
    }
    if (want.html) out.html = await page.evaluate(STATIC_HTML_SCRIPT) as string;
    return out;
  } finally {
    await browser.close();
  }
};

let printer: ReportPrinter = printWithChromium;

/** The desktop app's core host prints through Electron's main process; null goes back to Chromium. */
export function useReportPrinter(p: ReportPrinter | null): void {
  printer = p ?? printWithChromium;
}

export async function renderReport(model: ReportModel, opts: RenderOptions): Promise<RenderResult> {
  if (!existsSync(REPORT_PAGE)) {
    throw new EkimaeError('E_REPORT_RENDER', `the report page is not built (${REPORT_PAGE}); run "npx vite build" once`);
  }
  const stem = opts.name ?? 'report';
  const want = { html: opts.html !== false, pdf: !!opts.pdf };
  const out: RenderResult = { html: null, pdf: null };
  try {
    const printed = await printer(model, want, printSpec(model.meta));
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
  } catch (e) {
    for (const p of [out.html, out.pdf]) if (p) rmSync(p, { force: true });
    if (e instanceof EkimaeError) throw e;
    throw new EkimaeError('E_REPORT_RENDER', `report rendering failed: ${(e as Error).message}`);
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
