import { describe, expect, it } from 'vitest';
import { defaultLvcParams, type LvcParams } from '../../../core/lvc/params.js';
import { DistanceIndex, parcelUplift, residualPerM2, type LvcParcels } from '../../../core/lvc/uplift.js';
import { prepare, runLvc, validateParams } from '../../../core/lvc/run.js';
import { monteCarlo, tornado } from '../../../core/lvc/sensitivity.js';
import { mulberry32 } from '../../../core/util/prng.js';
import { premiumAt } from '../../../core/lvc/premium-curve.js';

// Expected values: tests/fixtures/lvc/SOURCE.md ("Three parcels"), worked by hand.
const CURVE: LvcParams['premiumCurve'] = [[0, 0.25], [200, 0.25], [400, 0.18], [800, 0.08], [1200, 0]];

function threeParcels(): LvcParcels {
  return {
    fid: Float64Array.from([1, 2, 3]),
    areaM2: Float64Array.from([1000, 2000, 5000]),
    landValue: Float64Array.from([50_000, 40_000, 30_000]),
    distM: Float64Array.from([100, 600, 300]),
    isPublic: Uint8Array.from([0, 0, 1]),
    addedGfa: {
      residential: Float64Array.from([2000, 0, 0]),
      commercial: Float64Array.from([0, 1000, 0]),
      office: Float64Array.from([0, 0, 10_000]),
    },
    bonusGfa: Float64Array.from([500, 0, 2000]),
  };
}

const SALE = { residential: 95_000, commercial: 110_000, office: 100_000 };
const COST = { residential: 28_000, commercial: 35_000, office: 38_000 };

/** Simple case: no growth, station open and all floor area absorbed in year 0, every instrument off. */
function simple(): LvcParams {
  const p = structuredClone(defaultLvcParams('TH').params);
  Object.assign(p, {
    horizonYears: 5, discountRate: 0.1, inflation: 0, priceGrowth: 0, stationOpeningYear: 0, premiumCurve: CURVE,
    saleValuePerM2: SALE, constructionCostPerM2: COST, developerMargin: 0.2,
    absorption: { startYear: 0, years: 1, steepness: 0 }, costs: { station: 0, infrastructure: 0, startYear: 0, years: 1 },
  });
  for (const k of Object.keys(p.instruments) as Array<keyof LvcParams['instruments']>) p.instruments[k].enabled = false;
  return p;
}

const flows = (r: ReturnType<typeof runLvc>, id: string) => r.instruments.find((i) => i.id === id)!;

