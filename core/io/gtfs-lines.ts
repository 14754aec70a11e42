/**
 * routes (+ shapes, or the stop sequences of stop_times where a trip has no shape) -> one
 * MultiLineString per route: each distinct path its trips run is one part.
 */
import { EkimaeError } from '../api/errors.js';
import { at, readTable, type GtfsFeed } from './gtfs-feed.js';
import { familyOf, type Family } from './gtfs-modes.js';
import type { FeedService, Route } from './gtfs-service.js';
import type { StopIndex } from './gtfs-stops.js';
import type { RawFeature } from './normalize.js';
import type { ImportIssue } from './types.js';

type Path = Array<[number, number]>;

function readShapes(feed: GtfsFeed): Map<string, Path> {
  const t = readTable(feed, 'shapes.txt');
  const pts = new Map<string, Array<{ seq: number; p: [number, number] }>>();
  t?.rows.forEach((r, i) => {
    const la = Number(r.shape_pt_lat), lo = Number(r.shape_pt_lon), seq = Number(r.shape_pt_sequence);
    if (r.shape_pt_lat === '' || r.shape_pt_lon === '' || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, t, i)}: shape ${r.shape_id} point has no valid shape_pt_lat/shape_pt_lon`, { file: feed.name, shape_id: r.shape_id });
    }
    if (!/^\d+$/.test(r.shape_pt_sequence)) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, t, i)}: shape_pt_sequence "${r.shape_pt_sequence.slice(0, 20)}" is not a non-negative integer`, { file: feed.name });
    if (!pts.has(r.shape_id)) pts.set(r.shape_id, []);
    pts.get(r.shape_id)!.push({ seq, p: [lo, la] });
  });
  return new Map([...pts].map(([id, l]) => [id, l.sort((a, b) => a.seq - b.seq).map((x) => x.p)]));
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
      const seq = svc.patterns.get(trip.id);
      if (!seq) continue;
      key = `stops:${seq.join('\u0000')}`;
      if (paths.get(trip.route)?.has(key)) continue;
      path = seq.map((s) => pointOf(stops, s)).filter((p): p is [number, number] => p !== null);
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
