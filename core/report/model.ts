/**
 * The report model: everything a master-plan report says, as plain data (text, tables with
 * display strings, chart data, SVG maps). One model renders to self-contained HTML and to PDF
 * through the same page (renderer/report), so the two never disagree.
 */
export type Paper = 'A4' | 'A3';
export type Orientation = 'portrait' | 'landscape';

export interface ChartSeries { key: string; label: string; color: string }
export interface ChartSpec {
  type: 'bar' | 'stackedBar' | 'line' | 'tornado';
  data: Array<Record<string, number | string | null>>;
  /** Category key (x axis, or y for tornado). */
  x: string;
  series: ChartSeries[];
  unit?: string;
  /** Tornado only: the base value the bars start from. */
  base?: number;
}

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'keyFigures'; items: Array<{ label: string; value: string }> }
  | { kind: 'list'; items: string[] }
  | { kind: 'map'; svg: string; caption: string }
  | { kind: 'table'; caption: string; columns: Array<{ label: string; align?: 'left' | 'right' }>; rows: string[][]; note?: string }
  | { kind: 'chart'; caption: string; chart: ChartSpec };

export interface ReportSection {
  id: string;
  title: string;
  blocks: Block[];
  /** Start the section on a new page. */
  pageBreak?: boolean;
}

export interface ReportMeta {
  title: string;
  subtitle: string;
  site: string;
  client: string | null;
  date: string;
  scenarios: string[];
  paper: Paper;
  orientation: Orientation;
  generator: string;
  projectFile: string;
  /** sha256 of the project's logical content when the report was made (traceability). */
  projectDigest: string;
  currency: string | null;
}

export interface ReportModel {
  meta: ReportMeta;
  sections: ReportSection[];
  /** Personal fields left out of every map, table and export in this report. */
  omittedPersonalFields: Array<{ layer: string; field: string }>;
}

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

export function fmtMoney(v: number | null | undefined, currency: string | null): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const abs = Math.abs(v);
  const [d, s] = abs >= 1e9 ? [1e9, ' bn'] : abs >= 1e6 ? [1e6, ' m'] : [1, ''];
  return `${currency ? currency + ' ' : ''}${fmt(v / d, d === 1 ? 0 : 1)}${s}`;
}
