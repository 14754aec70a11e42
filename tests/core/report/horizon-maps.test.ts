/**
 * Issue #12 in the report's scenario chapters: a scenario with a take-up run shows its FAR map
 * projected at the last horizon beside its capacity, captioned with "projected <year>" and
 * "capacity", and its band figures projected beside capacity (the numbers of growth.parcels); one
 * without a take-up says its map is capacity; Existing stays what stands.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { fmt } from '../../../core/report/model.js';
import { makeGridProject } from '../../helpers/grid-project.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const canRender = requireToolOrSkip('chromium') && requireToolOrSkip('pdftotext') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('scenario maps by horizon in the report (pdftotext)', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  let flat = '';
  let pdf = '';

  beforeAll(async () => {
    await makeGridProject(svc, dir);
    for (const id of ['existing', 'trend', 'tod-moderate']) await svc.invoke('scenario.evaluate', { id, store: true });
    await svc.invoke('growth.takeUp', { ids: ['tod-moderate'], store: true });
    const r = await svc.invoke('report.generate', { outDir: join(dir, 'out'), pdf: true, html: false, scenarios: ['existing', 'trend', 'tod-moderate'] });
    pdf = r.pdf!;
    flat = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  }, 240_000);

  it('captions the projected map with its year and the capacity map as capacity, side by side', async () => {
    const year = (await svc.invoke('growth.get', {})).settings.horizons.at(-1)!;
    expect(flat).toContain(`TOD moderate: floor area ratio on each parcel, projected ${year} (left: what stands plus the take-up built by ${year}`);
    expect(flat).toContain('and capacity (right: what the rules allow at build-out, not a forecast)');
    // The maps' own titles, drawn in the figure.
    expect(flat).toContain(`TOD moderate: floor area ratio, projected ${year}`);
    expect(flat).toContain('TOD moderate: floor area ratio, capacity');
  });

  it('prints the band figures projected beside capacity, as growth.parcels computes them', async () => {
    const pr = await svc.invoke('growth.parcels', { id: 'tod-moderate' });
    const year = pr.horizons.at(-1)!;
    expect(flat).toContain(`Residents, jobs and floor area by walk band: projected ${year} and capacity`);
    expect(flat).toContain(`Residents projected ${year}`);
    expect(flat).toContain('Residents capacity');
    const t = pr.total;
    const last = t.horizons.at(-1)!;
    // The total row's figures in order (pdftotext puts the row label elsewhere in the flow).
    expect(flat).toContain(`${fmt(last.residents)} ${fmt(t.capacity.residents)} ${fmt(last.jobs)} ${fmt(t.capacity.jobs)} ${fmt(last.floorAreaM2)} ${fmt(t.capacity.floorAreaM2)}`);
    expect(last.floorAreaM2).toBeLessThan(t.capacity.floorAreaM2);
  });

  it('compares scenarios projected beside capacity, labelled', async () => {
    const year = (await svc.invoke('growth.get', {})).settings.horizons.at(-1)!;
    expect(flat).toContain(`Residents and jobs by scenario: projected ${year} and capacity`);
    // The capacity-only caption is gone: the one chart is this one.
    expect(flat.split('Residents and jobs by scenario').length - 1).toBe(1);
  });

  it('a scenario without a take-up run is labelled capacity; Existing is what stands', () => {
    expect(flat).toContain('Trend: floor area ratio on each parcel at capacity (what the rules allow at build-out, not a forecast)');
    expect(flat).not.toMatch(/Trend: floor area ratio on each parcel, projected/);
    expect(flat).toContain('Existing: floor area ratio achieved on each parcel.');
  });

  it('key figures: projected residents and jobs first, every capacity figure labelled; Existing unlabelled', async () => {
    const pr = await svc.invoke('growth.parcels', { id: 'tod-moderate' });
    const year = pr.horizons.at(-1)!;
    const last = pr.total.horizons.at(-1)!;
    // Key figures: pdftotext gives the row of values, then the row of labels.
    expect(flat).toContain(`${fmt(last.residents)} ${fmt(last.jobs)} ${fmt(pr.total.capacity.residents)} ${fmt(pr.total.capacity.jobs)}`);
    expect(flat).toContain(`Residents, projected ${year} Jobs, projected ${year} Residents, capacity Jobs, capacity Dwellings, capacity`);
    expect(flat).toContain('Achieved FAR, capacity');
    // Trend (no take-up run here): capacity only, labelled; no projected figure beside it.
    expect(flat.match(/Residents, projected/g)?.length).toBe(1);
  });

  it('renders the pages to images for a look (pdftoppm)', () => {
    if (!requireToolOrSkip('pdftoppm')) return;
    execFileSync('pdftoppm', ['-png', '-r', '40', pdf, join(dir, 'page')]);
    expect(readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f)).length).toBeGreaterThan(3);
  });
});
