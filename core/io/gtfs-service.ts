/**
 * Service at each station from stop_times (and frequencies): departures on a typical weekday and
 * in its peak hour, by mode family. Definitions (docs/GTFS.md):
 * - typical weekday: the set of services running on the most Monday–Friday dates of the calendar
 *   (calendar.txt ranges with calendar_dates.txt exceptions); the first such date is the reference day.
 *   Without calendar files every trip counts; with no weekday in them, every date counts.
 * - a departure: a trip's stop_time at a stop, except the trip's last stop and stops with pickup_type 1
 *   (no pickup); a frequency-based trip departs at start_time, start_time + headway, … before end_time.
 * - peak hour: the clock hour of the service day (00:00–01:00, …, 25:00–26:00) with the most departures
 *   over the whole feed on the reference day; the earliest such hour on a tie.
 */
import { EkimaeError } from '../api/errors.js';
import { at, requireTable, readTable, type GtfsFeed, type Row, type Table } from './gtfs-feed.js';
import { familyOf, modeOf, type Family, type Mode } from './gtfs-modes.js';
import type { StopIndex, Station } from './gtfs-stops.js';

export interface Route { id: string; row: number; type: number; mode: Mode; short: string; long: string; color: string; agency: string }
export interface Trip { id: string; route: Route; service: string; shape: string; row: number }

export interface StationService {
  depDay: number;
  peak: Record<Family, number>;
  modes: Set<Mode>;
  lines: Set<string>;
}

export interface FeedService {
  routes: Map<string, Route>;
  trips: Map<string, Trip>;
  /** stop_times of each trip, in stop_sequence order (stop ids). */
  patterns: Map<string, string[]>;
  /** Null without stop_times.txt: nothing to count. */
  byStation: Map<Station, StationService> | null;
  /** Trips run on the reference day (frequency trips counted once per departure from the first stop). */
  tripsDay: Map<string, number>;
  refDay: string | null;
  peakHour: number | null;
  /** One sentence on how the reference day was chosen. */
  dayNote: string;
}

const TIME = /^(\d{1,3}):(\d{2}):(\d{2})$/;

