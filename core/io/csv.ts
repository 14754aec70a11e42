/**
 * CSV import (points from lon/lat or x/y columns, any geometry from a WKT column) and CSV export
 * (RFC 4180, UTF-8 with a BOM so Excel shows Thai and Devanagari correctly).
 */
import Papa from 'papaparse';
import { EkimaeError } from '../errors.js';
import type { ExportMeta, ExportRequest, WriterOutput } from './export.js';
import type { RawFeature, RawLayer } from './normalize.js';
import { looksBinary, type SourceFile } from './source.js';
import type { FieldDef, ImportIssue, ImportOptions, LayerData, Value } from './types.js';
import { formatWkt, parseWkt, WktError } from './wkt.js';

const DELIMITERS = [',', ';', '\t', '|'];
const WKT_NAMES = /^(wkt|geometry|geom|the_geom|wkt_geom)$/i;
const LON_NAMES = /^(lon|lng|long|longitude)$/i;
const LAT_NAMES = /^(lat|latitude)$/i;
const X_NAMES = /^(x|easting)$/i;
const Y_NAMES = /^(y|northing)$/i;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Codes such as "0012" or "+66…" lose meaning as numbers; integers past 15 digits lose precision. */
const KEEP_AS_TEXT = /^[-+]?0\d|^\+|^[-+]?\d{16,}$/;
/** "1200,5" where a semicolon separates columns: a European-locale spreadsheet's decimal comma. */
const DECIMAL_COMMA = /^[-+]?\d+,\d+$/;

export interface DecodedText {
  text: string;
  encoding: string;
  issue?: ImportIssue;
}

function decode(bytes: Uint8Array, label: string): string {
  return new TextDecoder(label).decode(bytes);
}

/** Thai in TIS-620/windows-874 is runs of bytes in A1–FB; Latin-1 text has lone accented bytes between ASCII. */
function guessLegacy(bytes: Uint8Array): 'windows-874' | 'windows-1252' {
  let high = 0, thai = 0, inRun = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    high++;
    if ((b >= 0xa1 && b <= 0xda) || (b >= 0xdf && b <= 0xfb)) thai++;
    if ((i > 0 && bytes[i - 1] >= 0x80) || (i + 1 < bytes.length && bytes[i + 1] >= 0x80)) inRun++;
  }
  return thai >= high * 0.9 && inRun >= high * 0.6 ? 'windows-874' : 'windows-1252';
}

/** Text of a CSV: the option wins, then a BOM, then strict UTF-8, then a flagged guess. */
export function decodeCsvText(bytes: Uint8Array, file: string, encoding?: string): DecodedText {
  const strip = (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
  if (encoding) {
    try { return { text: strip(decode(bytes, encoding)), encoding }; } catch {
      throw new EkimaeError('E_ENCODING', `${file}: "${encoding}" is not an encoding Ekimae knows (try utf-8, windows-874, windows-1252)`, { file, encoding });
    }
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: strip(decode(bytes, 'utf-8')), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strip(decode(bytes, 'utf-16le')), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strip(decode(bytes, 'utf-16be')), encoding: 'utf-16be' };
  if (looksBinary(bytes)) throw new EkimaeError('E_FORMAT_INVALID', `${file} is binary data, not CSV text`, { file });
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    const guess = guessLegacy(bytes);
    return {
      text: decode(bytes, guess), encoding: guess,
      issue: {
        code: 'E_ENCODING', action: 'flagged',
        message: `${file} is not UTF-8 and has no byte-order mark; read it as ${guess}${guess === 'windows-874' ? ' (Thai)' : ''}. If the text looks wrong, import again with the encoding option`,
      },
    };
  }
}

/** Values of one text column: numbers when every non-empty value is a plain number, empty -> null. */
export function typeTextColumn(values: Array<string | null | undefined>, decimalComma = false): { values: Value[]; type: FieldDef['type'] } {
  const plain = (v: string) => (decimalComma && DECIMAL_COMMA.test(v) ? v.replace(',', '.') : v);
  const present = values.filter((v): v is string => v != null && v.trim() !== '').map((v) => plain(v.trim()));
  const numeric = present.length > 0 && present.every((v) => NUMBER.test(v) && !KEEP_AS_TEXT.test(v));
  const out = values.map((v) => (v == null || v.trim() === '' ? null : numeric ? Number(plain(v.trim())) : v));
  const type = !numeric ? 'TEXT' : out.every((v) => v === null || Number.isInteger(v)) ? 'INTEGER' : 'REAL';
  return { values: out, type };
}

