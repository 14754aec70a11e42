/** A digest of a project's logical content, for "did anything change" checks (reports, packages, sync). */
import { createHash } from 'node:crypto';
import { q, type DB } from './gpkg.js';

/**
 * A digest of the project's logical content: every table's schema and rows in key order
 * (not the file's bytes, which SQLite may rearrange). Two equal digests = nothing changed.
 */
export function logicalDigest(db: DB): string {
  const h = createHash('sha256');
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table','view','trigger','index') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string; sql: string | null }>;
  for (const t of tables) {
    h.update(`${t.name}\n${t.sql ?? ''}\n`);
    if (!/^CREATE (VIRTUAL )?TABLE/i.test(t.sql ?? '') || /_(node|parent|rowid)$/.test(t.name) && t.name.startsWith('rtree_')) continue;
    const stmt = db.prepare(`SELECT * FROM ${q(t.name)} ORDER BY 1`).raw(true);
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      // Type-tagged raw values: blobs are hashed as bytes (no base64 or JSON per value: this runs on every report).
      for (const v of row) {
        if (v instanceof Uint8Array) h.update('b').update(v);
        else if (v === null || v === undefined) h.update('n');
        else h.update(`${typeof v === 'string' ? 's' : 'v'}${String(v)}`);
        h.update('\u0001');
      }
      h.update('\n');
    }
  }
  return h.digest('hex');
}
