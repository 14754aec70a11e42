/**
 * The one gate every importer passes its raw features through: geometry checked and safely
 * repaired (or skipped with a reason), reprojected to EPSG:4326, geometry types unified,
 * field names made safe and field types inferred. Nothing is dropped without an issue saying why.
 */
import { EkimaeError } from '../api/errors.js';
import { resolveCrs, toWgs84, type CrsInfo } from '../geo/crs.js';
import {
  familyOf, forEachPosition, layerTypeFor, toMulti, type Geometry, type GeometryFamily, type GeometryTypeName, type Position,
} from '../geo/geometry.js';
import { findSelfIntersection } from '../geo/validity.js';
import type { Feature, FieldDef, FieldType, ImportedLayer, ImportIssue, ImportOptions, Properties, SourceInfo, Value } from './types.js';

export interface RawFeature {
  geometry: unknown;
  properties: Record<string, unknown> | null | undefined;
  id?: unknown;
}

export interface RawLayer {
  name: string;
  features: RawFeature[];
  /** Declared field order and types, when the format has a schema (DBF, GeoPackage). */
  fields?: FieldDef[];
  /** The CRS the file declares; undefined = not declared (lon/lat assumed only if coordinates fit). */
  crs?: string | number;
  source: Omit<SourceInfo, 'crs'>;
  /** Issues the parser already found (e.g. unreadable records). */
  issues?: ImportIssue[];
}

export const MAX_VALUE_BYTES = 1 << 20;
const MAX_ISSUES = 1000;
// fid and geom are the table's own columns; __proto__ cannot be a plain object's key (assigning it
// changes the object's prototype, and the value would be lost).
const RESERVED = new Set(['fid', 'geom', '__proto__']);

