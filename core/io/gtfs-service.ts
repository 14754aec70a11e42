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
import { EkimaeError } from '../errors.js';
import { at, requireTable, readTable, scanTable, type GtfsFeed, type Row, type Table } from './gtfs-feed.js';
import { familyOf, modeOf, type Family, type Mode } from './gtfs-modes.js';
import type { Stop, StopIndex, Station } from './gtfs-stops.js';

export interface Route { id: string; row: number; type: number; mode: Mode; short: string; long: string; color: string; agency: string }
export interface Trip { id: string; route: Route; service: string; shape: string; row: number; index: number }

export interface StationService {
  depDay: number;
  peak: Record<Family, number>;
  modes: Set<Mode>;
  lines: Set<string>;
}

export interface FeedService {
  routes: Map<string, Route>;
  trips: Map<string, Trip>;
  /** The stops a trip calls at, in stop_sequence order (none without stop_times). */
  stopsOf: (trip: Trip) => Stop[];
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
    trips.set(r.trip_id, { id: r.trip_id, route, service: r.service_id, shape, row: i, index: trips.size });
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

/**
 * stop_times as columns, grouped by trip (a city feed has millions of rows: no object per row).
 * The rows of the trip with index k are order[first[k]] … order[first[k + 1] - 1], in stop_sequence order.
 */
interface StopTimes {
  first: Int32Array;
  order: Int32Array;
  stop: Stop[];
  /** Departure (or arrival) time in seconds; empty times are interpolated once grouped. */
  dep: Float64Array;
  noPickup: Uint8Array;
}

function readStopTimes(feed: GtfsFeed, stops: StopIndex, trips: Map<string, Trip>): StopTimes | null {
  const tripOf: number[] = [], seq: number[] = [], dep: number[] = [], noPickup: number[] = [];
  const stop: Stop[] = [];
  const file = 'stop_times.txt';
  const where = (i: number) => `${feed.name}: ${file} line ${i + 2}`;
  const t = scanTable(feed, file, (cell, i, columns) => {
    if (i === 0 && !columns.includes('arrival_time') && !columns.includes('departure_time')) {
      throw new EkimaeError('E_GTFS_COLUMN_MISSING', `${feed.name}: stop_times.txt has neither arrival_time nor departure_time`, { file: feed.name, member: file, column: 'departure_time' });
    }
    const tripId = cell('trip_id'), stopId = cell('stop_id'), sq = cell('stop_sequence');
    const trip = trips.get(tripId);
    if (!trip) throw new EkimaeError('E_GTFS_REFERENCE', `${where(i)}: trip_id ${tripId} is not in trips.txt`, { file: feed.name, trip_id: tripId });
    const s = stops.stops.get(stopId);
    if (!s) throw new EkimaeError('E_GTFS_REFERENCE', `${where(i)}: stop_id ${stopId} is not in stops.txt`, { file: feed.name, stop_id: stopId });
    if (!/^\d+$/.test(sq)) throw new EkimaeError('E_GTFS_VALUE_INVALID', `${where(i)}: stop_sequence "${sq.slice(0, 20)}" is not a non-negative integer`, { file: feed.name });
    const arr = parseTime(cell('arrival_time'), where(i), feed, 'arrival_time');
    const d = parseTime(cell('departure_time'), where(i), feed, 'departure_time');
    tripOf.push(trip.index); seq.push(Number(sq)); dep.push(d ?? arr ?? NaN); noPickup.push(cell('pickup_type') === '1' ? 1 : 0); stop.push(s);
  });
  if (!t) return null;
  // Rows grouped by trip (a counting sort), then each trip's few rows by stop_sequence.
  const n = tripOf.length, first = new Int32Array(trips.size + 1), order = new Int32Array(n);
  for (const k of tripOf) first[k + 1]++;
  for (let k = 0; k < trips.size; k++) first[k + 1] += first[k];
  const fill = first.slice(0, trips.size);
  for (let i = 0; i < n; i++) order[fill[tripOf[i]]++] = i;
  const times = Float64Array.from(dep);
  const byId = [...trips.values()];
  for (let k = 0; k < trips.size; k++) {
    const a = first[k], b = first[k + 1];
    if (a === b) continue;
    let sorted = true;
    for (let i = a + 1; i < b && sorted; i++) sorted = seq[order[i - 1]] < seq[order[i]];
    if (!sorted) {
      const part = Array.from(order.subarray(a, b)).sort((x, y) => seq[x] - seq[y] || x - y);
      order.set(part, a);
      for (let i = a + 1; i < b; i++) {
        if (seq[order[i]] === seq[order[i - 1]]) throw new EkimaeError('E_GTFS_DUPLICATE_ID', `${where(order[i])}: trip ${byId[k].id} has stop_sequence ${seq[order[i]]} twice`, { file: feed.name, trip_id: byId[k].id });
      }
    }
    for (const i of [order[a], order[b - 1]]) {
      if (Number.isNaN(times[i])) throw new EkimaeError('E_GTFS_TIME_INVALID', `${where(i)}: trip ${byId[k].id} has no time at its ${i === order[a] ? 'first' : 'last'} stop (the GTFS reference requires one)`, { file: feed.name, trip_id: byId[k].id });
    }
    for (let j = a + 1, last = a; j < b; j++) {
      if (Number.isNaN(times[order[j]])) continue;
      const t0 = times[order[last]], t1 = times[order[j]];
      for (let m = last + 1; m < j; m++) times[order[m]] = t0 + ((t1 - t0) * (m - last)) / (j - last);
      last = j;
    }
  }
  return { first, order, stop, dep: times, noPickup: Uint8Array.from(noPickup) };
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
  const has = (f: string) => feed.files.has(f);
  const tripsT = readTable(feed, 'trips.txt') ?? (has('stop_times.txt') ? requireTable(feed, 'trips.txt', ' (stop_times.txt refers to its trips)') : null);
  const routesT = readTable(feed, 'routes.txt') ?? (tripsT ? requireTable(feed, 'routes.txt', ' (trips.txt refers to its routes)') : null);
  if (!routesT) return null;
  const routes = readRoutes(feed, routesT);
  const cal = readTable(feed, 'calendar.txt'), dates = readTable(feed, 'calendar_dates.txt');
  const services = cal || dates ? new Set([...(cal?.rows ?? []), ...(dates?.rows ?? [])].map((r) => r.service_id)) : null;
  const shapeIds = has('shapes.txt') ? new Set<string>() : null;
  if (shapeIds) scanTable(feed, 'shapes.txt', (cell) => { shapeIds.add(cell('shape_id')); });
  const trips = tripsT ? readTrips(feed, tripsT, routes, services, shapeIds) : new Map<string, Trip>();
  const st = readStopTimes(feed, stops, trips);
  const stopsOf = (trip: Trip) => {
    if (!st) return [];
    const out: Stop[] = [];
    for (let i = st.first[trip.index]; i < st.first[trip.index + 1]; i++) out.push(st.stop[st.order[i]]);
    return out;
  };
  const base: FeedService = { routes, trips, stopsOf, byStation: null, tripsDay: new Map(), refDay: null, peakHour: null, dayNote: '' };
  if (!st) return base;

  const tripsPer = new Map<string, number>();
  for (const tr of trips.values()) tripsPer.set(tr.service, (tripsPer.get(tr.service) ?? 0) + 1);
  const { active, day, note } = typicalWeekday(feed, cal, dates, tripsPer);
  const freqStarts = starts(feed, readTable(feed, 'frequencies.txt'), trips);

  const byStation = new Map<Station, StationService>();
  const get = (s: Station) => {
    let v = byStation.get(s);
    if (!v) { v = { depDay: 0, peak: { rail: 0, bus: 0, other: 0 }, modes: new Set(), lines: new Set() }; byStation.set(s, v); }
    return v;
  };
  const running: Array<{ trip: Trip; runs: number[] }> = [];
  for (const trip of trips.values()) {
    const a = st.first[trip.index], b = st.first[trip.index + 1];
    if (a === b) continue;
    const line = trip.route.short || trip.route.long || trip.route.id;
    for (let i = a; i < b; i++) { const v = get(st.stop[st.order[i]].station!); v.modes.add(trip.route.mode); v.lines.add(line); }
    if (active && !active.has(trip.service)) continue;
    const runs = freqStarts.get(trip.id) ?? [st.dep[st.order[a]]];
    base.tripsDay.set(trip.route.id, (base.tripsDay.get(trip.route.id) ?? 0) + runs.length);
    running.push({ trip, runs });
  }
  /** Every departure of the reference day: its station, mode family and service-day hour. */
  const eachDeparture = (use: (s: Station, fam: Family, hour: number) => void) => {
    for (const { trip, runs } of running) {
      const a = st.first[trip.index], b = st.first[trip.index + 1], fam = familyOf(trip.route.mode), t0 = st.dep[st.order[a]];
      for (const start of runs) {
        for (let i = a; i + 1 < b; i++) {
          const r = st.order[i];
          if (!st.noPickup[r]) use(st.stop[r].station!, fam, Math.floor((st.dep[r] - t0 + start) / 3600));
        }
      }
    }
  };
  const hours: number[] = [];
  eachDeparture((_s, _f, h) => { hours[h] = (hours[h] ?? 0) + 1; });
  let peak: number | null = null;
  hours.forEach((c, h) => { if (c && (peak === null || c > hours[peak])) peak = h; });
  eachDeparture((s, fam, h) => {
    const v = get(s);
    v.depDay++;
    if (h === peak) v.peak[fam]++;
  });
  return { ...base, byStation, refDay: day, peakHour: peak, dayNote: note };
}

export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00–${String(h + 1).padStart(2, '0')}:00`;
