/**
 * A polygon or line layer as columns of typed arrays (for the map: `layers.columns`), read straight
 * from the GeoPackage blobs without building a GeoJSON object per feature, so a 1M-parcel layer (or a
 * 2M-edge walk network) costs a few flat buffers instead of millions of arrays.
 *
 * Coordinates go out as Float32 offsets in degrees from `origin` (the centre of the layer's extent,
 * kept in Float64). A Float32 offset of at most d degrees is within d·2⁻²⁴ of the stored value
 * (half an ulp, relative 2⁻²⁴): 0.2° (a 45 km metropolitan square, half-side) → 1.2e-8° ≈ 1.3 mm,
 * a station area's 0.02° → 0.13 mm. Absolute Float32 lon/lat would be 100.5° → 3.8e-6° ≈ 0.4 m,
 * visibly off at street zoom; Float64 would double the bytes for precision nobody can see.
 * deck.gl draws these offsets directly (COORDINATE_SYSTEM.LNGLAT_OFFSETS with the same origin).
 */
import { EkimaeError } from '../errors.js';
import { readGpkgHeader } from '../geo/wkb.js';
import { primaryKeyOf, q, type DB, type FeatureTableInfo } from './gpkg.js';

export type ColumnData =
  | { kind: 'number'; values: Float64Array }
  /** 0 false, 1 true, 255 null. */
  | { kind: 'boolean'; values: Uint8Array }
  /** Index into dictionary, -1 for null. */
  | { kind: 'text'; codes: Int32Array; dictionary: string[] };

export interface PolygonColumns {
  /** [lon, lat] that every coordinate is an offset from. */
  origin: [number, number];
  /** x,y per vertex: degrees from origin. Rings as stored (GeoPackage rings repeat their first vertex last). */
  coords: Float32Array;
  /** First vertex of each ring, plus the end (rings + 1 entries). */
  ringStarts: Uint32Array;
  /** First ring of each part, plus the end: a polygon's outer ring then its holes, or a line's one ring. */
  partStarts: Uint32Array;
  /** First part of each feature (several for a Multi*, none for an empty geometry), plus the end. */
  featureStarts: Uint32Array;
}

export interface LayerColumns {
  count: number;
  /** Feature ids in fid order. */
  fids: Int32Array;
  geometry: PolygonColumns | null;
  columns: Record<string, ColumnData>;
}

