/**
 * Small tile archives made in the test from the Bang Sue sample's own layers, with GDAL (the
 * independent writer): a vector MBTiles (buildings, the walk network renamed `roads`, census zones,
 * z12–15) and a raster PNG MBTiles (census zones burnt into a GeoTIFF, z14). GDAL 3.6 (Debian 12)
 * cannot write PMTiles, so `writePmtiles` below writes one from the MBTiles tiles, following the v3
 * spec, with leaf directories and gzip so the reader's whole path is exercised.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { tileId } from '../../core/basemap/pmtiles.js';

export const SAMPLE_GPKG = 'sample-data/bang-sue.gpkg';

export function makeVectorMbtiles(dir: string, name = 'bang-sue-vector.mbtiles'): string {
  const out = join(dir, name);
  execFileSync('ogr2ogr', ['-f', 'MBTiles', out, SAMPLE_GPKG, 'buildings', 'network', 'census',
    '-dsco', 'MINZOOM=12', '-dsco', 'MAXZOOM=15', '-dsco', 'CONF={"network":{"target_name":"roads"}}'], { stdio: 'pipe' });
  return out;
}

export function makeRasterMbtiles(dir: string, name = 'bang-sue-raster.mbtiles'): string {
  const tif = join(dir, 'census-raster.tif');
  execFileSync('gdal_rasterize', ['-q', '-burn', '200', '-burn', '120', '-burn', '60', '-ot', 'Byte', '-of', 'GTiff',
    '-te', '100.52', '13.79', '100.56', '13.82', '-ts', '256', '192', '-a_srs', 'EPSG:4326', SAMPLE_GPKG, '-l', 'census', tif], { stdio: 'pipe' });
  const out = join(dir, name);
  execFileSync('gdal_translate', ['-q', '-of', 'MBTiles', tif, out, '-co', 'TILE_FORMAT=PNG', '-co', 'ZOOM_LEVEL_STRATEGY=UPPER'], { stdio: 'pipe' });
  return out;
}

export interface XyzTile { z: number; x: number; y: number; data: Buffer }

/** Every tile of an MBTiles in XYZ numbering, read with plain SQL (the TMS row flipped here, by hand). */
export function mbtilesTiles(path: string): { tiles: XyzTile[]; meta: Record<string, string> } {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT zoom_level z, tile_column x, tile_row r, tile_data d FROM tiles').all() as Array<{ z: number; x: number; r: number; d: Buffer }>;
    const meta = Object.fromEntries((db.prepare('SELECT name, value FROM metadata').all() as Array<{ name: string; value: string }>).map((m) => [m.name, m.value]));
    return { tiles: rows.map((t) => ({ z: t.z, x: t.x, y: (1 << t.z) - 1 - t.r, data: t.d })), meta };
  } finally {
    db.close();
  }
}

function varint(n: number, out: number[]): void {
  while (n >= 0x80) { out.push((n % 0x80) | 0x80); n = Math.floor(n / 0x80); }
  out.push(n);
}

function directory(entries: Array<{ id: number; offset: number; length: number; run: number }>): Buffer {
  const b: number[] = [];
  varint(entries.length, b);
  let last = 0;
  for (const e of entries) { varint(e.id - last, b); last = e.id; }
  for (const e of entries) varint(e.run, b);
  for (const e of entries) varint(e.length, b);
  entries.forEach((e, i) => varint(i > 0 && e.offset === entries[i - 1].offset + entries[i - 1].length ? 0 : e.offset + 1, b));
  return Buffer.from(b);
}

export interface PmtilesWriteOptions {
  tileType: 1 | 2 | 3 | 4;
  /** Tiles are stored as given; this only declares it (2 = gzip, as GDAL's MVT tiles are). */
  tileCompression: 1 | 2;
  /** Directories and metadata: 1 none, 2 gzip. */
  internalCompression: 1 | 2;
  /** Entries per leaf directory; 0 = everything in the root. */
  leafSize: number;
  metadata: Record<string, unknown>;
  bounds: [number, number, number, number];
  minzoom: number;
  maxzoom: number;
  version?: number;
}

