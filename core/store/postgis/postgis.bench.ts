/**
 * Benchmark: push and pull of the samples through a real PostgreSQL + PostGIS started for the run
 * (tests/helpers/postgres.ts), opening the shared project (its working copy) and one scenario save
 * written through. Medians of 3; printed, not asserted. Skipped when PostgreSQL is not installed.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPostgres, startPostgres } from '../../../tests/helpers/postgres.js';
import { EkimaeService } from '../../api/service.js';
import { pullProject } from './pull.js';
import { pushProject } from './push.js';
import { parsePgUrl } from './url.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const found = findPostgres();
if (!found.bin) {
  console.log(`postgis: skipped (${found.reason})`);
} else {
  const server = await startPostgres();
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-pg-bench-'));
  try {
    for (const sample of ['bang-sue.gpkg', 'mahsr-corridor.gpkg']) {
      const src = join(REPO, 'sample-data', sample);
      if (!existsSync(src)) { console.log(`${sample}: skipped (not generated)`); continue; }
      const file = join(dir, sample);
      copyFileSync(src, file);
      const push: number[] = [], pull: number[] = [], open: number[] = [];
      let rows = 0;
      for (let i = 0; i < 3; i++) {
        const target = parsePgUrl(`${server.url}?schema=b${i}_${sample.replace(/\W/g, '_')}`);
        let t = performance.now();
        const r = await pushProject(file, target);
        push.push(performance.now() - t);
        rows = r.tables.reduce((a, x) => a + x.rows, 0);
        const out = join(dir, `pulled-${i}.gpkg`);
        t = performance.now();
        await pullProject(target, out);
        pull.push(performance.now() - t);
        rmSync(out);
        const svc = new EkimaeService();
        t = performance.now();
        await svc.invoke('project.open', { path: `${server.url}?schema=${target.schema}` });
        open.push(performance.now() - t);
        svc.close();
      }
      console.log(`${sample}: ${rows.toLocaleString('en')} rows; push ${s(median(push))}, pull ${s(median(pull))}, open as a shared project (working copy) ${s(median(open))} (medians of 3)`);
    }
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path: `${server.url}?schema=b0_bang_sue_gpkg` });
    await svc.invoke('scenario.defaults', {});
    const cur = await svc.invoke('scenario.get', { id: 'trend' });
    const save: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await svc.invoke('scenario.save', { id: 'trend', scenario: { ...cur.definition, name: `Trend ${i}` } });
      save.push(performance.now() - t);
    }
    svc.close();
    console.log(`scenario save written through (one PostgreSQL transaction with its lock and version check): median ${median(save).toFixed(0)} ms of 5`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  }
}
