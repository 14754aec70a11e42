// The offline basemap in chromium (browser mode): a project of the Bang Sue sample's stations and rail,
// over a basemap made in the test from the sample's own buildings, walk network (as `roads`) and census
// zones, first as MBTiles (GDAL) then as PMTiles (the same tiles re-packed). The basemap is chosen in
// the layer panel with a typed path, switched off and on; its pixels are counted on maplibre's canvas;
// and every request the page makes goes to the loopback server (tiles travel through the token-checked
// API, never from a URL of their own). Screenshots in test-results/screenshots/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { makeVectorMbtiles, pmtilesFromMbtiles, SAMPLE_GPKG } from '../helpers/basemap.js';
import { BASEMAP_COLOURS } from '../../renderer/map/basemap-style.js';
import { closeApp, ensureRendererBuilt, mapIdle, openApp } from './browser.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 120_000;
const run = requireToolOrSkip('chromium') && requireToolOrSkip('ogr2ogr') && existsSync(SAMPLE_GPKG);

const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));

/** Pixels of maplibre's own canvas (the basemap and context layers; deck.gl draws on its own canvas) near each colour. */
async function countColours(page: Page, colours: Record<string, number[]>): Promise<Record<string, number>> {
  return page.evaluate((cols) => {
    const src = window.__ekimaeMap!.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    const g = c.getContext('2d')!;
    g.drawImage(src, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const out: Record<string, number> = {};
    for (const k of Object.keys(cols)) out[k] = 0;
    for (let i = 0; i < d.length; i += 4) {
      for (const [k, [r, gg, b]] of Object.entries(cols)) {
        if (Math.abs(d[i]! - r!) <= 3 && Math.abs(d[i + 1]! - gg!) <= 3 && Math.abs(d[i + 2]! - b!) <= 3) out[k]! += 1;
      }
    }
    return out;
  }, colours);
}

describe.skipIf(!run)('offline basemap in chromium', () => {
  const dir = tmpDir('ekimae-e2e-basemap-');
  const service = new EkimaeService();
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const requests: string[] = [];
  let mbtiles = '';
  let pmtiles = '';
  const colours = { building: hex(BASEMAP_COLOURS.building), road: hex(BASEMAP_COLOURS.road) };
  let withMbtiles: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const staticDir = ensureRendererBuilt();
    mbtiles = makeVectorMbtiles(dir);
    pmtiles = pmtilesFromMbtiles(mbtiles, join(dir, 'bang-sue.pmtiles'));
    const project = join(dir, 'stations.gpkg');
    await service.invoke('project.create', { path: project, settings: { name: 'Bang Sue basemap', country: 'TH', currency: 'THB', center: [100.5377, 13.8047] } });
    for (const [layer, role] of [['stations', 'stations'], ['rail', 'rail']] as const) {
      const f = join(dir, `${layer}.geojson`);
      execFileSync('ogr2ogr', ['-f', 'GeoJSON', f, SAMPLE_GPKG, layer]);
      await service.invoke('layers.import', { path: f, role, name: layer });
    }
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors }));
    page.on('request', (r) => requests.push(r.url()));
  }, WAIT);

  afterAll(async () => {
    await closeApp({ browser, server }, service);
  }, WAIT);

  it('without a basemap the map is the project layers on the plain background', async () => {
    await page.goto(server.url);
    await page.getByRole('checkbox', { name: 'Show layer stations' }).waitFor({ timeout: WAIT });
    await mapIdle(page, WAIT);
    // Around Krung Thep Aphiwat (Bang Sue Grand), where the sample's buildings are, at a street scale.
    await page.evaluate(() => window.__ekimaeMap!.map.jumpTo({ center: [100.5417, 13.8050], zoom: 15.3 }));
    await mapIdle(page, WAIT);
    await expect(page.getByText('No basemap: choose a local .pmtiles or .mbtiles file').count()).resolves.toBe(1);
    await expect(page.getByRole('checkbox', { name: 'Show the basemap' }).isDisabled()).resolves.toBe(true);
    const px = await countColours(page, colours);
    expect(px.building).toBe(0);
    await page.screenshot({ path: join(SHOTS, '40-basemap-none.png') });
  }, WAIT);

  it('draws a local MBTiles chosen by typed path under the plan', async () => {
    await page.getByRole('button', { name: 'Choose basemap file…' }).click();
    await page.getByRole('textbox', { name: 'Basemap file path (.pmtiles or .mbtiles)' }).fill(mbtiles);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await page.getByText('bang-sue-vector.mbtiles · MBTiles · vector · z12–15').waitFor({ timeout: WAIT });
    await mapIdle(page, WAIT);
    withMbtiles = await countColours(page, colours);
    // Thousands of building pixels and white road centres where there were none.
    expect(withMbtiles.building).toBeGreaterThan(5000);
    expect(withMbtiles.road).toBeGreaterThan(1000);
    await page.screenshot({ path: join(SHOTS, '41-basemap-mbtiles.png') });
    expect((await service.invoke('basemap.info', {})).path).toBe(mbtiles);
  }, WAIT);

  it('switches off (the plain map again) and on', async () => {
    const box = page.getByRole('checkbox', { name: 'Show the basemap' });
    await box.uncheck();
    await page.waitForFunction(() => !window.__ekimaeMap!.map.getSource('basemap'), undefined, { timeout: WAIT });
    await mapIdle(page, WAIT);
    expect((await countColours(page, colours)).building).toBe(0);
    expect((await service.invoke('basemap.info', {})).enabled).toBe(false);
    await box.check();
    await page.waitForFunction(() => !!window.__ekimaeMap!.map.getSource('basemap'), undefined, { timeout: WAIT });
    await mapIdle(page, WAIT);
    expect((await countColours(page, colours)).building).toBeGreaterThan(5000);
  }, WAIT);

  it('a PMTiles of the same tiles draws the same map', async () => {
    await page.getByRole('button', { name: 'Choose basemap file…' }).click();
    await page.getByRole('textbox', { name: 'Basemap file path (.pmtiles or .mbtiles)' }).fill(pmtiles);
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await page.getByText('bang-sue.pmtiles · PMTiles · vector · z12–15').waitFor({ timeout: WAIT });
    await mapIdle(page, WAIT);
    const px = await countColours(page, colours);
    console.log(`basemap pixels on the map canvas: MBTiles building ${withMbtiles.building}, road ${withMbtiles.road}; PMTiles building ${px.building}, road ${px.road}; off: building 0`);
    expect(Math.abs(px.building - withMbtiles.building)).toBeLessThanOrEqual(withMbtiles.building * 0.005);
    expect(Math.abs(px.road - withMbtiles.road)).toBeLessThanOrEqual(withMbtiles.road * 0.005);
    await page.screenshot({ path: join(SHOTS, '42-basemap-pmtiles.png') });
  }, WAIT);

  it('a file that is no tile archive is refused in plain words and the basemap stays', async () => {
    await page.getByRole('button', { name: 'Choose basemap file…' }).click();
    await page.getByRole('textbox', { name: 'Basemap file path (.pmtiles or .mbtiles)' }).fill(join(dir, 'stations.geojson'));
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await page.getByRole('alert').first().waitFor({ timeout: WAIT });
    expect((await service.invoke('basemap.info', {})).path).toBe(pmtiles);
    await page.getByText('bang-sue.pmtiles · PMTiles').waitFor({ timeout: WAIT });
  }, WAIT);

  it('every request of the page went to the loopback server; tiles came through the API', () => {
    const origin = new URL(server.url).origin;
    expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(requests.filter((u) => u.startsWith(`${origin}/api/call/basemap.tile`)).length).toBeGreaterThan(10);
    expect(errors).toEqual([]);
  });
});
