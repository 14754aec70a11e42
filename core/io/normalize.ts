/**
 * The one gate every importer passes its raw features through: geometry checked and safely
 * repaired (or skipped with a reason), reprojected to EPSG:4326, geometry types unified,
 * field names made safe and field types inferred. Nothing is dropped without an issue saying why.
 */
import { EkimaeError } from '../errors.js';
import { resolveCrs, toWgs84, type CrsInfo } from '../geo/crs.js';
import {
  familyOf, layerTypeFor, toMulti, type Geometry, type GeometryFamily, type GeometryTypeName, type LayerGeometryType, type Position,
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
  role?: ImportedLayer['role'];
  note?: string;
}

export const MAX_VALUE_BYTES = 1 << 20;
/** SQLite's default SQLITE_MAX_COLUMN (2000) less the fid and geom columns. */
export const MAX_FIELDS = 1998;
const MAX_ISSUES = 1000;
// fid and geom are the table's own columns; __proto__ cannot be a plain object's key (assigning it
// changes the object's prototype, and the value would be lost).
const RESERVED = new Set(['fid', 'geom', '__proto__']);

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

// NaN fails every comparison, so non-finite coordinates are out of range too.
function posInRange(p: Position): boolean {
  return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90;
}

function lineInRange(l: Position[]): boolean {
  for (let i = 0; i < l.length; i++) if (!posInRange(l[i])) return false;
  return true;
}

