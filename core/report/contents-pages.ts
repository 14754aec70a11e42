/**
 * Page numbers for the report's contents, the same way in every printer (the core's Chromium worker,
 * Electron's print window). Chromium cannot compute target-counter(), so a printer prints a draft
 * with the maps' drawing switched off (PAGINATE_SCRIPT: same layout, a fraction of the time), reads
 * on which page each chapter landed (contentsPages), shows those numbers (setContentsPagesScript)
 * and prints the real PDF; should that disagree (the numbers moved a line), it prints again with the
 * real PDF's own numbers, at most CONTENTS_REPRINTS times.
 */
import { destinationPages } from './pdf-pages.js';

export type ContentsPages = Record<string, number>;

/** True in a report page that can show page numbers in its contents. */
export const CAN_PAGINATE_SCRIPT = 'typeof window.__EKIMAE_SET_TOC_PAGES__ === "function"';
export const PAGINATE_SCRIPT = 'void document.documentElement.classList.add("paginating")';

/** Shows the page numbers: __PAGES__ stands for their JSON (the Chromium worker fills it in its own thread). */
export const SET_PAGES_TEMPLATE = 'void (() => { document.documentElement.classList.remove("paginating"); window.__EKIMAE_SET_TOC_PAGES__(__PAGES__); })()';

export function setContentsPagesScript(pages: ContentsPages | null): string {
  return SET_PAGES_TEMPLATE.replace('__PAGES__', () => JSON.stringify(pages));
}

/** Chapter id → page, or null for a PDF whose pages cannot be read (another writer): contents without numbers. */
export function contentsPages(pdf: Uint8Array): ContentsPages | null {
  try {
    return Object.fromEntries(destinationPages(pdf));
  } catch {
    return null;
  }
}

export function samePages(a: ContentsPages, b: ContentsPages): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
}

export const CONTENTS_REPRINTS = 2;
