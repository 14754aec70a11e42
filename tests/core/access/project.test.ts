/**
 * Accessibility through the contract and the CLI on the grid project (tests/helpers/grid-project.ts):
 * 64 parcels of 2,000 m² floor area, 43 residential (the 12,000 residents of the one census zone
 * spread evenly: 12,000 / 43 each) and 21 commercial ((i + j) % 3 = 0: 6,000 jobs / 21 each) on a
 * connected 9 × 9 street grid 800 m across. Within 5 km every parcel reaches everyone: 12,000 and
 * 6,000. Within 1 m a parcel reaches only the parcels snapped to its own node, so the 1 m values
 * summed once per node are the totals again. Each parcel's centre is its block's centre, about
 * 50.0 m east (0.0004625° × 108.1 km/° of longitude at 13.8° N) and 49.8 m north (0.00045° × 110.6
 * km/° of latitude) of each of its four corners: a snap of √(50.0² + 49.8²) ≈ 70.6 m.
 */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { startServer } from '../../../core/api/transports/http-server.js';
import { httpBridge } from '../../../renderer/api/bridge.js';
import { main } from '../../../core/cli/main.js';
import { gridLayers } from '../../helpers/grid-project.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-access-');
const path = join(dir, 'grid.gpkg');
const bare = join(dir, 'bare.gpkg');
const svc = new EkimaeService({ strictOutputs: true });

