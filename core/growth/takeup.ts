/**
 * Projected take-up of a scenario by horizon year. The scenario's rules give its capacity (what
 * they allow on every parcel: the build-out figure); the base year is what stands (Existing);
 * demand per market area (control totals, plus the scenario's induced share) is allocated to the
 * parcels that pass the redevelopment test, best margin first, within the absorption ceiling, with
 * public land under its programme. Capacity stays an upper bound: take-up ≤ capacity on every parcel.
 */
import { EkimaeError } from '../api/errors.js';
import type { Project } from '../store/project.js';
import type { Assumptions } from '../scenario/assumptions.js';
import { EXISTING_DEF } from '../scenario/defaults.js';
import type { ParcelResult } from '../scenario/evaluate.js';
import type { ScenarioDef } from '../scenario/model.js';
import { pointInPolygons, polygonsOf, type Rings } from '../scenario/parcel-geometry.js';
import { type PreparedParcels } from '../scenario/prepare.js';
import { evaluateScenario, type DistanceColumns } from '../scenario/run.js';
import { LU } from '../scenario/vocabulary.js';
import { fromWgs84 } from '../geo/crs.js';
import { mapPositions } from '../geo/geometry.js';
import { allocate, type AllocInput, type AllocOutput } from './allocate.js';
import { viability, type MarketParcels } from './market.js';
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
}

/** Floor-use columns of a scenario result, copied (evaluation buffers are reused). */
interface Cols {
  res: Float64Array; com: Float64Array; off: Float64Array; civ: Float64Array; ind: Float64Array; open: Float64Array;
  dw: Float64Array; people: Float64Array; jobs: Float64Array; board: Float64Array; redev: Uint8Array;
}

function copyCols(r: ParcelResult): Cols {
  return {
    res: r.residential.slice(), com: r.commercial.slice(), off: r.office.slice(), civ: r.civic.slice(), ind: r.industrial.slice(), open: r.openSpace.slice(),
    dw: r.dwellings.slice(), people: r.residents.slice(), jobs: r.jobs.slice(), board: r.boardings.slice(), redev: r.redeveloped.slice(),
  };
}

function emptyFigures(): Figures {
  return { residents: 0, jobs: 0, dwellings: 0, floorAreaM2: 0, residentialM2: 0, nonResidentialM2: 0, officeM2: 0, openSpaceM2: 0, boardings: 0, waterM3PerDay: 0, powerMWhPerYear: 0, parcelsBuilt: 0 };
}

/** Add parcel i at built share s (0 = what stands, 1 = capacity) to f. */
function addParcel(f: Figures, ex: Cols, cap: Cols, i: number, s: number, a: Assumptions): void {
  const mix = (x: Float64Array, y: Float64Array) => x[i] + s * (y[i] - x[i]);
  const res = mix(ex.res, cap.res), com = mix(ex.com, cap.com), off = mix(ex.off, cap.off), civ = mix(ex.civ, cap.civ), ind = mix(ex.ind, cap.ind);
  const people = mix(ex.people, cap.people), jobs = mix(ex.jobs, cap.jobs);
  f.residents += people; f.jobs += jobs; f.dwellings += mix(ex.dw, cap.dw);
  f.residentialM2 += res; f.nonResidentialM2 += com + off + civ + ind; f.officeM2 += off; f.floorAreaM2 += res + com + off + civ + ind;
  f.openSpaceM2 += mix(ex.open, cap.open); f.boardings += mix(ex.board, cap.board);
  f.waterM3PerDay += (people * a.waterLPerResidentDay + jobs * a.waterLPerJobDay) / 1000;
  const pw = a.powerKwhPerM2Year;
  f.powerMWhPerYear += (res * pw[0] + com * pw[1] + off * pw[2] + civ * pw[3] + ind * pw[4]) / 1000;
  if (s > 0) f.parcelsBuilt++;
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
  const zoneOf = new Int32Array(prep.cols.n).fill(-1);
  for (let i = 0; i < prep.cols.n; i++) {
    const x = prep.cx[i], y = prep.cy[i];
    if (!Number.isFinite(x)) continue;
    for (let z = 0; z < zones.length; z++) if (pointInPolygons(x, y, zones[z])) { zoneOf[i] = z; break; }
  }
  return { zoneOf, names };
}

export interface TakeUpOptions {
  parcelLayer?: string;
  distances: (prep: PreparedParcels) => DistanceColumns;
  assumptions: Assumptions;
  growth: GrowthSettings;
  landValue: (prep: PreparedParcels) => Float64Array;
}

