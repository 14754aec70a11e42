// Council review through the UI in browser mode: a signed plan package made by the core is uploaded
// from the welcome page, shown read-only under a "verified" banner, commented on by clicking a parcel
// on the map (pin drawn, entry listed, comment stored on that parcel), still there after a reload,
// and the review closed. A tampered package is refused with the plain-words help.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, mapIdle, openApp } from './browser.js';
import { makeProject, parcelAt, type ParcelGrid } from './fixture-project.js';
import { newSigner, rawFingerprint, signManifest, type Signer } from '../helpers/craft-package.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 60_000;
const GRID: ParcelGrid = { cols: 6, rows: 5, block: 70, street: 16 };
const PIN_RGB = [214, 69, 40];
const haveChromium = requireToolOrSkip('chromium');

/** Pixels of the pin colour (±20 per channel) within `r` px of a map point, read from every canvas over the map. */
async function pinPixels(page: Page, lon: number, lat: number, r = 14): Promise<number> {
  return page.evaluate(([lon, lat, r, rgb]) => {
    const [x, y] = window.__ekimaeMap!.project(lon, lat);
    const map = document.querySelector('.map')!;
    const scratch = document.createElement('canvas');
    scratch.width = 2 * r; scratch.height = 2 * r;
    const g = scratch.getContext('2d')!;
    for (const c of map.querySelectorAll('canvas')) {
      const scale = c.width / c.getBoundingClientRect().width;
      g.drawImage(c, (x - r) * scale, (y - r) * scale, 2 * r * scale, 2 * r * scale, 0, 0, 2 * r, 2 * r);
    }
    const px = g.getImageData(0, 0, 2 * r, 2 * r).data;
    let n = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - rgb[0]) <= 20 && Math.abs(px[i + 1] - rgb[1]) <= 20 && Math.abs(px[i + 2] - rgb[2]) <= 20) n++;
    }
    return n;
  }, [lon, lat, r, PIN_RGB] as const);
}

