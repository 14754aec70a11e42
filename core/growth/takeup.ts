/**
 * Projected take-up of a scenario by horizon year. The scenario's rules give its capacity (what
 * they allow on every parcel: the build-out figure); the base year is what stands (Existing);
 * demand per market area (control totals, plus the scenario's induced share) is allocated to the
 * parcels that pass the redevelopment test, best margin first, within the absorption ceiling, with
 * public land under its programme. Capacity stays an upper bound: take-up ≤ capacity on every parcel.
 */
import { EkimaeError } from '../errors.js';
import type { Project } from '../store/project.js';
import type { Assumptions } from '../scenario/assumptions.js';
import { EXISTING_DEF } from '../scenario/defaults.js';
import type { ParcelResult } from '../scenario/evaluate.js';
import type { ScenarioDef } from '../scenario/model.js';
import { polygonsOf, type Rings } from '../scenario/parcel-geometry.js';
import { zoneOfCentroids } from '../scenario/zone-index.js';
import { cached, layerToken, prepareParcels, type PreparedParcels } from '../scenario/prepare.js';
import { evaluateScenario, type DistanceColumns } from '../scenario/run.js';
import { getScenario, listScenarios } from '../scenario/store.js';
import { LU } from '../scenario/vocabulary.js';
import { fromWgs84 } from '../geo/crs.js';
import { mapPositions } from '../geo/geometry.js';
import { allocateCandidates, holdCandidates, type AllocCandidates, type AllocControls, type AllocOutput } from './allocate.js';
import { addProgrammeCeiling } from './programme-ceiling.js';
import { existingLandValue, existingUseValue, marginOf, marginPartsAt, marketConstants, premiumFactorsInto, type MarginParts, type MarketConstants, type MarketScales, type MarketParcels } from './market.js';
import { chargesPremiumFsi, groupMarkets, groupsKey, stationGroups } from './station-prices.js';
import { plausibilityWarnings } from './plausibility.js';
import { readStations, ridership, stationComplexes, type Ridership } from './ridership.js';
import { controlTotal, type GrowthSettings } from './settings.js';

/** The figures reported at the base year, at each horizon (projected) and at build-out (capacity). */
export interface Figures {
  residents: number;
  jobs: number;
  dwellings: number;
  floorAreaM2: number;
  residentialM2: number;
  nonResidentialM2: number;
  officeM2: number;
  openSpaceM2: number;
  boardings: number;
  waterM3PerDay: number;
  powerMWhPerYear: number;
  /** Parcels with any new building (in part or whole). */
  parcelsBuilt: number;
}

export interface HorizonFigures extends Figures {
  year: number;
  /** Growth the site could not take by this year (control total − achieved): it lands elsewhere in the region. */
  unmetResidents: number;
  unmetJobs: number;
  /** Floor area built in the period ending this year, and the absorption ceiling of that period. */
  builtResidentialM2: number;
  builtNonResidentialM2: number;
  ceilingResidentialM2: number;
  ceilingNonResidentialM2: number;
  /** Public-land programme: due by this year, and held back by the ceiling. */
  programmeDueM2: number;
  programmeShortM2: number;
}

export interface StationTakeUp { station: string; base: Figures; horizons: Array<Figures & { year: number }>; capacity: Figures }

export interface TakeUp {
  parcelLayer: string;
  baseYear: number;
  base: Figures;
  horizons: HorizonFigures[];
  capacity: Figures;
  stations: StationTakeUp[];
  /** Per parcel (layer order) × horizon: built share of the parcel's capacity by that year. */
  share: Float32Array;
  fids: Float64Array;
  /** Parcels that pass the redevelopment test and could take growth. */
  viableParcels: number;
  areas: Array<{ station: string | null; parcels: number }>;
  warnings: string[];
  /** Figures that cross a cited range (core/growth/plausibility.ts), in plain words. */
  plausibility: string[];
  /** Daily boardings by station complex and service type (set when the project's stations are known). */
  ridership: Ridership | null;
}

/** Floor-use columns of a scenario result (a view, or a copy where the evaluation buffers will be reused). */
export interface Cols {
  res: Float64Array; com: Float64Array; off: Float64Array; civ: Float64Array; ind: Float64Array; open: Float64Array;
  dw: Float64Array; people: Float64Array; jobs: Float64Array; board: Float64Array; redev: Uint8Array;
}

export function colsOf(r: ParcelResult): Cols {
  return {
    res: r.residential, com: r.commercial, off: r.office, civ: r.civic, ind: r.industrial, open: r.openSpace,
    dw: r.dwellings, people: r.residents, jobs: r.jobs, board: r.boardings, redev: r.redeveloped,
  };
}

export function copyCols(r: ParcelResult): Cols {
  return {
    res: r.residential.slice(), com: r.commercial.slice(), off: r.office.slice(), civ: r.civic.slice(), ind: r.industrial.slice(), open: r.openSpace.slice(),
    dw: r.dwellings.slice(), people: r.residents.slice(), jobs: r.jobs.slice(), board: r.boardings.slice(), redev: r.redeveloped.slice(),
  };
}

const METRICS = ['residents', 'jobs', 'dwellings', 'floorAreaM2', 'residentialM2', 'nonResidentialM2', 'officeM2', 'openSpaceM2', 'boardings', 'waterM3PerDay', 'powerMWhPerYear', 'parcelsBuilt'] as const;
const K = METRICS.length;
/** Changed columns summed per group: residents, jobs, dwellings, floor area by use (5), open space, boardings, parcels. */
const NC = 11;

function figuresOf(f: Float64Array, o: number): Figures {
  const out = {} as Figures;
  METRICS.forEach((m, k) => { out[m] = f[o + k]; });
  return out;
}

