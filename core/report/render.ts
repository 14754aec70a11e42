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

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.part`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export async function renderReport(model: ReportModel, opts: RenderOptions): Promise<RenderResult> {
  if (!existsSync(REPORT_PAGE)) {
    throw new EkimaeError('E_REPORT_RENDER', `the report page is not built (${REPORT_PAGE}); run "npx vite build" once`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS });
  const stem = opts.name ?? 'report';
  const out: RenderResult = { html: null, pdf: null };
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
    // The page only reads local files; anything else would be a leak of the client's data.
    await page.route(/^(?!file:)/, (route) => route.abort());
    // Page code is passed as source text: core/ compiles without DOM types, on purpose.
    await page.addInitScript({ content: `window.__EKIMAE_REPORT__ = ${JSON.stringify(model)};` });
    await page.goto(pathToFileURL(REPORT_PAGE).href);
    await page.waitForFunction('window.__EKIMAE_REPORT_READY__ === true', null, { timeout: 60_000 });
    // PDF first: the HTML step strips scripts and adds a CSP to the live page, after which printing is slower.
    if (opts.pdf) {
      const m = model.meta;
      const pdf = await page.pdf({
        format: m.paper, landscape: m.orientation === 'landscape', printBackground: true, displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: `<div style="font-size:7px;width:100%;padding:0 15mm;color:#666;display:flex;justify-content:space-between;font-family:sans-serif"><span>${escapeHtml(m.site)} — ${escapeHtml(m.generator)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
        margin: { top: '15mm', bottom: '18mm', left: '15mm', right: '15mm' },
      });
      out.pdf = join(opts.outDir, `${stem}.pdf`);
      writeAtomic(out.pdf, pdf);
    }
    if (opts.html !== false) {
      const html = await page.evaluate(`(() => {
        for (const el of Array.from(document.querySelectorAll('script, link[rel="modulepreload"], link[rel="stylesheet"]'))) el.remove();
        const meta = document.createElement('meta');
        meta.httpEquiv = 'Content-Security-Policy';
        meta.content = ${JSON.stringify(CSP)};
        document.head.prepend(meta);
        return '<!doctype html>\\n' + document.documentElement.outerHTML;
      })()`) as string;
      out.html = join(opts.outDir, `${stem}.html`);
      writeAtomic(out.html, html);
    }
  } catch (e) {
    for (const p of [out.html, out.pdf]) if (p) rmSync(p, { force: true });
    if (e instanceof EkimaeError) throw e;
    throw new EkimaeError('E_REPORT_RENDER', `report rendering failed: ${(e as Error).message}`);
  } finally {
    await browser.close();
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
