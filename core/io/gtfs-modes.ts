/**
 * GTFS route_type -> mode, and each mode's family (rail, bus, other), for the basic route types
 * (0–12) and the extended ones (100–1799; the Hierarchical Vehicle Type codes Google's GTFS accepts).
 */
export type Mode = 'tram' | 'metro' | 'rail' | 'bus' | 'ferry' | 'cable_tram' | 'aerial_lift' | 'funicular' | 'trolleybus' | 'monorail'
  | 'coach' | 'air' | 'taxi' | 'other';
export type Family = 'rail' | 'bus' | 'other';

const BASIC: Record<number, Mode> = {
  0: 'tram', 1: 'metro', 2: 'rail', 3: 'bus', 4: 'ferry', 5: 'cable_tram', 6: 'aerial_lift', 7: 'funicular', 11: 'trolleybus', 12: 'monorail',
};

/** Extended types by hundred: 100 railway, 200 coach, 300 suburban railway, 400 urban railway (405 monorail), 500/600 metro/underground, … */
const EXTENDED: Array<[number, number, Mode]> = [
  [405, 405, 'monorail'],
  [100, 199, 'rail'], [200, 299, 'coach'], [300, 399, 'rail'], [400, 699, 'metro'], [700, 799, 'bus'], [800, 899, 'trolleybus'], [900, 999, 'tram'],
  [1000, 1099, 'ferry'], [1100, 1199, 'air'], [1200, 1299, 'ferry'], [1300, 1399, 'aerial_lift'], [1400, 1499, 'funicular'],
  [1500, 1599, 'taxi'], [1600, 1799, 'other'],
];

/** The mode of a route_type, or null when the value is no GTFS route type. */
export function modeOf(routeType: number): Mode | null {
  if (!Number.isInteger(routeType)) return null;
  if (routeType in BASIC) return BASIC[routeType];
  return EXTENDED.find(([lo, hi]) => routeType >= lo && routeType <= hi)?.[2] ?? null;
}

/** Rail family: what runs on rails (and the monorail/funicular kin) and carries a rail-role line. */
export function familyOf(mode: Mode): Family {
  if (mode === 'tram' || mode === 'metro' || mode === 'rail' || mode === 'monorail' || mode === 'funicular' || mode === 'cable_tram') return 'rail';
  if (mode === 'bus' || mode === 'trolleybus' || mode === 'coach') return 'bus';
  return 'other';
}

export const FAMILIES: Family[] = ['rail', 'bus', 'other'];
