// Binary layers at metropolitan scale (issue #15 point 4), browser mode in Debian's chromium:
//   npm run bench -- binary-layers                 # 100k parcels (scale 0.1), then 1M (scale 1)
//   EKIMAE_BINARY_BENCH_SCALES=0.1 npm run bench -- binary-layers
// For each generated metro project (tests/e2e/metro-project.ts): the parcel layer over HTTP as a binary
// body (layers.columns) against the GeoJSON it replaced (layers.features, the named baseline: bytes and
// time to a parsed value in Node); time from page load to the first deck.gl frame with every layer drawn;
// the page's JS heap then; a colour change (land use <-> floors quantiles, both columns loaded) to the next
// frame; and at 100k the horizon slider (a scenario's projection) to the next frame. SwiftShader (software
// WebGL) on a shared 2-core machine: a GPU draws far faster. Figures printed, nothing asserted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { EkimaeService } from '../../core/api/service.js';
import { startServer } from '../../core/api/transports/http-server.js';
import { decodeBinaryBody } from '../../renderer/api/binary-body.js';
import { ensureRendererBuilt, launchChromium } from './browser.js';
import { metroProject } from './metro-project.js';

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs: number[]) => `median ${median(xs).toFixed(0)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const SCALES = (process.env.EKIMAE_BINARY_BENCH_SCALES ?? '0.1,1').split(',').map(Number);

async function heapMb(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize, totalSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return `used ${mb(usedSize)} of ${mb(totalSize)} (after a forced GC)`;
}

/** ms from fn() to the end of the first deck.gl frame drawn after `ready` holds. */
async function frameAfter(page: Page, fn: () => Promise<unknown>, ready: string): Promise<number> {
  const t0 = await page.evaluate(() => performance.now());
  await fn();
  await page.waitForFunction((cond) => {
    const w = window as unknown as { __readyAt?: number; __ekimaeMap?: { lastFrameAt: number } };
    // eslint-disable-next-line no-new-func -- the bench passes its own condition text
    if (w.__readyAt === undefined && new Function(`return (${cond})`)()) w.__readyAt = performance.now();
    return w.__readyAt !== undefined && w.__ekimaeMap!.lastFrameAt > w.__readyAt;
  }, ready, { polling: 'raf', timeout: 600_000 });
  const end = await page.evaluate(() => { const w = window as unknown as { __readyAt?: number; __ekimaeMap: { lastFrameAt: number } }; delete w.__readyAt; return w.__ekimaeMap.lastFrameAt; });
  return end - t0;
}

async function main() {
  const staticDir = ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-binary-bench-'));
  const browser = await launchChromium();
  try {
    for (const scale of SCALES) {
      log(`scale ${scale}: project`);
      const { path, counts, generatedMs } = metroProject(scale, join(dir, `metro-${scale}.gpkg`));
      if (generatedMs) log(`generated in ${(generatedMs / 1000).toFixed(0)} s`);
      const service = new EkimaeService();
      await service.invoke('project.open', { path });
      const withHorizon = scale <= 0.1;
      if (withHorizon) {
        await service.invoke('catchment.run', {});
        if (!(await service.invoke('scenario.list', {})).length) await service.invoke('scenario.defaults', {});
      }
      const server = await startServer({ service, staticDir, uploadParent: dir });
      const n = counts.parcels.toLocaleString('en');
      console.log(`\nmetro scale ${scale}: ${n} parcels, ${counts.edges.toLocaleString('en')} network edges`);

      // The wire: binary body against the GeoJSON baseline, from Node (fetch, then a usable value).
      const call = async (method: string, input: unknown) => {
        const t = performance.now();
        const res = await fetch(`http://127.0.0.1:${server.port}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ekimae-token': server.token }, body: JSON.stringify(input) });
        const buf = await res.arrayBuffer();
        const value = res.headers.get('content-type') === 'application/octet-stream' ? decodeBinaryBody(buf) : JSON.parse(new TextDecoder().decode(buf));
        return { ms: performance.now() - t, bytes: buf.byteLength, value };
      };
      const bin = await call('layers.columns', { layer: 'parcels', fields: ['land_use', 'floors'] });
      console.log(`  layers.columns parcels (geometry, land use, floors) over HTTP: ${mb(bin.bytes)} in ${bin.ms.toFixed(0)} ms to typed arrays`);
      if (scale <= 0.3) {
        const json = await call('layers.features', { layer: 'parcels' });
        console.log(`  baseline layers.features parcels (GeoJSON, all fields) over HTTP: ${mb(json.bytes)} in ${json.ms.toFixed(0)} ms to objects (${(json.bytes / bin.bytes).toFixed(1)}× the bytes)`);
      } else {
        console.log('  baseline layers.features at this scale: skipped (the GeoJSON of 1M parcels is ~1 GB of text)');
      }

      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const t0 = Date.now();
      await page.goto(server.loginUrl());
      await page.waitForFunction(() => {
        const m = window.__ekimaeMap;
        const s = window.__ekimaeLayerState?.();
        return !!m && !!s?.columns.parcels && !!s.columns.network && !document.querySelector('.map-loading') && m.frames > 0 && m.lastFrameAt > 0 && m.idle;
      }, undefined, { timeout: 900_000, polling: 100 });
      const firstDraw = Date.now() - t0;
      console.log(`  page load -> every layer drawn (map idle): ${firstDraw} ms`);
      console.log(`  JS heap of the page: ${await heapMb(page)}`);

      const colourBy = page.getByRole('combobox', { name: 'Colour parcels by' });
      // Load the floors column once (it came with the geometry; this makes sure the colour change below is a pure recolour).
      await colourBy.selectOption('num:floors');
      await page.waitForFunction(() => !!window.__ekimaeLayerState?.().columns.parcels.fields.includes('floors'), undefined, { timeout: 120_000 });
      const colourTimes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const to = i % 2 ? 'num:floors' : 'landUse';
        colourTimes.push(await frameAfter(page, () => colourBy.selectOption(to), `document.querySelector('select[aria-label="Colour parcels by"]').value === ${JSON.stringify(to)}`));
      }
      console.log(`  colour change (land use <-> floors quantiles) -> next frame drawn: ${fmt(colourTimes)}`);

      if (withHorizon) {
        await page.getByRole('tab', { name: 'Scenario' }).click();
        const list = await service.invoke('scenario.list', {});
        await page.getByRole('combobox', { name: 'Scenario' }).selectOption((list.find((x) => x.id === 'tod-moderate') ?? list.at(-1)!).id);
        const slider = page.getByRole('slider', { name: 'Horizon: projected year or capacity' });
        await slider.waitFor({ timeout: 300_000 });
        await page.waitForFunction(() => !!document.querySelector('select[aria-label="Colour parcels by"] option[value="scenarioFar"]'), undefined, { timeout: 300_000 });
        await colourBy.selectOption('scenarioFar');
        const max = Number(await slider.getAttribute('max'));
        const horizonTimes: number[] = [];
        for (let i = 0; i < 6; i++) {
          const v = String(i % 2 ? max : 0);
          horizonTimes.push(await frameAfter(page, () => slider.fill(v), `document.querySelector('[data-testid="horizon-value"]') && document.querySelector('input[type=range][aria-label="Horizon: projected year or capacity"]').value === ${JSON.stringify(v)}`));
        }
        console.log(`  horizon slider (first year <-> capacity; recolour and re-height) -> next frame drawn: ${fmt(horizonTimes.slice(1))} (first move, columns computed: ${horizonTimes[0].toFixed(0)} ms)`);
        console.log(`  JS heap of the page after the projection: ${await heapMb(page)}`);
      }
      if (errors.length) console.log(`  page errors: ${errors.join(' | ')}`);
      await page.close();
      await server.close();
      service.close();
      rmSync(path, { force: true });
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
