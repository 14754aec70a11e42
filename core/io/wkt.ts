/**
 * WKT (OGC simple features text) for CSV columns: POINT, LINESTRING, POLYGON and their MULTI forms,
 * with Z, M or ZM values dropped (Ekimae is 2D) and an optional EWKT `SRID=n;` prefix.
 * EMPTY parses to a geometry with no coordinates so normalizeLayer reports it as empty.
 */
import type { Geometry, GeometryTypeName, Position } from '../geo/geometry.js';

export type EmptyGeometry = { type: GeometryTypeName; coordinates: [] };
export interface ParsedWkt {
  geometry: Geometry | EmptyGeometry;
  /** From an EWKT `SRID=n;` prefix. */
  srid?: number;
}

export class WktError extends Error {}

const TYPES: Record<string, GeometryTypeName> = {
  POINT: 'Point', LINESTRING: 'LineString', POLYGON: 'Polygon',
  MULTIPOINT: 'MultiPoint', MULTILINESTRING: 'MultiLineString', MULTIPOLYGON: 'MultiPolygon',
};

type Token = { kind: 'word' | 'num' | '(' | ')' | ','; text: string; value: number };

/** `text` must be trimmed: every token eats the whitespace before it. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:([A-Za-z]+)|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|([(),]))/y;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new WktError(`unexpected character ${JSON.stringify(text.slice(pos).trim()[0])} at position ${pos + 1}`);
    pos = re.lastIndex;
    if (m[1]) out.push({ kind: 'word', text: m[1].toUpperCase(), value: NaN });
    else if (m[2]) out.push({ kind: 'num', text: m[2], value: Number(m[2]) });
    else out.push({ kind: m[3] as Token['kind'], text: m[3], value: NaN });
  }
  return out;
}

class Reader {
  i = 0;
  constructor(private t: Token[]) {}
  peek(): Token | undefined { return this.t[this.i]; }
  next(): Token {
    const tok = this.t[this.i++];
    if (!tok) throw new WktError('text ends too early');
    return tok;
  }
  expect(kind: Token['kind']): void {
    const tok = this.next();
    if (tok.kind !== kind) throw new WktError(`expected "${kind}" but found "${tok.text}"`);
  }
  /** True (and consumed) when the next token is the given one. */
  take(kind: Token['kind'], text?: string): boolean {
    const tok = this.peek();
    if (tok && tok.kind === kind && (text === undefined || tok.text === text)) { this.i++; return true; }
    return false;
  }
  done(): boolean { return this.i >= this.t.length; }
}

/** One position: 2 to 4 numbers (x y [z] [m]); only x and y are kept. */
function position(r: Reader, dims: number | null): Position {
  const nums: number[] = [];
  while (r.peek()?.kind === 'num') nums.push(r.next().value);
  if (nums.length < 2 || nums.length > 4) throw new WktError(`a position needs 2 to 4 numbers, found ${nums.length}`);
  if (dims !== null && nums.length !== dims) throw new WktError(`a position has ${nums.length} numbers where the type says ${dims}`);
  return [nums[0], nums[1]];
}

function list<T>(r: Reader, item: () => T): T[] {
  r.expect('(');
  const out = [item()];
  while (r.take(',')) out.push(item());
  r.expect(')');
  return out;
}

const positions = (r: Reader, dims: number | null) => list(r, () => position(r, dims));

/** MULTIPOINT is written both as ((1 2), (3 4)) and as (1 2, 3 4). */
function multiPoint(r: Reader, dims: number | null): Position[] {
  return list(r, () => {
    if (r.take('(')) { const p = position(r, dims); r.expect(')'); return p; }
    return position(r, dims);
  });
}

/** Parse one WKT or EWKT geometry; throws WktError with a short reason. */
export function parseWkt(text: string): ParsedWkt {
  let body = text.trim();
  let srid: number | undefined;
  const ewkt = /^SRID=(\d+);/i.exec(body);
  if (ewkt) { srid = Number(ewkt[1]); body = body.slice(ewkt[0].length); }
  if (!body) throw new WktError('empty text');
  const r = new Reader(tokenize(body));
  const head = r.next();
  if (head.kind !== 'word') throw new WktError(`starts with "${head.text}" instead of a geometry type`);
  // Dimension markers may be glued on (POINTZ) or separate (POINT Z).
  const glued = /^(.*?)(ZM|Z|M)?$/.exec(head.text)!;
  let name = glued[1];
  let marker = glued[2] ?? '';
  if (!TYPES[name]) { name = head.text; marker = ''; }
  const type = TYPES[name];
  if (!type) {
    if (name === 'GEOMETRYCOLLECTION') throw new WktError('GEOMETRYCOLLECTION cannot be stored in a layer');
    throw new WktError(`unknown geometry type ${head.text.slice(0, 30)}`);
  }
  if (!marker && r.peek()?.kind === 'word' && /^(ZM|Z|M)$/.test(r.peek()!.text)) marker = r.next().text;
  const dims = marker ? 2 + marker.length : null;
  if (r.take('word', 'EMPTY')) {
    if (!r.done()) throw new WktError('text continues after EMPTY');
    return { geometry: { type, coordinates: [] }, srid };
  }
  let geometry: Geometry;
  switch (type) {
    case 'Point': { r.expect('('); geometry = { type, coordinates: position(r, dims) }; r.expect(')'); break; }
    case 'LineString': geometry = { type, coordinates: positions(r, dims) }; break;
    case 'MultiPoint': geometry = { type, coordinates: multiPoint(r, dims) }; break;
    case 'Polygon': geometry = { type, coordinates: list(r, () => positions(r, dims)) }; break;
    case 'MultiLineString': geometry = { type, coordinates: list(r, () => positions(r, dims)) }; break;
    case 'MultiPolygon': geometry = { type, coordinates: list(r, () => list(r, () => positions(r, dims))) }; break;
  }
  if (!r.done()) throw new WktError(`unexpected "${r.peek()!.text}" after the geometry`);
  return { geometry, srid };
}

/** String(n) is the shortest text that reads back as the same double, so WKT round-trips exactly. */
const pos = (p: Position) => `${String(p[0])} ${String(p[1])}`;
const line = (l: Position[]) => `(${l.map(pos).join(', ')})`;
const rings = (rs: Position[][]) => `(${rs.map(line).join(', ')})`;

export function formatWkt(g: Geometry): string {
  switch (g.type) {
    case 'Point': return `POINT (${pos(g.coordinates)})`;
    case 'LineString': return `LINESTRING ${line(g.coordinates)}`;
    case 'Polygon': return `POLYGON ${rings(g.coordinates)}`;
    case 'MultiPoint': return `MULTIPOINT (${g.coordinates.map((p) => `(${pos(p)})`).join(', ')})`;
    case 'MultiLineString': return `MULTILINESTRING ${rings(g.coordinates)}`;
    case 'MultiPolygon': return `MULTIPOLYGON (${g.coordinates.map(rings).join(', ')})`;
  }
}