describe('uplift', () => {
  it('premium curve interpolates between points and is zero beyond the last', () => {
    expect(premiumAt(CURVE, 100)).toBe(0.25);
    expect(premiumAt(CURVE, 600)).toBeCloseTo(0.13, 14);
    expect(premiumAt(CURVE, 300)).toBeCloseTo(0.215, 14);
    expect(premiumAt(CURVE, 5000)).toBe(0);
    expect(premiumAt(CURVE, Infinity)).toBe(0);
  });

  it('proximity and development uplift per parcel, kept apart', () => {
    const residual = residualPerM2(SALE, COST, 0.2);
    expect(residual).toEqual({ residential: 48_000, commercial: 53_000, office: 42_000 });
    const u = parcelUplift(threeParcels(), CURVE, residual);
    expect(u.proximity[0]).toBeCloseTo(12_500_000, 4);
    expect(u.proximity[1]).toBeCloseTo(10_400_000, 4);
    expect(u.proximity[2]).toBeCloseTo(32_250_000, 4);
    expect([...u.development]).toEqual([96_000_000, 53_000_000, 420_000_000]);
    expect(u.total[2]).toBeCloseTo(452_250_000, 4);
  });

  it('residual value is never negative', () => {
    expect(residualPerM2({ residential: 10_000 }, { residential: 50_000 }, 0.2)).toEqual({ residential: 0 });
  });

  it('the distance index sums match a brute-force pass for random curves and radii', () => {
    const rand = mulberry32(7);
    const n = 500;
    const p: LvcParcels = {
      fid: Float64Array.from({ length: n }, (_, i) => i), areaM2: Float64Array.from({ length: n }, () => 100 + rand() * 5000),
      landValue: Float64Array.from({ length: n }, () => rand() * 80_000), distM: Float64Array.from({ length: n }, () => (rand() < 0.05 ? Infinity : Math.round(rand() * 2000))),
      isPublic: Uint8Array.from({ length: n }, () => (rand() < 0.2 ? 1 : 0)), addedGfa: { residential: Float64Array.from({ length: n }, () => rand() * 3000) },
      bonusGfa: Float64Array.from({ length: n }, () => rand() * 500),
    };
    const idx = new DistanceIndex(p, { residential: 1 });
    for (let k = 0; k < 50; k++) {
      const curve: LvcParams['premiumCurve'] = [[0, rand()], [200 + rand() * 300, rand()], [700 + rand() * 500, rand()], [1300 + rand() * 500, 0]];
      const stretch = 0.5 + rand();
      const r = k % 3 === 0 ? Infinity : Math.round(rand() * 2000);
      for (const pub of [0, 1] as const) {
        let brute = 0, area = 0;
        for (let i = 0; i < n; i++) {
          if (p.isPublic[i] !== pub || !Number.isFinite(p.distM[i]) || !(p.distM[i] <= r)) continue; // unreachable parcels count nowhere
          brute += p.landValue[i] * p.areaM2[i] * premiumAt(curve, p.distM[i], stretch);
          area += p.areaM2[i];
        }
        expect(idx.premiumValue(pub, curve, stretch, r)).toBeCloseTo(brute, 2);
        expect(idx.within(pub, 'area', r)).toBeCloseTo(area, 6);
      }
    }
  });
});

