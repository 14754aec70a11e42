// Reports follow the app's language: in chromium against the real server, a planner switches the UI to
// 日本語 and asks for the report and the plan package from the Download dialog; the requests the page
// sends carry lang "ja". Choosing ไทย as the report language in the dialog overrides it (lang "th").
// The requests are caught at the network and not run: what is tested is what the UI asks the core for.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import type { RunningServer } from '../../core/api/transports/http-server.js';
import { ja } from '../../renderer/i18n/ja.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { tmpDir } from '../helpers/tmp.js';
import { closeApp, ensureRendererBuilt, openApp } from './browser.js';
import { makeProject, type ParcelGrid } from './fixture-project.js';

const SHOTS = 'test-results/screenshots';
const WAIT = 60_000;
const GRID: ParcelGrid = { cols: 3, rows: 3, block: 70, street: 16 };
const haveChromium = requireToolOrSkip('chromium');

describe.skipIf(!haveChromium)('report language in chromium (browser mode)', () => {
  const dir = tmpDir('ekimae-e2e-report-lang-');
  const service = new EkimaeService();
  const home = process.env.EKIMAE_HOME;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let projectPath: string;
  const consoleErrors: string[] = [];
  const sent: Array<{ method: string; input: Record<string, unknown> }> = [];

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

  /** Clicks a download button and returns what the page asked the server to run. */
  async function requestOf(click: () => Promise<void>) {
    const n = sent.length;
    await click();
    await expect.poll(() => sent.length, { timeout: WAIT }).toBe(n + 1);
    return sent[n];
  }

  it('the UI in Japanese: report and package are asked for in Japanese; a Thai override wins', async () => {
    await page.route('**/api/download', async (route) => {
      sent.push(route.request().postDataJSON() as (typeof sent)[number]);
      await route.abort('failed');
    });
    await page.goto(server.loginUrl(`project=${encodeURIComponent(projectPath)}`));
    await page.getByRole('button', { name: 'Import data' }).waitFor({ timeout: WAIT });
    await page.getByLabel('Language', { exact: true }).selectOption('ja');
    await page.getByRole('button', { name: ja['files.download'] }).click();
    const dialog = page.getByRole('dialog', { name: ja['files.heading'] });
    await dialog.waitFor({ timeout: WAIT });
    await page.screenshot({ path: join(SHOTS, 'report-lang-00-dialog-ja.png') });

    const report = await requestOf(() => dialog.getByRole('button', { name: ja['files.downloadReport'] }).click());
    expect(report).toMatchObject({ method: 'report.generate', input: { lang: 'ja', html: true, pdf: true } });
    const pkg = await requestOf(() => dialog.getByRole('button', { name: ja['files.downloadPackage'] }).click());
    expect(pkg).toMatchObject({ method: 'package.create', input: { lang: 'ja' } });

    await dialog.getByLabel(ja['files.reportLang']!).selectOption('th');
    const th = await requestOf(() => dialog.getByRole('button', { name: ja['files.downloadReport'] }).click());
    expect(th).toMatchObject({ method: 'report.generate', input: { lang: 'th' } });
    // The status bar shows the same choice, so the desktop menu's report follows it too.
    await expect.poll(() => page.locator('footer.status-bar').getByLabel(ja['files.reportLang']!).inputValue()).toBe('th');
  }, 120_000);
});
