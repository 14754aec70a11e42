/**
 * LVC inputs from a density scenario: what the scenario adds over the baseline (Existing), by
 * use, parcel by parcel; what it allows above the base entitlement (Trend, i.e. today's zoning);
 * land values from the parcels' mapped land_value field; walking distances from the catchment.
 */
import { EkimaeError } from '../errors.js';
import type { Assumptions } from '../scenario/assumptions.js';
import type { ScenarioDef } from '../scenario/model.js';
import { cached, type PreparedParcels } from '../scenario/prepare.js';
import { primaryKeyOf, q } from '../store/gpkg.js';
import { evaluateScenario, type DistanceColumns } from '../scenario/run.js';
import { getScenario, listScenarios } from '../scenario/store.js';
import type { Project } from '../store/project.js';
import { LU, LU_UNKNOWN } from '../scenario/vocabulary.js';
import type { LvcParcels } from './uplift.js';

/**
 * Railway owners, read from the parcel layer's ownership field or an `owner_type` column: State
 * Railway of Thailand, NHSRCL, Indian Railways (and its land authority RLDA), Japan's JR companies.
 */
export const RAILWAY_OWNER_RE = /^(railway|railways|rail|srt|state railway of thailand|nhsrcl|national high speed rail corporation( ltd| limited)?|indian railways|rlda|jr|jr [a-z]+|jrtt)$/i;
const OWNER_TYPE_FIELD = 'owner_type';
/** Railway land that joint development cannot pool: schools and other civic uses, parks, track and transport corridors, water. */
const NOT_DEVELOPABLE = new Set([LU.civic, LU.open_space, LU.transport, LU.water, LU_UNKNOWN]);

/** Uses whose added floor area has a sale value; civic and industrial floor space is not sold as part of the scheme. */
export const SOLD_USES = ['residential', 'commercial', 'office'] as const;

