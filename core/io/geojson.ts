/** GeoJSON (RFC 7946) import, with the legacy 2008 `crs` member honoured; GeoJSON export. */
import { isUtf8 } from 'node:buffer';
import { EkimaeError } from '../errors.js';
import type { RawFeature, RawLayer } from './normalize.js';
import { decodeUtf8Strict, looksBinary, type SourceFile } from './source.js';
import type { LayerData } from './types.js';

/** V8's JSON error without the stretch of file text it quotes (which can be an owner's name or ID number). */
function jsonWhy(e: unknown): string {
  return (e as Error).message.replace(/, ".*"(\.\.\.)? is not valid JSON$/s, '');
}

/** Deeper than any real GeoJSON (MultiPolygon coordinates are 4 deep, plus feature and properties). */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of JSON text, found by a byte scan before parsing (so JSON.parse never recurses wildly). */
export function jsonDepth(text: string): number {
  let depth = 0, max = 0, inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++; // backslash escape
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 91 || c === 123) { if (++depth > max) max = depth; }
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

export function crsOf(doc: Record<string, unknown>, file: string): string | undefined {
  const crs = doc.crs as { type?: string; properties?: Record<string, unknown> } | undefined | null;
  if (!crs) return undefined;
  if (crs.type === 'name' && typeof crs.properties?.name === 'string') return crs.properties.name;
  if (crs.type === 'EPSG' && crs.properties?.code !== undefined) return `EPSG:${crs.properties.code}`;
  if (crs.type === 'link' || crs.type === 'url') {
    throw new EkimaeError('E_CRS_UNKNOWN', `${file}: the crs member links to a remote definition; give the CRS as an EPSG code instead`, { file });
  }
  throw new EkimaeError('E_CRS_UNKNOWN', `${file}: cannot read its crs member ${JSON.stringify(crs).slice(0, 100)}`, { file });
}

const enum Ch { Quote = 34, Backslash = 92, OpenBrace = 123, CloseBrace = 125, OpenBracket = 91, CloseBracket = 93 }
const FEATURES_KEY = Buffer.from('"features"');
/** Bytes that change nothing the scanner tracks inside a feature outside strings (all but quotes and brackets). */
const PLAIN = new Uint8Array(256).fill(1);
for (const c of [Ch.Quote, Ch.OpenBrace, Ch.CloseBrace, Ch.OpenBracket, Ch.CloseBracket]) PLAIN[c] = 0;

/** One step of a streamed FeatureCollection: the members before "features", or a batch of features. */
export type ScanEvent =
  | { kind: 'head'; doc: Record<string, unknown> | null }
  | { kind: 'batch'; features: RawFeature[]; end: number };

/** A file's bytes as the scanner reads them: all at once (in memory) or piece by piece (from disk). */
export interface ByteSource {
  size: number;
  /** The whole file, when it is in memory anyway. */
  whole?: Uint8Array;
  /** Copy bytes from file offset `pos` into `buf` from `offset` on (at most buf.length - offset); returns how many (at least one). */
  readInto(buf: Buffer, offset: number, pos: number): number;
}

export function memoryBytes(b: Uint8Array): ByteSource {
  return { size: b.length, whole: b, readInto: (buf, offset, pos) => Buffer.from(b.buffer, b.byteOffset + pos, Math.min(buf.length - offset, b.length - pos)).copy(buf, offset) };
}

/** The window a file is scanned through; it grows only for a feature larger than itself. */
const WINDOW = 1 << 20;

/**
 * A FeatureCollection parsed one batch of features at a time straight from the file's bytes: one
 * scan finds each feature's byte range (and its nesting depth), then 32 at a time are JSON.parse'd
 * together. Only the bytes of the batch being parsed need to be in memory (offsets below are file
 * offsets; `b` holds the file from `base` on), and a caller can stop between batches. Returns the
 * document without its features, or null whenever the shape is not the plain one (then the
 * whole-text parser decides) — possibly after some batches.
 */
