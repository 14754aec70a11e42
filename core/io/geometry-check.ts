/**
 * Structural check and safe repair of one GeoJSON-shaped geometry in its source coordinates, its
 * reprojection, and the longitude/latitude range test that tells an undeclared CRS apart from lon/lat.
 * Split from normalize.ts so the layer-level decisions there read on their own.
 */
import { EkimaeError } from '../errors.js';
import type { Geometry, Position } from '../geo/geometry.js';
import type { ImportIssue } from './types.js';

export type Check = { ok: true; geometry: Geometry; repaired: string[] } | { ok: false; code: ImportIssue['code']; why: string };

function isPos(p: unknown): p is number[] {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number';
}

function finitePos(p: number[]): boolean {
  return Number.isFinite(p[0]) && Number.isFinite(p[1]);
}

function cleanLine(coords: unknown, repaired: string[], what: string): Position[] | string {
  if (!Array.isArray(coords)) return `${what} coordinates are not an array`;
  // Clean data (every position exactly [x, y], finite, no repeats) is kept as parsed: copying every
  // coordinate array doubles an import's memory for nothing.
  let clean = true;
  for (let i = 0; i < coords.length && clean; i++) {
    const p = coords[i];
    clean = Array.isArray(p) && p.length === 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1])
      && !(i > 0 && coords[i - 1][0] === p[0] && coords[i - 1][1] === p[1]);
  }
  if (clean) return coords as Position[];
  const out: Position[] = [];
  for (const p of coords) {
    if (!isPos(p)) return `${what} has a coordinate that is not [x, y]`;
    if (!finitePos(p)) return `${what} has a non-finite coordinate (NaN or Infinity)`;
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push([p[0], p[1]]);
  }
  if (out.length !== coords.length) repaired.push(`removed ${coords.length - out.length} duplicate consecutive vertices`);
  return out;
}

function cleanRing(coords: unknown, repaired: string[], what: string): Position[] | string {
  let r = cleanLine(coords, repaired, what);
  if (typeof r === 'string') return r;
  if (r.length === 0) return `${what} is empty`;
  const first = r[0], last = r[r.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    r = r === coords ? [...r, [first[0], first[1]]] : (r.push([first[0], first[1]]), r);
    repaired.push(`closed an unclosed ring (${what})`);
  }
  if (r.length < 4) return `${what} has fewer than 3 distinct vertices`;
  return r;
}

// Module-level rather than closures inside checkGeometry: it runs twice per feature of a streamed import.
function fail(why: string, code: ImportIssue['code'] = 'E_GEOMETRY_INVALID'): Check {
  return { ok: false, code, why };
}

function bad(s: string): Check {
  return fail(s, /non-finite/.test(s) ? 'E_COORD_INVALID' : 'E_GEOMETRY_INVALID');
}

