/**
 * GTFS import: a feed (zip, folder, or stops file alone) -> a stations layer (one point per
 * station, its platforms/entrances grouped under it, service per station when the feed has
 * stop_times), an entrances layer, and route lines by mode family. Every check runs before
 * anything is returned, so a malformed feed writes nothing.
 */
import { EkimaeError } from '../errors.js';
import { attributionOf, feedFromFolder, feedFromSource, readTable, requireTable, type GtfsFeed, type Row } from './gtfs-feed.js';
import { routeFeatures } from './gtfs-lines.js';
import { FAMILIES, type Family } from './gtfs-modes.js';
import { hourLabel, readService, type FeedService } from './gtfs-service.js';
import { CONSUMED, indexStops, type StopIndex } from './gtfs-stops.js';
import type { RawFeature, RawLayer } from './normalize.js';
import type { SourceFile } from './source.js';
import type { FieldDef, ImportIssue } from './types.js';

const LINE_LAYER: Record<Family, { suffix: string; role: 'rail' | 'other' }> = {
  rail: { suffix: 'rail_lines', role: 'rail' },
  bus: { suffix: 'bus_routes', role: 'other' },
  other: { suffix: 'other_routes', role: 'other' },
};

const stemOf = (name: string) => name.replace(/\.(zip|txt|csv)$/i, '');

