/**
 * The one gate every importer passes its raw features through: geometry checked and safely
 * repaired (or skipped with a reason), reprojected to EPSG:4326, geometry types unified,
 * field names made safe and field types inferred. Nothing is dropped without an issue saying why.
 * The per-geometry rules live in geometry-check.ts, the per-value ones in field-values.ts, the issue
 * list in layer-issues.ts; this module takes the layer-wide decisions (CRS, type, fields, ids).
 */
import { EkimaeError } from '../errors.js';
import { resolveCrs, toWgs84, type CrsInfo } from '../geo/crs.js';
import {
  familyOf, layerTypeFor, toMulti, type Geometry, type GeometryFamily, type GeometryTypeName, type LayerGeometryType, type Position,
} from '../geo/geometry.js';
import { findSelfIntersection } from '../geo/validity.js';
import { MAX_FIELDS, MAX_VALUE_BYTES, coerce, mergeType, safeFieldNames, toValue, tooLarge } from './field-values.js';
import { checkGeometry, inLonLatRange, reproject } from './geometry-check.js';
import { Bucket, LayerIssues } from './layer-issues.js';
import type { Feature, FieldDef, FieldType, ImportedLayer, ImportIssue, ImportOptions, Properties, SourceInfo } from './types.js';

// Re-exported: importers and tests reach these through the one gate's module.
export { checkGeometry, LayerIssues, MAX_FIELDS, MAX_VALUE_BYTES };

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