/** Structural check and safe repair of one GeoJSON-shaped geometry, in source coordinates. */
export function checkGeometry(g: unknown): Check {
  if (g === null || g === undefined) return { ok: false, code: 'E_GEOMETRY_EMPTY', why: 'feature has no geometry' };
  // A parser that could not decode one feature's geometry (a torn GeoPackage blob) hands over the error.
  if (g instanceof EkimaeError) return { ok: false, code: g.code, why: g.message };
  if (typeof g !== 'object' || Array.isArray(g)) return { ok: false, code: 'E_GEOMETRY_INVALID', why: 'geometry is not an object' };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const repaired: string[] = [];
  switch (type) {
    case 'Point': {
      if (Array.isArray(coordinates) && coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      if (!isPos(coordinates)) return fail('Point coordinates are not [x, y]');
      if (!finitePos(coordinates)) return fail('Point has a non-finite coordinate (NaN or Infinity)', 'E_COORD_INVALID');
      return { ok: true, geometry: { type: 'Point', coordinates: [coordinates[0], coordinates[1]] }, repaired };
    }
    case 'MultiPoint': {
      if (!Array.isArray(coordinates)) return fail('MultiPoint coordinates are not an array');
      if (coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      const pts = cleanLine(coordinates, [], 'MultiPoint');
      if (typeof pts === 'string') return bad(pts);
      return { ok: true, geometry: { type: 'MultiPoint', coordinates: pts }, repaired };
    }
    case 'LineString': {
      if (Array.isArray(coordinates) && coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      const l = cleanLine(coordinates, repaired, 'LineString');
      if (typeof l === 'string') return bad(l);
      if (l.length < 2) return fail('LineString has fewer than 2 distinct vertices');
      return { ok: true, geometry: { type: 'LineString', coordinates: l }, repaired };
    }
    case 'MultiLineString': {
      if (!Array.isArray(coordinates)) return fail('MultiLineString coordinates are not an array');
      if (coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      const parts: Position[][] = [];
      for (let i = 0; i < coordinates.length; i++) {
        const l = cleanLine(coordinates[i], repaired, `part ${i + 1}`);
        if (typeof l === 'string') return bad(l);
        if (l.length >= 2) parts.push(l); else repaired.push(`dropped degenerate part ${i + 1}`);
      }
      if (!parts.length) return fail('MultiLineString has no part with 2 distinct vertices');
      return { ok: true, geometry: { type: 'MultiLineString', coordinates: parts }, repaired };
    }
    case 'Polygon': {
      if (!Array.isArray(coordinates)) return fail('Polygon coordinates are not an array');
      if (coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      const rings: Position[][] = [];
      for (let i = 0; i < coordinates.length; i++) {
        const r = cleanRing(coordinates[i], repaired, i === 0 ? 'outer ring' : `hole ${i}`);
        if (typeof r === 'string') return bad(r);
        rings.push(r);
      }
      return { ok: true, geometry: { type: 'Polygon', coordinates: rings }, repaired };
    }
    case 'MultiPolygon': {
      if (!Array.isArray(coordinates)) return fail('MultiPolygon coordinates are not an array');
      if (coordinates.length === 0) return fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
      const polys: Position[][][] = [];
      for (let j = 0; j < coordinates.length; j++) {
        const p = coordinates[j];
        if (!Array.isArray(p) || p.length === 0) return fail(`MultiPolygon part ${j + 1} is empty or not an array`);
        const rings: Position[][] = [];
        for (let i = 0; i < p.length; i++) {
          const r = cleanRing(p[i], repaired, `part ${j + 1} ${i === 0 ? 'outer ring' : `hole ${i}`}`);
          if (typeof r === 'string') return bad(r);
          rings.push(r);
        }
        polys.push(rings);
      }
      return { ok: true, geometry: { type: 'MultiPolygon', coordinates: polys }, repaired };
    }
    case 'GeometryCollection':
      return fail('GeometryCollection cannot be stored in a layer; split it into separate layers', 'E_GEOMETRY_UNSUPPORTED');
    default:
      return fail(`unknown geometry type ${JSON.stringify(type)?.slice(0, 40)}`, 'E_GEOMETRY_UNSUPPORTED');
  }
}

export function reproject(g: Geometry, t: (p: Position) => Position): Geometry {
  const r = (p: Position) => t(p);
  switch (g.type) {
    case 'Point': return { type: 'Point', coordinates: r(g.coordinates) };
    case 'LineString': return { type: 'LineString', coordinates: g.coordinates.map(r) };
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: g.coordinates.map(r) };
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map((x) => x.map(r)) };
    case 'MultiLineString': return { type: 'MultiLineString', coordinates: g.coordinates.map((x) => x.map(r)) };
    case 'MultiPolygon': return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((x) => x.map(r))) };
  }
}

// NaN fails every comparison, so non-finite coordinates are out of range too.
function posInRange(p: Position): boolean {
  return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90;
}

function lineInRange(l: Position[]): boolean {
  for (let i = 0; i < l.length; i++) if (!posInRange(l[i])) return false;
  return true;
}

/** Loops rather than forEachPosition with a callback: this runs twice per feature of a streamed import. */
export function inLonLatRange(g: Geometry): boolean {
  switch (g.type) {
    case 'Point': return posInRange(g.coordinates);
    case 'LineString': case 'MultiPoint': return lineInRange(g.coordinates);
    case 'Polygon': case 'MultiLineString': return g.coordinates.every(lineInRange);
    case 'MultiPolygon': return g.coordinates.every((p) => p.every(lineInRange));
  }
}