function stationsLayer(feed: GtfsFeed, stops: StopIndex, rows: Row[], svc: FeedService | null, extra: string[], note: string, issues: ImportIssue[]): RawLayer {
  const fields: FieldDef[] = [
    { name: 'station_id', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, { name: 'location_type', type: 'INTEGER' },
    { name: 'platform_count', type: 'INTEGER' }, { name: 'entrance_count', type: 'INTEGER' }, { name: 'node_count', type: 'INTEGER' },
    { name: 'boarding_area_count', type: 'INTEGER' }, { name: 'child_ids', type: 'TEXT' },
  ];
  const served = !!svc?.byStation;
  if (served) {
    fields.push({ name: 'modes', type: 'TEXT' }, { name: 'line', type: 'TEXT' }, { name: 'dep_peak_rail', type: 'INTEGER' }, { name: 'dep_peak_bus', type: 'INTEGER' },
      { name: 'dep_peak_other', type: 'INTEGER' }, { name: 'dep_peak_total', type: 'INTEGER' }, { name: 'dep_day_total', type: 'INTEGER' });
  }
  for (const c of extra) fields.push({ name: c, type: 'TEXT' });
  const features: RawFeature[] = stops.stations.map((st) => {
    const count = (t: number) => st.children.filter((c) => c.type === t).length;
    const p: Record<string, unknown> = {
      station_id: st.stop.id, name: st.stop.name || null, location_type: st.stop.type,
      platform_count: count(0), entrance_count: count(2), node_count: count(3), boarding_area_count: count(4),
      child_ids: st.children.map((c) => c.id).join(';') || null,
    };
    if (served) {
      const s = svc!.byStation!.get(st);
      p.modes = s ? [...s.modes].sort().join(';') || null : null;
      p.line = s ? [...s.lines].sort().join(';') || null : null;
      p.dep_peak_rail = s?.peak.rail ?? 0; p.dep_peak_bus = s?.peak.bus ?? 0; p.dep_peak_other = s?.peak.other ?? 0;
      p.dep_peak_total = (s?.peak.rail ?? 0) + (s?.peak.bus ?? 0) + (s?.peak.other ?? 0);
      p.dep_day_total = s?.depDay ?? 0;
    }
    const row = rows[st.stop.row];
    for (const c of extra) p[c] = row[c] || null;
    return { geometry: { type: 'Point', coordinates: st.stop.coords! }, properties: p };
  });
  return {
    name: `${stemOf(feed.name)}_stations`, features, fields, crs: 4326, role: 'stations', note, issues,
    source: { file: feed.name, format: 'gtfs', encoding: 'utf-8', sourceLayer: 'stops.txt' },
  };
}

function entrancesLayer(feed: GtfsFeed, stops: StopIndex, rows: Row[], extra: string[], note: string): RawLayer | null {
  const list = [...stops.stops.values()].filter((s) => s.type === 2);
  if (!list.length) return null;
  const fields: FieldDef[] = [{ name: 'entrance_id', type: 'TEXT' }, { name: 'station_id', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, ...extra.map((c) => ({ name: c, type: 'TEXT' as const }))];
  const features: RawFeature[] = list.map((s) => {
    const p: Record<string, unknown> = { entrance_id: s.id, station_id: stops.stationOf.get(s.id)!.stop.id, name: s.name || null };
    for (const c of extra) p[c] = rows[s.row][c] || null;
    return { geometry: { type: 'Point', coordinates: s.coords! }, properties: p };
  });
  return {
    name: `${stemOf(feed.name)}_entrances`, features, fields, crs: 4326, role: 'entrances', note,
    source: { file: feed.name, format: 'gtfs', encoding: 'utf-8', sourceLayer: 'stops.txt (location_type 2)' },
  };
}

/** What the provenance row says of the feed: publisher, reference day and peak hour, licence when known. */
function noteOf(feed: GtfsFeed, stops: StopIndex, svc: FeedService | null): string {
  const parts = [`GTFS feed ${feed.name}`];
  const agencies = readTable(feed, 'agency.txt')?.rows.map((r) => [r.agency_name, r.agency_url].filter(Boolean).join(' ')).filter(Boolean);
  if (agencies?.length) parts.push(`agency: ${agencies.join(', ')}`);
  const info = readTable(feed, 'feed_info.txt')?.rows[0];
  if (info) {
    const v = [info.feed_publisher_name, info.feed_publisher_url, info.feed_version && `version ${info.feed_version}`, info.feed_start_date && `${info.feed_start_date}–${info.feed_end_date ?? ''}`].filter(Boolean);
    if (v.length) parts.push(`feed_info: ${v.join(', ')}`);
  }
  parts.push(`${stops.stations.length} stations from ${stops.stops.size} stops`);
  if (svc?.byStation) {
    parts.push(svc.dayNote);
    parts.push(svc.peakHour === null ? 'no departures on that day' : `peak hour ${hourLabel(svc.peakHour)} (most departures over the feed that day)`);
  } else parts.push('no stop_times.txt: no service figures');
  const att = attributionOf(feed);
  if (att) parts.push(`source and licence (SOURCE.md): ${att}`);
  return parts.join('; ');
}

function layersOf(feed: GtfsFeed): RawLayer[] {
  const stopsT = requireTable(feed, 'stops.txt', ' (every GTFS feed needs one)');
  for (const c of ['stop_lat', 'stop_lon']) {
    if (!stopsT.columns.has(c) && stopsT.rows.some((r) => Number(r.location_type || 0) < 3)) {
      throw new EkimaeError('E_GTFS_COLUMN_MISSING', `${feed.name}: stops.txt has no ${c} column, which stops, stations and entrances need`, { file: feed.name, member: 'stops.txt', column: c });
    }
  }
  if (!stopsT.rows.length) throw new EkimaeError('E_NO_FEATURES', `${feed.name}: stops.txt has no stops`, { file: feed.name });
  const stops = indexStops(feed, stopsT);
  const svc = readService(feed, stops);
  const issues: ImportIssue[] = [];
  const extra = [...stopsT.columns].filter((c) => !CONSUMED.has(c));
  const note = noteOf(feed, stops, svc);
  const routes = svc ? routeFeatures(feed, stops, svc, issues) : [];
  if (svc && !svc.trips.size) issues.push({ code: 'E_GTFS_FILE_MISSING', action: 'flagged', message: `${feed.name}: routes.txt without trips.txt: the routes cannot be drawn` });
  const out: RawLayer[] = [stationsLayer(feed, stops, stopsT.rows, svc, extra, note, issues)];
  const ent = entrancesLayer(feed, stops, stopsT.rows, extra, note);
  if (ent) out.push(ent);
  for (const fam of FAMILIES) {
    const features = routes.filter((r) => r.family === fam).map((r) => r.feature);
    if (!features.length) continue;
    out.push({
      name: `${stemOf(feed.name)}_${LINE_LAYER[fam].suffix}`, features, crs: 4326, role: LINE_LAYER[fam].role, note,
      fields: [{ name: 'route_id', type: 'TEXT' }, { name: 'line', type: 'TEXT' }, { name: 'name', type: 'TEXT' }, { name: 'mode', type: 'TEXT' },
        { name: 'route_type', type: 'INTEGER' }, { name: 'agency_id', type: 'TEXT' }, { name: 'route_color', type: 'TEXT' },
        ...(svc?.byStation ? [{ name: 'trips_day', type: 'INTEGER' as const }] : [])],
      source: { file: feed.name, format: 'gtfs', encoding: 'utf-8', sourceLayer: 'routes.txt' },
    });
  }
  return out;
}

export function parseGtfs(src: SourceFile): RawLayer[] {
  return layersOf(feedFromSource(src));
}

/**
 * A feed from a file (zip, stops file) or a folder, with the sha256 its provenance records: the
 * file's, or for loose files that of their listing (gtfs-feed.ts).
 */
export function readGtfs(from: SourceFile | string): { sha256: string; raws: RawLayer[] } {
  const feed = typeof from === 'string' ? feedFromFolder(from) : feedFromSource(from);
  return { sha256: feed.sha256, raws: layersOf(feed) };
}
