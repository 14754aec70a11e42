/**
 * A feature table read as columns of typed arrays: geometry as packed coordinates with offsets, the
 * requested attributes as one typed array each, decoded straight from the GeoPackage rows without a
 * GeoJSON object per feature, ring or vertex. At a million parcels the object reader spent about a
 * quarter of the analysis in garbage collection; this reader allocates a few growing buffers.
 *
 * Same answers as readFeatures (gpkg.ts), feature by feature: fid order, coordinates as stored with
 * Z/M dropped, a NaN point read as no geometry, the same coded errors for damaged blobs, and
 * valueAt() gives exactly the value readFeatures puts in `properties` (tests/core/store/layer-arrays).
 */
import type Database from 'better-sqlite3';
import { EkimaeError } from '../errors.js';
import type { FieldType, Value } from '../io/types.js';
import { readGpkgHeader } from '../geo/wkb.js';
import { getFeatureTable, primaryKeyOf, q, type DB, type FeatureTableInfo } from './gpkg.js';
import type { Project } from './project.js';

/**
 * Geometry of every feature, in layer (fid) order. A Point is one part of one ring of one vertex, a
 * LineString one part of one ring, a Polygon one part whose ring 0 is the outer ring and the rest
 * its holes; Multi* geometries have one part per member. A feature without geometry has no part.
 */
export interface PackedGeometry {
  /** Per feature: 0 no geometry (NULL, empty, NaN point), else the WKB type code 1..6 (Point..MultiPolygon). */
  types: Uint8Array;
  /** x, y of every vertex (lon/lat as stored). */
  coords: Float64Array;
  /** First vertex of each ring, plus the end (rings + 1 entries). */
  ringStart: Uint32Array;
  /** First ring of each part, plus the end. */
  partStart: Uint32Array;
  /** First part of each feature, plus the end (count + 1 entries). */
  featureStart: Uint32Array;
}

export type ColumnArray =
  /** NaN where NULL (SQLite stores no NaN: a NaN written becomes NULL). */
  | { kind: 'number'; values: Float64Array }
  /** BOOLEAN columns: 0 false, 1 true, 255 NULL. */
  | { kind: 'boolean'; values: Uint8Array }
  /** Index into `dictionary`, -1 where NULL. */
  | { kind: 'text'; codes: Int32Array; dictionary: string[] }
  /** A column holding numbers and text side by side (SQLite allows it): one value per feature. */
  | { kind: 'mixed'; values: Value[] };

export interface LayerArrays {
  count: number;
  /** Feature ids in fid order. */
  fids: Float64Array;
  /** Null when read with `geometry: false`. */
  geometry: PackedGeometry | null;
  columns: Record<string, ColumnArray>;
}

export interface LayerArraysOptions {
  /** Attribute columns to read (default none). */
  fields?: string[];
  /** Decode the geometry (default true). */
  geometry?: boolean;
  /**
   * Sees every row as SQLite returned it (fid, geometry blob when read, then the fields in the order
   * asked), before it is decoded: for a digest of the layer taken in the same pass.
   */
  onRow?: (row: unknown[]) => void;
  /** Only the rows whose field equals this value (a result layer holding several runs: one run's rows). */
  where?: { field: string; equals: number | string };
}

export { valueAt } from './column-values.js';

class F64 {
  n = 0;
  a = new Float64Array(1024);
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Float64Array { return this.a.slice(0, this.n); }
}

class U32 {
  n = 0;
  a = new Uint32Array(1024);
  push(v: number): void {
    if (this.n === this.a.length) { const b = new Uint32Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): Uint32Array { return this.a.slice(0, this.n); }
}

const MAX_PARTS = 50_000_000;
/** Rows per chunk read (a few MB of blobs for polygons). */
const CHUNK = 8192;
/** Doubles in the GeoPackage header's envelope, by envelope indicator (GPKG 1.3 §2.1.3.1.1). */
const ENVELOPE_DOUBLES: Array<number | undefined> = [0, 4, 6, 6, 8];

/** Decodes GPKG blobs into the packed arrays, as core/geo/wkb.ts decodes them into objects. */
class GeometryPacker {
  types = new Uint8Array(1024);
  coords = new F64();
  ringStart = new U32();
  partStart = new U32();
  featureStart = new U32();
  private n = 0;
  private buf!: Uint8Array;
  private view!: DataView;
  private off = 0;
  private end = 0;
  private le = true;

  /** A feature whose geometry is NULL or not a blob: no geometry. */
  addNone(): void {
    if (this.n === this.types.length) { const b = new Uint8Array(this.types.length * 2); b.set(this.types); this.types = b; }
    this.featureStart.push(this.partStart.n);
    this.types[this.n++] = 0;
  }

