/**
 * Evaluate a scenario on a project: bind the prepared parcel columns, walking distances, exclusion
 * masks, zones and overrides to the compiled rules, run the one-pass evaluation and build the
 * indicators. The result buffers are kept per parcel layer, so evaluating again after a rule change
 * costs only the pass itself.
 */
import { EkimaeError } from '../errors.js';
import type { LayerInfo, Project } from '../store/project.js';
import { fromWgs84 } from '../geo/crs.js';
import type { Assumptions } from './assumptions.js';
import { compileRules, unusedLandUses, type CompiledRules } from './compile.js';
import { allocResult, evaluateParcels, FLAG, type BoundOverrides, type ParcelResult, type SiteInputs } from './evaluate.js';
import { buildIndicators, type IndicatorSet } from './indicators.js';
import type { ScenarioDef } from './model.js';
import { distanceToGeometry } from './parcel-geometry.js';
import { cached, exclusionMask, layerToken, prepareParcels, zoneArrays, type PreparedParcels } from './prepare.js';
import { landUseCode, LAND_USES, LU_UNKNOWN } from './vocabulary.js';
import { zoneScale } from './zone-scale.js';

export interface DistanceColumns {
  dist: Float64Array;
  station: Int32Array;
  stationNames: string[];
  /** Where the distances came from, shown with every result ('catchment run 3', 'input', 'crow-flies × 1.3 (not walking distance)'). */
  source: string;
}

export interface DistanceInput { fids: ArrayLike<number>; distM: ArrayLike<number | null>; station?: ArrayLike<string | null> }

/** Align distances given by feature id with the parcel order; parcels without one are unreached. */
export function alignDistances(prep: PreparedParcels, d: DistanceInput, source: string): DistanceColumns {
  if (d.fids.length !== d.distM.length || (d.station && d.station.length !== d.fids.length)) {
    throw new EkimaeError('E_INPUT_INVALID', `distances: fids (${d.fids.length}), distM (${d.distM.length}) and station (${d.station?.length ?? '-'}) must have the same length`);
  }
  const n = prep.cols.n;
  const dist = new Float64Array(n).fill(NaN);
  const station = new Int32Array(n).fill(-1);
  const names: string[] = [];
  const nameIdx = new Map<string, number>();
  let unknown = 0;
  for (let k = 0; k < d.fids.length; k++) {
    const i = prep.fidIndex.get(d.fids[k]);
    if (i === undefined) { unknown++; continue; }
    const v = d.distM[k];
    dist[i] = typeof v === 'number' && v >= 0 ? v : NaN;
    const s = d.station?.[k];
    if (s !== null && s !== undefined && s !== '') {
      let j = nameIdx.get(s);
      if (j === undefined) { j = names.length; names.push(s); nameIdx.set(s, j); }
      station[i] = j;
    }
  }
  if (unknown > 0 && unknown === d.fids.length) {
    throw new EkimaeError('E_DISTANCES_MISSING', `none of the ${unknown} distance fids is a feature of parcel layer "${prep.layer}"`, { layer: prep.layer });
  }
  return { dist, station, stationNames: names, source };
}

/**
 * Straight-line distance from each parcel centroid to the nearest station point × a detour factor.
 * Only on explicit request and labelled in every result: it is not a walking distance.
 */
export function crowFliesDistances(p: Project, prep: PreparedParcels, stationsLayer: string, detour: number): DistanceColumns {
  return cached(p, `crow:${prep.layer}:${stationsLayer}:${detour}`, `${prep.token}|${layerToken(p, stationsLayer)}`, () => crowFlies(p, prep, p.layer(stationsLayer), detour));
}

function crowFlies(p: Project, prep: PreparedParcels, info: LayerInfo, detour: number): DistanceColumns {
  const stationsLayer = info.name;
  const fwd = fromWgs84(prep.crs);
  const nameField = info.fieldMap.name ?? info.fieldMap.station_id;
  const stations = p.readFeatures(stationsLayer).filter((f) => f.geometry).map((f, k) => ({
    name: nameField && f.properties[nameField] !== null ? String(f.properties[nameField]) : `station ${f.fid ?? k + 1}`,
    g: f.geometry!.type === 'Point' ? { type: 'Point' as const, coordinates: fwd(f.geometry!.coordinates as [number, number]) } : null,
  })).filter((s) => s.g !== null);
  if (!stations.length) throw new EkimaeError('E_DISTANCES_MISSING', `layer "${stationsLayer}" has no station points`, { layer: stationsLayer });
  const n = prep.cols.n;
  const dist = new Float64Array(n).fill(NaN), station = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(prep.cx[i])) continue;
    let best = Infinity, bj = -1;
    stations.forEach((s, j) => { const d = distanceToGeometry(prep.cx[i], prep.cy[i], s.g!); if (d < best) { best = d; bj = j; } });
    dist[i] = best * detour;
    station[i] = bj;
  }
  return { dist, station, stationNames: stations.map((s) => s.name), source: `crow-flies × ${detour} from "${stationsLayer}" (NOT walking distance)` };
}

