/**
 * Benchmark: a council review of the Bang Sue sample's plan package. review.open (copy or unzip,
 * verify, open read-only) against package.verify alone as the baseline; adding 200 comments (half
 * on parcels by fid, half at seeded places), listing and exporting them. Medians; printed, not asserted.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkimaeService } from '../api/service.js';
import { REPORT_PAGE } from '../report/render.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const src = join(REPO, 'sample-data', 'bang-sue.gpkg');
  if (!existsSync(src) || !existsSync(REPORT_PAGE)) { console.log('review bench: skipped (sample or report page not built)'); return; }
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-review-bench-'));
  const home = process.env.EKIMAE_HOME;
  process.env.EKIMAE_HOME = join(dir, 'home');
  try {
    copyFileSync(src, join(dir, 'bang-sue.gpkg'));
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path: join(dir, 'bang-sue.gpkg'), readOnly: true });
    const folder = (await svc.invoke('package.create', { out: join(dir, 'pkg') })).path;
    const zip = (await svc.invoke('package.create', { out: join(dir, 'pkgz'), zip: true })).path;
    await svc.invoke('project.close', {});
    for (const [label, pkg] of [['folder', folder], ['zip', zip]] as const) {
      const verify: number[] = [], open: number[] = [];
      for (let i = 0; i < 5; i++) {
        verify.push(await timed(() => svc.invoke('package.verify', { path: pkg })));
        open.push(await timed(() => svc.invoke('review.open', { package: pkg })));
        await svc.invoke('review.close', {});
      }
      const v = median(verify), o = median(open);
      console.log(`review.open (${label}): median ${o.toFixed(0)} ms of 5   package.verify alone ${v.toFixed(0)} ms   ratio ${(o / v).toFixed(2)}`);
    }
    const info = await svc.invoke('review.open', { package: folder });
    const parcels = info.project.layers.find((l) => l.role === 'parcels')!;
    const fids = (await svc.invoke('layers.features', { layer: parcels.name, limit: 100 })).features.map((f) => f.id!);
    const [a, b, c, d] = parcels.bbox!;
    const rnd = lcg(8);
    const onParcel: number[] = [], atPlace: number[] = [];
    for (let i = 0; i < 100; i++) {
      onParcel.push(await timed(() => svc.invoke('review.addComment', { layer: parcels.name, fid: fids[i % fids.length], text: `parcel comment ${i}`, author: 'Bench' })));
      atPlace.push(await timed(() => svc.invoke('review.addComment', { lon: a + rnd() * (c - a), lat: b + rnd() * (d - b), text: `place comment ${i}`, author: 'Bench' })));
    }
    console.log(`review.addComment: median ${median(atPlace).toFixed(1)} ms at a place, ${median(onParcel).toFixed(1)} ms on a parcel (centre computed), 100 each`);
    const list: number[] = [];
    for (let i = 0; i < 5; i++) list.push(await timed(() => svc.invoke('review.list', {})));
    console.log(`review.list of 200: median ${median(list).toFixed(1)} ms of 5`);
    for (const format of ['gpkg', 'geojson'] as const) {
      const t = await timed(() => svc.invoke('review.export', { format, path: join(dir, `comments.${format}`) }));
      console.log(`review.export ${format} (200 comments): ${t.toFixed(0)} ms`);
    }
    await svc.invoke('review.close', {});
    svc.close();
    console.log(`(load average ${loadavg()[0].toFixed(1)} on this machine while measuring; compare figures only on a quiet one)`);
  } finally {
    if (home === undefined) delete process.env.EKIMAE_HOME; else process.env.EKIMAE_HOME = home;
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
