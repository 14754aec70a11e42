import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocate, type AllocInput } from '../../../core/growth/allocate.js';
import { premiumAt, premiumFactorsInto, viability } from '../../../core/growth/market.js';

const expected = JSON.parse(readFileSync(new URL('../../fixtures/growth/three-parcels/expected.json', import.meta.url), 'utf8'));
const f64 = (...v: number[]) => Float64Array.from(v);

function threeParcels(over: Partial<AllocInput> = {}): AllocInput {
  return {
    n: 3, nAreas: 1, periods: 2, area: Int32Array.from([0, 0, 0]),
    dRes: f64(100, 60, 0), dJobs: f64(0, 10, 50), dResM2: f64(5000, 3000, 0), dNonResM2: f64(0, 200, 1000), margin: f64(300, 500, NaN),
    programme: null, nZones: 0, programmeDue: new Float64Array(0),
    baseRes: f64(1000), baseJobs: f64(500), targetRes: f64(1080, 1140), targetJobs: f64(520, 560),
    capResM2: f64(600 * 6, 600 * 5), capNonResM2: f64(100 * 6, 100 * 5), ...over,
  };
}

describe('take-up allocation (tests/fixtures/growth/three-parcels, worked by hand)', () => {
  const out = allocate(threeParcels());
  it('builds the best margin first, within demand and the absorption ceiling, in part where a period runs out', () => {
    expect(Array.from(out.share.subarray(0, 3))).toEqual(expected.share2030.map((x: number) => expect.closeTo(x, 6)));
    expect(Array.from(out.share.subarray(3, 6))).toEqual(expected.share2035.map((x: number) => expect.closeTo(x, 6)));
    expect(Array.from(out.order)).toEqual([1, 0]);
  });
  it('reports unmet demand and what each period built', () => {
    expect(Array.from(out.unmetRes)).toEqual(expected.unmetResidents.map((x: number) => expect.closeTo(x, 6)));
    expect(Array.from(out.unmetJobs)).toEqual(expected.unmetJobs.map((x: number) => expect.closeTo(x, 6)));
    expect(Array.from(out.builtResM2)).toEqual(expected.builtResidentialM2.map((x: number) => expect.closeTo(x, 6)));
    expect(Array.from(out.builtNonResM2)).toEqual(expected.builtNonResidentialM2.map((x: number) => expect.closeTo(x, 6)));
  });
  it('never builds beyond capacity, and a parcel that fails the test takes nothing however large the demand', () => {
    const big = allocate(threeParcels({ targetRes: f64(1e6, 2e6), targetJobs: f64(1e6, 2e6), capResM2: f64(1e9, 1e9), capNonResM2: f64(1e9, 1e9) }));
    expect(Array.from(big.share)).toEqual([1, 1, 0, 1, 1, 0]);
  });
  it('without demand nothing is built, whatever the ceiling', () => {
    const none = allocate(threeParcels({ targetRes: f64(1000, 1000), targetJobs: f64(500, 500), capResM2: f64(1e9, 1e9), capNonResM2: f64(1e9, 1e9) }));
    expect(Array.from(none.share).every((x) => x === 0)).toBe(true);
  });
  it('a public-land programme builds its zone on schedule, held back only by the ceiling', () => {
    // P3 (fails the market test) is the programme's zone: 1,000 m² of other floor area due, 600 m² ceiling in the first period.
    const prog = allocate(threeParcels({ programme: Int32Array.from([-1, -1, 0]), nZones: 1, programmeDue: f64(1000, 1000) }));
    expect(prog.share[2]).toBeCloseTo(0.6, 6);
    expect(prog.programmeShortM2[0]).toBeCloseTo(400, 6);
    expect(prog.share[5]).toBeCloseTo(1, 6);
    expect(prog.programmeShortM2[1]).toBeCloseTo(0, 6);
  });
});

