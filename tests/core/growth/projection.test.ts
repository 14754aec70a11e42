/**
 * Per-parcel projection by horizon (maps and band charts, issue #12): the three-parcel fixture worked
 * by hand (tests/fixtures/growth/three-parcels/SOURCE.md), from the allocation's own shares; then, on a
 * copy of the Bang Sue sample, growth.parcels against two other paths: the scenario's evaluation
 * (capacity by band) and the take-up summary (projected totals per horizon).
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { allocate } from '../../../core/growth/allocate.js';
import { projectParcels, type ProjectionColumns } from '../../../core/growth/projection.js';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const expected = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/growth/three-parcels/expected.json'), 'utf8'));
const P = expected.projection;
const f64 = (v: number[]) => Float64Array.from(v);

function columns(share: Float32Array, over: Partial<ProjectionColumns> = {}): ProjectionColumns {
  const q = P.parcels;
  return {
    area: f64(q.area), exFloorArea: f64(q.exFloorArea), exResidents: f64(q.exResidents), exJobs: f64(q.exJobs),
    capFloorArea: f64(q.capFloorArea), capResidents: f64(q.capResidents), capJobs: f64(q.capJobs),
    redeveloped: Uint8Array.from([1, 1, 1]), band: Uint8Array.from(q.band), bandNames: q.bandNames, share, horizons: [2030, 2035], ...over,
  };
}

// The allocation of the same fixture (allocate.test.ts checks these shares against the hand figures).
const f = (...v: number[]) => Float64Array.from(v);
const alloc = allocate({
  n: 3, nAreas: 1, periods: 2, area: Int32Array.from([0, 0, 0]),
  dRes: f(100, 60, 0), dJobs: f(0, 10, 50), dResM2: f(5000, 3000, 0), dNonResM2: f(0, 200, 1000), margin: f(300, 500, NaN),
  programme: null, nZones: 0, programmeDue: new Float64Array(0),
  baseRes: f(1000), baseJobs: f(500), targetRes: f(1080, 1140), targetJobs: f(520, 560), capResM2: f(3600, 3000), capNonResM2: f(600, 500),
});

// Shares are stored as Float32 (0.72 is 0.7200000286…): a few thousandths of a m² or resident.
const close = (xs: number[], digits = 4) => xs.map((x) => expect.closeTo(x, digits));
const triple = (b: { floorAreaM2: number; residents: number; jobs: number }) => [b.floorAreaM2, b.residents, b.jobs];

describe('per-parcel projection by horizon (three-parcel fixture, by hand)', () => {
  const pr = projectParcels(columns(alloc.share));
  const col = (a: Float32Array, c: number) => Array.from(a.subarray(c * 3, c * 3 + 3));

  it('FAR and floor area of each parcel at 2030, 2035 and capacity', () => {
    expect(pr.horizons).toEqual([2030, 2035]);
    expect(col(pr.far, 0)).toEqual(close(P.far['2030']));
    expect(col(pr.far, 1)).toEqual(close(P.far['2035']));
    expect(col(pr.far, 2)).toEqual(close(P.far.capacity));
    expect(col(pr.floorArea, 0)).toEqual(close(P.floorArea['2030']));
    expect(col(pr.floorArea, 1)).toEqual(close(P.floorArea['2035']));
    expect(col(pr.floorArea, 2)).toEqual(close(P.floorArea.capacity));
  });

  it('floor area, residents and jobs by band and in total, per horizon and at capacity', () => {
    for (const b of pr.bands) {
      const want = P.bandsFloorResidentsJobs[b.band];
      expect(triple(b.horizons[0]!), `${b.band} 2030`).toEqual(close(want['2030'], 2));
      expect(triple(b.horizons[1]!), `${b.band} 2035`).toEqual(close(want['2035'], 2));
      expect(triple(b.capacity), `${b.band} capacity`).toEqual(close(want.capacity, 2));
    }
    expect(pr.bands.map((b) => b.band)).toEqual(P.parcels.bandNames);
    expect(triple(pr.total.horizons[0]!)).toEqual(close(P.totalFloorResidentsJobs['2030'], 2));
    expect(triple(pr.total.horizons[1]!)).toEqual(close(P.totalFloorResidentsJobs['2035'], 2));
    expect(triple(pr.total.capacity)).toEqual(close(P.totalFloorResidentsJobs.capacity, 2));
  });

  it('a parcel the rules leave alone keeps what stands whatever its share says, and one without area counts for nothing', () => {
    const share = Float32Array.from([1, 1, 1, 1, 1, 1]);
    const pr2 = projectParcels(columns(share, { redeveloped: Uint8Array.from([0, 1, 1]), area: f64([0, 1000, 500]) }));
    expect(pr2.floorArea[0]).toBe(1000);
    expect(Number.isNaN(pr2.far[0])).toBe(true);
    expect(triple(pr2.bands[0]!.horizons[0]!)).toEqual([0, 0, 0]);
    expect(pr2.bands[0]!.capacity.residents).toBe(0);
  });

  it('refuses shares that do not match parcels × horizons (E_PROJECT_INVALID)', () => {
    expect(() => projectParcels(columns(new Float32Array(5)))).toThrow(expect.objectContaining({ code: 'E_PROJECT_INVALID' }));
  });
});

const SAMPLE = join(ROOT, 'sample-data', 'bang-sue.gpkg');

describe.skipIf(!existsSync(SAMPLE))('growth.parcels on the Bang Sue sample', () => {
  const svc = new EkimaeService();
  beforeAll(async () => {
    const path = join(tmpDir(), 'bang-sue.gpkg');
    copyFileSync(SAMPLE, path);
    await svc.invoke('project.open', { path });
    await svc.invoke('catchment.run', {});
    if (!(await svc.invoke('scenario.list', {})).length) await svc.invoke('scenario.defaults', {});
  }, 300_000);

  it('capacity by band equals the scenario\'s own evaluation; projected totals equal the take-up summary per horizon', async () => {
    const pr = await svc.invoke('growth.parcels', { id: 'tod-moderate' });
    expect(pr.source).toMatch(/computed now \(not stored\)/);
    expect(pr.columns).toEqual([...pr.horizons, 'capacity']);
    const ev = await svc.invoke('scenario.evaluate', { id: 'tod-moderate', store: false });
    expect(pr.bands.map((b) => b.band)).toEqual(ev.indicators.bands.map((b) => b.band));
    pr.bands.forEach((b, k) => {
      const i = ev.indicators.bands[k]!.indicators;
      expect(b.capacity.residents).toBeCloseTo(i.residents, 3);
      expect(b.capacity.jobs).toBeCloseTo(i.jobs, 3);
      expect(b.capacity.floorAreaM2).toBeCloseTo(i.floorAreaM2, 0);
    });
    const tu = (await svc.invoke('growth.takeUp', { ids: ['tod-moderate'], store: true })).scenarios[0]!.takeUp;
    expect(pr.horizons).toEqual(tu.horizons.map((h) => h.year));
    tu.horizons.forEach((h, k) => {
      expect(pr.total.horizons[k]!.residents / h.residents).toBeCloseTo(1, 9);
      expect(pr.total.horizons[k]!.jobs / h.jobs).toBeCloseTo(1, 9);
      expect(pr.total.horizons[k]!.floorAreaM2 / h.floorAreaM2).toBeCloseTo(1, 9);
    });
    // Projected, not build-out: the last horizon is well below capacity.
    expect(pr.total.horizons.at(-1)!.residents).toBeLessThan(pr.total.capacity.residents);

    const packed = pr.far;
    const fids = pr.fids;
    expect(packed).toBeInstanceOf(Float32Array);
    expect(fids).toBeInstanceOf(Float64Array);
    expect(fids.length).toBe(pr.n);
    expect(packed.length).toBe(pr.n * (pr.horizons.length + 1));

    // Once stored, the shares come from the store, with the same figures.
    const again = await svc.invoke('growth.parcels', { id: 'tod-moderate' });
    expect(again.source).toMatch(/^stored take-up run \d+/);
    expect(again.total).toEqual(pr.total);
    expect(again.far).toEqual(pr.far);
  }, 300_000);

  it('an unsaved definition is projected too (computed, not stored)', async () => {
    const def = (await svc.invoke('scenario.get', { id: 'tod-moderate' })).definition;
    const before = (await svc.invoke('growth.results', { id: 'tod-moderate' })).length;
    const pr = await svc.invoke('growth.parcels', { scenario: { ...def, rules: def.rules.map((r) => ({ ...r, maxFar: r.maxFar * 2 })) } });
    expect(pr.scenarioId).toBeNull();
    expect(pr.source).toMatch(/not stored/);
    expect(pr.total.capacity.floorAreaM2).toBeGreaterThan(0);
    expect((await svc.invoke('growth.results', { id: 'tod-moderate' })).length).toBe(before);
  }, 300_000);

  it('refuses both an id and a definition, and an unknown scenario', async () => {
    await expect(svc.invoke('growth.parcels', {} as never)).rejects.toMatchObject({ code: 'E_INPUT_INVALID' });
    await expect(svc.invoke('growth.parcels', { id: 'no-such' })).rejects.toMatchObject({ code: 'E_SCENARIO_NOT_FOUND' });
  });
});
