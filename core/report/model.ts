/**
 * The report model: everything a master-plan report says, as plain data (text, tables with
 * display strings, chart data, SVG maps). One model renders to self-contained HTML and to PDF
 * through the same page (renderer/report), so the two never disagree.
 */
import { z } from 'zod';
import { formatMoney } from '../util/money.js';

export const PaperSchema = z.enum(['A4', 'A3']);
export const OrientationSchema = z.enum(['portrait', 'landscape']);
export type Paper = z.infer<typeof PaperSchema>;
export type Orientation = z.infer<typeof OrientationSchema>;

const Cell = z.union([z.number(), z.string(), z.null()]);
export const ChartSpecSchema = z.object({
  type: z.enum(['bar', 'stackedBar', 'line', 'tornado']),
  data: z.array(z.record(z.string(), Cell)),
  /** Category key (x axis, or y for tornado). */
  x: z.string(),
  series: z.array(z.object({ key: z.string(), label: z.string(), color: z.string() })),
  unit: z.string().optional(),
  /** Tornado only: the base value the bars start from. */
  base: z.number().optional(),
});
export type ChartSpec = z.infer<typeof ChartSpecSchema>;

export const HeadlineItemSchema = z.object({
  label: z.string(), value: z.string(), kind: z.enum(['existing', 'capacity', 'projected']), note: z.string().optional(), group: z.string().optional(),
});
export type HeadlineItem = z.infer<typeof HeadlineItemSchema>;

export const BlockSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('keyFigures'), items: z.array(z.object({ label: z.string(), value: z.string() })) }),
  z.object({ kind: z.literal('list'), items: z.array(z.string()) }),
  z.object({ kind: z.literal('map'), svg: z.string(), caption: z.string(),
    /** The extent the map was fitted to (lon/lat): the site, or one station's. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional() }),
  z.object({
    kind: z.literal('table'), caption: z.string(), note: z.string().optional(), rows: z.array(z.array(z.string())),
    columns: z.array(z.object({ label: z.string(), align: z.enum(['left', 'right']).optional() })),
  }),
  z.object({ kind: z.literal('chart'), caption: z.string(), chart: ChartSpecSchema }),
  /**
   * Headline figures (executive summary). kind says what a figure is: today's census ('existing'),
   * what the rules allow at build-out ('capacity'), or a forecast for a horizon year ('projected');
   * group puts figures of one scenario side by side.
   */
  z.object({ kind: z.literal('headline'), items: z.array(HeadlineItemSchema) }),
]);
export type Block = z.infer<typeof BlockSchema>;

export const ReportSectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  blocks: z.array(BlockSchema),
  /** Start the section on a new page. */
  pageBreak: z.boolean().optional(),
});
export type ReportSection = z.infer<typeof ReportSectionSchema>;

export const ReportModelSchema = z.object({
  meta: z.object({
    title: z.string(), subtitle: z.string(), site: z.string(), client: z.string().nullable(), date: z.string(),
    scenarios: z.array(z.string()), paper: PaperSchema, orientation: OrientationSchema, generator: z.string(), projectFile: z.string(),
    /** sha256 of the project's logical content when the report was made (traceability). */
    projectDigest: z.string(),
    currency: z.string().nullable(),
    /** Report language (en, ja, th) and the words the page prints itself (cover, contents, footer). */
    lang: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  sections: z.array(ReportSectionSchema),
  /** Personal fields left out of every map, table and export in this report. */
  omittedPersonalFields: z.array(z.object({ layer: z.string(), field: z.string() })),
});
export type ReportModel = z.infer<typeof ReportModelSchema>;
export type ReportMeta = ReportModel['meta'];

/** Page size in CSS px at 96 dpi, minus 15 mm margins: what maps and charts are laid out for. */
export function contentBox(paper: Paper, orientation: Orientation): { width: number; height: number } {
  const mm = paper === 'A4' ? [210, 297] : [297, 420];
  const [w, h] = orientation === 'portrait' ? mm : [mm[1], mm[0]];
  const px = (v: number) => Math.floor(((v - 30) / 25.4) * 96);
  return { width: px(w), height: px(h) };
}

const nf = (digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const NF = [nf(0), nf(1), nf(2), nf(3)];

/** Numbers as the report prints them (en-US grouping); tests format engine results the same way. */
export function fmt(v: number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return NF[Math.min(3, Math.max(0, digits))].format(v);
}

export function fmtPct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : `${fmt(v * 100, digits)} %`;
}

/**
 * The language money amounts are scaled in while a report model is built (build.ts sets it for the
 * length of one synchronous build): "bn" and "m" are English words; Japanese counts in 億 (1e8) and
 * 万 (1e4), Thai in ล้าน (1e6), so "THB 37.6 bn" reads "THB 376 億" / "THB 37,600 ล้าน".
 */
let moneyLang: 'en' | 'ja' | 'th' = 'en';
export function setMoneyLang(lang: 'en' | 'ja' | 'th'): void { moneyLang = lang; }

/** An amount in the report language's own large-number units, or null where English units apply. */
export function localMoney(v: number, sym: string): string | null {
  const abs = Math.abs(v), pre = sym ? `${sym} ` : '';
  if (moneyLang === 'ja') return abs >= 1e8 ? `${pre}${fmt(v / 1e8, abs >= 1e10 ? 0 : 1)} 億` : abs >= 1e4 ? `${pre}${fmt(v / 1e4, abs >= 1e6 ? 0 : 1)} 万` : `${pre}${fmt(v)}`;
  if (moneyLang === 'th') return abs >= 1e6 ? `${pre}${fmt(v / 1e6, abs >= 1e8 ? 0 : 1)} ล้าน` : `${pre}${fmt(v)}`;
  return null;
}

/** util/money's per-market formatting (lakh/crore, 億円 stay as they are), other currencies in the report's units. */
export function fmtMoneyMarket(v: number | null | undefined, currency: string | null): string {
  const c = (currency ?? '').toUpperCase();
  if (v === null || v === undefined || !Number.isFinite(v) || c === 'INR' || c === 'JPY') return formatMoney(v, currency);
  return localMoney(v, c === 'THB' ? '฿' : c) ?? formatMoney(v, currency);
}

export function fmtMoney(v: number | null | undefined, currency: string | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const local = localMoney(v, currency ?? '');
  if (local) return local;
  const abs = Math.abs(v);
  const [d, s] = abs >= 1e9 ? [1e9, ' bn'] : abs >= 1e6 ? [1e6, ' m'] : [1, ''];
  return `${currency ? currency + ' ' : ''}${fmt(v / d, d === 1 ? 0 : 1)}${s}`;
}