/** Metrics of parcel i at built share s (0 = what stands, 1 = capacity), written into v[0..K-2]. */
function metricsAt(v: Float64Array, ex: Cols, cap: Cols, i: number, s: number, a: Assumptions): void {
  const res = ex.res[i] + s * (cap.res[i] - ex.res[i]), com = ex.com[i] + s * (cap.com[i] - ex.com[i]), off = ex.off[i] + s * (cap.off[i] - ex.off[i]);
  const civ = ex.civ[i] + s * (cap.civ[i] - ex.civ[i]), ind = ex.ind[i] + s * (cap.ind[i] - ex.ind[i]);
  const people = ex.people[i] + s * (cap.people[i] - ex.people[i]), jobs = ex.jobs[i] + s * (cap.jobs[i] - ex.jobs[i]);
  const pw = a.powerKwhPerM2Year;
  v[0] = people; v[1] = jobs; v[2] = ex.dw[i] + s * (cap.dw[i] - ex.dw[i]);
  v[3] = res + com + off + civ + ind; v[4] = res; v[5] = com + off + civ + ind; v[6] = off;
  v[7] = ex.open[i] + s * (cap.open[i] - ex.open[i]); v[8] = ex.board[i] + s * (cap.board[i] - ex.board[i]);
  v[9] = (people * a.waterLPerResidentDay + jobs * a.waterLPerJobDay) / 1000;
  v[10] = (res * pw[0] + com * pw[1] + off * pw[2] + civ * pw[3] + ind * pw[4]) / 1000;
}

/** Parcels inside each programme zone (by centroid), -1 elsewhere; zone names from its `name` field. */
function programmeZones(p: Project, prep: PreparedParcels, g: GrowthSettings): { zoneOf: Int32Array; names: string[] } | null {
  if (!g.programmeLayer || !g.programme.length) return null;
  const info = p.layer(g.programmeLayer);
  const nameField = info.fieldMap.name ?? 'name';
  const fwd = fromWgs84(prep.crs);
  const names = [...new Set(g.programme.map((e) => e.zone))];
  const feats = p.readFeatures(g.programmeLayer);
  const zones = names.map((nm) => {
    const f = feats.find((x) => String(x.properties[nameField] ?? '') === nm);
    if (!f || !f.geometry) throw new EkimaeError('E_INPUT_INVALID', `growth programme: no zone named "${nm}" in layer "${g.programmeLayer}"`, { zone: nm, layer: g.programmeLayer });
    return polygonsOf(mapPositions(f.geometry, fwd)) as Rings[];
  });
  const zoneOf = zoneOfCentroids(prep.cx, prep.cy, zones);
  return { zoneOf, names };
}

export interface TakeUpOptions {
  parcelLayer?: string;
  distances: (prep: PreparedParcels) => DistanceColumns;
  assumptions: Assumptions;
  growth: GrowthSettings;
  landValue: (prep: PreparedParcels) => Float64Array;
}

/** Everything the take-up needs, as columns: the pure part below runs on these alone (tests, benchmarks). */
export interface TakeUpColumns {
  def: ScenarioDef;
  growth: GrowthSettings;
  assumptions: Assumptions;
  layer: string;
  fids: Float64Array;
  area: Float64Array;
  landUse: Uint8Array;
  landValue: Float64Array;
  dist: DistanceColumns;
  /** The scenario's result (capacity) and Existing's (base year), copied; band of each parcel and the number of bands. */
  cap: Cols;
  ex: Cols;
  capBand: Uint8Array;
  nb: number;
  programme: { zoneOf: Int32Array; names: string[] } | null;
  /**
   * Floor area the base entitlement permits per parcel (as of right: Trend, today's zoning, as the
   * land value capture's bonus floor area takes it): what a parcel builds beyond it and beyond what
   * stands is bonus floor area, charged at the premium FSI price. Null/absent = no charge (set only
   * when the market charges for it).
   */
  asOfRight?: Float64Array | null;
}

/**
 * The base entitlement the bonus floor area is counted from: Trend (today's zoning) where the
 * project has it, else what stands (Existing), the same default as the land value capture's
 * lvcInputsFromScenario, so the bonus the take-up charges is the bonus the capture books.
 */
function asOfRightFloorArea(p: Project, ev: Parameters<typeof evaluateScenario>[2], layer: string, token: unknown, key: unknown[]): Float64Array {
  const trend = listScenarios(p).some((s) => s.id === 'trend') ? getScenario(p, 'trend') : null;
  const def = trend ? trend.definition : EXISTING_DEF;
  return cached(p, `takeup-entitlement:${layer}`, JSON.stringify([token, trend?.version ?? null, key]),
    () => Float64Array.from(evaluateScenario(p, def, ev).result.permitted));
}

/**
 * The take-up's columns for a scenario on the project. The scenario's result is read in place
 * (a view of the evaluator's buffers) unless `copy` is set: a caller that keeps the columns while
 * other evaluations run (the sensitivity's take-up re-runs) must copy them.
 */