export function* scanFeatureCollection(file: string, source: ByteSource): Generator<ScanEvent, Record<string, unknown> | null> {
  const size = source.size;
  // One buffer reused for every piece read from disk, so reading makes no garbage.
  let win = source.whole ? null : Buffer.allocUnsafe(Math.min(WINDOW, size));
  let b: Uint8Array = source.whole ?? win!.subarray(0, source.readInto(win!, 0, 0));
  let base = 0;
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let depth = 0, inStr = false, strStart = -1, lastKeyStart = -1, lastKeyEnd = -1;
  let arrStart = -1, arrEnd = -1, featStart = -1, needComma = false, afterComma = false;
  let done = 0;
  let prefix: Buffer | null = null;
  // Features are parsed in batches (one JSON.parse of "[f1,f2,…]" per 32): the text between them is
  // only commas and whitespace (checked below), and one call per feature costs more than the parse.
  // Small batches die young: with a thousand per batch, the parsed objects outlived V8's scavenges,
  // were promoted, and a 59 MB import peaked 65 MB higher while using 20 % more CPU (import.bench.ts).
  const starts: number[] = [], ends: number[] = [];
  let batchN = 0;
  const text = (from: number, to: number) => Buffer.from(b.buffer, b.byteOffset + from - base, to - from).toString('utf8');
  const flush = (): RawFeature[] => {
    let parsed: unknown[] | null = null;
    try { parsed = JSON.parse(`[${text(starts[0], ends[batchN - 1])}]`) as unknown[]; } catch { /* find the broken feature below */ }
    if (!parsed) {
      parsed = [];
      for (let k = 0; k < batchN; k++) {
        try { parsed.push(JSON.parse(text(starts[k], ends[k]))); } catch (e) {
          const n = done + k;
          throw new EkimaeError('E_FORMAT_INVALID', `${file}, feature ${n + 1} is not valid JSON: ${jsonWhy(e)}`, { file, feature: n });
        }
      }
    }
    done += batchN;
    batchN = 0;
    return parsed.map(toRaw);
  };
  for (; i < size; i++) {
    // (A loop: an escape at the end of the window skips a byte not yet read.)
    while (i - base >= b.length) {
      // Parse what is complete, then keep only what is still needed: the feature being scanned, the
      // document's members before "features" (until found), or those after it.
      if (batchN) yield { kind: 'batch', features: flush(), end: i };
      const end = base + b.length;
      const from = Math.min(end, featStart >= 0 ? featStart : arrStart < 0 ? 0 : arrEnd >= 0 ? arrEnd + 1 : i);
      const kept = end - from;
      if (kept === win!.length) {
        const bigger = Buffer.allocUnsafe(win!.length * 2);
        win!.copy(bigger, 0, 0, kept);
        win = bigger;
      } else if (kept) win!.copyWithin(0, from - base, b.length);
      b = win!.subarray(0, kept + source.readInto(win!, kept, end));
      base = from;
    }
    // Inside a string only a quote or a backslash matters, and inside a feature (outside strings) only
    // quotes and brackets: skip the rest in a tight loop (most of a file is coordinates).
    if (inStr || depth >= 3) {
      let j = i - base;
      const lim = b.length;
      if (inStr) while (j < lim && b[j] !== Ch.Quote && b[j] !== Ch.Backslash) j++;
      else while (j < lim && PLAIN[b[j]] === 1) j++;
      if (j === lim) { i = base + lim - 1; continue; }
      i = base + j;
    }
    const c = b[i - base];
    if (inStr) {
      if (c === Ch.Backslash) i++;
      else if (c === Ch.Quote) { inStr = false; if (depth === 1) { lastKeyStart = strStart; lastKeyEnd = i + 1; } }
      continue;
    }
    if (c === Ch.Quote) {
      if (arrStart >= 0 && arrEnd < 0 && depth === 2) return null; // a string as a feature
      inStr = true; strStart = i; continue;
    }
    if (c === Ch.OpenBrace || c === Ch.OpenBracket) {
      depth++;
      if (arrStart >= 0 && arrEnd < 0) {
        if (depth === 3 && c === Ch.OpenBrace) {
          if (needComma) return null; // two features without a comma between them
          featStart = i;
        }
        else if (depth === 3) return null; // an array as a feature: let the whole-text parser say what is wrong
        if (depth > MAX_JSON_DEPTH) return null;
      } else if (depth === 2 && c === Ch.OpenBracket && arrStart < 0 && lastKeyEnd - lastKeyStart === FEATURES_KEY.length
        && Buffer.compare(b.subarray(lastKeyStart - base, lastKeyEnd - base), FEATURES_KEY) === 0) {
        arrStart = i;
        prefix = Buffer.from(b.subarray(0, arrStart + 1 - base));
        yield { kind: 'head', doc: headDoc(Buffer.concat([prefix, Buffer.from(']}')])) };
      } else if (depth > MAX_JSON_DEPTH) return null;
      continue;
    }
    if (c === Ch.CloseBrace || c === Ch.CloseBracket) {
      depth--;
      if (arrStart >= 0 && arrEnd < 0) {
        if (depth === 2 && (c !== Ch.CloseBrace || featStart < 0)) return null; // brackets do not pair up
        if (depth === 2) {
          starts[batchN] = featStart;
          ends[batchN++] = i + 1;
          // Batches small enough that their objects die young: with 4096 features (4 MiB) an import
          // peaked some 50 MB higher and ran no faster (import.bench.ts).
          if (batchN === 32 || i + 1 - starts[0] > 1 << 18) yield { kind: 'batch', features: flush(), end: i + 1 };
          featStart = -1;
          needComma = true;
          afterComma = false;
        } else if (depth === 1) {
          if (afterComma || c !== Ch.CloseBracket) return null; // a trailing comma, or brackets that do not pair up
          if (batchN) yield { kind: 'batch', features: flush(), end: i + 1 };
          arrEnd = i;
        }
      }
      continue;
    }
    if (arrStart >= 0 && arrEnd < 0 && depth === 2) {
      if (c === 44) {
        if (!needComma) return null; // a leading or doubled comma
        needComma = false;
        afterComma = true;
      } else if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return null; // null, numbers: not the plain shape
    }
  }
  if (depth !== 0 || inStr || arrStart < 0 || arrEnd < 0) return null;
  // The document without its features: small, parsed whole (type, name, crs).
  return headDoc(Buffer.concat([prefix!, Buffer.from(']'), b.subarray(arrEnd + 1 - base)]));
}