const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe.skipIf(!haveChromium)('council review in chromium (browser mode)', () => {
  const dir = tmpDir('ekimae-e2e-review-');
  const service = new EkimaeService();
  const home = process.env.EKIMAE_HOME;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let zip: string;
  let zipSha: string;
  let parcelFid: number;
  let projectPath: string;
  const target = parcelAt(GRID, 2, 3);
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    process.env.EKIMAE_HOME = join(dir, 'home');
    const staticDir = ensureRendererBuilt();
    const { path } = await makeProject(dir, { grid: GRID, preferSample: false });
    projectPath = path;
    const maker = new EkimaeService();
    try {
      await maker.invoke('project.open', { path });
      const made = await maker.invoke('package.create', { out: join(dir, 'out', 'plan'), zip: true });
      zip = made.path;
      // The parcel the test clicks, found by its attribute (not through the UI).
      const fc = await maker.invoke('layers.features', { layer: 'parcels' });
      parcelFid = fc.features.find((f) => f.properties.parcel_id === target.properties.parcel_id)!.id!;
    } finally {
      maker.close();
    }
    zipSha = sha256(zip);
    ({ server, browser, page } = await openApp(service, { staticDir, uploadParent: dir, errors: consoleErrors }));
  }, 240_000);

  afterAll(async () => {
    await closeApp({ browser, server }, service);
    if (home === undefined) delete process.env.EKIMAE_HOME; else process.env.EKIMAE_HOME = home;
  });

  it('refuses a tampered package with plain-words help', async () => {
    // The signed package with one file added: still a good zip, but no longer what was signed.
    const files = unzipSync(readFileSync(zip));
    files['instructions.txt'] = new TextEncoder().encode('approve without reading');
    const bad = join(dir, 'tampered.zip');
    writeFileSync(bad, zipSync(files));
    await page.goto(server.loginUrl());
    await page.getByRole('region', { name: 'Open or create a project' }).waitFor({ timeout: WAIT });
    await page.getByLabel('Plan package file').setInputFiles(bad);
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: WAIT });
    const text = (await alert.textContent())!;
    expect(text).toContain('E_PACKAGE_INVALID');
    expect(text).toContain('instructions.txt');
    expect(text).toMatch(/ask the sender for a fresh copy/i);
    await expect(page.getByRole('region', { name: 'Plan package under review' }).count()).resolves.toBe(0);
    await page.getByText('Technical details').click();
    await page.screenshot({ path: join(SHOTS, 'review-00-refused.png') });
    await page.getByRole('button', { name: 'Dismiss' }).click();
  }, 240_000);

  it('opens the uploaded package read-only under a verified banner', async () => {
    await page.getByLabel('Plan package file').setInputFiles(zip);
    const banner = page.getByRole('region', { name: 'Plan package under review' });
    await banner.waitFor({ timeout: WAIT });
    // Made by this installation, so trusted by it: the banner names the signer and the key's fingerprint.
    const fp = rawFingerprint({ publicKeyPem: JSON.parse(Buffer.from(unzipSync(readFileSync(zip))['manifest.json']!).toString()).signature.publicKey } as Signer);
    expect(fp).toHaveLength(64);
    await expect(banner.textContent()).resolves.toContain(`Reviewing plan.zip (signed by this installation, key ${fp.replace(/(.{4})(?=.)/g, '$1 ')}, verified)`);
    await page.getByRole('checkbox', { name: 'Show layer parcels' }).waitFor({ timeout: WAIT });
    await page.getByRole('progressbar', { name: 'Loading…' }).waitFor({ state: 'detached', timeout: WAIT });
    // Edit controls are gone; the core holds the plan read-only.
    await expect(page.getByRole('button', { name: 'Import data' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Undo' }).count()).resolves.toBe(0);
    const info = await service.invoke('project.info', {});
    expect(info.readOnly).toBe(true);
    expect(info.layers.find((l) => l.name === 'parcels')!.count).toBe(GRID.cols * GRID.rows);
    await expect(page.getByText('No comments yet.').count()).resolves.toBe(1);
    await mapIdle(page, WAIT);
  }, 240_000);

  it('adds a comment by clicking a parcel: pin on the map, entry in the list, stored on that parcel', async () => {
    const [lon, lat] = target.centre;
    expect(await pinPixels(page, lon, lat)).toBeLessThan(5);
    await page.getByLabel('Your name').fill('Council planner');
    await page.getByLabel('Comment', { exact: true }).fill('Keep the canal-side walkway open to the public.');
    await page.getByRole('button', { name: 'Pin on map and add' }).click();
    await page.getByRole('status', { name: 'Pinning a comment' }).waitFor({ timeout: WAIT });
    const [x, y] = await page.evaluate(([a, b]) => window.__ekimaeMap!.project(a, b), target.centre);
    const mapBox = (await page.getByRole('application', { name: 'Map of the station area' }).boundingBox())!;
    await page.mouse.click(mapBox.x + x, mapBox.y + y);
    const entry = page.locator('.review-comments li').filter({ hasText: 'Keep the canal-side walkway open to the public.' });
    await entry.waitFor({ timeout: WAIT });
    await expect(entry.textContent()).resolves.toContain(`Council planner`);
    await expect(entry.textContent()).resolves.toContain(`on parcels #${parcelFid}`);
    await page.getByRole('status', { name: 'Pinning a comment' }).waitFor({ state: 'detached', timeout: WAIT });

    const [c, ...rest] = await service.invoke('review.list', {});
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ author: 'Council planner', layer: 'parcels', fid: parcelFid, status: 'open', currentPackage: true });
    // Pinned where the click landed: the parcel's centre, give or take the 1.5 px a click is rounded to.
    const [, y100] = await page.evaluate(([a, b]) => window.__ekimaeMap!.project(a, b + 100 / 110_600), target.centre);
    const metresPerPx = 100 / Math.abs(y - y100);
    expect(Math.abs(c.lon - lon) * 108_100).toBeLessThan(1.5 * metresPerPx);
    expect(Math.abs(c.lat - lat) * 110_600).toBeLessThan(1.5 * metresPerPx);

    await mapIdle(page, WAIT);
    await expect.poll(() => pinPixels(page, c.lon, c.lat), { timeout: WAIT }).toBeGreaterThan(60);
    await page.screenshot({ path: join(SHOTS, 'review-01-comment.png') });
  }, 240_000);

  it('shows the review, its comment and pin again after a reload', async () => {
    await page.reload();
    const banner = page.getByRole('region', { name: 'Plan package under review' });
    await banner.waitFor({ timeout: WAIT });
    await expect(banner.textContent()).resolves.toContain('Reviewing plan.zip');
    const entry = page.locator('.review-comments li').filter({ hasText: 'Keep the canal-side walkway open to the public.' });
    await entry.waitFor({ timeout: WAIT });
    await page.getByRole('progressbar', { name: 'Loading…' }).waitFor({ state: 'detached', timeout: WAIT });
    await mapIdle(page, WAIT);
    const [c] = await service.invoke('review.list', {});
    await expect.poll(() => pinPixels(page, c.lon, c.lat), { timeout: WAIT }).toBeGreaterThan(60);
    await page.screenshot({ path: join(SHOTS, 'review-02-reloaded.png') });
  }, 240_000);

  it('cancels pinning with Esc, and a resolved comment leaves the map', async () => {
    const before = (await service.invoke('review.list', {})).length;
    await page.getByLabel('Comment', { exact: true }).fill('Not this one.');
    await page.getByRole('button', { name: 'Pin on map and add' }).click();
    const hint = page.getByRole('status', { name: 'Pinning a comment' });
    await hint.waitFor({ timeout: WAIT });
    await page.keyboard.press('Escape');
    await hint.waitFor({ state: 'detached', timeout: WAIT });
    expect((await service.invoke('review.list', {})).length).toBe(before);

    const [c] = await service.invoke('review.list', {});
    const entry = page.locator('.review-comments li').filter({ hasText: c.text });
    await entry.getByRole('button', { name: 'Resolve' }).click();
    await entry.waitFor({ state: 'detached', timeout: WAIT });
    await expect.poll(async () => (await service.invoke('review.list', {}))[0].status, { timeout: WAIT }).toBe('resolved');
    await mapIdle(page, WAIT);
    await expect.poll(() => pinPixels(page, c.lon, c.lat), { timeout: WAIT }).toBeLessThan(5);
    await page.getByLabel('Show resolved').check();
    await entry.getByRole('button', { name: 'Reopen' }).click();
    await expect.poll(async () => (await service.invoke('review.list', {}))[0].status, { timeout: WAIT }).toBe('open');
    await mapIdle(page, WAIT);
    await expect.poll(() => pinPixels(page, c.lon, c.lat), { timeout: WAIT }).toBeGreaterThan(60);
  }, 240_000);

  it('closes the review: back to the welcome page, the package untouched, the comment kept in the review file', async () => {
    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByRole('region', { name: 'Open or create a project' }).waitFor({ timeout: WAIT });
    await expect(service.invoke('review.list', {})).rejects.toMatchObject({ code: 'E_PROJECT_NOT_OPEN' });
    expect(sha256(zip)).toBe(zipSha);
    // Uploading the same package again resumes its comments from the review file beside the upload.
    await page.getByLabel('Plan package file').setInputFiles(zip);
    await page.locator('.review-comments li').filter({ hasText: 'Keep the canal-side walkway open to the public.' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByRole('region', { name: 'Open or create a project' }).waitFor({ timeout: WAIT });
  }, 240_000);

  it('reviews from the toolbar of an open project and goes back to that project, editable', async () => {
    const welcome = page.getByRole('region', { name: 'Open or create a project' });
    await welcome.getByLabel('Project file path').fill(projectPath);
    await welcome.getByRole('button', { name: 'Open project' }).click();
    await page.getByRole('button', { name: 'Import data' }).waitFor({ timeout: WAIT });
    await page.getByLabel('Plan package file').setInputFiles(zip);
    await page.getByRole('region', { name: 'Plan package under review' }).waitFor({ timeout: WAIT });
    await expect(page.getByRole('button', { name: 'Import data' }).count()).resolves.toBe(0);
    expect((await service.invoke('project.info', {})).readOnly).toBe(true);
    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByRole('button', { name: 'Import data' }).waitFor({ timeout: WAIT });
    await expect(page.getByRole('region', { name: 'Plan package under review' }).count()).resolves.toBe(0);
    const info = await service.invoke('project.info', {});
    expect(info.path).toBe(projectPath);
    expect(info.readOnly).toBe(false);
    expect(consoleErrors).toEqual([]);
  }, 240_000);

  it('asks before trusting a package signed by an unknown key: Cancel opens nothing; trusting it by name pins it and opens', async () => {
    // The same plan re-signed by another key claiming a consultant's name (issue #16: any signer used to pass).
    const { 'manifest.json': _m, 'manifest.sig': _s, ...files } = unzipSync(readFileSync(zip));
    const other = newSigner();
    const resigned = join(dir, 'resigned.zip');
    writeFileSync(resigned, zipSync(signManifest(files, other, 'Nippon Koei')));
    const groups = rawFingerprint(other).replace(/(.{4})(?=.)/g, '$1 ');
    await page.getByLabel('Plan package file').setInputFiles(resigned);
    const dialog = page.getByRole('alertdialog', { name: 'Trust this signer?' });
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.getByTestId('signer-fingerprint').textContent()).resolves.toBe(groups);
    await page.screenshot({ path: join(SHOTS, 'review-03-unknown-signer.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached', timeout: WAIT });
    await expect(page.getByRole('region', { name: 'Plan package under review' }).count()).resolves.toBe(0);
    expect((await service.invoke('keys.list', {}))).toEqual([]);

    await page.getByLabel('Plan package file').setInputFiles(resigned);
    await dialog.waitFor({ timeout: WAIT });
    await expect(dialog.getByLabel("Signer's name").inputValue()).resolves.toBe('Nippon Koei');
    await dialog.getByLabel("Signer's name").fill('Nippon Koei (Bangkok office)');
    await dialog.getByRole('button', { name: 'Trust this key and open' }).click();
    const banner = page.getByRole('region', { name: 'Plan package under review' });
    await banner.waitFor({ timeout: WAIT });
    await expect(banner.textContent()).resolves.toContain(`Reviewing resigned.zip (signed by Nippon Koei (Bangkok office), key ${groups}, verified)`);
    expect(await service.invoke('keys.list', {})).toEqual([expect.objectContaining({ name: 'Nippon Koei (Bangkok office)', fingerprint: rawFingerprint(other), source: 'first-use' })]);
    await page.screenshot({ path: join(SHOTS, 'review-04-trusted-signer.png') });
    await page.getByRole('button', { name: 'Close review' }).click();
    await page.getByRole('button', { name: 'Import data' }).waitFor({ timeout: WAIT });
  }, 240_000);
});
