/**
 * dBase III attribute tables as shapefiles carry them: header, field descriptors, fixed-width
 * records. Text encoding is decided once per table (see chooseEncoding) because a .dbf never
 * says it reliably: .cpg first, then the header's language driver id, then the user's option,
 * then a guess that is always reported.
 */
import { EkimaeError } from '../errors.js';
import type { FieldDef, FieldType, ImportIssue, Value } from './types.js';

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
  offset: number;
}

export interface DbfTable {
  fields: DbfField[];
  /** One entry per record; null where the record is flagged deleted. */
  records: Array<Record<string, Value> | null>;
  encoding: string;
  issues: ImportIssue[];
}

/**
 * Language driver ids (DBF header byte 29) that name a code page TextDecoder can read. The table
 * is GDAL's (ogrshapelayer.cpp, GetEncodingFromLDIDNumber) restricted to WHATWG encodings;
 * 0x57 is ESRI's "ANSI", i.e. whatever code page the writing machine used, so it is only a hint.
 */
const LDID: Record<number, string> = {
  0x03: 'windows-1252', 0x13: 'shift_jis', 0x26: 'ibm866', 0x4d: 'gbk', 0x4e: 'euc-kr', 0x4f: 'big5',
  0x50: 'windows-874', 0x58: 'windows-1252', 0x59: 'windows-1252', 0x65: 'ibm866', 0x78: 'big5',
  0x79: 'euc-kr', 0x7a: 'gbk', 0x7b: 'shift_jis', 0x7c: 'windows-874', 0xc8: 'windows-1250',
  0xc9: 'windows-1251', 0xca: 'windows-1254', 0xcb: 'windows-1253', 0xcc: 'windows-1257',
};
const LDID_ANSI = 0x57;

const CPG_NUMERIC: Record<string, string> = {
  '65001': 'utf-8', '874': 'windows-874', '932': 'shift_jis', '936': 'gbk', '949': 'euc-kr', '950': 'big5',
  '866': 'ibm866', '28591': 'iso-8859-1', '20866': 'koi8-r',
};

/** The TextDecoder name for a .cpg or option label, or null when no decoder reads it. */
export function encodingFromLabel(label: string): string | null {
  let s = label.trim().replace(/^\uFEFF/, '').toUpperCase();
  s = s.replace(/^(ANSI|CP|WINDOWS|MS)[\s_-]*(?=\d)/, '');
  if (s === 'UTF8') s = 'UTF-8';
  const iso = /^(?:ISO)?[\s_-]*8859[\s_-]*(\d+)$/.exec(s);
  if (iso) s = `ISO-8859-${iso[1]}`;
  else if (/^\d+$/.test(s)) {
    const n = Number(s);
    if (n >= 1250 && n <= 1258) return `windows-${n}`;
    if (CPG_NUMERIC[s]) return CPG_NUMERIC[s];
    return null;
  }
  try {
    return new TextDecoder(s.toLowerCase()).encoding;
  } catch {
    return null;
  }
}

/** windows-1252 bytes 0x80–0x9F (WHATWG table): Node 20's TextDecoder reads them as Latin-1 C1 controls, losing €, “ ” and –. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

export interface Decoder {
  decode(b: Uint8Array): string;
}

export function decoderFor(encoding: string): Decoder {
  if (encoding !== 'windows-1252') return new TextDecoder(encoding);
  return {
    decode(b) {
      let s = '';
      for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i] >= 0x80 && b[i] < 0xa0 ? CP1252_HIGH[b[i] - 0x80] : b[i]);
      return s;
    },
  };
}

function isValidUtf8(b: Uint8Array): boolean {
  try { new TextDecoder('utf-8', { fatal: true }).decode(b); return true; } catch { return false; }
}

/**
 * Thai in windows-874 is runs of bytes 0xA1–0xFB (no spaces inside words, vowels and tone marks
 * stacked on consonants); Latin-1 text has accented letters standing alone between ASCII ones.
 */
export function looksThai(b: Uint8Array): boolean {
  let high = 0, paired = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] < 0xa1 || b[i] > 0xfb) continue;
    high++;
    if ((i > 0 && b[i - 1] >= 0xa1 && b[i - 1] <= 0xfb) || (i + 1 < b.length && b[i + 1] >= 0xa1 && b[i + 1] <= 0xfb)) paired++;
  }
  return high > 0 && paired / high >= 0.6;
}

export interface EncodingChoice {
  encoding: string;
  issue?: ImportIssue;
}

