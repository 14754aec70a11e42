/**
 * Daily boardings by station complex and horizon, by service type. Stations within a short walk of
 * each other (interchanges: Mo Chit and Chatuchak Park, Bang Sue and Krung Thep Aphiwat) are one
 * complex: a passenger changing lines is counted once. Metro and commuter rail: the walk-catchment
 * model (trips × rail share by walking distance, docs/SCENARIOS.md) on the projected residents and
 * jobs. High-speed rail is not a metro: its riders come from the whole city by feeder, so boardings
 * = intercity trip rate × the population the station serves, grown with its market area; the rate
 * is calibrated to a published forecast where one exists, and the check is printed beside it.
 */
import type { Project } from '../store/project.js';
import { controlTotal, type GrowthSettings } from './settings.js';
import type { TakeUp } from './takeup.js';

export type Service = 'hsr' | 'metro';

export interface Complex { name: string; stations: string[]; service: Service; lon: number; lat: number }

export interface ComplexRidership {
  complex: string;
  stations: string[];
  service: Service;
  /** Boardings per day at the base year, at each horizon, and at capacity (metro only: HSR has no walk-catchment capacity). */
  base: number;
  horizons: number[];
  capacity: number | null;
  method: string;
}

export interface Ridership {
  complexes: ComplexRidership[];
  /** Total per horizon, and the published figure it is checked against (or null where none exists). */
  totals: number[];
  check: string | null;
}

const HSR_RE = /\b(MAHSR|HSR|high[- ]speed|shinkansen)\b/i;
const PLANNED_RE = /\(planned\)/i;

/** A station's service: HSR when every line it names is high-speed (planned lines do not count). */
export function serviceOf(line: string): Service {
  const parts = line.split(/[;,/]/).map((s) => s.trim()).filter((s) => s && !PLANNED_RE.test(s));
  return parts.length > 0 && parts.every((s) => HSR_RE.test(s)) ? 'hsr' : 'metro';
}

function metres(a: Complex, lon: number, lat: number): number {
  const k = Math.PI / 180, R = 6_371_008.8;
  const x = (lon - a.lon) * k * Math.cos(((lat + a.lat) / 2) * k), y = (lat - a.lat) * k;
  return Math.hypot(x, y) * R;
}

/** Group stations closer than mergeM (crow-flies between station points) into complexes, in layer order. */
export function stationComplexes(stations: Array<{ name: string; line: string; lon: number; lat: number }>, mergeM = 400): Complex[] {
  const out: Complex[] = [];
  for (const s of stations) {
    const svc = serviceOf(s.line);
    const near = out.find((c) => c.service === svc && metres(c, s.lon, s.lat) <= mergeM);
    if (near) { near.stations.push(s.name); near.name = `${near.name} / ${s.name}`; }
    else out.push({ name: s.name, stations: [s.name], service: svc, lon: s.lon, lat: s.lat });
  }
  return out;
}

export function readStations(p: Project): Array<{ name: string; line: string; lon: number; lat: number }> {
  const layer = p.layers().find((l) => l.role === 'stations');
  if (!layer) return [];
  const fm = layer.fieldMap;
  return p.readFeatures(layer.name).flatMap((f) => {
    if (!f.geometry || f.geometry.type !== 'Point') return [];
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const name = String(f.properties[fm.name ?? 'name'] ?? f.properties[fm.station_id ?? 'station_id'] ?? f.fid);
    return [{ name, line: String(f.properties[fm.line ?? 'line'] ?? ''), lon, lat }];
  });
}

export function ridership(t: TakeUp, complexes: Complex[], g: GrowthSettings): Ridership {
  const byStation = new Map(t.stations.map((s) => [s.station, s]));
  const H = g.horizons.length;
  const rate = g.ridership.hsrBoardingsPerServedResidentDay;
  const out: ComplexRidership[] = complexes.map((c) => {
    if (c.service === 'hsr') {
      const served = c.stations.reduce((sum, st) => sum + (g.areas.find((a) => a.station === st)?.servedPopulation ?? 0), 0);
      const grow = (y: number) => {
        const a = g.areas.find((x) => x.station === c.stations[0]) ?? g.areas.find((x) => x.station === null);
        return a ? controlTotal(a.residents, 1, g.baseYear, y) : 1;
      };
      return {
        complex: c.name, stations: c.stations, service: c.service, base: rate * served, capacity: null,
        horizons: g.horizons.map((y) => rate * served * grow(y)),
        method: `intercity: ${rate} boardings per day per resident of the ${Math.round(served).toLocaleString('en')} people the station serves by feeder, grown with its market area`,
      };
    }
    const sum = (f: (s: TakeUp['stations'][number]) => number) => c.stations.reduce((x, st) => x + (byStation.has(st) ? f(byStation.get(st)!) : 0), 0);
    return {
      complex: c.name, stations: c.stations, service: c.service, base: sum((s) => s.base.boardings), capacity: sum((s) => s.capacity.boardings),
      horizons: Array.from({ length: H }, (_, h) => sum((s) => s.horizons[h].boardings)),
      method: 'walk catchment: trips × rail share by walking distance on the projected residents and jobs',
    };
  });
  const totals = Array.from({ length: H }, (_, h) => out.reduce((s, c) => s + c.horizons[h], 0));
  const pub = g.ridership.published;
  let check: string | null = null;
  if (pub) {
    const hsr = out.filter((c) => c.service === 'hsr');
    const atYear = (y: number) => {
      const ys = g.horizons, vals = ys.map((_, h) => hsr.reduce((s, c) => s + c.horizons[h], 0));
      const base = hsr.reduce((s, c) => s + c.base, 0);
      const xs = [g.baseYear, ...ys], v = [base, ...vals];
      for (let k = 1; k < xs.length; k++) if (y <= xs[k]) return v[k - 1] + (y - xs[k - 1]) / (xs[k] - xs[k - 1]) * (v[k] - v[k - 1]);
      return v.at(-1)!;
    };
    const model = atYear(pub.year);
    check = `modelled ${Math.round(model).toLocaleString('en')} boardings/day in ${pub.year} against the published ${pub.boardings.toLocaleString('en')} (${pub.source}): ${(model / pub.boardings * 100).toFixed(0)} %`;
  }
  return { complexes: out, totals, check };
}
