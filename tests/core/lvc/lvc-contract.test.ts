import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { area as turfArea } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { premiumAt } from '../../../core/lvc/premium-curve.js';
import { tmpDir } from '../../helpers/tmp.js';

// A 9 × 9 street grid (~100 m blocks) around one station; a parcel in every block.
const LON0 = 100.54, LAT0 = 13.80, DLON = 0.000925, DLAT = 0.0009; // ≈ 100 m at this latitude
const dir = tmpDir();
const svc = new EkimaeService();

function grid() {
  const lines = [];
  for (let i = 0; i <= 8; i++) {
    lines.push({ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: Array.from({ length: 9 }, (_, j) => [LON0 + j * DLON, LAT0 + i * DLAT]) } });
    lines.push({ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: Array.from({ length: 9 }, (_, j) => [LON0 + i * DLON, LAT0 + j * DLAT]) } });
  }
  const parcels = [];
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
    const x = LON0 + i * DLON + DLON * 0.15, y = LAT0 + j * DLAT + DLAT * 0.15, w = DLON * 0.7, h = DLAT * 0.7;
    parcels.push({ type: 'Feature', properties: {
      parcel_id: `P${i}-${j}`, land_use: (i + j) % 3 === 0 ? 'commercial' : 'residential', floor_area: 2000, floors: 2,
      land_value: 40_000 + 1000 * i, ownership: i === 4 && j === 4 ? 'public' : 'private',
    }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] } });
  }
  return { lines, parcels };
}

describe('land value capture through the contract', () => {
  beforeAll(async () => {
    const { lines, parcels } = grid();
    writeFileSync(join(dir, 'streets.geojson'), JSON.stringify({ type: 'FeatureCollection', features: lines }));
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: parcels }));
    writeFileSync(join(dir, 'stations.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { station_id: 'S1', name: 'Central' }, geometry: { type: 'Point', coordinates: [LON0 + 4 * DLON + 0.00005, LAT0 + 4 * DLAT] } }] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Grid', country: 'TH', currency: 'THB' } });
    await svc.invoke('layers.import', { path: join(dir, 'streets.geojson'), role: 'network' });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    await svc.invoke('layers.import', { path: join(dir, 'stations.geojson'), role: 'stations' });
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
  }, 120_000);

  it('uses the country defaults with sources until parameters are stored', async () => {
    const r = await svc.invoke('lvc.params', {});
    expect(r.stored).toBe(false);
    expect(r.sources.premiumCurve).toMatch(/World Bank/);
    expect(r.params.discountRate).toBe(0.08);
  });

  it('runs for a scenario, stores the run, and every figure traces back to inputs', async () => {
    const { params } = await svc.invoke('lvc.params', {});
    params.costs = { station: 2_000_000_000, infrastructure: 500_000_000, startYear: 0, years: 4 };
    await svc.invoke('lvc.setParams', { params });
    const run = await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 200, seed: 7 });
    expect(run.runId).toBeGreaterThan(0);
    expect(run.baseline).toBe('existing');
    expect(run.baseEntitlement).toBe('trend');
    expect(run.distanceSource).toMatch(/catchment run/);
    expect(run.params.costs.station).toBe(2_000_000_000);

    // Per-parcel proximity uplift = land value × area × premium(walking distance), with the area
    // measured independently (turf, spherical: within 0.5 %) and the distance from the catchment.
    const uplift = await svc.invoke('lvc.parcels', { runId: run.runId! });
    const dist = new Map((await svc.invoke('catchment.parcels', {})).parcels.map((x) => [x.parcelFid, x.distM]));
    const feats = (await svc.invoke('layers.features', { layer: 'parcels' })).features;
    let checked = 0;
    for (const f of feats) {
      const u = uplift.find((x) => x.fid === f.id)!;
      const d = dist.get(f.id!);
      const expected = (f.properties.land_value as number) * turfArea(f as never) * premiumAt(run.params.premiumCurve, d ?? Infinity);
      if (expected === 0) { expect(u.proximity).toBe(0); continue; }
      expect(Math.abs(u.proximity - expected) / expected).toBeLessThan(0.005);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    const sumProx = uplift.reduce((s, x) => s + x.proximity, 0), sumDev = uplift.reduce((s, x) => s + x.development, 0);
    expect(run.result.summary.upliftProximity).toBeCloseTo(sumProx, 0);
    expect(run.result.summary.upliftDevelopment).toBeCloseTo(sumDev, 0);
    expect(sumDev).toBeGreaterThan(0); // TOD moderate adds floor area near the station

    // Summary figures recomputed from the returned yearly flows.
    const r = run.params.discountRate;
    const pv = (a: number[]) => a.reduce((s, v, t) => s + v / (1 + r) ** t, 0);
    const instrumentCost = run.result.instruments.reduce((s, f) => s + pv(f.cost), 0);
    expect(run.result.summary.pvCaptured).toBeCloseTo(pv(run.result.captured), 0);
    expect(run.result.summary.npv).toBeCloseTo(pv(run.result.net), 0);
    expect(run.result.summary.shareFinanced!).toBeCloseTo((pv(run.result.captured) - instrumentCost) / pv(run.result.costs), 9);
    const pools = Object.values(run.result.pools).reduce((a, b) => a + b, 0);
    expect(run.result.summary.pvCaptured).toBeLessThanOrEqual(pools * (1 + 1e-9));
    expect(run.result.monteCarlo.draws).toBe(200);
    expect(run.result.tornado.bars.length).toBeGreaterThan(5);

    const stored = await svc.invoke('lvc.results', { scenario: 'tod-moderate' });
    expect(stored[0].runId).toBe(run.runId);
    expect(stored[0].result.summary.npv).toBeCloseTo(run.result.summary.npv, 6);
  });

  it('gives clear errors: unknown scenario, capture share over 100 %, negative discount beyond −100 %', async () => {
    const bad = await svc.call('lvc.run', { scenario: 'nope' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('E_SCENARIO_NOT_FOUND');
    const { params } = await svc.invoke('lvc.params', {});
    const share = await svc.call('lvc.setParams', { params: { ...params, instruments: { ...params.instruments, bettermentLevy: { ...params.instruments.bettermentLevy, share: 1.5 } } } });
    expect(share.ok).toBe(false);
    if (!share.ok) expect(share.error.message).toMatch(/bettermentLevy\.share/);
    const rate = await svc.call('lvc.run', { scenario: 'tod-moderate', params: { ...params, discountRate: -1.2 } });
    expect(rate.ok).toBe(false);
    if (!rate.ok) expect(rate.error.code).toBe('E_INPUT_INVALID');
  });
});
