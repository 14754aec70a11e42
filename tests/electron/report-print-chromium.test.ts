// The real report page (dist/renderer/report.html) printed the way Electron's hidden window prints it
// (electron/report-printer.ts printInPage: load the page with no model, hand the model over through
// __EKIMAE_LOAD_REPORT__, wait for __EKIMAE_REPORT_READY__, printToPDF with pdfOptions, then
// STATIC_HTML_SCRIPT), driven in Debian's Chromium through playwright-core, with every request the
// print session would cancel aborted. Electron cannot run here; this proves the page's late-load path
// and the option mapping against a real Chromium. Expected page size: ISO 216 A3 is 297 × 420 mm;
// landscape 420 × 297 mm = 420 / 25.4 × 72 = 1190.55 pt by 297 / 25.4 × 72 = 841.89 pt.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import type { ReportModel } from '../../core/report/model.js';
import { CHROMIUM_ARGS, printSpec, REPORT_PAGE } from '../../core/report/render.js';
import { isPrintRequestAllowed, printInPage, PRINT_VIEWPORT, type PrintPage } from '../../electron/report-printer.js';
import { tmpDir } from '../helpers/tmp.js';
import { requireToolOrSkip } from '../helpers/tools.js';

const CHROMIUM = '/usr/bin/chromium';
const canRun = existsSync(CHROMIUM) && existsSync(REPORT_PAGE) && requireToolOrSkip('pdfinfo') && requireToolOrSkip('pdftotext');
const rendererDir = dirname(REPORT_PAGE);

describe.skipIf(!canRun)('the report page printed as Electron prints it (real Chromium)', () => {
  const dir = tmpDir('ekimae-electron-print-');
  const svc = new EkimaeService();
  let browser: Browser;
  let model: ReportModel;

  beforeAll(async () => {
    const sq = (x: number, y: number, d = 0.002) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: sq(100.535, 13.8) } },
      { type: 'Feature', properties: { land_use: 'commercial' }, geometry: { type: 'Polygon', coordinates: sq(100.54, 13.801) } },
    ] }));
    writeFileSync(join(dir, 'stations.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'บางซื่อ' }, geometry: { type: 'Point', coordinates: [100.541, 13.804] } },
    ] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Late Load Site', client: 'Print Client' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    await svc.invoke('layers.import', { path: join(dir, 'stations.geojson'), role: 'stations' });
    model = await svc.invoke('report.model', { paper: 'A3', orientation: 'landscape' });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    svc.close();
  });

  /** A playwright page behind the PrintPage interface, the print session's filter applied to every request. */
  async function chromiumPage(blocked: string[], scripts: string[]): Promise<PrintPage> {
    const page = await browser.newPage({ viewport: PRINT_VIEWPORT });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (isPrintRequestAllowed(url, rendererDir)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    return {
      load: async (file) => void (await page.goto(pathToFileURL(file).href)),
      evaluate: (code) => {
        scripts.push(code.slice(0, 40));
        return page.evaluate(code);
      },
      printToPDF: async (o) => {
        const inches = (n: number | undefined) => `${n ?? 0}in`;
        return page.pdf({
          format: o.pageSize as string, landscape: o.landscape, printBackground: o.printBackground, displayHeaderFooter: o.displayHeaderFooter,
          headerTemplate: o.headerTemplate, footerTemplate: o.footerTemplate, outline: o.generateDocumentOutline,
          margin: { top: inches(o.margins?.top), bottom: inches(o.margins?.bottom), left: inches(o.margins?.left), right: inches(o.margins?.right) },
        });
      },
    };
  }

  it('takes the model after load, lays it out, prints an A3 landscape PDF and serialises static HTML', async () => {
    const blocked: string[] = [];
    const scripts: string[] = [];
    const page = await chromiumPage(blocked, scripts);
    const out = await printInPage(page, REPORT_PAGE, { model, want: { html: true, pdf: true }, spec: printSpec(model.meta) });

    // The model only ever arrived through __EKIMAE_LOAD_REPORT__ (no init script): the late-load path.
    expect(scripts[1]).toMatch(/^void window\.__EKIMAE_LOAD_REPORT__\(/);
    expect(blocked).toEqual([]);

    const pdfPath = join(dir, 'report.pdf');
    writeFileSync(pdfPath, out.pdf!);
    const info = execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
    const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!;
    // Chromium rounds named paper sizes to 1/100 in, hence a point or so of tolerance.
    expect(Math.abs(Number(w) - 1190.55)).toBeLessThan(1.5);
    expect(Math.abs(Number(h) - 841.89)).toBeLessThan(1.5);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    expect(text).toContain('Late Load Site');
    expect(text).toContain('Print Client');
    expect(text).toContain('บางซื่อ');
    expect(text).toContain(`page 1 of ${pages}`);
    expect(text).not.toContain('Waiting for a report model');
    // The contents carry page numbers as in the core's printer (a draft printed first): each entry's
    // page holds that chapter's heading ("3. Walk catchments").
    const pageText = (n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdfPath, '-'], { encoding: 'utf8' });
    const entries = [...pageText(2).matchAll(/^\s*(\d+)\.\s+(.+?)\s{2,}(\d+)\s*$/gm)].map((m) => ({ n: Number(m[1]), title: m[2], page: Number(m[3]) }));
    expect(entries.map((e) => e.title)).toEqual(model.sections.map((s) => s.title));
    for (const e of entries) {
      const heading = new RegExp(`^\\s*${e.n}\\.\\s+${e.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');
      expect(pageText(e.page), `${e.title} on page ${e.page}`).toMatch(heading);
    }
    expect(scripts.filter((c) => c.startsWith('void (() => { document.d'))).toHaveLength(1);

    const html = out.html!;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
    expect(html).toContain('Late Load Site');
    expect(html).not.toContain('Waiting for a report model');
  }, 120_000);

  it('prints HTML alone without a PDF, and refuses a page that cannot take a model', async () => {
    const page = await chromiumPage([], []);
    const out = await printInPage(page, REPORT_PAGE, { model, want: { html: true, pdf: false }, spec: printSpec(model.meta) });
    expect(out.pdf).toBeUndefined();
    expect(out.html).toContain('Late Load Site');

    // The built app page has no __EKIMAE_LOAD_REPORT__: refused by name rather than waited on.
    const app = await chromiumPage([], []);
    await expect(printInPage(app, join(rendererDir, 'index.html'), { model, want: { html: true, pdf: false }, spec: printSpec(model.meta) }, { timeoutMs: 5_000, pollMs: 20 }))
      .rejects.toThrow(/cannot take a model/);
  }, 120_000);
});
