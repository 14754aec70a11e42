/**
 * The per-parcel evaluation: one pass over typed arrays that turns rules into permitted floor area,
 * applies the soft-site test, public-land rule, exclusions, zones and overrides, splits floor area
 * by use, derives dwellings, residents, jobs, trips, boardings, water and power, and accumulates
 * the sums every indicator is derived from (per band and per station) in the same loop.
 * Pure and allocation-free after the first call with a given parcel count, so a rule change
 * re-evaluates in a few milliseconds.
 */
import type { Assumptions } from './assumptions.js';
import { MODE_SHARE_ANCHORS_M } from './assumptions.js';
import type { CompiledRules } from './compile.js';
import { LU, LU_UNKNOWN, NON_NET_LAND_USES, NU, OPEN_LAND_USES } from './vocabulary.js';

export interface ParcelColumns {
  n: number;
  fid: Float64Array;
  /** m² (local metric projection, holes subtracted); NaN, 0 or negative = invalid, the parcel is flagged. */
  area: Float64Array;
  landUse: Uint8Array;
  /** m²; NaN = unknown (estimated from floors × existing coverage × area, else 0). */
  existingFa: Float64Array;
  existingFloors: Float64Array;
  isPublic: Uint8Array;
}

export interface SiteInputs {
  /** Walk distance (m) to the nearest station, aligned with parcels; NaN or Infinity = not reached. */
  dist: Float64Array;
  /** Index into stationNames, -1 = none. */
  station: Int32Array;
  stationNames: string[];
  /** 1 = inside an exclusion layer the scenario names. */
  excluded: Uint8Array | null;
  /** Zone overrides (NaN / LU_UNKNOWN = the zone does not set it). */
  zoneFar: Float64Array | null;
  zoneFloors: Float64Array | null;
  zoneUse: Uint8Array | null;
  /** Per-zone calibration factors on the residents and jobs of kept (existing) stock; null = 1. */
  existingScaleRes?: Float64Array | null;
  existingScaleJobs?: Float64Array | null;
}

export interface BoundOverrides {
  /** Per parcel: index into the arrays below, -1 = no override. */
  slot: Int32Array;
  far: Float64Array;
  floors: Float64Array;
  use: Uint8Array;
  /** 0 none, 1 keep, 2 redevelop. */
  mode: Uint8Array;
}

/** ITDP TOD Standard TRANSIT 4.A.1: high-capacity transit within 1 km walk. */
export const WALK_M = 1000;

export const FLAG = {
  INVALID_AREA: 1, EXCLUDED: 2, OVERRIDE: 4, UNREACHED: 8, PUBLIC: 16, FA_ESTIMATED: 32, LU_UNKNOWN: 64, ZONED: 128,
} as const;

/** The per-group sums (columns of ParcelResult.sums). */
export const SUM_FIELDS = [
  'parcels', 'redeveloped', 'invalid', 'areaM2', 'netAreaM2', 'residentialAreaM2', 'jobAreaM2', 'floorAreaM2',
  'residentialM2', 'commercialM2', 'officeM2', 'civicM2', 'industrialM2', 'dwellings', 'residents', 'jobs',
  'openSpaceM2', 'trips', 'boardings', 'waterLDay', 'powerKwhYear', 'parking', 'permittedM2', 'walkActivity',
] as const;
export const NF = SUM_FIELDS.length;
export const S = Object.fromEntries(SUM_FIELDS.map((k, i) => [k, i])) as Record<(typeof SUM_FIELDS)[number], number>;

export interface ParcelResult {
  n: number;
  band: Uint8Array;
  redeveloped: Uint8Array;
  flags: Uint8Array;
  permitted: Float64Array;
  floorArea: Float64Array;
  residential: Float64Array;
  commercial: Float64Array;
  office: Float64Array;
  civic: Float64Array;
  industrial: Float64Array;
  openSpace: Float64Array;
  dwellings: Float64Array;
  residents: Float64Array;
  jobs: Float64Array;
  boardings: Float64Array;
  parking: Float64Array;
  /** (nb + 1) band groups then (stations + 1) station groups (last = no station), NF sums each. */
  sums: Float64Array;
  /** Scratch: sums per (band, station) pair, folded into `sums`. */
  combo: Float64Array;
  nBandGroups: number;
  nStationGroups: number;
}

export function allocResult(n: number): ParcelResult {
  const f = () => new Float64Array(n);
  return {
    n, band: new Uint8Array(n), redeveloped: new Uint8Array(n), flags: new Uint8Array(n), permitted: f(), floorArea: f(),
    residential: f(), commercial: f(), office: f(), civic: f(), industrial: f(), openSpace: f(), dwellings: f(), residents: f(),
    jobs: f(), boardings: f(), parking: f(), sums: new Float64Array(0), combo: new Float64Array(0), nBandGroups: 0, nStationGroups: 0,
  };
}

