import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { fmt, fmtPct } from '../../../core/report/model.js';
import { tmpDir } from '../../helpers/tmp.js';
import { makeGridProject } from '../../helpers/grid-project.js';

describe('corridor chapter', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  beforeAll(async () => {
    await makeGridProject(svc, dir, 2);
    for (const id of ['existing', 'tod-moderate']) await svc.invoke('scenario.evaluate', { id, store: true });
    await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 50 });
  }, 120_000);

  it('compares the stations with each engine\'s per-station figures', async () => {
    const model = await svc.invoke('report.model', {});
    const sec = model.sections.find((s) => s.id === 'corridor');
    expect(sec).toBeDefined();
    const tables = sec!.blocks.filter((b) => b.kind === 'table');
    const catch800 = tables[0];
    if (catch800.kind !== 'table') throw new Error('table expected');
    const c = await svc.invoke('catchment.results', {});
    for (const [name, id] of [['Central', 'S1'], ['West', 'S2']]) {
      const b = c.bands.find((x) => x.stationId === id && x.bandM === 800)!;
      const row = catch800.rows.find((r) => r[0] === name)!;
      expect(row).toEqual([name, fmt(b.areaM2 / 1e4, 1), fmtPct(b.pedshed), fmt(b.parcels), fmt(b.popAreal), fmt(b.jobsAreal)]);
    }
    // The central station's walkable area is larger than the one at the grid's corner.
    const area = (n: string) => Number(catch800.rows.find((r) => r[0] === n)![1].replace(/,/g, ''));
    expect(area('Central')).toBeGreaterThan(area('West'));
    const res = (await svc.invoke('scenario.results', { id: 'tod-moderate' })).at(-1)!;
    const residents = tables.find((t) => t.kind === 'table' && t.caption.startsWith('Residents by station'));
    if (residents?.kind !== 'table') throw new Error('residents table expected');
    const central = res.indicators.stations.find((s) => s.station === 'Central')!;
    expect(residents.rows.find((r) => r[0] === 'Central')).toContain(fmt(central.indicators.residents));
    expect(tables.some((t) => t.kind === 'table' && t.caption.startsWith('Land value uplift by station'))).toBe(true);
  });

  it('a single-station project has no corridor chapter', async () => {
    const svc1 = new EkimaeService();
    const d = tmpDir();
    await makeGridProject(svc1, d, 1);
    const model = await svc1.invoke('report.model', {});
    expect(model.sections.some((s) => s.id === 'corridor')).toBe(false);
  });
});
