/**
 * The project's logical digest for reports, computed once per content state. SQLite tells when
 * content may have changed: total_changes() counts every row this connection inserted, updated or
 * deleted, data_version changes when another connection commits, schema_version when any table is
 * created, dropped or altered. While all three stand still the content is the same, so is the digest.
 */
import type { Project } from '../store/project.js';

const ids = new WeakMap<object, number>();
let nextId = 1;
function connectionId(db: object): number {
  let id = ids.get(db);
  if (id === undefined) { id = nextId++; ids.set(db, id); }
  return id;
}

/** A value that differs whenever the project's content may differ (equal values: the same content). */
function changeKey(project: Project): string {
  const db = project.database;
  const changes = db.prepare('SELECT total_changes()').pluck().get();
  // Counters are per connection: reads go through a second one while an import runs (Project.database).
  return `${connectionId(db)}:${db.pragma('data_version', { simple: true })}:${changes}:${db.pragma('schema_version', { simple: true })}`;
}

const cache = new WeakMap<Project, { key: string; digest: string }>();

export function reportDigest(project: Project): string {
  // Inside a transaction a later rollback would undo content without moving the counters back.
  if (project.database.inTransaction) return project.logicalDigest();
  const key = changeKey(project);
  const hit = cache.get(project);
  if (hit?.key === key) return hit.digest;
  const digest = project.logicalDigest();
  cache.set(project, { key, digest });
  return digest;
}