function uniqueHeader(raw: string[]): string[] {
  const seen = new Set<string>();
  return raw.map((h, i) => {
    const base = unguardFormula(h.trim()) || `field_${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    seen.add(name.toLowerCase());
    return name;
  });
}

/** Column types from GDAL's .csvt sidecar (one type per column: "String", "Integer", "Real(10.2)", "WKT", "CoordX", …). */
type CsvtType = FieldDef['type'] | 'WKT' | 'X' | 'Y';
const CSVT_TYPES: Array<[RegExp, CsvtType]> = [
  [/^integer\(boolean\)$/i, 'BOOLEAN'], [/^integer(64)?(\(\d+\))?$/i, 'INTEGER'], [/^real(\(\d+(\.\d+)?\))?$/i, 'REAL'],
  [/^date$/i, 'DATE'], [/^datetime$/i, 'DATETIME'], [/^wkt$/i, 'WKT'], [/^(coordx|point\(x\))$/i, 'X'], [/^(coordy|point\(y\))$/i, 'Y'],
];
const CSVT_NAMES: Record<FieldDef['type'], string> = { TEXT: 'String', INTEGER: 'Integer', REAL: 'Real', BOOLEAN: 'Integer(Boolean)', DATE: 'Date', DATETIME: 'DateTime' };

function readCsvt(bytes: Uint8Array | null, columns: number, file: string, issues: ImportIssue[]): CsvtType[] | null {
  if (!bytes) return null;
  const types = new TextDecoder().decode(bytes).trim().split(',').map((t) => t.trim().replace(/^"(.*)"$/, '$1'));
  if (types.length !== columns) {
    issues.push({ code: 'E_INPUT_INVALID', action: 'flagged', message: `${file}: the .csvt beside it lists ${types.length} types for ${columns} columns; it was ignored` });
    return null;
  }
  return types.map((t) => CSVT_TYPES.find(([re]) => re.test(t))?.[1] ?? 'TEXT');
}

/** Values of a column whose type the .csvt declares: no guessing, "0012" declared Integer is 12. */
function declaredColumn(values: Array<string | undefined>, type: FieldDef['type'], decimalComma: boolean, bad: (row: number, v: string) => void): Value[] {
  return values.map((raw, i) => {
    const v = (raw ?? '').trim();
    if (v === '') return null;
    if (type === 'INTEGER' || type === 'REAL') {
      const s = decimalComma && DECIMAL_COMMA.test(v) ? v.replace(',', '.') : v;
      if (NUMBER.test(s)) return Number(s);
    } else if (type === 'BOOLEAN') {
      if (/^(1|true|t|yes|y)$/i.test(v)) return true;
      if (/^(0|false|f|no|n)$/i.test(v)) return false;
    } else return raw!;
    bad(i, v);
    return null;
  });
}

/** Text a spreadsheet would run as a formula (CSV injection): =, @, or + and - not starting a number. */
const formulaLike = (s: string) => /^[=@\t\r]/.test(s) || (/^[+-]./.test(s) && !NUMBER.test(s));
/** Export puts an apostrophe before such text so Excel treats it as text; import removes exactly that one. */
export const guardFormula = (s: string) => (formulaLike(s.replace(/^'+/, '')) ? `'${s}` : s);
export const unguardFormula = (s: string) => (s.startsWith("'") && formulaLike(s.replace(/^'+/, '')) ? s.slice(1) : s);

type GeomColumns = { kind: 'wkt'; wkt: number } | { kind: 'xy'; x: number; y: number; lonLat: boolean };

function geometryColumns(header: string[], opts: ImportOptions, file: string, csvt: CsvtType[] | null): GeomColumns {
  const named = (want: string) => {
    const exact = header.indexOf(want);
    const i = exact >= 0 ? exact : header.findIndex((h) => h.toLowerCase() === want.toLowerCase());
    if (i < 0) throw new EkimaeError('E_CSV_NO_GEOMETRY', `${file}: there is no column "${want}"; the columns are ${header.join(', ')}`, { file, header });
    return i;
  };
  if (opts.wktField) return { kind: 'wkt', wkt: named(opts.wktField) };
  if (opts.lonField || opts.latField) {
    if (!opts.lonField || !opts.latField) throw new EkimaeError('E_INPUT_INVALID', `${file}: give both lonField and latField`, { file });
    return { kind: 'xy', x: named(opts.lonField), y: named(opts.latField), lonLat: !opts.crs };
  }
  const find = (re: RegExp) => header.findIndex((h) => re.test(h));
  if (csvt?.includes('WKT')) return { kind: 'wkt', wkt: csvt.indexOf('WKT') };
  if (csvt?.includes('X') && csvt.includes('Y')) {
    const x = csvt.indexOf('X'), y = csvt.indexOf('Y');
    return { kind: 'xy', x, y, lonLat: !opts.crs && LON_NAMES.test(header[x]) && LAT_NAMES.test(header[y]) };
  }
  const wkt = find(WKT_NAMES);
  if (wkt >= 0) return { kind: 'wkt', wkt };
  const lon = find(LON_NAMES), lat = find(LAT_NAMES);
  if (lon >= 0 && lat >= 0) return { kind: 'xy', x: lon, y: lat, lonLat: !opts.crs };
  const x = find(X_NAMES), y = find(Y_NAMES);
  if (x >= 0 && y >= 0) return { kind: 'xy', x, y, lonLat: false };
  throw new EkimaeError('E_CSV_NO_GEOMETRY',
    `${file}: no geometry column found among ${header.join(', ')}; name the columns lon/lat (or x/y with a CRS) or wkt, or give lonField/latField or wktField`,
    { file, header });
}

function coordinate(cell: string | undefined, decimalComma: boolean): number | null {
  let s = (cell ?? '').trim();
  if (s === '') return null;
  if (decimalComma && DECIMAL_COMMA.test(s)) s = s.replace(',', '.');
  return NUMBER.test(s) ? Number(s) : NaN;
}

export function parseCsv(src: SourceFile, opts: ImportOptions): RawLayer[] {
  const file = src.name;
  const { text, encoding, issue } = decodeCsvText(src.bytes, file, opts.encoding);
  const issues: ImportIssue[] = issue ? [issue] : [];
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: DELIMITERS, skipEmptyLines: 'greedy' });
  const rows = parsed.data;
  if (!rows.length) throw new EkimaeError('E_NO_FEATURES', `${file} has no header row`, { file });
  for (const e of parsed.errors.slice(0, 20)) {
    if (e.type === 'Quotes') issues.push({ code: 'E_FORMAT_INVALID', action: 'flagged', message: `${file}, data row ${(e.row ?? 0)}: ${e.message}` });
  }
  const header = uniqueHeader(rows[0]);
  const csvt = readCsvt(src.sibling('csvt'), header.length, file, issues);
  const geo = geometryColumns(header, opts, file, csvt);
  // Spreadsheets separate with ';' exactly where ',' is the decimal mark; in tab files "1,200" may be a thousands separator.
  const decimalComma = parsed.meta.delimiter === ';';
  const data = rows.slice(1);
  const features: RawFeature[] = [];
  let srid: number | undefined;
  data.forEach((row, i) => {
    if (row.length > header.length && row.slice(header.length).some((c) => c.trim() !== '')) {
      issues.push({ feature: i, code: 'E_INPUT_INVALID', action: 'flagged', message: `${file}, data row ${i + 1}: ${row.length} values for ${header.length} columns; the extra values were left out` });
    }
    let geometry: unknown = null;
    if (geo.kind === 'xy') {
      const x = coordinate(row[geo.x], decimalComma), y = coordinate(row[geo.y], decimalComma);
      if (x !== null || y !== null) geometry = { type: 'Point', coordinates: [x ?? NaN, y ?? NaN] };
    } else if ((row[geo.wkt] ?? '').trim() !== '') {
      try {
        const w = parseWkt(row[geo.wkt]);
        geometry = w.geometry;
        if (w.srid !== undefined && srid !== undefined && w.srid !== srid) {
          throw new EkimaeError('E_CRS_UNKNOWN', `${file}, data row ${i + 1}: SRID ${w.srid} differs from SRID ${srid} in earlier rows; one file holds one CRS`, { file });
        }
        srid ??= w.srid;
      } catch (e) {
        if (!(e instanceof WktError)) throw e;
        // Flagged, not skipped: normalizeLayer skips the row (no geometry) and counts it once.
        issues.push({ feature: i, code: 'E_WKT_INVALID', action: 'flagged', message: `${file}, data row ${i + 1}: WKT ${JSON.stringify(row[geo.wkt].slice(0, 40))} cannot be read (${e.message}); row left out` });
      }
    }
    features.push({ geometry, properties: {} });
  });
  const geomCols = new Set(geo.kind === 'wkt' ? [geo.wkt] : [geo.x, geo.y]);
  const fields: FieldDef[] = [];
  header.forEach((name, c) => {
    if (geomCols.has(c)) return;
    const declared = csvt?.[c];
    const cells = data.map((r) => (r[c] === undefined ? undefined : unguardFormula(r[c])));
    const col = declared && declared !== 'WKT' && declared !== 'X' && declared !== 'Y'
      ? { type: declared, values: declaredColumn(cells, declared, decimalComma, (i, v) => issues.push({
        feature: i, code: 'E_INPUT_INVALID', action: 'repaired',
        // The value itself stays out: issues are kept in the project's provenance and may be personal data.
        message: `${file}, data row ${i + 1}: the value in ${name} is not the ${CSVT_NAMES[declared]} its .csvt declares; stored as empty`,
      })) }
      : typeTextColumn(cells, decimalComma);
    fields.push({ name, type: col.type });
    col.values.forEach((v, i) => { features[i].properties![name] = v; });
  });
  const crs = opts.crs ?? (geo.kind === 'xy' && geo.lonLat ? 'EPSG:4326' : srid !== undefined ? `EPSG:${srid}` : undefined);
  const name = file.replace(/\.(csv|tsv|txt)$/i, '');
  return [{ name, features, fields, crs, issues, source: { file, format: 'csv', encoding } }];
}

function cell(v: Value | string, guard = false): string {
  if (v === null) return '';
  const s = guard && typeof v === 'string' ? guardFormula(v) : String(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function freeName(candidates: string[], taken: Set<string>): string {
  return candidates.find((c) => !taken.has(c.toLowerCase())) ?? `${candidates[0]}_${taken.size + 1}`;
}

/**
 * CSV text for one layer; geometry first (as WKT, or lon/lat for points) so a re-import finds it before any
 * look-alike attribute. Beside it: a GDAL .csvt with the column types (so "12" stays text on the way back)
 * and the provenance as JSON, since a comment line in the CSV would break Excel.
 */
export function toCsv(layer: LayerData, meta: ExportMeta, req: ExportRequest): WriterOutput {
  const taken = new Set(layer.fields.map((f) => f.name.toLowerCase()));
  const lonLat = req.csvGeometry === 'lonlat';
  let geomHead: string[];
  let geomTypes = ['CoordX', 'CoordY'];
  let geomCells: (g: LayerData['features'][number]['geometry']) => string[];
  if (lonLat) {
    const single = (g: (typeof layer.features)[number]['geometry']) =>
      g === null || g.type === 'Point' || (g.type === 'MultiPoint' && g.coordinates.length === 1);
    if (!layer.geometryType.endsWith('POINT') || !layer.features.every((f) => single(f.geometry))) {
      throw new EkimaeError('E_INPUT_INVALID', `layer ${layer.name} is ${layer.geometryType}; lon/lat columns hold single points only, export it with WKT geometry instead`, { layer: layer.name });
    }
    geomHead = [freeName(['lon', 'longitude', 'lng'], taken), freeName(['lat', 'latitude'], taken)];
    geomCells = (g) => {
      if (!g) return ['', ''];
      const p = g.type === 'Point' ? g.coordinates : (g as { coordinates: [number, number][] }).coordinates[0];
      return [String(p[0]), String(p[1])];
    };
  } else {
    geomHead = [freeName(['wkt', 'geometry', 'geom', 'the_geom'], taken)];
    geomTypes = ['WKT'];
    geomCells = (g) => [g ? formatWkt(g) : ''];
  }
  const lines = [[...geomHead, ...layer.fields.map((f) => f.name)].map((h) => cell(h, true)).join(',')];
  for (const f of layer.features) {
    lines.push([...geomCells(f.geometry).map((g) => cell(g)), ...layer.fields.map((fd) => cell(f.properties[fd.name] ?? null, true))].join(','));
  }
  const types = [...geomTypes, ...layer.fields.map((f) => CSVT_NAMES[f.type])].map((t) => `"${t}"`).join(',');
  return {
    main: `\uFEFF${lines.join('\r\n')}\r\n`,
    sidecars: { '.csvt': `${types}\r\n`, '.provenance.json': `${JSON.stringify(meta, null, 2)}\n` },
  };
}
