/**
 * insertRows (core/store/bulk-insert.ts) writes exactly the rows one INSERT per row writes: same
 * fids, values and storage classes, for row counts around the block size (VARIABLES / 6 columns
 * rows a statement: 1,365 at 8,190 variables), including none.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { insertRows, VARIABLES } from '../../../core/store/bulk-insert.js';

const COLS = ['run_id', 'parcel_fid', 'station_id', 'dist_m', 'flag', 'share'];
const value = (i: number): unknown[] => [7, i + 1, i % 5 === 0 ? null : `S${i % 3}`, i % 7 === 0 ? null : i * 12.25, i % 2, new Float32Array([i / 3])[0]];

function table(): Database.Database {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE t (fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, parcel_fid INTEGER NOT NULL, station_id TEXT,
    dist_m REAL, flag INTEGER NOT NULL, share REAL NOT NULL, UNIQUE (run_id, parcel_fid))`);
  return db;
}
const dump = (db: Database.Database) => db.prepare('SELECT fid, run_id, parcel_fid, station_id, dist_m, flag, share, typeof(run_id), typeof(dist_m), typeof(flag), typeof(share) FROM t ORDER BY fid').raw(true).all();

describe('insertRows', () => {
  const per = Math.floor(VARIABLES / COLS.length);
  for (const n of [0, 1, per - 1, per, per + 1, 2 * per + 3]) {
    it(`writes ${n} rows as one INSERT per row does`, () => {
      const one = table(), bulk = table();
      const ins = one.prepare(`INSERT INTO t (${COLS.join(', ')}) VALUES (?, ?, ?, ?, ?, ?)`);
      for (let i = 0; i < n; i++) ins.run(...value(i));
      bulk.transaction(() => insertRows(bulk, 't', COLS, n, (i, out, o) => { value(i).forEach((v, c) => { out[o + c] = v; }); }))();
      const want = dump(one);
      expect(want.length).toBe(n);
      expect(dump(bulk)).toEqual(want);
    });
  }
});