class Grow<T extends Float64Array | Uint32Array> {
  n = 0;
  constructor(public a: T, private make: (n: number) => T) {}
  push(v: number): void {
    if (this.n === this.a.length) { const b = this.make(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  done(): T { return this.a.slice(0, this.n) as T; }
}

const MAX_COUNT = 50_000_000;

/** Appends one GPKG blob's polygons or lines to the builders; returns false for another family (points, or lines in a polygon layer). */
function addParts(blob: Uint8Array, family: 'polygon' | 'line', xy: Grow<Float64Array>, rings: Grow<Uint32Array>, polys: Grow<Uint32Array>): boolean {
  const h = readGpkgHeader(blob);
  if (h.empty) return true;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let off = h.wkbOffset;
  const need = (n: number) => { if (off + n > blob.length) throw new EkimaeError('E_GEOMETRY_INVALID', 'WKB is truncated'); };
  const head = (): { type: number; dims: number; le: boolean } => {
    need(5);
    const order = blob[off];
    if (order > 1) throw new EkimaeError('E_GEOMETRY_INVALID', `bad WKB byte order ${order}`);
    const le = order === 1;
    let type = view.getUint32(off + 1, le);
    off += 5;
    // EWKB flags (PostGIS) and ISO thousands (1000 Z, 2000 M, 3000 ZM), as core/geo/wkb.ts reads them.
    let dims = 2;
    if (type & 0x80000000) dims++;
    if (type & 0x40000000) dims++;
    if (type & 0x20000000) { need(4); off += 4; }
    type &= 0x0fffffff;
    if (type >= 1000) { const t = Math.floor(type / 1000); dims = t === 3 ? 4 : 3; type %= 1000; }
    return { type, dims, le };
  };
  const count = (le: boolean) => {
    need(4);
    const n = view.getUint32(off, le);
    off += 4;
    if (n > MAX_COUNT) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB count ${n} is implausible`);
    return n;
  };
  const ring = (le: boolean, dims: number) => {
    rings.push(xy.n / 2);
    const np = count(le);
    need(np * dims * 8);
    for (let i = 0; i < np; i++) {
      xy.push(view.getFloat64(off, le));
      xy.push(view.getFloat64(off + 8, le));
      off += dims * 8;
    }
  };
  const part = (le: boolean, dims: number) => {
    polys.push(rings.n);
    if (family === 'line') { ring(le, dims); return; }
    const nr = count(le);
    for (let r = 0; r < nr; r++) ring(le, dims);
  };
  const single = family === 'polygon' ? 3 : 2;
  const g = head();
  if (g.type === single) { part(g.le, g.dims); return true; }
  if (g.type !== single + 3) return false;
  const n = count(g.le);
  for (let k = 0; k < n; k++) {
    const p = head();
    if (p.type !== single) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB multi part is not a ${family === 'polygon' ? 'Polygon' : 'LineString'}`);
    part(p.le, p.dims);
  }
  return true;
}

function toColumn(raw: unknown[]): ColumnData {
  let numbers = true;
  let booleans = true;
  for (const v of raw) {
    if (v === null) continue;
    if (typeof v !== 'number') numbers = false;
    if (typeof v !== 'boolean') booleans = false;
  }
  if (numbers && !booleans) return { kind: 'number', values: Float64Array.from(raw, (v) => (v === null ? NaN : (v as number))) };
  if (booleans && !numbers) return { kind: 'boolean', values: Uint8Array.from(raw, (v) => (v === null ? 255 : v ? 1 : 0)) };
  if (numbers && booleans) return { kind: 'number', values: new Float64Array(raw.length).fill(NaN) }; // every value null
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(raw.length);
  raw.forEach((v, i) => {
    if (v === null) { codes[i] = -1; return; }
    const s = String(v);
    let c = index.get(s);
    if (c === undefined) { c = dictionary.length; dictionary.push(s); index.set(s, c); }
    codes[i] = c;
  });
  return { kind: 'text', codes, dictionary };
}

/** The same values as readFeatures gives (gpkg.ts fromSqlValue): booleans, numbers, text, BLOBs as base64. */
function cellValue(v: unknown, type: string): unknown {
  if (v === null || v === undefined) return null;
  if (type === 'BOOLEAN') return v === 1 || v === 1n || v === true;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

/**
 * Read `fields` (names of the table's fields, in the order given) and, with `geometry`, the polygons
 * or lines (by the layer's declared type). A point layer is refused (E_GEOMETRY_UNSUPPORTED): the map
 * draws those from GeoJSON; so is a feature whose geometry is not of the layer's family.
 */
export function readLayerColumns(db: DB, info: FeatureTableInfo, opts: { fields: readonly string[]; geometry: boolean }): LayerColumns {
  const defs = opts.fields.map((name) => {
    const f = info.fields.find((x) => x.name === name);
    if (!f) throw new EkimaeError('E_FIELD_NOT_FOUND', `layer "${info.table}" has no field "${name}"`, { layer: info.table, field: name });
    return f;
  });
  const family = /POLYGON/i.test(info.geometryType) ? 'polygon' : /LINE/i.test(info.geometryType) ? 'line' : null;
  if (opts.geometry && !family) throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `layer "${info.table}" holds ${info.geometryType} features; layers.columns carries polygon and line layers`, { layer: info.table });
  const pk = primaryKeyOf(db, info.table);
  const select = [`${q(pk)}`, opts.geometry ? q(info.geometryColumn) : 'NULL', ...defs.map((f) => q(f.name))].join(', ');
  const stmt = db.prepare(`SELECT ${select} FROM ${q(info.table)} ORDER BY ${q(pk)}`).raw(true);
  const fids = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const xy = new Grow(new Float64Array(8192), (n) => new Float64Array(n));
  const rings = new Grow(new Uint32Array(2048), (n) => new Uint32Array(n));
  const polys = new Grow(new Uint32Array(2048), (n) => new Uint32Array(n));
  const feats = new Grow(new Uint32Array(1024), (n) => new Uint32Array(n));
  const raw: unknown[][] = defs.map(() => []);
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    const fid = Number(row[0]);
    if (!Number.isInteger(fid) || fid < -0x80000000 || fid > 0x7fffffff) {
      throw new EkimaeError('E_INPUT_INVALID', `layer "${info.table}" has feature id ${fid}, beyond the 32-bit ids the map uses`, { layer: info.table, fid });
    }
    fids.push(fid >>> 0);
    for (let k = 0; k < defs.length; k++) raw[k].push(cellValue(row[k + 2], defs[k].type));
    if (!opts.geometry) continue;
    feats.push(polys.n);
    const blob = row[1];
    if (blob instanceof Uint8Array && !addParts(blob, family!, xy, rings, polys)) {
      throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `feature ${fid} of layer "${info.table}" (${info.geometryType}) is not a ${family}`, { layer: info.table, fid });
    }
  }
  const count = fids.n;
  const columns: Record<string, ColumnData> = {};
  defs.forEach((f, k) => {
    // A field named "__proto__" would set the object's prototype instead of a key.
    Object.defineProperty(columns, f.name, { value: toColumn(raw[k]), enumerable: true, writable: true, configurable: true });
  });
  return { count, fids: new Int32Array(fids.done().buffer), geometry: opts.geometry ? packGeometry(xy, rings, polys, feats) : null, columns };
}

function packGeometry(xy: Grow<Float64Array>, rings: Grow<Uint32Array>, polys: Grow<Uint32Array>, feats: Grow<Uint32Array>): PolygonColumns {
  rings.push(xy.n / 2);
  polys.push(rings.n - 1);
  feats.push(polys.n - 1);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const a = xy.a;
  for (let i = 0; i < xy.n; i += 2) {
    const x = a[i], y = a[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const origin: [number, number] = xy.n ? [(minX + maxX) / 2, (minY + maxY) / 2] : [0, 0];
  const coords = new Float32Array(xy.n);
  for (let i = 0; i < xy.n; i += 2) {
    coords[i] = a[i] - origin[0];
    coords[i + 1] = a[i + 1] - origin[1];
  }
  return { origin, coords, ringStarts: rings.done(), partStarts: polys.done(), featureStarts: feats.done() };
}
