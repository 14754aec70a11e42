import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import type { ReportModel } from '../../../core/report/model.js';
import { tmpDir } from '../../helpers/tmp.js';
import { GRID, gridLayers } from '../../helpers/grid-project.js';

// Two station areas 52 km apart (0.45° of longitude at 13.8° N is 48.6 km, 0.2° of latitude 22.1 km): a corridor.
const SHIFT = [0.45, 0.2];
const central = [GRID.LON0 + 4 * GRID.DLON + 0.00005, GRID.LAT0 + 4 * GRID.DLAT];
const far = [central[0] + SHIFT[0], central[1] + SHIFT[1]];
type Fc = ReturnType<typeof gridLayers>;

function shifted<T>(features: T[]): T[] {
  const move = (c: unknown[]): unknown[] => typeof c[0] === 'number' ? [(c[0] as number) + SHIFT[0], (c[1] as number) + SHIFT[1]] : c.map((x) => move(x as unknown[]));
  return features.map((f) => { const g = (f as { geometry: { type: string; coordinates: unknown[] } }).geometry; return { ...f, geometry: { ...g, coordinates: move(g.coordinates) } }; });
}

/** Metres between two lon/lat points (equirectangular: exact enough over a few km). */
const distM = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 111_320);
const widthM = (b: number[]) => distM([b[0], b[1]], [b[2], b[1]]);
/** The scale bar's label, as drawn in the SVG, in metres. */
const scaleBarM = (svg: string) => {
  const m = /<text x="10" y="\d+">([\d.]+) (m|km)<\/text>/.exec(svg)!;
  return Number(m[1]) * (m[2] === 'km' ? 1000 : 1);
};
const maps = (m: ReportModel) => m.sections.flatMap((s) => s.blocks.map((b) => ({ section: s.id, b }))).flatMap(({ section, b }) => (b.kind === 'map' ? [{ section, ...b }] : []));

describe('report maps of a corridor', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  beforeAll(async () => {
    const a: Fc = gridLayers(1);
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
    writeFileSync(join(dir, 'streets.geojson'), fc([...a.lines, ...shifted(a.lines)]));
    writeFileSync(join(dir, 'parcels.geojson'), fc([...a.parcels, ...shifted(a.parcels).map((f) => ({ ...f, properties: { ...f.properties, parcel_id: `F${f.properties.parcel_id}` } }))]));
    writeFileSync(join(dir, 'census.geojson'), fc([...a.census, ...shifted(a.census).map((f) => ({ ...f, properties: { ...f.properties, zone_id: 'Z2' } }))]));
    writeFileSync(join(dir, 'stations.geojson'), fc([...a.stations, { type: 'Feature', properties: { station_id: 'S2', name: 'Far' }, geometry: { type: 'Point', coordinates: far } }]));
    await svc.invoke('project.create', { path: join(dir, 'corridor.gpkg'), settings: { name: 'Corridor', country: 'TH', currency: 'THB' } });
    for (const [f, role] of [['streets', 'network'], ['parcels', 'parcels'], ['census', 'census'], ['stations', 'stations']] as const) {
      await svc.invoke('layers.import', { path: join(dir, `${f}.geojson`), role });
    }
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    await svc.invoke('scenario.evaluate', { id: 'tod-moderate', store: true });
  }, 120_000);

  it('with --station, every map frames that station\'s site, not the corridor', async () => {
    for (const [station, at] of [['Far', far], ['S1', central]] as const) {
      const model = await svc.invoke('report.model', { station });
      const ms = maps(model);
      expect(ms.map((m) => m.section)).toEqual(['site', 'catchments', 'scenario-tod-moderate']);
      for (const m of ms) {
        const [x0, y0, x1, y1] = m.bbox!;
        expect(at[0]).toBeGreaterThan(x0); expect(at[0]).toBeLessThan(x1);
        expect(at[1]).toBeGreaterThan(y0); expect(at[1]).toBeLessThan(y1);
        // The grid is 0.8 km across; its 1200 m walk band reaches at most 1.2 km beyond the station: a few km, never 50.
        expect(widthM(m.bbox!)).toBeLessThan(4000);
        expect(scaleBarM(m.svg)).toBeLessThanOrEqual(1000);
      }
    }
  });

  it('without --station, the overview spans the corridor and the catchment, density and uplift maps are one small map per station site', async () => {
    const model = await svc.invoke('report.model', {});
    const ms = maps(model);
    const site = ms.find((m) => m.section === 'site')!;
    expect(widthM(site.bbox!)).toBeGreaterThan(45_000);
    expect(scaleBarM(site.svg)).toBeGreaterThanOrEqual(10_000);
    expect(ms.map((m) => m.section)).toEqual(['site', 'catchments', 'scenario-tod-moderate']);
    for (const [section, layer] of [['catchments', 'parcels'], ['scenario-tod-moderate', 'far']] as const) {
      const m = ms.find((x) => x.section === section)!;
      expect(m.caption).toContain('One map per station site');
      // Cells: a bold title, then a nested <svg> framed on that site.
      const cells = [...m.svg.matchAll(/<text[^>]*font-weight="600"[^>]*>([^<]+)<\/text><svg x="[\d.]+" y="[\d.]+" [^>]*>(.*?)<\/svg>/g)];
      expect(cells.map((c) => c[1])).toEqual(['Central', 'Far']);
      for (const c of cells) {
        // The other station's parcels are not in its map: the 64 parcels of one grid, not 128 (one subpath each).
        const parcels = new RegExp(`<g data-layer="${layer}"[^>]*><g[^>]*>(.*?)</g></g>`).exec(c[2])![1];
        expect((parcels.match(/M/g) ?? []).length).toBe(64);
        // The grid is 0.8 km across: a scale bar of a kilometre or less, not the corridor's tens of km.
        expect(scaleBarM(`<svg>${c[2]}`)).toBeLessThanOrEqual(1000);
      }
    }
  });

  it('an unknown station is an error that names the stations there are', async () => {
    await expect(svc.invoke('report.model', { station: 'Nowhere' })).rejects.toMatchObject({ code: 'E_INPUT_INVALID', message: expect.stringContaining('Central, Far') });
  });
});
