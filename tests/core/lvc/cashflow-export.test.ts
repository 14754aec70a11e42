/**
 * A reviewer recomputes NPV and IRR from the exported cash-flow table and parameters alone:
 * tests/fixtures/lvc/recompute.py (plain Python, stdlib only) rebuilds the net flow from the
 * instrument columns and the cost parameters, discounts it, and must agree with Ekimae.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { main } from '../../../core/cli/main.js';
import { makeGridProject } from '../../helpers/grid-project.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const SCRIPT = join(ROOT, 'tests/fixtures/lvc/recompute.py');
const dir = tmpDir();
const svc = new EkimaeService();
let project = '';
const hasPython = (() => { try { execFileSync('python3', ['--version']); return true; } catch { return false; } })();
const hasXlsxWriter = (() => { try { return existsSync(join(ROOT, 'node_modules/write-excel-file/package.json')); } catch { return false; } })();

async function cli(args: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(args, { out: (s: string) => { out.push(s); }, err: (s: string) => { err.push(s); }, stdin: async () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const recompute = (path: string) => JSON.parse(execFileSync('python3', [SCRIPT, path], { encoding: 'utf8' }));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('cash-flow export a reviewer can recompute', () => {
  type Irr = { irr: number | null };
  type Appr = { basis: string; rate: number; label: string; npv: number; irr: Irr };
  let run: { result: { years: number[]; financial: Appr; economic: Appr; summary: { npv: number } } };
  beforeAll(async () => {
    project = await makeGridProject(svc, dir);
    await svc.invoke('project.updateSettings', { patch: { priceYear: 2025 } });
    const { params } = await svc.invoke('lvc.params', {});
    params.costs = { station: 400_000_000, infrastructure: 100_000_000, startYear: 0, years: 4 };
    await svc.invoke('lvc.setParams', { params });
    run = (await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 50 })) as unknown as typeof run;
    svc.close();
  }, 120_000);

  it('labels calendar years from the price year and keeps the financial and economic appraisals apart', () => {
    const r = run.result;
    expect(r.years[0]).toBe(2025);
    expect(r.years.at(-1)).toBe(2025 + r.years.length - 1);
    expect(r.financial.basis).toBe('financial');
    expect(r.financial.rate).toBe(0.08);
    expect(r.economic.rate).toBe(0.12); // Thai default social rate, real
    expect(r.economic.label).toMatch(/real 2025 prices/);
    expect(r.economic.npv).not.toBeCloseTo(r.summary.npv, 0);
  });

  it.skipIf(!hasPython)('CSV: python3 recomputes financial and economic NPV and IRR from the file alone', async () => {
    const out = join(dir, 'cf.csv');
    const c = await cli(['export', project, '--lvc', 'latest', '--scenario', 'tod-moderate', '--format', 'csv', '--out', out]);
    expect(c.code, c.err).toBe(0);
    expect(readFileSync(join(dir, 'cf.parameters.csv'), 'utf8')).toMatch(/instruments\.jointDevelopment\.railwayShare,0\.8,/);
    const py = recompute(out);
    const r = run.result;
    expect(py.netRelDiff).toBeLessThan(1e-9);
    expect(rel(py.npvFinancial, r.financial.npv)).toBeLessThan(1e-9);
    expect(rel(py.npvEconomic, r.economic.npv)).toBeLessThan(1e-9);
    if (r.financial.irr.irr !== null) expect(py.irrFinancial).toBeCloseTo(r.financial.irr.irr, 9);
    if (r.economic.irr.irr !== null) expect(py.irrEconomic).toBeCloseTo(r.economic.irr.irr, 9);
    expect(py.years[0]).toBe(2025);
  });

  it.skipIf(!hasPython || !hasXlsxWriter)('xlsx: python3 reads the workbook with zipfile + XML and gets the same figures', async () => {
    const out = join(dir, 'cf.xlsx');
    const c = await cli(['export', project, '--lvc', 'latest', '--format', 'xlsx', '--out', out]);
    expect(c.code, c.err).toBe(0);
    const py = recompute(out);
    const r = run.result;
    expect(rel(py.npvFinancial, r.financial.npv)).toBeLessThan(1e-9);
    expect(rel(py.npvEconomic, r.economic.npv)).toBeLessThan(1e-9);
  });

  it('refuses to overwrite an existing file and to export with no run', async () => {
    const c = await cli(['export', project, '--lvc', 'latest', '--format', 'csv', '--out', join(dir, 'cf.csv')]);
    expect(c.code).not.toBe(0);
    expect(c.err).toMatch(/already exists/);
    const none = await cli(['export', project, '--lvc', 'latest', '--scenario', 'trend', '--format', 'csv', '--out', join(dir, 'x.csv')]);
    expect(none.code).not.toBe(0);
    expect(none.err).toMatch(/no stored land value capture run of scenario "trend"/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });
});
