/**
 * A GTFS feed's text files, from a zip, a folder, or a lone stops file (a feed cut down to
 * stops.txt, as public extracts often are), read as the UTF-8 CSV the GTFS reference prescribes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { unzipSync } from 'fflate';
import Papa from 'papaparse';
import { EkimaeError } from '../errors.js';
import { decodeUtf8Strict, MAX_FILE_BYTES, type SourceFile } from './source.js';

export interface GtfsFeed {
  /** The zip, folder or file name, as shown to the user and stored in provenance. */
  name: string;
  /** Members by lower-case file name (stops.txt, routes.txt, …). */
  files: Map<string, Uint8Array>;
  sha256: string;
  /** The folder the feed came from, where a SOURCE.md may give its licence; null for bytes in memory. */
  dir: string | null;
}

export type Row = Record<string, string>;
export interface Table {
  file: string;
  columns: Set<string>;
  rows: Row[];
}

/** Columns every row of these files must have (GTFS reference, "Required" fields). */
export const REQUIRED: Record<string, string[]> = {
  'stops.txt': ['stop_id'],
  'routes.txt': ['route_id', 'route_type'],
  'trips.txt': ['route_id', 'service_id', 'trip_id'],
  'stop_times.txt': ['trip_id', 'stop_id', 'stop_sequence'],
  'calendar.txt': ['service_id', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'start_date', 'end_date'],
  'calendar_dates.txt': ['service_id', 'date', 'exception_type'],
  'shapes.txt': ['shape_id', 'shape_pt_lat', 'shape_pt_lon', 'shape_pt_sequence'],
  'frequencies.txt': ['trip_id', 'start_time', 'end_time', 'headway_secs'],
};

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);
const skipped = (path: string) => path.startsWith('__MACOSX/') || basename(path).startsWith('._');

/** Files only a GTFS feed has: one of them makes a zip or folder a feed (which then says what it lacks). */
const GTFS_FILES = new Set(['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt', 'calendar.txt', 'calendar_dates.txt', 'feed_info.txt']);

/** A zip holding GTFS files (at its root or in one folder) and no .shp is a GTFS feed, not a zipped shapefile. */
export function zipHoldsGtfs(bytes: Uint8Array): boolean {
  if (!isZip(bytes)) return false;
  let gtfs = false, shp = false;
  try {
    unzipSync(bytes, { filter: (f) => { if (!skipped(f.name)) { gtfs ||= GTFS_FILES.has(basename(f.name).toLowerCase()); shp ||= /\.shp$/i.test(f.name); } return false; } });
  } catch { return false; }
  return gtfs && !shp;
}

/** A CSV whose header has stop_id, stop_lat and stop_lon is a GTFS stops file, whatever its name. */
export function textHoldsGtfsStops(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0];
  const cols = new Set(head.split(',').map((c) => c.trim().replace(/^"|"$/g, '').trim()));
  return cols.has('stop_id') && cols.has('stop_lat') && cols.has('stop_lon');
}

/** A folder holding GTFS files is a GTFS feed. */
export function folderHoldsGtfs(path: string): boolean {
  try { return statSync(path).isDirectory() && readdirSync(path).some((f) => GTFS_FILES.has(f.toLowerCase())); } catch { return false; }
}

/**
 * sha256 of a feed kept as loose files: the sha256 of the lines `sha256sum` prints for its .txt
 * files in byte order of their names ("<hex>  <name>\n"), so `sha256sum $(LC_ALL=C ls *.txt) | sha256sum`
 * in the folder gives the same figure.
 */
function listingSha256(files: Array<[string, Uint8Array]>): string {
  const lines = [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, b]) => `${createHash('sha256').update(b).digest('hex')}  ${n}\n`).join('');
  return createHash('sha256').update(lines).digest('hex');
}

function fromZip(src: SourceFile): Map<string, Uint8Array> {
  let members: Record<string, Uint8Array>;
  const tooBig: string[] = [];
  try {
    members = unzipSync(src.bytes, {
      filter: (f) => {
        if (skipped(f.name) || !/\.txt$/i.test(f.name)) return false;
        if (f.originalSize > MAX_FILE_BYTES) { tooBig.push(f.name); return false; }
        return true;
      },
    });
  } catch (e) {
    throw new EkimaeError('E_ZIP_INVALID', `${src.name} is a damaged or truncated zip archive (${(e as Error).message}); download or copy it again`, { file: src.name });
  }
  if (tooBig.length) throw new EkimaeError('E_FILE_TOO_LARGE', `${src.name}: ${tooBig[0]} unpacks to more than 2 GiB`, { file: src.name });
  // The feed is the folder holding its files (zips made by "compress folder" put everything one level down).
  const first = Object.keys(members).filter((p) => GTFS_FILES.has(basename(p).toLowerCase())).sort((a, b) => a.split('/').length - b.split('/').length)[0];
  const prefix = first ? first.slice(0, first.length - basename(first).length) : '';
  const files = new Map<string, Uint8Array>();
  for (const [p, b] of Object.entries(members)) {
    if (p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) files.set(p.slice(prefix.length).toLowerCase(), b);
  }
  return files;
}

