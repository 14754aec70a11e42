/**
 * Calibrate the base year to the census. The existing stock's floor area is known parcel by parcel,
 * but not how many households live in it, how many people a household holds, or how densely its
 * shops and offices are staffed. The census zones know those totals. Parcels join a zone by their
 * centroid; a zone only partly inside the site counts with the share of its area the site covers.
 * One project-wide set of existing-stock assumptions is solved so that the Existing scenario
 * reproduces the census totals of those zones exactly:
 *   existing dwelling size      = residential floor area / households
 *   existing persons/household  = population / households
 *   existing m² per job (use u) = current m² per job (u) × modelled jobs / census jobs
 * (one scale for every use: a total job count cannot tell the uses apart, so their relative
 * densities stay as assumed). New-development assumptions are not touched.
 */
import { EkimaeError } from '../errors.js';
import { fromWgs84 } from '../geo/crs.js';
import { nowIso } from '../store/clock.js';
import type { LayerInfo, Project } from '../store/project.js';
import { resolveAssumptions, type AssumptionEntry, type AssumptionKey } from './assumptions.js';
import { DEFAULT_SCENARIOS } from './defaults.js';
import { ScenarioDefSchema } from './model.js';
import { polygonsOf, type Rings } from './parcel-geometry.js';
import { zoneOfCentroids } from './zone-index.js';
import { cached, flatRings, layerToken, prepareParcels, type PreparedParcels } from './prepare.js';
import { evaluateScenario } from './run.js';
import { zoneCoverShares } from './site-cover.js';
import { getAssumptions, setAssumptions } from './store.js';

export interface CalibrationOptions { censusLayer?: string; parcelLayer?: string; gapM?: number; cellM?: number; store?: boolean }
export interface Counts { residents: number; dwellings: number | null; jobs: number | null }
export interface ZoneCalibration {
  fid: number; zoneId: string; name: string | null; coveredShare: number; parcels: number;
  census: { population: number; households: number | null; jobs: number | null };
  target: Counts; before: Counts; after: Counts;
  /** after − target, and that as a share of the target (null when the target is 0): the project-wide figures' residual. */
  residual: { residents: number; residentsPct: number | null; jobs: number | null; jobsPct: number | null };
  /** The zone's own factor on its existing stock's residents and jobs (target ÷ after, within 0.25–4), and the figures with it. */
  factor: { residents: number; jobs: number };
  zoneAfter: { residents: number; jobs: number | null };
}
export interface Calibration {
  censusLayer: string; parcelLayer: string; calibratedOn: string; method: string; stored: boolean;
  target: Counts; before: Counts; after: Counts;
  /** After the per-zone factors as well (equal to the target but where a factor hit its bounds). */
  afterZones: { residents: number; jobs: number | null };
  assumptions: Array<{ key: AssumptionKey; before: number; after: number; source: string }>;
  zones: ZoneCalibration[];
  zonesOutside: string[];
  parcelsOutsideZones: number;
  warnings: string[];
}

const EXISTING = ScenarioDefSchema.parse(DEFAULT_SCENARIOS.find((s) => s.id === 'existing')!.def);
const JOB_USES = ['commercial', 'office', 'civic', 'industrial'] as const;
const DEFAULT_GAP_M = 100;
const DEFAULT_CELL_M = 10;

function num(v: unknown): number | null {
  const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) && x >= 0 ? x : null;
}

/** The census layer: the one named, or the only layer with role 'census'. */
export function censusLayer(p: Project, name?: string): LayerInfo {
  const all = p.layers().filter((l) => l.role === 'census');
  const info = name ? p.layer(name) : all.length === 1 ? all[0] : null;
  if (!info) {
    throw new EkimaeError('E_CENSUS_MISSING', all.length
      ? `several census layers (${all.map((l) => l.name).join(', ')}); say which one with censusLayer`
      : 'the project has no layer with role "census": import the census zones and set their role to calibrate the base year', { layers: all.map((l) => l.name) });
  }
  if (!info.fieldMap.population) {
    throw new EkimaeError('E_CENSUS_FIELD_MISSING', `census layer "${info.name}" has no field mapped to population: map it (layers.setFieldMap) to calibrate`, { layer: info.name, fieldMap: info.fieldMap });
  }
  return info;
}

