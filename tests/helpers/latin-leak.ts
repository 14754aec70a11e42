/**
 * English prose left in a Japanese or Thai report. The report's own words must all be translated;
 * what may stay in Latin script is what the reader's data and sources say: names (stations, lines,
 * layers, scenarios, the site), source citations and data notes (printed as "source (original)"),
 * names of laws kept beside their translation, codes, units and numbers.
 *
 * pdftotext interleaves the lines of neighbouring table cells, so originals cannot be cut out of
 * the PDF's text as strings. Instead each Latin word is counted: in the PDF, and in the originals
 * as the report model (same project, same options) prints them, found by exact substring in each
 * model string. A word the PDF has more often than the originals account for is leaked prose;
 * the measure is its letters against all letters (Latin, kana, kanji, Thai) of the PDF.
 */
import { execFileSync } from 'node:child_process';
import { TERMS_JA } from '../../core/report/i18n/terms-ja.js';
import { TERMS_TH } from '../../core/report/i18n/terms-th.js';
import type { ReportModel } from '../../core/report/model.js';
import { PLAUSIBILITY } from '../../core/growth/plausibility.js';
import { getGrowth } from '../../core/growth/store.js';
import { cashflowTable } from '../../core/lvc/cashflow.js';
import { getLvcParams, latestLvcRuns } from '../../core/lvc/store.js';
import { getAssumptions, listResults, listScenarios } from '../../core/scenario/store.js';
import { Project } from '../../core/store/project.js';

