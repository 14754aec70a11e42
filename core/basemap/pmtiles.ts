/**
 * PMTiles v3 (github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md), read from a local file: a
 * 127-byte header, a root directory, leaf directories and tile data, addressed by Hilbert tile ids.
 * Written here rather than taken from the `pmtiles` package because that package reads through async
 * range requests meant for HTTP and browsers; the core needs a few synchronous reads of a local file,
 * which is the header, a varint directory decoder and a binary search (about 150 lines).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { EkimaeError } from '../errors.js';
import type { ArchiveInfo, TileArchive, TileFormat } from './archive.js';
import { vectorLayersOf } from './mbtiles.js';

export const PMTILES_HEADER_BYTES = 127;

export interface PmtilesHeader {
  rootOffset: number; rootLength: number;
  metadataOffset: number; metadataLength: number;
  leafOffset: number; leafLength: number;
  dataOffset: number; dataLength: number;
  internalCompression: number; tileCompression: number; tileType: number;
  minZoom: number; maxZoom: number;
  bounds: [number, number, number, number];
}

export interface DirEntry { tileId: number; offset: number; length: number; runLength: number }

/** Compression codes of the spec: 1 none, 2 gzip (3 brotli and 4 zstd are not read here). */
const COMPRESSION_NAMES = ['unknown', 'none', 'gzip', 'brotli', 'zstd'];
const TILE_TYPES: Record<number, TileFormat> = { 1: 'pbf', 2: 'png', 3: 'jpg', 4: 'webp' };

/** Tile id: tiles of all lower zooms first, then the Hilbert curve position of (x, y) at zoom z. */
export function tileId(z: number, x: number, y: number): number {
  let id = (4 ** z - 1) / 3;
  const n = 2 ** z;
  let tx = x, ty = y;
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (tx & s) > 0 ? 1 : 0;
    const ry = (ty & s) > 0 ? 1 : 0;
    id += s * s * ((3 * rx) ^ ry);
    // Rotate the quadrant so the curve inside it runs the standard way.
    if (ry === 0) {
      if (rx === 1) { tx = s - 1 - (tx & (s - 1)); ty = s - 1 - (ty & (s - 1)); }
      const t = tx; tx = ty; ty = t;
    }
  }
  return id;
}

const u64 = (b: Buffer, o: number) => b.readUInt32LE(o + 4) * 2 ** 32 + b.readUInt32LE(o);

export function parseHeader(b: Buffer, path: string): PmtilesHeader {
  if (b.length < PMTILES_HEADER_BYTES || b.toString('latin1', 0, 7) !== 'PMTiles') {
    throw new EkimaeError('E_FORMAT_INVALID', `${path} is not a PMTiles archive (no PMTiles header)`, { path });
  }
  if (b[7] !== 3) throw new EkimaeError('E_FORMAT_INVALID', `${path} is PMTiles version ${b[7]}; Ekimae reads version 3 (convert it with \`pmtiles convert\`)`, { path });
  const e7 = (o: number) => b.readInt32LE(o) / 1e7;
  return {
    rootOffset: u64(b, 8), rootLength: u64(b, 16), metadataOffset: u64(b, 24), metadataLength: u64(b, 32),
    leafOffset: u64(b, 40), leafLength: u64(b, 48), dataOffset: u64(b, 56), dataLength: u64(b, 64),
    internalCompression: b[97], tileCompression: b[98], tileType: b[99], minZoom: b[100], maxZoom: b[101],
    bounds: [e7(102), e7(106), e7(110), e7(114)],
  };
}

function readVarint(b: Buffer, p: { pos: number }): number {
  let v = 0, mul = 1;
  for (let i = 0; i < 10; i++) {
    if (p.pos >= b.length) throw new Error('directory ends inside a number');
    const c = b[p.pos++];
    v += (c & 0x7f) * mul;
    if (c < 0x80) return v;
    mul *= 128;
  }
  throw new Error('varint longer than 10 bytes');
}

export function decodeDirectory(b: Buffer): DirEntry[] {
  const p = { pos: 0 };
  const n = readVarint(b, p);
  if (n > b.length) throw new Error(`directory claims ${n} entries in ${b.length} bytes`);
  const out: DirEntry[] = [];
  let id = 0;
  for (let i = 0; i < n; i++) { id += readVarint(b, p); out.push({ tileId: id, offset: 0, length: 0, runLength: 0 }); }
  for (let i = 0; i < n; i++) out[i].runLength = readVarint(b, p);
  for (let i = 0; i < n; i++) out[i].length = readVarint(b, p);
  for (let i = 0; i < n; i++) {
    const v = readVarint(b, p);
    // 0 means "right after the previous entry's bytes"; anything else is offset + 1.
    out[i].offset = v === 0 && i > 0 ? out[i - 1].offset + out[i - 1].length : v - 1;
  }
  return out;
}

