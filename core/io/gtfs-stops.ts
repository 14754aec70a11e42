/**
 * stops.txt -> stations: a parent station (location_type 1) with its platforms (0), entrances (2),
 * generic nodes (3) and boarding areas (4, children of a platform) grouped under it, or a stop
 * standing alone (0 without parent_station). Every rule checked here is a "must" of the GTFS reference.
 */
import { EkimaeError } from '../errors.js';
import { at, type GtfsFeed, type Table } from './gtfs-feed.js';

export interface Stop {
  id: string;
  name: string;
  type: 0 | 1 | 2 | 3 | 4;
  parent: string | null;
  /** [lon, lat]; null only for nodes and boarding areas, which may lack them. */
  coords: [number, number] | null;
  row: number;
  /** The station it belongs to (itself for a station), set once every stop is read. */
  station?: Station;
}

export interface Station {
  stop: Stop;
  /** Every stop grouped under it, in file order (platforms, entrances, nodes, boarding areas). */
  children: Stop[];
}

export interface StopIndex {
  stops: Map<string, Stop>;
  /** Stations in file order. */
  stations: Station[];
  /** stop_id -> the station it belongs to (itself for a station). */
  stationOf: Map<string, Station>;
}

/** Columns the stations' own fields replace, the rest are kept as they are in the feed. */
export const CONSUMED = new Set(['stop_id', 'stop_name', 'stop_lat', 'stop_lon', 'location_type', 'parent_station']);

function coordsOf(feed: GtfsFeed, t: Table, i: number, id: string, type: number): [number, number] | null {
  const r = t.rows[i];
  const lat = r.stop_lat ?? '', lon = r.stop_lon ?? '';
  const missing = lat === '' || lon === '';
  if (missing && type >= 3) return null;
  const la = Number(lat), lo = Number(lon);
  if (missing || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
    const what = missing ? 'has no coordinates' : `has coordinates that are not a latitude/longitude (stop_lat "${lat.slice(0, 20)}", stop_lon "${lon.slice(0, 20)}")`;
    throw new EkimaeError('E_GTFS_STOP_NO_COORDS', `${at(feed, t, i)}: stop_id ${id} ${what}; location_type ${type} needs them`, { file: feed.name, stop_id: id, line: i + 2 });
  }
  return [lo, la];
}

export function indexStops(feed: GtfsFeed, t: Table): StopIndex {
  const stops = new Map<string, Stop>();
  t.rows.forEach((r, i) => {
    const id = r.stop_id;
    if (!id) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, t, i)}: empty stop_id`, { file: feed.name, line: i + 2 });
    const prev = stops.get(id);
    if (prev) throw new EkimaeError('E_GTFS_DUPLICATE_ID', `${at(feed, t, i)}: stop_id ${id} is also on line ${prev.row + 2}`, { file: feed.name, stop_id: id });
    const lt = r.location_type ?? '';
    if (!/^[0-4]?$/.test(lt)) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, t, i)}: stop_id ${id} has location_type "${lt.slice(0, 20)}" (0–4 or empty)`, { file: feed.name, stop_id: id });
    const type = Number(lt || 0) as Stop['type'];
    stops.set(id, { id, name: r.stop_name ?? '', type, parent: r.parent_station || null, coords: coordsOf(feed, t, i, id, type), row: i });
  });
  const kindOf = (s: Stop) => ['stop or platform', 'station', 'entrance', 'generic node', 'boarding area'][s.type];
  for (const s of stops.values()) {
    const where = at(feed, t, s.row);
    if (s.type === 1 && s.parent) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where}: station ${s.id} has a parent_station (${s.parent}); stations (location_type 1) cannot`, { file: feed.name, stop_id: s.id });
    if (s.type >= 2 && !s.parent) throw new EkimaeError('E_GTFS_REFERENCE', `${where}: ${kindOf(s)} ${s.id} has no parent_station; location_type ${s.type} needs one`, { file: feed.name, stop_id: s.id });
    if (!s.parent) continue;
    const p = stops.get(s.parent);
    if (!p) throw new EkimaeError('E_GTFS_REFERENCE', `${where}: stop_id ${s.id} refers to parent_station ${s.parent}, which stops.txt does not define`, { file: feed.name, stop_id: s.id, parent_station: s.parent });
    const want = s.type === 4 ? 0 : 1;
    if (p.type !== want) {
      throw new EkimaeError('E_GTFS_REFERENCE', `${where}: ${kindOf(s)} ${s.id} has parent_station ${p.id}, a ${kindOf(p)}; it must be a ${want === 1 ? 'station (location_type 1)' : 'platform (location_type 0)'}`, { file: feed.name, stop_id: s.id });
    }
  }
  const stations: Station[] = [];
  const stationOf = new Map<string, Station>();
  for (const s of stops.values()) {
    if (s.type === 1 || (s.type === 0 && !s.parent)) {
      const st = { stop: s, children: [] };
      stations.push(st);
      stationOf.set(s.id, st);
    }
  }
  for (const s of stops.values()) {
    if (stationOf.has(s.id)) continue;
    // A boarding area belongs to its platform's station, or to the platform when that stands alone.
    const platform = s.type === 4 ? stops.get(s.parent!)! : null;
    const top = platform ? (platform.parent ? stops.get(platform.parent)! : platform) : stops.get(s.parent!)!;
    const st = stationOf.get(top.id)!;
    st.children.push(s);
    stationOf.set(s.id, st);
  }
  for (const [id, st] of stationOf) stops.get(id)!.station = st;
  return { stops, stations, stationOf };
}
