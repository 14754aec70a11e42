/**
 * A user's local tile archive (MBTiles or PMTiles v3) behind one interface: the core reads tiles from
 * it and hands them to the map and the report. Nothing here touches the network; the archive is a file
 * the user made or was given (a city extract), and Ekimae only reads it.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EkimaeError } from '../errors.js';

export type TileFormat = 'pbf' | 'png' | 'jpg' | 'webp';
export type ArchiveKind = 'mbtiles' | 'pmtiles';

export interface VectorLayerInfo { id: string; geometry?: string }

export interface ArchiveInfo {
  kind: ArchiveKind;
  format: TileFormat;
  minzoom: number;
  maxzoom: number;
  /** [west, south, east, north] in degrees, when the archive says. */
  bounds: [number, number, number, number] | null;
  name: string | null;
  attribution: string | null;
  /** Source layers of a vector archive (from its metadata), for the default style. */
  vectorLayers: VectorLayerInfo[];
}

export interface TileArchive {
  readonly path: string;
  readonly info: ArchiveInfo;
  /** The tile as stored, or null when the archive has none there. */
  rawTile(z: number, x: number, y: number): Buffer | null;
  /** A few stored tiles, as stored (to list the source layers of an archive whose metadata does not). */
  sampleTiles(n: number): Buffer[];
  close(): void;
}

const GZIP = [0x1f, 0x8b];

/** A tile ready to draw: vector tiles unzipped (maplibre and our MVT reader take plain protobuf). */
export function readTile(a: TileArchive, z: number, x: number, y: number): Buffer | null {
  if (!Number.isInteger(z) || z < 0 || z > 30 || !Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= 2 ** z || y >= 2 ** z) {
    throw new EkimaeError('E_INPUT_INVALID', `tile ${z}/${x}/${y} does not exist`);
  }
  const raw = a.rawTile(z, x, y);
  if (!raw || raw.length === 0) return null;
  if (raw[0] === GZIP[0] && raw[1] === GZIP[1]) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new EkimaeError('E_FORMAT_INVALID', `tile ${z}/${x}/${y} of ${a.path} is not valid gzip: ${(e as Error).message}`);
    }
  }
  return raw;
}

/** Unzips a stored vector tile when it is gzip (MBTiles and PMTiles both allow either). */
export function unzipTile(raw: Buffer): Buffer {
  return raw[0] === GZIP[0] && raw[1] === GZIP[1] ? gunzipSync(raw) : raw;
}

/** Tile format from its first bytes (MBTiles metadata may be missing or wrong). */
export function sniffFormat(b: Buffer): TileFormat | null {
  if (b.length >= 4 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpg';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

export function normaliseFormat(s: unknown): TileFormat | null {
  const f = String(s ?? '').toLowerCase();
  if (f === 'pbf' || f === 'mvt') return 'pbf';
  if (f === 'png') return 'png';
  if (f === 'jpg' || f === 'jpeg') return 'jpg';
  if (f === 'webp') return 'webp';
  return null;
}

/** First bytes of a file, to tell SQLite (MBTiles) from PMTiles whatever the extension says. */
export function fileMagic(path: string): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new EkimaeError('E_FILE_NOT_FOUND', `no basemap file at ${path}`, { path });
  }
  if (!st.isFile()) throw new EkimaeError('E_FILE_NOT_FOUND', `${path} is not a file`, { path });
  if (st.size === 0) throw new EkimaeError('E_FILE_EMPTY', `${path} is empty`, { path });
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(16);
    const n = readSync(fd, b, 0, 16, 0);
    return b.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}
