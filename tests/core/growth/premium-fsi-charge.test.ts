/**
 * Issue #12: a developer who builds above the base FSI pays the premium / chargeable FSI price for
 * it, so the take-up's redevelopment test deducts that charge from the residual, and the capture
 * books the same charge on the bonus floor area the take-up builds. The hand-worked case is in
 * tests/fixtures/growth/premium-fsi-charge/SOURCE.md; the samples check that Bang Sue (no premium
 * FSI in Thai law) is untouched and that MAHSR's premium FSI price bar re-runs the take-up.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { defaultGrowth } from '../../../core/growth/defaults.js';
import { viability } from '../../../core/growth/market.js';
import { scenarioSchedule, takeUpPeriods } from '../../../core/growth/schedule.js';
import { validateGrowth, type GrowthSettings } from '../../../core/growth/settings.js';
import { getGrowth, setGrowth } from '../../../core/growth/store.js';
import { chargesPremiumFsi } from '../../../core/growth/station-prices.js';
import { takeUp, takeUpFromColumns, takeUpRerun, type Cols, type TakeUpColumns } from '../../../core/growth/takeup.js';
import { landValues } from '../../../core/growth/land-value.js';
import { lvcInputsFromScenario } from '../../../core/lvc/from-scenario.js';
import { defaultLvcParams, type LvcParams } from '../../../core/lvc/params.js';
import { prepare, runLvc } from '../../../core/lvc/run.js';
import { defaultUncertainties, tornado, type TakeUpRerun } from '../../../core/lvc/sensitivity.js';
import { getLvcParams, setLvcParams } from '../../../core/lvc/store.js';
import type { LvcParcels } from '../../../core/lvc/uplift.js';
import { defaultAssumptions, resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { defaultScenarios } from '../../../core/scenario/defaults.js';
import { distanceSource } from '../../../core/scenario/distance-source.js';
import { ScenarioDefSchema } from '../../../core/scenario/model.js';
import { getAssumptions, getScenario } from '../../../core/scenario/store.js';
import { LU } from '../../../core/scenario/vocabulary.js';
import { lvcStationValues, marketStationValues } from '../../../sample-data/lib/station-values.js';
import { tmpDir } from '../../helpers/tmp.js';

const f64 = (a: number[]) => Float64Array.from(a);
const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** The take-up's market; `charge` per m² of bonus floor area in station S's band (undefined = no charge set). */
function growth(charge?: number): GrowthSettings {
  return validateGrowth({
    baseYear: 2024, horizons: [2029],
    areas: [{ station: null, residents: { rate: 0.1 }, jobs: { rate: 0 }, absorption: { residentialM2PerYear: 1e6, nonResidentialM2PerYear: 1e6 }, urbanEdgeM: null }],
    market: {
      saleValuePerM2: { residential: 100_000, commercial: 100_000, office: 100_000 },
      constructionCostPerM2: { residential: 40_000, commercial: 40_000, office: 40_000, civic: 40_000 },
      demolitionCostPerM2: 2_000, developerMargin: 0.25, landownerPremium: 0.2, existingBuildingShare: 0.5, premiumCurve: [[0, 0]],
      stationValues: [{ station: 'S', bands: [{ maxDistM: 20_000, ...(charge !== undefined ? { premiumFsiChargePerM2: charge } : {}) }] }],
    },
  });
}

const LAND = [100_000, 114_000, 120_000, 50_000];
const AS_OF_RIGHT = [3_500, 3_000, 3_000, 400_000];
const BONUS = [500, 1_000, 1_000, 0];

/** P1–P3 may each build 4,000 m² of housing on land where nothing stands; P4 holds the 10,000 base-year residents. */
function columns(g: GrowthSettings, withEntitlement = true): TakeUpColumns {
  const n = 4, z = () => new Float64Array(n);
  const ex: Cols = { res: f64([0, 0, 0, 400_000]), com: z(), off: z(), civ: z(), ind: z(), open: z(), dw: f64([0, 0, 0, 4_000]), people: f64([0, 0, 0, 10_000]), jobs: z(), board: z(), redev: new Uint8Array(n) };
  const cap: Cols = { res: f64([4_000, 4_000, 4_000, 400_000]), com: z(), off: z(), civ: z(), ind: z(), open: z(), dw: f64([40, 40, 40, 4_000]), people: f64([100, 100, 100, 10_000]), jobs: z(), board: z(), redev: Uint8Array.from([1, 1, 1, 0]) };
  const tod = defaultScenarios('IN').find((s) => s.id === 'tod-moderate')!.def;
  return {
    def: ScenarioDefSchema.parse({ ...tod, inducedGrowth: 0 }), growth: g, assumptions: resolveAssumptions(defaultAssumptions('IN').entries), layer: 'parcels',
    fids: f64([1, 2, 3, 4]), area: f64([1_000, 1_000, 1_000, 10_000]), landUse: Uint8Array.from([LU.residential, LU.residential, LU.residential, LU.residential]),
    landValue: f64(LAND), dist: { dist: f64([100, 200, 300, 1_500]), station: Int32Array.from([0, 0, 0, 0]), stationNames: ['S'], source: 'test' },
    cap, ex, capBand: new Uint8Array(n), nb: 1, programme: null, asOfRight: withEntitlement ? f64(AS_OF_RIGHT) : null,
  };
}

