// Browser-mode figures, printed (never asserted): `npx tsx tests/e2e/renderer.bench.ts`.
//  1. First interactive for the Bang Sue sample (page load -> every layer fetched and the map idle).
//  2. A slider change on 20k parcels to the next deck.gl frame (the storey-height slider rewrites the
//     elevation buffer of every parcel vertex; no server round trip).
//  3. A scenario rule edit on Bang Sue to the next frame showing it (server evaluation + recolour + re-extrude).
// Medians of several runs; SwiftShader (software WebGL) on this machine, so a GPU does better.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import { startServer } from '../../core/api/transports/http-server.js';
import { ensureRendererBuilt, launchChromium } from './browser.js';
import { makeProject } from './fixture-project.js';

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;

async function waitInteractive(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const m = window.__ekimaeMap;
    return !!m && m.idle && m.frames > 0 && !document.querySelector('.map-loading') && !!document.querySelector('.layer-list');
  }, undefined, { timeout: 60_000, polling: 50 });
}

/**
 * Main-thread time while fn runs, from chromium's sampling profiler: [JavaScript (React, buffer
 * rewrite, deck.gl attribute upload and draw calls), native '(program)' time (GL driver, GC, layout)].
 */
async function busyMs(page: Page, fn: () => Promise<unknown>): Promise<[number, number]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  await fn();
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach();
  const kind = new Map(profile.nodes.map((n) => [n.id, n.callFrame.functionName]));
  let js = 0;
  let program = 0;
  (profile.samples ?? []).forEach((id, i) => {
    const name = kind.get(id);
    const d = (profile.timeDeltas?.[i] ?? 0) / 1000;
    if (name === '(idle)' || name === '(root)') return;
    if (name === '(program)' || name === '(garbage collector)') program += d;
    else js += d;
  });
  return [js, program];
}

/**
 * Sets an input's value the way a user would (React listens to the native input event) and returns
 * [ms to the start of the next deck.gl frame (React + buffer work), ms to its end (drawing included)].
 */
