/**
 * Report words in English, Japanese and Thai. The core writes every word of the report model (the
 * report page only lays it out), so the dictionaries live here, not in renderer/i18n.
 */
import { EN, type ReportKey } from './en.js';
import { JA } from './ja.js';
import { TH } from './th.js';
import { PATTERNS_JA, TERMS_JA } from './terms-ja.js';
import { PATTERNS_TH, TERMS_TH } from './terms-th.js';

export const REPORT_LANGS = ['en', 'ja', 'th'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];
/** The translator; `lang` lets term() find engine words (instrument names, legal basis) in the same language. */
export type ReportT = ((key: ReportKey, vars?: Record<string, string | number>) => string) & { lang?: ReportLang };
export type { ReportKey };

const CATALOGUES: Record<ReportLang, Record<ReportKey, string>> = { en: EN, ja: JA, th: TH };

const fill = (s: string, vars?: Record<string, string | number>) => s.replace(/\{(\w+)\}/g, (m, k: string) => (vars && k in vars ? String(vars[k]) : m));

export function reportTranslator(lang: ReportLang): ReportT {
  const cat = CATALOGUES[lang];
  return Object.assign((key: ReportKey, vars?: Record<string, string | number>) => fill(cat[key] ?? EN[key], vars), { lang });
}

const TERMS: Record<ReportLang, Record<string, string>> = { en: {}, ja: TERMS_JA, th: TERMS_TH };

/**
 * Words the engines write in English (instrument names, legal basis, assumption labels, metric
 * names, appraisal labels) in the report's language, by a stable key; the engine's English when
 * the language has no entry (English reports, or a term not translated yet).
 */
export function term(t: ReportT, key: string, english: string, vars?: Record<string, string | number>): string {
  const lang = t.lang ?? 'en';
  const s = TERMS[lang][key] ?? (lang !== 'en' && key in EN ? CATALOGUES[lang][key as ReportKey] : undefined);
  return s === undefined ? english : fill(s, vars);
}

/**
 * Engine sentences with figures in them ("7438 parcels have no walking distance…"): the first
 * pattern of terms-*.ts's PATTERNS that matches the whole English sentence is rewritten in the
 * report's language with the captured figures; otherwise the English stays.
 */
export function sentence(t: ReportT, english: string): string {
  for (const [re, out] of PATTERNS[t.lang ?? 'en']) {
    const m = english.match(re);
    if (m) return out.replace(/\$(\d)/g, (_, i: string) => m[Number(i)] ?? '');
  }
  return english;
}
const PATTERNS: Record<ReportLang, Array<[RegExp, string]>> = { en: [], ja: PATTERNS_JA, th: PATTERNS_TH };

export const isReportLang = (v: unknown): v is ReportLang => typeof v === 'string' && (REPORT_LANGS as readonly string[]).includes(v);

/** The words the report page itself prints (cover, contents, footer, the kinds of headline figure). */
export function pageLabels(t: ReportT): Record<string, string> {
  const keys: ReportKey[] = ['cover.site', 'cover.client', 'cover.date', 'cover.scenarios', 'cover.projectFile', 'cover.digest', 'cover.madeWith', 'toc', 'page.of',
    'kind.existing', 'kind.capacity', 'kind.projected', 'summary.col.figure', 'summary.col.value', 'summary.col.kind', 'summary.col.note'];
  return Object.fromEntries(keys.map((k) => [k, t(k, k === 'page.of' ? { n: '{n}', m: '{m}' } : undefined)]));
}