function lvcParcels(): LvcParcels {
  return {
    fid: f64([1, 2, 3, 4]), areaM2: f64([1_000, 1_000, 1_000, 10_000]), landValue: f64(LAND),
    distM: f64([100, 200, 300, 1_500]), isPublic: new Uint8Array(4), railwayDevelopable: new Uint8Array(4), station: Int32Array.from([0, 0, 0, 0]), stationNames: ['S'],
    addedGfa: { residential: f64([4_000, 4_000, 4_000, 0]), commercial: new Float64Array(4), office: new Float64Array(4) },
    bonusGfa: f64(BONUS),
  };
}

/** Only development rights: 25,000 per m² project-wide, 10,000 at station S, take-up 0.6; no price growth; station cost 10 M in year 0. */
function params(): LvcParams {
  const p = structuredClone(defaultLvcParams('IN').params);
  Object.assign(p, {
    horizonYears: 10, baseYear: 2024, discountRate: 0.1, inflation: 0, priceGrowth: 0, stationOpeningYear: 0, premiumCurve: [[0, 0]],
    saleValuePerM2: { residential: 100_000, commercial: 100_000, office: 100_000 }, constructionCostPerM2: { residential: 40_000, commercial: 40_000, office: 40_000 },
    developerMargin: 0.25, costs: { station: 10_000_000, infrastructure: 0, startYear: 0, years: 1 },
    stationValues: [{ station: 'S', bands: [{ maxDistM: 20_000, premiumFsiPricePerM2: 10_000 }], source: 'fixture' }],
  });
  for (const k of Object.keys(p.instruments) as Array<keyof LvcParams['instruments']>) p.instruments[k].enabled = false;
  p.instruments.developmentRights = { enabled: true, pricePerM2: 25_000, takeUp: 0.6 };
  return p;
}

const AT = Int32Array.from([0, 1, 2, 3]);
const scheduleOf = (share: Float32Array) => takeUpPeriods(share, 4, AT, [2029], 2024, { baseYear: 2024, years: 10 });
const captured = (r: ReturnType<typeof runLvc>) => r.captured.reduce((a, b) => a + b, 0);
const ANNUITY = [1, 2, 3, 4, 5].reduce((s, t) => s + 1.1 ** -t, 0);

