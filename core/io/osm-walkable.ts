/**
 * Which OpenStreetMap highways a pedestrian may use, and the highway line layer both OSM readers
 * produce. Every highway way is kept (motorways are barriers the planner must see); `walkable`
 * says whether the network engine may walk it. Reasons for each entry: docs/OSM-WALKABLE.md.
 */
import type { RawFeature, RawLayer } from './normalize.js';
import type { FieldDef, ImportIssue, ImportOptions, SourceInfo } from './types.js';

/** highway=* value -> walkable before foot/access/sidewalk tags are applied. Unlisted values: not walkable. */
export const WALKABLE_HIGHWAY: Readonly<Record<string, boolean>> = {
  footway: true, path: true, pedestrian: true, steps: true, corridor: true, platform: true, elevator: true,
  living_street: true, residential: true, service: true, unclassified: true, road: true, track: true,
  bridleway: true, cycleway: true,
  tertiary: true, tertiary_link: true, secondary: true, secondary_link: true, primary: true, primary_link: true,
  trunk: false, trunk_link: false, motorway: false, motorway_link: false,
  bus_guideway: false, busway: false, raceway: false, escape: false,
  construction: false, proposed: false, planned: false, abandoned: false, disused: false, razed: false,
};

const YES_FOOT = new Set(['yes', 'designated', 'permissive', 'official', 'destination']);
const NO_FOOT = new Set(['no', 'use_sidepath', 'private']);
const NO_ACCESS = new Set(['no', 'private']);
const HAS_SIDEWALK = new Set(['both', 'left', 'right', 'yes']);

export function isWalkable(tags: Readonly<Record<string, string>>, overrides?: Record<string, boolean>): boolean {
  const highway = tags.highway;
  const foot = tags.foot;
  if (foot && NO_FOOT.has(foot)) return false;
  if (foot && YES_FOOT.has(foot)) return true;
  if (tags.access && NO_ACCESS.has(tags.access)) return false;
  const base = overrides?.[highway] ?? WALKABLE_HIGHWAY[highway] ?? false;
  if (base) return true;
  // A trunk road with a mapped sidewalk (not a separately drawn one) is walked along that sidewalk.
  const sidewalk = [tags.sidewalk, tags['sidewalk:both'], tags['sidewalk:left'], tags['sidewalk:right']];
  return (highway === 'trunk' || highway === 'trunk_link') && overrides?.[highway] === undefined
    && sidewalk.some((s) => s !== undefined && HAS_SIDEWALK.has(s));
}

/** Node coordinates by OSM id in typed arrays: ids sorted (as PBF writers emit them) are binary searched; otherwise a Map is built once. */
export class NodeStore {
  private ids = new Float64Array(1024);
  private lons = new Float64Array(1024);
  private lats = new Float64Array(1024);
  private n = 0;
  private sorted = true;
  private index: Map<number, number> | null = null;

  get size(): number { return this.n; }

  add(id: number, lon: number, lat: number): void {
    if (this.n === this.ids.length) {
      const grow = (a: Float64Array) => { const b = new Float64Array(a.length * 2); b.set(a); return b; };
      this.ids = grow(this.ids); this.lons = grow(this.lons); this.lats = grow(this.lats);
    }
    if (this.n > 0 && id <= this.ids[this.n - 1]) this.sorted = false;
    this.ids[this.n] = id; this.lons[this.n] = lon; this.lats[this.n] = lat;
    this.n++;
    this.index = null;
  }

  /** [lon, lat] of a node, or null when the file does not contain it. */
  get(id: number): [number, number] | null {
    let i = -1;
    if (this.sorted) {
      let lo = 0, hi = this.n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.ids[mid];
        if (v === id) { i = mid; break; }
        if (v < id) lo = mid + 1; else hi = mid - 1;
      }
    } else {
      if (!this.index) { this.index = new Map(); for (let k = 0; k < this.n; k++) this.index.set(this.ids[k], k); }
      i = this.index.get(id) ?? -1;
    }
    return i < 0 ? null : [this.lons[i], this.lats[i]];
  }
}

export interface OsmWay {
  id: number;
  refs: number[];
  tags: Record<string, string>;
}

export const HIGHWAY_TAGS = ['highway', 'name', 'footway', 'sidewalk', 'foot', 'access', 'bridge', 'tunnel', 'layer', 'service'] as const;

/** `walkable` right after `highway`: field detection maps the first matching name, and `foot` would match too. */
export const HIGHWAY_FIELDS: FieldDef[] = [
  { name: 'osm_id', type: 'INTEGER' },
  { name: 'highway', type: 'TEXT' },
  { name: 'walkable', type: 'BOOLEAN' },
  ...HIGHWAY_TAGS.filter((t) => t !== 'highway').map((t): FieldDef => ({ name: t, type: 'TEXT' })),
];

/** The line layer of highway ways; a way whose nodes are not all in the file is left out with an issue. */
export function highwayLayer(nodes: NodeStore, ways: OsmWay[], file: string, format: SourceInfo['format'], opts: ImportOptions): RawLayer {
  const features: RawFeature[] = [];
  const issues: ImportIssue[] = [];
  ways.forEach((w, i) => {
    const coords: Array<[number, number]> = [];
    const missing: number[] = [];
    for (const ref of w.refs) {
      const p = nodes.get(ref);
      if (p) coords.push(p); else missing.push(ref);
    }
    const props: Record<string, unknown> = { osm_id: w.id };
    for (const t of HIGHWAY_TAGS) props[t] = w.tags[t] ?? null;
    props.walkable = isWalkable(w.tags, opts.walkable);
    if (missing.length) {
      // Flagged, not skipped: normalizeLayer skips the feature (no geometry) and counts it once.
      issues.push({
        feature: i, code: 'E_OSM_NODE_MISSING', action: 'flagged',
        message: `${file}: way ${w.id} (highway=${w.tags.highway}) refers to ${missing.length} node(s) not in the file (e.g. ${missing.slice(0, 3).join(', ')}); the way was left out. Extract with complete ways (osmium extract -s complete_ways)`,
      });
      features.push({ geometry: null, properties: props });
    } else features.push({ geometry: { type: 'LineString', coordinates: coords }, properties: props });
  });
  const name = file.replace(/(\.osm)?\.pbf$|\.osm$|\.xml$/i, '');
  return { name, features, fields: HIGHWAY_FIELDS, crs: 'EPSG:4326', issues, source: { file, format, encoding: 'utf-8' } };
}
