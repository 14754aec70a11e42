/**
 * The station premium curve is priced into the take-up's redevelopment test (sale value × (1 +
 * premium)), so the tornado's premium bars and the Monte Carlo draws re-run the take-up with the
 * varied curve: a lower premium fails a parcel near the margin (less built, less premium FSI
 * captured), a higher one brings one in. Every expected figure is worked by hand in
 * tests/fixtures/lvc/premium-takeup/SOURCE.md.
 */
import { describe, expect, it } from 'vitest';
import { defaultAssumptions, resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { defaultScenarios } from '../../../core/scenario/defaults.js';
import { ScenarioDefSchema } from '../../../core/scenario/model.js';
import { LU } from '../../../core/scenario/vocabulary.js';
import { validateGrowth, type GrowthSettings } from '../../../core/growth/settings.js';
import { takeUpPeriods } from '../../../core/growth/schedule.js';
import { takeUpFromColumns, takeUpRerun, type Cols, type TakeUpColumns } from '../../../core/growth/takeup.js';
import { defaultLvcParams, type LvcParams } from '../../../core/lvc/params.js';
import { prepare, runLvc } from '../../../core/lvc/run.js';
import { defaultUncertainties, monteCarlo, tornado, type TakeUpRerun } from '../../../core/lvc/sensitivity.js';
import type { LvcParcels } from '../../../core/lvc/uplift.js';

const CURVE: Array<[number, number]> = [[0, 0.2], [400, 0.1], [800, 0]];
const f64 = (a: number[]) => Float64Array.from(a);

function growth(curve = CURVE): GrowthSettings {
  return validateGrowth({
    baseYear: 2024, horizons: [2029],
    areas: [{ station: null, residents: { rate: 0.1 }, jobs: { rate: 0 }, absorption: { residentialM2PerYear: 1e6, nonResidentialM2PerYear: 1e6 }, urbanEdgeM: null }],
    market: {
      saleValuePerM2: { residential: 100_000, commercial: 100_000, office: 100_000 },
      constructionCostPerM2: { residential: 40_000, commercial: 40_000, office: 40_000, civic: 40_000 },
      demolitionCostPerM2: 2_000, developerMargin: 0.25, landownerPremium: 0.2, existingBuildingShare: 0.5, premiumCurve: curve,
    },
  });
}

/** P1–P3 may each add 4,000 m² of housing (100 residents) on vacant-built land; P4 holds the 10,000 base-year residents and keeps what stands. */
function columns(g: GrowthSettings): TakeUpColumns {
  const n = 4, z = () => new Float64Array(n);
  const ex: Cols = { res: f64([0, 0, 0, 400_000]), com: z(), off: z(), civ: z(), ind: z(), open: z(), dw: f64([0, 0, 0, 4_000]), people: f64([0, 0, 0, 10_000]), jobs: z(), board: z(), redev: new Uint8Array(n) };
  const cap: Cols = { res: f64([4_000, 4_000, 4_000, 400_000]), com: z(), off: z(), civ: z(), ind: z(), open: z(), dw: f64([40, 40, 40, 4_000]), people: f64([100, 100, 100, 10_000]), jobs: z(), board: z(), redev: Uint8Array.from([1, 1, 1, 0]) };
  const tod = defaultScenarios('TH').find((s) => s.id === 'tod-moderate')!.def;
  return {
    def: ScenarioDefSchema.parse({ ...tod, inducedGrowth: 0 }), growth: g, assumptions: resolveAssumptions(defaultAssumptions('TH').entries), layer: 'parcels',
    fids: f64([1, 2, 3, 4]), area: f64([1_000, 1_000, 1_000, 10_000]), landUse: Uint8Array.from([LU.residential, LU.residential, LU.residential, LU.residential]),
    landValue: f64([100_000, 145_000, 132_000, 50_000]),
    dist: { dist: f64([100, 200, 600, 1_500]), station: Int32Array.from([0, 0, 0, 0]), stationNames: ['S'], source: 'test' },
    cap, ex, capBand: new Uint8Array(n), nb: 1, programme: null,
  };
}

function lvcParcels(): LvcParcels {
  return {
    fid: f64([1, 2, 3, 4]), areaM2: f64([1_000, 1_000, 1_000, 10_000]), landValue: f64([100_000, 145_000, 132_000, 50_000]),
    distM: f64([100, 200, 600, 1_500]), isPublic: new Uint8Array(4), railwayDevelopable: new Uint8Array(4), station: Int32Array.from([0, 0, 0, 0]), stationNames: ['S'],
    addedGfa: { residential: f64([4_000, 4_000, 4_000, 0]), commercial: new Float64Array(4), office: new Float64Array(4) },
    bonusGfa: f64([1_000, 1_000, 1_000, 0]),
  };
}

function params(): LvcParams {
  const p = structuredClone(defaultLvcParams('IN').params);
  Object.assign(p, {
    horizonYears: 10, baseYear: 2024, discountRate: 0.1, inflation: 0, priceGrowth: 0, stationOpeningYear: 0, premiumCurve: CURVE,
    saleValuePerM2: { residential: 100_000, commercial: 100_000, office: 100_000 }, constructionCostPerM2: { residential: 40_000, commercial: 40_000, office: 40_000 },
    developerMargin: 0.25, costs: { station: 10_000_000, infrastructure: 0, startYear: 0, years: 1 }, stationValues: [],
  });
  for (const k of Object.keys(p.instruments) as Array<keyof LvcParams['instruments']>) p.instruments[k].enabled = false;
  p.instruments.developmentRights = { enabled: true, pricePerM2: 8_000, takeUp: 0.6 };
  return p;
}

const AT = Int32Array.from([0, 1, 2, 3]);
const CASH = { baseYear: 2024, years: 10 };
/** The capture booked by a take-up's shares, as lvc.run books it (periods of the take-up). */
const scheduleOf = (share: Float32Array) => takeUpPeriods(share, 4, AT, [2029], 2024, CASH);
const captured = (r: ReturnType<typeof runLvc>) => r.captured.reduce((a, b) => a + b, 0);

// Hand-worked (SOURCE.md): one parcel's premium FSI, 960,000 a year in years 1–5, PV 3,639,155.29863211; station cost 10 M in year 0.
const PV1 = 960_000 * [1, 2, 3, 4, 5].reduce((s, t) => s + 1.1 ** -t, 0);
const NPV = { one: -6_360_844.70136789, two: -2_721_689.40273578, three: 917_465.8958963305 };

describe('station premium × take-up (hand-worked, tests/fixtures/lvc/premium-takeup)', () => {
  it('the central case: P1 and P2 pass the test and are built by 2029, P3 fails; NPV and captured premium FSI by hand', () => {
    const t = takeUpFromColumns(columns(growth()));
    expect(t.viableParcels).toBe(2);
    expect(Array.from(t.share)).toEqual([1, 1, 0, 0]);
    expect(t.horizons[0].residents).toBeCloseTo(10_200, 6);
    expect(t.horizons[0].floorAreaM2).toBeCloseTo(408_000, 6);
    const p = params();
    const r = runLvc(prepare(lvcParcels(), p, scheduleOf(t.share)), p);
    expect(PV1).toBeCloseTo(3_639_155.29863211, 6);
    expect(captured(r)).toBeCloseTo(9_600_000, 4);
    expect(r.captured.slice(1, 6).every((v) => Math.abs(v - 1_920_000) < 1e-6)).toBe(true);
    expect(r.summary.pvCaptured).toBeCloseTo(2 * PV1, 4);
    expect(r.summary.npv).toBeCloseTo(NPV.two, 4);
  });

  it('a premium × 0.5 fails P2: built floor area −4,000 m², captured premium FSI −4.8 M, and the tornado\'s low end is that run; × 1.5 brings P3 in', () => {
    const g = growth();
    const cols = columns(g);
    const p = params();
    const premium = defaultUncertainties(p).find((u) => u.id === 'premium')!;
    // The take-up on its own with the growth market's curve × 0.5 and × 1.5 (fresh columns, no re-run).
    const central = takeUpFromColumns(columns(growth()));
    const low = takeUpFromColumns(columns(growth(CURVE.map(([d, x]) => [d, x * 0.5]))));
    const high = takeUpFromColumns(columns(growth(CURVE.map(([d, x]) => [d, x * 1.5]))));
    expect([low.viableParcels, high.viableParcels]).toEqual([1, 3]);
    expect(Array.from(low.share)).toEqual([1, 0, 0, 0]);
    expect(Array.from(high.share)).toEqual([1, 1, 1, 0]);
    expect(central.horizons[0].floorAreaM2 - low.horizons[0].floorAreaM2).toBeCloseTo(4_000, 6);
    expect(central.horizons[0].residents - low.horizons[0].residents).toBeCloseTo(100, 6);
    expect(central.horizons[0].builtResidentialM2 - low.horizons[0].builtResidentialM2).toBeCloseTo(4_000, 6);
    expect(high.horizons[0].floorAreaM2 - central.horizons[0].floorAreaM2).toBeCloseTo(4_000, 6);

    // The capture with the curve changed in both (what the bar does), from scratch.
    const pLow = premium.apply(p, 0.5), pHigh = premium.apply(p, 1.5);
    const rCentral = runLvc(prepare(lvcParcels(), p, scheduleOf(central.share)), p);
    const rLow = runLvc(prepare(lvcParcels(), pLow, scheduleOf(low.share)), pLow);
    const rHigh = runLvc(prepare(lvcParcels(), pHigh, scheduleOf(high.share)), pHigh);
    expect(captured(rCentral) - captured(rLow)).toBeCloseTo(4_800_000, 4);
    expect(captured(rHigh) - captured(rCentral)).toBeCloseTo(4_800_000, 4);
    expect(rLow.summary.npv).toBeCloseTo(NPV.one, 4);
    expect(rHigh.summary.npv).toBeCloseTo(NPV.three, 4);

    // The tornado, with the take-up held for re-runs as lvc.run holds it.
    const held = takeUpRerun(cols);
    const rerun: TakeUpRerun = { market: g.market, scheduleFor: (m) => scheduleOf(held.rerun(m)) };
    const prep = prepare(lvcParcels(), p, scheduleOf(held.shares));
    const tor = tornado(prep, p, undefined, rerun);
    expect(tor.baseNpv).toBeCloseTo(NPV.two, 4);
    const bar = (id: string) => tor.bars.find((b) => b.id === id)!;
    // Before the premium bars re-ran the take-up, both ends kept P1 and P2 (NPV −2,721,689.40 at each).
    expect(bar('premium').npvLow).toBeCloseTo(NPV.one, 4);
    expect(bar('premium').npvHigh).toBeCloseTo(NPV.three, 4);
    expect(bar('premium').shareLow!).toBeCloseTo(PV1 / 10_000_000, 9);
    // Reach × 0.75 keeps P1 and P2 (P2 at 200 m: premium 0.1333, margin 6,000); × 1.25 brings P3 in (premium 0.08, margin 5,600).
    expect(bar('premiumReach').npvLow).toBeCloseTo(NPV.two, 4);
    expect(bar('premiumReach').npvHigh).toBeCloseTo(NPV.three, 4);
  });

  it('Monte Carlo over the premium alone: P10, P50 and P90 are the one-, two- and three-parcel NPVs', () => {
    const g = growth();
    const p = params();
    const held = takeUpRerun(columns(g));
    const rerun: TakeUpRerun = { market: g.market, scheduleFor: (m) => scheduleOf(held.rerun(m)) };
    const prep = prepare(lvcParcels(), p, scheduleOf(held.shares));
    const u = defaultUncertainties(p).filter((x) => x.id === 'premium');
    // 13.1 % of triangular(0.5, 1, 1.5) draws lie below 34/45 (P2 fails), 14.9 % above 1.2267 (P3 passes).
    const mc = monteCarlo(prep, p, 1000, 7, u, rerun);
    expect(mc.npv.p10).toBeCloseTo(NPV.one, 4);
    expect(mc.npv.p50).toBeCloseTo(NPV.two, 4);
    expect(mc.npv.p90).toBeCloseTo(NPV.three, 4);
  });
});