describe('premium FSI charge in the redevelopment test (hand-worked, tests/fixtures/growth/premium-fsi-charge)', () => {
  it('the charge on the bonus floor area comes off the residual: P1 passes (17,000 per m²), P2 passes without it and fails with it, P3 fails either way', () => {
    const m = {
      n: 4, area: f64([1_000, 1_000, 1_000, 10_000]), landValue: f64(LAND), dist: f64([100, 200, 300, 1_500]), existingFa: f64([0, 0, 0, 400_000]),
      existingClass: new Uint8Array(4), capRes: f64([4_000, 4_000, 4_000, 0]), capCom: new Float64Array(4), capOff: new Float64Array(4),
      eligible: Uint8Array.from([1, 1, 1, 0]), station: Int32Array.from([0, 0, 0, 0]), stationNames: ['S'],
    };
    const without = viability(m, growth().market);
    expect(Array.from(without.residual.subarray(0, 3))).toEqual([140e6, 140e6, 140e6]);
    expect(without.margin[0]).toBeCloseTo(20_000, 6);
    expect(without.margin[1]).toBeCloseTo(3_200, 6);
    expect(without.margin[2]).toBeNaN();
    const withCharge = viability({ ...m, bonus: f64(BONUS) }, growth(6_000).market);
    expect(Array.from(withCharge.residual.subarray(0, 3))).toEqual([137e6, 134e6, 134e6]);
    expect(withCharge.margin[0]).toBeCloseTo(17_000, 6);
    expect(withCharge.margin[1]).toBeNaN();
    expect(withCharge.margin[2]).toBeNaN();
  });

  it('the take-up builds P1 and P2 without the charge and P1 only with it; the capture books price × take-up × the bonus built (3.0 M = what P1 paid)', () => {
    const before = takeUpFromColumns(columns(growth()));
    expect(Array.from(before.share)).toEqual([1, 1, 0, 0]);
    const after = takeUpFromColumns(columns(growth(6_000)));
    expect(after.viableParcels).toBe(1);
    expect(Array.from(after.share)).toEqual([1, 0, 0, 0]);
    expect(before.horizons[0].residents - after.horizons[0].residents).toBeCloseTo(100, 6);
    expect(after.horizons[0].floorAreaM2).toBeCloseTo(404_000, 6);
    // Without the base entitlement (no bonus floor area known) there is nothing to charge.
    expect(Array.from(takeUpFromColumns(columns(growth(6_000), false)).share)).toEqual([1, 1, 0, 0]);

    const p = params();
    const r = runLvc(prepare(lvcParcels(), p, scheduleOf(after.share)), p);
    // The station's price (10,000), not the project-wide 25,000: 10,000 × 0.6 × 500 m².
    expect(captured(r)).toBeCloseTo(3_000_000, 4);
    expect(r.captured.slice(1, 6).every((v) => Math.abs(v - 600_000) < 1e-6)).toBe(true);
    expect(r.summary.npv).toBeCloseTo(600_000 * ANNUITY - 10_000_000, 4);
    expect(r.summary.npv).toBeCloseTo(-7_725_527.94, 1);
    // Without per-station prices every group takes the project-wide price: 25,000 × 0.6 × 500.
    const flat = { ...p, stationValues: [] };
    expect(captured(runLvc(prepare(lvcParcels(), flat, scheduleOf(after.share)), flat))).toBeCloseTo(7_500_000, 4);
  });

  it('the premium FSI price bar re-runs the take-up: × 0.5 brings P2 back in (NPV −6,588,291.91), × 1.5 keeps P1 only at the dearer price (the same NPV)', () => {
    const g = growth(6_000);
    const held = takeUpRerun(columns(g));
    const rerun: TakeUpRerun = { market: g.market, scheduleFor: (m) => scheduleOf(held.rerun(m)) };
    const p = params();
    const tor = tornado(prepare(lvcParcels(), p, scheduleOf(held.shares)), p, undefined, rerun);
    expect(tor.baseNpv).toBeCloseTo(-7_725_527.94, 1);
    const bar = tor.bars.find((b) => b.id === 'premiumFsiPrice')!;
    expect([bar.low, bar.high]).toEqual([0.5, 1.5]);
    expect(bar.npvLow).toBeCloseTo(900_000 * ANNUITY - 10_000_000, 4);
    expect(bar.npvLow).toBeCloseTo(-6_588_291.91, 1);
    expect(bar.npvHigh).toBeCloseTo(900_000 * ANNUITY - 10_000_000, 4);
    // The low end's take-up (from the held columns) builds P2 too.
    const u = defaultUncertainties(p).find((x) => x.id === 'premiumFsiPrice')!;
    expect(Array.from(held.rerun(u.market!(g.market, 0.5)))).toEqual([1, 1, 0, 0]);
    expect(Array.from(held.rerun(u.market!(g.market, 1.5)))).toEqual([1, 0, 0, 0]);
  });

  it('where development rights are not sold (Thailand, Japan) there is no charge, no price bar and no charge in the growth defaults', () => {
    for (const c of ['TH', 'JP']) {
      const g = defaultGrowth({ country: c });
      expect(g.market.premiumFsiChargePerM2).toBeUndefined();
      expect(chargesPremiumFsi(g.market)).toBe(false);
      expect(defaultUncertainties(defaultLvcParams(c).params).some((u) => u.id === 'premiumFsiPrice')).toBe(false);
    }
    // India: the capture's own price × take-up (25,000 × 0.6), the same source as the LVC parameters.
    const india = defaultLvcParams('IN').params.instruments.developmentRights;
    expect(defaultGrowth({ country: 'IN' }).market.premiumFsiChargePerM2).toBe(india.pricePerM2 * india.takeUp);
  });
});

const sample = (name: string) => join(ROOT, 'sample-data', `${name}.gpkg`);

