// The built renderer in Debian's chromium against the real core through the browser-mode server:
// open a project, toggle layers, inspect a parcel, change a role and undo it, import a file with
// bad geometry and read the problem in plain words. Screenshots go to test-results/screenshots/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, mapIdle, openApp } from './browser.js';
import { DEFAULT_GRID, LAND_USES, makeProject, parcelAt } from './fixture-project.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 20_000;
const haveChromium = requireToolOrSkip('chromium');

describe.skipIf(!haveChromium)('Ekimae in chromium (browser mode)', () => {
  const dir = tmpDir('ekimae-e2e-');
  const service = new EkimaeService();
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let projectPath: string;
  let sample = false;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const staticDir = ensureRendererBuilt();
    ({ path: projectPath, sample } = await makeProject(dir, { preferSample: false }));
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors: consoleErrors }));
  });

  afterAll(async () => {
    await closeApp({ browser, server }, service);
  });

  it('opens the project named in the URL and draws it', async () => {
    await page.goto(server.loginUrl(`project=${encodeURIComponent(projectPath)}`));
    await page.getByRole('checkbox', { name: 'Show layer parcels' }).waitFor({ timeout: WAIT });
    await page.getByRole('progressbar', { name: 'Loading…' }).waitFor({ state: 'detached', timeout: WAIT });
    await mapIdle(page, WAIT);
    const info = await service.invoke('project.info', {});
    expect(info.layers.map((l) => l.name).sort()).toEqual(['parcels', 'rail_lines', 'stations', 'streets']);
    const parcels = info.layers.find((l) => l.name === 'parcels')!;
    await expect(page.getByRole('button', { name: 'Select layer parcels' }).textContent()).resolves.toContain(`${parcels.count} features`);
    // The land-use legend lists the six classes the fixture cycles through.
    const legend = page.getByRole('list', { name: 'Legend: parcels' });
    for (const lu of LAND_USES) {
      await expect(legend.getByText(lu, { exact: true }).count()).resolves.toBe(1);
    }
    await page.screenshot({ path: join(SHOTS, '01-overview.png') });
    // A project file has nothing to reload from (that is a shared database project's button).
    await expect(page.getByRole('button', { name: /Reload from database/ }).count()).resolves.toBe(0);
    expect(consoleErrors).toEqual([]);
  });

  it('toggles a layer off and on', async () => {
    const box = page.getByRole('checkbox', { name: 'Show layer streets' });
    await box.uncheck();
    expect(await box.isChecked()).toBe(false);
    await expect(page.getByRole('list', { name: 'Legend: streets' }).count()).resolves.toBe(0);
    await mapIdle(page, WAIT);
    await page.screenshot({ path: join(SHOTS, '02-streets-hidden.png') });
    await box.check();
    await page.getByRole('list', { name: 'Legend: streets' }).waitFor({ timeout: WAIT });
  });

  it('inspects a clicked parcel, personal fields hidden', async () => {
    const target = parcelAt(DEFAULT_GRID, 3, 4);
    const [x, y] = await page.evaluate(([lon, lat]) => window.__ekimaeMap!.project(lon, lat), target.centre);
    const mapBox = (await page.getByRole('application', { name: 'Map of the station area' }).boundingBox())!;
    await page.mouse.click(mapBox.x + x, mapBox.y + y);
    const inspector = page.getByRole('region', { name: 'Inspector' });
    const attrs = inspector.getByRole('table', { name: 'Attributes' });
    await attrs.waitFor({ timeout: WAIT });
    await expect(attrs.getByRole('row', { name: /parcel_id/ }).textContent()).resolves.toContain('P-3-4');
    await expect(attrs.getByRole('row', { name: /land_use/ }).textContent()).resolves.toContain(target.properties.land_use);
    await expect(attrs.getByText('owner_name').count()).resolves.toBe(0);
    await expect(inspector.getByText(/Personal fields hidden: 1/).count()).resolves.toBe(1);
    await mapIdle(page, WAIT);
    await page.screenshot({ path: join(SHOTS, '03-inspector.png') });
  });

  it('changes a layer role and undoes it with Ctrl+Z, redoes with Ctrl+Shift+Z', async () => {
    const role = page.getByRole('combobox', { name: 'Role of stations' });
    await role.selectOption('other');
    await expect.poll(async () => (await service.invoke('layers.list', {})).find((l) => l.name === 'stations')!.role, { timeout: WAIT }).toBe('other');
    await page.getByRole('button', { name: 'Undo' }).waitFor({ state: 'visible' });
    await expect.poll(() => page.getByRole('button', { name: 'Undo' }).isEnabled(), { timeout: WAIT }).toBe(true);
    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await service.invoke('layers.list', {})).find((l) => l.name === 'stations')!.role, { timeout: WAIT }).toBe('stations');
    await expect.poll(() => role.inputValue(), { timeout: WAIT }).toBe('stations');
    // The role is restored inside the undo and the message set once it resolves: React may paint between the two.
    await expect.poll(() => page.getByRole('status', { name: 'status' }).textContent(), { timeout: WAIT }).toContain('Undone: role of stations');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => role.inputValue(), { timeout: WAIT }).toBe('other');
    await page.keyboard.press('Control+z');
    await expect.poll(() => role.inputValue(), { timeout: WAIT }).toBe('stations');
    const stations = (await service.invoke('layers.list', {})).find((l) => l.name === 'stations')!;
    expect(stations.role).toBe('stations');
    expect(stations.fieldMap.name).toBe('name');
  });

  it('imports a file with one broken polygon and explains the problem in plain words', async () => {
    const ok = parcelAt(DEFAULT_GRID, 0, 0).ring;
    const bad = join(dir, 'extra_parcels.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { parcel_id: 'X-1', land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: [ok] } },
      { type: 'Feature', properties: { parcel_id: 'X-2', land_use: 'commercial' }, geometry: { type: 'Polygon', coordinates: [[ok[0], ok[1], ok[0]]] } },
    ] }));
    await page.getByRole('button', { name: 'Import data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import data' });
    await dialog.getByLabel('Choose files').setInputFiles(bad);
    const issues = dialog.getByRole('region', { name: 'Problems found' });
    await issues.waitFor({ timeout: WAIT });
    await expect(issues.textContent()).resolves.toMatch(/feature 2/);
    await expect(issues.textContent()).resolves.toContain('left out');
    await expect(issues.textContent()).resolves.toMatch(/broken|Fix it in QGIS/);
    await page.screenshot({ path: join(SHOTS, '04-import-preview.png') });
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await dialog.getByText('Imported 1 layers.').waitFor({ timeout: WAIT });
    const layer = (await service.invoke('layers.list', {})).find((l) => l.name === 'extra_parcels');
    expect(layer?.count).toBe(1);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await page.getByRole('checkbox', { name: 'Show layer extra_parcels' }).waitFor({ timeout: WAIT });
  });

  it('refuses a file with no usable geometry and says what to do', async () => {
    const bad = join(dir, 'all_broken.geojson');
    writeFileSync(bad, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { id: 1 }, geometry: { type: 'Polygon', coordinates: [[[100.5, 13.8], [100.51, 13.8], [100.5, 13.8]]] } },
    ] }));
    const before = (await service.invoke('layers.list', {})).length;
    await page.getByRole('button', { name: 'Import data' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import data' });
    await dialog.getByLabel('Choose files').setInputFiles(bad);
    const alert = dialog.getByRole('alert');
    await alert.waitFor({ timeout: WAIT });
    await expect(alert.textContent()).resolves.toContain('No usable features were found in the file, so nothing was imported.');
    await expect(alert.textContent()).resolves.toContain('E_NO_FEATURES');
    await page.screenshot({ path: join(SHOTS, '05-import-error.png') });
    await expect(dialog.getByRole('button', { name: 'Import', exact: true }).isDisabled()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    expect((await service.invoke('layers.list', {})).length).toBe(before);
  });

  it('shows 3D massing by floors', async () => {
    await page.getByRole('checkbox', { name: '3D massing' }).check();
    await expect.poll(() => page.evaluate(() => window.__ekimaeMap!.map.getPitch()), { timeout: WAIT }).toBeGreaterThan(30);
    await mapIdle(page, WAIT);
    await page.screenshot({ path: join(SHOTS, '06-massing.png') });
    await page.getByRole('checkbox', { name: '3D massing' }).uncheck();
    expect(consoleErrors).toEqual([]);
    expect(sample).toBe(false);
  });

  it('runs a walk catchment and colours parcels by walking band', async () => {
    await page.getByRole('tab', { name: 'Walk catchment' }).click();
    await page.getByRole('button', { name: 'Run walk catchment' }).click();
    const table = page.getByRole('table', { name: 'Catchment bands' });
    await table.waitFor({ timeout: WAIT });
    const run = await service.invoke('catchment.results', {});
    // 5/10/15 min at 80 m/min for each of the two stations and for all stations together ('*').
    expect(run.bands.map((b) => `${b.stationId}:${b.bandM}`).sort()).toEqual(['*:1200', '*:400', '*:800', 'RN01:1200', 'RN01:400', 'RN01:800', 'RN02:1200', 'RN02:400', 'RN02:800']);
    await expect(table.getByRole('row').count()).resolves.toBe(run.bands.length + 1);
    await expect(page.getByRole('combobox', { name: 'Colour parcels by' }).inputValue()).resolves.toBe('band');
    // The legend counts parcels per band exactly as the core stored them.
    const stored = (await service.invoke('catchment.parcels', { runId: run.runId })).parcels;
    const within400 = stored.filter((p) => p.bandM === 400).length;
    expect(within400).toBeGreaterThan(0);
    const item = page.getByRole('list', { name: 'Legend: parcels' }).getByRole('listitem').filter({ hasText: 'within 400 m' });
    await item.waitFor({ timeout: WAIT });
    await expect(item.textContent()).resolves.toBe(`within 400 m${within400}`);
    await mapIdle(page, WAIT);
    await page.screenshot({ path: join(SHOTS, '07-catchment.png') });
  });

  it('changes a scenario rule: indicators and the map follow, undo restores them', async () => {
    await page.getByRole('tab', { name: 'Scenario' }).click();
    await page.getByRole('button', { name: 'Add default scenarios' }).click();
    const select = page.getByRole('combobox', { name: 'Scenario' });
    await expect.poll(() => select.inputValue(), { timeout: WAIT }).toBe('tod-moderate');
    const residents = page.getByTestId('indicator-residents');
    await expect.poll(() => residents.textContent(), { timeout: WAIT }).not.toBe('—');
    const before = await residents.textContent();
    // The same scenario evaluated by the core directly gives the number on screen.
    const direct = await service.invoke('scenario.evaluate', { id: 'tod-moderate', store: false, parcelLayer: 'parcels' });
    expect(before).toBe(Math.round(direct.indicators.total.residents).toLocaleString('en-US'));
    const rules = (await service.invoke('scenario.get', { id: 'tod-moderate' })).definition.rules;
    // The TOD rule of the 0–400 m band (today's zoning comes first and applies to every band, then is overridden).
    const n = rules.findIndex((r) => r.bands?.length === 1 && r.bands[0] === '0-400m') + 1;
    expect(n).toBeGreaterThan(0);

    await page.getByRole('combobox', { name: 'Colour parcels by' }).selectOption('scenarioFar');
    await page.getByRole('checkbox', { name: '3D massing' }).check();
    await mapIdle(page, WAIT);
    const mapBox = (await page.getByRole('application', { name: 'Map of the station area' }).boundingBox())!;
    const shotBefore = await page.screenshot({ clip: mapBox });
    const framesBefore = await page.evaluate(() => window.__ekimaeMap!.frames);

    const far = page.getByRole('spinbutton', { name: `Max FAR of rule ${n}` });
    await far.fill('12');
    await expect.poll(() => residents.textContent(), { timeout: WAIT }).not.toBe(before);
    const edited = { ...rules[n - 1], maxFar: 12 };
    const def = (await service.invoke('scenario.get', { id: 'tod-moderate' })).definition;
    const directAfter = await service.invoke('scenario.evaluate', { scenario: { ...def, rules: def.rules.map((r, i) => (i === n - 1 ? edited : r)) }, parcelLayer: 'parcels' });
    await expect.poll(() => residents.textContent(), { timeout: WAIT }).toBe(Math.round(directAfter.indicators.total.residents).toLocaleString('en-US'));
    await expect.poll(() => page.evaluate(() => window.__ekimaeMap!.frames), { timeout: WAIT }).toBeGreaterThan(framesBefore);
    await mapIdle(page, WAIT);
    expect((await page.screenshot({ clip: mapBox })).equals(shotBefore)).toBe(false);
    await page.screenshot({ path: join(SHOTS, '08-scenario-edited.png') });

    await page.locator('body').click({ position: { x: 5, y: 880 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => far.inputValue(), { timeout: WAIT }).toBe(String(rules[n - 1].maxFar));
    await expect.poll(() => residents.textContent(), { timeout: WAIT }).toBe(before);
    await page.getByRole('checkbox', { name: '3D massing' }).uncheck();
    expect(consoleErrors).toEqual([]);
  });

  it('runs land value capture for the scenario: NPV, cash flow and tornado', async () => {
    await page.getByRole('tab', { name: 'Land value capture' }).click();
    await page.getByRole('button', { name: 'Run land value capture' }).click();
    const npv = page.getByTestId('lvc-npv');
    await npv.waitFor({ timeout: WAIT * 3 });
    // The run the UI started is stored by the core; the figure on screen is its NPV.
    const [stored] = await service.invoke('lvc.results', { scenario: 'tod-moderate' });
    const v = stored!.result.summary.npv;
    const text = (await npv.textContent())!;
    const shown = Number(text.replace(/[^\d.-]/g, '')) * (/ bn$/.test(text) ? 1e9 : / m$/.test(text) ? 1e6 : 1) * (text.includes('-') ? 1 : 1);
    expect(Math.abs(shown - v) / Math.max(1, Math.abs(v))).toBeLessThan(0.06); // shown rounded to 0.1 m / 0.1 bn
    // One bar per year and instrument sign; zero-cost years draw empty bars, so count, don't wait for visibility.
    await expect.poll(() => page.getByRole('figure', { name: 'Cash flow by year' }).locator('.recharts-bar-rectangle').count(), { timeout: WAIT }).toBeGreaterThan(0);
    await page.screenshot({ path: join(SHOTS, '09-lvc.png') });
    await expect.poll(() => page.getByRole('figure', { name: 'NPV sensitivity (tornado)' }).locator('.recharts-bar-rectangle').count(), { timeout: WAIT })
      .toBeGreaterThan(0);
    expect(stored!.result.tornado.bars.some((b) => b.npvLow !== b.npvHigh)).toBe(true);
    await page.getByRole('tabpanel').evaluate((el) => { el.scrollTop = 0; });
    await page.screenshot({ path: join(SHOTS, '09-lvc.png') });
    expect(consoleErrors).toEqual([]);
  });
});
