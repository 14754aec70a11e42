/**
 * A dedicated reader for large GeoJSON walk networks: one pass over the bytes that streams line
 * coordinates into typed arrays and keeps only the mapped network fields. JSON.parse on a 1M-edge
 * file (190 MB) alone takes seconds and gigabytes; this reader takes a fraction of both.
 * It reads FeatureCollections in WGS84 (RFC 7946); anything else returns null so the caller goes
 * through the general importer (which reprojects and reports per-feature issues).
 */
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

const isHex = (c: number | undefined) => c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));

class Growable {
  f = new Float64Array(1 << 16); n = 0;
  push2(a: number, b: number): void {
    if (this.n + 2 > this.f.length) { const x = new Float64Array(this.f.length * 2); x.set(this.f); this.f = x; }
    this.f[this.n++] = a; this.f[this.n++] = b;
  }
}

export interface GeoJsonLinesOptions {
  /** semantic -> property name; detected from the property names when absent. */
  fieldMap?: Partial<Record<NetworkSemantic, string>>;
  classifier?: LineClassifier;
}

export function readGeoJsonLines(bytes: Uint8Array, name: string, opts: GeoJsonLinesOptions = {}): LineSource | null {
  try {
    // A plain Uint8Array view: element reads on Buffer (a subclass) are slower in the hot loop.
    return new LineScanner(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, opts).run();
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  }
}

class LineScanner {
  private i = 0;
  private coords = new Growable();
  private partStart: number[] = [];
  private partFid: number[] = [];
  private partLevel: number[] = [];
  private partWalkable: number[] = [];
  private partName: Array<string | null> = [];
  private keys: Array<{ bytes: Uint8Array; sem: number }> = [];
  private semTaken = new Set<number>();
  private interned = new Map<number, Array<[Uint8Array, string]>>();
  private vals: Value[] = new Array(NETWORK_SEMANTICS.length).fill(null);
  private classifier: LineClassifier;
  private dec = new TextDecoder();

  constructor(private b: Uint8Array, private name: string, private opts: GeoJsonLinesOptions) {
    this.classifier = opts.classifier ?? defaultClassifier();
  }

  private fail(what: string): never {
    throw new EkimaeError('E_FORMAT_INVALID', `${this.name} is not valid GeoJSON near byte ${this.i}: ${what}`, { file: this.name, offset: this.i });
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
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) { this.i = i; this.fail('bad \\u escape'); }
          i += 6;
        } else {
          if (!(e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)) { this.i = i; this.fail('bad escape'); }
          i += 2;
        }
        continue;
      }
      if (c === undefined) this.fail('unterminated string');
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
      for (let j = 1; j < w.length; j++) if (b[this.i + j] !== w[j]) this.fail('expected a value');
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
    if (!digits) this.fail('expected a number');
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
    if (this.ws() !== 123) throw new Bail();
    this.i++;
    let sawFeatures = false;
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      if (this.keyIs(K_FEATURES)) { sawFeatures = true; this.features(); }
      else if (this.keyIs(K_CRS)) this.crs();
      else this.skip();
    }
    this.ws();
    if (this.i < this.b.length) this.fail('text after the end of the JSON document');
    if (!sawFeatures) throw new Bail();
    this.partStart.push(this.coords.n / 2);
    return {
      name: this.name, coords: this.coords.f.slice(0, this.coords.n), partStart: Int32Array.from(this.partStart),
      partFid: Float64Array.from(this.partFid), partLevel: Int8Array.from(this.partLevel), partWalkable: Uint8Array.from(this.partWalkable),
      partName: this.partName,
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
    this.expect(91);
    let fid = 0;
    for (let first = true; this.more(93, first); first = false) this.feature(++fid);
  }

  private feature(fid: number): void {
    this.expect(123);
    const p0 = this.partStart.length, v0 = this.coords.n;
    this.vals.fill(null);
    let keep = false;
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      if (this.keyIs(K_GEOMETRY)) keep = this.geometry();
      else if (this.keyIs(K_PROPERTIES)) this.properties();
      else this.skip();
    }
    if (!keep) { this.partStart.length = p0; this.coords.n = v0; return; }
    const v = this.vals;
    const walk = isWalkable(this.classifier, v[0], v[1]) ? 1 : 0;
    const lev = levelOf(v[2], v[3], v[4]);
    const nm = typeof v[5] === 'string' ? v[5] : null;
    for (let p = p0; p < this.partStart.length; p++) {
      this.partFid.push(fid); this.partLevel.push(lev); this.partWalkable.push(walk); this.partName.push(nm);
    }
  }

  /** Returns true when the geometry is a (Multi)LineString whose parts were appended. */
  private geometry(): boolean {
    if (this.ws() === 110) { this.skip(); return false; }
    this.expect(123);
    let type = 0, level = -1;
    const p0 = this.partStart.length, v0 = this.coords.n;
    for (let first = true; this.more(125, first); first = false) {
      this.str();
      this.expect(58);
      if (this.keyIs(K_TYPE)) { this.str(); type = this.keyIs(T_LINE) ? 1 : this.keyIs(T_MULTILINE) ? 2 : 3; }
      else if (this.keyIs(K_COORDINATES)) level = this.coordArray(0);
      else this.skip();
    }
    const ok = (type === 1 && level === 1) || (type === 2 && level === 2);
    if (!ok) { this.partStart.length = p0; this.coords.n = v0; }
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
