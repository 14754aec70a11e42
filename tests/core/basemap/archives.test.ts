/**
 * The basemap readers against archives GDAL made from the Bang Sue sample: MBTiles tiles equal what
 * the sqlite3 command reads (with the TMS row flipped by hand), PMTiles tile ids equal the spec's
 * worked values, a PMTiles re-pack of the same tiles reads back byte for byte, and decoded vector
 * tiles hold the layers and feature counts GDAL's own MVT reader (ogrinfo) finds in the same tile.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openArchive, readTile, decodeMvt } from '../../../core/basemap/index.js';
import { tileId } from '../../../core/basemap/pmtiles.js';
import { EkimaeError } from '../../../core/api/errors.js';
import { tmpDir } from '../../helpers/tmp.js';
import { makeRasterMbtiles, makeVectorMbtiles, mbtilesTiles, pmtilesFromMbtiles, writePmtiles } from '../../helpers/basemap.js';

const dir = tmpDir('ekimae-basemap-');
const vector = makeVectorMbtiles(dir);
const raster = makeRasterMbtiles(dir);

function codeOf(f: () => unknown): string {
  try { f(); } catch (e) { return e instanceof EkimaeError ? e.code : `not coded: ${String(e)}`; }
  return 'no error';
}

describe('MBTiles', () => {
  it('every tile equals the bytes the sqlite3 command reads, at the XYZ address of its TMS row', () => {
    const out = execFileSync('sqlite3', [vector, 'SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const rows = out.trim().split('\n').map((l) => l.split('|'));
    // Every zoom GDAL was asked for is there (the counts follow the sample's extent: the real khwaeng reach beyond the site).
    expect([...new Set(rows.map(([z]) => Number(z)))].sort()).toEqual([12, 13, 14, 15]);
    expect(rows.length).toBeGreaterThan(50);
    const a = openArchive(vector);
    const wrong = rows.filter(([z, x, row, hex]) => a.rawTile(Number(z), Number(x), 2 ** Number(z) - 1 - Number(row))?.toString('hex').toUpperCase() !== hex);
    expect(wrong.map((r) => r.slice(0, 3).join('/'))).toEqual([]);
    // The un-flipped row is (almost always) another tile or none: the flip is really applied.
    const [z, x, row, hex] = rows.find(([zz, , r]) => 2 ** Number(zz) - 1 - Number(r) !== Number(r))!;
    expect(a.rawTile(Number(z), Number(x), Number(row))?.toString('hex').toUpperCase()).not.toBe(hex);
    a.close();
  });

  it('reads the metadata: vector format, zooms, bounds and the source layers', () => {
    const a = openArchive(vector);
    expect(a.info).toMatchObject({ kind: 'mbtiles', format: 'pbf', minzoom: 12, maxzoom: 15 });
    const meta = execFileSync('sqlite3', [vector, "SELECT value FROM metadata WHERE name='bounds'"], { encoding: 'utf8' }).trim().split(',').map(Number);
    expect(a.info.bounds).toEqual(meta);
    expect(a.info.vectorLayers.map((l) => l.id).sort()).toEqual(['buildings', 'census', 'roads']);
    a.close();
  });

  it('unzips vector tiles (GDAL stores them gzip-compressed) and leaves PNG tiles as they are', () => {
    const a = openArchive(vector);
    const [z, x, row, hex] = execFileSync('sqlite3', [vector, 'SELECT zoom_level, tile_column, tile_row, hex(tile_data) FROM tiles LIMIT 1'], { encoding: 'utf8' }).trim().split('|');
    const stored = Buffer.from(hex, 'hex');
    expect([stored[0], stored[1]]).toEqual([0x1f, 0x8b]);
    expect(readTile(a, Number(z), Number(x), 2 ** Number(z) - 1 - Number(row))).toEqual(gunzipSync(stored));
    a.close();
    const r = openArchive(raster);
    expect(r.info).toMatchObject({ kind: 'mbtiles', format: 'png', minzoom: 14, maxzoom: 14 });
    const t = mbtilesTiles(raster).tiles[0];
    const got = readTile(r, t.z, t.x, t.y)!;
    expect(got.subarray(0, 4).toString('hex')).toBe('89504e47');
    expect(got.equals(t.data)).toBe(true);
    r.close();
  });

  it('answers null outside the archive and E_INPUT_INVALID for an address that cannot exist', () => {
    const a = openArchive(vector);
    expect(readTile(a, 3, 0, 0)).toBeNull();
    expect(codeOf(() => readTile(a, 3, 8, 0))).toBe('E_INPUT_INVALID');
    a.close();
  });
});

describe('PMTiles v3', () => {
  it('tile ids follow the spec: zoom prefix sums, then the Hilbert curve', () => {
    // Worked values of the v3 spec's tile id (z 0 is id 0; z 1 runs (0,0) (0,1) (1,1) (1,0) as ids 1–4).
    expect([tileId(0, 0, 0), tileId(1, 0, 0), tileId(1, 0, 1), tileId(1, 1, 1), tileId(1, 1, 0), tileId(2, 0, 0)]).toEqual([0, 1, 2, 3, 4, 5]);
    // The value the PMTiles reference implementation's own test suite pins for a z12 tile.
    expect(tileId(12, 3423, 1763)).toBe(19078479);
    // Every id of z 0–6 once, and consecutive ids are neighbouring tiles (what makes it a Hilbert curve).
    for (let z = 0; z <= 6; z++) {
      const n = 2 ** z, byId = new Map<number, [number, number]>();
      for (let x = 0; x < n; x++) for (let y = 0; y < n; y++) byId.set(tileId(z, x, y), [x, y]);
      const base = (4 ** z - 1) / 3;
      expect([...byId.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: n * n }, (_, i) => base + i));
      for (let i = 1; i < n * n; i++) {
        const [ax, ay] = byId.get(base + i - 1)!, [bx, by] = byId.get(base + i)!;
        expect(Math.abs(ax - bx) + Math.abs(ay - by)).toBe(1);
      }
    }
  });

  it.each([[0, 'root directory only'], [16, 'leaf directories of 16'], [3, 'leaf directories of 3']])('reads back every tile of the MBTiles re-packed (%s: %s)', (leaf) => {
    const p = pmtilesFromMbtiles(vector, join(dir, `repack-${leaf}.pmtiles`), leaf);
    const a = openArchive(p);
    expect(a.info).toMatchObject({ kind: 'pmtiles', format: 'pbf', minzoom: 12, maxzoom: 15 });
    expect(a.info.vectorLayers.map((l) => l.id).sort()).toEqual(['buildings', 'census', 'roads']);
    const m = openArchive(vector);
    const { tiles } = mbtilesTiles(vector);
    for (const t of tiles) {
      expect(readTile(a, t.z, t.x, t.y)!.equals(readTile(m, t.z, t.x, t.y)!), `${t.z}/${t.x}/${t.y}`).toBe(true);
    }
    // Tiles next to existing ones but absent from the archive.
    const have = new Set(tiles.map((t) => `${t.z}/${t.x}/${t.y}`));
    let misses = 0;
    for (const t of tiles) for (const [dx, dy] of [[1, 0], [0, 1], [-1, 0], [0, -1]]) {
      if (!have.has(`${t.z}/${t.x + dx}/${t.y + dy}`)) { expect(a.rawTile(t.z, t.x + dx, t.y + dy)).toBeNull(); misses++; }
    }
    expect(misses).toBeGreaterThan(0);
    a.close(); m.close();
  });

  it('a raster PMTiles (uncompressed directories) gives PNG bytes', () => {
    const { tiles, meta } = mbtilesTiles(raster);
    const p = join(dir, 'raster.pmtiles');
    writePmtiles(p, tiles, { tileType: 2, tileCompression: 1, internalCompression: 1, leafSize: 0, metadata: {}, bounds: meta.bounds.split(',').map(Number) as [number, number, number, number], minzoom: 14, maxzoom: 14 });
    const a = openArchive(p);
    expect(a.info.format).toBe('png');
    for (const t of tiles) expect(readTile(a, t.z, t.x, t.y)!.equals(t.data)).toBe(true);
    a.close();
  });
});

describe('vector tile decoding', () => {
  it('finds the layers and feature counts GDAL finds in the same tile', () => {
    const { tiles } = mbtilesTiles(vector);
    const t = tiles.filter((x) => x.z === 15).sort((a, b) => b.data.length - a.data.length)[0];
    const pbf = join(dir, 'one.pbf');
    writeFileSync(pbf, gunzipSync(t.data));
    const info = execFileSync('ogrinfo', ['-so', '-al', '-oo', `X=${t.x}`, '-oo', `Y=${t.y}`, '-oo', `Z=${t.z}`, pbf], { encoding: 'utf8' });
    const gdal = new Map<string, number>();
    for (const m of info.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)) gdal.set(m[1], Number(m[2]));
    expect(gdal.size).toBeGreaterThan(0);
    const layers = decodeMvt(readFileSync(pbf));
    expect(new Map(layers.map((l) => [l.name, l.features.length]))).toEqual(gdal);
    for (const l of layers) for (const f of l.features) {
      expect(f.parts.length).toBeGreaterThan(0);
      for (const part of f.parts) for (const [x, y] of part) {
        // GDAL writes a buffer of 80 units around the 4096 extent by default.
        expect(x).toBeGreaterThanOrEqual(-80 - 1); expect(x).toBeLessThanOrEqual(l.extent + 81);
        expect(y).toBeGreaterThanOrEqual(-80 - 1); expect(y).toBeLessThanOrEqual(l.extent + 81);
      }
    }
    expect(layers.find((l) => l.name === 'buildings')?.features.every((f) => f.type === 3)).toBe(true);
    expect(layers.find((l) => l.name === 'roads')?.features.every((f) => f.type === 2)).toBe(true);
  });
});

describe('archives whose metadata does not list the source layers', () => {
  it('MBTiles without its json row: the layers are read from its tiles', () => {
    const p = join(dir, 'no-json.mbtiles');
    copyFileSync(vector, p);
    const db = new Database(p);
    db.prepare("DELETE FROM metadata WHERE name = 'json'").run();
    db.close();
    const a = openArchive(p);
    expect(a.info.vectorLayers).toEqual([{ id: 'buildings' }, { id: 'census' }, { id: 'roads' }]);
    a.close();
  });
  it('PMTiles with empty metadata, leaf directories: the same, through the leaves', () => {
    const { tiles, meta } = mbtilesTiles(vector);
    const p = join(dir, 'no-meta.pmtiles');
    writePmtiles(p, tiles, { tileType: 1, tileCompression: 2, internalCompression: 2, leafSize: 4, metadata: {}, bounds: meta.bounds.split(',').map(Number) as [number, number, number, number], minzoom: 12, maxzoom: 15 });
    const a = openArchive(p);
    expect(a.info.vectorLayers).toEqual([{ id: 'buildings' }, { id: 'census' }, { id: 'roads' }]);
    a.close();
  });
});

describe('bad basemap files', () => {
  it('E_FILE_NOT_FOUND: no file there', () => {
    expect(codeOf(() => openArchive(join(dir, 'nope.pmtiles')))).toBe('E_FILE_NOT_FOUND');
  });
  it('E_FILE_EMPTY: an empty file', () => {
    const p = join(dir, 'empty.mbtiles');
    writeFileSync(p, '');
    expect(codeOf(() => openArchive(p))).toBe('E_FILE_EMPTY');
  });
  it('E_FORMAT_UNKNOWN: neither SQLite nor PMTiles (a GeoJSON renamed .pmtiles)', () => {
    const p = join(dir, 'fake.pmtiles');
    writeFileSync(p, '{"type":"FeatureCollection","features":[]}');
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_UNKNOWN');
  });
  it('E_FORMAT_INVALID: an SQLite file that is not MBTiles (the project GeoPackage)', () => {
    const p = join(dir, 'project.mbtiles');
    copyFileSync('sample-data/bang-sue.gpkg', p);
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_INVALID');
  });
  it('E_NO_FEATURES: an MBTiles without tiles', () => {
    const p = join(dir, 'no-tiles.mbtiles');
    const db = new Database(p);
    db.exec("CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); INSERT INTO metadata VALUES ('format','pbf')");
    db.close();
    expect(codeOf(() => openArchive(p))).toBe('E_NO_FEATURES');
  });
  it('E_FORMAT_INVALID: PMTiles version 2', () => {
    const p = join(dir, 'v2.pmtiles');
    writePmtiles(p, mbtilesTiles(raster).tiles, { tileType: 2, tileCompression: 1, internalCompression: 1, leafSize: 0, metadata: {}, bounds: [100, 13, 101, 14], minzoom: 14, maxzoom: 14, version: 2 });
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_INVALID');
  });
  it('E_FORMAT_INVALID: a PMTiles cut short (its directory lies past the end)', () => {
    const full = pmtilesFromMbtiles(vector, join(dir, 'cut-src.pmtiles'), 0);
    const p = join(dir, 'cut.pmtiles');
    writeFileSync(p, readFileSync(full).subarray(0, 140));
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_INVALID');
  });
  it('E_FORMAT_UNKNOWN: PMTiles with brotli-compressed directories', () => {
    const src = readFileSync(pmtilesFromMbtiles(vector, join(dir, 'br-src.pmtiles'), 0));
    src[97] = 3;
    const p = join(dir, 'brotli.pmtiles');
    writeFileSync(p, src);
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_UNKNOWN');
  });
  it('E_FORMAT_INVALID: a vector MBTiles whose tiles are not vector tiles (and no layer list to go by)', () => {
    const p = join(dir, 'bad-tiles.mbtiles');
    const db = new Database(p);
    db.exec("CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB); INSERT INTO metadata VALUES ('format','pbf')");
    // A layer field (tag 3, length-delimited) claiming 2^28 bytes in a 6-byte tile.
    db.prepare('INSERT INTO tiles VALUES (1, 0, 0, ?)').run(Buffer.from([0x1a, 0x80, 0x80, 0x80, 0x80, 0x01]));
    db.close();
    expect(codeOf(() => openArchive(p))).toBe('E_FORMAT_INVALID');
  });
});