/** Pick the DBF text encoding; `text` gives the bytes of every text cell, needed only for a guess. */
export function chooseEncoding(file: string, cpg: Uint8Array | null, ldid: number, optEncoding: string | undefined, text: () => Uint8Array): EncodingChoice {
  const why: string[] = [];
  if (cpg) {
    const label = new TextDecoder('latin1').decode(cpg).trim();
    const enc = label ? encodingFromLabel(label) : null;
    if (enc) return { encoding: enc };
    why.push(`its .cpg says "${label.slice(0, 40)}", which Ekimae cannot decode`);
  } else why.push('it has no .cpg');
  if (ldid === LDID_ANSI) why.push('its header says only "ANSI" (language driver 0x57)');
  if (LDID[ldid]) return { encoding: LDID[ldid] };
  if (optEncoding) {
    const enc = encodingFromLabel(optEncoding);
    if (!enc) throw new EkimaeError('E_ENCODING', `${file}: the encoding option "${optEncoding.slice(0, 40)}" is not one Ekimae knows (try utf-8, windows-874, windows-1252)`, { file, encoding: optEncoding });
    return { encoding: enc };
  }
  const bytes = text();
  if (!bytes.some((b) => b >= 0x80)) return { encoding: 'utf-8' };
  let guess: string;
  if (isValidUtf8(bytes)) guess = 'utf-8';
  else if (looksThai(bytes)) guess = 'windows-874';
  else guess = 'windows-1252';
  return {
    encoding: guess,
    issue: {
      code: 'E_ENCODING', action: 'flagged',
      message: `${file}: ${why.join('; ')}; text was read as ${guess} (a guess: if names look wrong, re-import with the encoding option)`,
    },
  };
}

function fieldType(f: DbfField): FieldType {
  switch (f.type) {
    case 'N': case 'F': return f.decimals === 0 && f.length <= 15 ? 'INTEGER' : 'REAL';
    case 'L': return 'BOOLEAN';
    case 'D': return 'DATE';
    default: return 'TEXT';
  }
}

export function fieldDefs(t: DbfTable): FieldDef[] {
  return t.fields.map((f) => ({ name: f.name, type: fieldType(f) }));
}

function trimEnd(b: Uint8Array, from: number, to: number): number {
  while (to > from && (b[to - 1] === 0x20 || b[to - 1] === 0)) to--;
  return to;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to)).trim();
}

function cell(b: Uint8Array, f: DbfField, at: number, dec: Decoder): Value {
  const start = at + f.offset;
  const end = start + f.length;
  switch (f.type) {
    case 'N': case 'F': {
      const s = ascii(b, start, end);
      if (!s || /^\*+$/.test(s)) return null;
      const n = Number(s.replace(',', '.'));
      return Number.isFinite(n) ? n : null;
    }
    case 'L': {
      const c = String.fromCharCode(b[start]).toUpperCase();
      return c === 'T' || c === 'Y' ? true : c === 'F' || c === 'N' ? false : null;
    }
    case 'D': {
      const s = ascii(b, start, end);
      const m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
      return m && s !== '00000000' ? `${m[1]}-${m[2]}-${m[3]}` : null;
    }
    default: {
      const stop = trimEnd(b, start, end);
      // An empty text cell is how dBase stores "no value" (GDAL reads it as NULL too).
      return stop === start ? null : dec.decode(b.subarray(start, stop));
    }
  }
}