class Issues {
  list: ImportIssue[] = [];
  counts = new Map<string, number>();
  add(i: ImportIssue) {
    const k = `${i.code}:${i.action}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (this.list.length < MAX_ISSUES) this.list.push(i);
  }
}

type Check = { ok: true; geometry: Geometry; repaired: string[] } | { ok: false; code: ImportIssue['code']; why: string };

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

/** Structural check and safe repair of one GeoJSON-shaped geometry, in source coordinates. */
export function checkGeometry(g: unknown): Check {
  if (g === null || g === undefined) return { ok: false, code: 'E_GEOMETRY_EMPTY', why: 'feature has no geometry' };
  // A parser that could not decode one feature's geometry (a torn GeoPackage blob) hands over the error.
  if (g instanceof EkimaeError) return { ok: false, code: g.code, why: g.message };
  if (typeof g !== 'object' || Array.isArray(g)) return { ok: false, code: 'E_GEOMETRY_INVALID', why: 'geometry is not an object' };
  const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
  const repaired: string[] = [];
  const fail = (why: string, code: ImportIssue['code'] = 'E_GEOMETRY_INVALID'): Check => ({ ok: false, code, why });
  const empty = (): Check => fail(`${String(type)} is empty`, 'E_GEOMETRY_EMPTY');
  const bad = (s: string): Check => fail(s, /non-finite/.test(s) ? 'E_COORD_INVALID' : 'E_GEOMETRY_INVALID');
  switch (type) {
    case 'Point': {
      if (Array.isArray(coordinates) && coordinates.length === 0) return empty();
      if (!isPos(coordinates)) return fail('Point coordinates are not [x, y]');
      if (!finitePos(coordinates)) return fail('Point has a non-finite coordinate (NaN or Infinity)', 'E_COORD_INVALID');
      return { ok: true, geometry: { type: 'Point', coordinates: [coordinates[0], coordinates[1]] }, repaired };
    }
    case 'MultiPoint': {
      if (!Array.isArray(coordinates)) return fail('MultiPoint coordinates are not an array');
      if (coordinates.length === 0) return empty();
      const pts = cleanLine(coordinates, [], 'MultiPoint');
      if (typeof pts === 'string') return bad(pts);
      return { ok: true, geometry: { type: 'MultiPoint', coordinates: pts }, repaired };
    }
    case 'LineString': {
      if (Array.isArray(coordinates) && coordinates.length === 0) return empty();
      const l = cleanLine(coordinates, repaired, 'LineString');
      if (typeof l === 'string') return bad(l);
      if (l.length < 2) return fail('LineString has fewer than 2 distinct vertices');
      return { ok: true, geometry: { type: 'LineString', coordinates: l }, repaired };
    }
    case 'MultiLineString': {
      if (!Array.isArray(coordinates)) return fail('MultiLineString coordinates are not an array');
      if (coordinates.length === 0) return empty();
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
      if (coordinates.length === 0) return empty();
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
      if (coordinates.length === 0) return empty();
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

function reproject(g: Geometry, t: (p: Position) => Position): Geometry {
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

function inLonLatRange(g: Geometry): boolean {
  let ok = true;
  // NaN fails every comparison, so non-finite coordinates are out of range too.
  forEachPosition(g, (x, y) => { if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90)) ok = false; });
  return ok;
}

function chooseCrs(raw: RawLayer, opts: ImportOptions, geoms: Array<Geometry | null>): { crs: CrsInfo; assumed: boolean } {
  const given = opts.crs ?? raw.crs;
  if (given !== undefined && given !== '') {
    try {
      return { crs: resolveCrs(given), assumed: false };
    } catch (e) {
      if (e instanceof EkimaeError) throw new EkimaeError(e.code, `${raw.source.file}: ${e.message}`, { ...e.details, file: raw.source.file });
      throw e;
    }
  }
  // A lon/lat file with a few broken features (latitude 95) is still lon/lat: those are skipped below
  // with a reason. A grid in metres rarely has 99 % of its features inside ±180/±90.
  const sample = geoms.filter((g): g is Geometry => !!g).slice(0, 1000);
  if (!sample.length || sample.filter(inLonLatRange).length >= 0.99 * sample.length) return { crs: resolveCrs(4326), assumed: true };
  throw new EkimaeError('E_CRS_MISSING',
    `${raw.source.file}: the file does not say its coordinate system and its coordinates are not longitude/latitude; give the CRS (e.g. EPSG:32647) in the import options`,
    { file: raw.source.file });
}

function safeFieldNames(raw: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  raw.forEach((name, i) => {
    let base = name.trim().replace(/[\u0000-\u001f]/g, '');
    if (!base) base = `field_${i + 1}`;
    if (base.length > 63) base = base.slice(0, 63);
    let candidate = base;
    let n = 2;
    while (used.has(candidate.toLowerCase()) || RESERVED.has(candidate.toLowerCase())) candidate = `${base}_${n++}`;
    used.add(candidate.toLowerCase());
    out.set(name, candidate);
  });
  return out;
}

function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

function inferType(values: Value[]): FieldType {
  let t: FieldType | null = null;
  for (const v of values) {
    if (v === null) continue;
    const vt: FieldType = typeof v === 'boolean' ? 'BOOLEAN' : typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'INTEGER' : 'REAL') : 'TEXT';
    if (t === null) t = vt;
    else if (t !== vt) {
      if ((t === 'INTEGER' && vt === 'REAL') || (t === 'REAL' && vt === 'INTEGER')) t = 'REAL';
      else return 'TEXT';
    }
  }
  return t ?? 'TEXT';
}

function coerce(v: Value, t: FieldType): Value {
  if (v === null) return null;
  if (t === 'TEXT' && typeof v !== 'string') return String(v);
  return v;
}

/** Turn a parsed source layer into a clean EPSG:4326 layer, or throw a coded error naming the file. */
export function normalizeLayer(raw: RawLayer, opts: ImportOptions = {}): ImportedLayer {
  const file = raw.source.file;
  // Messages name the file, and the layer when it came from a file holding several (GeoPackage tables, KML folders).
  const where = raw.source.sourceLayer ? `${file}, layer ${raw.source.sourceLayer}` : file;
  const issues = new Issues();
  for (const i of raw.issues ?? []) issues.add(i);

  const checked: Array<{ index: number; geometry: Geometry; props: Record<string, unknown>; id: unknown }> = [];
  raw.features.forEach((f, index) => {
    const c = checkGeometry(f.geometry);
    if (!c.ok) { issues.add({ feature: index, code: c.code, message: `${where}, feature ${index + 1}: ${c.why}`, action: 'skipped' }); return; }
    if (c.repaired.length) issues.add({ feature: index, code: 'E_GEOMETRY_REPAIRED', message: `${where}, feature ${index + 1}: ${c.repaired.join('; ')}`, action: 'repaired' });
    checked.push({ index, geometry: c.geometry, props: f.properties ?? {}, id: f.id });
  });

  const { crs, assumed } = chooseCrs(raw, opts, checked.map((c) => c.geometry));
  const t = toWgs84(crs);
  const projected: typeof checked = [];
  for (const c of checked) {
    let g: Geometry;
    try { g = crs.epsg === 4326 ? c.geometry : reproject(c.geometry, t); } catch (e) {
      issues.add({ feature: c.index, code: 'E_COORD_INVALID', message: `${where}, feature ${c.index + 1}: cannot reproject (${(e as Error).message})`, action: 'skipped' });
      continue;
    }
    if (!inLonLatRange(g)) {
      issues.add({ feature: c.index, code: 'E_COORD_INVALID', message: `${where}, feature ${c.index + 1}: coordinates fall outside longitude −180…180 / latitude −90…90 in ${crs.id}`, action: 'skipped' });
      continue;
    }
    c.geometry = g;
    projected.push(c);
  }

  // One geometry family per table.
  const byFamily = new Map<GeometryFamily, number>();
  for (const c of projected) { const fam = familyOf(c.geometry.type); byFamily.set(fam, (byFamily.get(fam) ?? 0) + 1); }
  let kept = projected;
  if (byFamily.size > 1) {
    const counts = Object.fromEntries(byFamily);
    if (!opts.geometryFamily) {
      throw new EkimaeError('E_GEOMETRY_MIXED',
        `${where}: the layer mixes ${[...byFamily].map(([f, n]) => `${n} ${f}`).join(', ')} features; import it once per geometry family (option geometryFamily)`,
        { file, counts });
    }
    kept = [];
    for (const c of projected) {
      if (familyOf(c.geometry.type) === opts.geometryFamily) kept.push(c);
      else issues.add({ feature: c.index, code: 'E_GEOMETRY_MIXED', message: `${where}, feature ${c.index + 1}: ${c.geometry.type} left out (importing ${opts.geometryFamily} features only)`, action: 'skipped' });
    }
  }
  if (!kept.length) {
    const summary = [...issues.counts].map(([k, n]) => `${n}× ${k}`).join(', ');
    throw new EkimaeError('E_NO_FEATURES', `${where}: no usable features${summary ? ` (${summary})` : ''}`, { file, issues: issues.list.slice(0, 20) });
  }

  // Flag (never drop) self-intersecting polygons: they still carry area and attributes.
  for (const c of kept) {
    if (c.geometry.type !== 'Polygon' && c.geometry.type !== 'MultiPolygon') continue;
    const hit = findSelfIntersection(c.geometry);
    if (hit) issues.add({ feature: c.index, code: 'E_GEOMETRY_INVALID', message: `${where}, feature ${c.index + 1}: ${hit}; kept as is, areas may be wrong until it is fixed`, action: 'flagged' });
  }

  const types = new Set<GeometryTypeName>(kept.map((c) => c.geometry.type));
  const geometryType = layerTypeFor(types);
  const multi = geometryType.startsWith('MULTI');

  // Fields: declared order first, then any extra property names in order of appearance.
  const names: string[] = raw.fields ? raw.fields.map((f) => f.name) : [];
  const seen = new Set(names);
  const ids = new Map<string, number>();
  let anyId = false;
  for (const c of kept) {
    for (const k of Object.keys(c.props)) if (!seen.has(k)) { seen.add(k); names.push(k); }
    if (c.id !== undefined && c.id !== null) {
      anyId = true;
      const key = String(c.id);
      const prev = ids.get(key);
      if (prev !== undefined) issues.add({ feature: c.index, code: 'E_DUPLICATE_ID', message: `${where}, feature ${c.index + 1}: id ${key.slice(0, 40)} is also used by feature ${prev + 1}; both kept`, action: 'flagged' });
      else ids.set(key, c.index);
    }
  }
  const idField = anyId && !seen.has('id') ? 'id' : anyId ? 'source_id' : null;
  if (idField) names.push(idField);
  const rename = safeFieldNames(names);
  const features: Feature[] = kept.map((c) => {
    const props: Properties = {};
    for (const [k, v] of Object.entries(c.props)) {
      let val = toValue(v);
      if (typeof val === 'string' && val.length > MAX_VALUE_BYTES / 4 && Buffer.byteLength(val) > MAX_VALUE_BYTES) {
        issues.add({ feature: c.index, code: 'E_VALUE_TOO_LARGE', message: `${where}, feature ${c.index + 1}: value of "${k.slice(0, 40)}" is ${Buffer.byteLength(val)} bytes (limit ${MAX_VALUE_BYTES}); stored as empty`, action: 'repaired' });
        val = null;
      }
      props[rename.get(k)!] = val;
    }
    if (idField) props[rename.get(idField)!] = toValue(c.id);
    return { geometry: multi ? toMulti(c.geometry) : c.geometry, properties: props };
  });
  const declared = new Map((raw.fields ?? []).map((f) => [f.name, f.type]));
  const fields: FieldDef[] = names.map((n) => {
    const name = rename.get(n)!;
    const type = declared.get(n) ?? inferType(features.map((f) => f.properties[name] ?? null));
    return { name, type };
  });
  for (const f of features) for (const fd of fields) f.properties[fd.name] = coerce(f.properties[fd.name] ?? null, fd.type);
  for (const [src, dst] of rename) {
    if (src !== dst) issues.add({ code: 'E_FIELD_RENAMED', message: `${where}: field "${src.slice(0, 60)}" stored as "${dst}"`, action: 'repaired' });
  }
  if (assumed) issues.add({ code: 'E_CRS_MISSING', message: `${where}: no CRS declared; coordinates fit longitude/latitude so EPSG:4326 was assumed`, action: 'flagged' });

  const overflow = [...issues.counts.values()].reduce((a, b) => a + b, 0) - issues.list.length;
  if (overflow > 0) issues.list.push({ code: 'E_INPUT_INVALID', message: `${where}: ${overflow} more issues not listed`, action: 'flagged' });

  return {
    name: raw.name,
    geometryType,
    fields,
    features,
    source: { ...raw.source, crs: assumed ? 'EPSG:4326 (assumed)' : crs.id === 'CUSTOM' ? crs.name : crs.id },
    read: raw.features.length,
    issues: issues.list,
  };
}
