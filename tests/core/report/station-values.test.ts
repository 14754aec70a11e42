/**
 * The appendix prints the per-station sale values and land prices the run uses (issue #13.3): one row per
 * station and band after the project-wide row, each source numbered once and listed after the table,
 * in the report's language, and only the chosen station in a `--station` report.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { buildReportModel } from '../../../core/report/build.js';
import { fmt } from '../../../core/report/model.js';
import { tmpDir } from '../../helpers/tmp.js';

describe('per-station values in the report appendix', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  beforeAll(async () => {
    const sq = (x: number, y: number, d = 0.002) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential', land_value: 85000 }, geometry: { type: 'Polygon', coordinates: sq(72.86, 19.06) } },
      { type: 'Feature', properties: { land_use: 'commercial', land_value: 3000 }, geometry: { type: 'Polygon', coordinates: sq(72.95, 20.76) } },
    ] }));
    writeFileSync(join(dir, 'stations.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'Mumbai BKC' }, geometry: { type: 'Point', coordinates: [72.861, 19.061] } },
      { type: 'Feature', properties: { name: 'Bilimora' }, geometry: { type: 'Point', coordinates: [72.951, 20.761] } },
    ] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Values', country: 'IN', currency: 'INR' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    await svc.invoke('layers.import', { path: join(dir, 'stations.geojson'), role: 'stations' });
    const { params, sources } = await svc.invoke('lvc.params', {});
    await svc.invoke('lvc.setParams', { params: { ...params, stationValues: [
      { station: 'Mumbai BKC', source: 'Source A (2024)', bands: [{ maxDistM: 20_000, saleValuePerM2: { residential: 485_000, office: 450_000 }, landValuePerM2: 200_000 }] },
      { station: 'Bilimora', source: 'Source B (2023)', bands: [{ maxDistM: 800, saleValuePerM2: { residential: 32_500 }, landValuePerM2: 4_500, constructionCostPerM2: { residential: 23_500 } }, { maxDistM: 2000, saleValuePerM2: { residential: 30_000 } }] },
    ] }, sources: { ...sources, stationValues: 'the note' } });
  }, 60_000);

  const table = (lang: 'en' | 'ja', station?: string) => {
    const m = buildReportModel(svc.requireProject(), { lang, station });
    const sec = m.sections.find((s) => s.id === 'assumptions')!;
    const k = sec.blocks.findIndex((b) => b.kind === 'table' && /m²/.test(b.caption) && b.rows.some((r) => r[0] === 'Bilimora' || r[0] === 'Mumbai BKC'));
    return { t: sec.blocks[k] as Extract<(typeof sec.blocks)[number], { kind: 'table' }>, list: sec.blocks[k + 1] as Extract<(typeof sec.blocks)[number], { kind: 'list' }> };
  };

  it('lists the project-wide figures, then each station and band with its own figures, * where the project-wide one applies', () => {
    const { t, list } = table('en');
    expect(t.caption).toContain('INR per m²');
    expect(t.rows.map((r) => [r[0], r[1]])).toEqual([['project-wide (elsewhere)', ''], ['Mumbai BKC', 'whole station area'], ['Bilimora', `0–${fmt(800)} m`], ['Bilimora', `${fmt(800)}–${fmt(2000)} m`]]);
    // BKC: its residential and office; commercial falls back to the project-wide 140,000 (India's default), marked *.
    expect(t.rows[1].slice(2, 7)).toEqual([fmt(485_000), `${fmt(140_000)}*`, fmt(450_000), fmt(200_000), `${fmt(38_000)}*`]);
    expect(t.rows[2].slice(2, 7)).toEqual([fmt(32_500), `${fmt(140_000)}*`, `${fmt(130_000)}*`, fmt(4_500), fmt(23_500)]);
    expect(t.rows[3][5]).toBe('—');
    // Sources numbered once: Bilimora's two bands share [2].
    expect(t.rows.slice(1).map((r) => r[7])).toEqual(['[1]', '[2]', '[2]']);
    expect(list.items).toEqual(['[1] Source A (2024)', '[2] Source B (2023)']);
  });

  it('speaks the report\'s language and keeps to the station of a --station report', () => {
    expect(table('ja').t.caption).toContain('駅・徒歩圏別');
    const one = table('en', 'Bilimora');
    expect(one.t.rows.map((r) => r[0])).toEqual(['project-wide (elsewhere)', 'Bilimora', 'Bilimora']);
    expect(one.list.items).toEqual(['[1] Source B (2023)']);
  });
});
