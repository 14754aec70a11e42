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
 * The decoding is the store's typed-array reader (layer-arrays.ts); this module shapes it for the wire.
 */
import { EkimaeError } from '../errors.js';
import type { DB, FeatureTableInfo } from './gpkg.js';
import { readLayerArraysDb, valueAt, type ColumnArray } from './layer-arrays.js';

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

/** A column for the wire: a column holding numbers and text side by side goes as text (its values as strings). */
function wireColumn(c: ColumnArray, n: number): ColumnData {
  if (c.kind !== 'mixed') return c;
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = valueAt(c, i);
    if (v === null) { codes[i] = -1; continue; }
    const s = String(v);
    let k = index.get(s);
    if (k === undefined) { k = dictionary.length; dictionary.push(s); index.set(s, k); }
    codes[i] = k;
  }
  return { kind: 'text', codes, dictionary };
}

/**
 * Read `fields` (names of the table's fields, in the order given) and, with `geometry`, the polygons
 * or lines (by the layer's declared type). A point layer is refused (E_GEOMETRY_UNSUPPORTED): the map
 * draws those from GeoJSON; so is a feature whose geometry is not of the layer's family.
 */
export function readLayerColumns(db: DB, info: FeatureTableInfo, opts: { fields: readonly string[]; geometry: boolean; where?: { field: string; equals: number | string } }): LayerColumns {
  const family = /POLYGON/i.test(info.geometryType) ? 'polygon' : /LINE/i.test(info.geometryType) ? 'line' : null;
  if (opts.geometry && !family) throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `layer "${info.table}" holds ${info.geometryType} features; layers.columns carries polygon and line layers`, { layer: info.table });
  const a = readLayerArraysDb(db, info, { fields: [...opts.fields], geometry: opts.geometry, ...(opts.where ? { where: opts.where } : {}) });
  const n = a.count;
  const fids = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const fid = a.fids[i];
    if (!Number.isInteger(fid) || fid < -0x80000000 || fid > 0x7fffffff) {
      throw new EkimaeError('E_INPUT_INVALID', `layer "${info.table}" has feature id ${fid}, beyond the 32-bit ids the map uses`, { layer: info.table, fid });
    }
    fids[i] = fid;
  }
  let geometry: PolygonColumns | null = null;
  if (a.geometry) {
    // WKB codes: 2 LineString, 3 Polygon, 5 MultiLineString, 6 MultiPolygon; 0 = no geometry.
    const single = family === 'polygon' ? 3 : 2;
    const g = a.geometry;
    for (let i = 0; i < n; i++) {
      const t = g.types[i];
      if (t !== 0 && t !== single && t !== single + 3) {
        throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `feature ${fids[i]} of layer "${info.table}" (${info.geometryType}) is not a ${family}`, { layer: info.table, fid: fids[i] });
      }
    }
    geometry = offsets(g.coords, g.ringStart, g.partStart, g.featureStart);
  }
  const columns: Record<string, ColumnData> = {};
  for (const name of opts.fields) {
    // A field named "__proto__" would set the object's prototype instead of a key.
    Object.defineProperty(columns, name, { value: wireColumn(a.columns[name], n), enumerable: true, writable: true, configurable: true });
  }
  return { count: n, fids, geometry, columns };
}

function offsets(xy: Float64Array, ringStarts: Uint32Array, partStarts: Uint32Array, featureStarts: Uint32Array): PolygonColumns {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < xy.length; i += 2) {
    const x = xy[i], y = xy[i + 1];
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const origin: [number, number] = xy.length ? [(minX + maxX) / 2, (minY + maxY) / 2] : [0, 0];
  const coords = new Float32Array(xy.length);
  for (let i = 0; i < xy.length; i += 2) {
    coords[i] = xy[i] - origin[0];
    coords[i + 1] = xy[i + 1] - origin[1];
  }
  return { origin, coords, ringStarts, partStarts, featureStarts };
}