interface Zone { fid: number; id: string; name: string | null; polys: Rings[]; pop: number; hh: number | null; jobs: number | null }

function readZones(p: Project, info: LayerInfo, prep: PreparedParcels, warnings: string[]): Zone[] {
  const fm = info.fieldMap;
  const fwd = fromWgs84(prep.crs);
  const zones: Zone[] = [];
  let noPop = 0;
  for (const f of p.readFeatures(info.name)) {
    const fid = f.fid ?? zones.length + 1;
    const id = fm.zone_id && f.properties[fm.zone_id] !== null ? String(f.properties[fm.zone_id]) : `fid ${fid}`;
    const pop = num(f.properties[fm.population]);
    const polys = polygonsOf(f.geometry).map((poly) => poly.map((ring) => ring.map((c) => fwd(c as [number, number]))));
    if (pop === null || !polys.length) { noPop++; continue; }
    zones.push({
      fid, id, name: fm.name && f.properties[fm.name] !== null ? String(f.properties[fm.name]) : null, polys, pop,
      hh: fm.households ? num(f.properties[fm.households]) : null, jobs: fm.jobs ? num(f.properties[fm.jobs]) : null,
    });
  }
  if (noPop) warnings.push(`${noPop} census zones of "${info.name}" have no polygon or no population value and are left out`);
  if (!zones.length) throw new EkimaeError('E_CENSUS_FIELD_MISSING', `census layer "${info.name}" has no polygon zone with a population value`, { layer: info.name });
  return zones;
}

/** Zone index of each parcel centroid (-1 outside every zone; the first zone wins where zones overlap). */
function zoneOfParcels(prep: PreparedParcels, zones: Zone[]): Int32Array {
  return zoneOfCentroids(prep.cx, prep.cy, zones.map((z) => z.polys));
}

function coverShares(p: Project, prep: PreparedParcels, info: LayerInfo, zones: Zone[], gapM: number, cellM: number): Float64Array {
  return cached(p, `cover:${prep.layer}:${info.name}:${gapM}:${cellM}`, `${prep.token}|${layerToken(p, info.name)}`, () => {
    // The shapes prepare() already read and projected, kept flat in typed arrays.
    const rings = prep.rings ?? flatRings(p.readFeatures(prep.layer).map((f) => polygonsOf(f.geometry)), fromWgs84(prep.crs));
    return zoneCoverShares(zones.map((z) => z.polys), rings, { gapM, cellM });
  });
}

interface PerZone { res: Float64Array; dw: Float64Array; jobs: Float64Array; resFloor: Float64Array; parcels: Int32Array }

/** The Existing scenario (every parcel kept) summed per zone. */
function existingByZone(p: Project, prep: PreparedParcels, zoneOf: Int32Array, nz: number, entries: AssumptionEntry[]): PerZone {
  const n = prep.cols.n;
  const none = { dist: new Float64Array(n).fill(NaN), station: new Int32Array(n).fill(-1), stationNames: [], source: 'not used: Existing keeps every parcel' };
  // Without the per-zone factors of an earlier calibration: they are what this one solves last.
  const ev = evaluateScenario(p, EXISTING, { parcelLayer: prep.layer, distances: () => none, assumptions: resolveAssumptions(entries), zoneScale: false });
  const r = ev.result;
  const out: PerZone = { res: new Float64Array(nz), dw: new Float64Array(nz), jobs: new Float64Array(nz), resFloor: new Float64Array(nz), parcels: new Int32Array(nz) };
  for (let i = 0; i < n; i++) {
    const z = zoneOf[i];
    if (z < 0) continue;
    out.parcels[z]++;
    out.res[z] += r.residents[i]; out.dw[z] += r.dwellings[i]; out.jobs[z] += r.jobs[i]; out.resFloor[z] += r.residential[i];
  }
  return out;
}

