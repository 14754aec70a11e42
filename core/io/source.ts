/** A file handed to an importer: its bytes, and access to sibling files (shapefile parts, .prj, .cpg). */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { EkimaeError } from '../errors.js';

export interface SourceFile {
  path: string;
  /** File name without directories, as shown to the user and stored in provenance. */
  name: string;
  bytes: Uint8Array;
  /** Bytes of a sibling with the same stem and the given extension (case-insensitive), if present. */
  sibling(ext: string): Uint8Array | null;
}

/** 2 GiB: beyond this a single read fails in Node anyway; say so in plain words. */
export const MAX_FILE_BYTES = 2 ** 31 - 1;

/** The size of the regular, non-empty file at path that readSource would read, or the coded error it would throw. */
export function checkSourceFile(path: string): number {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (e) {
    throw new EkimaeError('E_FILE_NOT_FOUND', `${path}: ${(e as Error).message}`, { file: path });
  }
  if (size === 0) throw new EkimaeError('E_FILE_EMPTY', `${basename(path)} is empty (0 bytes)`, { file: basename(path) });
  if (size > MAX_FILE_BYTES) throw new EkimaeError('E_FILE_TOO_LARGE', `${basename(path)} is ${size} bytes; split it (e.g. per district) below 2 GiB`, { file: basename(path) });
  return size;
}

export function readSource(path: string): SourceFile {
  checkSourceFile(path);
  const bytes = readFileSync(path);
  const dir = dirname(path);
  const stem = basename(path, extname(path));
  let listing: string[] | null = null;
  return {
    path,
    name: basename(path),
    bytes,
    sibling(ext: string) {
      listing ??= existsSync(dir) ? readdirSync(dir) : [];
      const want = `${stem}.${ext}`.toLowerCase();
      const hit = listing.find((f) => f.toLowerCase() === want);
      return hit ? readFileSync(join(dir, hit)) : null;
    },
  };
}

/** A source made from bytes in memory (zip members, tests, the browser's file picker). */
export function memorySource(name: string, bytes: Uint8Array, siblings: Record<string, Uint8Array> = {}): SourceFile {
  const by = new Map(Object.entries(siblings).map(([k, v]) => [k.toLowerCase(), v]));
  return { path: name, name, bytes, sibling: (ext) => by.get(ext.toLowerCase()) ?? null };
}

/** Decode text that must be UTF-8 (GeoJSON, KML), without a BOM; invalid bytes are an error, not U+FFFD. */
export function decodeUtf8Strict(bytes: Uint8Array, file: string): string {
  try {
    const s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  } catch {
    throw new EkimaeError('E_ENCODING', `${file} is not valid UTF-8 text (is it the right file, or saved in another encoding?)`, { file });
  }
}

/** True when the first bytes look like binary data rather than text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  let ctrl = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) ctrl++;
  }
  return ctrl > n * 0.05;
}
