// Electron's report printer with electron mocked: the print spec in Electron's printToPDF terms, the
// order of the steps on the hidden window (load, hand over the model, wait, print, serialise), the
// window's settings, the error and timeout paths (the window destroyed every time), and the print
// session that lets the page read only the built renderer's files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAN_PAGINATE_SCRIPT } from '../../core/report/contents-pages.js';
import { printSpec, STATIC_HTML_SCRIPT } from '../../core/report/render.js';
import { createReportPrinter, isPrintRequestAllowed, pdfOptions, PRINT_PARTITION } from '../../electron/report-printer.js';
import { cancels, createElectronMock, reportPage, type FakePage } from './electron-mock.js';
import { tinyModel } from './tiny-model.js';

const rendererDir = '/app/dist/renderer';

function setup(timing = { timeoutMs: 200, pollMs: 5 }) {
  const { electron, rec } = createElectronMock();
  const session = electron.session.fromPartition(PRINT_PARTITION, { cache: false });
  const print = createReportPrinter({ BrowserWindow: electron.BrowserWindow as any, session: session as any, rendererDir, timing });
  return { rec, session, print };
}

const request = (model = tinyModel('A3', 'landscape'), want = { html: true, pdf: true }) => ({ model, want, spec: printSpec(model.meta) });

describe('print spec → Electron printToPDF options', () => {
  it('A3 landscape: pageSize A3, landscape, margins from mm to inches, header/footer and background', () => {
    const spec = printSpec(tinyModel('A3', 'landscape').meta);
    const o = pdfOptions(spec);
    expect(o.pageSize).toBe('A3');
    expect(o.landscape).toBe(true);
    // printSpec's margins are 15 mm (top, left, right) and 18 mm (bottom); 1 in = 25.4 mm:
    // 15 / 25.4 = 0.590551 in, 18 / 25.4 = 0.708661 in.
    expect(o.margins!.top).toBeCloseTo(0.590551, 5);
    expect(o.margins!.left).toBeCloseTo(0.590551, 5);
    expect(o.margins!.right).toBeCloseTo(0.590551, 5);
    expect(o.margins!.bottom).toBeCloseTo(0.708661, 5);
    expect(o).toMatchObject({ printBackground: true, displayHeaderFooter: true, generateDocumentOutline: true, headerTemplate: spec.headerTemplate, footerTemplate: spec.footerTemplate });
    expect(o.footerTemplate).toContain('class="pageNumber"');
    expect(o.footerTemplate).toContain('Bang Sue &lt;Grand&gt;');
  });

  it('A4 portrait: pageSize A4, not landscape', () => {
    const o = pdfOptions(printSpec(tinyModel('A4', 'portrait').meta));
    expect([o.pageSize, o.landscape]).toEqual(['A4', false]);
  });

  it('uses only option names Electron 45 declares for printToPDF', () => {
    const declared = ['landscape', 'displayHeaderFooter', 'printBackground', 'scale', 'pageSize', 'margins', 'pageRanges', 'headerTemplate', 'footerTemplate', 'preferCSSPageSize', 'generateTaggedPDF', 'generateDocumentOutline'];
    expect(Object.keys(pdfOptions(printSpec(tinyModel().meta))).filter((k) => !declared.includes(k))).toEqual([]);
  });
});