async function nextFrameAfter(page: Page, selector: string, value: string): Promise<[number, number]> {
  return page.evaluate(async ([sel, v]) => {
    const el = document.querySelector<HTMLInputElement>(sel)!;
    const m = window.__ekimaeMap!;
    const frames = m.frames;
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
    const t0 = performance.now();
    setter.call(el, v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
    while (m.frames === frames) await new Promise((r) => requestAnimationFrame(r));
    return [m.lastFrameStartAt - t0, m.lastFrameAt - t0] as [number, number];
  }, [selector, value] as const);
}

async function main() {
  const staticDir = ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-bench-'));
  const browser = await launchChromium();
  try {
    const sample = join(process.cwd(), 'sample-data', 'bang-sue.gpkg');
    if (existsSync(sample) && !process.argv.includes('--only-20k')) {
      const path = join(dir, 'bang-sue.gpkg');
      copyFileSync(sample, path);
      const service = new EkimaeService();
      await service.invoke('project.open', { path });
      const counts = (await service.invoke('layers.list', {})).map((l) => `${l.name} ${l.count}`).join(', ');
      const server = await startServer({ service, staticDir, uploadParent: dir });
      const times: number[] = [];
      for (let i = 0; i < 4; i++) {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const t0 = Date.now();
        await page.goto(server.loginUrl());
        await waitInteractive(page);
        log(`Bang Sue load ${i}: ${Date.now() - t0} ms`);
        if (i > 0) times.push(Date.now() - t0); // the first run warms chromium's caches and the OS file cache
        await page.close();
      }
      console.log(`Bang Sue first interactive (browser mode; ${counts}): ${fmt(times)}`);

      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(server.loginUrl());
      await waitInteractive(page);
      await service.invoke('catchment.run', { bandsMin: [5, 10, 15] });
      await service.invoke('scenario.defaults', {});
      await page.reload();
      await waitInteractive(page);
      await page.getByRole('tab', { name: 'Scenario' }).click();
      await page.getByTestId('indicator-residents').filter({ hasText: /\d/ }).waitFor({ timeout: 60_000 });
      await page.getByRole('combobox', { name: 'Colour parcels by' }).selectOption('scenarioFar');
      await page.getByRole('checkbox', { name: '3D massing' }).check();
      await waitInteractive(page);
      log('scenario ready');
      const ruleTimes: number[] = [];
      const evalMs: number[] = [];
      for (let i = 0; i < 7; i++) {
        // Watch the indicator from before the edit; the map frame that shows the result is the first
        // deck.gl frame drawn after the indicator changed (both come from one React commit).
        await page.evaluate(() => {
          const el = document.querySelector('[data-testid="indicator-residents"]')!;
          const w = window as unknown as { __changedAt: number | null };
          w.__changedAt = null;
          new MutationObserver((_, obs) => { w.__changedAt = performance.now(); obs.disconnect(); }).observe(el, { childList: true, characterData: true, subtree: true });
        });
        const t0 = await page.evaluate(() => performance.now());
        await page.getByRole('spinbutton', { name: 'Max FAR of rule 4' }).fill((7 + i * 0.35).toFixed(2));
        await page.waitForFunction(() => {
          const w = window as unknown as { __changedAt: number | null };
          return w.__changedAt !== null && window.__ekimaeMap!.lastFrameAt >= w.__changedAt;
        }, undefined, { polling: 'raf', timeout: 30_000 });
        ruleTimes.push((await page.evaluate(() => window.__ekimaeMap!.lastFrameAt)) - t0);
        const evalText = await page.getByText(/evaluated in \d+ ms/).textContent();
        evalMs.push(Number(/(\d+) ms/.exec(evalText ?? '')?.[1] ?? NaN));
      }
      console.log(`Bang Sue scenario rule edit -> indicators and next frame (server evaluation included): ${fmt(ruleTimes)}`);
      console.log(`  of which the core's own evaluation (evalMs): ${fmt(evalMs)}`);
      await page.close();
      await server.close();
      service.close();
    } else {
      console.log('sample-data/bang-sue.gpkg is absent: first-interactive figure skipped');
    }

    const big = join(dir, 'big');
    rmSync(big, { recursive: true, force: true });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(big);
    log('building the 20k-parcel project');
    const { path } = await makeProject(big, { preferSample: false, grid: { cols: 160, rows: 125, block: 40, street: 10 } });
    const service = new EkimaeService();
    await service.invoke('project.open', { path });
    const n = (await service.invoke('layers.list', {})).find((l) => l.name === 'parcels')!.count;
    const server = await startServer({ service, staticDir, uploadParent: dir });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const t0 = Date.now();
    await page.goto(server.loginUrl());
    await waitInteractive(page);
    const loadMs = Date.now() - t0;
    console.log(`${n} parcels: first interactive ${loadMs} ms`);
    const slider = 'input[type=range][aria-label="Storey height (m)"]';
    await page.getByRole('checkbox', { name: '3D massing' }).check();
    await waitInteractive(page);
    const end: number[] = [];
    const busy: number[] = [];
    const native: number[] = [];
    for (let i = 0; i < 8; i++) {
      let r: [number, number] = [0, 0];
      const [js, prog] = await busyMs(page, async () => { r = await nextFrameAfter(page, slider, (3.2 + i * 0.3).toFixed(1)); });
      if (i >= 1) { end.push(r[1]); busy.push(js); native.push(prog); }
    }
    console.log(`${n} parcels, 3D massing: storey slider change -> next deck.gl frame drawn ${fmt(end)}`);
    console.log(`  main-thread JavaScript per change (React, height buffer rewrite, deck.gl upload and draw calls): ${fmt(busy)}`);
    console.log(`  main-thread native time per change (GL driver calls, GC): ${fmt(native)}; the rest of the wait is software WebGL rastering frames`);
    const colourEnd: number[] = [];
    const colourBy = page.getByRole('combobox', { name: 'Colour parcels by' });
    for (let i = 0; i < 6; i++) {
      const t = await page.evaluate(() => performance.now());
      const f = await page.evaluate(() => window.__ekimaeMap!.frames);
      await colourBy.selectOption(i % 2 ? 'landUse' : 'num:floors');
      await page.waitForFunction((f0) => window.__ekimaeMap!.frames > f0, f, { polling: 'raf' });
      colourEnd.push((await page.evaluate(() => window.__ekimaeMap!.lastFrameAt)) - t);
    }
    console.log(`${n} parcels, 3D massing: colour-by change (land use <-> floors quantiles) -> next frame drawn ${fmt(colourEnd)}`);
    const panT0 = await page.evaluate(() => performance.now());
    const panF0 = await page.evaluate(() => window.__ekimaeMap!.frames);
    await page.evaluate(() => window.__ekimaeMap!.map.panBy([5, 0], { duration: 0 }));
    await page.waitForFunction((f) => window.__ekimaeMap!.frames > f, panF0, { polling: 'raf' });
    console.log(`${n} parcels, 3D massing: a 5 px pan (no data change) -> next frame drawn ${((await page.evaluate(() => window.__ekimaeMap!.lastFrameAt)) - panT0).toFixed(0)} ms (the cost of one frame here)`);
    await page.close();
    await server.close();
    service.close();
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
