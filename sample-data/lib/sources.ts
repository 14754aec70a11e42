/** The citation table (sources.json) as typed data: the generator places real features from it and the tests check against it. */
import { readFileSync } from 'node:fs';

export type Confidence = 'cited' | 'derived' | 'approximate' | 'estimate';

/** One real fact's provenance: where it was read (cited), how it was computed (derived) or what was searched in vain. */
export interface Fact {
  confidence: Confidence;
  source: string;
  url?: string;
  /** The coordinate or figure exactly as printed in the source (short). */
  quote?: string;
  rule?: string;
  inputs?: unknown;
  searched?: string;
}

export interface CitedStation extends Fact {
  id: string;
  name: string;
  name_local: string;
  line: string;
  /** The position the generator uses. */
  lon: number;
  lat: number;
  /** The cited or derived position (absent when approximate). */
  source_lon?: number;
  source_lat?: number;
  /** The station's published position in the shared real data (GTFS stop or Indian Railways station) and its distance (m) from lon/lat. */
  published?: { source: string; url: string; stop_id?: string; code?: string; name: string; lon: number; lat: number; metres: number; note?: string };
}
export interface CitedZone {
  zone_id: string;
  name: string;
  name_local: string;
  population: number;
  households: number;
  jobs: number;
  facts: { population: Fact; households: Fact; jobs: Fact };
  /** The real boundary in sample-data/realdata (lib/realdata.ts FILES) and whether it is clipped to the site. */
  feature?: { file: string; key: string; clip?: boolean };
  [k: string]: unknown;
}
export interface SiteSources {
  stations: CitedStation[];
  lengths: Array<Fact & { name: string; metres: number }>;
  census: { basis: string; zones: CitedZone[]; totals: { population: number; households: number; jobs: number } };
  land_value: Fact & { currency: string; unit: string; range: [number, number]; evidence: Array<Fact & { note: string }> };
  [k: string]: unknown;
}

export function loadSources(): Record<string, SiteSources> {
  return JSON.parse(readFileSync(new URL('../sources.json', import.meta.url), 'utf8'));
}

/** "n cited (names); n derived (names); n approximate (names)": the provenance line of a stations layer note. */
export function positionSummary(stations: CitedStation[]): string {
  return (['cited', 'derived', 'approximate'] as const).flatMap((c) => {
    const names = stations.filter((s) => s.confidence === c).map((s) => s.name);
    return names.length ? [`${names.length} ${c} (${names.join(', ')})`] : [];
  }).join('; ');
}
