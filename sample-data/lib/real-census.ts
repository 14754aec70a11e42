/**
 * Census zones on real boundaries: the polygons of sample-data/realdata named by the zones of
 * sources.json (feature.file, feature.key), whole or clipped to the site disc.
 */
import * as turf from '@turf/turf';
import type { Feature } from '../../core/io/types.js';
import type { Position } from '../../core/geo/geometry.js';
import { FILES, readCopy, touchesSite, type GeoFeature } from './realdata.js';
import type { CitedZone } from './sources.js';
import type { CensusSpec } from './spec.js';
import { round7 } from './frame.js';

const cache = new Map<string, Map<string, GeoFeature>>();
function realFeature(file: string, key: string): GeoFeature {
  if (!(file in FILES)) throw new Error(`census zone names an unknown real file ${file}`);
  let byKey = cache.get(file);
  if (!byKey) {
    const f = FILES[file as keyof typeof FILES];
    cache.set(file, (byKey = new Map(readCopy(file as keyof typeof FILES).map((x) => [f.key(x), x]))));
  }
  const hit = byKey.get(key);
  if (!hit) throw new Error(`no feature ${key} in sample-data/realdata/${FILES[file as keyof typeof FILES].copy}`);
  return hit;
}

const asMulti = (g: GeoFeature['geometry']): Position[][][] => (g.type === 'Polygon' ? [g.coordinates as Position[][]] : (g.coordinates as Position[][][]));

/** The key of the zone covering the part of a site that the real boundaries of its file leave out. */
export const REST_KEY = '*rest';

/** The census spec of a zone with a real boundary. */
export function realCensusSpec(z: CitedZone, basis: string): CensusSpec {
  if (z.feature!.key === REST_KEY) {
    return { id: z.zone_id, name: z.name, nameLocal: z.name_local, population: z.population, households: z.households, jobs: z.jobs, basis,
      polygon: { coordinates: [], clip: true, restOf: z.feature!.file } };
  }
  const f = realFeature(z.feature!.file, z.feature!.key);
  return { id: z.zone_id, name: z.name, nameLocal: z.name_local, population: z.population, households: z.households, jobs: z.jobs, basis,
    polygon: { coordinates: asMulti(f.geometry), clip: z.feature!.clip === true } };
}

/**
 * The zone's geometry for the file: the real polygon as published, or its part inside the site disc
 * (turf's polygon clipping; vertices rounded to 1e-7 degrees like the generated layers). Null when
 * the zone does not reach the site (a smaller --radius build).
 */
export function realCensusGeometry(c: CensusSpec, center: Position, radius: number): Feature['geometry'] | null {
  const disc = turf.circle(center, radius / 1000, { steps: 256, units: 'kilometers' });
  const x = c.polygon!.restOf ? restOfSite(c.polygon!.restOf, disc, center, radius) : clipped(c, disc, center, radius);
  if (!x || x.type !== 'Feature') return x;
  const parts = x.geometry.type === 'Polygon' ? [x.geometry.coordinates] : x.geometry.coordinates;
  return { type: 'MultiPolygon', coordinates: parts.map((rings) => rings.map((r) => r.map(([lon, lat]) => [round7(lon), round7(lat)] as Position))) };
}

type Clip = ReturnType<typeof turf.intersect>;

function clipped(c: CensusSpec, disc: ReturnType<typeof turf.circle>, center: Position, radius: number): Clip | Feature['geometry'] {
  const poly: GeoFeature = { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: c.polygon!.coordinates } };
  if (!touchesSite(poly, center, radius)) return null;
  if (!c.polygon!.clip) return { type: 'MultiPolygon', coordinates: c.polygon!.coordinates };
  return turf.intersect(turf.featureCollection([poly as never, disc]));
}

/** The site disc minus every polygon of the file (the land a ward map leaves out, e.g. beyond the 2011 city limits). */
export function restOfSite(file: string, disc: ReturnType<typeof turf.circle>, center: Position, radius: number): Clip {
  const inside = readCopy(file as keyof typeof FILES).filter((f) => touchesSite(f, center, radius));
  return turf.difference(turf.featureCollection([disc, ...(inside as never[])]));
}
