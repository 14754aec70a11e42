/**
 * The scenario engine on a real project file: parcel areas against GDAL, exclusion and zone joins,
 * versioned storage, assumptions, the contract (scenario.* / assumptions.*), caching, and the CLI.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { createCloneTransport } from '../../../core/api/transports/clone-transport.js';
import { startServer } from '../../../core/api/transports/http-server.js';
import { httpBridge } from '../../../renderer/api/bridge.js';
import { checkScenarioColumns } from '../../../renderer/map/analysis-colours.js';
import { prepareParcels } from '../../../core/scenario/prepare.js';
import { DEFAULTED_KEY_LIST } from '../../../core/scenario/assumptions.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const SITE = join(import.meta.dirname, '../../fixtures/scenario-project/site');
const dir = tmpDir();
const svc = new EkimaeService({ strictOutputs: true });
const gpkg = join(dir, 'p.gpkg');

const RULE_ALL = { maxFar: 4, maxFloors: 100, coverage: 1, split: { residential: 1, commercial: 0, office: 0, civic: 0 } };
const SCEN = {
  name: 'Test TOD', bands: [{ name: 'near', fromM: 0, toM: 800 }], softSiteFactor: 1, publicLand: { mode: 'keep' as const },
  rules: [{ bands: ['near'], ...RULE_ALL }], exclusions: [{ layer: 'heritage', kind: 'heritage' as const }], zoneLayer: 'zones',
};
const DIST = { kind: 'explicit' as const, fids: [1, 2, 3, 4], distM: [100, 200, 300, 400], station: ['S1', 'S1', 'S1', 'S1'] };

beforeAll(async () => {
  await svc.invoke('project.create', { path: gpkg, settings: { name: 'scenario test', country: 'TH' } });
  for (const [f, role] of [['parcels', 'parcels'], ['heritage', 'other'], ['zones', 'zones'], ['stations', 'stations']] as const) {
    await svc.invoke('layers.import', { path: join(SITE, `${f}.geojson`), role, name: f });
  }
});

describe('scenario on a project', () => {
  it('parcel areas match GDAL (EPSG:32647, OGR_GEOM_AREA)', () => {
    if (!requireToolOrSkip('ogr2ogr')) return;
    const out = join(dir, 'utm.geojson');
    run('ogr2ogr', ['-t_srs', 'EPSG:32647', out, join(SITE, 'parcels.geojson')]);
    const text = run('ogrinfo', ['-ro', '-q', out, '-sql', 'SELECT parcel_id, OGR_GEOM_AREA AS area FROM parcels']);
    const gdal = [...text.matchAll(/area \(Real\) = ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(gdal.length).toBe(4);
    const prep = prepareParcels(svc.requireProject());
    expect(prep.cols.n).toBe(4);
    gdal.forEach((a, i) => expect(Math.abs(prep.cols.area[i] - a) / a).toBeLessThan(1e-6));
    expect(Array.from(prep.cols.isPublic)).toEqual([0, 1, 0, 0]);
  });

  it('evaluates with exclusions and zones joined spatially', async () => {
    const prep = prepareParcels(svc.requireProject());
    const A = prep.cols.area;
    const r = await svc.invoke('scenario.evaluate', { scenario: SCEN, distances: DIST, includeParcels: true });
    const p = r.parcels!;
    // P1: FAR 4 × area (rule applies, 4A > 2000); P2 public, kept; P3 excluded (heritage); P4 zone FAR 1 → A4 > 500.
    expect(p.floorArea[0]).toBeCloseTo(4 * A[0], 6);
    expect(p.floorArea[1]).toBe(1000);
    expect(p.flags[1] & 16).toBe(16);
    expect(p.floorArea[2]).toBe(500);
    expect(p.flags[2] & 2).toBe(2);
    expect(p.floorArea[3]).toBeCloseTo(A[3], 6);
    expect(p.flags[3] & 128).toBe(128);
    expect(r.distanceSource).toBe('distances given with the request');
    expect(r.stored).toBeNull();
    expect(r.flags).toMatchObject({ excluded: 1, zoned: 1, publicLand: 1, invalidArea: 0 });
    const named = await svc.invoke('scenario.evaluate', { scenario: { ...SCEN, rules: [{ ...SCEN.rules[0], landUses: ['industrial'] }] }, distances: DIST });
    expect(named.warnings).toContain('a rule names land use "industrial", which no parcel in "parcels" has');
  });

  it('gives each parcel its fid and FAR as typed arrays, the same over IPC and HTTP (areas from GDAL)', async () => {
    if (!requireToolOrSkip('ogr2ogr')) return;
    const out = join(dir, 'utm-far.geojson');
    run('ogr2ogr', ['-t_srs', 'EPSG:32647', out, join(SITE, 'parcels.geojson')]);
    const A = [...run('ogrinfo', ['-ro', '-q', out, '-sql', 'SELECT parcel_id, OGR_GEOM_AREA AS area FROM parcels']).matchAll(/area \(Real\) = ([\d.]+)/g)].map((m) => Number(m[1]));
    expect(A.length).toBe(4);
    const input = { scenario: SCEN, distances: DIST, parcelColumns: true };
    const r = await svc.invoke('scenario.evaluate', input);
    expect(r.parcels).toBeUndefined();
    const c = r.columns!;
    expect(c.count).toBe(4);
    expect(c.fids).toBeInstanceOf(Int32Array);
    expect([...c.fids]).toEqual([1, 2, 3, 4]);
    // By the rules of the test above: P1 FAR 4; P2 public land kept at 1,000 m²; P3 heritage at 500 m²; P4 its zone's FAR 1.
    const expected = [4, 1000 / A[1], 500 / A[2], 1];
    c.far.forEach((v, i) => expect(Math.abs(v - expected[i]) / expected[i]).toBeLessThan(1e-6));
    // Electron's IPC (structured clone) and browser mode's binary body, read by the renderer's bridge and checks.
    const viaClone = (await createCloneTransport(svc).call('scenario.evaluate', input)) as { ok: true; value: typeof r };
    expect(viaClone.ok).toBe(true);
    const srv = await startServer({ service: svc });
    try {
      const viaHttp = await httpBridge({ search: `?token=${srv.token}`, origin: `http://127.0.0.1:${srv.port}` }).call('scenario.evaluate', input);
      expect(viaHttp.ok).toBe(true);
      for (const v of [viaClone.value.columns, (viaHttp as { value: typeof r }).value.columns]) {
        const got = checkScenarioColumns(v);
        expect(got.fids).toEqual(c.fids);
        expect(got.far).toEqual(c.far);
      }
      // Without parcelColumns the answer holds no typed arrays, and still arrives whole.
      const plain = await httpBridge({ search: `?token=${srv.token}`, origin: `http://127.0.0.1:${srv.port}` }).call('scenario.evaluate', { scenario: SCEN, distances: DIST });
      expect((plain as { value: typeof r }).value.indicators.total.floorAreaM2).toBeCloseTo(r.indicators.total.floorAreaM2, 6);
      expect((plain as { value: typeof r }).value.columns).toBeUndefined();
    } finally {
      await srv.close();
    }
  });

  it('saves versions, copies, lists, deletes; evaluates by id and stores results', async () => {
    const d = await svc.invoke('scenario.defaults', {});
    // The project has a zones layer, so a Master plan scenario built on it joins the four.
    expect(d.added).toEqual(['existing', 'trend', 'tod-moderate', 'tod-intensive', 'master-plan']);
    expect(d.scenarios.find((s) => s.id === 'master-plan')!.definition.zoneLayer).toBe('zones');
    expect((await svc.invoke('scenario.defaults', {})).added).toEqual([]);
    const v1 = await svc.invoke('scenario.save', { scenario: SCEN });
    expect([v1.id, v1.version]).toEqual(['test-tod', 1]);
    const v2 = await svc.invoke('scenario.save', { id: 'test-tod', scenario: { ...SCEN, softSiteFactor: 3 }, note: 'stricter' });
    expect([v2.version, v2.versions]).toEqual([2, [1, 2]]);
    expect((await svc.invoke('scenario.get', { id: 'test-tod', version: 1 })).definition.softSiteFactor).toBe(1);
    const c = await svc.invoke('scenario.copy', { id: 'test-tod', version: 1, name: 'Test TOD copy' });
    expect([c.id, c.version, c.definition.softSiteFactor]).toEqual(['test-tod-copy', 1, 1]);
    expect((await svc.invoke('scenario.list', {})).map((s) => s.id)).toEqual(['existing', 'trend', 'tod-moderate', 'tod-intensive', 'master-plan', 'test-tod', 'test-tod-copy']);
    const ev = await svc.invoke('scenario.evaluate', { id: 'test-tod', distances: DIST });
    expect(ev.stored).toMatchObject({ scenarioId: 'test-tod', version: 2, parcelLayer: 'parcels' });
    expect(ev.changeVsExisting!.floorAreaM2.baseline).toBe(4000);
    const rows = svc.requireProject().database.prepare('SELECT count(*) AS n FROM ekimae_scenario_parcels WHERE result_id = ?').get(ev.stored!.resultId) as { n: number };
    expect(rows.n).toBe(4);
    expect((await svc.invoke('scenario.results', { id: 'test-tod' })).length).toBe(1);
    expect(await svc.invoke('scenario.delete', { id: 'test-tod' })).toEqual({ deleted: 'test-tod', versions: 2 });
    expect((await svc.invoke('scenario.results', { id: 'test-tod' })).length).toBe(0);
    const err = await svc.call('scenario.get', { id: 'test-tod' });
    expect(err.ok ? '' : err.error.code).toBe('E_SCENARIO_NOT_FOUND');
  });

  it('compares scenarios against Existing', async () => {
    const cmp = await svc.invoke('scenario.compare', { ids: ['tod-moderate', 'tod-intensive'], distances: DIST });
    expect(cmp.baseline).toBe('existing');
    expect(cmp.scenarios.map((s) => s.id)).toEqual(['existing', 'tod-moderate', 'tod-intensive']);
    expect(cmp.scenarios[0].vsBaseline.total.floorAreaM2.delta).toBe(0);
    const mod = cmp.scenarios[1];
    expect(mod.vsBaseline.total.floorAreaM2.value).toBe(mod.indicators.total.floorAreaM2);
    expect(mod.vsBaseline.total.floorAreaM2.delta).toBeCloseTo(mod.indicators.total.floorAreaM2 - 4000, 6);
    expect(cmp.metrics.length).toBeGreaterThan(10);
    const v1 = await svc.invoke('scenario.get', { id: 'tod-moderate' });
    const v2 = await svc.invoke('scenario.save', { id: 'tod-moderate', scenario: { ...v1.definition, softSiteFactor: 50 } });
    const versions = await svc.invoke('scenario.compare', { ids: [{ id: 'tod-moderate', version: 1 }, { id: 'tod-moderate', version: v2.version }], baseline: 'tod-moderate', distances: DIST });
    expect(versions.scenarios.map((s) => [s.id, s.version])).toEqual([['tod-moderate', 1], ['tod-moderate', 2]]);
    expect(versions.scenarios[1].vsBaseline.total.redevelopedParcels.delta).toBeLessThan(0);
  });

  it('assumptions: country defaults with a source for every key, set and reset', async () => {
    const a = await svc.invoke('assumptions.get', {});
    expect(a.country).toBe('TH');
    expect(a.stored).toBe(false);
    expect(a.entries.map((e) => e.key)).toEqual(DEFAULTED_KEY_LIST);
    for (const e of a.entries) expect(e.source.length).toBeGreaterThan(5);
    const s = await svc.invoke('assumptions.set', { entries: [{ key: 'dwellingSizeM2', value: 40, source: 'Test market study 2026' }] });
    expect(s.stored).toBe(true);
    expect(s.entries.find((e) => e.key === 'dwellingSizeM2')).toMatchObject({ value: 40, source: 'Test market study 2026' });
    const india = await svc.invoke('assumptions.set', { country: 'IN' });
    expect(india.country).toBe('IN');
    expect(india.entries.find((e) => e.key === 'waterLPerResidentDay')!.value).toBe(135);
    await svc.invoke('assumptions.set', { country: 'TH' });
  });

  it('labels crow-flies distances, and says when no catchment exists', async () => {
    const r = await svc.invoke('scenario.evaluate', { scenario: SCEN, distances: { kind: 'crowFlies', stationsLayer: 'stations', detourFactor: 1.3 } });
    expect(r.distanceSource).toMatch(/crow-flies × 1.3 .*NOT walking distance/);
    expect(r.warnings.some((w) => /crow-flies/.test(w))).toBe(true);
    expect(r.indicators.stations.map((s) => s.station)).toEqual(['Test Station']);
    const none = await svc.call('scenario.evaluate', { scenario: SCEN });
    expect(none.ok ? '' : none.error.code).toBe('E_DISTANCES_MISSING');
  });

  it('names the problem when the parcel layer is missing or not polygons', async () => {
    const pts = await svc.call('scenario.evaluate', { scenario: SCEN, distances: DIST, parcelLayer: 'stations' });
    expect(pts.ok ? '' : `${pts.error.code} ${pts.error.message}`).toMatch(/^E_PARCELS_MISSING .*holds POINT/);
    const none = await svc.call('scenario.evaluate', { scenario: SCEN, distances: DIST, parcelLayer: 'nope' });
    expect(none.ok ? '' : none.error.code).toBe('E_LAYER_NOT_FOUND');
  });

  it('keeps the prepared parcels until the layer changes', async () => {
    const p = svc.requireProject();
    const a = prepareParcels(p);
    expect(prepareParcels(p)).toBe(a);
    await svc.invoke('layers.remove', { layer: 'parcels' });
    await svc.invoke('layers.import', { path: join(SITE, 'parcels.geojson'), role: 'parcels', name: 'parcels' });
    await svc.invoke('layers.setFieldMap', { layer: 'parcels', mapping: { floor_area: null } });
    const b = prepareParcels(p);
    expect(b).not.toBe(a);
    expect(Number.isNaN(b.cols.existingFa[0])).toBe(true);
  });

  it('works through the CLI: ekimae call scenario.evaluate input.json --project p.gpkg', async () => {
    const pathOf = svc.requireProject().path;
    await svc.invoke('project.close', {});
    const input = join(dir, 'in.json');
    writeFileSync(input, JSON.stringify({ id: 'tod-moderate', distances: DIST }));
    const out = execFileSync('node', [join(import.meta.dirname, '../../../bin/ekimae.mjs'), 'call', 'scenario.evaluate', input, '--project', pathOf], { encoding: 'utf8' });
    const r = JSON.parse(out);
    expect(r.scenarioId).toBe('tod-moderate');
    expect(r.stored.parcelLayer).toBe('parcels');
    expect(r.indicators.total.parcels).toBe(4);
  });
});

describe('scenario on a stored catchment run', () => {
  it('takes walking distances and station names from the latest run', async () => {
    const s2 = new EkimaeService({ strictOutputs: true });
    await s2.invoke('project.create', { path: join(dir, 'catchment.gpkg'), settings: { name: 'catchment', country: 'TH' } });
    for (const [f, role] of [['parcels', 'parcels'], ['network', 'network'], ['stations', 'stations']] as const) {
      await s2.invoke('layers.import', { path: join(SITE, `${f}.geojson`), role, name: f });
    }
    const run = await s2.invoke('catchment.run', { bandsM: [400, 800] });
    const dist = new Map((await s2.invoke('catchment.parcels', { runId: run.runId })).parcels.map((r) => [r.parcelFid, r.distM]));
    await s2.invoke('scenario.defaults', {});
    const ev = await s2.invoke('scenario.evaluate', { id: 'tod-moderate', includeParcels: true });
    expect(ev.distanceSource).toBe(`catchment run ${run.runId} (walking distance)`);
    expect(ev.indicators.stations.map((s) => s.station)).toEqual(['Test Station']);
    const p = ev.parcels!;
    p.fids.forEach((fid, i) => {
      const d = dist.get(fid)!;
      expect(d).toBeGreaterThan(0);
      expect(p.band[i]).toBe(d < 400 ? '0-400m' : d < 800 ? '400-800m' : '800-1200m');
      // Thailand defaults: rail share 0.45 at 0 m, 0.35 at 400 m, linear; 2.2 trips per resident, 2 per job; half are boardings here.
      const share = d < 400 ? 0.45 + (d / 400) * (0.35 - 0.45) : 0.35 + ((d - 400) / 400) * (0.22 - 0.35);
      expect(p.boardings[i]).toBeCloseTo(0.5 * (2.2 * p.residents[i] + 2 * p.jobs[i]) * share, 6);
    });
    s2.close();
    const out = execFileSync('node', [join(import.meta.dirname, '../../../bin/ekimae.mjs'), 'scenario', join(dir, 'catchment.gpkg')], { encoding: 'utf8' });
    expect(out).toContain(`distances: catchment run ${run.runId} (walking distance); baseline: existing; results stored`);
    expect(out.split('\n').filter((l) => /^(Existing|Trend|TOD moderate|TOD intensive) /.test(l)).length).toBe(4);
    const s3 = new EkimaeService();
    await s3.invoke('project.open', { path: join(dir, 'catchment.gpkg'), readOnly: true });
    expect((await s3.invoke('scenario.results', {})).map((r) => r.scenarioId).sort()).toEqual(['existing', 'tod-intensive', 'tod-moderate', 'trend']);
    s3.close();
  });
});