const FACTOR_MIN = 0.25, FACTOR_MAX = 4;
/** A zone's factor: census ÷ modelled, within bounds (beyond them the data, not occupancy, is wrong). */
const zoneFactor = (target: number, modelled: number) => (modelled > 0 && target >= 0 ? Math.min(FACTOR_MAX, Math.max(FACTOR_MIN, target / modelled)) : 1);

function storeZoneFactors(p: Project, census: string, parcels: string, on: string, zones: ZoneCalibration[]): void {
  p.action((db) => {
    db.prepare('DELETE FROM ekimae_calibration_zones WHERE parcel_layer = ?').run(parcels);
    const ins = db.prepare(`INSERT INTO ekimae_calibration_zones (census_layer, parcel_layer, zone_fid, zone_id, census_residents, census_jobs, modelled_residents, modelled_jobs,
      residents_factor, jobs_factor, calibrated_on) VALUES (?,?,?,?,?,?,?,?,?,?,?)`);
    for (const z of zones) ins.run(census, parcels, z.fid, z.zoneId, z.target.residents, z.target.jobs, z.after.residents, z.after.jobs, z.factor.residents, z.factor.jobs, on);
  });
}

const sum = (a: ArrayLike<number>, use: (z: number) => boolean) => { let s = 0; for (let z = 0; z < a.length; z++) if (use(z)) s += a[z]; return s; };
const pct = (x: number, t: number) => (t > 0 ? x / t : null);
const round = (x: number, d = 4) => Number(x.toPrecision(d));

