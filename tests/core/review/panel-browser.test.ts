/**
 * The review panel in Chromium against the real core: write, pin (the map stand-in returns a parcel
 * pick), resolve, reopen, delete, and an error shown with its code. What the panel did is read back
 * from the review file through the service, not from the page.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';
import { launchChromium } from '../../e2e/browser.js';

const canRun = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

describe.skipIf(!canRun)('review panel in the browser', () => {
  const dir = tmpDir();
  const svc = new EkimaeService({ strictOutputs: true });
  let browser: Browser, page: Page;

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.532, 13.8], [100.532, 13.802], [100.53, 13.802], [100.53, 13.8]]] } },
    ] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Panel Review' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    const pkg = (await svc.invoke('package.create', { out: join(dir, 'pkg') })).path;
    await svc.invoke('review.open', { package: pkg });
    const js = await build({
      entryPoints: [join(import.meta.dirname, 'panel-harness.ts')], bundle: true, format: 'iife', write: false, platform: 'browser',
      jsx: 'automatic', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent',
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.exposeFunction('ekimaeCall', (m: string, i: unknown) => svc.call(m, i));
    await page.setContent(`<!doctype html><meta charset="utf-8"><div id="root"></div><script>${js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script')}</script>`);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await svc.invoke('review.close', {});
  });

  it('adds a comment pinned to the picked parcel and numbers its pin', async () => {
    await page.getByText('No comments yet.').waitFor();
    const add = page.getByRole('button', { name: 'Pin on map and add' });
    expect(await add.isDisabled()).toBe(true); // no name, no text yet
    await page.getByLabel('Your name').fill('Council planner');
    await page.getByLabel('Comment').fill('Keep the shophouse frontage.');
    await page.evaluate(() => { window.pickNext = { lon: 100.5311, lat: 13.8012, layer: 'parcels', fid: 1 }; });
    await add.click();
    await page.getByText('Keep the shophouse frontage.').waitFor();
    const [c] = await svc.invoke('review.list', {});
    expect(c).toMatchObject({ author: 'Council planner', text: 'Keep the shophouse frontage.', lon: 100.5311, lat: 13.8012, layer: 'parcels', fid: 1, status: 'open' });
    expect(await page.getByLabel('Comment').inputValue()).toBe('');
    expect(await page.evaluate(() => window.pins.map((p) => [p.n, p.position]))).toEqual([[1, [100.5311, 13.8012]]]);
  });

  it('resolves, shows resolved on request, reopens and deletes', async () => {
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('No comments yet.').waitFor();
    expect((await svc.invoke('review.list', {}))[0].status).toBe('resolved');
    await page.getByLabel('Show resolved').check();
    await page.getByRole('button', { name: 'Reopen' }).click();
    await page.getByRole('button', { name: 'Resolve' }).waitFor();
    expect((await svc.invoke('review.list', {}))[0].status).toBe('open');
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No comments yet.').waitFor();
    expect(await svc.invoke('review.list', {})).toEqual([]);
  });

  it('shows the core\'s error code when the pick is outside the plan, and adds nothing', async () => {
    await page.getByLabel('Comment').fill('Far away');
    await page.evaluate(() => { window.pickNext = { lon: 101, lat: 14 }; });
    await page.getByRole('button', { name: 'Pin on map and add' }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^E_COORD_INVALID: /);
    expect(await svc.invoke('review.list', {})).toEqual([]);
    await page.evaluate(() => { window.pickNext = null; }); // cancelled pick: nothing happens
    await page.getByRole('button', { name: 'Pin on map and add' }).click();
    expect(await svc.invoke('review.list', {})).toEqual([]);
  });
});
