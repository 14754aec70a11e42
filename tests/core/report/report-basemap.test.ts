/**
 * The report's site map over the project's basemap. The archive is made from the Bang Sue sample's
 * buildings, walk network and census zones with GDAL; the check is geometric and independent of our
 * tile code: the centre of each sample building (read by ogr2ogr from the sample GeoPackage), projected
 * with the map's own projector, falls inside the building paths the report drew. Then the HTML written
 * through Chromium carries the drawing and links nothing outside itself.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { makeProjector } from '../../../core/report/svg-map.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { BASEMAP_COLOURS } from '../../../core/basemap/kinds.js';
import type { BBox } from '../../../core/geo/geometry.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';
import { makeRasterMbtiles, makeVectorMbtiles, pmtilesFromMbtiles, SAMPLE_GPKG } from '../../helpers/basemap.js';

const run = requireToolOrSkip('ogr2ogr') && existsSync(SAMPLE_GPKG);

/** Rings of an SVG path written as M x y L x y … Z. */
function rings(d: string): Array<Array<[number, number]>> {
  return d.split('M').filter(Boolean).map((r) => r.replace(/Z$/, '').split('L').map((p) => p.trim().split(/\s+/).map(Number) as [number, number]));
}
function insideAny(pt: [number, number], rs: Array<Array<[number, number]>>): boolean {
  for (const ring of rs) {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!, [xj, yj] = ring[j]!;
      if ((yi > pt[1]) !== (yj > pt[1]) && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) c = !c;
    }
    if (c) return true;
  }
  return false;
}

function siteMap(model: { sections: Array<{ id: string; blocks: Array<{ kind: string; svg?: string; bbox?: BBox; caption?: string }> }> }) {
  return model.sections.find((s) => s.id === 'site')!.blocks.find((b) => b.kind === 'map')!;
}