export function calibrateExisting(p: Project, opts: CalibrationOptions = {}): Calibration {
  const store = opts.store ?? true;
  if (store && p.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${p.path} is open read-only: calibrate with store false, or open it for editing`);
  const gapM = opts.gapM ?? DEFAULT_GAP_M, cellM = opts.cellM ?? DEFAULT_CELL_M;
  const warnings: string[] = [];
  const info = censusLayer(p, opts.censusLayer);
  const prep = prepareParcels(p, opts.parcelLayer);
  const all = readZones(p, info, prep, warnings);
  const shares = coverShares(p, prep, info, all, gapM, cellM);
  const used = all.map((_, k) => k).filter((k) => shares[k] > 0);
  const zones = used.map((k) => all[k]);
  const share = Float64Array.from(used, (k) => shares[k]);
  const zonesOutside = all.filter((_, k) => !(shares[k] > 0)).map((z) => z.id);
  if (!zones.length) throw new EkimaeError('E_CENSUS_MISSING', `no zone of census layer "${info.name}" overlaps the parcels of "${prep.layer}"`, { layer: info.name });
  const zoneOf = zoneOfParcels(prep, zones);
  let outside = 0;
  for (let i = 0; i < zoneOf.length; i++) if (zoneOf[i] < 0 && Number.isFinite(prep.cx[i])) outside++;
  if (outside) warnings.push(`${outside} parcels lie in no census zone: they take the calibrated figures but are not compared with the census`);

  const nz = zones.length;
  const tPop = zones.map((z, k) => z.pop * share[k]);
  const tHh = zones.map((z, k) => (z.hh === null ? NaN : z.hh * share[k]));
  const tJobs = zones.map((z, k) => (z.jobs === null ? NaN : z.jobs * share[k]));
  const hasHh = (z: number) => tHh[z] === tHh[z], hasJobs = (z: number) => tJobs[z] === tJobs[z];
  const anyHh = zones.some((_, z) => hasHh(z)), anyJobs = zones.some((_, z) => hasJobs(z));

  const table = getAssumptions(p);
  const cur = resolveAssumptions(table.entries);
  const before = existingByZone(p, prep, zoneOf, nz, table.entries);
  const change: Array<{ key: AssumptionKey; value: number }> = [];
  const P = sum(tPop, () => true);
  if (anyHh) {
    const H = sum(tHh, hasHh), R = sum(before.resFloor, hasHh), PH = sum(tPop, hasHh);
    if (H > 0 && R > 0) change.push({ key: 'existingDwellingSizeM2', value: R / H }, { key: 'existingPersonsPerHousehold', value: PH / H });
    else warnings.push(`households cannot be calibrated: ${H > 0 ? 'no residential floor area in the census zones' : 'the census zones hold no households'}`);
  } else {
    warnings.push(`census layer "${info.name}" maps no households field: only the existing dwelling size is solved (persons per household kept at ${cur.existingPersonsPerHousehold})`);
    const R = sum(before.resFloor, () => true);
    if (P > 0 && R > 0) change.push({ key: 'existingDwellingSizeM2', value: (R * cur.existingPersonsPerHousehold) / P });
    else warnings.push('population cannot be calibrated: no residential floor area or no population in the census zones');
  }
  if (anyJobs) {
    const J = sum(tJobs, hasJobs), M = sum(before.jobs, hasJobs);
    if (J > 0 && M > 0) JOB_USES.forEach((u, k) => change.push({ key: `existingM2PerJob.${u}`, value: (cur.existingM2PerJob[k + 1] * M) / J }));
    else warnings.push(`jobs cannot be calibrated: ${J > 0 ? 'no job floor space in the census zones' : 'the census zones hold no jobs'}`);
  } else warnings.push(`census layer "${info.name}" maps no jobs field: existing floor area per job is not calibrated`);
  for (const c of change) {
    if (!(c.value > 0 && c.value <= 1e6)) throw new EkimaeError('E_ASSUMPTION_INVALID', `calibration gives ${c.key} = ${c.value}: check the parcels' floor areas and the census figures`, { key: c.key, value: c.value });
  }

  const calibratedOn = nowIso().slice(0, 10);
  const after = existingByZone(p, prep, zoneOf, nz, mergeEntries(table.entries, change));
  const zoneRows: ZoneCalibration[] = zones.map((z, k) => ({
    fid: z.fid, zoneId: z.id, name: z.name, coveredShare: share[k], parcels: before.parcels[k],
    census: { population: z.pop, households: z.hh, jobs: z.jobs },
    target: { residents: tPop[k], dwellings: hasHh(k) ? tHh[k] : null, jobs: hasJobs(k) ? tJobs[k] : null },
    before: { residents: before.res[k], dwellings: before.dw[k], jobs: before.jobs[k] },
    after: { residents: after.res[k], dwellings: after.dw[k], jobs: after.jobs[k] },
    residual: {
      residents: after.res[k] - tPop[k], residentsPct: pct(after.res[k] - tPop[k], tPop[k]),
      jobs: hasJobs(k) ? after.jobs[k] - tJobs[k] : null, jobsPct: hasJobs(k) ? pct(after.jobs[k] - tJobs[k], tJobs[k]) : null,
    },
    factor: { residents: zoneFactor(tPop[k], after.res[k]), jobs: hasJobs(k) ? zoneFactor(tJobs[k], after.jobs[k]) : 1 },
    zoneAfter: { residents: 0, jobs: null },
  }));
  const bounded: string[] = [];
  for (const z of zoneRows) {
    z.zoneAfter = { residents: z.after.residents * z.factor.residents, jobs: z.after.jobs === null || z.target.jobs === null ? null : z.after.jobs * z.factor.jobs };
    if (z.factor.residents === FACTOR_MIN || z.factor.residents === FACTOR_MAX || z.factor.jobs === FACTOR_MIN || z.factor.jobs === FACTOR_MAX) {
      bounded.push(`${z.zoneId} (modelled ${Math.round(z.after.residents).toLocaleString('en')} residents vs census ${Math.round(z.target.residents).toLocaleString('en')})`);
    }
  }
  if (bounded.length) {
    warnings.push(`${bounded.length} of ${zoneRows.length} census zones need a factor beyond ${FACTOR_MIN}–${FACTOR_MAX} and keep a residual: their parcels' floor area or land use does not fit the census (${bounded.slice(0, 4).join('; ')}${bounded.length > 4 ? '; …' : ''})`);
  }
  const totals = (c: PerZone): Counts => ({ residents: sum(c.res, () => true), dwellings: anyHh ? sum(c.dw, hasHh) : null, jobs: anyJobs ? sum(c.jobs, hasJobs) : null });
  const target: Counts = { residents: P, dwellings: anyHh ? sum(tHh, hasHh) : null, jobs: anyJobs ? sum(tJobs, hasJobs) : null };
  const source = provenance(info.name, calibratedOn, target, zoneRows);
  const curBy = new Map(table.entries.map((e) => [e.key, e.value]));
  const assumptions = change.map((c) => ({
    key: c.key, before: curBy.get(c.key) ?? currentValue(cur, c.key), after: c.value, source,
  }));
  if (store && change.length) setAssumptions(p, { entries: change.map((c) => ({ ...c, source })) });
  if (store) storeZoneFactors(p, info.name, prep.layer, calibratedOn, zoneRows);
  for (const a of assumptions) {
    if (a.key === 'existingDwellingSizeM2' && (a.after < 15 || a.after > 400)) warnings.push(`calibrated existing dwelling size ${round(a.after, 3)} m² is implausible: check the parcels' floor areas and land uses against the census`);
    if (a.key === 'existingPersonsPerHousehold' && (a.after < 1 || a.after > 10)) warnings.push(`calibrated persons per household ${round(a.after, 3)} is implausible: check the census households`);
  }
  return {
    censusLayer: info.name, parcelLayer: prep.layer, calibratedOn, stored: store && change.length > 0,
    method: `parcels join the census zone holding their centroid; each zone counts with the share of its area inside the site (the parcels with gaps under ${2 * gapM} m closed, on a ${cellM} m grid); one project-wide set of existing-stock figures, then each zone's own factor on the residents and jobs of its existing stock (its residual occupancy and staffing)`,
    target, before: totals(before), after: totals(after),
    afterZones: { residents: zoneRows.reduce((a, z) => a + z.zoneAfter.residents, 0), jobs: anyJobs ? zoneRows.reduce((a, z) => a + (z.zoneAfter.jobs ?? 0), 0) : null },
    assumptions, zones: zoneRows, zonesOutside, parcelsOutsideZones: outside, warnings,
  };
}