/** Names of laws and sources the translations keep in their original beside the translation: the Latin runs of terms-*.ts. */
const KEPT_TITLES = [...Object.values(TERMS_JA), ...Object.values(TERMS_TH)].flatMap((v) => v.match(/[A-Za-z][A-Za-z0-9 .,&'–-]*[A-Za-z0-9]/g) ?? []);

/** The texts a report prints as the data or its sources wrote them, read from the project file itself. */
export function originalTexts(path: string): string[] {
  const p = Project.open(path, { readOnly: true });
  try {
    const out: string[] = [...KEPT_TITLES];
    const s = p.settings();
    for (const k of ['name', 'client', 'currency']) if (s[k]) out.push(String(s[k]));
    for (const l of p.layers()) {
      out.push(l.title, l.name);
      for (const f of l.fields) out.push(f.name);
      for (const pr of l.provenance) out.push(pr.sourceFile, ...(pr.note ? [pr.note] : []));
      // What places are called: stations and their lines, census zones, planning zones, streets.
      if (l.role === 'stations' || l.role === 'census' || l.role === 'zones' || l.role === 'network') {
        // Of the streets only their names (not highway classes like "residential", which are words).
        const text = l.role === 'network' ? [l.fieldMap.name].filter((x): x is string => !!x) : l.fields.filter((f) => f.type === 'TEXT' && !f.personal).map((f) => f.name);
        for (const f of p.readFeatures(l.name)) for (const k of text) if (f.properties[k]) out.push(String(f.properties[k]));
      }
    }
    for (const sc of listScenarios(p)) {
      out.push(sc.name, sc.id);
      // A description cites its zoning source in parentheses: "Today's zoning (Bangkok Comprehensive Plan …)".
      for (const m of sc.definition.description.matchAll(/\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)) out.push(m[1]);
    }
    for (const e of getAssumptions(p).entries) out.push(e.source);
    const lvc = getLvcParams(p);
    out.push(...Object.values(lvc.sources));
    for (const sv of lvc.params.stationValues ?? []) out.push(sv.source, sv.station);
    for (const r of listResults(p)) for (const m of r.indicators.itdp ?? []) out.push(m.standard);
    // Cited ranges and published forecasts the growth engine compares with (its warnings quote them).
    out.push(...Object.values(PLAUSIBILITY).map((x) => x.source));
    for (const g of [getGrowth(p)]) if (g.settings.ridership.published) out.push(g.settings.ridership.published.source);
    // The run's parameters by their identifiers and values, as the spreadsheet export names them (codes).
    for (const run of latestLvcRuns(p)) for (const [k, v] of cashflowTable(run, {}).parameters) out.push(k, ...(typeof v === 'string' ? [v] : []));
    return [...new Set(out.filter((x) => x && /[A-Za-z]/.test(x)))].sort((a, b) => b.length - a.length);
  } finally {
    p.close();
  }
}

/** Codes and units that are Latin in every language (SI units, currency codes, file formats, the product's name). */
const UNITS = new Set(['km', 'ha', 'min', 'kwh', 'mwh', 'pdf', 'csv', 'xlsx', 'gpkg', 'crore', 'lakh', 'ekimae', 'html', 'pgrouting', 'networkx', 'qgis']);

/** Latin words of a text that are not codes, units or numbers (lower-cased), in order. */
export function latinWords(text: string): string[] {
  const out: string[] = [];
  // A command line the reader can type (ekimae export --lvc 1 --format xlsx) is code, whatever its words.
  for (const tok of text.replace(/\bekimae [a-z]+( --?[\w-]+( [\w.-]+)?)*/g, ' ').split(/[\s,;:()[\]{}"'“”‘’«»<>=+×÷≤≥–—|…%（）「」、。：；！？・]+/)) {
    if (!/[A-Za-z]/.test(tok)) continue;
    // Codes: acronyms (NPV, SRT), identifiers with digits, dots, slashes or underscores (EPSG:4326, B.E., 0-400m, a/b.ts, owner_name).
    if (/^[A-Z][A-Z0-9&.-]*$/.test(tok) || /[0-9_./／@#\\]/.test(tok) || /^-/.test(tok) || /[a-z][A-Z]/.test(tok)) continue;
    // Hyphens dropped: pdftotext joins a word Chromium broke after its hyphen (distance-\ndecay → distancedecay).
    const w = tok.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '').replace(/-/g, '').toLowerCase();
    // One or two letters: units (m, L) and the glyph runs Chromium splits small map labels into.
    if (w.length < 3 || UNITS.has(w)) continue;
    out.push(w);
  }
  return out;
}

/** Every string a report model prints: texts, captions, notes, cells, labels, and the text of its map and chart drawings. */
/** Model fields that steer the layout and are never printed (block kinds, alignment, series keys, colours). */
const UNPRINTED = new Set(['kind', 'align', 'key', 'type', 'x', 'color', 'fill', 'stroke', 'id', 'paper', 'orientation', 'lang', 'group', 'unit', 'bbox']);

export function modelStrings(m: ReportModel): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key = '') => {
    if (UNPRINTED.has(key)) return;
    if (typeof v === 'string') {
      if (key === 'svg') for (const t of v.matchAll(/>([^<>]+)</g)) out.push(t[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"'));
      else out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(m.meta);
  walk(m.sections);
  // The contents page prints every chapter title a second time.
  out.push(...m.sections.map((x) => x.title));
  return out;
}

/** How often each Latin word is printed as part of an original (name, source, note) in the model. */
export function allowance(m: ReportModel, originals: string[], pages: number): Map<string, number> {
  const allowed = new Map<string, number>();
  // Every page's footer names the site.
  for (const w of latinWords(m.meta.site)) allowed.set(w, (allowed.get(w) ?? 0) + pages);
  for (let s of modelStrings(m)) {
    for (const o of originals) {
      if (!s.includes(o)) continue;
      const n = s.split(o).length - 1;
      for (const w of latinWords(o)) allowed.set(w, (allowed.get(w) ?? 0) + n);
      s = s.split(o).join(' ');
    }
  }
  return allowed;
}

export interface Leak { share: number; leakedLetters: number; letters: number; words: Array<[string, number]> }

/** Latin letters of words the originals do not account for, as a share of all letters of the PDF's text. */
export function latinLeak(text: string, allowed: Map<string, number>): Leak {
  const letters = (text.match(/[A-Za-z\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]/g) ?? []).length;
  const counts = new Map<string, number>();
  for (const w of latinWords(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  let leaked = 0;
  const words: Array<[string, number]> = [];
  for (const [w, n] of counts) {
    const extra = n - (allowed.get(w) ?? 0);
    if (extra > 0) { leaked += extra * w.length; words.push([w, extra]); }
  }
  return { share: letters ? leaked / letters : 0, leakedLetters: leaked, letters, words: words.sort((a, b) => b[1] - a[1]) };
}

export const pdfText = (pdf: string) => execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
