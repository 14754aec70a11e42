/**
 * Reads while a streamed import holds its write transaction open (issue #16, 2): a download, the
 * layer list, project.info, features and the report digest see the last committed state only, so
 * nothing of an import that is then cancelled ever leaves the project; open, close and Save As wait.
 * The expected answers need no oracle: before the import commits the project holds exactly the one
 * station imported first; after the commit, the 40,000 points written.
 */
import { existsSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { createCloneTransport } from '../../../core/api/transports/clone-transport.js';
import { reportDigest } from '../../../core/report/digest.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-reads-');
let n = 0;

function write(name: string, value: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(value));
  return p;
}

type Layer = { name: string; count: number };
const layersOf = (r: { ok: boolean; value?: unknown }) => (r.ok ? (r.value as { layers: Layer[] }).layers.map((l) => [l.name, l.count]) : r);
const namesOf = (r: { ok: boolean; value?: unknown }) => (r.ok ? (r.value as Layer[]).map((l) => l.name) : []);

const N = 40_000;
const big = () => write(`big${++n}.geojson`, { type: 'FeatureCollection', features: Array.from({ length: N }, (_, i) => ({ type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [100.5 + (i % 200) * 1e-4, 13.7 + Math.floor(i / 200) * 1e-4] } })) });

/** A project with one committed station, and an import of 40,000 points stopped between two batches. */
async function importUnderway() {
  const svc = new EkimaeService();
  const t = createCloneTransport(svc);
  const path = join(dir, `p${++n}.gpkg`);
  await svc.invoke('project.create', { path, settings: { name: 'reads' } });
  const st = write(`st${n}.geojson`, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Bang Sue' }, geometry: { type: 'Point', coordinates: [100.53, 13.8] } }] });
  expect((await t.call('layers.import', { path: st, name: 'stations' })).ok).toBe(true);
  const p = svc.requireProject();
  const before = { digest: p.logicalDigest(), report: reportDigest(p) };
  const file = big();
  let writing = 0;
  svc.onProgress((e) => { if (e.jobId === 'big' && e.message === 'writing to project') writing++; });
  let settled = false;
  const job = t.call('layers.import', { path: file, name: 'big', jobId: 'big' }).finally(() => { settled = true; });
  while (writing < 3 && !settled) await new Promise((r) => setImmediate(r));
  expect(settled, 'the import is still writing').toBe(false);
  return { svc, t, p, path, before, job, file };
}

describe('reads during an import', () => {
  it('a download, the layer list, info, features and the report digest see committed layers only', async () => {
    const { svc, t, p, path, before, job, file } = await importUnderway();
    // The writer really holds uncommitted rows of the new layer (what the reads used to see).
    expect(p.busy).toContain('big');
    const info = await t.call('project.info', {});
    expect(layersOf(info)).toEqual([['stations', 1]]);
    const list = await t.call('layers.list', {});
    expect(namesOf(list)).toEqual(['stations']);
    const bigExport = await t.call('layers.export', { layers: ['big'], format: 'geojson', path: join(dir, 'big-out.geojson') });
    expect(bigExport.ok ? null : bigExport.error.code).toBe('E_LAYER_NOT_FOUND');
    const bigFeatures = await t.call('layers.features', { layer: 'big', limit: 5 });
    expect(bigFeatures.ok ? null : bigFeatures.error.code).toBe('E_LAYER_NOT_FOUND');
    const out = join(dir, 'during.gpkg');
    const exp = await t.call('layers.export', { layers: ['stations'], format: 'gpkg', path: out });
    expect(exp.ok).toBe(true);
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare('SELECT table_name FROM gpkg_contents WHERE data_type = \'features\'').pluck().all()).toEqual(['stations']);
    expect(copy.prepare('SELECT count(*) FROM stations').pluck().get()).toBe(1);
    copy.close();
    expect(p.logicalDigest()).toBe(before.digest);
    expect(reportDigest(p)).toBe(before.report);
    // The report's model (its data-sources chapter lists every layer's source file) knows nothing of the import.
    const model = await t.call('report.model', {});
    expect(model.ok).toBe(true);
    expect(JSON.stringify(model)).not.toContain(basename(file));
    const r = await job;
    expect(r.ok).toBe(true);
    expect(JSON.stringify(await t.call('report.model', {}))).toContain(basename(file));
    // Committed: every read now shows it, through whichever connection.
    expect(p.layers().map((l) => [l.name, l.count])).toEqual([['big', N], ['stations', 1]]);
    expect(reportDigest(p)).not.toBe(before.report);
    expect(reportDigest(p)).toBe(p.logicalDigest());
    svc.close();
    // The second connection closed with the first: one self-contained file again, nothing left open on it.
    expect(existsSync(`${path}-wal`)).toBe(false);
    if (existsSync('/proc/self/fd')) {
      const real = realpathSync(path);
      expect(readdirSync('/proc/self/fd').filter((fd) => { try { return readlinkSync(`/proc/self/fd/${fd}`).startsWith(real); } catch { return false; } })).toEqual([]);
    }
  });

  it('a download taken during an import that is then cancelled holds nothing of it, and the project is as before', async () => {
    const { svc, t, p, before, job } = await importUnderway();
    // The download dialog offers the layers the list shows at that moment, and exports them all.
    const list = await t.call('layers.list', {});
    const names = namesOf(list);
    const out = join(dir, 'cancelled.gpkg');
    expect((await t.call('layers.export', { layers: names, format: 'gpkg', path: out })).ok).toBe(true);
    expect((await t.call('jobs.cancel', { jobId: 'big' })).ok).toBe(true);
    const r = await job;
    expect(r.ok ? null : r.error.code).toBe('E_CANCELLED');
    const copy = new Database(out, { readonly: true });
    expect(copy.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'big'").pluck().get()).toBe(0);
    copy.close();
    expect(p.logicalDigest()).toBe(before.digest);
    expect(p.info().layers.map((l) => l.name)).toEqual(['stations']);
    svc.close();
  });

  it('open, create, close and Save As are refused with E_PROJECT_BUSY while the import runs, and work after it', async () => {
    const { svc, t, p, path, job } = await importUnderway();
    const other = join(dir, `other${n}.gpkg`);
    const codes = [
      await t.call('project.open', { path }),
      await t.call('project.create', { path: other, settings: { name: 'x' } }),
      await t.call('project.close', {}),
      await t.call('project.saveAs', { path: join(dir, `saved${n}.gpkg`) }),
    ].map((x) => (x.ok ? 'ok' : x.error.code));
    expect(codes).toEqual(['E_PROJECT_BUSY', 'E_PROJECT_BUSY', 'E_PROJECT_BUSY', 'E_PROJECT_BUSY']);
    expect(svc.project).toBe(p);
    expect((await job).ok).toBe(true);
    const saved = await t.call('project.saveAs', { path: join(dir, `saved${n}.gpkg`) });
    expect(layersOf(saved)).toEqual([['big', N], ['stations', 1]]);
    expect((await t.call('project.close', {})).ok).toBe(true);
    svc.close();
  });
});