describe('the redevelopment test (same fixture, worked by hand)', () => {
  const market = {
    saleValuePerM2: { residential: 100_000, commercial: 0, office: 0 }, constructionCostPerM2: { residential: 40_000, commercial: 0, office: 0, civic: 40_000 },
    demolitionCostPerM2: 2_000, developerMargin: 0.25, landownerPremium: 0.2, existingBuildingShare: 0.5,
    premiumCurve: [[0, 0.2], [400, 0.1], [800, 0]] as Array<[number, number]>,
  };
  it('residual land value against existing use value plus the landowner premium', () => {
    expect(premiumAt(market.premiumCurve, 300)).toBeCloseTo(expected.viability.premiumAt300, 12);
    const v = viability({
      n: 2, area: f64(1000, 1000), landValue: f64(20_000, 200_000), dist: f64(300, 300), existingFa: f64(500, 500), existingClass: Uint8Array.from([0, 0]),
      capRes: f64(4000, 4000), capCom: f64(0, 0), capOff: f64(0, 0), eligible: Uint8Array.from([1, 1]),
    }, market);
    expect(v.residual[0]).toBeCloseTo(expected.viability.residualA, 3);
    expect(v.existingUse[0]).toBeCloseTo(expected.viability.existingUseA, 3);
    expect(v.margin[0]).toBeCloseTo(expected.viability.marginA, 6);
    expect(Number.isNaN(v.margin[1])).toBe(true);
  });

  it('prices a parcel by its station and band where market.stationValues gives figures, else project-wide', () => {
    // Station A's band (≤ 500 m): residential 150,000, construction 30,000, land 50,000 (fills a missing land value only).
    const sv = [{ station: 'a', source: 'test', bands: [{ maxDistM: 500, saleValuePerM2: { residential: 150_000 }, constructionCostPerM2: { residential: 30_000 }, landValuePerM2: 50_000 }] }];
    const parcels = {
      n: 3, area: f64(1000, 1000, 1000), landValue: f64(NaN, NaN, 20_000), dist: f64(300, 600, 300), existingFa: f64(500, 500, 500), existingClass: Uint8Array.from([0, 0, 0]),
      capRes: f64(4000, 4000, 4000), capCom: f64(0, 0, 0), capOff: f64(0, 0, 0), eligible: Uint8Array.from([1, 1, 1]),
      station: Int32Array.from([0, 0, 1]), stationNames: ['A', 'B'],
    };
    const v = viability(parcels, { ...market, stationValues: sv });
    // Premium at 300 m = 0.2 − 300/400 × 0.1 = 0.125; at 600 m = 0.1 − 200/400 × 0.1 = 0.05.
    // P1 (A, 300 m, in the band): GDV 4,000 × 150,000 × 1.125 = 675,000,000; × 0.75 − 4,000 × 30,000 − 500 × 2,000 = 385,250,000.
    //   EUV = 50,000 × 1,000 (filled) + 500 × 0.5 × 30,000 = 57,500,000; margin = (385,250,000 − 1.2 × 57,500,000) / 1,000 = 316,250.
    expect(v.residual[0]).toBeCloseTo(385_250_000, 3);
    expect(v.existingUse[0]).toBeCloseTo(57_500_000, 3);
    expect(v.margin[0]).toBeCloseTo(316_250, 6);
    // P2 (A, 600 m, beyond the band): project-wide 100,000 and 40,000; land stays unknown.
    //   4,000 × 100,000 × 1.05 × 0.75 − 160,000,000 − 1,000,000 = 154,000,000; EUV 500 × 0.5 × 40,000 = 10,000,000; margin (154,000,000 − 12,000,000) / 1,000.
    expect(v.residual[1]).toBeCloseTo(154_000_000, 3);
    expect(v.margin[1]).toBeCloseTo(142_000, 6);
    // P3 (station B, not listed): project-wide; 337,500,000 − 161,000,000 = 176,500,000; EUV 20,000,000 + 10,000,000.
    expect(v.residual[2]).toBeCloseTo(176_500_000, 3);
    expect(v.margin[2]).toBeCloseTo((176_500_000 - 1.2 * 30_000_000) / 1000, 6);
    // Without the parcels' stations the same settings price everything project-wide.
    const { station: _s, stationNames: _n, ...noStations } = parcels;
    expect(viability(noStations, { ...market, stationValues: sv }).residual[0]).toBeCloseTo(4000 * 100_000 * 1.125 * 0.75 - 161_000_000, 3);
  });

  it('growth settings refuse station bands whose distances do not increase', async () => {
    const { defaultGrowth } = await import('../../../core/growth/defaults.js');
    const { validateGrowth } = await import('../../../core/growth/settings.js');
    const g = defaultGrowth({ country: 'IN' });
    const bad = { ...g, market: { ...g.market, stationValues: [{ station: 'A', source: '', bands: [{ maxDistM: 800 }, { maxDistM: 400 }] }] } };
    expect(() => validateGrowth(bad)).toThrow(/band distances must increase/);
    expect(validateGrowth({ ...g, market: { ...g.market, stationValues: [{ station: 'A', source: 's', bands: [{ maxDistM: 400 }, { maxDistM: 800 }] }] } }).market.stationValues).toHaveLength(1);
  });
});

describe('premium factors in bulk (the take-up\'s re-runs)', () => {
  it('equal 1 + premiumAt at every distance: on the points, between them, before the first, past the last, unreached, on curves with a step', () => {
    const curves: Array<Array<[number, number]>> = [
      [[0, 0.3], [400, 0.2], [800, 0.1], [1200, 0]],
      [[200, 0.5], [200, 0.25], [600, 0.25], [900, 0.05]],
      [[100, 1.2]],
    ];
    const dist = Float64Array.from([0, 50, 100, 199.999, 200, 200.0001, 400, 401, 799.5, 800, 1199, 1200, 1200.5, 5000, -1, NaN, Infinity, ...Array.from({ length: 300 }, (_, i) => i * 4.37)]);
    for (const curve of curves) {
      const out = premiumFactorsInto(curve, dist, new Float64Array(dist.length));
      const want = Array.from(dist, (d) => 1 + premiumAt(curve, d));
      expect(Array.from(out)).toEqual(want);
      // Not all the same (else the comparison proves little).
      expect(new Set(want).size).toBeGreaterThan(curve.length > 1 ? 20 : 1);
    }
  });
});

describe('rank order of the candidates', () => {
  it('equals a comparator sort by margin (descending), ties by index, on random margins with ties', async () => {
    const { rankByMargin } = await import('../../../core/growth/allocate.js');
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const m = Float64Array.from({ length: 5000 }, () => (rnd() < 0.2 ? 42.5 : 1 + rnd() * 1e6));
    const ids = Array.from({ length: 5000 }, (_, i) => i).filter((i) => i % 7 !== 3);
    const brute = [...ids].sort((x, y) => m[y] - m[x] || x - y);
    expect(Array.from(rankByMargin(m, ids))).toEqual(brute);
  });
});