/** Parse a .dbf. `cpg` is the .cpg sibling, if any. */
export function readDbf(bytes: Uint8Array, file: string, cpg: Uint8Array | null, optEncoding?: string): DbfTable {
  const bad = (why: string) => new EkimaeError('E_FORMAT_INVALID', `${file}: ${why}`, { file });
  if (bytes.length < 32) throw bad(`the .dbf is ${bytes.length} bytes, shorter than its 32-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = dv.getUint32(4, true);
  const headerLen = dv.getUint16(8, true);
  const recordLen = dv.getUint16(10, true);
  const ldid = bytes[29];
  if (headerLen < 33 || headerLen > bytes.length) throw bad(`the .dbf header length ${headerLen} is impossible for a ${bytes.length}-byte file`);

  const raw: Array<Omit<DbfField, 'name'> & { nameBytes: Uint8Array }> = [];
  let offset = 1;
  for (let p = 32; p + 32 <= headerLen && bytes[p] !== 0x0d; p += 32) {
    let n = 0;
    while (n < 11 && bytes[p + n] !== 0) n++;
    const f = { nameBytes: bytes.subarray(p, p + n), type: String.fromCharCode(bytes[p + 11]).toUpperCase(), length: bytes[p + 16], decimals: bytes[p + 17], offset };
    // dBase stores long C fields' width in the decimals byte as a high byte (Clipper, FoxPro).
    if (f.type === 'C' && f.decimals) { f.length += f.decimals * 256; f.decimals = 0; }
    offset += f.length;
    raw.push(f);
  }
  if (offset > recordLen) throw bad(`the .dbf fields need ${offset} bytes per record but the header says ${recordLen}`);

  const issues: ImportIssue[] = [];
  const available = recordLen > 0 ? Math.floor((bytes.length - headerLen) / recordLen) : 0;
  let count = declared;
  if (available < declared) {
    issues.push({ code: 'E_FORMAT_INVALID', action: 'flagged', message: `${file}: the .dbf header says ${declared} records but only ${available} are present (file truncated?)` });
    count = available;
  }

  // Every text byte (names included), so a guess sees all of it.
  const allText = () => {
    const textCols = raw.filter((f) => f.type !== 'N' && f.type !== 'F' && f.type !== 'L' && f.type !== 'D');
    const chunks: Uint8Array[] = raw.map((f) => f.nameBytes);
    for (let r = 0; r < count; r++) {
      const at = headerLen + r * recordLen;
      for (const f of textCols) chunks.push(bytes.subarray(at + f.offset, trimEnd(bytes, at + f.offset, at + f.offset + f.length)));
    }
    const joined = new Uint8Array(chunks.reduce((a, c) => a + c.length + 1, 0));
    let w = 0;
    for (const c of chunks) { joined.set(c, w); w += c.length + 1; }
    return joined;
  };
  const choice = chooseEncoding(file, cpg, ldid, optEncoding, allText);
  if (choice.issue) issues.push(choice.issue);
  const dec = decoderFor(choice.encoding);

  const taken = new Set<string>();
  const fields: DbfField[] = raw.map(({ nameBytes, ...f }, i) => {
    const base = dec.decode(nameBytes).trim() || `field_${i + 1}`;
    let name = base;
    for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}_${k}`;
    taken.add(name.toLowerCase());
    if (name !== base) issues.push({ code: 'E_INPUT_INVALID', action: 'repaired', message: `${file}: a second field named "${base}" was read as "${name}"` });
    return { ...f, name };
  });
  const records: DbfTable['records'] = [];
  for (let r = 0; r < count; r++) {
    const at = headerLen + r * recordLen;
    if (bytes[at] === 0x2a) { records.push(null); continue; }
    const rec: Record<string, Value> = {};
    for (const f of fields) rec[f.name] = cell(bytes, f, at, dec);
    records.push(rec);
  }
  return { fields, records, encoding: choice.encoding, issues };
}

/** What the writer had to change to fit dBase's limits, so the export can say so. */
export interface DbfChange {
  feature: number;
  field: string;
  reason: string;
}

export interface DbfColumn {
  field: string;
  dbf: string;
  type: 'C' | 'N' | 'L' | 'D';
  width: number;
  decimals: number;
}

export interface DbfWritten {
  bytes: Uint8Array;
  columns: DbfColumn[];
  changes: DbfChange[];
}

const MAX_FIELDS = 255;
const MAX_TEXT = 254;
/** Beyond 15 decimals a double's fixed-point text is noise; GDAL writes reals as width 24, precision 15. */
const MAX_DECIMALS = 15;
const utf8 = new TextEncoder();

/** Cut UTF-8 bytes to at most `max` without splitting a character. */
function cutUtf8(b: Uint8Array, max: number): Uint8Array {
  if (b.length <= max) return b;
  let n = max;
  while (n > 0 && (b[n] & 0xc0) === 0x80) n--;
  return b.subarray(0, n);
}

/** dBase names are at most 10 bytes and compared case-insensitively; shorten and number clashes in field order. */
export function dbfFieldNames(names: string[]): string[] {
  const taken = new Set<string>();
  const dec = new TextDecoder();
  return names.map((name) => {
    const bytes = utf8.encode(name.replace(/\u0000/g, ''));
    let out = dec.decode(cutUtf8(bytes, 10)) || 'field';
    for (let k = 1; taken.has(out.toLowerCase()); k++) {
      const suffix = `_${k}`;
      out = dec.decode(cutUtf8(bytes, 10 - suffix.length)) + suffix;
    }
    taken.add(out.toLowerCase());
    return out;
  });
}

/** Decimals needed to write `v` in fixed point without loss (shortest round-trip form). */
function decimalsOf(v: number): number {
  const m = /^-?\d+(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(v));
  if (!m) return 0;
  return Math.max(0, (m[1]?.length ?? 0) - Number(m[2] ?? 0));
}

type Row = Record<string, Value>;