  /**
   * A feature whose blob is bytes [start, end) of `buf` (`view` spans all of `buf`): many rows' blobs
   * arrive as one buffer, so no Buffer or DataView is made per row.
   */
  add(buf: Uint8Array, view: DataView, start: number, end: number): void {
    if (this.n === this.types.length) { const b = new Uint8Array(this.types.length * 2); b.set(this.types); this.types = b; }
    const i = this.n++;
    this.featureStart.push(this.partStart.n);
    this.types[i] = 0;
    const len = end - start;
    // The header as readGpkgHeader reads it (same checks and errors), without building its envelope array.
    if (len < 8 || buf[start] !== 0x47 || buf[start + 1] !== 0x50) readGpkgHeader(buf.subarray(start, end));
    const flags = buf[start + 3];
    const envLen = ENVELOPE_DOUBLES[(flags >> 1) & 7];
    if (envLen === undefined || len < 8 + envLen * 8) readGpkgHeader(buf.subarray(start, end));
    if ((flags >> 4) & 1) return;
    this.buf = buf;
    this.view = view;
    this.end = end;
    this.off = start + 8 + envLen! * 8;
    // Parts, rings and vertices written so far, to undo a NaN point (read as no geometry).
    const parts = this.partStart.n, rings = this.ringStart.n, xy = this.coords.n;
    const type = this.geometry(0);
    if (type === 0) { this.partStart.n = parts; this.ringStart.n = rings; this.coords.n = xy; }
    this.types[i] = type;
  }

  finish(count: number): PackedGeometry {
    this.featureStart.push(this.partStart.n);
    this.partStart.push(this.ringStart.n);
    this.ringStart.push(this.coords.n / 2);
    return { types: this.types.slice(0, count), coords: this.coords.done(), ringStart: this.ringStart.done(), partStart: this.partStart.done(), featureStart: this.featureStart.done() };
  }

  private need(n: number): void {
    if (this.off + n > this.end) throw new EkimaeError('E_GEOMETRY_INVALID', 'WKB is truncated');
  }
  private u32(): number { this.need(4); const v = this.view.getUint32(this.off, this.le); this.off += 4; return v; }
  private count(): number {
    const n = this.u32();
    if (n > MAX_PARTS) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB count ${n} is implausible`);
    return n;
  }
  private ring(dims: number): void {
    const n = this.count();
    this.ringStart.push(this.coords.n / 2);
    for (let k = 0; k < n; k++) {
      this.need(dims * 8);
      this.coords.push(this.view.getFloat64(this.off, this.le));
      this.coords.push(this.view.getFloat64(this.off + 8, this.le));
      this.off += dims * 8;
    }
  }

  /** One WKB geometry at `off`; returns its type code, 0 for a NaN point (no geometry). */
  private geometry(depth: number): number {
    if (depth > 2) throw new EkimaeError('E_GEOMETRY_INVALID', 'WKB nests too deep');
    this.need(1);
    const order = this.buf[this.off++];
    if (order > 1) throw new EkimaeError('E_GEOMETRY_INVALID', `bad WKB byte order ${order}`);
    this.le = order === 1;
    // wkbKind (core/geo/wkb.ts) inlined: no object per geometry.
    const word = this.u32();
    let dims = 2;
    if (word & 0x80000000) dims++;
    if (word & 0x40000000) dims++;
    let type = word & 0x0fffffff;
    if (type >= 1000) { const t = Math.floor(type / 1000); dims = t === 3 ? 4 : 3; type %= 1000; }
    if (word & 0x20000000) this.u32();
    switch (type) {
      case 1: {
        this.need(dims * 8);
        const x = this.view.getFloat64(this.off, this.le), y = this.view.getFloat64(this.off + 8, this.le);
        this.off += dims * 8;
        if (Number.isNaN(x) && Number.isNaN(y)) return 0;
        this.partStart.push(this.ringStart.n);
        this.ringStart.push(this.coords.n / 2);
        this.coords.push(x); this.coords.push(y);
        return 1;
      }
      case 2: this.partStart.push(this.ringStart.n); this.ring(dims); return 2;
      case 3: {
        this.partStart.push(this.ringStart.n);
        const n = this.count();
        for (let k = 0; k < n; k++) this.ring(dims);
        return 3;
      }
      case 4: {
        // A NaN member point is left out, as decodeWkb leaves it out of the MultiPoint.
        const n = this.count();
        for (let k = 0; k < n; k++) {
          const parts = this.partStart.n, rings = this.ringStart.n, xy = this.coords.n;
          if (this.geometry(depth + 1) !== 1) { this.partStart.n = parts; this.ringStart.n = rings; this.coords.n = xy; }
        }
        return 4;
      }
      case 5: case 6: {
        const want = type === 5 ? 2 : 3;
        const n = this.count();
        for (let k = 0; k < n; k++) {
          if (this.geometry(depth + 1) !== want) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB multi part is not a ${want === 2 ? 'LineString' : 'Polygon'}`);
        }
        return type;
      }
      case 7: throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', 'GeometryCollection is not supported in a layer');
      default: throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `WKB geometry type ${type} (curves, TINs, …) is not supported`);
    }
  }
}

