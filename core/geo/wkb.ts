/**
 * ISO WKB and the GeoPackage binary geometry header (GPKG 1.3 §2.1.3).
 * Written by hand because it is small, hot on import/export, and must match GDAL byte for byte
 * in what it accepts: little- and big-endian, ISO and EWKB-style Z/M flags (Z/M dropped).
 */
import { EkimaeError } from '../errors.js';
import { bboxOf, type BBox, type Geometry, type Position } from './geometry.js';

const TYPE_CODES: Record<Geometry['type'], number> = {
  Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6,
};

class Writer {
  buf: Buffer;
  off = 0;
  constructor(size: number) { this.buf = Buffer.allocUnsafe(size); }
  u8(v: number) { this.buf[this.off++] = v; }
  u32(v: number) { this.buf.writeUInt32LE(v, this.off); this.off += 4; }
  i32(v: number) { this.buf.writeInt32LE(v, this.off); this.off += 4; }
  f64(v: number) { this.buf.writeDoubleLE(v, this.off); this.off += 8; }
}

function wkbSize(g: Geometry): number {
  const ring = (r: Position[]) => 4 + 16 * r.length;
  switch (g.type) {
    case 'Point': return 5 + 16;
    case 'LineString': return 5 + ring(g.coordinates);
    case 'Polygon': return 5 + 4 + g.coordinates.reduce((s, r) => s + ring(r), 0);
    case 'MultiPoint': return 5 + 4 + g.coordinates.length * 21;
    case 'MultiLineString': return 5 + 4 + g.coordinates.reduce((s, r) => s + 5 + ring(r), 0);
    case 'MultiPolygon':
      return 5 + 4 + g.coordinates.reduce((s, p) => s + 9 + p.reduce((t, r) => t + ring(r), 0), 0);
  }
}

function writeWkb(w: Writer, g: Geometry): void {
  w.u8(1);
  w.u32(TYPE_CODES[g.type]);
  const pts = (r: Position[]) => { w.u32(r.length); for (const p of r) { w.f64(p[0]); w.f64(p[1]); } };
  switch (g.type) {
    case 'Point': w.f64(g.coordinates[0]); w.f64(g.coordinates[1]); return;
    case 'LineString': pts(g.coordinates); return;
    case 'Polygon': w.u32(g.coordinates.length); g.coordinates.forEach(pts); return;
    case 'MultiPoint':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) writeWkb(w, { type: 'Point', coordinates: p });
      return;
    case 'MultiLineString':
      w.u32(g.coordinates.length);
      for (const l of g.coordinates) writeWkb(w, { type: 'LineString', coordinates: l });
      return;
    case 'MultiPolygon':
      w.u32(g.coordinates.length);
      for (const p of g.coordinates) writeWkb(w, { type: 'Polygon', coordinates: p });
  }
}

export function encodeWkb(g: Geometry): Buffer {
  const w = new Writer(wkbSize(g));
  writeWkb(w, g);
  return w.buf;
}

/** GeoPackage geometry blob: header with srs id and (except for points) an [minx,maxx,miny,maxy] envelope. */
export function encodeGpkg(g: Geometry, srsId = 4326, box?: BBox): Buffer {
  const withEnv = g.type !== 'Point';
  const headerLen = 8 + (withEnv ? 32 : 0);
  const w = new Writer(headerLen + wkbSize(g));
  w.u8(0x47); w.u8(0x50); w.u8(0);
  w.u8((withEnv ? 1 << 1 : 0) | 1); // envelope indicator 1 (xy), little-endian
  w.i32(srsId);
  if (withEnv) {
    const b = box ?? bboxOf(g);
    w.f64(b[0]); w.f64(b[2]); w.f64(b[1]); w.f64(b[3]);
  }
  writeWkb(w, g);
  return w.buf;
}

class Reader {
  off = 0;
  le = true;
  constructor(private buf: Uint8Array, private view: DataView) {}
  need(n: number) {
    if (this.off + n > this.buf.length) throw new EkimaeError('E_GEOMETRY_INVALID', 'WKB is truncated');
  }
  u8() { this.need(1); return this.buf[this.off++]; }
  u32() { this.need(4); const v = this.view.getUint32(this.off, this.le); this.off += 4; return v; }
  f64() { this.need(8); const v = this.view.getFloat64(this.off, this.le); this.off += 8; return v; }
}

const MAX_PARTS = 50_000_000;

/**
 * A WKB type word read both ways it is written: PostGIS EWKB flags (Z 0x80000000, M 0x40000000, SRID
 * 0x20000000) and ISO thousands (1000 Z, 2000 M, 3000 ZM). Shared with the typed-array layer reader.
 */
