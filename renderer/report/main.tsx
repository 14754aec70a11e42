/**
 * The report page: renders a report model (injected as window.__EKIMAE_REPORT__ by the core's
 * report renderer or Electron) and signals when layout is done. Printed to PDF by Chromium and
 * serialised (without scripts) into the self-contained HTML report.
 */
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import type { ReportModel } from '../../core/report/model.js';
import { Report } from './report.js';

declare global {
  interface Window { __EKIMAE_REPORT__?: ReportModel; __EKIMAE_REPORT_READY__?: boolean }
}

const model = window.__EKIMAE_REPORT__;
const root = createRoot(document.getElementById('report')!);
flushSync(() => root.render(model ? <Report model={model} /> : <p>No report model was given to this page.</p>));
document.fonts.ready.then(() => { window.__EKIMAE_REPORT_READY__ = true; });