describe.skipIf(!run)('report basemap', () => {
  const dir = tmpDir('ekimae-report-basemap-');
  const svc = new EkimaeService();
  let mbtiles = '';

  beforeAll(async () => {
    mbtiles = makeVectorMbtiles(dir);
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Basemap Report', country: 'TH', currency: 'THB' } });
    for (const [layer, role] of [['stations', 'stations'], ['rail', 'rail']] as const) {
      const f = join(dir, `${layer}.geojson`);
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', f, SAMPLE_GPKG, layer]);
      await svc.invoke('layers.import', { path: f, role, name: layer });
    }
  }, 60_000);

  it('without a basemap the site map has none', async () => {
    const m = siteMap(await svc.invoke('report.model', {}));
    expect(m.svg).not.toContain('data-layer="basemap"');
    expect(m.caption).not.toContain('Basemap');
  });

  it('draws the sample buildings where they are: building centres fall inside the drawn building paths', async () => {
    await svc.invoke('basemap.set', { path: mbtiles });
    const m = siteMap(await svc.invoke('report.model', {}));
    expect(m.caption).toContain('Basemap: bang-sue-vector.mbtiles.');
    const svg = m.svg!;
    const [, , w, h] = /viewBox="([\d.\s]+)"/.exec(svg)![1]!.split(' ').map(Number);
    const P = makeProjector(m.bbox!, w!, h!);
    const base = /<g data-layer="basemap">([\s\S]*?)<\/g>/.exec(svg)![1]!;
    const building = [...base.matchAll(/<path d="([^"]+)" fill="([^"]+)"/g)].filter((x) => x[2] === BASEMAP_COLOURS.building).map((x) => x[1]!);
    expect(building.length).toBe(1);
    const rs = rings(building[0]!);
    const gj = JSON.parse(execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', SAMPLE_GPKG, 'buildings', '-limit', '200'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as { features: Array<{ geometry: { coordinates: number[][][][] } }> };
    let tried = 0, hit = 0;
    for (const f of gj.features) {
      const ring = f.geometry.coordinates[0]![0]!;
      // The mean of a small building's outer ring lies inside it (they are convex-ish blocks).
      const c = ring.slice(0, -1).reduce((a, p) => [a[0] + p[0]! / (ring.length - 1), a[1] + p[1]! / (ring.length - 1)], [0, 0]);
      const [x, y] = P.project(c as [number, number]);
      if (x < 0 || y < 0 || x > w! || y > h!) continue;
      tried++;
      if (insideAny([x, y], rs)) hit++;
    }
    expect(tried).toBeGreaterThan(100);
    // A building 20 m across is a few px here; GDAL's tile simplification may drop a sliver or two.
    expect(hit / tried).toBeGreaterThan(0.9);
    expect(base).toContain(`fill="${BASEMAP_COLOURS.otherFill}"`); // census zones, unknown name, drawn by geometry type
    expect(base).toContain(`stroke="${BASEMAP_COLOURS.road}"`); // the walk network renamed roads
  });

  it('a PMTiles of the same tiles draws the same site map', async () => {
    const a = siteMap(await svc.invoke('report.model', {})).svg;
    await svc.invoke('basemap.set', { path: pmtilesFromMbtiles(mbtiles, join(dir, 'same.pmtiles')) });
    expect(siteMap(await svc.invoke('report.model', {})).svg).toBe(a);
    await svc.invoke('basemap.set', { path: mbtiles });
  });

  it('a raster basemap is embedded as data: images, one per tile', async () => {
    await svc.invoke('basemap.set', { path: makeRasterMbtiles(dir) });
    const svg = siteMap(await svc.invoke('report.model', {})).svg!;
    const imgs = [...svg.matchAll(/<image [^>]*href="([^"]{0,30})/g)].map((x) => x[1]);
    expect(imgs.length).toBeGreaterThan(0);
    for (const i of imgs) expect(i!.startsWith('data:image/png;base64,iVBOR')).toBe(true);
    await svc.invoke('basemap.set', { path: mbtiles });
  });

  it('switched off, the report has no basemap', async () => {
    await svc.invoke('basemap.set', { enabled: false });
    expect(siteMap(await svc.invoke('report.model', {})).svg).not.toContain('data-layer="basemap"');
    await svc.invoke('basemap.set', { enabled: true });
  });

  it('a basemap file gone since: the report is still made, and its caption says why there is no basemap (file name only)', async () => {
    const gone = join(dir, 'gone.mbtiles');
    copyFileSync(mbtiles, gone);
    await svc.invoke('basemap.set', { path: gone });
    rmSync(gone);
    const m = siteMap(await svc.invoke('report.model', {}));
    expect(m.svg).not.toContain('data-layer="basemap"');
    expect(m.caption).toContain('Basemap not drawn: gone.mbtiles is missing (E_FILE_NOT_FOUND).');
    expect(m.caption).not.toContain(dir);
    await svc.invoke('basemap.set', { path: mbtiles });
  });

  it.skipIf(!requireToolOrSkip('chromium') || !existsSync(REPORT_PAGE))('the HTML report carries the basemap drawing and no outside URL', async () => {
    const out = await svc.invoke('report.generate', { outDir: join(dir, 'out'), html: true, pdf: true });
    const html = readFileSync(out.html!, 'utf8');
    expect(html).toContain('data-layer="basemap"');
    expect(html).toContain(`fill="${BASEMAP_COLOURS.building}"`);
    expect(html).not.toMatch(/(src|href)="(https?:|\/\/)/i);
    expect(html).not.toMatch(/url\((['"]?)(https?:|\/\/)/i);
    // The only http: strings are XML namespace names, which nothing fetches.
    expect([...new Set(html.match(/https?:\/\/[^\s"')<]+/g) ?? [])].filter((u) => !/^http:\/\/www\.w3\.org\//.test(u))).toEqual([]);
  }, 120_000);

  it.skipIf(!requireToolOrSkip('chromium') || !existsSync(REPORT_PAGE))('a plan package carries the basemap in its report but not the sender\'s basemap path', async () => {
    const out = join(dir, 'package');
    const r = await svc.invoke('package.create', { out });
    expect(readFileSync(join(r.path, 'report.html'), 'utf8')).toContain('data-layer="basemap"');
    const db = new Database(join(r.path, 'plan.gpkg'), { readonly: true });
    const keys = (db.prepare('SELECT key FROM ekimae_settings').all() as Array<{ key: string }>).map((k) => k.key);
    db.close();
    expect(keys).toContain('name');
    expect(keys).not.toContain('basemap');
    expect(readFileSync(join(r.path, 'plan.gpkg')).includes(Buffer.from(dir))).toBe(false);
    // The sender's project keeps its basemap.
    expect((await svc.invoke('basemap.info', {})).path).toBe(mbtiles);
  }, 180_000);
});
