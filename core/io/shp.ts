/**
 * The .shp / .shx geometry files (ESRI Shapefile Technical Description, 1998): big-endian file and
 * record headers, little-endian shape content. Z and M variants are read as 2D.
 * Polygons: the format has no polygon grouping; rings are sorted by orientation (outer rings
 * clockwise, holes counter-clockwise) and each hole goes to the smallest outer ring holding it.
 * Geometry leaves here in RFC 7946 orientation (outer counter-clockwise).
 */
import { EkimaeError } from '../errors.js';
import type { Geometry, LayerGeometryType, Position } from '../geo/geometry.js';

export const SHAPE = { NULL: 0, POINT: 1, POLYLINE: 3, POLYGON: 5, MULTIPOINT: 8, MULTIPATCH: 31 } as const;
const NAMES: Record<number, string> = { 0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 31: 'MultiPatch' };

/** 11/13/15/18 (Z) and 21/23/25/28 (M) share the 2D layout of their base type up to the Z/M arrays. */
export function baseType(t: number): number | null {
  if (t === 0) return 0;
  const b = t > 20 && t < 30 ? t - 20 : t > 10 && t < 20 ? t - 10 : t;
  return b === 1 || b === 3 || b === 5 || b === 8 || t === 31 ? b : null;
}

export function shapeName(t: number): string {
  const b = baseType(t);
  return b === null ? `unknown type ${t}` : NAMES[b] + (t > 20 && t < 30 ? 'M' : t > 10 && t < 20 ? 'Z' : '');
}

export interface ShpHeader {
  shapeType: number;
  /** Bytes of the file the header claims, clamped to what is present. */
  length: number;
}

function checkMagic(b: Uint8Array, file: string, what: string): DataView {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 100 || dv.getInt32(0, false) !== 9994) {
    throw new EkimaeError('E_FORMAT_INVALID', `${file}: the ${what} is not a shapefile part (no 100-byte header with file code 9994)`, { file });
  }
  return dv;
}

export function readShpHeader(shp: Uint8Array, file: string): ShpHeader {
  const dv = checkMagic(shp, file, '.shp');
  const shapeType = dv.getInt32(32, true);
  const base = baseType(shapeType);
  if (base === null) throw new EkimaeError('E_FORMAT_INVALID', `${file}: the .shp header declares shape type ${shapeType}, which does not exist`, { file });
  if (base === SHAPE.MULTIPATCH) throw new EkimaeError('E_GEOMETRY_UNSUPPORTED', `${file}: MultiPatch (3D surface) shapefiles are not planning layers; convert to polygons first`, { file });
  return { shapeType, length: Math.min(shp.length, dv.getInt32(24, false) * 2) };
}

export interface ShpEntry {
  offset: number;
  length: number;
}

/** Record positions from the .shx index. */
export function readShx(shx: Uint8Array, file: string): ShpEntry[] {
  const dv = checkMagic(shx, file, '.shx');
  const n = Math.floor((shx.length - 100) / 8);
  const out: ShpEntry[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = { offset: dv.getInt32(100 + 8 * i, false) * 2, length: dv.getInt32(104 + 8 * i, false) * 2 };
  return out;
}

/**
 * Rebuild the index by walking records head to tail. Only accepted when every record header is
 * consistent (numbers 1, 2, 3…, lengths landing exactly on the end of the file, known shape types);
 * anything else means the walk cannot be trusted, and the .shx is needed.
 */
export function walkShp(shp: Uint8Array, header: ShpHeader, file: string): ShpEntry[] {
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const out: ShpEntry[] = [];
  let pos = 100;
  const fail = (why: string) => new EkimaeError('E_SHP_PART_MISSING',
    `${file}: the .shx index is missing and the .shp cannot be read without it (${why}); add the .shx file`, { file, part: 'shx' });
  while (pos < header.length) {
    if (pos + 12 > header.length) throw fail(`${header.length - pos} stray bytes at the end`);
    const num = dv.getInt32(pos, false);
    const len = dv.getInt32(pos + 4, false) * 2;
    const type = dv.getInt32(pos + 8, true);
    if (num !== out.length + 1) throw fail(`record ${out.length + 1} is numbered ${num} at byte ${pos}`);
    if (len < 4 || pos + 8 + len > header.length) throw fail(`record ${num} claims ${len} bytes at byte ${pos}`);
    if (type !== 0 && baseType(type) === null) throw fail(`record ${num} has shape type ${type}`);
    out.push({ offset: pos, length: len });
    pos += 8 + len;
  }
  return out;
}

export type ShapeResult = { geometry: Geometry | null } | { error: string };

/** Signed area (shoelace): positive for counter-clockwise rings in a y-up frame. */
export function signedArea(r: Position[]): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s / 2;
}

/** 1 inside, -1 outside, 0 on the boundary. */
function pointInRing(x: number, y: number, r: Position[]): number {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i], [xj, yj] = r[j];
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return 0;
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** Whether ring `inner` lies in ring `outer`, judged by its first vertex not on `outer`'s boundary. */
function ringInRing(inner: Position[], outer: Position[]): boolean {
  for (const p of inner) {
    const s = pointInRing(p[0], p[1], outer);
    if (s !== 0) return s > 0;
  }
  return true;
}