/** Write a UTF-8 dBase III table (the .cpg beside it must say UTF-8). */
export function writeDbf(fields: FieldDef[], rows: Row[], date: Date): DbfWritten {
  if (fields.length > MAX_FIELDS) {
    throw new EkimaeError('E_INPUT_INVALID', `a shapefile holds at most ${MAX_FIELDS} fields and this layer has ${fields.length}; export it as GeoPackage`);
  }
  const changes: DbfChange[] = [];
  const names = dbfFieldNames(fields.map((f) => f.name));
  const columns: DbfColumn[] = [];
  const cells: Uint8Array[][] = rows.map(() => []);
  fields.forEach((f, c) => {
    const vals = rows.map((r) => r[f.name] ?? null);
    const col: DbfColumn = { field: f.name, dbf: names[c], type: 'C', width: 1, decimals: 0 };
    let text: Array<string | null>;
    if (f.type === 'INTEGER' || f.type === 'REAL') {
      col.type = 'N';
      const nums = vals.map((v, i) => {
        const n = v === null || v === '' ? null : Number(v);
        if (n !== null && !Number.isFinite(n)) { changes.push({ feature: i, field: f.name, reason: `"${String(v).slice(0, 40)}" is not a number; written empty` }); return null; }
        return n;
      });
      if (f.type === 'REAL') {
        const need = nums.reduce<number>((a, n) => (n === null ? a : Math.max(a, decimalsOf(n))), 1);
        col.decimals = Math.min(MAX_DECIMALS, need);
      }
      text = nums.map((n, i) => {
        if (n === null) return null;
        const s = f.type === 'REAL' ? n.toFixed(col.decimals) : String(Math.round(n));
        if (Number(s) !== n) changes.push({ feature: i, field: f.name, reason: `${n} written as ${s} (dBase numbers are fixed-point)` });
        return s;
      });
      col.width = text.reduce<number>((a, s) => Math.max(a, s?.length ?? 0), col.decimals + 2);
    } else if (f.type === 'BOOLEAN') {
      col.type = 'L';
      text = vals.map((v) => (v === null ? null : v === true || v === 1 || v === 'true' ? 'T' : 'F'));
    } else if (f.type === 'DATE') {
      col.type = 'D';
      col.width = 8;
      text = vals.map((v, i) => {
        if (v === null) return null;
        const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v));
        if (!m) changes.push({ feature: i, field: f.name, reason: `"${String(v).slice(0, 40)}" is not a YYYY-MM-DD date; written empty` });
        return m ? `${m[1]}${m[2]}${m[3]}` : null;
      });
    } else {
      // TEXT, and DATETIME (dBase III has no time type; ISO text keeps it readable).
      text = vals.map((v) => (v === null ? null : String(v)));
    }
    text.forEach((s, i) => {
      if (s === null) { cells[i].push(new Uint8Array(0)); return; }
      let b: Uint8Array = utf8.encode(s);
      if (col.type === 'C' && b.length > MAX_TEXT) {
        const cut = cutUtf8(b, MAX_TEXT);
        changes.push({ feature: i, field: f.name, reason: `text of ${b.length} bytes cut to ${cut.length} (dBase limit ${MAX_TEXT})` });
        b = cut;
      }
      if (col.type === 'C') col.width = Math.max(col.width, b.length);
      cells[i].push(b);
    });
    columns.push(col);
  });

  const recordLen = 1 + columns.reduce((a, c) => a + c.width, 0);
  if (recordLen > 0xffff) throw new EkimaeError('E_INPUT_INVALID', `the layer's attributes need ${recordLen} bytes per record; a shapefile allows 65535; export it as GeoPackage`);
  const headerLen = 32 + 32 * columns.length + 1;
  const out = new Uint8Array(headerLen + recordLen * rows.length + 1);
  const dv = new DataView(out.buffer);
  out[0] = 0x03;
  out[1] = date.getUTCFullYear() - 1900;
  out[2] = date.getUTCMonth() + 1;
  out[3] = date.getUTCDate();
  dv.setUint32(4, rows.length, true);
  dv.setUint16(8, headerLen, true);
  dv.setUint16(10, recordLen, true);
  columns.forEach((c, k) => {
    const p = 32 + 32 * k;
    out.set(utf8.encode(c.dbf), p);
    out[p + 11] = c.type.charCodeAt(0);
    out[p + 16] = c.width;
    out[p + 17] = c.decimals;
  });
  out[headerLen - 1] = 0x0d;
  out.fill(0x20, headerLen, out.length - 1);
  const nullByte: Record<DbfColumn['type'], number> = { C: 0x20, N: 0x2a, L: 0x3f, D: 0x20 };
  rows.forEach((_, i) => {
    let p = headerLen + i * recordLen + 1;
    columns.forEach((c, k) => {
      const b = cells[i][k];
      if (!b.length) out.fill(nullByte[c.type], p, p + c.width);
      else out.set(b, c.type === 'N' ? p + c.width - b.length : p);
      p += c.width;
    });
  });
  out[out.length - 1] = 0x1a;
  return { bytes: out, columns, changes };
}
