/**
 * A dedicated reader for large GeoJSON walk networks: one pass over the bytes that streams line
 * coordinates into typed arrays and keeps only the mapped network fields. JSON.parse on a 1M-edge
 * file (190 MB) alone takes seconds and gigabytes; this reader takes a fraction of both.
 * It reads FeatureCollections in WGS84 (RFC 7946); anything else returns null so the caller goes
 * through the general importer (which reprojects and reports per-feature issues).
 *
 * From a file it reads through a window of WINDOW bytes instead of the whole file: every page of
 * fresh memory costs a page fault, and the 19 MB of the peers' 100k network alone were about a
 * tenth of `ekimae catchment`'s CPU time. A feature cut by the window's end is read again from its
 * start once the window has moved on (and grown, for a feature larger than it); a syntax error is
 * only an error when it is not the window's end (see fail()).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { EkimaeError } from '../errors.js';
import { detectFieldMap } from '../io/field-detect.js';
import type { Value } from '../io/types.js';
import { defaultClassifier, isWalkable, levelOf, NETWORK_SEMANTICS, type LineClassifier, type NetworkSemantic } from './attributes.js';
import type { LineSource } from './types.js';

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const enc = (s: string) => new TextEncoder().encode(s);
const K_FEATURES = enc('features'), K_GEOMETRY = enc('geometry'), K_PROPERTIES = enc('properties');
const K_TYPE = enc('type'), K_COORDINATES = enc('coordinates'), K_CRS = enc('crs');
const T_LINE = enc('LineString'), T_MULTILINE = enc('MultiLineString');
const LITERALS = [enc('true'), enc('false'), enc('null')];

class Bail extends Error {}
/** Thrown by fail() when the window ends where more of the file would decide (never escapes the scanner). */
const NEED_MORE = new Error('need more input');
const WINDOW = 1 << 20;
/** A feature starts with at least this much of the window ahead of it, or at the end of the file. */
const LOW_WATER = 1 << 16;

const isHex = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));

/**
 * Coordinates sized from the file up front: untouched pages of a large typed array cost nothing
 * (the allocator maps zero pages lazily), while doubling and a final copy touched every page two or
 * three times. The result is a view of the used part.
 */
class Growable {
  f: Float64Array; n = 0;
  constructor(cap: number) { this.f = new Float64Array(Math.max(1 << 12, cap)); }
  push2(a: number, b: number): void {
    if (this.n + 2 > this.f.length) { const x = new Float64Array(this.f.length * 2); x.set(this.f); this.f = x; }
    this.f[this.n++] = a; this.f[this.n++] = b;
  }
}

/** A growable Int32Array (n = length; lowering n drops the tail). */
class IntColumn {
  v: Int32Array; n = 0;
  constructor(cap: number) { this.v = new Int32Array(Math.max(1 << 10, cap)); }
  push(x: number): void {
    if (this.n === this.v.length) { const v = new Int32Array(this.n * 2); v.set(this.v); this.v = v; }
    this.v[this.n++] = x;
  }
}

/** Per-part columns in typed arrays (plain arrays of 100k numbers were young-generation garbage). */
class PartColumns {
  fid: Float64Array; level: Int8Array; walkable: Uint8Array; n = 0;
  constructor(cap: number) { cap = Math.max(1 << 10, cap); this.fid = new Float64Array(cap); this.level = new Int8Array(cap); this.walkable = new Uint8Array(cap); }
  push(fid: number, level: number, walkable: number): void {
    if (this.n === this.fid.length) {
      const f = new Float64Array(this.n * 2), l = new Int8Array(this.n * 2), w = new Uint8Array(this.n * 2);
      f.set(this.fid); l.set(this.level); w.set(this.walkable);
      this.fid = f; this.level = l; this.walkable = w;
    }
    this.fid[this.n] = fid; this.level[this.n] = level; this.walkable[this.n++] = walkable;
  }
}