/** Seconds after the service day's noon-minus-12h; "25:10:00" is 1:10 the next morning. Empty -> null. */
export function parseTime(v: string, where: string, feed: GtfsFeed, column: string): number | null {
  if (v === '') return null;
  const m = TIME.exec(v);
  if (!m || Number(m[2]) > 59 || Number(m[3]) > 59) {
    throw new EkimaeError('E_GTFS_TIME_INVALID', `${where}: ${column} "${v.slice(0, 20)}" is not a time H:MM:SS (minutes and seconds 00–59)`, { file: feed.name, value: v.slice(0, 20), column });
  }
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

function readRoutes(feed: GtfsFeed, t: Table): Map<string, Route> {
  const routes = new Map<string, Route>();
  t.rows.forEach((r, i) => {
    const prev = routes.get(r.route_id);
    if (prev) throw new EkimaeError('E_GTFS_DUPLICATE_ID', `${at(feed, t, i)}: route_id ${r.route_id} is also on line ${prev.row + 2}`, { file: feed.name, route_id: r.route_id });
    const type = /^\d+$/.test(r.route_type) ? Number(r.route_type) : NaN;
    const mode = modeOf(type);
    if (!mode) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, t, i)}: route ${r.route_id} has route_type "${r.route_type.slice(0, 20)}", not a GTFS route type (0–7, 11, 12 or extended 100–1799)`, { file: feed.name, route_id: r.route_id });
    routes.set(r.route_id, { id: r.route_id, row: i, type, mode, short: r.route_short_name ?? '', long: r.route_long_name ?? '', color: r.route_color ?? '', agency: r.agency_id ?? '' });
  });
  return routes;
}

function readTrips(feed: GtfsFeed, t: Table, routes: Map<string, Route>, services: Set<string> | null, shapes: Set<string> | null): Map<string, Trip> {
  const trips = new Map<string, Trip>();
  t.rows.forEach((r, i) => {
    const prev = trips.get(r.trip_id);
    if (prev) throw new EkimaeError('E_GTFS_DUPLICATE_ID', `${at(feed, t, i)}: trip_id ${r.trip_id} is also on line ${prev.row + 2}`, { file: feed.name, trip_id: r.trip_id });
    const route = routes.get(r.route_id);
    if (!route) throw new EkimaeError('E_GTFS_REFERENCE', `${at(feed, t, i)}: trip ${r.trip_id} refers to route_id ${r.route_id}, which routes.txt does not define`, { file: feed.name, route_id: r.route_id });
    if (services && !services.has(r.service_id)) throw new EkimaeError('E_GTFS_REFERENCE', `${at(feed, t, i)}: trip ${r.trip_id} refers to service_id ${r.service_id}, which neither calendar.txt nor calendar_dates.txt defines`, { file: feed.name, service_id: r.service_id });
    const shape = r.shape_id ?? '';
    if (shape && shapes && !shapes.has(shape)) throw new EkimaeError('E_GTFS_REFERENCE', `${at(feed, t, i)}: trip ${r.trip_id} refers to shape_id ${shape}, which shapes.txt does not define`, { file: feed.name, shape_id: shape });
    trips.set(r.trip_id, { id: r.trip_id, route, service: r.service_id, shape, row: i });
  });
  return trips;
}

const DAY_MS = 86_400_000;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function parseDate(v: string, where: string, feed: GtfsFeed): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || new Date(t).getUTCDate() !== Number(m[3])) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where}: "${v.slice(0, 20)}" is not a date YYYYMMDD`, { file: feed.name });
  return t;
}
const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The services running on the typical weekday (null: no calendar, every trip counts) and how it was chosen. */
function typicalWeekday(feed: GtfsFeed, cal: Table | null, dates: Table | null, tripsPer: Map<string, number>): { active: Set<string> | null; day: string | null; note: string } {
  if (!cal && !dates) return { active: null, day: null, note: 'no calendar.txt or calendar_dates.txt: every trip counted as running on the day' };
  const ranges = (cal?.rows ?? []).map((r, i) => ({
    id: r.service_id, from: parseDate(r.start_date, at(feed, cal!, i), feed), to: parseDate(r.end_date, at(feed, cal!, i), feed),
    on: WEEKDAYS.map((d) => {
      if (r[d] !== '0' && r[d] !== '1') throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, cal!, i)}: ${d} is "${r[d].slice(0, 10)}" (0 or 1)`, { file: feed.name });
      return r[d] === '1';
    }),
  }));
  const added = new Map<number, Set<string>>(), removed = new Map<number, Set<string>>();
  (dates?.rows ?? []).forEach((r: Row, i) => {
    const d = parseDate(r.date, at(feed, dates!, i), feed);
    if (r.exception_type !== '1' && r.exception_type !== '2') throw new EkimaeError('E_GTFS_VALUE_INVALID', `${at(feed, dates!, i)}: exception_type "${r.exception_type.slice(0, 10)}" (1 added or 2 removed)`, { file: feed.name });
    const m = r.exception_type === '1' ? added : removed;
    if (!m.has(d)) m.set(d, new Set());
    m.get(d)!.add(r.service_id);
  });
  const days = new Set<number>(added.keys());
  for (const r of ranges) for (let d = r.from, n = 0; d <= r.to && n < 3700; d += DAY_MS, n++) days.add(d);
  const sorted = [...days].sort((a, b) => a - b);
  const weekdays = sorted.filter((d) => { const w = new Date(d).getUTCDay(); return w >= 1 && w <= 5; });
  const pool = weekdays.length ? weekdays : sorted;
  const patterns = new Map<string, { first: number; count: number; active: Set<string> }>();
  for (const d of pool) {
    const w = new Date(d).getUTCDay();
    const active = new Set(ranges.filter((r) => r.from <= d && d <= r.to && r.on[w]).map((r) => r.id));
    for (const s of added.get(d) ?? []) active.add(s);
    for (const s of removed.get(d) ?? []) active.delete(s);
    const key = [...active].sort().join('\u0000');
    const p = patterns.get(key);
    if (p) p.count++; else patterns.set(key, { first: d, count: 1, active });
  }
  const trips = (s: Set<string>) => [...s].reduce((n, id) => n + (tripsPer.get(id) ?? 0), 0);
  const best = [...patterns.values()].sort((a, b) => b.count - a.count || trips(b.active) - trips(a.active) || a.first - b.first)[0];
  if (!best) return { active: new Set(), day: null, note: 'the calendar has no dates: no trip runs' };
  const day = isoDay(best.first);
  const what = weekdays.length ? 'weekday' : 'day (the calendar has no weekday)';
  return { active: best.active, day, note: `reference day ${day} (${WEEKDAYS[new Date(best.first).getUTCDay()].replace(/^./, (c) => c.toUpperCase())}): its services run on ${best.count} of the calendar's ${pool.length} ${what} dates, more than any other set of services` };
}

interface Timed { stop: string; dep: number | null; pickup: string }

/** stop_times grouped by trip in stop_sequence order, each checked; times left empty are interpolated between timed stops. */
function readStopTimes(feed: GtfsFeed, t: Table, stops: StopIndex, trips: Map<string, Trip>): Map<string, Timed[]> {
  if (!t.columns.has('arrival_time') && !t.columns.has('departure_time')) {
    throw new EkimaeError('E_GTFS_COLUMN_MISSING', `${feed.name}: stop_times.txt has neither arrival_time nor departure_time`, { file: feed.name, member: t.file, column: 'departure_time' });
  }
  const byTrip = new Map<string, Array<Timed & { seq: number; row: number }>>();
  t.rows.forEach((r, i) => {
    const where = at(feed, t, i);
    if (!trips.has(r.trip_id)) throw new EkimaeError('E_GTFS_REFERENCE', `${where}: trip_id ${r.trip_id} is not in trips.txt`, { file: feed.name, trip_id: r.trip_id });
    if (!stops.stops.has(r.stop_id)) throw new EkimaeError('E_GTFS_REFERENCE', `${where}: stop_id ${r.stop_id} is not in stops.txt`, { file: feed.name, stop_id: r.stop_id });
    if (!/^\d+$/.test(r.stop_sequence)) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where}: stop_sequence "${r.stop_sequence.slice(0, 20)}" is not a non-negative integer`, { file: feed.name });
    const arr = parseTime(r.arrival_time ?? '', where, feed, 'arrival_time');
    const dep = parseTime(r.departure_time ?? '', where, feed, 'departure_time');
    if (!byTrip.has(r.trip_id)) byTrip.set(r.trip_id, []);
    byTrip.get(r.trip_id)!.push({ stop: r.stop_id, dep: dep ?? arr, pickup: r.pickup_type ?? '', seq: Number(r.stop_sequence), row: i });
  });
  for (const [id, list] of byTrip) {
    list.sort((a, b) => a.seq - b.seq);
    for (let k = 1; k < list.length; k++) {
      if (list[k].seq === list[k - 1].seq) throw new EkimaeError('E_GTFS_DUPLICATE_ID', `${at(feed, t, list[k].row)}: trip ${id} has stop_sequence ${list[k].seq} twice`, { file: feed.name, trip_id: id });
    }
    const ends = [list[0], list[list.length - 1]];
    for (const e of ends) if (e.dep === null) throw new EkimaeError('E_GTFS_TIME_INVALID', `${at(feed, t, e.row)}: trip ${id} has no time at its ${e === ends[0] ? 'first' : 'last'} stop (the GTFS reference requires one)`, { file: feed.name, trip_id: id });
    for (let k = 1, last = 0; k < list.length; k++) {
      if (list[k].dep === null) continue;
      for (let j = last + 1; j < k; j++) list[j].dep = list[last].dep! + ((list[k].dep! - list[last].dep!) * (j - last)) / (k - last);
      last = k;
    }
  }
  return byTrip;
}

/** Start times of a trip's departures from its first stop: its own, or one per headway of each frequencies.txt row. */
function starts(feed: GtfsFeed, freq: Table | null, trips: Map<string, Trip>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  freq?.rows.forEach((r, i) => {
    const where = at(feed, freq, i);
    if (!trips.has(r.trip_id)) throw new EkimaeError('E_GTFS_REFERENCE', `${where}: trip_id ${r.trip_id} is not in trips.txt`, { file: feed.name, trip_id: r.trip_id });
    const from = parseTime(r.start_time, where, feed, 'start_time'), to = parseTime(r.end_time, where, feed, 'end_time');
    const h = /^\d+$/.test(r.headway_secs) ? Number(r.headway_secs) : 0;
    if (from === null || to === null) throw new EkimaeError('E_GTFS_TIME_INVALID', `${where}: start_time and end_time are required`, { file: feed.name });
    if (h <= 0) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where}: headway_secs "${r.headway_secs.slice(0, 20)}" is not a positive whole number of seconds`, { file: feed.name });
    if (!out.has(r.trip_id)) out.set(r.trip_id, []);
    for (let s = from; s < to; s += h) out.get(r.trip_id)!.push(s);
  });
  return out;
}

export function readService(feed: GtfsFeed, stops: StopIndex): FeedService | null {
  const stopTimes = readTable(feed, 'stop_times.txt');
  const tripsT = readTable(feed, 'trips.txt') ?? (stopTimes ? requireTable(feed, 'trips.txt', ' (stop_times.txt refers to its trips)') : null);
  const routesT = readTable(feed, 'routes.txt') ?? (tripsT ? requireTable(feed, 'routes.txt', ' (trips.txt refers to its routes)') : null);
  if (!routesT) return null;
  const routes = readRoutes(feed, routesT);
  const cal = readTable(feed, 'calendar.txt'), dates = readTable(feed, 'calendar_dates.txt');
  const services = cal || dates ? new Set([...(cal?.rows ?? []), ...(dates?.rows ?? [])].map((r) => r.service_id)) : null;
  const shapesT = readTable(feed, 'shapes.txt');
  const shapeIds = shapesT ? new Set(shapesT.rows.map((r) => r.shape_id)) : null;
  const trips = tripsT ? readTrips(feed, tripsT, routes, services, shapeIds) : new Map<string, Trip>();
  const timed = stopTimes ? readStopTimes(feed, stopTimes, stops, trips) : new Map<string, Timed[]>();
  const patterns = new Map([...timed].map(([id, l]) => [id, l.map((s) => s.stop)]));
  const base: FeedService = { routes, trips, patterns, byStation: null, tripsDay: new Map(), refDay: null, peakHour: null, dayNote: '' };
  if (!stopTimes) return base;

  const tripsPer = new Map<string, number>();
  for (const tr of trips.values()) tripsPer.set(tr.service, (tripsPer.get(tr.service) ?? 0) + 1);
  const { active, day, note } = typicalWeekday(feed, cal, dates, tripsPer);
  const freqStarts = starts(feed, readTable(feed, 'frequencies.txt'), trips);

  const byStation = new Map<Station, StationService>();
  const get = (st: Station) => {
    let s = byStation.get(st);
    if (!s) { s = { depDay: 0, peak: { rail: 0, bus: 0, other: 0 }, modes: new Set(), lines: new Set() }; byStation.set(st, s); }
    return s;
  };
  // Departures (station, family, hour) on the reference day, kept to find the peak hour first.
  const deps: Array<[Station, Family, number]> = [];
  const hours: number[] = [];
  for (const [id, list] of timed) {
    const trip = trips.get(id)!;
    const fam = familyOf(trip.route.mode);
    const line = trip.route.short || trip.route.long || trip.route.id;
    for (const s of list) { const st = get(stops.stationOf.get(s.stop)!); st.modes.add(trip.route.mode); st.lines.add(line); }
    if (active && !active.has(trip.service)) continue;
    const t0 = list[0].dep!;
    const runs = freqStarts.get(id) ?? [t0];
    base.tripsDay.set(trip.route.id, (base.tripsDay.get(trip.route.id) ?? 0) + runs.length);
    for (const start of runs) {
      for (let k = 0; k + 1 < list.length; k++) {
        if (list[k].pickup === '1') continue;
        const h = Math.floor((list[k].dep! - t0 + start) / 3600);
        deps.push([stops.stationOf.get(list[k].stop)!, fam, h]);
        hours[h] = (hours[h] ?? 0) + 1;
      }
    }
  }
  let peak: number | null = null;
  hours.forEach((n, h) => { if (n && (peak === null || n > hours[peak])) peak = h; });
  for (const [st, fam, h] of deps) {
    const s = get(st);
    s.depDay++;
    if (h === peak) s.peak[fam]++;
  }
  return { ...base, byStation, refDay: day, peakHour: peak, dayNote: note };
}

export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`;
