// Browser mode has no save dialog: exports reach the user as downloads. In chromium against the real
// server: a planner downloads one layer as GeoJSON, the master-plan report (PDF + HTML in a zip) and a
// signed plan package from the toolbar's Download dialog; a council reviewer opens that package, adds a
// comment and exports the comments as GeoJSON and as a GeoPackage (read back by GDAL). Each file is what playwright's
// download event saved; expectations come from the fixture grid and the comment typed, not from our export.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Download, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { hasTool, requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, mapIdle, openApp } from './browser.js';
import { makeProject, parcelAt, type ParcelGrid } from './fixture-project.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 60_000;
const GRID: ParcelGrid = { cols: 6, rows: 5, block: 70, street: 16 };
const PROJECT_NAME = 'Bang Sue (test)';
const COMMENT = 'Widen the footpath on this block to 4 m.';
const haveChromium = requireToolOrSkip('chromium');

/** Clicks `button` and returns the file chromium downloaded because of it, saved and complete. */
async function downloadBy(page: Page, click: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT }), click()]);
  const path = await download.path();
  expect(await download.failure()).toBeNull();
  return { download, bytes: readFileSync(path) };
}

describe.skipIf(!haveChromium)('downloads in chromium (browser mode)', () => {
  const dir = tmpDir('ekimae-e2e-downloads-');
  const service = new EkimaeService();
  const home = process.env.EKIMAE_HOME;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let projectPath: string;
  let packageZip: string;
  const consoleErrors: string[] = [];
  const target = parcelAt(GRID, 2, 3);
  const allParcelIds = Array.from({ length: GRID.cols * GRID.rows }, (_, k) => `P-${Math.floor(k / GRID.rows)}-${k % GRID.rows}`).sort();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    process.env.EKIMAE_HOME = join(dir, 'home');
    const staticDir = ensureRendererBuilt();
    ({ path: projectPath } = await makeProject(dir, { grid: GRID, preferSample: false }));
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors: consoleErrors }));
  }, 240_000);

  afterAll(async () => {
    await closeApp({ browser, server }, service);
    if (home === undefined) delete process.env.EKIMAE_HOME; else process.env.EKIMAE_HOME = home;
  });

  it('downloads one layer as GeoJSON, personal fields left out', async () => {
    await page.goto(server.loginUrl(`project=${encodeURIComponent(projectPath)}`));
    await page.getByRole('button', { name: 'Import data' }).waitFor({ timeout: WAIT });
    // Signed in by the one-time link: the app page's URL holds no token, the cookie does (HttpOnly).
    expect(page.url()).not.toContain(server.token);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'ekimae_token');
    expect(cookie && [cookie.httpOnly, cookie.sameSite]).toEqual([true, 'Strict']);
    const parcels = (await service.invoke('layers.list', {})).find((l) => l.name === 'parcels')!;
    expect(parcels.fields.find((f) => f.name === 'owner_name')?.personal).toBe(true);

    await page.getByRole('button', { name: 'Download…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Download from this project' });
    await dialog.waitFor({ timeout: WAIT });
    await dialog.getByLabel('Layer', { exact: true }).selectOption('parcels');
    await dialog.getByLabel('Format').selectOption('geojson');
    await page.screenshot({ path: join(SHOTS, 'downloads-00-dialog.png') });
    const { download, bytes } = await downloadBy(page, () => dialog.getByRole('button', { name: 'Download layers' }).click());
    expect(download.suggestedFilename()).toBe(`${PROJECT_NAME} parcels.geojson`);
    const fc = JSON.parse(bytes.toString('utf8')) as { features: Array<{ properties: Record<string, unknown>; geometry: { type: string } }> };
    expect(fc.features.map((f) => f.properties.parcel_id).sort()).toEqual(allParcelIds);
    expect(fc.features.every((f) => f.geometry.type === 'Polygon')).toBe(true);
    expect(fc.features.some((f) => 'owner_name' in f.properties)).toBe(false);
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await expect(page.getByText(`Downloaded ${PROJECT_NAME} parcels.geojson`).count()).resolves.toBe(1);
    // Fetched once, then gone from the server.
    await expect.poll(() => readdirSync(server.downloadDir).length, { timeout: WAIT }).toBe(0);
  }, 240_000);

  it('downloads the master-plan report as one zip holding its PDF and HTML', async () => {
    await page.getByRole('button', { name: 'Download…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Download from this project' });
    const { download, bytes } = await downloadBy(page, async () => {
      await dialog.getByRole('button', { name: 'Download report' }).click();
      await dialog.getByRole('status', { name: 'Preparing: Master-plan report' }).waitFor({ timeout: WAIT });
    });
    expect(download.suggestedFilename()).toBe(`${PROJECT_NAME} report.zip`);
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual([`${PROJECT_NAME} report.html`, `${PROJECT_NAME} report.pdf`]);
    expect(strFromU8(files[`${PROJECT_NAME} report.pdf`]!.subarray(0, 5))).toBe('%PDF-');
    const html = strFromU8(files[`${PROJECT_NAME} report.html`]!);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(PROJECT_NAME);
    expect(html).not.toContain('Owner 2-3');
  }, 300_000);

  it('downloads a signed plan package that the verifier accepts', async () => {
    await page.getByRole('button', { name: 'Download…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Download from this project' });
    const { download, bytes } = await downloadBy(page, () => dialog.getByRole('button', { name: 'Download plan package' }).click());
    expect(download.suggestedFilename()).toBe(`${PROJECT_NAME} plan package.zip`);
    packageZip = join(dir, 'downloaded', download.suggestedFilename());
    mkdirSync(join(dir, 'downloaded'), { recursive: true });
    writeFileSync(packageZip, bytes);
    const v = await service.invoke('package.verify', { path: packageZip });
    expect(v).toMatchObject({ ok: true, problems: [] });
    const files = unzipSync(new Uint8Array(bytes));
    expect(Object.keys(files).sort()).toEqual(['manifest.json', 'manifest.sig', 'plan.gpkg', 'report.html', 'report.pdf']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as { project: { name: string }; omittedPersonalFields: Array<{ layer: string; field: string }> };
    expect(manifest.project.name).toBe(PROJECT_NAME);
    expect(manifest.omittedPersonalFields).toContainEqual({ layer: 'parcels', field: 'owner_name' });
  }, 300_000);

  it('exports a reviewer\'s comment as GeoJSON and as a GeoPackage download', async () => {
    await page.getByLabel('Plan package file').setInputFiles(packageZip);
    await page.getByRole('region', { name: 'Plan package under review' }).waitFor({ timeout: WAIT });
    await page.getByRole('progressbar', { name: 'Loading…' }).waitFor({ state: 'detached', timeout: WAIT });
    await mapIdle(page, WAIT);
    const exportButton = page.getByRole('button', { name: 'Export for the consultant…' });
    await expect(exportButton.isDisabled()).resolves.toBe(true);

    await page.getByLabel('Your name').fill('Council planner');
    await page.getByLabel('Comment', { exact: true }).fill(COMMENT);
    await page.getByRole('button', { name: 'Pin on map and add' }).click();
    await page.getByRole('status', { name: 'Pinning a comment' }).waitFor({ timeout: WAIT });
    const [x, y] = await page.evaluate(([a, b]) => window.__ekimaeMap!.project(a, b), target.centre);
    const mapBox = (await page.getByRole('application', { name: 'Map of the station area' }).boundingBox())!;
    await page.mouse.click(mapBox.x + x, mapBox.y + y);
    await page.locator('.review-comments li').filter({ hasText: COMMENT }).waitFor({ timeout: WAIT });

    await exportButton.click();
    const formats = page.getByRole('group', { name: 'Export for the consultant…' });
    const geo = await downloadBy(page, () => formats.getByRole('button', { name: 'GeoJSON (.geojson)' }).click());
    expect(geo.download.suggestedFilename()).toBe('review-comments.geojson');
    const fc = JSON.parse(geo.bytes.toString('utf8')) as { features: Array<{ properties: Record<string, unknown>; geometry: { type: string; coordinates: number[] } }> };
    expect(fc.features).toHaveLength(1);
    const [c] = fc.features;
    expect(c!.properties).toMatchObject({ text: COMMENT, author: 'Council planner', layer: 'parcels', status: 'open' });
    expect(c!.geometry.type).toBe('Point');
    // Pinned on the clicked parcel: within its 70 m block.
    expect(Math.abs(c!.geometry.coordinates[0]! - target.centre[0]) * 108_100).toBeLessThan(35);
    expect(Math.abs(c!.geometry.coordinates[1]! - target.centre[1]) * 110_600).toBeLessThan(35);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Exported: review-comments.geojson' }).count(), { timeout: WAIT }).toBe(1);

    await exportButton.click();
    const gpkg = await downloadBy(page, () => formats.getByRole('button', { name: 'GeoPackage (.gpkg)' }).click());
    expect(gpkg.download.suggestedFilename()).toBe('review-comments.gpkg');
    expect(gpkg.bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    if (hasTool('ogrinfo')) {
      const saved = join(dir, 'comments.gpkg');
      await gpkg.download.saveAs(saved);
      const info = execFileSync('ogrinfo', ['-al', saved], { encoding: 'utf8' });
      expect(info).toMatch(/Feature Count: 1\b/);
      expect(info).toContain(COMMENT);
      expect(info).toContain('Council planner');
    }
    await page.screenshot({ path: join(SHOTS, 'downloads-01-review-export.png') });
    await expect.poll(() => readdirSync(server.downloadDir).length, { timeout: WAIT }).toBe(0);
    expect(consoleErrors).toEqual([]);
  }, 240_000);
});
