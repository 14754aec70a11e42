/**
 * Dense map layers drawn as images (core/report/raster-map.ts, svg-map.ts rasterLayer) and the cap
 * on per-station small maps (map-block.ts MAX_SITE_MAPS). The PNGs are read back by GDAL (an
 * independent decoder) and their pixels checked against what SVG's rules give by hand: a pixel is
 * painted when its centre is inside (even-odd), colours painted in the order the vector map writes
 * its paths (one per colour, in order of its first feature), lines with round ends.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { MAX_SITE_MAPS } from '../../../core/report/map-block.js';
import type { ReportModel } from '../../../core/report/model.js';
import { encodePng, rasterizeLines, rasterizePolygons, type Affine } from '../../../core/report/raster-map.js';
import { RASTER_MIN_FEATURES, renderSmallMultiples, renderSvgMap, type MapFeature } from '../../../core/report/svg-map.js';
import type { Geometry } from '../../../core/geo/geometry.js';
import { GRID, gridLayers } from '../../helpers/grid-project.js';
import { tmpDir } from '../../helpers/tmp.js';

const gdal = existsSync('/usr/bin/gdallocationinfo');
/** Lon/lat = page px (x = lon, y = lat): the hand cases are drawn in pixels. */
const PX: Affine = { cx: 0, cy: 0, lon0: 0, lat0: 0, kx: 1, ky: -1 };

/** The PNG's palette indices row by row (first row at the top), and its colour table, as GDAL reads them. */
function readPng(png: Buffer): { rows: number[][]; colours: string[] } {
  const f = join(tmpDir(), 'm.png');
  writeFileSync(f, png);
  const info = JSON.parse(execFileSync('gdalinfo', ['-json', f], { encoding: 'utf8' })) as { size: [number, number]; bands: Array<{ colorTable?: { entries: number[][] } }> };
  const [w, h] = info.size;
  // Pixel (column, line) of the file itself: no georeferencing to flip it.
  const at = Array.from({ length: w * h }, (_, k) => `${k % w} ${Math.floor(k / w)}`).join('\n');
  const values = execFileSync('gdallocationinfo', ['-valonly', f], { input: at, encoding: 'utf8' }).trim().split('\n').map(Number);
  const rows = Array.from({ length: h }, (_, j) => values.slice(j * w, (j + 1) * w));
  const colours = info.bands[0].colorTable!.entries.map((e) => `#${e.slice(0, 3).map((v) => v.toString(16).padStart(2, '0')).join('')}${e[3] === 0 ? ' transparent' : ''}`);
  return { rows, colours };
}

const square = (x0: number, y0: number, x1: number, y1: number): Array<[number, number]> => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe.skipIf(!gdal)('rasterizePolygons and rasterizeLines, read back by GDAL', () => {
  it('a square paints the pixels whose centres it holds; a hole (even-odd) stays clear; the palette is the fills, index 0 transparent', () => {
    // The square 1–5 holds the centres 1.5 … 4.5 (pixels 1–4); its hole 2–4 holds 2.5 and 3.5 (pixels 2–3).
    const g: Geometry = { type: 'Polygon', coordinates: [square(1, 1, 5, 5), square(2, 2, 4, 4)] };
    const r = rasterizePolygons([{ geometry: g, fill: '#ff0000' }], PX, 6, 6, 1)!;
    const { rows, colours } = readPng(r.png);
    expect(rows).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 1, 1, 1, 1, 0],
      [0, 1, 0, 0, 1, 0],
      [0, 1, 0, 0, 1, 0],
      [0, 1, 1, 1, 1, 0],
      [0, 0, 0, 0, 0, 0],
    ]);
    expect(colours.slice(0, 2)).toEqual(['#000000 transparent', '#ff0000']);
  });

  it('colours are painted in the vector map\'s order: every path of the first colour seen, then the next (a later red square stays under an earlier blue one)', () => {
    const feats = [
      { geometry: { type: 'Polygon', coordinates: [square(0, 0, 3, 3)] } as Geometry, fill: '#f00' },
      { geometry: { type: 'Polygon', coordinates: [square(2, 0, 5, 3)] } as Geometry, fill: '#0000ff' },
      { geometry: { type: 'Polygon', coordinates: [square(3, 0, 6, 3)] } as Geometry, fill: '#f00' },
    ];
    const { rows, colours } = readPng(rasterizePolygons(feats, PX, 6, 1, 1)!.png);
    // Red (1): pixels 0–2 and 3–5; blue (2) over them: pixels 2–4.
    expect(rows).toEqual([[1, 1, 2, 2, 2, 1]]);
    expect(colours.slice(1, 3)).toEqual(['#ff0000', '#0000ff']);
  });

  it('at 3 pixels a page px the same square covers 3 × 3 times the pixels', () => {
    const r = rasterizePolygons([{ geometry: { type: 'Polygon', coordinates: [square(1, 1, 2, 2)] }, fill: '#123456' }], PX, 3, 3, 3)!;
    const { rows } = readPng(r.png);
    expect([r.w, r.h]).toEqual([9, 9]);
    expect(rows.flat().filter((v) => v === 1).length).toBe(9);
    expect(rows[3].slice(3, 6)).toEqual([1, 1, 1]);
    expect(rows[2][3]).toBe(0);
  });

  it('a line 1 px wide: the pixels whose centre lies within 0.5 of it, round ends included', () => {
    // From (1, 2.5) to (6, 2.5): row 2's centres 1.5 … 5.5 lie on it, 0.5 and 6.5 exactly half a px from its ends; row 1's centres are 1 px away.
    const r = rasterizeLines([{ geometry: { type: 'LineString', coordinates: [[1, 2.5], [6, 2.5]] }, fill: '#00ff00' }], PX, 8, 5, 1, 1)!;
    expect(readPng(r.png).rows).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('a fill that is not a hex colour, or more than 255 colours, is refused (the map then stays vector)', () => {
    const g: Geometry = { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] };
    expect(rasterizePolygons([{ geometry: g, fill: 'rgb(1,2,3)' }], PX, 2, 2, 1)).toBeNull();
    const many = Array.from({ length: 256 }, (_, i) => ({ geometry: g, fill: `#${i.toString(16).padStart(6, '0')}` }));
    expect(rasterizePolygons(many, PX, 2, 2, 1)).toBeNull();
    expect(rasterizePolygons(many.slice(0, 255), PX, 2, 2, 1)).not.toBeNull();
  });

  it('encodePng: a valid PNG GDAL opens with the size and indices given', () => {
    const px = Uint8Array.from([0, 1, 2, 1, 0, 2]);
    const { rows, colours } = readPng(encodePng(px, 3, 2, [0xabcdef, 0x010203]));
    expect(rows).toEqual([[0, 1, 2], [1, 0, 2]]);
    expect(colours.slice(0, 3)).toEqual(['#000000 transparent', '#abcdef', '#010203']);
  });
});

