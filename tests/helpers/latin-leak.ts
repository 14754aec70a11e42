/**
 * English prose left in a Japanese or Thai report. The report's own words must all be translated;
 * what may stay in Latin script is what the reader's own data and sources say: names (stations,
 * lines, layers, scenarios, the site), source citations and data notes (printed as "source
 * (original)"), codes, units and numbers. So the measure first cuts every such original text out
 * of the PDF's words (read from the project itself, not from the report), then counts the Latin
 * letters left against all letters (Latin, kana, kanji, Thai): English prose that leaks is Latin
 * letters outside those originals.
 */
import { execFileSync } from 'node:child_process';
import { getAssumptions, listResults, listScenarios } from '../../core/scenario/store.js';
import { getLvcParams } from '../../core/lvc/store.js';
import { Project } from '../../core/store/project.js';

/** The texts a report prints as the data or its sources wrote them, straight from the project file. */
export function originalTexts(path: string): string[] {
  const p = Project.open(path, { readOnly: true });
  try {
    const out: string[] = [];
    const s = p.settings();
    for (const k of ['name', 'client']) if (s[k]) out.push(String(s[k]));
    for (const l of p.layers()) {
      out.push(l.title, l.name);
      for (const pr of l.provenance) out.push(pr.sourceFile, ...(pr.note ? [pr.note] : []));
      // Names and lines of stations, names of census zones: what a place is called.
      if (l.role === 'stations' || l.role === 'census' || l.role === 'zones') {
        const text = l.fields.filter((f) => f.type === 'TEXT' && !f.personal).map((f) => f.name);
        for (const f of p.readFeatures(l.name)) for (const k of text) if (f.properties[k]) out.push(String(f.properties[k]));
      }
    }
    for (const sc of listScenarios(p)) out.push(sc.name);
    for (const e of getAssumptions(p).entries) out.push(e.source);
    const lvc = getLvcParams(p);
    out.push(...Object.values(lvc.sources));
    for (const sv of lvc.params.stationValues ?? []) out.push(sv.source, sv.station);
    for (const r of listResults(p)) for (const m of r.indicators.total ? r.indicators.itdp ?? [] : []) out.push(m.standard);
    return [...new Set(out.filter((x) => x && /[A-Za-z]/.test(x)))];
  } finally {
    p.close();
  }
}

/** Codes and units that are Latin in every language (SI units, currency codes, file formats). */
const UNITS = new Set(['m', 'km', 'ha', 'min', 'kwh', 'mwh', 'l', 'x', 'pdf', 'csv', 'xlsx', 'gpkg', 'crore', 'lakh', 'ekimae', 'bn']);

export interface Leak { share: number; latinLetters: number; letters: number; words: Array<[string, number]> }

/** Latin letters outside the originals, codes and units, as a share of all letters of the text. */
export function latinLeak(text: string, originals: string[]): Leak {
  let rest = text;
  // Longest first, so a station name inside a longer source note goes with the note; any whitespace between words (line breaks in cells).
  for (const o of [...originals].sort((a, b) => b.length - a.length)) {
    const words = o.trim().split(/\s+/).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (words.length && words[0]) rest = rest.replace(new RegExp(words.join('\\s+'), 'g'), ' ');
  }
  const letters = (text.match(/[A-Za-z\u3040-\u30ff\u3400-\u9fff\u0e00-\u0e7f]/g) ?? []).length;
  const counts = new Map<string, number>();
  let latin = 0;
  for (const tok of rest.split(/[\s,;:()[\]{}"'“”‘’«»<>=+×÷≤≥–—|…%/]+/)) {
    if (!/[A-Za-z]/.test(tok)) continue;
    // Codes: acronyms (NPV, IRR, SRT), identifiers with digits, dots, underscores or hyphen-joined codes (EPSG:4326, B.E., 0-400m, sha…).
    if (/^[A-Z][A-Z0-9&.-]*$/.test(tok) || /[0-9_.@#]/.test(tok) || UNITS.has(tok.toLowerCase())) continue;
    const w = tok.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, '');
    if (!w || w.length < 2) continue;
    latin += w.length;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return { share: letters ? latin / letters : 0, latinLetters: latin, letters, words: [...counts].sort((a, b) => b[1] - a[1]) };
}

export const pdfText = (pdf: string) => execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