export function takeUpColumns(p: Project, def: ScenarioDef, o: TakeUpOptions, copy = false): TakeUpColumns {
  const ev = { parcelLayer: o.parcelLayer, distances: o.distances, assumptions: o.assumptions };
  const prep = prepareParcels(p, o.parcelLayer);
  const d = o.distances(prep);
  // Existing does not depend on the scenario's rules: evaluated (and copied) once per parcels, distances and assumptions.
  const calib = p.database.prepare('SELECT count(*) AS n, max(fid) AS m FROM ekimae_calibration_zones').get();
  const ex = cached(p, `takeup-existing:${prep.layer}`, JSON.stringify([prep.token, d.source, o.assumptions, Array.from(o.assumptions.m2PerJob), Array.from(o.assumptions.existingM2PerJob), calib]),
    () => copyCols(evaluateScenario(p, EXISTING_DEF, ev).result));
  // Before the scenario's own evaluation, which is read in place (the evaluator reuses its buffers).
  const asOfRight = chargesPremiumFsi(o.growth.market)
    ? asOfRightFloorArea(p, ev, prep.layer, prep.token, [d.source, o.assumptions, Array.from(o.assumptions.m2PerJob), Array.from(o.assumptions.existingM2PerJob)])
    : null;
  const capEv = evaluateScenario(p, def, ev);
  const cap = copy ? copyCols(capEv.result) : colsOf(capEv.result);
  const capBand = copy ? capEv.result.band.slice() : capEv.result.band, nb = capEv.rules.nb;
  const g = o.growth;
  const programme = def.zoneLayer !== null && def.zoneLayer === g.programmeLayer && g.programme.length
    ? cached(p, `takeup-zones:${prep.layer}:${g.programmeLayer}`, JSON.stringify([prep.token, layerToken(p, g.programmeLayer), g.programme.map((e) => e.zone)]), () => programmeZones(p, prep, g))
    : null;
  return {
    def, growth: g, assumptions: o.assumptions, layer: prep.layer, fids: prep.cols.fid, area: prep.cols.area, landUse: prep.cols.landUse,
    landValue: o.landValue(prep), dist: d, cap, ex, capBand, nb, programme, asOfRight,
  };
}

export function takeUp(p: Project, def: ScenarioDef, o: TakeUpOptions): TakeUp {
  // The scenario's own evaluation is read in place: nothing evaluates again before the take-up is done.
  const t = takeUpFromColumns(takeUpColumns(p, def, o));
  t.ridership = ridership(t, stationComplexes(readStations(p)), o.growth);
  return t;
}

/**
 * What depends on what stands, the parcels and the market areas only (not on the scenario's rules):
 * kept per Existing evaluation. Inputs other than `cap` are read as immutable between calls (the
 * project path caches them per layer token), so these caches key on their identity and contents.
 */
interface ExistingParts {
  lu: Uint8Array;
  /** Existing floor area, its non-residential part, and the construction-cost class of its use. */
  exF: Float64Array;
  exNonRes: Float64Array;
  exClass: Uint8Array;
  areas: { key: unknown[]; area: Int32Array; areaCount: number[]; baseRes: Float64Array; baseJobs: Float64Array } | null;
  euv: { key: unknown[]; euv: Float64Array } | null;
}
const existingCache = new WeakMap<Cols, ExistingParts>();
const sameKey = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, k) => x === b[k]);

function existingParts(ex: Cols, lu: Uint8Array): ExistingParts {
  const hit = existingCache.get(ex);
  if (hit && hit.lu === lu) return hit;
  const n = lu.length;
  const e: ExistingParts = { lu, exF: new Float64Array(n), exNonRes: new Float64Array(n), exClass: new Uint8Array(n), areas: null, euv: null };
  for (let i = 0; i < n; i++) {
    e.exF[i] = ex.res[i] + ex.com[i] + ex.off[i] + ex.civ[i] + ex.ind[i];
    e.exNonRes[i] = ex.com[i] + ex.off[i] + ex.civ[i] + ex.ind[i];
    const u = lu[i];
    e.exClass[i] = u === LU.residential || u === LU.mixed_use ? 0 : u === LU.commercial ? 1 : u === LU.office ? 2 : 3;
  }
  existingCache.set(ex, e);
  return e;
}

/** Market area per parcel (a station's own, else the catch-all, else none), parcels per area and the base-year residents and jobs of each. */
function marketAreas(e: ExistingParts, ex: Cols, d: DistanceColumns, g: GrowthSettings): NonNullable<ExistingParts['areas']> {
  const key = [d.station, d.stationNames.join('\u0000'), JSON.stringify(g.areas.map((a) => a.station))];
  if (e.areas && sameKey(e.areas.key, key)) return e.areas;
  const areaIdx = new Map<string | null, number>();
  g.areas.forEach((a, k) => areaIdx.set(a.station, k));
  const stationArea = d.stationNames.map((s) => areaIdx.get(s) ?? areaIdx.get(null) ?? -1);
  const rest = areaIdx.get(null) ?? -1;
  const A = g.areas.length, n = e.lu.length;
  const area = new Int32Array(n), areaCount = new Array<number>(A).fill(0), baseRes = new Float64Array(A), baseJobs = new Float64Array(A);
  for (let i = 0; i < n; i++) {
    const st = d.station[i];
    const ar = st >= 0 ? stationArea[st] : rest;
    area[i] = ar;
    if (ar >= 0) areaCount[ar]++;
  }
  for (let i = 0; i < n; i++) if (area[i] >= 0) { baseRes[area[i]] += ex.people[i]; baseJobs[area[i]] += ex.jobs[i]; }
  e.areas = { key, area, areaCount, baseRes, baseJobs };
  return e.areas;
}

/**
 * Sale values, costs and land prices per price group (station and walk band, market.stationValues);
 * group 0 = the project-wide figures. `group` is null when no station has its own figures. The
 * groups depend on the stations and band distances only, not on prices: kept per distances.
 */
interface PriceGroups { group: Int32Array | null; ks: MarketConstants[]; land: Float64Array }
const groupCache = new WeakMap<Float64Array, { station: Int32Array; names: string; key: string; group: Int32Array | null }>();
function groupsFor(market: GrowthSettings['market'], n: number, d: DistanceColumns): Int32Array | null {
  const key = groupsKey(market), names = d.stationNames.join('\u0000');
  const hit = groupCache.get(d.dist);
  if (hit && hit.station === d.station && hit.names === names && hit.key === key && (hit.group === null || hit.group.length === n)) return hit.group;
  const group = stationGroups(market, n, d.station, d.stationNames, d.dist);
  groupCache.set(d.dist, { station: d.station, names, key, group });
  return group;
}
function priceGroups(market: GrowthSettings['market'], n: number, d: DistanceColumns): PriceGroups {
  const { markets, land } = groupMarkets(market);
  return { group: groupsFor(market, n, d), ks: markets.map(marketConstants), land };
}