/**
 * One attribute column, typed by what it holds: numbers (and NULLs) in a Float64Array, text in
 * dictionary codes; a column mixing both turns into plain values. BOOLEAN columns read as readFeatures
 * reads them (1 is true, anything else false).
 */
class ColumnBuilder {
  private kind: 'none' | 'number' | 'text' | 'mixed' = 'none';
  private nums: Float64Array;
  private codes: Int32Array;
  private dict = new Map<string, number>();
  private words: string[] = [];
  private mixed: Value[] = [];
  private n = 0;

  constructor(private type: FieldType, capacity: number) {
    this.nums = new Float64Array(capacity);
    this.codes = new Int32Array(0);
  }

  add(v: unknown): void {
    const i = this.n++;
    if (i === this.nums.length && this.kind !== 'text' && this.kind !== 'mixed') { const b = new Float64Array(this.nums.length * 2 || 1024); b.set(this.nums); this.nums = b; }
    if (this.type === 'BOOLEAN') { this.nums[i] = v === null || v === undefined ? 255 : v === 1 || v === 1n || v === true ? 1 : 0; return; }
    if (v === null || v === undefined) { this.put(i, null); return; }
    if (typeof v === 'bigint') v = Number(v);
    else if (v instanceof Uint8Array) v = Buffer.from(v).toString('base64');
    this.put(i, v as Value);
  }

  private put(i: number, v: Value): void {
    if (this.kind === 'mixed') { this.mixed.push(v); return; }
    if (v === null) {
      if (this.kind === 'text') this.code(i, -1); else this.nums[i] = NaN;
      return;
    }
    if (typeof v === 'number' && this.kind !== 'text') { this.kind = 'number'; this.nums[i] = v; return; }
    if (typeof v === 'string' && this.kind !== 'number') {
      if (this.kind === 'none') this.toText(i);
      let c = this.dict.get(v);
      if (c === undefined) { c = this.words.length; this.words.push(v); this.dict.set(v, c); }
      this.code(i, c);
      return;
    }
    // Numbers and text in one column (or a boolean value, which SQLite never returns).
    this.toMixed(i);
    this.mixed.push(v);
  }

  private code(i: number, c: number): void {
    if (i === this.codes.length) { const b = new Int32Array(this.codes.length * 2 || 1024); b.set(this.codes); this.codes = b; }
    this.codes[i] = c;
  }

  /** The first text value at row i: every row before it was NULL. */
  private toText(i: number): void {
    this.kind = 'text';
    this.codes = new Int32Array(Math.max(1024, this.nums.length)).fill(-1);
    this.nums = new Float64Array(0);
  }

  private toMixed(i: number): void {
    const out: Value[] = new Array(i);
    for (let k = 0; k < i; k++) out[k] = this.kind === 'text' ? (this.codes[k] < 0 ? null : this.words[this.codes[k]]) : (this.nums[k] !== this.nums[k] ? null : this.nums[k]);
    this.kind = 'mixed';
    this.mixed = out;
    this.nums = new Float64Array(0);
    this.codes = new Int32Array(0);
  }

  done(): ColumnArray {
    if (this.type === 'BOOLEAN') return { kind: 'boolean', values: Uint8Array.from(this.nums.subarray(0, this.n)) };
    if (this.kind === 'mixed') return { kind: 'mixed', values: this.mixed };
    if (this.kind === 'text') return { kind: 'text', codes: this.codes.slice(0, this.n), dictionary: this.words };
    return { kind: 'number', values: this.nums.slice(0, this.n) };
  }
}

const EMPTY = new Uint8Array(0);

/**
 * The chunk's blobs end to end. SQLite refuses a value over its length limit (1 GB): chunks of very
 * large geometries are then fetched row by row and joined here.
 */
