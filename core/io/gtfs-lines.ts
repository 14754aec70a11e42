/**
 * routes (+ shapes, or the stop sequences of stop_times where a trip has no shape) -> one
 * MultiLineString per route: each distinct path its trips run is one part.
 */
import { EkimaeError } from '../errors.js';
import { scanTable, type GtfsFeed } from './gtfs-feed.js';
import { familyOf, type Family } from './gtfs-modes.js';
import type { FeedService, Route } from './gtfs-service.js';
import type { StopIndex } from './gtfs-stops.js';
import type { RawFeature } from './normalize.js';
import type { ImportIssue } from './types.js';

type Path = Array<[number, number]>;

function readShapes(feed: GtfsFeed): Map<string, Path> {
  const pts = new Map<string, { seq: number[]; path: Path }>();
  const where = (i: number) => `${feed.name}: shapes.txt line ${i + 2}`;
  scanTable(feed, 'shapes.txt', (cell, i) => {
    const id = cell('shape_id'), lat = cell('shape_pt_lat'), lon = cell('shape_pt_lon'), sq = cell('shape_pt_sequence');
    const la = Number(lat), lo = Number(lon);
    if (lat === '' || lon === '' || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where(i)}: shape ${id} point has no valid shape_pt_lat/shape_pt_lon`, { file: feed.name, shape_id: id });
    }
    if (!/^\d+$/.test(sq)) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where(i)}: shape_pt_sequence "${sq.slice(0, 20)}" is not a non-negative integer`, { file: feed.name });
    let sh = pts.get(id);
    if (!sh) { sh = { seq: [], path: [] }; pts.set(id, sh); }
    sh.seq.push(Number(sq));
    sh.path.push([lo, la]);
  });
  const out = new Map<string, Path>();
  for (const [id, { seq, path }] of pts) {
    let sorted = true;
    for (let i = 1; i < seq.length && sorted; i++) sorted = seq[i - 1] <= seq[i];
    out.set(id, sorted ? path : path.map((p, i) => [seq[i], i, p] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[2]));
  }
  return out;
}

/** A stop's point, or its parent's for a node or boarding area given without coordinates. */
function pointOf(stops: StopIndex, id: string): [number, number] | null {
  const s = stops.stops.get(id);
  if (!s) return null;
  return s.coords ?? (s.parent ? pointOf(stops, s.parent) : null);
}

export interface RouteFeature { family: Family; feature: RawFeature }

export function routeFeatures(feed: GtfsFeed, stops: StopIndex, svc: FeedService, issues: ImportIssue[]): RouteFeature[] {
  const shapes = readShapes(feed);
  const paths = new Map<Route, Map<string, Path>>();
  for (const trip of svc.trips.values()) {
    let key: string, path: Path | undefined;
    if (trip.shape && shapes.has(trip.shape)) { key = `shape:${trip.shape}`; path = shapes.get(trip.shape); } else {
      const seq = svc.stopsOf(trip);
      if (!seq.length) continue;
      key = `stops:${seq.map((s) => s.id).join('\u0000')}`;
      if (paths.get(trip.route)?.has(key)) continue;
      path = seq.map((s) => pointOf(stops, s.id)).filter((p): p is [number, number] => p !== null);
    }
    if (!paths.has(trip.route)) paths.set(trip.route, new Map());
    paths.get(trip.route)!.set(key, path!);
  }
  const out: RouteFeature[] = [];
  for (const r of svc.routes.values()) {
    const parts = [...(paths.get(r)?.values() ?? [])].filter((p) => p.length >= 2);
    if (!parts.length) {
      issues.push({ code: 'E_GEOMETRY_EMPTY', action: 'skipped', message: `${feed.name}: route ${r.id} (${r.short || r.long}) has no shape and no trip with two or more stops; not drawn` });
      continue;
    }
    const props: Record<string, unknown> = {
      route_id: r.id, line: r.short || r.long || r.id, name: r.long || r.short || r.id, mode: r.mode, route_type: r.type,
      agency_id: r.agency || null, route_color: r.color || null,
    };
    if (svc.byStation) props.trips_day = svc.tripsDay.get(r.id) ?? 0;
    out.push({ family: familyOf(r.mode), feature: { geometry: { type: 'MultiLineString', coordinates: parts }, properties: props } });
  }
  return out;
}