/** Existing use value per parcel (land at its recorded value, else its station band's land price, plus the standing building, depreciated): the market's figures on what stands. */
function existingUseValues(e: ExistingParts, c: TakeUpColumns, pg: PriceGroups): Float64Array {
  const mk = c.growth.market;
  const key = [c.landValue, c.area, c.dist.station, c.dist.dist, JSON.stringify(mk.stationValues ?? null), mk.existingBuildingShare, mk.constructionCostPerM2.residential, mk.constructionCostPerM2.commercial, mk.constructionCostPerM2.office, mk.constructionCostPerM2.civic];
  if (e.euv && sameKey(e.euv.key, key)) return e.euv.euv;
  const m: Pick<MarketParcels, 'area' | 'landValue' | 'existingFa' | 'existingClass'> = { area: c.area, landValue: c.landValue, existingFa: e.exF, existingClass: e.exClass };
  const euv = new Float64Array(e.lu.length);
  const { group, ks, land } = pg;
  for (let i = 0; i < euv.length; i++) { const gi = group ? group[i] : 0; euv[i] = existingUseValue(m, i, ks[gi], land[gi]); }
  e.euv = { key, euv };
  return euv;
}

/** 1 + the station premium per parcel: by distances (immutable per catchment) and the premium curve. */
const premiumCache = new WeakMap<Float64Array, { curve: string; f: Float64Array }>();
function premiumFactors(dist: Float64Array, curve: Array<[number, number]>): Float64Array {
  const ck = JSON.stringify(curve);
  const hit = premiumCache.get(dist);
  if (hit && hit.curve === ck) return hit.f;
  const f = premiumFactorsInto(curve, dist, new Float64Array(dist.length));
  premiumCache.set(dist, { curve: ck, f });
  return f;
}

/** Base-site area (sum of valid parcel areas), per parcel-area column (immutable per parcel layer). */
const siteAreaCache = new WeakMap<Float64Array, number>();
function siteAreaOf(parcelArea: Float64Array): number {
  const hit = siteAreaCache.get(parcelArea);
  if (hit !== undefined) return hit;
  let siteArea = 0;
  for (let i = 0; i < parcelArea.length; i++) if (parcelArea[i] > 0) siteArea += parcelArea[i];
  siteAreaCache.set(parcelArea, siteArea);
  return siteArea;
}

/**
 * Per-run columns, reused per parcel layer (keyed by its fid column) and overwritten on every run:
 * the parcels that may take growth (compact, in parcel order: the allocation's candidates), the
 * entries the redevelopment test applies to, and the capacity sums of the last run.
 */
interface RunBuffers {
  id: Uint32Array; area: Int32Array; dRes: Float64Array; dJobs: Float64Array; dResM2: Float64Array; dNonResM2: Float64Array; margin: Float64Array; zone: Int32Array;
  m: number; tested: Uint32Array; nTested: number;
}
const runBuffers = new WeakMap<Float64Array, RunBuffers>();
function buffersFor(fids: Float64Array): RunBuffers {
  const n = fids.length;
  let b = runBuffers.get(fids);
  if (!b || b.id.length !== n) {
    const f = () => new Float64Array(n);
    b = { id: new Uint32Array(n), area: new Int32Array(n), dRes: f(), dJobs: f(), dResM2: f(), dNonResM2: f(), margin: f(), zone: new Int32Array(n), m: 0, tested: new Uint32Array(n), nTested: 0 };
    runBuffers.set(fids, b);
  }
  return b;
}

/**
 * Buffers a caller keeps across take-up runs on the same parcels (the re-evaluation after a rule
 * change): the shares of a run are written into the workspace's buffer, so a run's result is
 * valid until the next run with the same workspace. Without one, every run returns fresh shares.
 */
export interface TakeUpWorkspace {
  share: Float32Array | null;
  /** Parcels the last run built (the only non-zero shares in `share`). */
  touched: Uint32Array | null;
}
export function takeUpWorkspace(): TakeUpWorkspace {
  return { share: null, touched: null };
}

/** A shares buffer for P periods × n parcels, all 0: the workspace's, cleared where the last run wrote, or a fresh one. */
function sharesBuffer(w: TakeUpWorkspace | undefined, n: number, P: number): Float32Array {
  if (!w) return new Float32Array(P * n);
  if (!w.share || w.share.length !== P * n || !w.touched) { w.share = new Float32Array(P * n); w.touched = null; return w.share; }
  const s = w.share, t = w.touched;
  for (let p = 0; p < P; p++) { const o = p * n; for (let k = 0; k < t.length; k++) s[o + t[k]] = 0; }
  w.touched = null;
  return s;
}

export function takeUpFromColumns(c: TakeUpColumns, workspace?: TakeUpWorkspace): TakeUp {
  const SS = c.dist.stationNames.length + 1;
  const capSums = new Float64Array(SS * NC);
  const r = allocateTakeUp(c, capSums, sharesBuffer(workspace, c.fids.length, c.growth.horizons.length));
  if (workspace) workspace.touched = r.out.touched;
  return summarise({ ...r, g: c.growth, c, d: c.dist, ex: c.ex, cap: c.cap, a: c.assumptions, capSums });
}

/**
 * Only the per-parcel shares (period × parcel, cumulative) of the take-up: the redevelopment test and
 * the allocation, without the figures. What the sensitivity re-runs for each changed market.
 */