describe('instruments (hand-computed, SOURCE.md)', () => {
  const prep = () => prepare(threeParcels(), simple());

  it('betterment levy on the proximity uplift inside its zone, in instalments', () => {
    const p = simple();
    p.instruments.bettermentLevy = { enabled: true, share: 0.3, collectionRate: 0.8, zoneRadiusM: 800, startYear: 1, instalments: 2 };
    const f = flows(runLvc(prep(), p), 'bettermentLevy');
    expect(f.revenue[0]).toBe(0);
    expect(f.revenue[1]).toBeCloseTo(2_748_000, 4);
    expect(f.revenue[2]).toBeCloseTo(2_748_000, 4);
    expect(f.revenue[3]).toBe(0);
    expect(f.pvRevenue).toBeCloseTo(4_769_256.198, 2);
    expect(f.capped).toBe(false);
  });

  it('tax increment', () => {
    const p = simple();
    p.instruments.taxIncrement = { enabled: true, taxRate: 0.01, assessmentRatio: 0.5, collectionRate: 1, startYear: 1, years: 3 };
    const f = flows(runLvc(prep(), p), 'taxIncrement');
    expect(f.revenue.map((v) => Math.round(v))).toEqual([0, 859_500, 859_500, 859_500, 0]);
  });

  it('development rights, impact fees and joint development', () => {
    const p = simple();
    p.instruments.developmentRights = { enabled: true, pricePerM2: 8000, takeUp: 0.6 };
    p.instruments.impactFees = { enabled: true, feePerM2: 500, collectionRate: 0.9 };
    p.instruments.jointDevelopment = { enabled: true, mode: 'sale', railwayShare: 0.8, leaseYield: 0.06, leaseYears: 30, startYear: 1 };
    // Parcel 3 is railway-owned developable land: joint development pools only such land.
    const parcels = { ...threeParcels(), railwayDevelopable: Uint8Array.from([0, 0, 1]) };
    const r = runLvc(prepare(parcels, p), p);
    expect(flows(r, 'developmentRights').revenue[0]).toBeCloseTo(12_000_000, 4);
    expect(flows(r, 'impactFees').revenue[0]).toBeCloseTo(5_850_000, 4);
    expect(flows(r, 'jointDevelopment').revenue[1]).toBeCloseTo(361_800_000, 3);
  });

  it('land readjustment: reserve land sale and facility costs', () => {
    const p = simple();
    p.instruments.landReadjustment = { enabled: true, zoneRadiusM: 500, contributionRatio: 0.15, reserveShare: 0.5, saleYear: 2, facilityCostPerM2: 1500 };
    const f = flows(runLvc(prep(), p), 'landReadjustment');
    expect(f.revenue[2]).toBeCloseTo(4_687_500, 4);
    expect(f.cost).toEqual([750_000, 750_000, 0, 0, 0]);
    expect(f.note).toBeNull();
  });

  it('instruments sharing a pool never capture more than the uplift: the second one is capped to zero', () => {
    const p = simple();
    p.instruments.landReadjustment = { enabled: true, zoneRadiusM: 500, contributionRatio: 0.9, reserveShare: 1, saleYear: 2, facilityCostPerM2: 0 };
    p.instruments.bettermentLevy = { enabled: true, share: 0.3, collectionRate: 0.8, zoneRadiusM: 800, startYear: 1, instalments: 2 };
    const r = runLvc(prep(), p);
    const lr = flows(r, 'landReadjustment'), levy = flows(r, 'bettermentLevy');
    expect(lr.capped).toBe(true);
    expect(lr.pvRevenue).toBeCloseTo(22_900_000, 2);
    expect(lr.revenue[2]).toBeCloseTo(27_709_000, 2);
    expect(lr.note).toMatch(/landowners whole/);
    expect(levy.capped).toBe(true);
    expect(levy.pvRevenue).toBe(0);
  });

  it('station cost, NPV, share financed and IRR for the cost case', () => {
    const p = simple();
    p.costs = { station: 100_000_000, infrastructure: 0, startYear: 0, years: 2 };
    p.instruments.developmentRights = { enabled: true, pricePerM2: 8000, takeUp: 0.6 };
    const r = runLvc(prep(), p);
    expect(r.net.map((v) => Math.round(v))).toEqual([-38_000_000, -50_000_000, 0, 0, 0]);
    expect(r.summary.npv).toBeCloseTo(-83_454_545.45, 1);
    expect(r.summary.shareFinanced).toBeCloseTo(0.12571428571428572, 12);
    expect(r.summary.irr.status).toBe('none');
    expect(r.summary.paybackYear).toBeNull();
  });
});