function currentValue(a: ReturnType<typeof resolveAssumptions>, key: AssumptionKey): number {
  if (key === 'existingDwellingSizeM2') return a.existingDwellingSizeM2;
  if (key === 'existingPersonsPerHousehold') return a.existingPersonsPerHousehold;
  return a.existingM2PerJob[1 + JOB_USES.indexOf(key.slice('existingM2PerJob.'.length) as (typeof JOB_USES)[number])];
}

function mergeEntries(entries: AssumptionEntry[], change: Array<{ key: AssumptionKey; value: number }>): AssumptionEntry[] {
  const by = new Map(entries.map((e) => [e.key, e]));
  for (const c of change) by.set(c.key, { key: c.key, value: c.value, unit: '', source: 'calibration' });
  return [...by.values()];
}

/** The source text stored with every calibrated figure (the entry's source is limited to 2000 characters). */
function provenance(layer: string, on: string, t: Counts, zones: ZoneCalibration[]): string {
  const f = (x: number | null) => (x === null ? 'not mapped' : Math.round(x).toLocaleString('en-US'));
  const head = `calibrated to census "${layer}" on ${on}: population ${f(t.residents)}, households ${f(t.dwellings)}, jobs ${f(t.jobs)} (${zones.length} zones, each × the share of its area inside the site); residual per zone (residents, jobs):`;
  let s = head;
  for (const z of zones) {
    const r = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`);
    const part = ` ${z.zoneId} ${r(z.residual.residentsPct)}, ${r(z.residual.jobsPct)};`;
    if (s.length + part.length > 1990) { s += ' …'; break; }
    s += part;
  }
  return s;
}