function oriented(r: Position[], ccw: boolean, inPlace = false): Position[] {
  if ((signedArea(r) > 0) === ccw) return r;
  return inPlace ? r.reverse() : r.slice().reverse();
}

/** Group shapefile rings into polygons (see the module comment). The rings are reused, not copied. */
export function assemblePolygon(rings: Position[][]): Geometry {
  if (rings.length <= 1) return { type: 'Polygon', coordinates: rings.map((r) => oriented(r, true, true)) };
  const areas = rings.map(signedArea);
  let isOuter = areas.map((a) => a <= 0);
  // A writer that ignored orientation (every ring counter-clockwise): fall back to nesting depth.
  if (!isOuter.some(Boolean) && rings.length > 1) {
    const order = rings.map((_, i) => i).sort((a, b) => Math.abs(areas[b]) - Math.abs(areas[a]));
    const depth = new Array<number>(rings.length).fill(0);
    order.forEach((i, k) => {
      for (let m = k - 1; m >= 0; m--) {
        const j = order[m];
        if (ringInRing(rings[i], rings[j])) { depth[i] = depth[j] + 1; break; }
      }
    });
    isOuter = depth.map((d) => d % 2 === 0);
  } else if (!isOuter.some(Boolean)) isOuter = [true];
  const outers = rings.map((_, i) => i).filter((i) => isOuter[i]);
  const polys = new Map<number, Position[][]>(outers.map((i) => [i, [oriented(rings[i], true, true)]]));
  const orphans: number[] = [];
  rings.forEach((r, i) => {
    if (isOuter[i]) return;
    let best = -1;
    for (const o of outers) {
      if ((best < 0 || Math.abs(areas[o]) < Math.abs(areas[best])) && ringInRing(r, rings[o])) best = o;
    }
    if (best < 0) orphans.push(i);
    else polys.get(best)!.push(oriented(r, false, true));
  });
  // A hole in no outer ring is more likely a mis-wound outer ring than something to drop.
  for (const i of orphans) polys.set(i, [oriented(rings[i], true, true)]);
  const list = [...polys.keys()].sort((a, b) => a - b).map((k) => polys.get(k)!);
  return list.length === 1 ? { type: 'Polygon', coordinates: list[0] } : { type: 'MultiPolygon', coordinates: list };
}

/** Decode one record's content (the bytes after its 8-byte record header). */
export function readShape(shp: Uint8Array, offset: number, length: number): ShapeResult {
  if (length < 4) return { error: `content of ${length} bytes is too short for a shape type` };
  const dv = new DataView(shp.buffer, shp.byteOffset + offset, length);
  const type = dv.getInt32(0, true);
  const base = baseType(type);
  if (base === null) return { error: `shape type ${type} does not exist` };
  if (base === SHAPE.NULL) return { geometry: null };
  if (base === SHAPE.MULTIPATCH) return { error: 'MultiPatch (3D surface) records are not supported' };
  const pt = (at: number): Position => [dv.getFloat64(at, true), dv.getFloat64(at + 8, true)];
  if (base === SHAPE.POINT) {
    if (length < 20) return { error: `a ${shapeName(type)} needs 20 bytes, the record has ${length}` };
    return { geometry: { type: 'Point', coordinates: pt(4) } };
  }
  if (base === SHAPE.MULTIPOINT) {
    if (length < 40) return { error: `a ${shapeName(type)} needs at least 40 bytes, the record has ${length}` };
    const n = dv.getInt32(36, true);
    if (n < 0 || 40 + 16 * n > length) return { error: `${n} points do not fit in ${length} bytes` };
    const pts: Position[] = [];
    for (let i = 0; i < n; i++) pts.push(pt(40 + 16 * i));
    return { geometry: { type: 'MultiPoint', coordinates: pts } };
  }
  if (length < 44) return { error: `a ${shapeName(type)} needs at least 44 bytes, the record has ${length}` };
  const nParts = dv.getInt32(36, true);
  const nPoints = dv.getInt32(40, true);
  if (nParts < 0 || nPoints < 0 || 44 + 4 * nParts + 16 * nPoints > length) {
    return { error: `${nParts} parts and ${nPoints} points do not fit in ${length} bytes` };
  }
  const starts: number[] = [];
  for (let k = 0; k < nParts; k++) starts.push(dv.getInt32(44 + 4 * k, true));
  for (let k = 0; k < nParts; k++) {
    if (starts[k] < 0 || starts[k] > nPoints || (k > 0 && starts[k] < starts[k - 1]) || (k === 0 && starts[0] !== 0)) {
      return { error: `part ${k + 1} starts at point ${starts[k]}, outside 0…${nPoints}` };
    }
  }
  const base0 = 44 + 4 * nParts;
  const parts: Position[][] = starts.map((s, k) => {
    const e = k + 1 < nParts ? starts[k + 1] : nPoints;
    const ring: Position[] = [];
    for (let i = s; i < e; i++) ring.push(pt(base0 + 16 * i));
    return ring;
  });
  if (base === SHAPE.POLYLINE) {
    return { geometry: parts.length === 1 ? { type: 'LineString', coordinates: parts[0] } : { type: 'MultiLineString', coordinates: parts } };
  }
  return { geometry: assemblePolygon(parts.filter((r) => r.length > 0)) };
}