/** Loops rather than forEachPosition with a callback: this runs twice per feature of a streamed import. */
function inLonLatRange(g: Geometry): boolean {
  switch (g.type) {
    case 'Point': return posInRange(g.coordinates);
    case 'LineString': case 'MultiPoint': return lineInRange(g.coordinates);
    case 'Polygon': case 'MultiLineString': return g.coordinates.every(lineInRange);
    case 'MultiPolygon': return g.coordinates.every((p) => p.every(lineInRange));
  }
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

function coerce(v: Value, t: FieldType): Value {
  if (v === null) return null;
  if (t === 'TEXT' && typeof v !== 'string') return String(v);
  return v;
}


/**
 * Issues are reported grouped by the step that found them, in this order, whatever order a
 * streamed layer finds them in (one pass over a stream interleaves checking and reprojection).
 */
const PHASES = ['check', 'project', 'mixed', 'selfx', 'dupid', 'value', 'layer'] as const;
type Phase = (typeof PHASES)[number];

class Bucket {
  list: ImportIssue[] = [];
  counts = new Map<string, number>();
  add(i: ImportIssue) {
    const k = `${i.code}:${i.action}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (this.list.length < MAX_ISSUES) this.list.push(i);
  }
}

/** Issues of one layer: every one counted, the first MAX_ISSUES (in phase order) listed. */
export class LayerIssues {
  private buckets = new Map<Phase, Bucket>(PHASES.map((p) => [p, new Bucket()]));
  add(phase: Phase, i: ImportIssue): void { this.buckets.get(phase)!.add(i); }
  /** Take over issues gathered aside (per geometry family) once the layer's decisions are known. */
  absorb(phase: Phase, b: Bucket): void {
    const mine = this.buckets.get(phase)!;
    for (const [k, n] of b.counts) mine.counts.set(k, (mine.counts.get(k) ?? 0) + n);
    for (const i of b.list) if (mine.list.length < MAX_ISSUES) mine.list.push(i);
  }
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of this.buckets.values()) for (const [k, n] of b.counts) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  }
  list(): ImportIssue[] {
    const out: ImportIssue[] = [];
    for (const b of this.buckets.values()) for (const i of b.list) if (out.length < MAX_ISSUES) out.push(i);
    return out;
  }
}

/** What normalize needs of a layer besides its features (a RawLayer, or the head of a streamed file). */
export type LayerHead = Omit<RawLayer, 'features'>;

/** The decisions taken over a whole layer; every feature is then normalized with them fixed. */
export interface LayerPlan {
  head: LayerHead;
  where: string;
  crs: CrsInfo;
  assumed: boolean;
  toWgs84: (p: Position) => Position;
  family: GeometryFamily;
  geometryType: LayerGeometryType;
  multi: boolean;
  fields: FieldDef[];
  rename: Map<string, string>;
  /** Stored name of the column holding the source feature ids, if any feature had one. */
  idColumn: string | null;
  /** Features read / features that will be written. */
  read: number;
  kept: number;
  issues: LayerIssues;
}

function chooseCrs(head: LayerHead, opts: ImportOptions, sample: Geometry[]): { crs: CrsInfo; assumed: boolean } {
  const given = opts.crs ?? head.crs;
  if (given !== undefined && given !== '') {
    try {
      return { crs: resolveCrs(given), assumed: false };
    } catch (e) {
      if (e instanceof EkimaeError) throw new EkimaeError(e.code, `${head.source.file}: ${e.message}`, { ...e.details, file: head.source.file });
      throw e;
    }
  }
  // A lon/lat file with a few broken features (latitude 95) is still lon/lat: those are skipped
  // with a reason. A grid in metres rarely has 99 % of its first 1000 features inside ±180/±90.
  if (!sample.length || sample.filter(inLonLatRange).length >= 0.99 * sample.length) return { crs: resolveCrs(4326), assumed: true };
  throw new EkimaeError('E_CRS_MISSING',
    `${head.source.file}: the file does not say its coordinate system and its coordinates are not longitude/latitude; give the CRS (e.g. EPSG:32647) in the import options`,
    { file: head.source.file });
}

const CRS_SAMPLE = 1000;

/** Merge one more value into a field's inferred type: integers and reals make REAL, anything else mixed makes TEXT. */
function mergeType(t: FieldType | null, v: Value): FieldType | null {
  if (v === null) return t;
  const vt: FieldType = typeof v === 'boolean' ? 'BOOLEAN' : typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'INTEGER' : 'REAL') : 'TEXT';
  if (t === null || t === vt) return vt;
  return (t === 'INTEGER' && vt === 'REAL') || (t === 'REAL' && vt === 'INTEGER') ? 'REAL' : 'TEXT';
}

function tooLarge(v: Value): v is string {
  return typeof v === 'string' && v.length > MAX_VALUE_BYTES / 4 && Buffer.byteLength(v) > MAX_VALUE_BYTES;
}

/**
 * What one geometry family's features would make of the layer. Kept per family because which
 * family is kept (geometryFamily option) is only known once every feature has been seen.
 */
interface FamilyTally {
  count: number;
  types: Set<GeometryTypeName>;
  names: string[];
  seen: Set<string>;
  types_: Map<string, FieldType | null>;
  idType: FieldType | null;
  anyId: boolean;
  ids: Map<string, number>;
  dups: Bucket;
  leftOut: Bucket;
}

interface Checked { index: number; geometry: Geometry; props: Record<string, unknown>; id: unknown }

/**
 * Pass 1 over a layer's features, one at a time, keeping none of them: decides the CRS, the
 * geometry type, the fields and their types, and finds duplicate ids. `onKept` hears each feature
 * that survives checking and reprojection (the in-memory path keeps those geometries).
 */
export class LayerSurvey {
  private issues = new LayerIssues();
  private read = 0;
  private pending: Checked[] | null = [];
  private crs: { crs: CrsInfo; assumed: boolean; t: (p: Position) => Position } | null = null;
  private decisionError: unknown = null;
  private tallies = new Map<GeometryFamily, FamilyTally>();
  private where: string;

  constructor(private head: LayerHead, private opts: ImportOptions = {}, private onKept?: (index: number, g: Geometry) => void) {
    this.where = head.source.sourceLayer ? `${head.source.file}, layer ${head.source.sourceLayer}` : head.source.file;
    for (const i of head.issues ?? []) this.issues.add('check', i);
    const given = opts.crs ?? head.crs;
    if (given !== undefined && given !== '') this.decide();
  }

  add(f: RawFeature): void {
    const index = this.read++;
    const c = checkGeometry(f.geometry);
    if (!c.ok) { this.issues.add('check', { feature: index, code: c.code, message: `${this.where}, feature ${index + 1}: ${c.why}`, action: 'skipped' }); return; }
    if (c.repaired.length) this.issues.add('check', { feature: index, code: 'E_GEOMETRY_REPAIRED', message: `${this.where}, feature ${index + 1}: ${c.repaired.join('; ')}`, action: 'repaired' });
    const item: Checked = { index, geometry: c.geometry, props: f.properties ?? {}, id: f.id };
    if (this.pending) {
      this.pending.push(item);
      if (this.pending.length >= CRS_SAMPLE) this.decide();
    } else this.project(item);
  }

  /** Fix the CRS (from the options, the file, or the first features) and reproject what waited for it. */
  private decide(): void {
    const waiting = this.pending ?? [];
    this.pending = null;
    try {
      const { crs, assumed } = chooseCrs(this.head, this.opts, waiting.map((c) => c.geometry));
      this.crs = { crs, assumed, t: toWgs84(crs) };
    } catch (e) {
      // Thrown by finish(): a parser still reading the file reports a broken feature first, as before.
      this.decisionError = e;
      return;
    }
    for (const c of waiting) this.project(c);
  }

  private project(c: Checked): void {
    if (!this.crs) return;
    const g = projectChecked(c, this.crs.crs, this.crs.t, this.where, this.issues);
    if (!g) return;
    const fam = familyOf(g.type);
    let t = this.tallies.get(fam);
    if (!t) {
      t = { count: 0, types: new Set(), names: [], seen: new Set(), types_: new Map(), idType: null, anyId: false, ids: new Map(), dups: new Bucket(), leftOut: new Bucket() };
      this.tallies.set(fam, t);
    }
    t.count++;
    t.types.add(g.type);
    for (const k of Object.keys(c.props)) {
      if (!t.seen.has(k)) { t.seen.add(k); t.names.push(k); }
      const v = toValue(c.props[k]);
      t.types_.set(k, mergeType(t.types_.get(k) ?? null, tooLarge(v) ? null : v));
    }
    if (c.id !== undefined && c.id !== null) {
      t.anyId = true;
      const key = String(c.id);
      const prev = t.ids.get(key);
      // Not the id itself: issues are stored as provenance, and an id can be a national ID number.
      if (prev !== undefined) t.dups.add({ feature: c.index, code: 'E_DUPLICATE_ID', message: `${this.where}, feature ${c.index + 1}: its id is also used by feature ${prev + 1}; both kept`, action: 'flagged' });
      else t.ids.set(key, c.index);
    }
    t.idType = mergeType(t.idType, toValue(c.id));
    if (this.opts.geometryFamily && fam !== this.opts.geometryFamily) {
      t.leftOut.add({ feature: c.index, code: 'E_GEOMETRY_MIXED', message: `${this.where}, feature ${c.index + 1}: ${g.type} left out (importing ${this.opts.geometryFamily} features only)`, action: 'skipped' });
    }
    this.onKept?.(c.index, g);
  }

  /** The layer's decisions; throws the coded error the whole layer deserves (CRS, mixed families, nothing usable). */
  finish(): LayerPlan {
    if (this.pending) this.decide();
    if (this.decisionError) throw this.decisionError;
    const { where, issues, opts } = this;
    const file = this.head.source.file;
    let family: GeometryFamily | null = null;
    if (this.tallies.size > 1) {
      if (!opts.geometryFamily) {
        throw new EkimaeError('E_GEOMETRY_MIXED',
          `${where}: the layer mixes ${[...this.tallies].map(([f, t]) => `${t.count} ${f}`).join(', ')} features; import it once per geometry family (option geometryFamily)`,
          { file, counts: Object.fromEntries([...this.tallies].map(([f, t]) => [f, t.count])) });
      }
      family = opts.geometryFamily;
      const out = new Bucket();
      const left = [...this.tallies].filter(([f]) => f !== family).flatMap(([, t]) => t.leftOut.list).sort((a, b) => a.feature! - b.feature!);
      for (const i of left) out.add(i);
      const total = [...this.tallies].filter(([f]) => f !== family).reduce((n, [, t]) => n + t.count, 0);
      if (total > out.list.length) out.counts.set('E_GEOMETRY_MIXED:skipped', total);
      issues.absorb('mixed', out);
    } else if (this.tallies.size === 1) family = [...this.tallies.keys()][0];
    const t = family ? this.tallies.get(family) : undefined;
    if (!t || !t.count) {
      const summary = [...issues.counts()].map(([k, n]) => `${n}× ${k}`).join(', ');
      throw new EkimaeError('E_NO_FEATURES', `${where}: no usable features${summary ? ` (${summary})` : ''}`, { file, issues: issues.list().slice(0, 20) });
    }
    issues.absorb('dupid', t.dups);

    const geometryType = layerTypeFor(t.types);
    // Fields: declared order first, then any extra property names in order of appearance.
    const names: string[] = this.head.fields ? this.head.fields.map((f) => f.name) : [];
    const declared = new Map((this.head.fields ?? []).map((f) => [f.name, f.type]));
    for (const n of t.names) if (!declared.has(n)) names.push(n);
    const idField = t.anyId && !declared.has('id') && !t.seen.has('id') ? 'id' : t.anyId ? 'source_id' : null;
    if (idField) names.push(idField);
    // A GeoPackage table holds at most SQLITE_MAX_COLUMN (2000) columns, fid and geom included: say so
    // before any table is created, rather than failing inside SQLite.
    if (names.length > MAX_FIELDS) {
      throw new EkimaeError('E_TOO_MANY_FIELDS', `${where}: the layer has ${names.length} fields; a GeoPackage table holds at most ${MAX_FIELDS} besides fid and geom. Remove the columns you do not need and import it again`, { file, fields: names.length, limit: MAX_FIELDS });
    }
    const rename = safeFieldNames(names);
    // The id is written after the properties, so a property of the same name holds the id.
    const fields: FieldDef[] = names.map((n) => ({
      name: rename.get(n)!,
      type: declared.get(n) ?? (n === idField ? t.idType : t.types_.get(n) ?? null) ?? 'TEXT',
    }));
    const plan: LayerPlan = {
      head: this.head, where, crs: this.crs!.crs, assumed: this.crs!.assumed, toWgs84: this.crs!.t, family: family!, geometryType,
      multi: geometryType.startsWith('MULTI'), fields, rename, idColumn: idField ? rename.get(idField)! : null, read: this.read, kept: t.count, issues,
    };
    for (const [src, dst] of rename) {
      if (src !== dst) issues.add('layer', { code: 'E_FIELD_RENAMED', message: `${where}: field "${src.slice(0, 60)}" stored as "${dst}"`, action: 'repaired' });
    }
    if (plan.assumed) issues.add('layer', { code: 'E_CRS_MISSING', message: `${where}: no CRS declared; coordinates fit longitude/latitude so EPSG:4326 was assumed`, action: 'flagged' });
    return plan;
  }
}

function projectChecked(c: Checked, crs: CrsInfo, t: (p: Position) => Position, where: string, issues: LayerIssues | null): Geometry | null {
  let g: Geometry;
  try { g = crs.epsg === 4326 ? c.geometry : reproject(c.geometry, t); } catch (e) {
    issues?.add('project', { feature: c.index, code: 'E_COORD_INVALID', message: `${where}, feature ${c.index + 1}: cannot reproject (${(e as Error).message})`, action: 'skipped' });
    return null;
  }
  if (!inLonLatRange(g)) {
    issues?.add('project', { feature: c.index, code: 'E_COORD_INVALID', message: `${where}, feature ${c.index + 1}: coordinates fall outside longitude −180…180 / latitude −90…90 in ${crs.id}`, action: 'skipped' });
    return null;
  }
  return g;
}

/** Pass 2: the feature's geometry in EPSG:4326 if the plan keeps it (its issues were reported by pass 1). */
export function keptGeometry(plan: LayerPlan, f: RawFeature, index: number): Geometry | null {
  const c = checkGeometry(f.geometry);
  if (!c.ok) return null;
  const g = projectChecked({ index, geometry: c.geometry, props: {}, id: undefined }, plan.crs, plan.toWgs84, plan.where, null);
  return g && familyOf(g.type) === plan.family ? g : null;
}

/** Pass 2: one kept feature as stored, with its geometry already from keptGeometry. */
export function buildFeature(plan: LayerPlan, f: RawFeature, index: number, geometry: Geometry): Feature {
  const { where, issues, rename } = plan;
  // Flag (never drop) self-intersecting polygons: they still carry area and attributes.
  if (geometry.type === 'Polygon' || geometry.type === 'MultiPolygon') {
    const hit = findSelfIntersection(geometry);
    if (hit) issues.add('selfx', { feature: index, code: 'E_GEOMETRY_INVALID', message: `${where}, feature ${index + 1}: ${hit}; kept as is, areas may be wrong until it is fixed`, action: 'flagged' });
  }
  // No prototype: a field named constructor or toString that a feature lacks must read as missing,
  // not as Object.prototype's function (which failed the whole import).
  const props: Properties = Object.create(null);
  for (const [k, v] of Object.entries(f.properties ?? {})) {
    let val = toValue(v);
    if (tooLarge(val)) {
      issues.add('value', { feature: index, code: 'E_VALUE_TOO_LARGE', message: `${where}, feature ${index + 1}: value of "${k.slice(0, 40)}" is ${Buffer.byteLength(val)} bytes (limit ${MAX_VALUE_BYTES}); stored as empty`, action: 'repaired' });
      val = null;
    }
    props[rename.get(k)!] = val;
  }
  if (plan.idColumn) props[plan.idColumn] = toValue(f.id);
  for (const fd of plan.fields) props[fd.name] = coerce(props[fd.name] ?? null, fd.type);
  return { geometry: plan.multi ? toMulti(geometry) : geometry, properties: props };
}

/** The issue list as reported, with a last line counting those not listed. */
export function planIssues(plan: LayerPlan): ImportIssue[] {
  const list = plan.issues.list();
  const overflow = [...plan.issues.counts().values()].reduce((a, b) => a + b, 0) - list.length;
  if (overflow > 0) list.push({ code: 'E_INPUT_INVALID', message: `${plan.where}: ${overflow} more issues not listed`, action: 'flagged' });
  return list;
}

export function layerSource(plan: LayerPlan): SourceInfo {
  const { crs, assumed } = plan;
  return { ...plan.head.source, crs: assumed ? 'EPSG:4326 (assumed)' : crs.id === 'CUSTOM' ? crs.name : crs.id };
}

/** Turn a parsed source layer into a clean EPSG:4326 layer, or throw a coded error naming the file. */
export function normalizeLayer(raw: RawLayer, opts: ImportOptions = {}): ImportedLayer {
  const geoms: Array<Geometry | undefined> = new Array(raw.features.length);
  const survey = new LayerSurvey(raw, opts, (i, g) => { geoms[i] = g; });
  for (const f of raw.features) survey.add(f);
  const plan = survey.finish();
  const features: Feature[] = [];
  raw.features.forEach((f, i) => {
    const g = geoms[i];
    if (g && familyOf(g.type) === plan.family) features.push(buildFeature(plan, f, i, g));
  });
  const out: ImportedLayer = { name: raw.name, geometryType: plan.geometryType, fields: plan.fields, features, source: layerSource(plan), read: plan.read, issues: planIssues(plan) };
  if (raw.role) out.role = raw.role;
  if (raw.note) out.note = raw.note;
  return out;
}
