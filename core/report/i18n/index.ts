/**
 * Report words in English, Japanese and Thai. The core writes every word of the report model (the
 * report page only lays it out), so the dictionaries live here, not in renderer/i18n.
 */
import { EN, type ReportKey } from './en.js';
import { JA } from './ja.js';
import { TH } from './th.js';

export const REPORT_LANGS = ['en', 'ja', 'th'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];
export type ReportT = (key: ReportKey, vars?: Record<string, string | number>) => string;
export type { ReportKey };

const CATALOGUES: Record<ReportLang, Record<ReportKey, string>> = { en: EN, ja: JA, th: TH };

export function reportTranslator(lang: ReportLang): ReportT {
  const cat = CATALOGUES[lang];
  return (key, vars) => (cat[key] ?? EN[key]).replace(/\{(\w+)\}/g, (m, k: string) => (vars && k in vars ? String(vars[k]) : m));
}

export const isReportLang = (v: unknown): v is ReportLang => typeof v === 'string' && (REPORT_LANGS as readonly string[]).includes(v);

/** The words the report page itself prints (cover, contents, footer, the kinds of headline figure). */
export function pageLabels(t: ReportT): Record<string, string> {
  const keys: ReportKey[] = ['cover.site', 'cover.client', 'cover.date', 'cover.scenarios', 'cover.projectFile', 'cover.digest', 'cover.madeWith', 'toc', 'page.of',
    'kind.existing', 'kind.capacity', 'kind.projected', 'summary.col.figure', 'summary.col.value', 'summary.col.kind', 'summary.col.note'];
  return Object.fromEntries(keys.map((k) => [k, t(k, k === 'page.of' ? { n: '{n}', m: '{m}' } : undefined)]));
}