export function wkbKind(word: number): { type: number; dims: number; hasSrid: boolean } {
  let dims = 2;
  if (word & 0x80000000) dims++;
  if (word & 0x40000000) dims++;
  const hasSrid = (word & 0x20000000) !== 0;
  let type = word & 0x0fffffff;
  if (type >= 1000) { const t = Math.floor(type / 1000); dims = t === 3 ? 4 : 3; type %= 1000; }
  return { type, dims, hasSrid };
}

function readWkb(r: Reader, depth = 0): Geometry | null {
  if (depth > 2) throw new EkimaeError('E_GEOMETRY_INVALID', 'WKB nests too deep');
  const order = r.u8();
  if (order > 1) throw new EkimaeError('E_GEOMETRY_INVALID', `bad WKB byte order ${order}`);
  r.le = order === 1;
  const { type, dims, hasSrid } = wkbKind(r.u32());
  if (hasSrid) r.u32();
  const pos = (): Position => {
    const x = r.f64(); const y = r.f64();
    for (let i = 2; i < dims; i++) r.f64();
    return [x, y];
  };
  const count = () => {
    const n = r.u32();
    if (n > MAX_PARTS) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB count ${n} is implausible`);
    return n;
  };
  const seq = () => { const n = count(); const out: Position[] = new Array(n); for (let i = 0; i < n; i++) out[i] = pos(); return out; };
  const sub = <T extends Geometry['type']>(want: T) => {
    const g = readWkb(r, depth + 1);
    if (!g || g.type !== want) throw new EkimaeError('E_GEOMETRY_INVALID', `WKB multi part is not a ${want}`);
    return g as Extract<Geometry, { type: T }>;
  };
  switch (type) {
    case 1: {
      const p = pos();
      return Number.isNaN(p[0]) && Number.isNaN(p[1]) ? null : { type: 'Point', coordinates: p };
    }
    case 2: return { type: 'LineString', coordinates: seq() };
    case 3: { const n = count(); const rings: Position[][] = []; for (let i = 0; i < n; i++) rings.push(seq()); return { type: 'Polygon', coordinates: rings }; }
    case 4: { const n = count(); const c: Position[] = []; for (let i = 0; i < n; i++) { const p = readWkb(r, depth + 1); if (p && p.type === 'Point') c.push(p.coordinates); } return { type: 'MultiPoint', coordinates: c }; }
    case 5: { const n = count(); const c: Position[][] = []; for (let i = 0; i < n; i++) c.push(sub('LineString').coordinates); return { type: 'MultiLineString', coordinates: c }; }
    case 6: { const n = count(); const c: Position[][][] = []; for (let i = 0; i < n; i++) c.push(sub('Polygon').coordinates); return { type: 'MultiPolygon', coordinates: c }; }
    case 7: throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', 'GeometryCollection is not supported in a layer');
    default: throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `WKB geometry type ${type} (curves, TINs, …) is not supported`);
  }
}

export function decodeWkb(bytes: Uint8Array): Geometry | null {
  const r = new Reader(bytes, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return readWkb(r);
}

export interface GpkgHeader { srsId: number; empty: boolean; envelope: number[] | null; wkbOffset: number }

export function readGpkgHeader(bytes: Uint8Array): GpkgHeader {
  if (bytes.length < 8 || bytes[0] !== 0x47 || bytes[1] !== 0x50) {
    throw new EkimaeError('E_GEOMETRY_INVALID', 'not a GeoPackage geometry blob (no GP magic)');
  }
  const flags = bytes[3];
  const le = (flags & 1) === 1;
  const envInd = (flags >> 1) & 7;
  const empty = ((flags >> 4) & 1) === 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const srsId = view.getInt32(4, le);
  const envLen = [0, 4, 6, 6, 8][envInd];
  if (envLen === undefined) throw new EkimaeError('E_GEOMETRY_INVALID', `bad GeoPackage envelope indicator ${envInd}`);
  if (bytes.length < 8 + envLen * 8) throw new EkimaeError('E_GEOMETRY_INVALID', 'GeoPackage geometry header is truncated');
  const envelope = envLen ? Array.from({ length: envLen }, (_, i) => view.getFloat64(8 + i * 8, le)) : null;
  return { srsId, empty, envelope, wkbOffset: 8 + envLen * 8 };
}

export function decodeGpkg(bytes: Uint8Array): Geometry | null {
  const h = readGpkgHeader(bytes);
  if (h.empty) return null;
  return decodeWkb(bytes.subarray(h.wkbOffset));
}

/** Envelope [minx,maxx,miny,maxy] of a GPKG blob: from its header when present, else from the WKB. */
export function gpkgEnvelope(bytes: Uint8Array): [number, number, number, number] | null {
  const h = readGpkgHeader(bytes);
  if (h.empty) return null;
  if (h.envelope) return [h.envelope[0], h.envelope[1], h.envelope[2], h.envelope[3]];
  const g = decodeWkb(bytes.subarray(h.wkbOffset));
  if (!g) return null;
  const b = bboxOf(g);
  return [b[0], b[2], b[1], b[3]];
}