function chunkBlobs(db: DB, concat: Database.Statement, perRowSql: string, args: unknown[]): Uint8Array {
  try {
    return (concat.get(...args) as Uint8Array | null) ?? EMPTY;
  } catch (e) {
    if ((e as { code?: string }).code !== 'SQLITE_TOOBIG') throw e;
    return Buffer.concat(db.prepare(perRowSql).pluck().all(...args) as Uint8Array[]);
  }
}

/** Whether `pk` is the rowid or a table's only key column of type INTEGER (unique and not NULL). */
function uniqueKey(db: DB, table: string, pk: string): boolean {
  const keys = (db.prepare(`PRAGMA table_info(${q(table)})`).all() as Array<{ name: string; type: string; pk: number }>).filter((c) => c.pk > 0);
  if (!keys.length) return pk === 'rowid';
  return keys.length === 1 && keys[0].name === pk && keys[0].type.toUpperCase() === 'INTEGER';
}

/** Read a feature table of any GeoPackage connection as typed arrays. */
export function readLayerArraysDb(db: DB, info: FeatureTableInfo, opts: LayerArraysOptions = {}): LayerArrays {
  const wantGeom = opts.geometry !== false;
  const fields = (opts.fields ?? []).map((name) => {
    const f = info.fields.find((x) => x.name === name);
    if (!f) throw new EkimaeError('E_FIELD_NOT_FOUND', `layer "${info.table}" has no field "${name}"`, { layer: info.table, field: name });
    return f;
  });
  const pk = primaryKeyOf(db, info.table);
  const cols = [q(pk), ...(wantGeom ? [q(info.geometryColumn)] : []), ...fields.map((f) => q(f.name))];
  const w = opts.where;
  if (w && !info.fields.some((x) => x.name === w.field)) throw new EkimaeError('E_FIELD_NOT_FOUND', `layer "${info.table}" has no field "${w.field}"`, { layer: info.table, field: w.field });
  const fids = new F64();
  const geom = wantGeom ? new GeometryPacker() : null;
  const builders = fields.map((f) => new ColumnBuilder(f.type, 1024));
  const onRow = opts.onRow;
  // Rows are read a chunk at a time in primary-key order (`pk > last`, so gaps in the keys do not
  // matter): the attribute rows with .all(), and the chunk's geometry blobs concatenated by SQLite
  // into one blob, cut here by their lengths. One Buffer per chunk instead of one per row was a
  // third of the CPU of reading a 600k-line network (layer-arrays.bench.ts). SQLite returns a
  // concatenated blob as text; CAST to BLOB gives its bytes unchanged.
  const P = q(pk), G = wantGeom ? q(info.geometryColumn) : '';
  const filter = w ? ` AND ${q(w.field)} = ?` : '';
  // `pk > last` reads every row once only when the key is unique and never NULL (an INTEGER PRIMARY
  // KEY, as GeoPackage requires, or the rowid); any other key is read in one chunk.
  const chunk = uniqueKey(db, info.table, pk) ? CHUNK : -1;
  const from = (first: boolean) => `FROM ${q(info.table)} WHERE ${first ? '1' : `${P} > ?`}${filter} ORDER BY ${P} LIMIT ${chunk}`;
  // Per row: the key, then the blob's length when the geometry is a blob, NULL when NULL, -1 for text
  // or a number where a blob belongs (no geometry; onRow is handed the value itself, fetched apart).
  const rowCols = [P, ...(wantGeom ? [`CASE typeof(${G}) WHEN 'blob' THEN length(${G}) WHEN 'null' THEN NULL ELSE -1 END`] : []), ...cols.slice(wantGeom ? 2 : 1)];
  const rowSql = (first: boolean) => `SELECT ${rowCols.join(', ')} ${from(first)}`;
  const blobSql = (first: boolean) => `SELECT CAST(group_concat(${G}, X'' ORDER BY ${P}) AS BLOB) FROM (SELECT ${P}, ${G} ${from(first)}) WHERE typeof(${G}) = 'blob'`;
  const perRowSql = (first: boolean) => `SELECT ${G} FROM (SELECT ${P}, ${G} ${from(first)}) WHERE typeof(${G}) = 'blob' ORDER BY ${P}`;
  const stmts = [true, false].map((first) => ({
    rows: db.prepare(rowSql(first)).raw(true),
    blobs: wantGeom ? db.prepare(blobSql(first)).pluck() : null,
  }));
  const first = wantGeom ? 2 : 1;
  let last: unknown = null;
  // The chunks (two statements each) are read in one read transaction: the same snapshot for every
  // chunk, as the single statement before gave, so a write from another connection cannot fall
  // between a chunk's rows and its blobs.
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    for (;;) {
      const s = stmts[last === null ? 0 : 1];
      const args = [...(last === null ? [] : [last]), ...(w ? [w.equals] : [])];
      const rows = s.rows.all(...args) as unknown[][];
      if (!rows.length) break;
      const blob = s.blobs ? chunkBlobs(db, s.blobs, perRowSql(last === null), args) : EMPTY;
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      let off = 0;
      for (let r = 0; r < rows.length; r++) {
        const x = rows[r];
        fids.push(Number(x[0]));
        let start = -1, end = -1;
        if (geom) {
          const len = x[1];
          if (typeof len === 'number' && len >= 0) { start = off; end = off += len; geom.add(blob, view, start, end); } else geom.addNone();
        }
        for (let k = 0; k < builders.length; k++) builders[k].add(x[first + k]);
        if (onRow) {
          // The row as `SELECT pk, geom, fields…` returns it.
          const row: unknown[] = new Array(cols.length);
          row[0] = x[0];
          if (geom) row[1] = start >= 0 ? blob.subarray(start, end) : x[1] === null ? null : db.prepare(`SELECT ${G} FROM ${q(info.table)} WHERE ${P} = ?`).pluck().get(x[0]);
          for (let k = 0; k < builders.length; k++) row[(geom ? 2 : 1) + k] = x[first + k];
          onRow(row);
        }
      }
      last = rows[rows.length - 1][0];
      if (chunk < 0 || rows.length < chunk) break;
    }
  } finally {
    if (own && db.inTransaction) db.exec('COMMIT');
  }
  const columns: Record<string, ColumnArray> = {};
  fields.forEach((f, k) => {
    const c = builders[k].done();
    if (f.name === '__proto__') Object.defineProperty(columns, f.name, { value: c, enumerable: true, writable: true, configurable: true });
    else columns[f.name] = c;
  });
  return { count: fids.n, fids: fids.done(), geometry: geom ? geom.finish(fids.n) : null, columns };
}

