import { area as turfArea } from '@turf/turf';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { premiumAt } from '../../../core/lvc/premium-curve.js';
import { tmpDir } from '../../helpers/tmp.js';
import { makeGridProject } from '../../helpers/grid-project.js';

const dir = tmpDir();
const svc = new EkimaeService();

describe('land value capture through the contract', () => {
  beforeAll(async () => { await makeGridProject(svc, dir); }, 120_000);

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
    // Per parcel the stored development uplift is what the rules allow (capacity); the run's headline is what
    // the projected take-up builds by the last horizon (issue #12), never more.
    expect(run.result.summary.upliftDevelopmentCapacity!).toBeCloseTo(sumDev, 0);
    expect(run.result.summary.upliftBasis).toBe('projected');
    expect(run.result.summary.upliftDevelopment).toBeLessThanOrEqual(sumDev * (1 + 1e-9));
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
    // No draws at all: refused up front (it ran, and failed as E_INTERNAL on percentiles of nothing).
    const none = await svc.call('lvc.run', { scenario: 'tod-moderate', draws: 0 });
    expect(none.ok ? null : [none.error.code, /draws/.test(none.error.message)]).toEqual(['E_INPUT_INVALID', true]);
  });

  it('the CLI refuses --draws 0 or beyond 20000 as a usage error (exit 2), before opening anything', async () => {
    const { main } = await import('../../../core/cli/main.js');
    for (const cmd of ['analyze', 'lvc']) {
      for (const n of ['0', '20001', '1.5']) {
        const err: string[] = [];
        const code = await main([cmd, 'no-such-project.gpkg', '--draws', n], { out: () => undefined, err: (x) => err.push(x), stdin: async () => '' });
        expect([code, err.join('\n')], `${cmd} --draws ${n}`).toEqual([2, expect.stringContaining('--draws takes a whole number from 1 to 20000')]);
      }
    }
  });

  it('lvc.legalBasis: the project country\'s table; a country without one is refused by name', async () => {
    const th = await svc.invoke('lvc.legalBasis', {});
    expect(th.country).toBe('TH');
    const lr = th.instruments.find((i) => i.id === 'landReadjustment')!;
    expect([lr.inLaw, lr.defaultOn]).toEqual([true, true]);
    expect(lr.basis).toMatch(/Land Readjustment Act B\.E\. 2562/);
    expect(th.instruments.find((i) => i.id === 'bettermentLevy')!.defaultOn).toBe(false);
    const bad = await svc.call('lvc.legalBasis', { country: 'FR' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) { expect(bad.error.code).toBe('E_INPUT_INVALID'); expect(bad.error.message).toContain('"FR"'); }
  });
});