function cli(args: string[]) {
  const out: string[] = [], err: string[] = [];
  return main(args, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

beforeAll(async () => {
  const l = gridLayers();
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  writeFileSync(join(dir, 'streets.geojson'), fc(l.lines));
  writeFileSync(join(dir, 'parcels.geojson'), fc(l.parcels));
  writeFileSync(join(dir, 'census.geojson'), fc(l.census));
  await svc.invoke('project.create', { path: bare, settings: { name: 'Bare' } });
  await svc.invoke('layers.import', { path: join(dir, 'streets.geojson'), role: 'network' });
  await svc.invoke('project.create', { path, settings: { name: 'Grid' } });
  await svc.invoke('layers.import', { path: join(dir, 'streets.geojson'), role: 'network' });
  await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
  await svc.invoke('layers.import', { path: join(dir, 'census.geojson'), role: 'census' });
});
afterAll(() => svc.close());

describe('access.run on a project', () => {
  it('E_ACCESS_NOT_FOUND before any run', async () => {
    await expect(svc.invoke('access.results', {})).rejects.toMatchObject({ code: 'E_ACCESS_NOT_FOUND' });
  });

  it('stores every parcel: everyone within 5 km, its own node\'s parcels within 1 m', async () => {
    const r = await svc.invoke('access.run', { bandsM: [5000, 1], jobId: 'a1' });
    expect(r.bandsM).toEqual([1, 5000]);
    expect(r.nodes).toBe(81);
    expect(r.parcels).toBe(64);
    expect(r.parcelsOnNetwork).toBe(64);
    expect(r.totals.residents).toBeCloseTo(12_000, 6);
    expect(r.totals.jobs).toBeCloseTo(6_000, 6);
    const far = await svc.invoke('access.values', { of: 'parcels', quantity: 'residents', bandM: 5000 });
    expect(far.ids.length).toBe(64);
    for (const v of far.values) expect(v).toBeCloseTo(12_000, 6);
    const farJobs = await svc.invoke('access.values', { of: 'parcels', quantity: 'jobs', bandM: 5000 });
    for (const v of farJobs.values) expect(v).toBeCloseTo(6_000, 6);

    const db = svc.requireProject().database;
    const rows = db.prepare('SELECT parcel_fid, node, snap_m, residents, jobs FROM ekimae_access_parcels WHERE run_id = ? AND band_m = 1').all(r.runId) as Array<{ parcel_fid: number; node: number; snap_m: number; residents: number; jobs: number }>;
    expect(rows.length).toBe(64);
    const perNode = new Map(rows.map((x) => [x.node, x]));
    expect([...perNode.values()].reduce((s, x) => s + x.residents, 0)).toBeCloseTo(12_000, 6);
    expect([...perNode.values()].reduce((s, x) => s + x.jobs, 0)).toBeCloseTo(6_000, 6);
    for (const x of rows) expect(Math.abs(x.snap_m - 70.6)).toBeLessThan(0.2);

    const nodes = await svc.invoke('access.values', { of: 'nodes', quantity: 'residents', bandM: 1 });
    expect(nodes.values.length).toBe(81);
    expect(nodes.lonLat!.length).toBe(162);
    expect(nodes.values.reduce((s, v) => s + v, 0)).toBeCloseTo(12_000, 6);
    expect((await svc.invoke('access.results', {})).runId).toBe(r.runId);

    // The map's colouring reads typed arrays: ascending fids from the stored rows, and the same bytes over browser mode's binary body.
    expect(far.ids).toBeInstanceOf(Float64Array);
    expect([...far.ids]).toEqual(rows.map((x) => x.parcel_fid).sort((a, b) => a - b));
    const srv = await startServer({ service: svc });
    try {
      const bridge = httpBridge({ search: `?token=${srv.token}`, origin: `http://127.0.0.1:${srv.port}` });
      for (const [input, want] of [[{ of: 'parcels', quantity: 'residents', bandM: 5000 }, far], [{ of: 'nodes', quantity: 'residents', bandM: 1 }, nodes]] as const) {
        const got = await bridge.call('access.values', input);
        if (!got.ok) throw new Error(got.error.message);
        const v = got.value as typeof want;
        expect(v.ids).toBeInstanceOf(Float64Array);
        expect(v.ids).toEqual(want.ids);
        expect(v.values).toEqual(want.values);
        expect(v.lonLat).toEqual(want.lonLat);
      }
    } finally {
      await srv.close();
    }
  });

  it('E_INPUT_INVALID for a band the run does not hold, and for a negative band (nothing stored)', async () => {
    await expect(svc.invoke('access.values', { of: 'parcels', quantity: 'jobs', bandM: 800 })).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    const before = (svc.requireProject().database.prepare('SELECT COUNT(*) AS n FROM ekimae_access_runs').get() as { n: number }).n;
    await expect(svc.invoke('access.run', { bandsM: [-400] })).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    expect((svc.requireProject().database.prepare('SELECT COUNT(*) AS n FROM ekimae_access_runs').get() as { n: number }).n).toBe(before);
  });

  it('E_LAYER_NOT_FOUND on a project without parcels; the project is left as it was', async () => {
    const s2 = new EkimaeService();
    try {
      await s2.invoke('project.open', { path: bare });
      await expect(s2.invoke('access.run', {})).rejects.toMatchObject({ code: 'E_LAYER_NOT_FOUND' });
      expect((s2.requireProject().database.prepare('SELECT COUNT(*) AS n FROM ekimae_access_runs').get() as { n: number }).n).toBe(0);
    } finally { s2.close(); }
  });
});

describe('ekimae access', () => {
  it('runs with --bands and prints the table; --show reads it back', async () => {
    svc.close();
    const r = await cli(['access', path, '--bands', '400,800']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/stored as accessibility run 2/);
    expect(r.out).toMatch(/64 of 64 parcels on the network; 12000 residents, 6000 jobs/);
    expect(r.out).toMatch(/^residents\s+800\s/m);
    const s = await cli(['access', path, '--show', '--json']);
    expect(s.code, s.err).toBe(0);
    expect(JSON.parse(s.out).bandsM).toEqual([400, 800]);
    // ekimae call prints the typed answer as JSON arrays.
    const input = join(dir, 'values.json');
    writeFileSync(input, JSON.stringify({ of: 'parcels', quantity: 'jobs', bandM: 800 }));
    const v = await cli(['call', 'access.values', input, '--project', path]);
    expect(v.code, v.err).toBe(0);
    const j = JSON.parse(v.out) as { ids: unknown; values: unknown };
    expect(Array.isArray(j.ids) && Array.isArray(j.values)).toBe(true);
    expect((j.ids as number[]).length).toBe(64);
    expect((j.values as number[]).every((x) => typeof x === 'number' && x > 0)).toBe(true);
  });

  it('usage errors exit 2: no project, bands and minutes together', async () => {
    expect((await cli(['access'])).code).toBe(2);
    const both = await cli(['access', path, '--bands', '400', '--minutes', '5']);
    expect(both.code).toBe(2);
    expect(both.err).toMatch(/not both/);
  });
});
