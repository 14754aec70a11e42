/**
 * Many rows into one table: one prepared multi-row INSERT (VALUES (…), (…), …) per block of rows, the
 * values bound in place, so a million per-parcel result rows cost about two thousand statement calls
 * instead of a million (about half the time of one call per row with better-sqlite3). The rows are
 * the same as row-by-row inserts: same values, bound the same way, in the same order. Call inside
 * a transaction.
 */
import type Database from 'better-sqlite3';
import { q, type DB } from './gpkg.js';

/**
 * Bound values per statement: well under SQLite's limit of 32,766 variables. 8,190 writes a million
 * 15-column rows with ~14 % less CPU than 960 (fewer statement steps; /tmp micro-bench in
 * docs/PERFORMANCE.md); beyond it nothing more is gained.
 */
export const VARIABLES = 8190;

/**
 * Insert `n` rows into `table`: `fill(i, out, o)` writes row i's values for `columns` into
 * out[o] .. out[o + columns.length - 1].
 */
export function insertRows(db: DB, table: string, columns: string[], n: number, fill: (i: number, out: unknown[], o: number) => void): void {
  const c = columns.length;
  const per = Math.max(1, Math.floor(VARIABLES / c));
  const row = `(${columns.map(() => '?').join(', ')})`;
  const sql = (k: number) => `INSERT INTO ${q(table)} (${columns.map(q).join(', ')}) VALUES ${Array(k).fill(row).join(', ')}`;
  let full: Database.Statement | null = null;
  const args: unknown[] = new Array(per * c);
  let i = 0;
  if (n >= per) {
    full = db.prepare(sql(per));
    for (; i + per <= n; i += per) {
      for (let k = 0; k < per; k++) fill(i + k, args, k * c);
      full.run(args);
    }
  }
  const rest = n - i;
  if (rest > 0) {
    const tail: unknown[] = new Array(rest * c);
    for (let k = 0; k < rest; k++) fill(i + k, tail, k * c);
    db.prepare(sql(rest)).run(tail);
  }
}