describe('properties and bad input', () => {
  it('captured value (PV) never exceeds uplift (PV), over 300 random projects', () => {
    const rand = mulberry32(42);
    for (let k = 0; k < 300; k++) {
      const n = 1 + Math.floor(rand() * 40);
      const col = (f: () => number) => Float64Array.from({ length: n }, f);
      const parcels: LvcParcels = {
        fid: col(() => 0), areaM2: col(() => rand() * 5000), landValue: col(() => rand() * 100_000), distM: col(() => rand() * 2000),
        isPublic: Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0)),
        addedGfa: { residential: col(() => rand() * 5000), commercial: col(() => rand() * 2000) }, bonusGfa: col(() => rand() * 3000),
      };
      const p = structuredClone(defaultLvcParams(rand() < 0.5 ? 'TH' : 'IN').params);
      p.horizonYears = 5 + Math.floor(rand() * 40);
      p.discountRate = -0.05 + rand() * 0.2;
      p.priceGrowth = -0.02 + rand() * 0.06;
      p.stationOpeningYear = Math.floor(rand() * 8);
      const I = p.instruments;
      I.bettermentLevy = { ...I.bettermentLevy, enabled: rand() < 0.7, share: rand(), collectionRate: rand(), instalments: 1 + Math.floor(rand() * 10) };
      I.taxIncrement = { ...I.taxIncrement, enabled: rand() < 0.7, taxRate: rand() * 0.2, years: 1 + Math.floor(rand() * 60) };
      I.developmentRights = { enabled: rand() < 0.7, pricePerM2: rand() * 200_000, takeUp: rand() };
      I.landReadjustment = { ...I.landReadjustment, enabled: rand() < 0.7, contributionRatio: rand() * 0.9, reserveShare: rand() };
      I.jointDevelopment = { ...I.jointDevelopment, enabled: rand() < 0.7, mode: rand() < 0.5 ? 'sale' : 'lease', railwayShare: rand(), leaseYield: 0.01 + rand() * 0.2 };
      I.impactFees = { enabled: rand() < 0.7, feePerM2: rand() * 100_000, collectionRate: rand() };
      const r = runLvc(prepare(parcels, p), p);
      const pools = Object.values(r.pools).reduce((a, b) => a + b, 0);
      const captured = r.instruments.reduce((a, f) => a + f.pvRevenue, 0);
      expect(captured).toBeLessThanOrEqual(pools * (1 + 1e-9) + 1e-6);
      for (const f of r.instruments) for (const v of f.revenue) { expect(v).toBeGreaterThanOrEqual(0); expect(Number.isFinite(v)).toBe(true); }
      expect(Number.isFinite(r.summary.npv)).toBe(true);
    }
  });

  it('rejects a discount rate of −100 %, a capture share above 100 %, a zero-year horizon', () => {
    const base = defaultLvcParams('TH').params;
    expect(() => validateParams({ ...base, discountRate: -1 })).toThrow(/discountRate: must be above −100 %/);
    expect(() => validateParams({ ...base, instruments: { ...base.instruments, bettermentLevy: { ...base.instruments.bettermentLevy, share: 1.2 } } }))
      .toThrow(/instruments\.bettermentLevy\.share/);
    expect(() => validateParams({ ...base, horizonYears: 0 })).toThrow(/horizonYears: the horizon must be at least 1 year/);
    expect(() => validateParams({ ...base, premiumCurve: [[400, 0.1], [200, 0.2]] })).toThrow(/distances must increase/);
  });

  it('rejects negative land values naming the parcel', () => {
    const p = threeParcels();
    p.landValue[1] = -5;
    expect(() => prepare(p, simple())).toThrow(/parcel 2: land value -5/);
  });

  it('tornado and Monte Carlo: seeded, ordered, and the premium moves NPV the right way', () => {
    const p = simple();
    p.horizonYears = 20;
    p.costs = { station: 200_000_000, infrastructure: 0, startYear: 0, years: 3 };
    p.instruments.bettermentLevy = { enabled: true, share: 0.3, collectionRate: 0.8, zoneRadiusM: 800, startYear: 1, instalments: 5 };
    p.instruments.developmentRights = { enabled: true, pricePerM2: 8000, takeUp: 0.6 };
    const prep = prepare(threeParcels(), p);
    const t = tornado(prep, p);
    const prem = t.bars.find((b) => b.id === 'premium')!;
    expect(prem.npvHigh).toBeGreaterThan(prem.npvLow);
    for (let i = 1; i < t.bars.length; i++) {
      expect(Math.abs(t.bars[i - 1].npvHigh - t.bars[i - 1].npvLow)).toBeGreaterThanOrEqual(Math.abs(t.bars[i].npvHigh - t.bars[i].npvLow));
    }
    const a = monteCarlo(prep, p, 200, 1), b = monteCarlo(prep, p, 200, 1), c = monteCarlo(prep, p, 200, 2);
    expect(a).toEqual(b);
    expect(a.npv.p50).not.toBe(c.npv.p50);
    expect(a.npv.p10).toBeLessThanOrEqual(a.npv.p50);
    expect(a.npv.p50).toBeLessThanOrEqual(a.npv.p90);
  });
});