export function takeUp(p: Project, def: ScenarioDef, o: TakeUpOptions): TakeUp {
  const g = o.growth;
  const capEv = evaluateScenario(p, def, { parcelLayer: o.parcelLayer, distances: o.distances, assumptions: o.assumptions });
  const cap = copyCols(capEv.result);
  const capBand = capEv.result.band.slice(), nb = capEv.rules.nb;
  const exEv = evaluateScenario(p, EXISTING_DEF, { parcelLayer: o.parcelLayer, distances: o.distances, assumptions: o.assumptions });
  const ex = copyCols(exEv.result);
  const prep = capEv.prep;
  const n = prep.cols.n;
  const d = o.distances(prep);
  const H = g.horizons.length;

  // Market areas: a station's own, else the catch-all (station null), else none.
  const areaIdx = new Map<string | null, number>();
  g.areas.forEach((a, k) => areaIdx.set(a.station, k));
  const stationArea = d.stationNames.map((s) => areaIdx.get(s) ?? areaIdx.get(null) ?? -1);
  const rest = areaIdx.get(null) ?? -1;
  const known = new Set(d.stationNames);
  const warnings: string[] = [];
  for (const a of g.areas) if (a.station !== null && !known.has(a.station)) warnings.push(`growth: market area "${a.station}" names no station of the walk catchment; it takes no growth`);

  const A = g.areas.length;
  const area = new Int32Array(n);
  const eligible = new Uint8Array(n);
  const m: MarketParcels = {
    n, area: prep.cols.area, landValue: o.landValue(prep), dist: d.dist, existingFa: new Float64Array(n), existingClass: new Uint8Array(n),
    capRes: new Float64Array(n), capCom: new Float64Array(n), capOff: new Float64Array(n), eligible,
  };
  const dRes = new Float64Array(n), dJobs = new Float64Array(n), dResM2 = new Float64Array(n), dNonResM2 = new Float64Array(n);
  const lu = prep.cols.landUse;
  const areaCount = new Array<number>(A).fill(0);
  for (let i = 0; i < n; i++) {
    const st = d.station[i];
    const ar = st >= 0 ? stationArea[st] : rest;
    area[i] = ar;
    if (ar >= 0) areaCount[ar]++;
    const exF = ex.res[i] + ex.com[i] + ex.off[i] + ex.civ[i] + ex.ind[i];
    m.existingFa[i] = exF;
    const u = lu[i];
    m.existingClass[i] = u === LU.residential || u === LU.mixed_use ? 0 : u === LU.commercial ? 1 : u === LU.office ? 2 : 3;
    if (cap.redev[i] !== 1) continue;
    const capF = cap.res[i] + cap.com[i] + cap.off[i] + cap.civ[i] + cap.ind[i];
    if (!(capF > exF)) continue;
    const edge = ar >= 0 ? g.areas[ar].urbanEdgeM : null;
    const dist = d.dist[i];
    if (u === LU.vacant && edge !== null && !(dist <= edge) && !(def.rezonesAgricultural && capBand[i] < nb)) continue;
    eligible[i] = 1;
    m.capRes[i] = cap.res[i]; m.capCom[i] = cap.com[i]; m.capOff[i] = cap.off[i];
    dRes[i] = cap.people[i] - ex.people[i]; dJobs[i] = cap.jobs[i] - ex.jobs[i];
    dResM2[i] = cap.res[i] - ex.res[i];
    dNonResM2[i] = cap.com[i] + cap.off[i] + cap.civ[i] + cap.ind[i] - (ex.com[i] + ex.off[i] + ex.civ[i] + ex.ind[i]);
  }
  const via = viability(m, g.market);
  let viable = 0;
  for (let i = 0; i < n; i++) if (via.margin[i] === via.margin[i]) viable++;

  // Control totals per area × horizon, from the base-year figures of the area.
  const baseRes = new Float64Array(A), baseJobs = new Float64Array(A);
  for (let i = 0; i < n; i++) if (area[i] >= 0) { baseRes[area[i]] += ex.people[i]; baseJobs[area[i]] += ex.jobs[i]; }
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
  const pz = def.zoneLayer !== null && def.zoneLayer === g.programmeLayer ? programmeZones(p, prep, g) : null;
  const Z = pz?.names.length ?? 0;
  const programmeDue = new Float64Array(Z * H);
  if (pz) {
    const zoneCap = new Float64Array(Z);
    for (let i = 0; i < n; i++) if (pz.zoneOf[i] >= 0 && eligible[i]) zoneCap[pz.zoneOf[i]] += Math.max(0, dResM2[i] + dNonResM2[i]);
    for (const e of g.programme) {
      const z = pz.names.indexOf(e.zone);
      const years = e.toYear - e.fromYear + 1;
      g.horizons.forEach((y, h) => {
        const doneYears = Math.max(0, Math.min(y, e.toYear) - Math.max(g.baseYear + 1, e.fromYear) + 1);
        programmeDue[z * H + h] += e.share * zoneCap[z] * Math.min(1, doneYears / years);
      });
    }
  }
  const input: AllocInput = {
    n, nAreas: A, periods: H, area, dRes, dJobs, dResM2, dNonResM2, margin: via.margin, programme: pz?.zoneOf ?? null, nZones: Z, programmeDue,
    baseRes, baseJobs, targetRes, targetJobs, capResM2, capNonResM2,
  };
  const out = allocate(input);
  for (let h = 0; h < H; h++) {
    let over = 0;
    for (let k = 0; k < A; k++) over += baseRes[k] + out.builtRes.slice(k * H, k * H + h + 1).reduce((x, y) => x + y, 0) - targetRes[k * H + h];
    if (pz && over > 1) warnings.push(`by ${g.horizons[h]} the public-land programme adds ${Math.round(over).toLocaleString('en')} residents beyond the projected demand (the plan draws them from elsewhere in the region)`);
  }
  return summarise({ g, prep, d, ex, cap, out, area, A, H, Z, input, a: o.assumptions, viable, areaCount, warnings, programmeDue });
}