describe('premium FSI on the samples', () => {
  it.skipIf(!existsSync(sample('bang-sue')))('Bang Sue: the per-station figures the generator writes carry no charge, and every scenario\'s take-up is unchanged byte for byte', async () => {
    const path = join(tmpDir(), 'bang-sue.gpkg');
    copyFileSync(sample('bang-sue'), path);
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path });
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    const p = svc.requireProject();
    const rights = getLvcParams(p).params.instruments.developmentRights;
    expect(rights.enabled).toBe(false);
    const stored = getGrowth(p).settings;
    const regenerated: GrowthSettings = { ...stored, market: { ...stored.market, stationValues: marketStationValues('bang-sue', rights) } };
    expect(chargesPremiumFsi(regenerated.market)).toBe(false);
    expect(regenerated.market.stationValues).toEqual(stored.market.stationValues);
    const opts = (growthSettings: GrowthSettings) => ({ distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries), growth: growthSettings, landValue: (prep: Parameters<typeof landValues>[1]) => landValues(p, prep) });
    for (const id of ['trend', 'tod-moderate', 'master-plan']) {
      const def = getScenario(p, id).definition;
      const a = takeUp(p, def, opts(stored)), b = takeUp(p, def, opts(regenerated));
      expect(Buffer.from(b.share.buffer).equals(Buffer.from(a.share.buffer)), id).toBe(true);
      expect(JSON.stringify(b.horizons)).toBe(JSON.stringify(a.horizons));
    }
    svc.close();
  }, 300_000);

  it.skipIf(!existsSync(sample('mahsr-corridor')))('MAHSR TOD moderate with per-station premium FSI prices: the charge turns parcels down, and the price bar\'s take-up differs from the central one and equals a full re-run', async () => {
    const path = join(tmpDir(), 'mahsr.gpkg');
    copyFileSync(sample('mahsr-corridor'), path);
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path });
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    const p = svc.requireProject();
    // What the generator now stores (sample-data/lib/write.ts): the prices per station in the capture's
    // parameters, price × take-up per station in the growth market.
    const lp = getLvcParams(p);
    const params0 = { ...lp.params, stationValues: lvcStationValues('mahsr-corridor') };
    setLvcParams(p, params0, lp.sources);
    const rights = params0.instruments.developmentRights;
    // The regenerated sample already stores the charges: the comparison strips them for the uncharged case.
    const stored = getGrowth(p).settings;
    const { premiumFsiChargePerM2: _projectWide, ...uncharged } = stored.market;
    const g0: GrowthSettings = { ...stored, market: { ...uncharged, stationValues: uncharged.stationValues.map((sv) => ({ ...sv, bands: sv.bands.map(({ premiumFsiChargePerM2: _band, ...band }) => band) })) } };
    const charged: GrowthSettings = { ...g0, market: { ...g0.market, stationValues: marketStationValues('mahsr-corridor', rights) } };
    expect(g0.market.stationValues.some((sv) => sv.bands.some((b) => b.premiumFsiChargePerM2))).toBe(false);
    setGrowth(p, charged);
    const bkc = charged.market.stationValues.find((s) => s.station === 'Mumbai BKC')!.bands[0];
    expect(bkc.premiumFsiChargePerM2).toBe(100_000 * rights.takeUp);

    const scenario = 'tod-moderate';
    const def = getScenario(p, scenario).definition;
    const opts = (growthSettings: GrowthSettings) => ({ distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries), growth: growthSettings, landValue: (prep: Parameters<typeof landValues>[1]) => landValues(p, prep) });
    const plain = takeUp(p, def, opts(g0)), withCharge = takeUp(p, def, opts(charged));
    const last = (t: ReturnType<typeof takeUp>) => t.horizons[t.horizons.length - 1];
    // The charge fails parcels the test passed without it, and never brings one in where nothing else changed.
    expect(withCharge.viableParcels).toBeLessThan(plain.viableParcels);
    expect(last(withCharge).parcelsBuilt).toBeGreaterThan(0);

    const run = await svc.invoke('lvc.run', { scenario, draws: 5, seed: 3, store: false });
    const bar = run.result.tornado.bars.find((b) => b.id === 'premiumFsiPrice')!;
    expect(bar).toBeDefined();
    const inputs = lvcInputsFromScenario(p, scenario, { distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries) });
    const params = run.params;
    const cash = { baseYear: params.baseYear, horizonYears: params.horizonYears, fids: inputs.parcels.fid };
    const central = scenarioSchedule(p, inputs.scenario, cash).schedule;
    const u = defaultUncertainties(params).find((x) => x.id === 'premiumFsiPrice')!;
    const sharesOf = (s: typeof central) => (s.kind === 'shares' ? Array.from(s.share) : []);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));
    let moved = 0;
    for (const [v, npv] of [[bar.low, bar.npvLow], [bar.high, bar.npvHigh]] as const) {
      // The full re-run: the growth market stored with the charge × v, the take-up from the project, a fresh prepare.
      setGrowth(p, { ...charged, market: u.market!(charged.market, v) });
      const s = scenarioSchedule(p, inputs.scenario, cash).schedule;
      if (JSON.stringify(sharesOf(s)) !== JSON.stringify(sharesOf(central))) moved++;
      const q = u.apply(params, v);
      expect(rel(npv, runLvc(prepare(inputs.parcels, q, s), q).summary.npv), `premiumFsiPrice at ${v}`).toBeLessThan(1e-9);
    }
    expect(moved, 'price bar ends whose take-up differs from the central one').toBe(2);
    setGrowth(p, charged);
    svc.close();
  }, 600_000);
});
