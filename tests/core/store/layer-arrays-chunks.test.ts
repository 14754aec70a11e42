/**
 * The typed-array reader reads a layer a chunk of rows at a time (8192, keyed by `fid > last`), with
 * each chunk's geometry blobs joined by SQLite into one blob. Against independent answers on a layer
 * of 20,000 lines whose fids have a gap across the first chunk boundary and rows past it with NULL
 * geometry, text where a blob belongs and a damaged blob:
 * - every feature as the object reader (readFeatures) gives it;
 * - onRow sees exactly the rows `SELECT fid, geom, fields ORDER BY fid` returns (the network cache's
 *   fingerprint depends on it);
 * - a `where` filter keeps the rows SQL selects with the same condition;
 * - a damaged blob past the first chunk gives the object reader's coded error.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFeatureTable, readFeatures } from '../../../core/store/gpkg.js';
import { readLayerArrays, readLayerArraysDb, valueAt } from '../../../core/store/layer-arrays.js';
import { Project } from '../../../core/store/project.js';
import type { EkimaeError } from '../../../core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-layer-chunks-');
const N = 20_000;

function makeProject(name: string): Project {
  const p = Project.create(join(dir, `${name}.gpkg`), { name });
  p.addLayer({
    name: 'lines', geometryType: 'LINESTRING', fields: [{ name: 'name', type: 'TEXT' }, { name: 'w', type: 'REAL' }],
    features: Array.from({ length: N }, (_, i) => ({
      geometry: { type: 'LineString', coordinates: Array.from({ length: 2 + (i % 5) }, (_, k) => [100 + i * 1e-5 + k * 1e-6, 13 + k * 1e-6]) },
      properties: { name: i % 7 ? `road ${i % 13}` : null, w: i % 2 },
    })),
    read: N, issues: [], source: { file: 'x', format: 'geojson', crs: 'EPSG:4326' },
  } as never, { sha256: 'x' });
  const db = p.database;
  // A gap across the first chunk's end, and rows past it without a geometry.
  db.prepare('DELETE FROM lines WHERE fid BETWEEN 8000 AND 8500').run();
  db.prepare('UPDATE lines SET geom = NULL WHERE fid IN (8501, 12000, 19999)').run();
  return p;
}

describe('layer arrays read in chunks', () => {
  it('reads across a gap in the fids and past the first chunk as the object reader does', () => {
    const p = makeProject('same');
    try {
      const db = p.database;
      const info = getFeatureTable(db, 'lines')!;
      const feats = readFeatures(db, info);
      expect(feats.length).toBe(N - 501);
      const a = readLayerArraysDb(db, info, { fields: ['name', 'w'] });
      expect(a.count).toBe(feats.length);
      const want = feats.map((f) => JSON.stringify([f.fid, f.geometry, f.properties.name, f.properties.w]));
      const got = feats.map((_, i) => {
        const g = a.geometry!;
        const coords = [];
        for (let v = g.ringStart[g.partStart[g.featureStart[i]]]; g.types[i] && v < g.ringStart[g.partStart[g.featureStart[i]] + 1]; v++) coords.push([g.coords[2 * v], g.coords[2 * v + 1]]);
        return JSON.stringify([a.fids[i], g.types[i] ? { type: 'LineString', coordinates: coords } : null, valueAt(a.columns.name, i), valueAt(a.columns.w, i)]);
      });
      const first = want.findIndex((w, i) => w !== got[i]);
      expect(first === -1 ? null : got[first], `feature ${first + 1}`).toBe(first === -1 ? null : want[first]);
      expect([...a.geometry!.types].filter((t) => t === 0).length).toBe(3);
    } finally { p.close(); }
  });

  it('hands onRow the rows SQL returns, a text geometry included', () => {
    const p = makeProject('rows');
    try {
      const db = p.database;
      db.prepare("UPDATE lines SET geom = 'not a blob' WHERE fid = 15000").run();
      const want = db.prepare('SELECT fid, geom, name, w FROM lines ORDER BY fid').raw(true).all() as unknown[][];
      const seen: unknown[][] = [];
      const a = readLayerArrays(p, 'lines', { fields: ['name', 'w'], onRow: (r) => seen.push(r) });
      expect(seen.length).toBe(want.length);
      const norm = (r: unknown[]) => JSON.stringify(r.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)));
      const first = want.findIndex((w, i) => norm(w) !== norm(seen[i]));
      expect(first === -1 ? null : norm(seen[first])).toBe(first === -1 ? null : norm(want[first]));
      // Text where the blob belongs: no geometry, as before.
      expect(a.geometry!.types[want.findIndex((r) => r[0] === 15000)]).toBe(0);
    } finally { p.close(); }
  });

  it('keeps the rows a where filter selects, across chunks', () => {
    const p = makeProject('where');
    try {
      const want = p.database.prepare('SELECT fid FROM lines WHERE w = 1 ORDER BY fid').pluck().all() as number[];
      const a = readLayerArrays(p, 'lines', { fields: ['w'], where: { field: 'w', equals: 1 } });
      expect(want.length).toBeGreaterThan(9000);
      expect([...a.fids]).toEqual(want);
      expect([...(a.columns.w as { values: Float64Array }).values].every((v) => v === 1)).toBe(true);
    } finally { p.close(); }
  });

  it('refuses a damaged blob past the first chunk with the object reader\'s coded error', () => {
    const p = makeProject('bad');
    try {
      const blob = p.database.prepare('SELECT geom FROM lines WHERE fid = 17000').pluck().get() as Buffer;
      p.database.prepare('UPDATE lines SET geom = ? WHERE fid = 17000').run(blob.subarray(0, blob.length - 5));
      const objectError = (() => { try { p.readFeatures('lines'); } catch (e) { return e as EkimaeError; } return null; })();
      expect(objectError?.code).toBe('E_GEOMETRY_INVALID');
      expect(() => readLayerArrays(p, 'lines')).toThrow(expect.objectContaining({ code: objectError!.code, message: objectError!.message }));
      p.database.prepare("UPDATE lines SET geom = X'' WHERE fid = 17000").run();
      const emptyError = (() => { try { p.readFeatures('lines'); } catch (e) { return e as EkimaeError; } return null; })();
      expect(() => readLayerArrays(p, 'lines')).toThrow(expect.objectContaining({ code: emptyError!.code, message: emptyError!.message }));
    } finally { p.close(); }
  });

  it('reads one snapshot: a write from another connection between two chunks does not reach the read', () => {
    const p = makeProject('snapshot');
    try {
      const db = p.database;
      const info = getFeatureTable(db, 'lines')!;
      const before = readLayerArraysDb(db, info, { fields: ['w'] });
      // A second connection (another process would do the same) deletes the rows past the first chunk
      // and moves every geometry while the first chunk is being read.
      const other = Project.open(db.name);
      let wrote = false;
      const during = readLayerArraysDb(db, info, {
        fields: ['w'],
        onRow: () => {
          if (wrote) return;
          wrote = true;
          other.database.prepare('DELETE FROM lines WHERE fid > 9000').run();
          other.database.prepare('UPDATE lines SET w = w + 10').run();
        },
      });
      other.close();
      expect(wrote).toBe(true);
      expect(during.count).toBe(before.count);
      expect([...during.fids]).toEqual([...before.fids]);
      expect([...(during.columns.w as { values: Float64Array }).values]).toEqual([...(before.columns.w as { values: Float64Array }).values]);
      expect([...during.geometry!.coords]).toEqual([...before.geometry!.coords]);
      // The write did land: a read after it sees it.
      expect(readLayerArraysDb(db, info, { fields: ['w'] }).count).toBe(9000 - 501 - 0);
    } finally { p.close(); }
  });
});

describe('layer arrays of a table whose key is not an INTEGER PRIMARY KEY', () => {
  it('reads every row of a table keyed by the first of two columns once, in key order', () => {
    const p = makeProject('composite');
    try {
      const db = p.database;
      // A hand-made feature table keyed by (k, j): k repeats, so `k > last` would skip rows across chunks.
      db.exec('CREATE TABLE pairs (k INTEGER, j INTEGER, geom LINESTRING, PRIMARY KEY (k, j))');
      db.exec('INSERT INTO pairs (k, j, geom) SELECT fid / 3, fid, geom FROM lines');
      const info = { ...getFeatureTable(db, 'lines')!, table: 'pairs', fields: [{ name: 'j', type: 'INTEGER' as const }] };
      const want = db.prepare('SELECT j FROM pairs ORDER BY k').pluck().all() as number[];
      const a = readLayerArraysDb(db, info, { fields: ['j'] });
      expect(a.count).toBe(N - 501);
      expect([...(a.columns.j as { values: Float64Array }).values].sort((x, y) => x - y)).toEqual([...want].sort((x, y) => x - y));
      expect(new Set(a.fids).size).toBe(db.prepare('SELECT count(DISTINCT k) FROM pairs').pluck().get());
    } finally { p.close(); }
  });
});