export function takeUpShares(c: TakeUpColumns): Float32Array {
  return allocateTakeUp(c, null, new Float32Array(c.growth.horizons.length * c.fids.length)).out.share;
}

/**
 * The redevelopment test and the allocation. `capSums` (slot × NC, slot 0 = no station), when
 * given, receives the capacity's changed columns summed in the same pass (parcel order).
 * `shares` must be all 0 (periods × parcels).
 */
function allocateTakeUp(c: TakeUpColumns, capSums: Float64Array | null, shares: Float32Array) {
  const { def, cap, ex, capBand, nb } = c;
  const g = c.growth;
  const d = c.dist;
  const n = c.fids.length;
  const H = g.horizons.length;
  const known = new Set(d.stationNames);
  const warnings: string[] = [];
  for (const a of g.areas) if (a.station !== null && !known.has(a.station)) warnings.push(`growth: market area "${a.station}" names no station of the walk catchment; it takes no growth`);

  const A = g.areas.length;
  const lu = c.landUse;
  const e = existingParts(ex, lu);
  const { area, areaCount, baseRes, baseJobs } = marketAreas(e, ex, d, g);
  const pg = priceGroups(g.market, n, d);
  const euv = existingUseValues(e, c, pg);
  const prem = premiumFactors(d.dist, g.market.premiumCurve);
  const { group: pgroup, ks } = pg;
  const edgeOf = g.areas.map((a) => a.urbanEdgeM);
  const pz = c.programme;
  const zoneOf = pz ? pz.zoneOf : null;
  // One pass: eligibility (capacity beyond what stands, farmland stays farmland), what build-out adds,
  // and the redevelopment test (core/growth/market.ts) on the parcels that may take growth, written
  // compactly (parcel order) for the allocation; with the capacity's sums for the figures.
  const buffers = buffersFor(c.fids);
  const { id: bId, area: bArea, dRes, dJobs, dResM2, dNonResM2, margin, zone: bZone, tested } = buffers;
  let m = 0, nTested = 0;
  const { exF, exNonRes } = e;
  const parcelArea = c.area;
  const rezones = def.rezonesAgricultural;
  // Columns in locals: the loop then reads typed arrays only.
  const { redev, res: cRes, com: cCom, off: cOff, civ: cCiv, ind: cInd, people: cPeople, jobs: cJobs, dw: cDw, open: cOpen, board: cBoard } = cap;
  const { people: ePeople, jobs: eJobs, res: eRes, dw: eDw, com: eCom, off: eOff, civ: eCiv, ind: eInd, open: eOpen, board: eBoard } = ex;
  const dist = d.dist, st = d.station, VACANT = LU.vacant;
  const sums = capSums ?? new Float64Array(0), withSums = capSums !== null;
  const aor = c.asOfRight ?? null;
  let viable = 0;
  for (let i = 0; i < n; i++) {
    if (redev[i] !== 1) continue;
    const r = cRes[i], cm = cCom[i], o = cOff[i], cv = cCiv[i], ci = cInd[i];
    const pa = parcelArea[i];
    if (withSums && pa > 0) {
      // The capacity's changed columns (summarise's figures), in parcel order as the horizons' sums.
      const q = (st[i] + 1) * NC;
      sums[q] += cPeople[i] - ePeople[i]; sums[q + 1] += cJobs[i] - eJobs[i]; sums[q + 2] += cDw[i] - eDw[i]; sums[q + 3] += r - eRes[i];
      sums[q + 4] += cm - eCom[i]; sums[q + 5] += o - eOff[i]; sums[q + 6] += cv - eCiv[i]; sums[q + 7] += ci - eInd[i];
      sums[q + 8] += cOpen[i] - eOpen[i]; sums[q + 9] += cBoard[i] - eBoard[i]; sums[q + 10] += 1;
    }
    const nonRes = cm + o + cv + ci;
    const capF = r + cm + o + cv + ci;
    if (!(capF > exF[i])) continue;
    const ar = area[i];
    const edge = ar >= 0 ? edgeOf[ar] : null;
    if (lu[i] === VACANT && edge !== null && !(dist[i] <= edge) && !(rezones && capBand[i] < nb)) continue;
    bId[m] = i; bArea[m] = ar;
    dRes[m] = cPeople[i] - ePeople[i]; dJobs[m] = cJobs[i] - eJobs[i];
    dResM2[m] = r - eRes[i];
    dNonResM2[m] = nonRes - exNonRes[i];
    bZone[m] = zoneOf !== null ? zoneOf[i] : -1;
    margin[m] = NaN;
    if (pa > 0) {
      tested[nTested++] = m;
      // Bonus floor area: beyond the base entitlement and beyond what stands (as the capture's bonusGfa).
      let bonus = 0;
      if (aor !== null) { const base = aor[i] > exF[i] ? aor[i] : exF[i]; bonus = capF > base ? capF - base : 0; }
      const mg = marginOf(r, cm, o, exF[i], euv[i], prem[i], pa, ks[pgroup ? pgroup[i] : 0], bonus);
      if (mg === mg) { margin[m] = mg; viable++; }
    }
    m++;
  }
  buffers.m = m;
  buffers.nTested = nTested;

  // Control totals per area × horizon, from the base-year figures of the area.
  const targetRes = new Float64Array(A * H), targetJobs = new Float64Array(A * H), capResM2 = new Float64Array(A * H), capNonResM2 = new Float64Array(A * H);
  const induced = def.inducedGrowth;
  g.areas.forEach((a, k) => {
    let prev = g.baseYear;
    g.horizons.forEach((y, h) => {
      const tr = controlTotal(a.residents, baseRes[k], g.baseYear, y), tj = controlTotal(a.jobs, baseJobs[k], g.baseYear, y);
      targetRes[k * H + h] = tr + induced * Math.max(0, tr - baseRes[k]);
      targetJobs[k * H + h] = tj + induced * Math.max(0, tj - baseJobs[k]);
      capResM2[k * H + h] = a.absorption.residentialM2PerYear * (y - prev);
      capNonResM2[k * H + h] = a.absorption.nonResidentialM2PerYear * (y - prev);
      prev = y;
    });
  });

  // The public-land programme: cumulative floor area due by each horizon, per zone.
  // The programme is the master plan's: it applies where the scenario builds the zones of its layer.
  const Z = pz?.names.length ?? 0;
  const programmeDue = new Float64Array(Z * H);
  if (pz) {
    // Over the parcels that may take growth, in parcel order (every other parcel adds 0).
    const zoneCap = new Float64Array(Z);
    for (let j = 0; j < m; j++) if (bZone[j] >= 0) zoneCap[bZone[j]] += Math.max(0, dResM2[j] + dNonResM2[j]);
    for (const en of g.programme) {
      const z = pz.names.indexOf(en.zone);
      const years = en.toYear - en.fromYear + 1;
      g.horizons.forEach((y, h) => {
        const doneYears = Math.max(0, Math.min(y, en.toYear) - Math.max(g.baseYear + 1, en.fromYear) + 1);
        programmeDue[z * H + h] += en.share * zoneCap[z] * Math.min(1, doneYears / years);
      });
    }
  }
  // Over the candidates, as the programme's due is counted (every other parcel adds 0).
  if (pz && g.programmeAbsorption === 'additional') {
    addProgrammeCeiling({ n: m, nAreas: A, periods: H, area: bArea.subarray(0, m), zoneOf: bZone.subarray(0, m), nZones: Z,
      dResM2: dResM2.subarray(0, m), dNonResM2: dNonResM2.subarray(0, m), programmeDue }, capResM2, capNonResM2);
  }
  const controls: AllocControls = { n, nAreas: A, periods: H, nZones: Z, programmeDue, baseRes, baseJobs, targetRes, targetJobs, capResM2, capNonResM2 };
  const cand: AllocCandidates = {
    m, id: bId.subarray(0, m), area: bArea.subarray(0, m), dRes: dRes.subarray(0, m), dJobs: dJobs.subarray(0, m), dResM2: dResM2.subarray(0, m),
    dNonResM2: dNonResM2.subarray(0, m), margin: margin.subarray(0, m), zone: pz ? bZone.subarray(0, m) : null,
  };
  const out = allocateCandidates(cand, controls, shares, { clear: false });
  for (let h = 0; h < H; h++) {
    let over = 0;
    for (let k = 0; k < A; k++) over += baseRes[k] + out.builtRes.slice(k * H, k * H + h + 1).reduce((x, y) => x + y, 0) - targetRes[k * H + h];
    if (pz && over > 1) warnings.push(`by ${g.horizons[h]} the public-land programme adds ${Math.round(over).toLocaleString('en')} residents beyond the projected demand (the plan draws them from elsewhere in the region)`);
  }
  return { out, area, A, H, Z, controls, cand, viable, areaCount, warnings, programmeDue, buffers };
}

