/**
 * The real public inputs the generator reads, copied under sample-data/realdata/ (with SOURCE.md and
 * the licences) so `npm run sample-data` needs nothing outside the repository. The copies are the
 * features of ../shared/realdata that touch the sample sites, byte-identical in attributes and
 * geometry (tests/sample-data/realdata.test.ts compares them when ../shared is present);
 * tools/extract-realdata.ts makes them with the selection below.
 */
import * as turf from '@turf/turf';
import { readFileSync } from 'node:fs';
import type { Position } from '../../core/geo/geometry.js';
import { loadSources } from './sources.js';

export const REALDATA_DIR = new URL('../realdata/', import.meta.url).pathname;
export const BANG_SUE_RADIUS = 3200;
export const MAHSR_RADIUS = 2000;
/** A polygon touching the site by less than this (m²) is a neighbour along the edge, not a zone of the site. */
export const MIN_OVERLAP_M2 = 1000;

export interface GeoFeature {
  type: 'Feature';
  properties: Record<string, unknown>;
  geometry: { type: 'Polygon' | 'MultiPolygon' | 'Point'; coordinates: unknown };
}

/** One copied file: where it comes from in ../shared/realdata, how its features are keyed and which are kept. */
export interface RealFile {
  copy: string;
  shared: string;
  key: (f: GeoFeature) => string;
}

export const FILES = {
  khwaeng: { copy: 'bang-sue/ocha_rtsd_adm3_khwaeng.geojson', shared: 'bang-sue/ocha_rtsd_adm3_khwaeng_5km.geojson', key: (f) => String(f.properties.adm3_pcode) },
  khet: { copy: 'bang-sue/ocha_rtsd_adm2_khet.geojson', shared: 'bang-sue/ocha_rtsd_adm2_khet_5km.geojson', key: (f) => String(f.properties.ADM2_PCODE) },
  stops: { copy: 'bang-sue/namtang_gtfs_stops.csv', shared: 'bang-sue/namtang_gtfs_stops_5km.csv', key: () => '' },
  bmcWards: { copy: 'mahsr/datameet_bmc_electoral_wards_2017_bkc.geojson', shared: 'mahsr/datameet_bmc_electoral_wards_2017_bkc5km.geojson', key: (f) => String(f.properties.PRABHAG_NO) },
  ahmedabadWards: { copy: 'mahsr/datameet_ahmedabad_wards.geojson', shared: 'mahsr/datameet_ahmedabad_wards_5km.geojson', key: (f) => String(f.properties.Name) },
  vadodaraWards: { copy: 'mahsr/datameet_vadodara_wards.geojson', shared: 'mahsr/datameet_vadodara_wards_5km.geojson', key: (f) => String(f.properties.ward_no) },
  irStations: { copy: 'mahsr/datameet_ir_stations.geojson', shared: 'mahsr/datameet_ir_stations_5km.geojson', key: (f) => String(f.properties.code) },
} satisfies Record<string, RealFile>;

/** Which MAHSR sites take their census zones from which real ward file. */
export const WARD_FILES: Record<string, keyof typeof FILES> = { MAH01: 'bmcWards', MAH09: 'vadodaraWards', MAH11: 'ahmedabadWards', MAH12: 'ahmedabadWards' };

export function readCollection(path: string): GeoFeature[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { features: GeoFeature[] }).features;
}

export function readCopy(file: keyof typeof FILES): GeoFeature[] {
  return readCollection(REALDATA_DIR + FILES[file].copy);
}

/** GTFS stops.txt rows (all fields as text, quotes removed) keyed by stop_id. */
export function parseStops(text: string): Map<string, Record<string, string>> {
  const [head, ...rows] = text.trim().split('\n');
  const cells = (l: string) => l.replace(/^"|"$/g, '').split('","');
  const names = cells(head);
  return new Map(rows.map((l) => {
    const c = cells(l);
    return [c[0], Object.fromEntries(names.map((n, i) => [n, c[i]]))];
  }));
}

export function readStops(): Map<string, Record<string, string>> {
  return parseStops(readFileSync(REALDATA_DIR + FILES.stops.copy, 'utf8'));
}

/** The site discs (centre, radius in m): the Bang Sue terminal and every MAHSR station. */
export function siteDiscs(): Record<string, { center: Position; radius: number }> {
  const src = loadSources();
  const ktw = src['bang-sue'].stations.find((s) => s.id === 'KTW')!;
  const out: Record<string, { center: Position; radius: number }> = { 'bang-sue': { center: [ktw.lon, ktw.lat], radius: BANG_SUE_RADIUS } };
  for (const s of src.mahsr.stations) out[s.id] = { center: [s.lon, s.lat], radius: MAHSR_RADIUS };
  return out;
}

/** Area (m², turf's spherical measure) of the part of a polygon feature inside a disc. */
export function overlapM2(f: GeoFeature, center: Position, radius: number): number {
  const disc = turf.circle(center, radius / 1000, { steps: 256, units: 'kilometers' });
  const x = turf.intersect(turf.featureCollection([f as never, disc]));
  return x ? turf.area(x) : 0;
}

export function touchesSite(f: GeoFeature, center: Position, radius: number): boolean {
  return overlapM2(f, center, radius) >= MIN_OVERLAP_M2;
}

/**
 * The selection copied from ../shared/realdata: the khwaeng touching the Bang Sue site and their
 * khet (pass the selected khwaeng); the ward polygons touching the MAHSR sites that have a ward map;
 * the Indian Railways stations sources.json names. (GTFS stops: selectedStopIds.)
 */
export function selectFeatures(file: Exclude<keyof typeof FILES, 'stops'>, features: GeoFeature[], khwaeng: GeoFeature[] = []): GeoFeature[] {
  const discs = siteDiscs();
  const touching = (sites: string[]) => features.filter((f) => sites.some((s) => touchesSite(f, discs[s].center, discs[s].radius)));
  switch (file) {
    case 'khwaeng': return touching(['bang-sue']);
    case 'khet': {
      const districts = new Set(khwaeng.map((f) => String(f.properties.adm2_pcode)));
      return features.filter((f) => districts.has(String(f.properties.ADM2_PCODE)));
    }
    case 'irStations': {
      const codes = new Set(loadSources().mahsr.stations.flatMap((s) => (s.published ? [s.published.code!] : [])));
      return features.filter((f) => codes.has(String(f.properties.code)));
    }
    default:
      return touching(Object.entries(WARD_FILES).filter(([, v]) => v === file).map(([k]) => k));
  }
}

/** The GTFS stop ids sources.json names as the published positions of the Bang Sue stations. */
export function selectedStopIds(): string[] {
  return loadSources()['bang-sue'].stations.flatMap((s) => (s.published ? [s.published.stop_id!] : []));
}
