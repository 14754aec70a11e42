/**
 * The cash-flow table of a stored run, by instrument and calendar year, with every parameter:
 * what a reviewer needs to recompute NPV and IRR without Ekimae. Written as CSV (two files: flows
 * and parameters) or .xlsx (sheets "Cash flow", "Parameters", "Summary") via write-excel-file, a
 * small maintained writer on fflate (already a dependency), loaded only when an .xlsx is asked for.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { EkimaeError } from '../errors.js';
import { discountFactors, irr, npv } from './finance.js';
import type { RunRecord } from './store.js';

export interface CashflowTable {
  columns: string[];
  rows: number[][];
  parameters: Array<[key: string, value: string | number | boolean, source: string]>;
  summary: Array<[label: string, value: string | number]>;
}

function flatten(obj: unknown, prefix: string, out: Array<[string, string | number | boolean]>): void {
  if (Array.isArray(obj)) { out.push([prefix, JSON.stringify(obj)]); return; }
  if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (typeof obj === 'string' || typeof obj === 'number' || typeof obj === 'boolean') out.push([prefix, obj]);
}

export function cashflowTable(run: RunRecord, opts: { currency?: string | null; priceYear?: number } = {}): CashflowTable {
  const r = run.result;
  const p = run.params;
  const H = r.net.length;
  // Runs stored before calendar years carry years 0…H−1 and no base year.
  const baseYear = r.baseYear ?? p.baseYear ?? (r.years[0] >= 1900 ? r.years[0] : opts.priceYear ?? new Date().getUTCFullYear());
  const years = Array.from({ length: H }, (_, t) => baseYear + t);
  const dfFin = r.discountFactors ?? Array.from(discountFactors(p.discountRate, H));
  const social = p.socialDiscountRate ?? p.discountRate;
  const dfEco = Array.from(discountFactors(social, H));
  const instrumentCosts = Array.from({ length: H }, (_, t) => r.instruments.reduce((s, f) => s + f.cost[t], 0));
  const on = r.instruments.filter((f) => f.enabled);
  const columns = ['year', 't', ...on.map((f) => `revenue_${f.id}`), ...on.map((f) => `cost_${f.id}`), 'captured', 'instrument_costs', 'station_infrastructure_cost',
    'net_nominal', 'discount_factor_financial', 'pv_net_financial', 'deflator', 'net_real', 'discount_factor_economic', 'pv_net_economic'];
  const rows = years.map((y, t) => {
    const deflator = 1 / Math.pow(1 + p.inflation, t);
    const real = r.net[t] * deflator;
    return [y, t, ...on.map((f) => f.revenue[t]), ...on.map((f) => f.cost[t]), r.captured[t], instrumentCosts[t], r.costs[t],
      r.net[t], dfFin[t], r.net[t] * dfFin[t], deflator, real, dfEco[t], real * dfEco[t]];
  });
  const flat: Array<[string, string | number | boolean]> = [];
  flatten({ ...p, baseYear }, '', flat);
  const src = (k: string) => run.sources[k] ?? run.sources[k.split('.').slice(0, 2).join('.')] ?? run.sources[k.split('.')[0]] ?? '';
  const realNet = rows.map((row) => row[columns.indexOf('net_real')]);
  const fin = irr(r.net), eco = irr(realNet);
  const irrText = (x: ReturnType<typeof irr>) => (x.status === 'unique' ? x.irr : x.status === 'none' ? 'none' : `several: ${x.roots.join(', ')}`);
  return {
    columns, rows,
    parameters: [...flat.map(([k, v]) => [k, v, src(k)] as [string, string | number | boolean, string]),
      ['currency', opts.currency ?? '', 'project setting'],
      ['instrumentNames', JSON.stringify(Object.fromEntries(r.instruments.map((f) => [f.id, f.name]))), '']],
    summary: [
      ['scenario', run.scenario.name], ['run', run.runId], ['currency', opts.currency ?? ''], ['base year (t = 0)', baseYear],
      ['financial appraisal', 'nominal flows, market discount rate'], ['financial discount rate', p.discountRate],
      ['financial NPV = Σ net_nominal × discount_factor_financial', npv(p.discountRate, r.net)], ['financial IRR of net_nominal', irrText(fin)],
      ['economic appraisal', 'real flows (net_nominal ÷ (1 + inflation)^t), social discount rate'], ['inflation', p.inflation], ['social discount rate (real)', social],
      ['economic NPV = Σ net_real × discount_factor_economic', npv(social, realNet)], ['economic IRR of net_real (real)', irrText(eco)],
      ['flows', 'year-end, t = year − base year, year 0 undiscounted (as Excel NPV(rate, t1…) + t0 and IRR())'],
    ],
  };
}

function csvCell(v: string | number | boolean): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csv = (rows: Array<Array<string | number | boolean>>) => rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.part-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new EkimaeError('E_EXPORT_FAILED', `could not write ${path}: ${(e as Error).message}`, { path });
  }
}

/** CSV: the flows at `path`, parameters and summary beside it (<stem>.parameters.csv). Returns the paths written. */
export function writeCashflowCsv(t: CashflowTable, path: string): string[] {
  const paramPath = path.replace(/(\.csv)?$/i, '.parameters.csv');
  writeAtomic(path, csv([t.columns, ...t.rows]));
  writeAtomic(paramPath, csv([['parameter', 'value', 'source'], ...t.parameters, ...t.summary.map(([k, v]) => [`result: ${k}`, v, 'computed by Ekimae'])]));
  return [path, paramPath];
}

type XlsxWriter = (sheets: unknown[]) => { toBuffer: () => Promise<Uint8Array> };

export async function writeCashflowXlsx(t: CashflowTable, path: string, writer?: XlsxWriter): Promise<string[]> {
  // A variable specifier keeps the optional writer out of the CLI bundle and out of typechecking.
  const spec = 'write-excel-file/node';
  let write: XlsxWriter;
  try {
    write = writer ?? (await import(spec)).default;
  } catch (e) {
    throw new EkimaeError('E_EXPORT_FAILED', `the .xlsx writer (write-excel-file) is not installed: ${(e as Error).message}; export as CSV instead`, { path });
  }
  const bold = (s: string) => ({ value: s, fontWeight: 'bold' });
  const cell = (v: string | number | boolean) => (typeof v === 'number' && !Number.isFinite(v) ? null : v);
  const buf = await write([
    { sheet: 'Cash flow', data: [t.columns.map(bold), ...t.rows.map((r) => r.map(cell))], stickyRowsCount: 1 },
    { sheet: 'Parameters', data: [['parameter', 'value', 'source'].map(bold), ...t.parameters.map((r) => r.map(cell))], stickyRowsCount: 1 },
    { sheet: 'Summary', data: t.summary.map(([k, v]) => [k, cell(v)]) },
  ]).toBuffer();
  writeAtomic(path, buf);
  return [path];
}
