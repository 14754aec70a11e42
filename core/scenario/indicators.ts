/**
 * Indicators from the sums evaluateParcels accumulates: per band, per station and in total. Every
 * ratio with a zero denominator is null, never NaN or Infinity. Formulas: docs/SCENARIOS.md.
 */
import { NF, S, WALK_M, type ParcelResult } from './evaluate.js';
import { FLOOR_USES } from './vocabulary.js';

export interface Indicators {
  parcels: number;
  redevelopedParcels: number;
  invalidParcels: number;
  areaHa: number;
  netAreaHa: number;
  floorAreaM2: number;
  permittedFloorAreaM2: number;
  floorAreaByUseM2: Record<(typeof FLOOR_USES)[number], number>;
  dwellings: number;
  residents: number;
  jobs: number;
  residentsPerHaGross: number | null;
  residentsPerHaNet: number | null;
  jobsPerHaGross: number | null;
  jobsPerHaNet: number | null;
  /** Residents + jobs per gross ha (the activity density ITDP compares with the surroundings). */
  activityPerHaGross: number | null;
  achievedFar: number | null;
  jobsHousingRatio: number | null;
  /** Shannon entropy of floor area over the five floor uses, divided by ln 5 (0 = one use, 1 = even). */
  landUseMix: number | null;
  residentialShare: number | null;
  openSpaceM2: number;
  openSpacePerResidentM2: number | null;
  dailyTrips: number;
  dailyBoardings: number;
  waterM3PerDay: number;
  powerMWhPerYear: number;
  parkingSpaces: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 && Number.isFinite(a / b) ? a / b : null);

export function indicatorsFromSums(s: Float64Array, o: number): Indicators {
  const g = (k: number) => s[o + k];
  const area = g(S.areaM2);
  const uses = [g(S.residentialM2), g(S.commercialM2), g(S.officeM2), g(S.civicM2), g(S.industrialM2)];
  const total = uses[0] + uses[1] + uses[2] + uses[3] + uses[4];
  let mix: number | null = null;
  if (total > 0) {
    let h = 0;
    for (const u of uses) if (u > 0) { const p = u / total; h -= p * Math.log(p); }
    mix = h / Math.log(uses.length);
  }
  return {
    parcels: g(S.parcels),
    redevelopedParcels: g(S.redeveloped),
    invalidParcels: g(S.invalid),
    areaHa: area / 1e4,
    netAreaHa: g(S.netAreaM2) / 1e4,
    floorAreaM2: g(S.floorAreaM2),
    permittedFloorAreaM2: g(S.permittedM2),
    floorAreaByUseM2: { residential: uses[0], commercial: uses[1], office: uses[2], civic: uses[3], industrial: uses[4] },
    dwellings: g(S.dwellings),
    residents: g(S.residents),
    jobs: g(S.jobs),
    residentsPerHaGross: ratio(g(S.residents), area / 1e4),
    residentsPerHaNet: ratio(g(S.residents), g(S.residentialAreaM2) / 1e4),
    jobsPerHaGross: ratio(g(S.jobs), area / 1e4),
    jobsPerHaNet: ratio(g(S.jobs), g(S.jobAreaM2) / 1e4),
    activityPerHaGross: ratio(g(S.residents) + g(S.jobs), area / 1e4),
    achievedFar: ratio(g(S.floorAreaM2), area),
    jobsHousingRatio: ratio(g(S.jobs), g(S.dwellings)),
    landUseMix: mix,
    residentialShare: ratio(uses[0], total),
    openSpaceM2: g(S.openSpaceM2),
    openSpacePerResidentM2: ratio(g(S.openSpaceM2), g(S.residents)),
    dailyTrips: g(S.trips),
    dailyBoardings: g(S.boardings),
    waterM3PerDay: g(S.waterLDay) / 1000,
    powerMWhPerYear: g(S.powerKwhYear) / 1000,
    parkingSpaces: g(S.parking),
  };
}