function summarise(c: {
  g: GrowthSettings; prep: PreparedParcels; d: DistanceColumns; ex: Cols; cap: Cols; out: AllocOutput; area: Int32Array; A: number; H: number; Z: number;
  input: AllocInput; a: Assumptions; viable: number; areaCount: number[]; warnings: string[]; programmeDue: Float64Array;
}): TakeUp {
  const { g, prep, d, ex, cap, out, A, H, Z, a } = c;
  const n = prep.cols.n;
  const S = d.stationNames.length;
  const base = emptyFigures(), capacity = emptyFigures();
  const stBase = Array.from({ length: S }, emptyFigures), stCap = Array.from({ length: S }, emptyFigures);
  const hz = g.horizons.map(() => emptyFigures());
  const stHz = g.horizons.map(() => Array.from({ length: S }, emptyFigures));
  for (let i = 0; i < n; i++) {
    if (!(prep.cols.area[i] > 0)) continue;
    const st = d.station[i];
    // A parcel that keeps what stands contributes its existing figures at every share.
    const capShare = cap.redev[i] === 1 ? 1 : 0;
    addParcel(base, ex, cap, i, 0, a);
    addParcel(capacity, ex, cap, i, capShare, a);
    if (st >= 0) { addParcel(stBase[st], ex, cap, i, 0, a); addParcel(stCap[st], ex, cap, i, capShare, a); }
    for (let h = 0; h < H; h++) {
      const s = out.share[h * n + i];
      addParcel(hz[h], ex, cap, i, s, a);
      if (st >= 0) addParcel(stHz[h][st], ex, cap, i, s, a);
    }
  }
  const sumAreas = (arr: Float64Array, h: number) => { let s = 0; for (let k = 0; k < A; k++) s += arr[k * H + h]; return s; };
  const sumZones = (arr: Float64Array, h: number) => { let s = 0; for (let z = 0; z < Z; z++) s += arr[z * H + h]; return s; };
  const horizons: HorizonFigures[] = g.horizons.map((year, h) => ({
    ...hz[h], year,
    unmetResidents: sumAreas(out.unmetRes, h), unmetJobs: sumAreas(out.unmetJobs, h),
    builtResidentialM2: sumAreas(out.builtResM2, h), builtNonResidentialM2: sumAreas(out.builtNonResM2, h),
    ceilingResidentialM2: sumAreas(c.input.capResM2, h), ceilingNonResidentialM2: sumAreas(c.input.capNonResM2, h),
    programmeDueM2: sumZones(c.programmeDue, h), programmeShortM2: sumZones(out.programmeShortM2, h),
  }));
  const stations: StationTakeUp[] = d.stationNames.map((station, s) => ({
    station, base: stBase[s], capacity: stCap[s],
    horizons: g.horizons.map((year, h) => ({ ...stHz[h][s], year })),
  }));
  return {
    parcelLayer: prep.layer, baseYear: g.baseYear, base, horizons, capacity, stations, share: out.share, fids: prep.cols.fid, viableParcels: c.viable,
    areas: g.areas.map((ar, k) => ({ station: ar.station, parcels: c.areaCount[k] })), warnings: c.warnings,
  };
}