describe('renderSvgMap: when a layer becomes an image', () => {
  // n squares of 0.6 × 0.6 page px in rows, in a frame of w × h page px (lon/lat scaled so the frame is what the map fits).
  const layer = (n: number, cols: number, withStroke = false): MapFeature[] => Array.from({ length: n }, (_, i) => {
    const x = (i % cols) * 0.001, y = Math.floor(i / cols) * 0.001;
    return { geometry: { type: 'Polygon' as const, coordinates: [square(x, y, x + 0.0006, y + 0.0006)] }, fill: i % 2 ? '#ff0000' : '#00ff00', ...(withStroke ? { stroke: '#000000' } : {}) };
  });
  const hasPaths = (svg: string) => /<g data-layer="p"[^>]*><g transform="scale/.test(svg);

  it('many small parcels (6 per px²) are one image; the same parcels on a map 25 times wider (0.01 per px²) stay paths; so do fewer than the minimum, and outlined features', () => {
    const feats = layer(RASTER_MIN_FEATURES, 50);
    const dense = renderSvgMap([{ name: 'p', style: {}, features: feats }], { width: 80, height: 50 });
    expect(dense).toMatch(/<image x="0" y="0" width="80" height="50" preserveAspectRatio="none" data-raster="240x150" href="data:image\/png;base64,/);
    expect(hasPaths(dense)).toBe(false);
    const sparse = renderSvgMap([{ name: 'p', style: {}, features: feats }], { width: 2000, height: 1250 });
    expect(sparse).not.toContain('<image');
    expect(hasPaths(sparse)).toBe(true);
    const few = renderSvgMap([{ name: 'p', style: {}, features: layer(RASTER_MIN_FEATURES - 1, 50) }], { width: 80, height: 50 });
    expect([few.includes('<image'), hasPaths(few)]).toEqual([false, true]);
    const outlined = renderSvgMap([{ name: 'p', style: {}, features: layer(RASTER_MIN_FEATURES, 50, true) }], { width: 80, height: 50 });
    expect([outlined.includes('<image'), hasPaths(outlined)]).toEqual([false, true]);
  });

  it('small maps count their figure: 30 dense cells of 1,000 parcels each are images, 20 of them (20,000 in all) stay paths', () => {
    const cell = (k: number): MapFeature[] => layer(1000, 40).map((f) => ({ ...f, geometry: { type: 'Polygon', coordinates: [(f.geometry as { coordinates: Array<Array<[number, number]>> }).coordinates[0].map(([x, y]) => [x + k, y] as [number, number])] } }));
    const figure = (n: number) => {
      const features = Array.from({ length: n }, (_, k) => cell(k)).flat();
      const maps = Array.from({ length: n }, (_, k) => ({ title: `S${k}`, bbox: [k - 0.0001, -0.0001, k + 0.0401, 0.0251] as [number, number, number, number] }));
      return renderSmallMultiples([{ name: 'p', style: {}, features }], maps, { width: 600, maxHeight: 700, minColumns: 6 });
    };
    expect(RASTER_MIN_FEATURES).toBe(25_000);
    const big = figure(30), small = figure(20);
    expect(big.match(/<image /g)?.length).toBe(30);
    expect(hasPaths(big)).toBe(false);
    expect(small).not.toContain('<image ');
    expect(hasPaths(small)).toBe(true);
  });

  it.skipIf(!gdal)('the image holds both fills and the transparent gaps between the squares', () => {
    const feats = layer(RASTER_MIN_FEATURES, 50);
    const svg = renderSvgMap([{ name: 'p', style: {}, features: feats }], { width: 80, height: 50 });
    const png = Buffer.from(/base64,([A-Za-z0-9+/=]+)"/.exec(svg)![1], 'base64');
    const { rows, colours } = readPng(png);
    const used = new Set(rows.flat());
    expect([...used].sort()).toEqual([0, 1, 2]);
    expect(colours.slice(1, 3).sort()).toEqual(['#00ff00', '#ff0000']);
  });
});

const maps = (m: ReportModel) => m.sections.flatMap((s) => s.blocks.map((b) => ({ section: s.id, b }))).flatMap(({ section, b }) => (b.kind === 'map' ? [{ section, ...b }] : []));

describe('a network of more station sites than small maps', () => {
  // Stations 6 km apart on a line, each in its own street grid: each its own site, drawn small by the line's overview.
  const STEP = 0.056;
  const shifted = <T extends { geometry: { coordinates: unknown } }>(fs: T[], dx: number): T[] => {
    const move = (c: unknown): unknown => (typeof (c as number[])[0] === 'number' ? [(c as number[])[0] + dx, (c as number[])[1]] : (c as unknown[]).map(move));
    return fs.map((f) => ({ ...f, geometry: { ...f.geometry, coordinates: move(f.geometry.coordinates) } }));
  };
  async function project(dir: string, stations: number): Promise<EkimaeService> {
    const a = gridLayers(1);
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
    const each = <T extends { geometry: { coordinates: unknown } }>(fs: T[]) => Array.from({ length: stations }, (_, i) => shifted(fs, i * STEP)).flat();
    writeFileSync(join(dir, 'streets.geojson'), fc(each(a.lines)));
    writeFileSync(join(dir, 'parcels.geojson'), fc(each(a.parcels).map((f, k) => ({ ...f, properties: { ...f.properties, parcel_id: `P${k}` } }))));
    writeFileSync(join(dir, 'stations.geojson'), fc(Array.from({ length: stations }, (_, i) => ({ type: 'Feature', properties: { station_id: `S${i}`, name: `Station ${i}` },
      geometry: { type: 'Point', coordinates: [GRID.LON0 + 4 * GRID.DLON + 0.00005 + i * STEP, GRID.LAT0 + 4 * GRID.DLAT] } }))));
    const svc = new EkimaeService();
    await svc.invoke('project.create', { path: join(dir, 'line.gpkg'), settings: { name: 'Line', country: 'TH', currency: 'THB' } });
    for (const [f, role] of [['streets', 'network'], ['parcels', 'parcels'], ['stations', 'stations']] as const) await svc.invoke('layers.import', { path: join(dir, `${f}.geojson`), role });
    await svc.invoke('catchment.run', {});
    return svc;
  }
  let over: ReportModel, under: ReportModel;
  beforeAll(async () => {
    const a = await project(tmpDir(), MAX_SITE_MAPS + 4), b = await project(tmpDir(), MAX_SITE_MAPS);
    try { over = await a.invoke('report.model', {}); under = await b.invoke('report.model', {}); } finally { a.close(); b.close(); }
  }, 240_000);

  it(`${MAX_SITE_MAPS} sites: one small map each; ${MAX_SITE_MAPS + 4}: the catchment map at the line's scale, saying why`, () => {
    const cells = (svg: string) => svg.match(/<svg x="[\d.]+" y="[\d.]+" /g)?.length ?? 0;
    const u = maps(under).find((m) => m.section === 'catchments')!, o = maps(over).find((m) => m.section === 'catchments')!;
    expect(cells(u.svg)).toBe(MAX_SITE_MAPS);
    expect(u.caption).toContain('One map per station site');
    expect(cells(o.svg)).toBe(0);
    expect(o.caption).toContain(`Drawn at the scale of the whole network: its ${MAX_SITE_MAPS + 4} station sites are too many for a map each (at most ${MAX_SITE_MAPS})`);
  });
});