export function bindOverrides(prep: PreparedParcels, def: ScenarioDef): BoundOverrides | null {
  const list = def.parcelOverrides;
  if (!list.length) return null;
  const k = list.length;
  const ov: BoundOverrides = {
    slot: new Int32Array(prep.cols.n).fill(-1), far: new Float64Array(k).fill(NaN), floors: new Float64Array(k).fill(NaN),
    use: new Uint8Array(k).fill(LU_UNKNOWN), mode: new Uint8Array(k),
  };
  list.forEach((o, s) => {
    const i = prep.fidIndex.get(o.fid);
    if (i === undefined) throw new EkimaeError('E_SCENARIO_INVALID', `scenario "${def.name}": override for parcel fid ${o.fid}, which is not in layer "${prep.layer}"`, { fid: o.fid, layer: prep.layer });
    if (o.landUse !== undefined) {
      const u = landUseCode(o.landUse);
      if (u === LU_UNKNOWN) throw new EkimaeError('E_LAND_USE_UNKNOWN', `scenario "${def.name}": override for parcel fid ${o.fid} names land use "${o.landUse}" (one of ${LAND_USES.join(', ')})`, { fid: o.fid, landUse: o.landUse });
      ov.use[s] = u;
    }
    if (o.maxFar !== undefined) ov.far[s] = o.maxFar;
    if (o.maxFloors !== undefined) ov.floors[s] = o.maxFloors;
    ov.mode[s] = o.mode === 'keep' ? 1 : o.mode === 'redevelop' ? 2 : 0;
    ov.slot[i] = s;
  });
  return ov;
}

export interface FlagCounts { invalidArea: number; excluded: number; overridden: number; unreached: number; publicLand: number; floorAreaEstimated: number; landUseUnknown: number; zoned: number }

export function countFlags(r: ParcelResult): FlagCounts {
  const c: FlagCounts = { invalidArea: 0, excluded: 0, overridden: 0, unreached: 0, publicLand: 0, floorAreaEstimated: 0, landUseUnknown: 0, zoned: 0 };
  for (let i = 0; i < r.n; i++) {
    const f = r.flags[i];
    if (f === 0) continue;
    if (f & FLAG.INVALID_AREA) c.invalidArea++;
    if (f & FLAG.EXCLUDED) c.excluded++;
    if (f & FLAG.OVERRIDE) c.overridden++;
    if (f & FLAG.UNREACHED) c.unreached++;
    if (f & FLAG.PUBLIC) c.publicLand++;
    if (f & FLAG.FA_ESTIMATED) c.floorAreaEstimated++;
    if (f & FLAG.LU_UNKNOWN) c.landUseUnknown++;
    if (f & FLAG.ZONED) c.zoned++;
  }
  return c;
}

export interface Evaluation {
  prep: PreparedParcels;
  rules: CompiledRules;
  result: ParcelResult;
  indicators: IndicatorSet;
  flags: FlagCounts;
  warnings: string[];
  distanceSource: string;
  /** Milliseconds spent in the per-parcel pass and the indicators (not in reading the layer). */
  evalMs: number;
}

const buffers = new WeakMap<PreparedParcels, ParcelResult>();

/** The bound inputs of one scenario on one layer, ready to evaluate (and re-evaluate) cheaply. */
export function bindSite(p: Project, prep: PreparedParcels, def: ScenarioDef, d: DistanceColumns, withZoneScale = true): SiteInputs {
  if (d.dist.length !== prep.cols.n) throw new EkimaeError('E_DISTANCES_MISSING', `distances cover ${d.dist.length} parcels, layer "${prep.layer}" has ${prep.cols.n}`);
  const z = def.zoneLayer ? zoneArrays(p, prep, def.zoneLayer) : null;
  const sc = withZoneScale ? zoneScale(p, prep) : null;
  return {
    dist: d.dist, station: d.station, stationNames: d.stationNames, excluded: exclusionMask(p, prep, def.exclusions),
    zoneFar: z?.zoneFar ?? null, zoneFloors: z?.zoneFloors ?? null, zoneUse: z?.zoneUse ?? null,
    existingScaleRes: sc?.res ?? null, existingScaleJobs: sc?.jobs ?? null,
  };
}

export function evaluateScenario(p: Project, def: ScenarioDef, opts: { parcelLayer?: string; distances: (prep: PreparedParcels) => DistanceColumns; assumptions: Assumptions; zoneScale?: boolean }): Evaluation {
  const prep = prepareParcels(p, opts.parcelLayer);
  const rules = compileRules(def);
  const d = opts.distances(prep);
  const site = bindSite(p, prep, def, d, opts.zoneScale !== false);
  const ov = bindOverrides(prep, def);
  let buf = buffers.get(prep);
  if (!buf) { buf = allocResult(prep.cols.n); buffers.set(prep, buf); }
  const t0 = performance.now();
  const result = evaluateParcels(prep.cols, site, rules, opts.assumptions, ov, buf);
  const indicators = buildIndicators(result, rules.bandNames, rules.bandFrom, rules.bandTo, d.stationNames);
  const evalMs = performance.now() - t0;
  const flags = countFlags(result);
  const warnings: string[] = [];
  if (/crow-flies/.test(d.source)) warnings.push(`distances are ${d.source}`);
  for (const u of unusedLandUses(def, prep.presentUses)) warnings.push(`a rule names land use "${u}", which no parcel in "${prep.layer}" has`);
  const unk = Object.entries(prep.unknownLandUses);
  if (unk.length) warnings.push(`${flags.landUseUnknown} parcels have a land use outside the vocabulary and keep no floor area: ${unk.slice(0, 8).map(([k, v]) => `"${k}" (${v})`).join(', ')}`);
  if (flags.invalidArea) warnings.push(`${flags.invalidArea} parcels have zero or invalid area; they are flagged and count for nothing`);
  if (flags.unreached) warnings.push(`${flags.unreached} parcels have no walking distance (not reached); they fall in band "outside"`);
  return { prep, rules, result, indicators, flags, warnings, distanceSource: d.source, evalMs };
}