export interface GeoJsonLinesOptions {
  /** semantic -> property name; detected from the property names when absent. */
  fieldMap?: Partial<Record<NetworkSemantic, string>>;
  classifier?: LineClassifier;
  /** Window size when reading a file (readGeoJsonLinesFile); tests use tiny ones to cut every token. */
  windowBytes?: number;
}

export function readGeoJsonLines(bytes: Uint8Array, name: string, opts: GeoJsonLinesOptions = {}): LineSource | null {
  try {
    // A plain Uint8Array view: element reads on Buffer (a subclass) are slower in the hot loop.
    return new LineScanner(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), null, name, opts).run();
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  }
}

/**
 * The same, reading the file at `path` through a window (the caller has checked that it is a
 * regular, non-empty file): the same result as readGeoJsonLines on the file's bytes, without
 * holding them all.
 */
export function readGeoJsonLinesFile(path: string, name: string, opts: GeoJsonLinesOptions = {}): LineSource | null {
  const fd = openSync(path, 'r');
  try {
    return new LineScanner(null, { fd, size: fstatSync(fd).size }, name, opts).run();
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  } finally {
    closeSync(fd);
  }
}

class LineScanner {
  private i = 0;
  private coords: Growable;
  private partStart: IntColumn;
  private parts: PartColumns;
  /** Made at the first named part (earlier parts null): most networks map no name. */
  private partName: Array<string | null> | null = null;
  private b: Uint8Array;
  /** The window: b is buf's first `end` bytes; b[0] is byte `base` of the file. */
  private buf: Uint8Array;
  private end: number;
  private base = 0;
  private eof: boolean;
  private walkMemo = new Map<string, boolean>();
  private lowWater = LOW_WATER;
  private keys: Array<{ bytes: Uint8Array; sem: number }> = [];
  private semTaken = new Set<number>();
  private interned = new Map<number, Array<[Uint8Array, string]>>();
  private vals: Value[] = new Array(NETWORK_SEMANTICS.length).fill(null);
  private classifier: LineClassifier;
  private dec = new TextDecoder();

  constructor(bytes: Uint8Array | null, private file: { fd: number; size: number } | null, private name: string, private opts: GeoJsonLinesOptions) {
    this.classifier = opts.classifier ?? defaultClassifier();
    const size = bytes ? bytes.length : file!.size;
    // About 25 bytes a vertex in the sparsest files we have seen; more grows.
    this.coords = new Growable(Math.ceil(size / 10));
    this.parts = new PartColumns(Math.ceil(size / 120));
    this.partStart = new IntColumn(Math.ceil(size / 120));
    if (bytes) { this.buf = this.b = bytes; this.end = bytes.length; this.eof = true; }
    else {
      const w = Math.max(1, Math.min(opts.windowBytes ?? WINDOW, size));
      this.lowWater = Math.min(LOW_WATER, w >> 2);
      this.buf = new Uint8Array(w); this.b = this.buf.subarray(0, 0); this.end = 0; this.eof = false; this.refill(0);
    }
  }

  /**
   * Moves the window so that it starts at b[keep] and reads on to fill it (doubling it when what is
   * kept already fills half of it, so a retried feature always sees more of the file).
   */
  private refill(keep: number): void {
    const kept = this.end - keep;
    let buf = this.buf;
    if (kept * 2 > buf.length) { const nb = new Uint8Array(buf.length * 2); nb.set(buf.subarray(keep, this.end)); buf = nb; }
    else buf.copyWithin(0, keep, this.end);
    let end = kept;
    while (end < buf.length) {
      const n = readSync(this.file!.fd, buf, end, buf.length - end, null);
      if (n === 0) { this.eof = true; break; }
      end += n;
    }
    this.buf = buf; this.end = end; this.b = buf.subarray(0, end);
    this.base += keep; this.i -= keep;
  }

  /** fn from the current position; read again from there with more of the file when the window ends inside it. */
  private attempt<T>(fn: () => T): T {
    for (;;) {
      const i0 = this.i;
      try { return fn(); } catch (e) {
        if (e !== NEED_MORE) throw e;
        this.i = i0;
        this.refill(i0);
      }
    }
  }

