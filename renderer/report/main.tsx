/**
 * The report page: renders a report model and signals when layout is done. The model is either
 * injected before the page's scripts run (window.__EKIMAE_REPORT__, what the core's Chromium
 * renderer does) or handed over after load through window.__EKIMAE_LOAD_REPORT__(model) (what
 * Electron's hidden print window does, and what lets a renderer load the page while the model is
 * still being built). Printed to PDF and serialised (without scripts) into the self-contained HTML.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReportModel } from '../../core/report/model.js';
import { Report } from './report.js';

declare global {
  interface Window {
    __EKIMAE_REPORT__?: ReportModel;
    __EKIMAE_REPORT_READY__?: boolean;
    __EKIMAE_LOAD_REPORT__?: (model: ReportModel) => void;
    /** Page numbers for the contents (chapter id → page), set by a printer that paginated the report; synchronous. */
    __EKIMAE_SET_TOC_PAGES__?: (pages: Record<string, number> | null) => void;
  }
}

const root = createRoot(document.getElementById('report')!);
let shown: ReportModel | null = null;

function show(model: ReportModel): void {
  window.__EKIMAE_REPORT_READY__ = false;
  shown = model;
  // The language picks the right glyphs (Japanese kanji, not Chinese) and hyphenation.
  document.documentElement.lang = model.meta.lang ?? 'en';
  flushSync(() => root.render(<Report model={model} />));
  void document.fonts.ready.then(() => { window.__EKIMAE_REPORT_READY__ = true; });
}

window.__EKIMAE_LOAD_REPORT__ = show;
window.__EKIMAE_SET_TOC_PAGES__ = (pages) => {
  if (shown) flushSync(() => root.render(<Report model={shown!} tocPages={pages} />));
};
if (window.__EKIMAE_REPORT__) show(window.__EKIMAE_REPORT__);
else flushSync(() => root.render(<p>Waiting for a report model.</p>));