/** Read a project layer as typed arrays (through the connection its other reads use). */
export function readLayerArrays(project: Project, layer: string, opts: LayerArraysOptions = {}): LayerArrays {
  const info = getFeatureTable(project.database, layer);
  if (!info) { project.layer(layer); throw new EkimaeError('E_LAYER_NOT_FOUND', `no layer "${layer}"`, { layer }); }
  return readLayerArraysDb(project.database, info, opts);
}

/** What changes when a layer is replaced, re-imported or has rows added or removed (no row count: that scans the table). */
function layerStamp(db: DB, layer: string): string {
  const c = db.prepare('SELECT last_change FROM gpkg_contents WHERE table_name = ?').pluck().get(layer);
  const max = db.prepare(`SELECT max(rowid) FROM ${q(layer)}`).pluck().get();
  const prov = db.prepare('SELECT count(*) FROM ekimae_provenance WHERE table_name = ?').pluck().get(layer);
  return JSON.stringify([c, max, prov]);
}

const memo = new WeakMap<DB, Map<string, { stamp: string; fields: Set<string>; arrays: LayerArrays }>>();

/**
 * Mapped meanings no engine reads from the shared arrays: the parcel's identifier (engines key parcels
 * by fid) and its owner's name (a personal field: an analysis has no use for it in memory). Both are
 * unique per parcel, so their text dictionaries were the costliest columns of the read (a million
 * strings each at metropolitan scale). A caller that needs one names it in `fields`.
 */
const NOT_ANALYSED = new Set(['parcel_id', 'owner_name']);

/**
 * readLayerArrays with geometry, kept per connection until the layer changes, so the engines of one
 * analysis (catchment inputs, parcel preparation, land values) read a million parcels once. It reads
 * the fields the layer maps to a meaning an engine uses as well as those asked for, since those are
 * what the next engine asks for.
 */
export function layerArraysShared(project: Project, layer: string, fields: string[]): LayerArrays {
  const db = project.database;
  let m = memo.get(db);
  if (!m) { m = new Map(); memo.set(db, m); }
  const stamp = layerStamp(db, layer);
  const hit = m.get(layer);
  if (hit && hit.stamp === stamp && fields.every((f) => hit.fields.has(f))) return hit.arrays;
  const info = project.layer(layer);
  const have = new Set(info.fields.map((f) => f.name));
  const mapped = Object.entries(info.fieldMap).filter(([meaning, f]) => !NOT_ANALYSED.has(meaning) && have.has(f)).map(([, f]) => f);
  const want = new Set([...fields, ...mapped]);
  const arrays = readLayerArrays(project, layer, { fields: [...want] });
  m.set(layer, { stamp, fields: want, arrays });
  return arrays;
}