export function shapeTypeFor(t: LayerGeometryType): number {
  switch (t) {
    case 'POINT': return SHAPE.POINT;
    case 'MULTIPOINT': return SHAPE.MULTIPOINT;
    case 'LINESTRING': case 'MULTILINESTRING': return SHAPE.POLYLINE;
    case 'POLYGON': case 'MULTIPOLYGON': return SHAPE.POLYGON;
  }
}

/** Points and parts of one geometry in shapefile order (outer rings clockwise, holes counter-clockwise). */
function partsOf(g: Geometry): Position[][] {
  switch (g.type) {
    case 'Point': return [[g.coordinates]];
    case 'MultiPoint': return [g.coordinates];
    case 'LineString': return [g.coordinates];
    case 'MultiLineString': return g.coordinates;
    case 'Polygon': return g.coordinates.map((r, i) => oriented(r, i > 0));
    case 'MultiPolygon': return g.coordinates.flatMap((p) => p.map((r, i) => oriented(r, i > 0)));
  }
}

function contentLength(type: number, parts: Position[][] | null): number {
  if (!parts) return 4;
  const n = parts.reduce((a, p) => a + p.length, 0);
  if (type === SHAPE.POINT) return 20;
  if (type === SHAPE.MULTIPOINT) return 40 + 16 * n;
  return 44 + 4 * parts.length + 16 * n;
}

export interface ShpWritten {
  shp: Uint8Array;
  shx: Uint8Array;
  bbox: [number, number, number, number];
}

/** Write .shp and .shx for one layer; null geometries become Null shapes. */
export function writeShp(geometries: Array<Geometry | null>, layerType: LayerGeometryType): ShpWritten {
  const type = shapeTypeFor(layerType);
  const all = geometries.map((g) => (g ? partsOf(g) : null));
  const lengths = all.map((p) => contentLength(type, p));
  const total = 100 + lengths.reduce((a, l) => a + 8 + l, 0);
  if (total > 2 ** 31 - 2) throw new EkimaeError('E_INPUT_INVALID', `the layer's geometry needs ${total} bytes; a .shp holds at most 2 GiB; export it as GeoPackage`);
  const shp = new Uint8Array(total);
  const shx = new Uint8Array(100 + 8 * all.length);
  const s = new DataView(shp.buffer);
  const x = new DataView(shx.buffer);
  const box: ShpWritten['bbox'] = [Infinity, Infinity, -Infinity, -Infinity];
  let pos = 100;
  all.forEach((parts, i) => {
    const len = lengths[i];
    x.setInt32(100 + 8 * i, pos / 2, false);
    x.setInt32(104 + 8 * i, len / 2, false);
    s.setInt32(pos, i + 1, false);
    s.setInt32(pos + 4, len / 2, false);
    const c = pos + 8;
    pos += 8 + len;
    if (!parts) { s.setInt32(c, SHAPE.NULL, true); return; }
    s.setInt32(c, type, true);
    const b = [Infinity, Infinity, -Infinity, -Infinity];
    for (const p of parts) for (const [px, py] of p) {
      if (px < b[0]) b[0] = px;
      if (py < b[1]) b[1] = py;
      if (px > b[2]) b[2] = px;
      if (py > b[3]) b[3] = py;
    }
    for (let k = 0; k < 4; k++) box[k] = k < 2 ? Math.min(box[k], b[k]) : Math.max(box[k], b[k]);
    if (type === SHAPE.POINT) {
      s.setFloat64(c + 4, parts[0][0][0], true);
      s.setFloat64(c + 12, parts[0][0][1], true);
      return;
    }
    b.forEach((v, k) => s.setFloat64(c + 4 + 8 * k, v, true));
    let at = c + 36;
    if (type !== SHAPE.MULTIPOINT) {
      s.setInt32(at, parts.length, true);
      at += 4;
    }
    s.setInt32(at, parts.reduce((a, p) => a + p.length, 0), true);
    at += 4;
    if (type !== SHAPE.MULTIPOINT) {
      let start = 0;
      for (const p of parts) { s.setInt32(at, start, true); at += 4; start += p.length; }
    }
    for (const p of parts) for (const [px, py] of p) { s.setFloat64(at, px, true); s.setFloat64(at + 8, py, true); at += 16; }
  });
  if (!Number.isFinite(box[0])) box.fill(0);
  for (const [dv, len] of [[s, total], [x, shx.length]] as const) {
    dv.setInt32(0, 9994, false);
    dv.setInt32(24, len / 2, false);
    dv.setInt32(28, 1000, true);
    dv.setInt32(32, type, true);
    box.forEach((v, k) => dv.setFloat64(36 + 8 * k, v, true));
  }
  return { shp, shx, bbox: box };
}
