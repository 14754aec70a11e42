/**
 * Benchmark: the master-plan report (HTML + PDF through headless Chromium) for the Bang Sue sample
 * (target ≤ 5 s) and the 12-station MAHSR corridor (target ≤ 30 s), with every engine's results
 * stored first (catchment, four scenarios, LVC). Medians of 3; printed, not asserted. Then where the
 * time goes: the steps of one more report (ms since it started; Chromium starts while the model is
 * built) and the parts of the model on their own.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkimaeService } from '../api/service.js';
import { buildReportModel } from './build.js';
import { REPORT_PAGE, renderReport, type RenderStep } from './render.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bench(label: string, sample: string, target: number): Promise<void> {
  const src = join(REPO, 'sample-data', sample);
  if (!existsSync(src)) { console.log(`${label}: skipped (${sample} not generated; npm run sample-data)`); return; }
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-report-bench-'));
  try {
    copyFileSync(src, join(dir, sample));
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path: join(dir, sample) });
    let t = performance.now();
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    for (const id of ['existing', 'trend', 'tod-moderate', 'tod-intensive']) await svc.invoke('scenario.evaluate', { id, store: true });
    for (const id of ['trend', 'tod-moderate', 'tod-intensive']) await svc.invoke('lvc.run', { scenario: id });
    const prepMs = performance.now() - t;
    const times: number[] = [];
    let pages = 0;
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      const r = await svc.invoke('report.generate', { outDir: join(dir, `out${i}`), html: true, pdf: true });
      times.push(performance.now() - t);
      pages = r.sections.length;
    }
    const m = median(times);
    console.log(`${label}: report (HTML + PDF, ${pages} chapters) median ${(m / 1000).toFixed(1)} s of 3   target ≤ ${target} s   ratio to target ${(m / 1000 / target).toFixed(2)}`);
    // The first report after the engines ran computes the project digest; the next two find it cached.
    console.log(`  runs: ${times.map((x) => `${(x / 1000).toFixed(2)} s`).join(', ')}`);
    console.log(`  (engines first: catchment + 4 scenarios + 3 LVC runs in ${(prepMs / 1000).toFixed(1)} s)`);
    const project = svc.requireProject();
    const steps: Array<[RenderStep, number]> = [];
    await renderReport(() => buildReportModel(project), { outDir: join(dir, 'out0'), html: true, pdf: true, name: 'steps', onStep: (s, ms) => steps.push([s, ms]) });
    console.log(`  one report, step by step: ${steps.map(([s, ms]) => `${s} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
    t = performance.now();
    project.logicalDigest();
    const digestMs = performance.now() - t;
    t = performance.now();
    const model = buildReportModel(project);
    const modelMs = performance.now() - t;
    const maps = model.sections.flatMap((x) => x.blocks).filter((b) => b.kind === 'map');
    console.log(`  model alone ${(modelMs / 1000).toFixed(2)} s with the digest cached (uncached digest ${(digestMs / 1000).toFixed(2)} s); ${maps.length} maps, ${(JSON.stringify(model).length / 1e6).toFixed(1)} MB as JSON`);
    svc.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (!existsSync(REPORT_PAGE)) console.log('report page not built (npx vite build): skipped');
else {
  await bench('Bang Sue', 'bang-sue.gpkg', 5);
  await bench('MAHSR corridor (12 stations)', 'mahsr-corridor.gpkg', 30);
}