/**
 * The take-up held ready for re-runs on other market figures (sale values, construction costs, the
 * premium curve, the premium FSI charge: what the sensitivity varies). Eligibility, what build-out adds, the control totals,
 * ceilings and programme do not depend on them, so they are kept (copied: the per-layer buffers are
 * reused by other runs), and so are the price groups while the stations' bands stay, and the
 * premium factors while the curve stays; each re-run is the redevelopment test on the parcels it
 * applies to and the allocation. Equal to takeUpShares with the growth settings' market replaced.
 * `touched()` lists the parcels the last run (the first, then each re-run) built, in parcel order:
 * every other parcel's shares are 0.
 */
export function takeUpRerun(c: TakeUpColumns): { shares: Float32Array; rerun: (market: GrowthSettings['market'], scales?: MarketScales) => Float32Array; touched: () => Uint32Array; tested: number } {
  const n = c.fids.length, P = c.growth.horizons.length;
  const r = allocateTakeUp(c, null, new Float32Array(P * n));
  const b = r.buffers, m = b.m;
  const cand: AllocCandidates = {
    m, id: b.id.slice(0, m), area: b.area.slice(0, m), dRes: b.dRes.slice(0, m), dJobs: b.dJobs.slice(0, m), dResM2: b.dResM2.slice(0, m),
    dNonResM2: b.dNonResM2.slice(0, m), margin: new Float64Array(m).fill(NaN), zone: r.cand.zone ? r.cand.zone.slice() : null,
  };
  const controls = r.controls;
  // Only the margins change from re-run to re-run.
  const held = holdCandidates(cand);
  // The tested entries' own columns, compact: the re-run reads them in sequence.
  const T = b.nTested, tested = b.tested.slice(0, T);
  const e = existingParts(c.ex, c.landUse);
  const { cap } = c;
  const tId = new Uint32Array(T), tRes = new Float64Array(T), tCom = new Float64Array(T), tOff = new Float64Array(T), tDist = new Float64Array(T), tBonus = new Float64Array(T);
  const aor = c.asOfRight ?? null;
  const tm = { area: new Float64Array(T), landValue: new Float64Array(T), existingFa: new Float64Array(T), existingClass: new Uint8Array(T) };
  for (let t = 0; t < T; t++) {
    const i = cand.id[tested[t]];
    tId[t] = i; tRes[t] = cap.res[i]; tCom[t] = cap.com[i]; tOff[t] = cap.off[i]; tDist[t] = c.dist.dist[i];
    tm.area[t] = c.area[i]; tm.landValue[t] = c.landValue[i]; tm.existingFa[t] = e.exF[i]; tm.existingClass[t] = e.exClass[i];
    if (aor !== null) {
      const capF = cap.res[i] + cap.com[i] + cap.off[i] + cap.civ[i] + cap.ind[i], base = aor[i] > e.exF[i] ? aor[i] : e.exF[i];
      tBonus[t] = capF > base ? capF - base : 0;
    }
  }
  const tGroup = new Int32Array(T);
  let groupsFrom: Int32Array | null | undefined;
  const tPrem = new Float64Array(T);
  let premCurve = '';
  let into: Float32Array | undefined;
  let touched = r.out.touched;
  // The margin's parts at the base market (what scales with sale values, costs and the charge), made
  // at the first re-run given as scales of the base market's prices.
  let parts: MarginParts | null = null;
  const partsOf = (): MarginParts => {
    const base = c.growth.market, group = groupsFor(base, n, c.dist);
    const { markets, land } = groupMarkets(base);
    const ks = markets.map(marketConstants);
    const q: MarginParts = { gdv: new Float64Array(T), build: new Float64Array(T), fsi: new Float64Array(T), fixed: new Float64Array(T) };
    for (let t = 0; t < T; t++) {
      const gi = group ? group[tId[t]] : 0;
      marginPartsAt(q, t, tRes[t], tCom[t], tOff[t], tm.existingFa[t], existingLandValue(tm.landValue[t], tm.area[t], land[gi]), tm.existingClass[t], ks[gi], tBonus[t]);
    }
    return q;
  };
  return {
    shares: r.out.share,
    touched: () => touched,
    tested: T,
    // The shares a re-run returns are overwritten by the next one (the sensitivity turns each into a schedule at once).
    // `scales`, when given, says `market` is the base market (this take-up's growth settings) with its
    // sale values, construction costs and premium FSI charge each × one factor (the premium curve as
    // `market` has it): the redevelopment test then reads the margin's parts made once.
    rerun: (market, scales) => {
      const ck = JSON.stringify(market.premiumCurve);
      if (ck !== premCurve) { premiumFactorsInto(market.premiumCurve, tDist, tPrem); premCurve = ck; }
      const mg = cand.margin;
      if (scales) {
        const q = parts ??= partsOf();
        const { gdv, build, fsi, fixed } = q, area = tm.area, sv = scales.sale, cc = scales.cost, ch = scales.charge;
        for (let t = 0; t < T; t++) {
          const v = (sv * tPrem[t] * gdv[t] - cc * build[t] - ch * fsi[t] - fixed[t]) / area[t];
          mg[tested[t]] = v > 0 ? v : NaN;
        }
      } else {
        const group = groupsFor(market, n, c.dist);
        if (group !== groupsFrom) { for (let t = 0; t < T; t++) tGroup[t] = group ? group[tId[t]] : 0; groupsFrom = group; }
        const { markets, land } = groupMarkets(market);
        const ks = markets.map(marketConstants);
        for (let t = 0; t < T; t++) {
          const gi = tGroup[t], k = ks[gi];
          mg[tested[t]] = marginOf(tRes[t], tCom[t], tOff[t], tm.existingFa[t], existingUseValue(tm, t, k, land[gi]), tPrem[t], tm.area[t], k, tBonus[t]);
        }
      }
      if (into) { for (let p = 0; p < P; p++) { const o = p * n; for (let k = 0; k < touched.length; k++) into[o + touched[k]] = 0; } }
      else into = new Float32Array(P * n);
      const out = allocateCandidates(cand, controls, into, { clear: false, held });
      touched = out.touched;
      return into;
    },
  };
}