  /**
   * 1-based line and column (in bytes) of file offset `at`. Only errors need it, so the newlines are
   * counted then, from the file's start (bytes before the window are read again), not on every read.
   */
  private lineCol(at: number): [number, number] {
    let line = 1, start = 0;
    const count = (bytes: Uint8Array, from: number, to: number, base: number) => {
      for (let j = from; j < to; j++) if (bytes[j] === 10) { line++; start = base + j + 1; }
    };
    if (this.file && this.base > 0) {
      const chunk = new Uint8Array(1 << 16);
      for (let pos = 0; pos < this.base;) {
        const n = readSync(this.file.fd, chunk, 0, Math.min(chunk.length, this.base - pos), pos);
        if (n <= 0) break;
        count(chunk, 0, n, pos);
        pos += n;
      }
    }
    count(this.b, 0, Math.min(at - this.base, this.end), this.base);
    return [line, at - start + 1];
  }

  /** A syntax error at this.i, which must point at the offending byte: at the window's end it only means "read more". */
  private fail(what: string): never {
    if (!this.eof && this.i >= this.end) throw NEED_MORE;
    const at = this.base + this.i;
    const [line, column] = this.lineCol(at);
    throw new EkimaeError('E_FORMAT_INVALID', `${this.name} is not valid GeoJSON at line ${line}, column ${column} (byte ${at}): ${what}`, { file: this.name, offset: at, line, column });
  }

  private ws(): number {
    const b = this.b;
    let i = this.i, c = b[i];
    while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
    this.i = i;
    return c;
  }

  private expect(ch: number): void {
    if (this.ws() !== ch) this.fail(`expected "${String.fromCharCode(ch)}"`);
    this.i++;
  }

  /** After '{' or ',' : returns false at '}' . */
  private more(close: number, first: boolean): boolean {
    const c = this.ws();
    if (c === close) { this.i++; return false; }
    if (!first) { if (c !== 44) this.fail('expected "," or end'); this.i++; }
    return true;
  }

  /** The last string read: content from s0 to s1 (exclusive), with escapes or not (no tuple per string: 10M of them at 1M edges). */
  private s0 = 0;
  private s1 = 0;
  private sEsc = false;