/** The feed in a zip, or a lone stops file (beside the rest of its feed when it is called stops.txt). */
export function feedFromSource(src: SourceFile): GtfsFeed {
  const dir = src.path !== src.name || existsSync(src.path) ? dirname(src.path) : null;
  if (isZip(src.bytes)) return { name: src.name, files: fromZip(src), sha256: createHash('sha256').update(src.bytes).digest('hex'), dir };
  if (src.name.toLowerCase() === 'stops.txt' && dir && existsSync(join(dir, src.name))) return feedFromFolder(dir);
  return { name: src.name, files: new Map([['stops.txt', src.bytes]]), sha256: createHash('sha256').update(src.bytes).digest('hex'), dir };
}

export function feedFromFolder(path: string): GtfsFeed {
  const entries: Array<[string, Uint8Array]> = [];
  for (const f of readdirSync(path)) {
    const p = join(path, f);
    if (extname(f).toLowerCase() !== '.txt' || !statSync(p).isFile()) continue;
    if (statSync(p).size > MAX_FILE_BYTES) throw new EkimaeError('E_FILE_TOO_LARGE', `${basename(path)}/${f} is larger than 2 GiB`, { file: basename(path) });
    entries.push([f, readFileSync(p)]);
  }
  return { name: basename(path), files: new Map(entries.map(([n, b]) => [n.toLowerCase(), b])), sha256: listingSha256(entries), dir: path };
}

/** Where a row is, as a user finds it in a text editor: the header is line 1. */
export const at = (feed: GtfsFeed, t: Table, index: number) => `${feed.name}: ${t.file} line ${index + 2}`;

/**
 * A file's rows one at a time, its required columns checked first; null when the feed does not have
 * it. stop_times and shapes of a city feed are millions of rows: callers keep only what they need.
 */
export function scanTable(feed: GtfsFeed, file: string, visit: (cell: (column: string) => string, index: number, columns: string[]) => void): { file: string; columns: Set<string> } | null {
  const bytes = feed.files.get(file);
  if (!bytes) return null;
  const text = decodeUtf8Strict(bytes, `${feed.name}: ${file}`);
  let header: string[] | null = null;
  let col = new Map<string, number>();
  let row: string[] = [];
  let index = 0;
  let failure: unknown = null;
  const cell = (c: string) => { const k = col.get(c); return k === undefined ? '' : (row[k] ?? '').trim(); };
  const checkHeader = (h: string[]) => {
    for (const c of REQUIRED[file] ?? []) {
      if (!h.includes(c)) {
        throw new EkimaeError('E_GTFS_COLUMN_MISSING', `${feed.name}: ${file} has no ${c} column (its header: ${h.join(', ').slice(0, 200)})`, { file: feed.name, member: file, column: c });
      }
    }
  };
  // A string is parsed synchronously, one step per row; nothing is kept but what visit keeps.
  Papa.parse<string[]>(text, {
    header: false, skipEmptyLines: 'greedy',
    step: (res, parser) => {
      try {
        const bad = res.errors.find((e) => e.type === 'Quotes');
        if (bad) throw new EkimaeError('E_FORMAT_INVALID', `${feed.name}: ${file} line ${header ? index + 2 : 1}: ${bad.message}`, { file: feed.name, member: file });
        if (!header) {
          header = res.data.map((h) => h.trim());
          col = new Map(header.map((h, i) => [h, i]));
          checkHeader(header);
          return;
        }
        row = res.data;
        visit(cell, index++, header);
      } catch (e) {
        failure = e;
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
  if (!header) checkHeader([]);
  return { file, columns: new Set(header ?? []) };
}

/** A (small) file of the feed as rows of trimmed text. */
export function readTable(feed: GtfsFeed, file: string): Table | null {
  const rows: Row[] = [];
  const t = scanTable(feed, file, (cell, _i, columns) => {
    const r: Row = {};
    for (const c of columns) r[c] = cell(c);
    rows.push(r);
  });
  return t && { ...t, rows };
}

export function requireTable(feed: GtfsFeed, file: string, why: string): Table {
  const t = readTable(feed, file);
  if (!t) throw new EkimaeError('E_GTFS_FILE_MISSING', `${feed.name} has no ${file}${why}`, { file: feed.name, member: file });
  return t;
}

/** The line of a SOURCE.md beside the feed (or one folder up) that names it: its licence and attribution. */
export function attributionOf(feed: GtfsFeed): string | null {
  if (!feed.dir) return null;
  for (const d of [feed.dir, dirname(feed.dir)]) {
    const p = join(d, 'SOURCE.md');
    if (!existsSync(p)) continue;
    const line = readFileSync(p, 'utf8').split(/\r?\n/).find((l) => l.includes(feed.name));
    if (line) return line.replace(/^\s*\|\s*|\s*\|\s*$/g, '').split(/\s*\|\s*/).join('; ').slice(0, 1000);
  }
  return null;
}