/**
 * Base-year figures (total, then per station): they depend on what stands, the stations and the
 * assumptions only, so they are computed once per Existing evaluation, not at every rule change.
 */
const baseCache = new WeakMap<Cols, { key: unknown[]; f: Float64Array }>();
function baseSums(ex: Cols, cap: Cols, d: DistanceColumns, parcelArea: Float64Array, a: Assumptions, SS: number): Float64Array {
  const key = [d.station, parcelArea, a.waterLPerResidentDay, a.waterLPerJobDay, ...a.powerKwhPerM2Year, SS];
  const hit = baseCache.get(ex);
  if (hit && hit.key.length === key.length && hit.key.every((x, k) => x === key[k])) return hit.f;
  const f = new Float64Array(SS * K), v = new Float64Array(K);
  for (let i = 0; i < parcelArea.length; i++) {
    if (!(parcelArea[i] > 0)) continue;
    const st = d.station[i];
    metricsAt(v, ex, cap, i, 0, a);
    const o1 = st >= 0 ? (st + 1) * K : -1;
    for (let k = 0; k < K - 1; k++) { f[k] += v[k]; if (o1 >= 0) f[o1 + k] += v[k]; }
  }
  baseCache.set(ex, { key, f });
  return f;
}

/** Share-weighted changed columns (residents, jobs, dwellings, floor area by use, open space, boardings) and one parcel, added at o. */
function accumulate(sums: Float64Array, o: number, s: number, d0: number, d1: number, d2: number, d3: number, d4: number, d5: number, d6: number, d7: number, d8: number, d9: number): void {
  sums[o] += s * d0; sums[o + 1] += s * d1; sums[o + 2] += s * d2; sums[o + 3] += s * d3; sums[o + 4] += s * d4;
  sums[o + 5] += s * d5; sums[o + 6] += s * d6; sums[o + 7] += s * d7; sums[o + 8] += s * d8; sums[o + 9] += s * d9; sums[o + 10] += 1;
}