export interface ScenarioInputs {
  parcels: LvcParcels;
  scenario: { id: string; version: number; name: string };
  baseline: string;
  baseEntitlement: string;
  distanceSource: string;
  parcelLayer: string;
  warnings: string[];
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/**
 * Land value and railway-developable flag per parcel, read once per version of the parcel layer and
 * field map (every lvc.run of every scenario needs the same columns) and without the geometry:
 * decoding a million polygons to read two attributes was most of an LVC run at metropolitan scale.
 */
function parcelOwnerColumns(p: Project, prep: PreparedParcels, fields: string[], lvField: string, ownField: string | undefined): { landValue: Float64Array; railwayDevelopable: Uint8Array } {
  const ownerType = fields.includes(OWNER_TYPE_FIELD) ? OWNER_TYPE_FIELD : undefined;
  return cached(p, `lvc-owner-columns:${prep.layer}`, JSON.stringify([prep.token, lvField, ownField ?? null, ownerType ?? null]), () => {
    const n = prep.cols.n;
    // Missing land values stay NaN: prepare() fills them from a station/band land price when one is given.
    const landValue = new Float64Array(n).fill(NaN);
    const railwayDevelopable = new Uint8Array(n);
    const cols = [lvField, ownField ?? null, ownerType ?? null].map((c) => (c ? q(c) : 'NULL'));
    const rows = p.database.prepare(`SELECT ${q(primaryKeyOf(p.database, prep.layer))}, ${cols.join(', ')} FROM ${q(prep.layer)} ORDER BY 1`).raw(true).iterate() as Iterable<[number | bigint, unknown, unknown, unknown]>;
    for (const [rawFid, lv, own, ot] of rows) {
      const fid = Number(rawFid);
      const i = prep.fidIndex.get(fid);
      if (i === undefined) continue;
      const v = num(typeof lv === 'bigint' ? Number(lv) : lv);
      if (Number.isFinite(v) && v < 0) throw new EkimaeError('E_INPUT_INVALID', `parcel ${fid}: land value ${v} is negative; fix the parcel's ${lvField}`, { fid });
      if (Number.isFinite(v)) landValue[i] = v;
      if ([own, ot].some((o) => typeof o === 'string' && RAILWAY_OWNER_RE.test(o.trim())) && !NOT_DEVELOPABLE.has(prep.cols.landUse[i])) railwayDevelopable[i] = 1;
    }
    return { landValue, railwayDevelopable };
  });
}

export function lvcInputsFromScenario(
  p: Project, scenarioId: string,
  opts: { distances: (prep: PreparedParcels) => DistanceColumns; assumptions: Assumptions; parcelLayer?: string; baseline?: string; baseEntitlement?: string },
): ScenarioInputs {
  const ids = new Set(listScenarios(p).map((s) => s.id));
  const baseline = opts.baseline ?? 'existing';
  const baseEntitlement = opts.baseEntitlement ?? (ids.has('trend') ? 'trend' : baseline);
  for (const id of [scenarioId, baseline, baseEntitlement]) {
    if (!ids.has(id)) throw new EkimaeError('E_SCENARIO_NOT_FOUND', `no scenario "${id}" in the project (LVC compares a scenario with the baseline "${baseline}" and the base entitlement "${baseEntitlement}")`, { id });
  }
  const stored = getScenario(p, scenarioId);
  // Evaluate each and copy out what we need at once: the evaluator reuses its per-parcel buffers.
  const run = (def: ScenarioDef) => evaluateScenario(p, def, { parcelLayer: opts.parcelLayer, distances: opts.distances, assumptions: opts.assumptions });
  const copy = (id: string) => {
    const ev = run(getScenario(p, id).definition);
    const r = ev.result;
    return { ev, use: Object.fromEntries(SOLD_USES.map((u) => [u, Float64Array.from(r[u])])) as Record<string, Float64Array>, floorArea: Float64Array.from(r.floorArea), permitted: Float64Array.from(r.permitted) };
  };
  const base = copy(baseline);
  const entitlement = copy(baseEntitlement);
  const scen = copy(scenarioId);
  const prep = scen.ev.prep;
  const warnings = [...scen.ev.warnings];

  const layer = p.layer(prep.layer);
  const lvField = layer.fieldMap.land_value;
  if (!lvField) throw new EkimaeError('E_FIELD_NOT_FOUND', `parcel layer "${prep.layer}" has no field mapped to land_value (land value per m²); set it with layers.setFieldMap`, { layer: prep.layer });
  const ownField = layer.fieldMap.ownership;
  const { landValue, railwayDevelopable } = parcelOwnerColumns(p, prep, layer.fields.map((f) => f.name), lvField, ownField);
  const d = opts.distances(prep);
  // Plain loops: TypedArray.from with a map function goes through the iterator protocol, per parcel.
  const n = prep.cols.fid.length;
  const distM = new Float64Array(n), area = new Float64Array(n), bonusGfa = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = d.dist[i], a = prep.cols.area[i];
    distM[i] = Number.isFinite(x) && x >= 0 ? x : Infinity;
    area[i] = a > 0 ? a : 0;
    bonusGfa[i] = Math.max(0, scen.floorArea[i] - Math.max(entitlement.permitted[i], base.floorArea[i]));
  }
  const addedGfa: Record<string, Float64Array> = {};
  for (const u of SOLD_USES) {
    const a = new Float64Array(n), sv = scen.use[u], bv = base.use[u];
    for (let i = 0; i < n; i++) a[i] = Math.max(0, sv[i] - bv[i]);
    addedGfa[u] = a;
  }
  return {
    parcels: {
      fid: Float64Array.from(prep.cols.fid), areaM2: area, landValue: Float64Array.from(landValue), distM, isPublic: Uint8Array.from(prep.cols.isPublic), addedGfa, bonusGfa,
      railwayDevelopable: Uint8Array.from(railwayDevelopable), station: Int32Array.from(d.station), stationNames: [...d.stationNames],
    },
    scenario: { id: stored.id, version: stored.version, name: stored.definition.name },
    baseline, baseEntitlement, distanceSource: d.source, parcelLayer: prep.layer, warnings,
  };
}