  /** Reads a string into s0/s1/sEsc. */
  private str(): void {
    if (this.ws() !== 34) this.fail('expected a string');
    const b = this.b, start = ++this.i;
    let i = start, esc = false;
    for (;;) {
      const c = b[i];
      if (c === 34) break;
      if (c === 92) {
        esc = true;
        const e = b[i + 1];
        if (e === 117) {
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) { this.i = i + k; this.fail('bad \\u escape'); }
          i += 6;
        } else {
          if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) { this.i = i + 1; this.fail('bad escape'); }
          i += 2;
        }
        continue;
      }
      if (c === undefined) { this.i = i; this.fail('unterminated string'); }
      if (c < 32) { this.i = i; this.fail('a control character inside a string'); }
      i++;
    }
    this.i = i + 1;
    this.s0 = start; this.s1 = i; this.sEsc = esc;
  }

  /** Whether the last string read equals k. */
  private keyIs(k: Uint8Array): boolean {
    const s0 = this.s0;
    if (this.s1 - s0 !== k.length) return false;
    for (let j = 0; j < k.length; j++) if (this.b[s0 + j] !== k[j]) return false;
    return true;
  }

  private text(): string {
    if (!this.sEsc) return this.dec.decode(this.b.subarray(this.s0, this.s1));
    try { return JSON.parse(this.dec.decode(this.b.subarray(this.s0 - 1, this.s1 + 1))) as string; } catch { this.fail('bad string escape'); }
  }

  private skip(): void {
    const b = this.b;
    const c = this.ws();
    if (c === 34) { this.str(); return; }
    if (c === 123 || c === 91) {
      // Objects and arrays we do not need are walked value by value, so they are checked as strictly as JSON.parse would.
      const close = c === 123 ? 125 : 93;
      this.i++;
      for (let first = true; this.more(close, first); first = false) {
        if (close === 125) { this.str(); this.expect(58); }
        this.skip();
      }
      return;
    }
    if (c === 45 || (c >= 48 && c <= 57)) { this.num(); return; }
    for (const w of LITERALS) {
      if (b[this.i] !== w[0]) continue;
      for (let j = 1; j < w.length; j++) if (b[this.i + j] !== w[j]) { this.i += j; this.fail('expected a value'); }
      this.i += w.length;
      return;
    }
    this.fail(`"${this.dec.decode(b.subarray(this.i, this.i + 12))}" is not a JSON value`);
  }

  private num(): number {
    const b = this.b;
    let i = this.i;
    const start = i;
    let neg = false, mant = 0, digits = 0, frac = 0;
    if (b[i] === 45) { neg = true; i++; }
    let c = b[i];
    if (c === 48 && b[i + 1] >= 48 && b[i + 1] <= 57) this.fail('a number with a leading zero');
    while (c >= 48 && c <= 57) { mant = mant * 10 + (c - 48); digits++; c = b[++i]; }
    if (!digits) { this.i = i; this.fail('expected a number'); }
    if (c === 46) {
      c = b[++i];
      if (!(c >= 48 && c <= 57)) { this.i = i; this.fail('a number ends in "."'); }
      while (c >= 48 && c <= 57) { mant = mant * 10 + (c - 48); digits++; frac++; c = b[++i]; }
    }
    if (c === 101 || c === 69 || digits > 15 || frac > 22) {
      // Clinger's fast path does not apply: let the engine convert the literal (JSON's grammar checked first).
      if (c === 101 || c === 69) {
        c = b[++i];
        if (c === 43 || c === 45) c = b[++i];
        if (!(c >= 48 && c <= 57)) { this.i = i; this.fail('a number with an empty exponent'); }
        while (c >= 48 && c <= 57) c = b[++i];
      }
      const v = Number(this.dec.decode(b.subarray(start, i)));
      if (!Number.isFinite(v)) { this.i = start; this.fail('bad number'); }
      this.i = i;
      return v;
    }
    this.i = i;
    // mant < 2^53 and 10^frac are exact doubles, so one division is correctly rounded (= Number(literal)).
    const v = frac ? mant / POW10[frac] : mant;
    return neg ? -v : v;
  }

  run(): LineSource {
    // A UTF-8 byte order mark, as the general importer allows (decodeUtf8Strict).
    while (!this.eof && this.end < 3) this.refill(0);
    if (this.b[0] === 0xef && this.b[1] === 0xbb && this.b[2] === 0xbf) this.i = 3;
    if (this.attempt(() => this.ws()) !== 123) throw new Bail();
    this.i++;
    let sawFeatures = false;
    for (let first = true; ; first = false) {
      // 0: the object ends, 1: "features" follows, 2: another member was read.
      const r = this.attempt(() => {
        if (!this.more(125, first)) return 0;
        this.str();
        this.expect(58);
        if (this.keyIs(K_FEATURES)) return 1;
        if (this.keyIs(K_CRS)) this.crs(); else this.skip();
        return 2;
      });
      if (r === 0) break;
      if (r === 1) { sawFeatures = true; this.features(); }
    }
    while (!this.eof) this.refill(this.i);
    this.ws();
    if (this.i < this.b.length) this.fail('text after the end of the JSON document');
    if (!sawFeatures) throw new Bail();
    this.partStart.push(this.coords.n / 2);
    const pc = this.parts;
    return {
      name: this.name, coords: this.coords.f.subarray(0, this.coords.n), partStart: this.partStart.v.subarray(0, this.partStart.n),
      partFid: pc.fid.subarray(0, pc.n), partLevel: pc.level.subarray(0, pc.n), partWalkable: pc.walkable.subarray(0, pc.n),
      ...(this.partName ? { partName: this.partName } : {}),
    };
  }

  private crs(): void {
    const s = this.i;
    this.skip();
    const txt = this.dec.decode(this.b.subarray(s, this.i));
    if (txt.trim() === 'null') return;
    if (!/CRS:?84"|EPSG:+4326"|"4326"|EPSG::4326/.test(txt)) throw new Bail();
  }

  private features(): void {
    this.attempt(() => this.expect(91));
    let fid = 0, first = true;
    for (;;) {
      if (!this.eof && this.end - this.i < this.lowWater) this.refill(this.i);
      const i0 = this.i, p0 = this.partStart.n, v0 = this.coords.n;
      let more: boolean;
      try {
        more = this.more(93, first);
        if (more) this.feature(fid + 1);
      } catch (e) {
        if (e !== NEED_MORE) throw e;
        // Cut by the window's end: read this feature again with more of the file.
        this.i = i0; this.partStart.n = p0; this.coords.n = v0;
        this.refill(i0);
        continue;
      }
      if (!more) return;
      fid++; first = false;
    }
  }

  private feature(fid: number): void {
    this.expect(123);
    const p0 = this.partStart.n, v0 = this.coords.n;
    this.vals.fill(null);
    let keep = false;
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      if (this.keyIs(K_GEOMETRY)) keep = this.geometry();
      else if (this.keyIs(K_PROPERTIES)) this.properties();
      else this.skip();
    }
    if (!keep) { this.partStart.n = p0; this.coords.n = v0; return; }
    const v = this.vals;
    const walk = this.walkable(v[0], v[1]) ? 1 : 0;
    const lev = v[2] === null && v[3] === null && v[4] === null ? 0 : levelOf(v[2], v[3], v[4]);
    const nm = typeof v[5] === 'string' ? v[5] : null;
    if (nm !== null && !this.partName) this.partName = new Array<string | null>(this.parts.n).fill(null);
    for (let p = p0; p < this.partStart.n; p++) { this.parts.push(fid, lev, walk); this.partName?.push(nm); }
  }

  /** isWalkable, remembered per class string (a million lines share a handful of classes). */
  private walkable(highway: Value, walkable: Value): boolean {
    if (walkable !== null || typeof highway !== 'string') return isWalkable(this.classifier, highway, walkable);
    let w = this.walkMemo.get(highway);
    if (w === undefined) { w = isWalkable(this.classifier, highway, null); if (this.walkMemo.size < 4096) this.walkMemo.set(highway, w); }
    return w;
  }

  /** Returns true when the geometry is a (Multi)LineString whose parts were appended. */
  private geometry(): boolean {
    if (this.ws() === 110) { this.skip(); return false; }
    this.expect(123);
    let type = 0, level = -1;
    const p0 = this.partStart.n, v0 = this.coords.n;
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      if (this.keyIs(K_TYPE)) { this.str(); type = this.keyIs(T_LINE) ? 1 : this.keyIs(T_MULTILINE) ? 2 : 3; }
      else if (this.keyIs(K_COORDINATES)) level = this.coordArray(0);
      else this.skip();
    }
    const ok = (type === 1 && level === 1) || (type === 2 && level === 2);
    if (!ok) { this.partStart.n = p0; this.coords.n = v0; }
    return ok;
  }

  /** Nesting level above positions (0 = a position); parts are recorded at level 1. */
  private coordArray(depth: number): number {
    if (depth > 8) this.fail('coordinates nest too deep');
    this.expect(91);
    const c = this.ws();
    if (c === 45 || (c >= 48 && c <= 57)) {
      const x = this.num();
      this.expect(44);
      this.ws();
      const y = this.num();
      while (this.ws() === 44) { this.i++; this.ws(); this.num(); }
      this.expect(93);
      this.coords.push2(x, y);
      return 0;
    }
    if (c === 91 && depth < 8) {
      let j = this.i + 1, d = this.b[j];
      while (d === 32 || d === 10 || d === 13 || d === 9) d = this.b[++j];
      if (d === 45 || (d >= 48 && d <= 57)) { this.positions(); return 1; }
    }
    const start = this.coords.n / 2;
    let level = -1;
    for (let first = true; this.more(93, first); first = false) {
      const l = this.coordArray(depth + 1);
      if (level < 0) level = l + 1;
      else if (level !== l + 1) this.fail('coordinates mix positions and arrays');
    }
    if (level === 1) this.partStart.push(start);
    return level;
  }

  /**
   * A line's positions, from the '[' of its first one (which starts with a number) to after the
   * line's closing ']': the same grammar as coordArray's, in one loop with the whitespace skipped
   * inline (a call per token was a large part of a cold run, before the code is optimised).
   */
  private positions(): void {
    const b = this.b, start = this.coords.n / 2;
    let i = this.i, c: number;
    for (;;) {
      c = b[++i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      this.i = i;
      const x = this.num();
      i = this.i; c = b[i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      if (c !== 44) { this.i = i; this.fail('expected ","'); }
      c = b[++i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      this.i = i;
      const y = this.num();
      i = this.i; c = b[i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      while (c === 44) {
        c = b[++i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
        this.i = i; this.num();
        i = this.i; c = b[i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      }
      if (c !== 93) { this.i = i; this.fail('expected "]"'); }
      this.coords.push2(x, y);
      c = b[++i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      if (c === 93) { this.i = i + 1; break; }
      if (c !== 44) { this.i = i; this.fail('expected "," or end'); }
      c = b[++i]; while (c === 32 || c === 10 || c === 13 || c === 9) c = b[++i];
      if (c !== 91) { this.i = i; this.fail('expected "["'); }
    }
    this.partStart.push(start);
  }

  private properties(): void {
    if (this.ws() === 110) { this.skip(); return; }
    this.expect(123);
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      const sem = this.semanticOf();
      if (sem < 0) { this.skip(); continue; }
      const c = this.ws();
      if (c === 34) { this.str(); this.vals[sem] = this.intern(); }
      else if (c === 45 || (c >= 48 && c <= 57)) this.vals[sem] = this.num();
      else if (c === 116 || c === 102) { const s = this.i; this.skip(); this.vals[sem] = this.b[s] === 116; }
      else this.skip();
    }
  }

  private semanticOf(): number {
    const s0 = this.s0, len = this.s1 - s0;
    outer: for (const k of this.keys) {
      if (k.bytes.length !== len) continue;
      for (let j = 0; j < len; j++) if (k.bytes[j] !== this.b[s0 + j]) continue outer;
      return k.sem;
    }
    const key = this.text();
    let sem = -1;
    const fm = this.opts.fieldMap;
    if (fm) sem = NETWORK_SEMANTICS.findIndex((s) => fm[s] === key);
    else {
      const hit = Object.keys(detectFieldMap('network', [{ name: key, type: 'TEXT' }]))[0] as NetworkSemantic | undefined;
      const s = hit ? NETWORK_SEMANTICS.indexOf(hit) : -1;
      if (s >= 0 && !this.semTaken.has(s)) { sem = s; this.semTaken.add(s); }
    }
    if (this.keys.length < 256) this.keys.push({ bytes: this.b.slice(s0, this.s1), sem });
    return sem;
  }

  /** The last string read, as a shared string when its bytes were seen before (class names repeat a million times). */
  private intern(): string {
    const s0 = this.s0, s1 = this.s1;
    if (this.sEsc || s1 - s0 > 64) return this.text();
    let h = s1 - s0;
    for (let j = s0; j < s1; j++) h = Math.imul(h ^ this.b[j], 16777619);
    const bucket = this.interned.get(h);
    if (bucket) for (const [bytes, s] of bucket) if (this.keyIs(bytes)) return s;
    const s = this.text();
    if (this.interned.size < 4096) {
      if (bucket) bucket.push([this.b.slice(s0, s1), s]); else this.interned.set(h, [[this.b.slice(s0, s1), s]]);
    }
    return s;
  }
}