const NON_NET = new Uint8Array(256);
for (const u of NON_NET_LAND_USES) NON_NET[u] = 1;
const OPEN = new Uint8Array(256);
for (const u of OPEN_LAND_USES) OPEN[u] = 1;

/** Evaluate every parcel; `into` is reused when given (same n), so repeated evaluation does not allocate. */
export function evaluateParcels(
  cols: ParcelColumns, site: SiteInputs, rules: CompiledRules, a: Assumptions, ov: BoundOverrides | null, into?: ParcelResult,
): ParcelResult {
  const n = cols.n;
  const r = into && into.n === n ? into : allocResult(n);
  const nb = rules.nb, NB = nb + 1, NS = site.stationNames.length + 1;
  if (r.sums.length !== (NB + NS) * NF) r.sums = new Float64Array((NB + NS) * NF);
  else r.sums.fill(0);
  r.nBandGroups = NB;
  r.nStationGroups = NS;
  const sums = r.sums;
  if (r.combo.length !== NB * NS * NF) r.combo = new Float64Array(NB * NS * NF);
  else r.combo.fill(0);
  const combo = r.combo;
  const { area, landUse, existingFa, existingFloors, isPublic } = cols;
  const { dist, station, excluded, zoneFar, zoneFloors, zoneUse } = site;
  const scRes = site.existingScaleRes ?? null, scJobs = site.existingScaleJobs ?? null;
  const { bandFrom, bandTo, has, far, floors, coverage, openShare, sRes, sCom, sOff, sCiv, pkDwelling, pk100 } = rules;
  const soft = rules.softSiteFactor, pubMode = rules.publicMode, pubFactor = rules.publicFactor;
  const dwSize = a.dwellingSizeM2, exDwSize = a.existingDwellingSizeM2, pph = a.personsPerHousehold;
  const jCom = 1 / a.m2PerJob[1], jOff = 1 / a.m2PerJob[2], jCiv = 1 / a.m2PerJob[3], jInd = 1 / a.m2PerJob[4];
  const exPph = a.existingPersonsPerHousehold, em = a.existingM2PerJob;
  const eCom = 1 / em[1], eOff = 1 / em[2], eCiv = 1 / em[3], eInd = 1 / em[4];
  const pw = a.powerKwhPerM2Year;
  const tRes = a.tripsPerResident, tJob = a.tripsPerJob, wRes = a.waterLPerResidentDay, wJob = a.waterLPerJobDay;
  const mixRes = a.mixedUseResidentialShare, exCov = a.existingCoverage;
  const xs = MODE_SHARE_ANCHORS_M, ms = a.modeShare, lastX = xs[xs.length - 1], lastS = ms[ms.length - 1];
  const oBand = r.band, oRedev = r.redeveloped, oFlags = r.flags, oP = r.permitted, oF = r.floorArea, oRes = r.residential, oCom = r.commercial;
  const oOff = r.office, oCiv = r.civic, oInd = r.industrial, oOpen = r.openSpace, oDw = r.dwellings, oPeople = r.residents, oJobs = r.jobs;
  const oBoard = r.boardings, oPark = r.parking;

  for (let i = 0; i < n; i++) {
    let flags = 0;
    const A = area[i];
    const lu = landUse[i];
    const d = dist[i];
    let b = nb;
    if (d >= 0 && d < Infinity) {
      for (let k = 0; k < nb; k++) if (d >= bandFrom[k] && d < bandTo[k]) { b = k; break; }
    } else flags |= FLAG.UNREACHED;
    oBand[i] = b;
    if (lu === LU_UNKNOWN) flags |= FLAG.LU_UNKNOWN;

    let F = 0, res = 0, com = 0, off = 0, civ = 0, ind = 0, open = 0, park = 0, P = 0, redev = 0;
    if (!(A > 0) || A === Infinity) {
      flags |= FLAG.INVALID_AREA;
    } else {
      let E = existingFa[i];
      if (!(E >= 0) || E === Infinity) {
        const fl = existingFloors[i];
        E = fl >= 0 && fl < Infinity ? fl * exCov * A : 0;
        flags |= FLAG.FA_ESTIMATED;
      }
      let use = lu;
      let capFar = NaN, capFloors = NaN, mode = 0;
      if (zoneUse !== null) {
        const zu = zoneUse[i], zf = zoneFar![i], zl = zoneFloors![i];
        if (zu !== LU_UNKNOWN || zf === zf || zl === zl) flags |= FLAG.ZONED;
        if (zu !== LU_UNKNOWN) use = zu;
        capFar = zf;
        capFloors = zl;
      }
      if (ov !== null) {
        const s = ov.slot[i];
        if (s >= 0) {
          flags |= FLAG.OVERRIDE;
          if (ov.use[s] !== LU_UNKNOWN) use = ov.use[s];
          if (ov.far[s] === ov.far[s]) capFar = ov.far[s];
          if (ov.floors[s] === ov.floors[s]) capFloors = ov.floors[s];
          mode = ov.mode[s];
        }
      }
      const pub = isPublic[i];
      if (pub) flags |= FLAG.PUBLIC;
      const ex = excluded !== null && excluded[i] === 1;
      if (ex) flags |= FLAG.EXCLUDED;
      const c = b * NU + use;
      if (use !== LU_UNKNOWN && has[c] === 1 && !ex) {
        const fr = capFar === capFar ? capFar : far[c];
        const fl = capFloors === capFloors ? capFloors : floors[c];
        const os = openShare[c];
        const byFar = fr * A, byHeight = fl * coverage[c] * A * (1 - os);
        P = byFar < byHeight ? byFar : byHeight;
        if (mode === 2) redev = P > 0 ? 1 : 0;
        else if (mode === 0) {
          if (pub && pubMode === 0) redev = 0;
          else {
            const factor = pub && pubMode === 2 ? pubFactor : soft;
            redev = P > E && P >= factor * E ? 1 : 0;
          }
        }
        if (redev) {
          F = P;
          res = F * sRes[c]; com = F * sCom[c]; off = F * sOff[c]; civ = F * sCiv[c];
          open = os * A;
          park = (res / dwSize) * pkDwelling[c] + (F - res) * 0.01 * pk100[c];
        }
      }
      if (!redev) {
        F = E;
        if (lu === LU.residential) res = E;
        else if (lu === LU.commercial) com = E;
        else if (lu === LU.office) off = E;
        else if (lu === LU.mixed_use) { res = E * mixRes; com = E - res; }
        else if (lu === LU.industrial) ind = E;
        else if (lu === LU.civic || lu === LU.transport) civ = E;
        else F = 0;
        if (OPEN[lu] === 1) open = A;
      }
    }
    const dw = redev ? res / dwSize : res / exDwSize;
    const people = dw * (redev ? pph : exPph) * (redev || scRes === null ? 1 : scRes[i]);
    const jobs = redev ? com * jCom + off * jOff + civ * jCiv + ind * jInd : (com * eCom + off * eOff + civ * eCiv + ind * eInd) * (scJobs === null ? 1 : scJobs[i]);
    const trips = people * tRes + jobs * tJob;
    let share = 0;
    if (d >= 0 && d < Infinity) {
      if (d >= lastX) share = lastS;
      else {
        let k = 0;
        while (d >= xs[k + 1]) k++;
        share = ms[k] + (d - xs[k]) / (xs[k + 1] - xs[k]) * (ms[k + 1] - ms[k]);
      }
    }
    const board = 0.5 * trips * share;

    oFlags[i] = flags; oRedev[i] = redev; oP[i] = P; oF[i] = F;
    oRes[i] = res; oCom[i] = com; oOff[i] = off; oCiv[i] = civ; oInd[i] = ind;
    oOpen[i] = open; oDw[i] = dw; oPeople[i] = people; oJobs[i] = jobs; oBoard[i] = board; oPark[i] = park;

    // One accumulator per (band, station) pair; folded into band and station groups after the loop.
    const st = station[i];
    const base = (b * NS + (st >= 0 && st < NS - 1 ? st : NS - 1)) * NF;
    combo[base] += 1;
    combo[base + 1] += redev;
    if ((flags & FLAG.INVALID_AREA) !== 0) { combo[base + 2] += 1; continue; }
    combo[base + 3] += A;
    if (redev === 1 || NON_NET[lu] === 0) combo[base + 4] += A;
    if (res > 0) combo[base + 5] += A;
    if (jobs > 0) combo[base + 6] += A;
    combo[base + 7] += F; combo[base + 8] += res; combo[base + 9] += com; combo[base + 10] += off; combo[base + 11] += civ; combo[base + 12] += ind;
    combo[base + 13] += dw; combo[base + 14] += people; combo[base + 15] += jobs; combo[base + 16] += open;
    combo[base + 17] += trips; combo[base + 18] += board; combo[base + 19] += people * wRes + jobs * wJob;
    combo[base + 20] += res * pw[0] + com * pw[1] + off * pw[2] + civ * pw[3] + ind * pw[4];
    combo[base + 21] += park; combo[base + 22] += P;
    if (d <= WALK_M) combo[base + 23] += people + jobs;
  }
  for (let bi = 0; bi < NB; bi++) {
    for (let si = 0; si < NS; si++) {
      const c = (bi * NS + si) * NF, bo = bi * NF, so = (NB + si) * NF;
      for (let k = 0; k < NF; k++) { sums[bo + k] += combo[c + k]; sums[so + k] += combo[c + k]; }
    }
  }
  return r;
}