/** The entry covering `id`: an exact tile, a run of identical tiles, or a leaf directory (runLength 0). */
export function findEntry(entries: DirEntry[], id: number): DirEntry | null {
  let lo = 0, hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = id - entries[mid].tileId;
    if (d > 0) lo = mid + 1;
    else if (d < 0) hi = mid - 1;
    else return entries[mid];
  }
  if (hi >= 0) {
    const e = entries[hi];
    if (e.runLength === 0 || id - e.tileId < e.runLength) return e;
  }
  return null;
}

export function openPmtiles(path: string): TileArchive {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new EkimaeError('E_FILE_NOT_FOUND', `cannot open ${path}: ${(e as Error).message}`, { path });
  }
  try {
    const size = fstatSync(fd).size;
    const read = (offset: number, length: number): Buffer => {
      if (offset < 0 || length < 0 || offset + length > size) {
        throw new EkimaeError('E_FORMAT_INVALID', `${path}: a section (${offset}+${length}) lies past the end of the file (${size} bytes)`, { path });
      }
      const b = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, b, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return b;
    };
    const h = parseHeader(read(0, Math.min(size, PMTILES_HEADER_BYTES)), path);
    const tileFormat = TILE_TYPES[h.tileType];
    if (!tileFormat) throw new EkimaeError('E_FORMAT_UNKNOWN', `${path}: PMTiles tile type ${h.tileType} is not MVT, PNG, JPEG or WebP`, { path });
    const inflate = (b: Buffer, c: number, what: string): Buffer => {
      if (c === 1) return b;
      if (c === 2 || (c === 0 && b[0] === 0x1f && b[1] === 0x8b)) {
        try { return gunzipSync(b); } catch (e) { throw new EkimaeError('E_FORMAT_INVALID', `${path}: ${what} is not valid gzip: ${(e as Error).message}`, { path }); }
      }
      if (c === 0) return b;
      throw new EkimaeError('E_FORMAT_UNKNOWN', `${path}: ${what} uses ${COMPRESSION_NAMES[c] ?? `compression ${c}`}; Ekimae reads uncompressed or gzip archives (re-write it with \`pmtiles convert\` or planetiler's defaults)`, { path });
    };
    if (h.tileCompression !== 0 && h.tileCompression !== 1 && h.tileCompression !== 2) inflate(Buffer.alloc(0), h.tileCompression, 'tile data');
    const dirCache = new Map<string, DirEntry[]>();
    const directory = (offset: number, length: number): DirEntry[] => {
      const key = `${offset}:${length}`;
      let d = dirCache.get(key);
      if (!d) {
        try {
          d = decodeDirectory(inflate(read(offset, length), h.internalCompression, 'a directory'));
        } catch (e) {
          if (e instanceof EkimaeError) throw e;
          throw new EkimaeError('E_FORMAT_INVALID', `${path}: damaged directory: ${(e as Error).message}`, { path });
        }
        if (dirCache.size > 64) dirCache.clear();
        dirCache.set(key, d);
      }
      return d;
    };
    const root = directory(h.rootOffset, h.rootLength);
    let meta: Record<string, unknown> = {};
    if (h.metadataLength > 0) {
      try {
        meta = JSON.parse(inflate(read(h.metadataOffset, h.metadataLength), h.internalCompression, 'the metadata').toString('utf8')) as Record<string, unknown>;
      } catch (e) {
        if (e instanceof EkimaeError) throw e;
        meta = {}; // metadata is optional; tiles still draw without it
      }
    }
    const info: ArchiveInfo = {
      kind: 'pmtiles', format: tileFormat, minzoom: h.minZoom, maxzoom: h.maxZoom,
      bounds: h.bounds.every(Number.isFinite) && h.bounds[0] < h.bounds[2] && h.bounds[1] < h.bounds[3] ? h.bounds : null,
      name: typeof meta.name === 'string' ? meta.name : null, attribution: typeof meta.attribution === 'string' ? meta.attribution : null,
      vectorLayers: vectorLayersOf(meta),
    };
    let closed = false;
    return {
      path, info,
      rawTile(z, x, y) {
        const id = tileId(z, x, y);
        let dir = root;
        // The spec allows root + up to three levels of leaves.
        for (let depth = 0; depth < 4; depth++) {
          const e = findEntry(dir, id);
          if (!e) return null;
          if (e.runLength > 0) {
            const b = read(h.dataOffset + e.offset, e.length);
            return h.tileCompression === 2 ? inflate(b, 2, `tile ${z}/${x}/${y}`) : b;
          }
          dir = directory(h.leafOffset + e.offset, e.length);
        }
        throw new EkimaeError('E_FORMAT_INVALID', `${path}: leaf directories nest deeper than the spec allows`, { path });
      },
      sampleTiles(n) {
        const out: Buffer[] = [];
        const walk = (dir: DirEntry[], depth: number) => {
          for (const e of dir) {
            if (out.length >= n || depth > 3) return;
            if (e.runLength > 0) {
              const b = read(h.dataOffset + e.offset, e.length);
              out.push(h.tileCompression === 2 ? inflate(b, 2, 'a tile') : b);
            } else walk(directory(h.leafOffset + e.offset, e.length), depth + 1);
          }
        };
        walk(root, 0);
        return out;
      },
      close: () => { if (!closed) { closed = true; closeSync(fd); } },
    };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}
