import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { fmt, fmtPct } from '../../../core/report/model.js';
import { formatMoney as fmtMoney } from '../../../core/util/money.js';
import { blankPages } from '../../helpers/pdf-blank.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';
import { makeGridProject } from '../../helpers/grid-project.js';

const canRender = requireToolOrSkip('chromium') && requireToolOrSkip('pdftotext') && requireToolOrSkip('pdftoppm') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('master-plan report with every engine chapter', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  let text = '';
  let pdf = '';

  beforeAll(async () => {
    await makeGridProject(svc, dir);
    for (const id of ['existing', 'trend', 'tod-moderate', 'tod-intensive']) await svc.invoke('scenario.evaluate', { id, store: true });
    const { params } = await svc.invoke('lvc.params', {});
    params.costs = { station: 2e9, infrastructure: 5e8, startYear: 0, years: 4 };
    await svc.invoke('lvc.setParams', { params });
    await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 300 });
    await svc.invoke('growth.takeUp', { ids: ['trend', 'tod-moderate', 'tod-intensive'], store: true });
    const r = await svc.invoke('report.generate', { outDir: join(dir, 'out'), pdf: true, html: false });
    pdf = r.pdf!;
    text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' });
  }, 180_000);

  it('prints projected take-up with its year as the headline and the capacity beside it, each labelled (issue #12)', async () => {
    const [tu] = (await svc.invoke('growth.results', { id: 'tod-intensive' }));
    const h = tu.summary.horizons;
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`TOD intensive: residents in ${h.at(-1)!.year} ${fmt(h.at(-1)!.residents)} projected`);
    expect(flat).toMatch(/TOD intensive: residents [\d,]+ capacity \(build-out under the rules\)/);
    // The cross-sector table: every horizon of every projected scenario, then its capacity.
    expect(flat).toContain('Projected take-up by horizon across sectors');
    for (const y of h.map((x) => x.year)) expect(flat).toContain(`${y} projected`);
    expect(flat).toContain(`${fmt(h.at(-1)!.waterM3PerDay)}`);
  });

  it('has every chapter in the contents', () => {
    for (const t of ['Site and context', 'Walk catchments', 'Scenario: Existing', 'Scenario: TOD intensive', 'Scenarios compared',
      'Land value capture: TOD moderate', 'Data sources and provenance', 'Assumptions', 'Method notes', 'Personal data']) expect(text).toContain(t);
  });

  it('prints the engines\' own figures', async () => {
    const c = await svc.invoke('catchment.results', {});
    const b800 = c.bands.find((b) => b.stationId !== '*' && b.bandM === 800)!;
    expect(text).toContain(`${fmt(b800.areaM2 / 1e4, 1)} ha`);
    expect(text).toContain(fmtPct(b800.pedshed));
    const res = await svc.invoke('scenario.results', { id: 'tod-intensive' });
    expect(text).toContain(fmt(res[res.length - 1].indicators.total.residents));
    const [lvc] = await svc.invoke('lvc.results', { scenario: 'tod-moderate' });
    const s = lvc.result.summary;
    expect(text).toContain(fmtMoney(s.npv, 'THB'));
    expect(text).toContain(fmtPct(s.shareFinanced));
    expect(text).toContain(fmtMoney(s.pvCaptured, 'THB'));
    expect(text).toContain(fmtMoney(lvc.result.monteCarlo.npv.p50, 'THB'));
    // The cash-flow table a reviewer recomputes from, with calendar years and both appraisals.
    expect(text).toContain('Cash flow by instrument and year (THB million');
    expect(text).toContain('Every parameter of this run');
    expect(text).toContain(lvc.result.economic!.label);
    expect(text).toContain('Capture instruments and their legal basis (TH)');
    expect(text).toContain('Land Readjustment Act B.E. 2562');
    expect(text).toMatch(new RegExp(`\\b${lvc.result.years[0]}\\b`));
  });

  it('has no blank page (the Assumptions chapter left its heading alone on one)', () => {
    expect(blankPages(pdf)).toEqual([]);
  });

  it('names the personal field it left out and prints none of its values', () => {
    expect(text).toContain('owner_name');
    expect(text).not.toMatch(/Owner \d+/);
  });
});