/** Add group sums [from, to) into one row (used for totals and "within walk distance" groups). */
export function addGroups(s: Float64Array, groups: number[]): Float64Array {
  const out = new Float64Array(NF);
  for (const gi of groups) for (let k = 0; k < NF; k++) out[k] += s[gi * NF + k];
  return out;
}

/** ITDP TOD Standard 3.0 metrics that a parcel model can measure, with their thresholds. */
export interface ItdpMetric {
  metric: string;
  standard: string;
  value: number | null;
  threshold: string;
  meets: boolean | null;
}

export interface IndicatorSet {
  total: Indicators;
  /** Parcels within the bands (reached and within the last band). */
  catchment: Indicators;
  bands: Array<{ band: string; fromM: number | null; toM: number | null } & { indicators: Indicators }>;
  stations: Array<{ station: string; indicators: Indicators }>;
  itdp: ItdpMetric[];
}

/**
 * Walk-distance threshold for ITDP's TRANSIT metric: the Standard covers development within 1 km
 * walk of a high-capacity station (500 m for other frequent services).
 */
export const ITDP_WALK_M = WALK_M;
export const ITDP_MIX_RANGE = [0.15, 0.85] as const;

export function buildIndicators(
  r: ParcelResult, bandNames: string[], bandFrom: Float64Array, bandTo: Float64Array, stationNames: string[],
): IndicatorSet {
  const NB = r.nBandGroups;
  const bandIdx = Array.from({ length: NB }, (_, i) => i);
  const totalSums = addGroups(r.sums, bandIdx);
  const total = indicatorsFromSums(totalSums, 0);
  const catchment = indicatorsFromSums(addGroups(r.sums, bandIdx.slice(0, NB - 1)), 0);
  const outside = indicatorsFromSums(r.sums, (NB - 1) * NF);
  const bands = bandIdx.map((i) => ({
    band: bandNames[i], fromM: i < NB - 1 ? bandFrom[i] : null, toM: i < NB - 1 ? bandTo[i] : null,
    indicators: indicatorsFromSums(r.sums, i * NF),
  }));
  const stations = Array.from({ length: r.nStationGroups }, (_, j) => ({
    station: j < stationNames.length ? stationNames[j] : '(none)',
    indicators: indicatorsFromSums(r.sums, (NB + j) * NF),
  })).filter((s) => s.indicators.parcels > 0);
  const densityRatio = catchment.activityPerHaGross !== null && outside.activityPerHaGross !== null && outside.activityPerHaGross > 0
    ? catchment.activityPerHaGross / outside.activityPerHaGross : null;
  const activity = totalSums[S.residents] + totalSums[S.jobs];
  const walkShare = activity > 0 ? totalSums[S.walkActivity] / activity : null;
  const rs = catchment.residentialShare;
  const itdp: ItdpMetric[] = [
    {
      metric: 'Density relative to the surroundings', standard: 'ITDP TOD Standard 3.0, DENSIFY 6.A.1–6.A.2 (v2.1: density compared to local conditions)',
      value: densityRatio, threshold: '≥ 1.0: residents + jobs per gross ha inside the bands at least that of parcels beyond them',
      meets: densityRatio === null ? null : densityRatio >= 1,
    },
    {
      metric: 'Complementary uses (residential share of floor area in the bands)', standard: 'ITDP TOD Standard 3.0, MIX 5.A.1',
      value: rs, threshold: `between ${ITDP_MIX_RANGE[0] * 100} % and ${ITDP_MIX_RANGE[1] * 100} %`,
      meets: rs === null ? null : rs >= ITDP_MIX_RANGE[0] && rs <= ITDP_MIX_RANGE[1],
    },
    {
      metric: `Residents and jobs within ${ITDP_WALK_M} m walk of a station`, standard: 'ITDP TOD Standard 3.0, TRANSIT 4.A.1 (walking distance to high-capacity transit)',
      value: walkShare, threshold: `share of the project's residents + jobs within ${ITDP_WALK_M} m walk; the Standard expects all`,
      meets: walkShare === null ? null : walkShare >= 0.999,
    },
  ];
  return { total, catchment, bands, stations, itdp };
}

