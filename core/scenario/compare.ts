/**
 * Scenarios side by side: the same metrics for each, and each one's change against a baseline
 * (normally Existing), in total, per band and per station — rows ready for a chart or a report table.
 */
import type { IndicatorSet, Indicators } from './indicators.js';

export const COMPARE_METRICS = [
  ['floorAreaM2', 'Floor area', 'm²'],
  ['dwellings', 'Dwellings', 'dwellings'],
  ['residents', 'Residents', 'persons'],
  ['jobs', 'Jobs', 'jobs'],
  ['residentsPerHaGross', 'Residents per ha (gross)', 'persons/ha'],
  ['residentsPerHaNet', 'Residents per ha (net)', 'persons/ha'],
  ['jobsPerHaGross', 'Jobs per ha (gross)', 'jobs/ha'],
  ['jobsPerHaNet', 'Jobs per ha (net)', 'jobs/ha'],
  ['achievedFar', 'Achieved FAR', 'ratio'],
  ['jobsHousingRatio', 'Jobs–housing ratio', 'jobs per dwelling'],
  ['landUseMix', 'Land-use mix (normalised entropy)', '0–1'],
  ['openSpacePerResidentM2', 'Open space per resident', 'm²/person'],
  ['dailyBoardings', 'Daily station boardings', 'boardings/day'],
  ['waterM3PerDay', 'Water demand', 'm³/day'],
  ['powerMWhPerYear', 'Electricity demand', 'MWh/year'],
  ['parkingSpaces', 'Parking spaces (new development)', 'spaces'],
  ['redevelopedParcels', 'Parcels redeveloped', 'parcels'],
] as const;
export type MetricKey = (typeof COMPARE_METRICS)[number][0];

export interface Delta { value: number | null; baseline: number | null; delta: number | null; pct: number | null }

export function delta(value: number | null, baseline: number | null): Delta {
  const d = value !== null && baseline !== null ? value - baseline : null;
  return { value, baseline, delta: d, pct: d !== null && baseline !== null && baseline !== 0 ? d / baseline : null };
}

export function metricDeltas(a: Indicators, base: Indicators): Record<MetricKey, Delta> {
  const out = {} as Record<MetricKey, Delta>;
  for (const [k] of COMPARE_METRICS) out[k] = delta(a[k] as number | null, base[k] as number | null);
  return out;
}

export interface ComparedScenario { id: string; version: number; name: string; indicators: IndicatorSet }

export interface Comparison {
  baseline: string;
  metrics: Array<{ key: MetricKey; label: string; unit: string }>;
  scenarios: Array<ComparedScenario & {
    vsBaseline: {
      total: Record<MetricKey, Delta>;
      bands: Array<{ band: string; deltas: Record<MetricKey, Delta> }>;
      stations: Array<{ station: string; deltas: Record<MetricKey, Delta> }>;
    };
  }>;
}

export function compareScenarios(list: ComparedScenario[], baselineId: string): Comparison {
  const base = list.find((s) => s.id === baselineId) ?? list[0];
  return {
    baseline: base.id,
    metrics: COMPARE_METRICS.map(([key, label, unit]) => ({ key, label, unit })),
    scenarios: list.map((s) => ({
      ...s,
      vsBaseline: {
        total: metricDeltas(s.indicators.total, base.indicators.total),
        // Bands are matched by name; a band the baseline lacks compares with nothing (all null baselines).
        bands: s.indicators.bands.map((b) => {
          const bb = base.indicators.bands.find((x) => x.band === b.band);
          return { band: b.band, deltas: bb ? metricDeltas(b.indicators, bb.indicators) : nullDeltas(b.indicators) };
        }),
        stations: s.indicators.stations.map((st) => {
          const bs = base.indicators.stations.find((x) => x.station === st.station);
          return { station: st.station, deltas: bs ? metricDeltas(st.indicators, bs.indicators) : nullDeltas(st.indicators) };
        }),
      },
    })),
  };
}

function nullDeltas(a: Indicators): Record<MetricKey, Delta> {
  const out = {} as Record<MetricKey, Delta>;
  for (const [k] of COMPARE_METRICS) out[k] = delta(a[k] as number | null, null);
  return out;
}
