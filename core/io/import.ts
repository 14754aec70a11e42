/** Read a file of any supported format into clean layers, without touching any project. */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { EkimaeError } from '../errors.js';
import { detectFormat, parserFor, type ImportFormat } from './formats.js';
import { readGtfs } from './gtfs.js';
import { folderHoldsGtfs } from './gtfs-feed.js';
import { normalizeLayer, type RawLayer } from './normalize.js';
import { readSource, type SourceFile } from './source.js';
import type { ImportedLayer, ImportOptions } from './types.js';

export interface ReadResult {
  format: ImportFormat;
  sha256: string;
  layers: ImportedLayer[];
}

export function sha256Of(src: SourceFile): string {
  return createHash('sha256').update(src.bytes).digest('hex');
}

/** Parsers throw plain errors on input no GIS would write; the user needs the file name and a code. */
export function asReadError(e: unknown, file: string, format: ImportFormat): unknown {
  if (e instanceof EkimaeError) return e;
  return new EkimaeError('E_FORMAT_INVALID', `${file} could not be read as ${format}: ${(e as Error).message}`, { file, format });
}

function parseSource(src: SourceFile, opts: ImportOptions): { format: ImportFormat; sha256: string; raws: RawLayer[] } {
  const format = detectFormat(src);
  if (format === 'gtfs') return { format, ...readGtfsAs(src, src.name) };
  const sha256 = sha256Of(src);
  try {
    return { format, sha256, raws: parserFor(format, src.name)(src, opts) };
  } catch (e) {
    throw asReadError(e, src.name, format);
  }
}

function readGtfsAs(from: SourceFile | string, name: string): { sha256: string; raws: RawLayer[] } {
  try {
    return readGtfs(from);
  } catch (e) {
    throw asReadError(e, name, 'gtfs');
  }
}

function normalizeAll(p: { format: ImportFormat; sha256: string; raws: RawLayer[] }, opts: ImportOptions): ReadResult {
  // GTFS is WGS84 by definition and its layers' families are fixed: the CRS and family options do not apply.
  const o = p.format === 'gtfs' ? {} : opts;
  return { format: p.format, sha256: p.sha256, layers: p.raws.map((r) => normalizeLayer(r, o)) };
}

export function readLayersFrom(src: SourceFile, opts: ImportOptions = {}): ReadResult {
  return normalizeAll(parseSource(src, opts), opts);
}

export function readLayersFromFile(path: string, opts: ImportOptions = {}): ReadResult {
  // A folder is read only as a GTFS feed (loose stops.txt, routes.txt, …).
  if (folderHoldsGtfs(path)) return normalizeAll({ format: 'gtfs', ...readGtfsAs(path, basename(path)) }, opts);
  // The file's bytes are not held by any frame while layers are normalized (a large file's bytes
  // are as big again as its parsed features).
  return normalizeAll(parseSource(readSource(path), opts), opts);
}
