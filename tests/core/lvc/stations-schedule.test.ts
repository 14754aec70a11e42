/**
 * Station/band prices, joint development's railway-land pool, the development schedule interface
 * and the money formatter. Expected values are worked by hand from the three-parcel fixture of
 * tests/fixtures/lvc/SOURCE.md (areas 1000/2000/5000 m², land 50k/40k/30k per m², 100/600/300 m).
 */
import { describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { defaultLvcParams, type LvcParams } from '../../../core/lvc/params.js';
import { prepare, runLvc, validateParams } from '../../../core/lvc/run.js';
import { LEGAL_BASIS } from '../../../core/lvc/legal-basis.js';
import type { LvcParcels } from '../../../core/lvc/uplift.js';
import { formatMoney, groupIndian } from '../../../core/util/money.js';

function parcels(): LvcParcels {
  return {
    fid: Float64Array.from([1, 2, 3]), areaM2: Float64Array.from([1000, 2000, 5000]), landValue: Float64Array.from([50_000, 40_000, 30_000]),
    distM: Float64Array.from([100, 600, 300]), isPublic: Uint8Array.from([0, 0, 1]), railwayDevelopable: Uint8Array.from([0, 0, 1]),
    station: Int32Array.from([0, 1, 0]), stationNames: ['Bang Sue Grand', 'Bang Son'],
    addedGfa: { residential: Float64Array.from([2000, 0, 0]), commercial: Float64Array.from([0, 1000, 0]), office: Float64Array.from([0, 0, 10_000]) },
    bonusGfa: Float64Array.from([500, 0, 2000]),
  };
}

function simple(): LvcParams {
  const p = structuredClone(defaultLvcParams('TH').params);
  Object.assign(p, {
    horizonYears: 5, discountRate: 0.1, inflation: 0, priceGrowth: 0, stationOpeningYear: 0, premiumCurve: [[0, 0.25], [200, 0.25], [400, 0.18], [800, 0.08], [1200, 0]],
    saleValuePerM2: { residential: 95_000, commercial: 110_000, office: 100_000 }, constructionCostPerM2: { residential: 28_000, commercial: 35_000, office: 38_000 },
    developerMargin: 0.2, absorption: { startYear: 0, years: 1, steepness: 0 }, costs: { station: 0, infrastructure: 0, startYear: 0, years: 1 }, baseYear: 2025,
  });
  for (const k of Object.keys(p.instruments) as Array<keyof LvcParams['instruments']>) p.instruments[k].enabled = false;
  return p;
}
const flows = (r: ReturnType<typeof runLvc>, id: string) => r.instruments.find((i) => i.id === id)!;

describe('sale values and land prices by station and distance band', () => {
  it('prices each parcel by its station and band, fills a missing land value from its band, leaves others at the project-wide values', () => {
    const p = simple();
    p.stationValues = [{ station: 'bang sue grand', source: 'test', bands: [{ maxDistM: 200, saleValuePerM2: { residential: 120_000 }, landValuePerM2: 70_000 }, { maxDistM: 500, saleValuePerM2: { office: 80_000 } }] }];
    const x = parcels();
    x.landValue[0] = NaN; // parcel 1: no mapped land value → its band's 70,000
    const prep = prepare(x, p);
    expect(prep.landValueFilled).toBe(1);
    expect(prep.parcels.landValue[0]).toBe(70_000);
    // Parcel 1 (Bang Sue Grand, 100 m): residential 120,000 × 0.8 − 28,000 = 68,000 /m² × 2,000 m² = 136,000,000.
    // Parcel 2 (Bang Son, not listed): commercial 110,000 × 0.8 − 35,000 = 53,000 × 1,000 = 53,000,000.
    // Parcel 3 (Bang Sue Grand, 300 m, second band): office 80,000 × 0.8 − 38,000 = 26,000 × 10,000 = 260,000,000.
    expect([...prep.uplift.development]).toEqual([136_000_000, 53_000_000, 260_000_000]);
    const r = runLvc(prep, p);
    expect(r.summary.upliftDevelopment).toBeCloseTo(449_000_000, 3);
    // Proximity of parcel 1 uses the filled land value: 70,000 × 1,000 × 25 %.
    expect(prep.uplift.proximity[0]).toBeCloseTo(17_500_000, 4);
  });

  it('a band\'s construction cost replaces the project-wide one there, and the cost bar of the tornado scales it', async () => {
    const p = simple();
    p.stationValues = [{ station: 'Bang Sue Grand', source: 'test', bands: [{ maxDistM: 200, saleValuePerM2: { residential: 120_000 }, constructionCostPerM2: { residential: 20_000 } }] }];
    // Parcel 1 (100 m, in the band): 120,000 × 0.8 − 20,000 = 76,000 /m² × 2,000 m²; parcels 2 and 3 keep the project-wide costs.
    expect([...prepare(parcels(), p).uplift.development]).toEqual([152_000_000, 53_000_000, 10_000 * (100_000 * 0.8 - 38_000)]);
    const { defaultUncertainties } = await import('../../../core/lvc/sensitivity.js');
    const cost = defaultUncertainties(p).find((u) => u.id === 'constructionCost')!;
    const q = cost.apply(p, 1.25);
    expect(q.stationValues![0].bands[0].constructionCostPerM2).toEqual({ residential: 25_000 });
    expect(q.constructionCostPerM2.residential).toBe(35_000);
    // 120,000 × 0.8 − 25,000 = 71,000 × 2,000
    expect(prepare(parcels(), q).uplift.development[0]).toBe(142_000_000);
  });

  it('refuses bands whose distances do not increase', () => {
    const p = simple();
    p.stationValues = [{ station: 'A', source: 's', bands: [{ maxDistM: 500 }, { maxDistM: 400 }] }];
    expect(() => validateParams(p)).toThrow(/band distances must increase/);
  });
});

describe('joint development pools only railway-owned developable land', () => {
  it('public land that is not the railway\'s (or not developable) gives it nothing', () => {
    const p = simple();
    p.instruments.jointDevelopment = { enabled: true, mode: 'sale', railwayShare: 0.8, leaseYield: 0.06, leaseYears: 30, startYear: 1 };
    const withRailway = runLvc(prepare(parcels(), p), p);
    // 0.8 × (30,000 × 5,000 × 21.5 % + 10,000 m² × 42,000) = 0.8 × 452,250,000
    expect(flows(withRailway, 'jointDevelopment').revenue[1]).toBeCloseTo(361_800_000, 3);
    expect(withRailway.summary.upliftRailway).toBeCloseTo(452_250_000, 3);
    const none = parcels();
    none.railwayDevelopable = Uint8Array.from([0, 0, 0]);
    const r = runLvc(prepare(none, p), p);
    expect(flows(r, 'jointDevelopment').revenue.every((v) => v === 0)).toBe(true);
    expect(r.summary.upliftPublic).toBeCloseTo(452_250_000, 3); // still public uplift, just not the railway's
  });
});

describe('development schedule (interface for the take-up engine)', () => {
  const sched = () => ({ kind: 'completionYear' as const, year: Int16Array.from([1, -1, 3]) });

  it('books premium FSI, the levy on realised uplift and joint development in the years parcels are built', () => {
    const p = simple();
    p.instruments.developmentRights = { enabled: true, pricePerM2: 8000, takeUp: 0.6 };
    p.instruments.bettermentLevy = { enabled: true, share: 0.3, collectionRate: 0.8, zoneRadiusM: 800, startYear: 1, instalments: 2 };
    p.instruments.jointDevelopment = { enabled: true, mode: 'sale', railwayShare: 0.8, leaseYield: 0.06, leaseYears: 30, startYear: 0 };
    const r = runLvc(prepare(parcels(), p, sched()), p);
    // Premium FSI: 8,000 × 0.6 × bonus (500 m² built in year 1; 2,000 m² in year 3).
    expect(flows(r, 'developmentRights').revenue.map(Math.round)).toEqual([0, 2_400_000, 0, 9_600_000, 0]);
    // Levy: 0.3 × 0.8 × parcel 1's proximity uplift 12,500,000, due when it is built; parcel 2 never is.
    expect(flows(r, 'bettermentLevy').revenue.map(Math.round)).toEqual([0, 3_000_000, 0, 0, 0]);
    // Joint development: railway parcel 3 built in year 3.
    expect(flows(r, 'jointDevelopment').revenue[3]).toBeCloseTo(361_800_000, 3);
    expect(r.years).toEqual([2025, 2026, 2027, 2028, 2029]);
  });

  it('the shares form gives the same flows as completion years; without a schedule the absorption curve applies', () => {
    const p = simple();
    p.instruments.developmentRights = { enabled: true, pricePerM2: 8000, takeUp: 0.6 };
    p.instruments.taxIncrement = { enabled: true, taxRate: 0.01, assessmentRatio: 0.5, collectionRate: 1, startYear: 0, years: 5 };
    const share = new Float64Array(15);
    share[0 * 5 + 1] = 1; share[2 * 5 + 3] = 1;
    const a = runLvc(prepare(parcels(), p, sched()), p), b = runLvc(prepare(parcels(), p, { kind: 'shares', years: 5, share }), p);
    for (const id of ['developmentRights', 'taxIncrement']) expect(flows(b, id).revenue).toEqual(flows(a, id).revenue);
    const none = runLvc(prepare(parcels(), p), p);
    expect(flows(none, 'developmentRights').revenue[0]).toBeCloseTo(12_000_000, 4); // absorbed in year 0
  });

  it('rejects a schedule of the wrong length or with shares over 100 %', () => {
    const p = simple();
    expect(() => prepare(parcels(), p, { kind: 'completionYear', year: Int16Array.from([1, 2]) })).toThrow(EkimaeError);
    const share = new Float64Array(15).fill(0.5);
    expect(() => prepare(parcels(), p, { kind: 'shares', years: 5, share })).toThrow(/add up to 2\.5/);
  });
});

describe('legal basis and defaults', () => {
  it('Thailand: levy and sale of floor area off, land readjustment and joint development on', () => {
    const I = defaultLvcParams('TH').params.instruments;
    expect([I.bettermentLevy.enabled, I.developmentRights.enabled, I.taxIncrement.enabled, I.landReadjustment.enabled, I.jointDevelopment.enabled]).toEqual([false, false, false, true, true]);
    const IN = defaultLvcParams('IN').params;
    expect([IN.instruments.developmentRights.enabled, IN.instruments.bettermentLevy.enabled, IN.instruments.taxIncrement.enabled]).toEqual([true, true, false]);
    expect(IN.socialDiscountRate).toBe(0.12);
    for (const t of Object.values(LEGAL_BASIS)) for (const b of Object.values(t)) if (b.defaultOn) expect(b.inLaw).toBe(true);
  });
});

describe('money per locale', () => {
  it('Indian grouping and lakh/crore; baht; yen in 億/兆', () => {
    expect(groupIndian(12_345_678)).toBe('1,23,45,678');
    expect(groupIndian(-1_000)).toBe('-1,000');
    expect(formatMoney(1.08e12, 'INR')).toBe('₹ 1.08 lakh crore');
    expect(formatMoney(123_000_000, 'INR')).toBe('₹ 12.3 crore');
    expect(formatMoney(250_000, 'INR')).toBe('₹ 2.5 lakh');
    expect(formatMoney(79.21e9, 'THB')).toBe('฿ 79.2 bn');
    expect(formatMoney(-45.2e6, 'THB')).toBe('฿ -45.2 million');
    expect(formatMoney(3.2e8, 'JPY')).toBe('¥ 3.2 億円');
    expect(formatMoney(1.5e12, 'JPY')).toBe('¥ 1.50 兆円');
    expect(formatMoney(null, 'THB')).toBe('–');
  });
});