/** A PMTiles v3 archive of `tiles` (spec: header 127 bytes, root dir, metadata, leaf dirs, tile data). */
export function writePmtiles(out: string, tiles: XyzTile[], o: PmtilesWriteOptions): void {
  const sorted = tiles.map((t) => ({ id: tileId(t.z, t.x, t.y), data: t.data })).sort((a, b) => a.id - b.id);
  let off = 0;
  const entries = sorted.map((t) => { const e = { id: t.id, offset: off, length: t.data.length, run: 1 }; off += t.data.length; return e; });
  const data = Buffer.concat(sorted.map((t) => t.data));
  const pack = (b: Buffer) => (o.internalCompression === 2 ? gzipSync(b) : b);
  let root: Buffer, leaves = Buffer.alloc(0);
  if (o.leafSize > 0) {
    const leafBufs: Buffer[] = [];
    const rootEntries: Array<{ id: number; offset: number; length: number; run: number }> = [];
    let loff = 0;
    for (let i = 0; i < entries.length; i += o.leafSize) {
      const chunk = entries.slice(i, i + o.leafSize);
      const lb = pack(directory(chunk));
      rootEntries.push({ id: chunk[0].id, offset: loff, length: lb.length, run: 0 });
      leafBufs.push(lb);
      loff += lb.length;
    }
    root = pack(directory(rootEntries));
    leaves = Buffer.concat(leafBufs);
  } else root = pack(directory(entries));
  const meta = pack(Buffer.from(JSON.stringify(o.metadata), 'utf8'));
  const h = Buffer.alloc(127);
  h.write('PMTiles', 0, 'latin1');
  h[7] = o.version ?? 3;
  const u64 = (v: number, at: number) => { h.writeUInt32LE(v % 2 ** 32, at); h.writeUInt32LE(Math.floor(v / 2 ** 32), at + 4); };
  const rootOff = 127, metaOff = rootOff + root.length, leafOff = metaOff + meta.length, dataOff = leafOff + leaves.length;
  u64(rootOff, 8); u64(root.length, 16); u64(metaOff, 24); u64(meta.length, 32); u64(leafOff, 40); u64(leaves.length, 48);
  u64(dataOff, 56); u64(data.length, 64); u64(tiles.length, 72); u64(entries.length, 80); u64(entries.length, 88);
  h[96] = 1; h[97] = o.internalCompression; h[98] = o.tileCompression; h[99] = o.tileType; h[100] = o.minzoom; h[101] = o.maxzoom;
  const e7 = (v: number, at: number) => h.writeInt32LE(Math.round(v * 1e7), at);
  e7(o.bounds[0], 102); e7(o.bounds[1], 106); e7(o.bounds[2], 110); e7(o.bounds[3], 114);
  h[118] = o.minzoom; e7((o.bounds[0] + o.bounds[2]) / 2, 119); e7((o.bounds[1] + o.bounds[3]) / 2, 123);
  writeFileSync(out, Buffer.concat([h, root, meta, leaves, data]));
}

/** The vector MBTiles re-packed as PMTiles (gzip tiles, gzip directories, leaves of 16 entries). */
export function pmtilesFromMbtiles(mbtiles: string, out: string, leafSize = 16): string {
  const { tiles, meta } = mbtilesTiles(mbtiles);
  const b = meta.bounds.split(',').map(Number) as [number, number, number, number];
  writePmtiles(out, tiles, {
    tileType: 1, tileCompression: 2, internalCompression: 2, leafSize, bounds: b,
    minzoom: Number(meta.minzoom), maxzoom: Number(meta.maxzoom), metadata: { name: meta.name, ...JSON.parse(meta.json ?? '{}') },
  });
  return out;
}
