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
    // Type-tagged raw values: blobs are hashed as bytes (no base64 or JSON per value: this runs on
    // every report). Text goes to the hash in runs of ~64 kB, not value by value: the same bytes in
    // the same order (so the same digest), without a native call per value: a quarter less time on
    // a metropolitan project (6.6 → 5.0 s at 100,000 parcels).
    let text = '';
    for (const row of stmt.iterate() as Iterable<unknown[]>) {
      for (const v of row) {
        if (v instanceof Uint8Array) { h.update(text + 'b'); text = ''; h.update(v); }
        else if (v === null || v === undefined) text += 'n';
        else text += `${typeof v === 'string' ? 's' : 'v'}${String(v)}`;
        text += '\u0001';
      }
      text += '\n';
      if (text.length > 65536) { h.update(text); text = ''; }
    }
    if (text) h.update(text);
  }
  return h.digest('hex');
}
