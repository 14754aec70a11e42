// The horizon control on the Bang Sue sample (issue #12): the scenario's band chart and the parcel map
// show the projected take-up of the last horizon by default, labelled "projected <year>"; moving the
// control to "capacity" or an earlier year changes the chart's values (checked against growth.parcels and
// the scenario's own evaluation), its caption and legend, the map legend and the map itself.
// Screenshots in test-results/screenshots/.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, mapIdle, openApp } from './browser.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 180_000;
// Software WebGL (SwiftShader) takes seconds per frame for 15k parcels on two busy cores.
const SLOW = 600_000;
const SAMPLE = join(process.cwd(), 'sample-data', 'bang-sue.gpkg');
const run = requireToolOrSkip('chromium') && existsSync(SAMPLE);

describe.skipIf(!run)('horizon control on the Bang Sue sample in chromium', () => {
  const dir = tmpDir('ekimae-e2e-horizon-');
  const service = new EkimaeService();
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const staticDir = ensureRendererBuilt();
    const path = join(dir, 'bang-sue.gpkg');
    copyFileSync(SAMPLE, path);
    await service.invoke('project.open', { path });
    // The walk catchment and the default scenarios as a planner would have them before choosing a horizon.
    await service.invoke('catchment.run', {});
    if (!(await service.invoke('scenario.list', {})).length) await service.invoke('scenario.defaults', {});
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors }));
  }, SLOW);

  afterAll(async () => {
    await closeApp({ browser, server }, service);
  }, SLOW);

  /** The band chart's values as the page shows them: band → [residents, jobs, floor area]. */
  const chartValues = async () => Object.fromEntries(await page.getByTestId('band-chart-values').locator('tr').evaluateAll((rows) =>
    rows.map((r) => [r.querySelector('th')!.textContent, Array.from(r.querySelectorAll('td'), (td) => Number(td.textContent))])));
  const figures = (bands: Array<{ band: string; f: { residents: number; jobs: number; floorAreaM2: number } }>) =>
    Object.fromEntries(bands.map((b) => [b.band, [Math.round(b.f.residents), Math.round(b.f.jobs), Math.round(b.f.floorAreaM2)]]));
  const mapLegend = () => page.locator('.legend').allTextContents().then((xs) => xs.join(' | '));
  const chartLegend = () => page.locator('.band-chart .recharts-legend-wrapper').textContent();

  it('shows projected take-up at the last horizon by default, and capacity or an earlier year when the control moves', async () => {
    const growth = (await service.invoke('growth.get', {})).settings;
    const last = growth.horizons.at(-1)!;
    const first = growth.horizons[0]!;
    const want = await service.invoke('growth.parcels', { id: 'tod-moderate' });
    const ev = await service.invoke('scenario.evaluate', { id: 'tod-moderate', store: false });

    await page.goto(server.loginUrl());
    await page.locator('.layer-list').waitFor({ timeout: WAIT });
    // The first draw of 15k parcels in software WebGL on a busy machine.
    await mapIdle(page, 180_000);
    await page.getByRole('tab', { name: 'Scenario' }).click();
    const select = page.getByRole('combobox', { name: 'Scenario' });
    await select.waitFor({ timeout: WAIT });
    await select.selectOption('tod-moderate');

    // Default: the last horizon, projected; never capacity unasked.
    const value = page.getByTestId('horizon-value');
    await expect.poll(() => value.textContent(), { timeout: WAIT }).toBe(`projected ${last}`);
    const slider = page.getByRole('slider', { name: 'Horizon: projected year or capacity' });
    await expect(slider.inputValue()).resolves.toBe(String(growth.horizons.length - 1));
    await expect.poll(() => page.getByTestId('band-chart-caption').textContent(), { timeout: WAIT }).toContain(`projected ${last}`);
    await expect.poll(chartValues, { timeout: WAIT }).toEqual(figures(want.bands.map((b) => ({ band: b.band, f: b.horizons.at(-1)! }))));
    await expect(chartLegend()).resolves.toContain(`Residents, projected ${last}`);
    await expect(chartLegend()).resolves.not.toContain('capacity');
    // The indicator cards are the scenario's evaluation: each says it is capacity.
    await expect(page.getByTestId('indicator-kind-residents').textContent()).resolves.toBe('capacity');
    const projected = await chartValues();

    const colourBy = page.getByRole('combobox', { name: 'Colour parcels by' });
    await colourBy.selectOption('scenarioFar');
    await expect(colourBy.locator('option:checked').textContent()).resolves.toBe(`Scenario FAR (projected ${last})`);
    await expect.poll(mapLegend, { timeout: WAIT }).toContain(`(projected ${last})`);
    await mapIdle(page, WAIT);
    const mapBox = (await page.getByRole('application', { name: 'Map of the station area' }).boundingBox())!;
    const shotProjected = await page.screenshot({ clip: mapBox });
    await page.screenshot({ path: join(SHOTS, '30-horizon-projected.png') });

    // Capacity: the explicit alternative, with the evaluation's own figures by band.
    await slider.fill(String(growth.horizons.length));
    await expect.poll(() => value.textContent(), { timeout: WAIT }).toBe('capacity');
    await expect.poll(() => page.getByTestId('band-chart-caption').textContent(), { timeout: WAIT }).toContain('capacity');
    const capacity = await chartValues();
    expect(capacity).toEqual(figures(want.bands.map((b) => ({ band: b.band, f: b.capacity }))));
    for (const b of ev.indicators.bands) expect(capacity[b.band]![0]).toBe(Math.round(b.indicators.residents));
    expect(capacity).not.toEqual(projected);
    await expect(chartLegend()).resolves.toContain('Residents, capacity');
    await expect(chartLegend()).resolves.not.toContain('projected');
    await expect.poll(mapLegend, { timeout: WAIT }).toContain('(capacity)');
    await expect(mapLegend()).resolves.not.toContain('projected');
    await expect(colourBy.locator('option:checked').textContent()).resolves.toBe('Scenario FAR (capacity)');
    await mapIdle(page, WAIT);
    expect((await page.screenshot({ clip: mapBox })).equals(shotProjected)).toBe(false);
    await page.screenshot({ path: join(SHOTS, '31-horizon-capacity.png') });

    // The first horizon: less built than by the last.
    await slider.fill('0');
    await expect.poll(() => value.textContent(), { timeout: WAIT }).toBe(`projected ${first}`);
    const early = await chartValues();
    expect(early).toEqual(figures(want.bands.map((b) => ({ band: b.band, f: b.horizons[0]! }))));
    const sum = (v: Record<string, number[]>, k: number) => Object.values(v).reduce((a, x) => a + x[k]!, 0);
    expect(sum(early, 2)).toBeLessThan(sum(projected, 2));
    expect(sum(projected, 2)).toBeLessThan(sum(capacity, 2));
    await expect(chartLegend()).resolves.toContain(`Residents, projected ${first}`);
    await expect.poll(mapLegend, { timeout: WAIT }).toContain(`(projected ${first})`);
    await mapIdle(page, WAIT);
    await page.screenshot({ path: join(SHOTS, '32-horizon-first.png') });
    expect(errors).toEqual([]);
  }, SLOW);
});
