/** The citation table (sources.json) as typed data: the generator places real features from it and the tests check against it. */
import { readFileSync } from 'node:fs';

export interface CitedStation {
  id: string;
  name: string;
  name_local: string;
  line: string;
  lon: number;
  lat: number;
  confidence: 'cited' | 'approximate';
  source: string;
}
export interface CitedZone {
  zone_id: string;
  name: string;
  name_local: string;
  population: number;
  households: number;
  jobs: number;
  [k: string]: unknown;
}
export interface SiteSources {
  stations: CitedStation[];
  lengths: Array<{ name: string; metres: number; source: string }>;
  census: { basis: string; zones: CitedZone[]; totals: { population: number; households: number; jobs: number } };
  land_value: { currency: string; unit: string; range: [number, number]; source: string };
  [k: string]: unknown;
}

export function loadSources(): Record<string, SiteSources> {
  return JSON.parse(readFileSync(new URL('../sources.json', import.meta.url), 'utf8'));
}
