/**
 * Catchments through the contract on a project: results stored (run, bands, parcels, polygon layer),
 * read back, handed to the density engine, the walk graph cached and rebuilt when its layer changes,
 * and the CLI on files and on the project. Expected numbers: tests/fixtures/catchment/<case>/SOURCE.md.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { latestParcelDistances, POLYGON_LAYER, STREET_LAYER } from '../../../core/catchment/store.js';
import { main } from '../../../core/cli/main.js';
import { tmpDir } from '../../helpers/tmp.js';

const FIX = resolve(__dirname, '../../fixtures/catchment');
const dir = tmpDir('ekimae-catchment-');
const path = join(dir, 'strip.gpkg');
const svc = new EkimaeService({ strictOutputs: true });

function cli(args: string[]) {
  const out: string[] = [], err: string[] = [];
  return main(args, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' }).then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }));
}

beforeAll(async () => {
  await svc.invoke('project.create', { path, settings: { name: 'strip' } });
  for (const [file, role] of [['network', 'network'], ['stations', 'stations'], ['parcels', 'parcels'], ['census', 'census']] as const) {
    await svc.invoke('layers.import', { path: join(FIX, 'strip', `${file}.geojson`), role, name: file });
  }
});
afterAll(() => svc.close());

describe('catchment.run on a project', () => {
  it('stores the run and returns the hand-computed figures', async () => {
    const r = await svc.invoke('catchment.run', { bandsM: [100], cellM: 1, bufferM: 20, jobId: 'c1' });
    expect(r.cachedGraph).toBe(false);
    expect(r.networkLayer).toBe('network');
    const s = r.bands.find((b) => b.stationId === 'S')!;
    expect(s.stationName).toBe('Strip Station');
    expect(s.popDasy).toBeCloseTo(2000, 6);
    expect(Math.abs(s.popAreal! - 185.13) / 185.13).toBeLessThan(0.02);
    expect(r.bands.map((b) => b.stationId)).toEqual(['S', '*']);
    const again = await svc.invoke('catchment.results', {});
    expect(again.runId).toBe(r.runId);
    expect(again.bands).toEqual(r.bands);
  });

  it('per-parcel distances through the contract and for the density engine', async () => {
    const r = await svc.invoke('catchment.parcels', {});
    expect(r.parcels.map((p) => p.parcelFid)).toEqual([1, 2, 3, 4, 5]);
    expect(r.parcels[1].distM).toBeNull();
    expect(r.parcels[3].distM).toBeCloseTo(95, 2);
    const d = latestParcelDistances(svc.requireProject())!;
    expect(d.parcelLayer).toBe('parcels');
    expect(Array.from(d.fids)).toEqual([1, 2, 3, 4, 5]);
    expect(d.distM[1]).toBe(Infinity);
    expect(d.distM[0]).toBeCloseTo(80, 2);
    expect(d.station[0]).toBe('S');
  });

  it('band polygons are a GeoPackage feature layer', async () => {
    const fc = await svc.invoke('layers.features', { layer: POLYGON_LAYER });
    expect(fc.features).toHaveLength(2);
    expect(fc.features[0].geometry!.type).toBe('MultiPolygon');
    expect(fc.features[0].properties.band_min).toBeCloseTo(100 / 80, 9);
    const streets = await svc.invoke('layers.features', { layer: STREET_LAYER });
    // The station sits mid-street on the one edge: one piece, 100 m either side, both ends at the cutoff.
    expect(streets.features).toHaveLength(1);
    expect(Number(streets.features[0].properties.walk_start_m)).toBeCloseTo(100, 2);
    expect(Number(streets.features[0].properties.walk_end_m)).toBeCloseTo(100, 2);
  });

  it('reuses the cached walk graph, and rebuilds it when the layer changes', async () => {
    expect((await svc.invoke('catchment.run', { bandsM: [100] })).cachedGraph).toBe(true);
    svc.requireProject().action((db) => db.prepare('UPDATE network SET geom = geom WHERE fid = 1').run());
    // Same bytes: still cached. Any change to a geometry or a mapped attribute rebuilds it.
    expect((await svc.invoke('catchment.run', { bandsM: [100] })).cachedGraph).toBe(true);
    svc.requireProject().action((db) => db.prepare("UPDATE network SET name = 'Strip Rd' WHERE fid = 1").run());
    expect((await svc.invoke('catchment.run', { bandsM: [100] })).cachedGraph).toBe(false);
    expect((await svc.invoke('catchment.run', { bandsM: [100] })).cachedGraph).toBe(true);
    await svc.invoke('layers.setFieldMap', { layer: 'network', mapping: { highway: null } });
    expect((await svc.invoke('catchment.run', { bandsM: [100] })).cachedGraph).toBe(false);
    svc.requireProject().action((db) => db.prepare('DELETE FROM network').run());
    const r = await svc.call('catchment.run', { bandsM: [100] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E_NETWORK_EMPTY');
  });

  it('a cancelled run stops with E_CANCELLED and stores nothing', async () => {
    const before = svc.requireProject().database.prepare('SELECT count(*) FROM ekimae_catchment_runs').pluck().get();
    const pending = svc.call('catchment.run', { bandsM: [100], jobId: 'to-cancel' });
    expect(svc.cancel('to-cancel')).toBe(true);
    const r = await pending;
    expect(r.ok || r.error.code).toBe('E_CANCELLED');
    expect(svc.requireProject().database.prepare('SELECT count(*) FROM ekimae_catchment_runs').pluck().get()).toBe(before);
  });

  it('bands in metres or minutes, not both; a zero band is refused', async () => {
    const both = await svc.call('catchment.run', { bandsM: [100], bandsMin: [5] });
    expect(both.ok || both.error.code).toBe('E_INPUT_INVALID');
    const zero = await svc.call('catchment.run', { bandsM: [0] });
    expect(zero.ok || zero.error.code).toBe('E_INPUT_INVALID');
  });
});

describe('ekimae catchment (CLI)', () => {
  it('on files: node mode writes lon,lat,dist_m for every reached node', async () => {
    const csv = join(dir, 'nodes.csv');
    const r = await cli(['catchment', '--network', join(FIX, 'comb/network.geojson'), '--stations', join(FIX, 'comb/entrances.geojson'), '--cutoff', '550', '--snap', 'node', '--nodes-out', csv]);
    expect(r.code, r.err).toBe(0);
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('lon,lat,dist_m');
    // SOURCE.md node mode: 0, 0, 282.843, 300, 482.843, 500 are within 550 m (600 and 800 are not).
    expect(rows.slice(1).map((l) => Number(l.split(',')[2])).sort((a, b) => a - b)).toEqual([0, 0, expect.closeTo(282.843, 2), expect.closeTo(300, 2), expect.closeTo(482.843, 2), expect.closeTo(500, 2)]);
  });

  it('on a project: stores a run and shows it', async () => {
    const p2 = join(dir, 'comb.gpkg');
    expect((await cli(['new', p2, '--name', 'comb'])).code).toBe(0);
    expect((await cli(['import', p2, join(FIX, 'comb/network.geojson'), '--role', 'network', '--name', 'streets'])).code).toBe(0);
    expect((await cli(['import', p2, join(FIX, 'comb/entrances.geojson'), '--role', 'entrances', '--name', 'exits'])).code).toBe(0);
    const run = await cli(['catchment', '--project', p2, '--network', 'streets', '--entrances', 'exits', '--bands', '200,500,700']);
    expect(run.code, run.err).toBe(0);
    const show = await cli(['catchment', '--project', p2, '--show']);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toMatch(/island 1: Soi Island/);
    expect(show.out).toMatch(/^ST1\s+200\s+3\s+0\.66/m);
  });

  it('on a project given files: imports them as layers, then runs', async () => {
    const p3 = join(dir, 'files.gpkg');
    expect((await cli(['new', p3, '--name', 'files'])).code).toBe(0);
    const r = await cli(['catchment', '--project', p3, '--network', join(FIX, 'crossing/network.geojson'), '--stations', join(FIX, 'crossing/stations.geojson'), '--cutoff', '300', '--split-crossings', '--json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out.slice(r.out.indexOf('{')));
    expect(out.networkLayer).toBe('network');
    // crossing/SOURCE.md with splitting: 7 nodes within 205 m of X, all within 300 m.
    expect(out.bands.find((b: { stationId: string; bandM: number }) => b.stationId === 'X' && b.bandM === 300).nodes).toBe(7);
  });
});