describe('printing in a hidden window', () => {
  it('loads the report page, hands it the model after load, waits until laid out, prints, then serialises', async () => {
    const { rec, session, print } = setup();
    let polls = 0;
    rec.nextPage = () => ({
      ...reportPage(),
      evaluate: (code: string) => (code === 'window.__EKIMAE_REPORT_READY__ === true' ? ++polls >= 3 : reportPage().evaluate(code)),
    });
    const req = request();
    const out = await print(req);

    expect(rec.windows).toHaveLength(1);
    const win = rec.windows[0]!;
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
    expect(win.options.webPreferences.preload).toBeUndefined();
    expect(win.options.webPreferences.session).toBe(session);
    expect(win.loaded).toEqual([join(rendererDir, 'report.html')]);

    const scripts = win.webContents.scripts;
    expect(scripts[0]).toBe('typeof window.__EKIMAE_LOAD_REPORT__');
    const load = /^void window\.__EKIMAE_LOAD_REPORT__\(([\s\S]*)\)$/.exec(scripts[1]!);
    expect(JSON.parse(load![1]!)).toEqual(req.model);
    expect(scripts.slice(2, 5)).toEqual(Array(3).fill('window.__EKIMAE_REPORT_READY__ === true'));
    // A page that cannot show contents page numbers is printed once, without a draft.
    expect(scripts[5]).toBe(CAN_PAGINATE_SCRIPT);
    expect(scripts[6]).toBe(STATIC_HTML_SCRIPT);
    expect(scripts).toHaveLength(7);
    expect(win.webContents.printed).toEqual([pdfOptions(req.spec)]);

    expect(Buffer.from(out.pdf!).toString()).toBe('%PDF-1.7 fake report');
    expect(out.html).toContain('static report');
    expect(win.destroyed).toBe(true);
  });

  it('prints no PDF when only HTML is wanted', async () => {
    const { rec, print } = setup();
    const out = await print(request(tinyModel(), { html: true, pdf: false }));
    expect(out.pdf).toBeUndefined();
    expect(out.html).toContain('static report');
    expect(rec.windows[0]!.webContents.printed).toEqual([]);
  });

  const failures: [string, (rec: ReturnType<typeof createElectronMock>['rec']) => void, RegExp][] = [
    ['the page never says it is laid out', (rec) => (rec.nextPage = () => ({ ...reportPage(), evaluate: (c) => (c.includes('READY') ? false : reportPage().evaluate(c)) })), /was not laid out within 0\.2 s/],
    ['the page does not load', (rec) => (rec.loadFile = (p) => Promise.reject(new Error(`ERR_FILE_NOT_FOUND (-6) loading 'file://${p}'`))), /ERR_FILE_NOT_FOUND/],
    ['loading hangs', (rec) => (rec.loadFile = () => new Promise(() => {})), /did not load within 0\.2 s/],
    ['the page is an old build without __EKIMAE_LOAD_REPORT__', (rec) => (rec.nextPage = () => ({ ...reportPage(), evaluate: (c) => (c.startsWith('typeof') ? 'undefined' : reportPage().evaluate(c)) })), /cannot take a model; rebuild it with "npx vite build"/],
    ['printToPDF fails', (rec) => (rec.nextPage = (): FakePage => ({ ...reportPage(), printToPDF: () => Promise.reject(new Error('Printing failed')) })), /Printing failed/],
    ['printToPDF hangs', (rec) => (rec.nextPage = (): FakePage => ({ ...reportPage(), printToPDF: () => new Promise(() => {}) })), /the PDF was not printed within 0\.2 s/],
    ['the page does not serialise', (rec) => (rec.nextPage = () => ({ ...reportPage(), evaluate: (c) => (c === STATIC_HTML_SCRIPT ? null : reportPage().evaluate(c)) })), /did not serialise to HTML/],
  ];
  for (const [name, arrange, message] of failures) {
    it(`fails with a clear error and destroys the window when ${name}`, async () => {
      const { rec, print } = setup();
      arrange(rec);
      await expect(print(request())).rejects.toThrow(message);
      expect(rec.windows).toHaveLength(1);
      expect(rec.windows[0]!.destroyed).toBe(true);
    });
  }
});

describe('the print session', () => {
  it('lets the page read only the built renderer and data: URLs; no network, no other file', () => {
    const { session } = setup();
    expect(cancels(session, `file://${rendererDir}/report.html`)).toBe(false);
    expect(cancels(session, `file://${rendererDir}/assets/report-DjiMco8q.js`)).toBe(false);
    expect(cancels(session, 'data:font/woff2;base64,AAAA')).toBe(false);
    for (const url of [
      'https://fonts.googleapis.com/css2?family=Noto', 'http://127.0.0.1:8080/api/call/project.info', 'ws://127.0.0.1:9/', 'ftp://example.com/x',
      'file:///etc/passwd', `file://${rendererDir}/../../secret.gpkg`, `file://${rendererDir}/%2e%2e/x`, 'file:///app/dist/renderer-evil/x.js',
      'file://fileserver/share/report.html', 'blob:file:///1234', 'app://ekimae/index.html', 'devtools://devtools/bundled/x.html',
    ]) {
      expect(cancels(session, url), url).toBe(true);
    }
  });

  it('refuses every permission', () => {
    const { session } = setup();
    let granted: boolean | undefined;
    session.permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(session.permissionCheck!()).toBe(false);
  });

  it('resolves paths before comparing (no prefix tricks)', () => {
    expect(isPrintRequestAllowed('file:///app/dist/renderer/assets/../report.html', rendererDir)).toBe(true);
    expect(isPrintRequestAllowed('file:///app/dist/renderer/../renderer.html', rendererDir)).toBe(false);
    expect(isPrintRequestAllowed('file:///app/dist/renderer', rendererDir)).toBe(false);
  });
});