function headDoc(bytes: Buffer): Record<string, unknown> | null {
  const head = bytes.toString('utf8');
  let doc: unknown;
  try { doc = JSON.parse(head.charCodeAt(0) === 0xfeff ? head.slice(1) : head); } catch { return null; }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || (doc as Record<string, unknown>).type !== 'FeatureCollection') return null;
  return doc as Record<string, unknown>;
}

/** The checks every GeoJSON read starts with: text, and UTF-8. */
function checkGeoJsonText(src: SourceFile): void {
  if (looksBinary(src.bytes)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is binary data, not GeoJSON text`, { file: src.name });
  if (!isUtf8(src.bytes)) decodeUtf8Strict(src.bytes, src.name); // throws E_ENCODING naming the file
}

export function geoJsonLayerName(file: string): string {
  return file.replace(/\.(geo)?json$/i, '');
}

export function geoJsonSource(file: string): RawLayer['source'] {
  return { file, format: 'geojson', encoding: 'utf-8' };
}

function parseFeatureCollectionBytes(src: SourceFile): { doc: Record<string, unknown>; features: RawFeature[] } | null {
  const features: RawFeature[] = [];
  const it = scanFeatureCollection(src.name, memoryBytes(src.bytes));
  for (let r = it.next(); ; r = it.next()) {
    if (r.done) return r.value ? { doc: r.value, features } : null;
    if (r.value.kind === 'batch') for (const f of r.value.features) features.push(f);
  }
}

export function parseGeoJson(src: SourceFile): RawLayer[] {
  checkGeoJsonText(src);
  const fast = parseFeatureCollectionBytes(src);
  if (fast) {
    const crs = crsOf(fast.doc, src.name);
    return [{ name: geoJsonLayerName(src.name), features: fast.features, crs, source: geoJsonSource(src.name) }];
  }
  const text = decodeUtf8Strict(src.bytes, src.name);
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new EkimaeError('E_TOO_DEEP', `${src.name} nests ${depth} levels deep (limit ${MAX_JSON_DEPTH}); it is not GeoJSON a GIS would write`, { file: src.name, depth });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is not valid JSON: ${jsonWhy(e)}`, { file: src.name });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: GeoJSON must be an object with a "type"`, { file: src.name });
  const d = doc as Record<string, unknown>;
  const crs = crsOf(d, src.name);
  let features: RawFeature[];
  switch (d.type) {
    case 'FeatureCollection': {
      if (!Array.isArray(d.features)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: FeatureCollection has no "features" array`, { file: src.name });
      features = (d.features as unknown[]).map((f) => toRaw(f));
      break;
    }
    case 'Feature': features = [toRaw(d)]; break;
    case 'GeometryCollection':
      features = Array.isArray(d.geometries) ? (d.geometries as unknown[]).map((g) => ({ geometry: g, properties: {} })) : [];
      break;
    case 'Point': case 'MultiPoint': case 'LineString': case 'MultiLineString': case 'Polygon': case 'MultiPolygon':
      features = [{ geometry: d, properties: {} }];
      break;
    default:
      throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: "${String(d.type).slice(0, 40)}" is not a GeoJSON type`, { file: src.name });
  }
  return [{ name: geoJsonLayerName(src.name), features, crs, source: geoJsonSource(src.name) }];
}

function toRaw(f: unknown): RawFeature {
  if (!f || typeof f !== 'object') return { geometry: undefined, properties: {} };
  const o = f as Record<string, unknown>;
  const props = o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties) ? (o.properties as Record<string, unknown>) : {};
  return { geometry: o.type === 'Feature' ? o.geometry : undefined, properties: props, id: o.id };
}

/** RFC 7946 FeatureCollection text; coordinates as stored (full double precision). */
export function toGeoJson(layer: LayerData, meta?: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const f of layer.features) {
    parts.push(JSON.stringify({ type: 'Feature', ...(f.fid !== undefined ? { id: f.fid } : {}), geometry: f.geometry, properties: f.properties }));
  }
  const head = JSON.stringify({ type: 'FeatureCollection', name: layer.name, ...(meta ? { ekimae: meta } : {}) }).slice(0, -1);
  return `${head},"features":[\n${parts.join(',\n')}\n]}\n`;
}
