/**
 * The take-up reuses buffers and caches what depends on Existing only (core/growth/takeup.ts): a
 * run after other runs (a rule change, a market change, other market areas) must give exactly what a
 * fresh run on fresh copies of the same inputs gives (fresh arrays miss every cache).
 */
import { describe, expect, it } from 'vitest';
import { defaultAssumptions, resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { compileRules } from '../../../core/scenario/compile.js';
import { defaultScenarios, EXISTING_DEF } from '../../../core/scenario/defaults.js';
import { allocResult, evaluateParcels, type ParcelColumns, type SiteInputs } from '../../../core/scenario/evaluate.js';
import { ScenarioDefSchema, type ScenarioDef } from '../../../core/scenario/model.js';
import { NU } from '../../../core/scenario/vocabulary.js';
import { mulberry32 } from '../../../core/util/prng.js';
import { defaultGrowth } from '../../../core/growth/defaults.js';
import type { GrowthSettings } from '../../../core/growth/settings.js';
import { colsOf, copyCols, takeUpFromColumns, takeUpRerun, takeUpWorkspace, type Cols, type TakeUpWorkspace } from '../../../core/growth/takeup.js';
import { allocateCandidates, holdCandidates, type AllocCandidates, type AllocControls } from '../../../core/growth/allocate.js';

const N = 4000;
const r = mulberry32(5);
const cols: ParcelColumns = {
  n: N, fid: Float64Array.from({ length: N }, (_, i) => i + 1), area: Float64Array.from({ length: N }, () => 100 + r() * 5000),
  landUse: Uint8Array.from({ length: N }, () => Math.floor(r() * NU)), existingFa: Float64Array.from({ length: N }, () => (r() < 0.1 ? NaN : r() * 4000)),
  existingFloors: Float64Array.from({ length: N }, () => 1 + Math.floor(r() * 8)), isPublic: Uint8Array.from({ length: N }, () => (r() < 0.15 ? 1 : 0)),
};
const stationNames = ['A', 'B', 'C'];
const site: SiteInputs = {
  dist: Float64Array.from({ length: N }, () => (r() < 0.05 ? NaN : r() * 2000)), station: Int32Array.from({ length: N }, () => Math.floor(r() * 3)),
  stationNames, excluded: null, zoneFar: null, zoneFloors: null, zoneUse: null,
};
const landValue = Float64Array.from({ length: N }, () => 20_000 + r() * 120_000);
const a = resolveAssumptions(defaultAssumptions('TH').entries);
const ex = copyCols(evaluateParcels(cols, site, compileRules(EXISTING_DEF), a, null));
const tod = ScenarioDefSchema.parse(defaultScenarios('TH').find((s) => s.id === 'tod-intensive')!.def);
const withFar = (far: number): ScenarioDef => ({ ...tod, rules: tod.rules.map((x, k) => (k === tod.rules.length - 1 ? { ...x, maxFar: far } : x)) });

function growth(over: (g: GrowthSettings) => void = () => {}): GrowthSettings {
  const g = defaultGrowth({ country: 'TH', baseYear: 2024 });
  g.areas[0].absorption = { residentialM2PerYear: 60_000, nonResidentialM2PerYear: 30_000 };
  over(g);
  return g;
}

/** A run on the shared inputs (cache hits after the first), with the evaluator's reused result buffer. */
const shared = allocResult(N);
function run(def: ScenarioDef, g: GrowthSettings, fresh: boolean, ws?: TakeUpWorkspace) {
  const copy = <T extends Float64Array | Int32Array | Uint8Array>(x: T): T => (fresh ? x.slice() as T : x);
  const c: ParcelColumns = fresh ? { ...cols, fid: copy(cols.fid), area: copy(cols.area), landUse: copy(cols.landUse) } : cols;
  const s: SiteInputs = fresh ? { ...site, dist: copy(site.dist), station: copy(site.station) } : site;
  const rules = compileRules(def);
  const res = evaluateParcels(c, s, rules, a, null, fresh ? undefined : shared);
  const exCols: Cols = fresh ? (Object.fromEntries(Object.entries(ex).map(([k, v]) => [k, v.slice()])) as unknown as Cols) : ex;
  const t = takeUpFromColumns({ def, growth: g, assumptions: a, layer: 'test', fids: c.fid, area: c.area, landUse: c.landUse, landValue: copy(landValue),
    dist: { dist: s.dist, station: s.station, stationNames, source: 'test' }, cap: colsOf(res), ex: exCols, capBand: res.band, nb: rules.nb, programme: null }, ws);
  const { share, fids: _f, ...figures } = t;
  return { share: Array.from(share), figures };
}

describe('take-up caches and reused buffers leak no state between runs', () => {
  it('a rule change, a market change and other market areas between runs: each run equals a fresh run', () => {
    const g1 = growth();
    // Each market figure the caches hold on its own, then back to the first settings.
    const changes: Array<(g: GrowthSettings) => void> = [
      (g) => { g.market.saleValuePerM2.residential *= 1.2; }, (g) => { g.market.constructionCostPerM2.civic *= 3; }, (g) => { g.market.existingBuildingShare = 0.9; },
      (g) => { g.market.premiumCurve = [[0, 0.4], [1000, 0]]; }, (g) => { g.areas.push({ ...g.areas[0], station: 'B', residents: { rate: 0.03 }, urbanEdgeM: 500, source: '' }); },
    ];
    const sequence: Array<[ScenarioDef, GrowthSettings]> = [[withFar(8), g1], [withFar(4), g1], ...changes.flatMap((ch) => [[withFar(8), growth(ch)], [withFar(8), g1]] as Array<[ScenarioDef, GrowthSettings]>)];
    const seen = sequence.map(([def, g]) => run(def, g, false));
    sequence.forEach(([def, g], k) => {
      const fresh = run(def, g, true);
      expect(seen[k].figures, `run ${k}`).toEqual(fresh.figures);
      expect(seen[k].share, `run ${k} shares`).toEqual(fresh.share);
    });
    // The sequence really changes the answer (otherwise equality says nothing).
    expect(seen[1].figures.horizons.at(-1)!.residents).not.toBe(seen[0].figures.horizons.at(-1)!.residents);
    for (let k = 2; k < seen.length; k += 2) expect(seen[k].share, `change ${k / 2}`).not.toEqual(seen[0].share);
    expect(seen.at(-1)!.figures).toEqual(seen[0].figures);
  });
});

describe('take-up re-runs on other market figures (the sensitivity\'s)', () => {
  it('each re-run equals a fresh take-up with the market replaced, in any order', () => {
    const def = withFar(8), g = growth();
    const rules = compileRules(def);
    const res = evaluateParcels(cols, site, rules, a, null);
    const cap = copyCols(res);
    const colsFor = (gg: GrowthSettings) => ({ def, growth: gg, assumptions: a, layer: 'test', fids: cols.fid, area: cols.area, landUse: cols.landUse, landValue,
      dist: { dist: site.dist, station: site.station, stationNames, source: 'test' }, cap, ex, capBand: res.band.slice(), nb: rules.nb, programme: null });
    const held = takeUpRerun(colsFor(g));
    const markets = [1.2, 0.8, 1, 0.9].flatMap((sv) => [0.85, 1.25].map((cc) => ({ ...g.market,
      saleValuePerM2: { residential: g.market.saleValuePerM2.residential * sv, commercial: g.market.saleValuePerM2.commercial * sv, office: g.market.saleValuePerM2.office * sv },
      constructionCostPerM2: { residential: g.market.constructionCostPerM2.residential * cc, commercial: g.market.constructionCostPerM2.commercial * cc, office: g.market.constructionCostPerM2.office * cc, civic: g.market.constructionCostPerM2.civic * cc } })));
    const shares = markets.map((m) => Array.from(held.rerun(m)));
    // Other take-up runs in between overwrite the per-layer buffers; the held re-run keeps its own.
    run(withFar(3), growth(), false);
    markets.forEach((m, k) => {
      const fresh = run(def, { ...g, market: m }, true).share;
      expect(shares[k], `market ${k}`).toEqual(fresh);
      expect(Array.from(held.rerun(m)), `market ${k} again`).toEqual(fresh);
    });
    expect(Array.from(held.shares)).toEqual(run(def, g, true).share);
    expect(new Set(shares.map((x) => JSON.stringify(x))).size).toBeGreaterThan(4);
  });
});

describe('a caller-kept take-up workspace (shares buffer reused across rule changes)', () => {
  it('each run with the reused workspace equals a fresh run (fresh inputs, fresh buffers) after a rule change, including a run that builds far less than the one before', () => {
    const ws = takeUpWorkspace();
    const big = growth((g) => { g.areas[0].absorption = { residentialM2PerYear: 2_000_000, nonResidentialM2PerYear: 1_000_000 }; g.areas[0].residents = { rate: 0.05 }; });
    const small = growth((g) => { g.areas[0].absorption = { residentialM2PerYear: 5_000, nonResidentialM2PerYear: 2_000 }; });
    const sequence: Array<[ScenarioDef, GrowthSettings]> = [[withFar(8), big], [withFar(4), small], [withFar(12), big], [withFar(8), growth()], [withFar(3), small]];
    const built: number[] = [];
    for (const [k, [def, g]] of sequence.entries()) {
      const reused = run(def, g, false, ws);
      const fresh = run(def, g, true);
      expect(reused.figures, `run ${k}`).toEqual(fresh.figures);
      expect(reused.share, `run ${k} shares`).toEqual(fresh.share);
      built.push(reused.share.filter((x) => x !== 0).length);
      // The shares are the workspace's buffer, and its last run's parcels are exactly the non-zero shares.
      const nonZero = new Set<number>();
      reused.share.forEach((x, i) => { if (x !== 0) nonZero.add(i % N); });
      expect([...ws.touched!].every((i) => nonZero.has(i)) && nonZero.size === ws.touched!.length, `run ${k} touched`).toBe(true);
    }
    // The runs differ (a big run followed by a small one: stale shares would show).
    expect(built[0]).toBeGreaterThan(built[1] * 3);
    expect(built[1]).toBeGreaterThan(0);
    expect(new Set(built).size).toBeGreaterThan(3);
  });
});

describe('the allocation walk by per-(area, use) lists equals a scan of every rank', () => {
  it('on random candidates with one to 300 areas (a heap of 600 lists), a programme and parcels that remove residents or floor area (areas reopen)', () => {
    const outcomes = new Set<string>();
    // The last case is shallow: little demand per area, so the walk stops after a few hundred ranks.
    for (const [seed, A, demand] of [[1, 1, 1], [2, 3, 1], [3, 7, 1], [4, 40, 1], [5, 300, 1], [6, 4, 0.01]] as const) {
      const rr = mulberry32(seed);
      const m = 3000, n = m + 500, P = 3;
      const c: AllocCandidates = {
        m, id: Uint32Array.from({ length: m }, (_, j) => j + Math.floor(j / 6)), area: Int32Array.from({ length: m }, () => (rr() < 0.03 ? -1 : Math.floor(rr() * A))),
        dRes: Float64Array.from({ length: m }, () => (rr() < 0.15 ? -rr() * 50 : rr() * 200)), dJobs: Float64Array.from({ length: m }, () => (rr() < 0.15 ? -rr() * 30 : rr() * 150)),
        dResM2: Float64Array.from({ length: m }, () => (rr() < 0.1 ? -rr() * 1000 : rr() * 8000)), dNonResM2: Float64Array.from({ length: m }, () => (rr() < 0.1 ? -rr() * 500 : rr() * 6000)),
        margin: Float64Array.from({ length: m }, () => (rr() < 0.2 ? NaN : rr() < 0.1 ? 777 : rr() * 1e5)), zone: Int32Array.from({ length: m }, () => (rr() < 0.05 ? Math.floor(rr() * 2) : -1)),
      };
      const f = (k: number, v: () => number) => Float64Array.from({ length: k }, v);
      const ctl: AllocControls = {
        n, nAreas: A, periods: P, nZones: 2, programmeDue: f(2 * P, () => rr() * 20_000),
        baseRes: f(A, () => 10_000), baseJobs: f(A, () => 5_000), targetRes: f(A * P, () => 10_000 + rr() * 60_000 * demand), targetJobs: f(A * P, () => 5_000 + rr() * 40_000 * demand),
        capResM2: f(A * P, () => rr() * 400_000), capNonResM2: f(A * P, () => rr() * 300_000),
      };
      const copy = (x: AllocCandidates): AllocCandidates => ({ ...x, margin: x.margin.slice() });
      const lists = allocateCandidates(copy(c), ctl, undefined, { order: true });
      const scan = allocateCandidates(copy(c), ctl, undefined, { order: true, scan: true });
      expect(Array.from(lists.share), `seed ${seed}`).toEqual(Array.from(scan.share));
      for (const k of ['builtRes', 'builtJobs', 'builtResM2', 'builtNonResM2', 'unmetRes', 'unmetJobs', 'programmeBuiltM2', 'programmeShortM2', 'order', 'touched'] as const) {
        expect(Array.from(lists[k]), `seed ${seed} ${k}`).toEqual(Array.from(scan[k]));
      }
      // The case is not trivial: parcels are built, in part and in whole, and demand is left unmet somewhere.
      const built = Array.from(lists.share).filter((x) => x > 0);
      expect(built.length).toBeGreaterThan(20);
      if (demand === 1) expect(built.some((x) => x < 1)).toBe(true);
      // Without `order` the walk is first given the best ranks only, and the full ranking when an open
      // list runs out of them: the same result whether the best ranks were enough or not.
      const inMarket = Array.from({ length: m }, (_, j) => c.area[j] >= 0 && c.dResM2[j] + c.dNonResM2[j] > 1e-9 && c.zone![j] < 0 && !Number.isNaN(c.margin[j])).filter(Boolean).length;
      for (const top of [1, 30, 300, undefined]) {
        // Into a caller's zeroed buffer (at top 30 with the candidates held, as the take-up's re-runs call it), not cleared (as the take-up calls it): a walk started again must leave no share of the first.
        const cc = copy(c);
        const r = allocateCandidates(cc, ctl, new Float32Array(P * n), { top, clear: false, ...(top === 30 ? { held: holdCandidates(cc) } : {}) });
        for (const k of ['share', 'builtRes', 'builtJobs', 'builtResM2', 'builtNonResM2', 'unmetRes', 'unmetJobs', 'programmeBuiltM2', 'programmeShortM2', 'touched'] as const) {
          expect(Array.from(r[k]), `seed ${seed} top ${top} ${k}`).toEqual(Array.from(scan[k]));
        }
        outcomes.add(`${top === undefined ? 'default' : top < 300 ? 'small' : 'large'} ${r.ranks < inMarket ? 'best ranks' : 'full ranking'}`);
      }
    }
    // Both ends were taken: the best ranks sufficed (a shallow walk), and an open list ran out of them.
    expect(outcomes.has('small full ranking')).toBe(true);
    expect([...outcomes].some((o) => o.endsWith('best ranks'))).toBe(true);
  });
});