function summarise(c: {
  g: GrowthSettings; c: TakeUpColumns; d: DistanceColumns; ex: Cols; cap: Cols; out: AllocOutput & { touched: Uint32Array }; area: Int32Array; A: number; H: number; Z: number;
  controls: AllocControls; a: Assumptions; viable: number; areaCount: number[]; warnings: string[]; programmeDue: Float64Array; capSums: Float64Array;
}): TakeUp {
  const { g, d, ex, cap, out, A, H, Z, a } = c;
  const n = c.c.fids.length;
  const parcelArea = c.c.area;
  const siteArea = siteAreaOf(parcelArea);
  const S = d.stationNames.length;
  // Layout: [base | capacity | horizons…] × (total, stations…) × K.
  const G = 2 + H, SS = S + 1;
  const f = new Float64Array(G * SS * K);
  const at = (g: number, st: number) => (g * SS + (st >= 0 ? st + 1 : 0)) * K;
  const base0 = baseSums(ex, cap, d, parcelArea, a, SS);
  // Figures are linear in the built share: what stands, plus share × (capacity − what stands) on the
  // parcels whose rules change them. So the changed columns are summed (share-weighted) per group and
  // the figures derived from those sums at the end: capacity over every changed parcel, each horizon
  // over the parcels the allocation touched only (every other parcel's share is 0).
  // Summed per station slot (0 = no station); the site's total is their sum.
  const sums = new Float64Array(G * SS * NC);
  const st = d.station, redev = cap.redev, share = out.share;
  const { people: cP, jobs: cJ, dw: cD, res: cR, com: cC, off: cO, civ: cV, ind: cI, open: cS, board: cB } = cap;
  const { people: eP, jobs: eJ, dw: eD, res: eR, com: eC, off: eO, civ: eV, ind: eI, open: eS, board: eB } = ex;
  // Capacity over every changed parcel was summed in the fused pass (parcel order); each horizon
  // over the parcels the allocation built (the only non-zero shares), in parcel order too.
  sums.set(c.capSums, SS * NC);
  const touched = out.touched;
  for (let q = 0; q < touched.length; q++) {
    const i = touched[q];
    if (redev[i] !== 1 || !(parcelArea[i] > 0)) continue;
    const d0 = cP[i] - eP[i], d1 = cJ[i] - eJ[i], d2 = cD[i] - eD[i], d3 = cR[i] - eR[i], d4 = cC[i] - eC[i];
    const d5 = cO[i] - eO[i], d6 = cV[i] - eV[i], d7 = cI[i] - eI[i], d8 = cS[i] - eS[i], d9 = cB[i] - eB[i];
    const slot = st[i] + 1;
    for (let h = 0; h < H; h++) {
      const s2 = share[h * n + i];
      if (s2 !== 0) accumulate(sums, ((2 + h) * SS + slot) * NC, s2, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9);
    }
  }
  for (let g2 = 1; g2 < G; g2++) for (let slot = 1; slot < SS; slot++) for (let k = 0; k < NC; k++) sums[g2 * SS * NC + k] += sums[(g2 * SS + slot) * NC + k];
  const pw = a.powerKwhPerM2Year;
  for (let g2 = 0; g2 < G; g2++) for (let slot = 0; slot < SS; slot++) {
    const o = (g2 * SS + slot) * K, b = slot * K, q = (g2 * SS + slot) * NC;
    for (let k = 0; k < K; k++) f[o + k] = base0[b + k];
    if (g2 === 0) continue;
    const [people, jobs, dw, res, com, off, civ, ind, open, board, count] = sums.subarray(q, q + NC);
    f[o] += people; f[o + 1] += jobs; f[o + 2] += dw; f[o + 3] += res + com + off + civ + ind; f[o + 4] += res; f[o + 5] += com + off + civ + ind;
    f[o + 6] += off; f[o + 7] += open; f[o + 8] += board;
    f[o + 9] += (people * a.waterLPerResidentDay + jobs * a.waterLPerJobDay) / 1000;
    f[o + 10] += (res * pw[0] + com * pw[1] + off * pw[2] + civ * pw[3] + ind * pw[4]) / 1000;
    f[o + 11] += count;
  }
  const base = figuresOf(f, at(0, -1)), capacity = figuresOf(f, at(1, -1));
  const hz = g.horizons.map((_, h) => figuresOf(f, at(2 + h, -1)));
  const sumAreas = (arr: Float64Array, h: number) => { let s = 0; for (let k = 0; k < A; k++) s += arr[k * H + h]; return s; };
  const sumZones = (arr: Float64Array, h: number) => { let s = 0; for (let z = 0; z < Z; z++) s += arr[z * H + h]; return s; };
  const horizons: HorizonFigures[] = g.horizons.map((year, h) => ({
    ...hz[h], year,
    unmetResidents: sumAreas(out.unmetRes, h), unmetJobs: sumAreas(out.unmetJobs, h),
    builtResidentialM2: sumAreas(out.builtResM2, h), builtNonResidentialM2: sumAreas(out.builtNonResM2, h),
    ceilingResidentialM2: sumAreas(c.controls.capResM2, h), ceilingNonResidentialM2: sumAreas(c.controls.capNonResM2, h),
    programmeDueM2: sumZones(c.programmeDue, h), programmeShortM2: sumZones(out.programmeShortM2, h),
  }));
  const stations: StationTakeUp[] = d.stationNames.map((station, s) => ({
    station, base: figuresOf(f, at(0, s)), capacity: figuresOf(f, at(1, s)),
    horizons: g.horizons.map((year, h) => ({ ...figuresOf(f, at(2 + h, s)), year })),
  }));
  return {
    parcelLayer: c.c.layer, baseYear: g.baseYear, base, horizons, capacity, stations, share: out.share, fids: c.c.fids, viableParcels: c.viable,
    plausibility: plausibilityWarnings(base, horizons, siteArea), ridership: null,
    areas: g.areas.map((ar, k) => ({ station: ar.station, parcels: c.areaCount[k] })), warnings: c.warnings,
  };
}
