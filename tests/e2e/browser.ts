/** Debian's chromium through playwright-core, with the flags that make WebGL work on SwiftShader here. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EkimaeService } from '../../core/api/service.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { CHROMIUM_ARGS } from '../../core/report/render.js';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** npm test builds the renderer first; a direct `npx vitest run tests/e2e` builds it here when missing. */
export function ensureRendererBuilt(): string {
  const dir = 'dist/renderer';
  if (!existsSync(`${dir}/index.html`)) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  return dir;
}

/** A 1440 × 900 page whose console errors and uncaught exceptions are collected into `errors`. */
export async function newAppPage(browser: Browser, errors: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return page;
}

/** Wait until maplibre is idle with the app's data loaded, then two more frames (deck.gl draws on its own frame). */
export async function mapIdle(page: Page, timeout: number): Promise<void> {
  await page.waitForFunction(() => {
    const m = window.__ekimaeMap;
    return !!m && m.idle && m.frames > 0 && m.map.loaded() && !document.querySelector('.map-loading');
  }, undefined, { timeout });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export interface AppUnderTest { server: RunningServer; browser: Browser; page: Page }

/**
 * The browser-mode server on `service`, Chromium, and one app page collecting its errors into `errors`.
 * Open the app with `page.goto(server.loginUrl(query))`, as `npm run serve` starts a browser: a one-time
 * sign-in link that leaves the token in an HttpOnly cookie (never in the page URL or a command line).
 */
export async function openApp(service: EkimaeService, o: { staticDir: string; uploadParent: string; errors: string[] }): Promise<AppUnderTest> {
  const server = await startServer({ service, staticDir: o.staticDir, uploadParent: o.uploadParent });
  const browser = await launchChromium();
  return { server, browser, page: await newAppPage(browser, o.errors) };
}

/** Closes what openApp started (whatever of it did start), then the service. */
export async function closeApp(app: Partial<AppUnderTest> | undefined, service: EkimaeService): Promise<void> {
  await app?.browser?.close();
  await app?.server?.close();
  service.close();
}
