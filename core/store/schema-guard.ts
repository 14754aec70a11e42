/**
 * Which views, triggers and virtual tables a project may hold. A project file can come from anyone
 * (mailed, unzipped from a plan package); SQLite runs a trigger's body inside Ekimae's own
 * transactions and a view's query whenever it is read, so a planted trigger can wipe settings at the
 * next import and a recursive view hangs every read. Only what Ekimae and GDAL/QGIS create under the
 * GeoPackage standard passes: the R-tree extension's triggers (writing only their own rtree_ table),
 * GDAL's feature-count triggers (writing only gpkg_ogr_contents), and the spec's checking triggers
 * on gpkg_* and tile tables (which write nothing). No view passes: neither Ekimae nor the standard
 * creates one.
 */
import { EkimaeError } from '../errors.js';
import type { DB } from './gpkg.js';

interface SchemaRow { type: string; name: string; tbl_name: string; sql: string | null }

export interface ForeignObject { type: 'view' | 'trigger' | 'table'; name: string; reason: string }

/** SQL with comments and literals blanked, so nothing can hide a write target or a keyword in them. */
function bare(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/\s+/g, ' ');
}

const IDENT = String.raw`(?:"(?:[^"]|"")*"|\x60(?:[^\x60]|\x60\x60)*\x60|\[[^\]]*\]|[A-Za-z_][\w$]*)`;
const TARGET = new RegExp(String.raw`\b(?:(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO|UPDATE\s+(?:OR\s+\w+\s+)?|DELETE\s+FROM)\s*(${IDENT}(?:\s*\.\s*${IDENT})?)`, 'gi');

function unquote(id: string): string {
  const last = id.split(/\s*\.\s*(?=(?:"|`|\[|[A-Za-z_]))/).pop()!.trim();
  if (/^".*"$/.test(last)) return last.slice(1, -1).replace(/""/g, '"');
  if (/^`.*`$/.test(last)) return last.slice(1, -1).replace(/``/g, '`');
  if (/^\[.*\]$/.test(last)) return last.slice(1, -1);
  return last;
}

/** Tables a trigger's body writes to (lower case). The header (AFTER UPDATE OF … ON …) is not part of the body. */
export function triggerWrites(sql: string): string[] {
  const s = bare(sql);
  const begin = s.search(/\bBEGIN\b/i);
  const body = begin < 0 ? s : s.slice(begin);
  return [...body.matchAll(TARGET)].map((m) => unquote(m[1]).toLowerCase());
}

const CORE_TABLES = new Set(['gpkg_contents', 'gpkg_geometry_columns', 'gpkg_spatial_ref_sys', 'gpkg_extensions', 'gpkg_ogr_contents']);

function triggerProblem(t: SchemaRow, geometryColumns: Array<{ t: string; g: string }>, tiles: Set<string>): string | null {
  const sql = t.sql ?? '';
  const s = bare(sql);
  if (/\bRECURSIVE\b/i.test(s)) return 'uses a recursive query';
  const writes = triggerWrites(sql);
  const name = t.name.toLowerCase();
  const on = t.tbl_name.toLowerCase();
  const gc = geometryColumns.find(({ t: tt, g }) => name.startsWith(`rtree_${tt}_${g}_`.toLowerCase()));
  if (gc && new RegExp(`^rtree_.+_(insert|update[1-7]?|delete)$`).test(name)) {
    const rt = `rtree_${gc.t}_${gc.g}`.toLowerCase();
    if (on !== gc.t.toLowerCase()) return `is named for the R-tree of ${gc.t} but fires on ${t.tbl_name}`;
    const other = writes.filter((w) => w !== rt);
    return other.length ? `is named like an R-tree trigger but writes to ${[...new Set(other)].join(', ')}` : null;
  }
  const fc = /^trigger_(insert|delete)_feature_count_(.+)$/.exec(name);
  if (fc) {
    if (fc[2] !== on) return `counts features of ${fc[2]} but fires on ${t.tbl_name}`;
    const other = writes.filter((w) => w !== 'gpkg_ogr_contents');
    return other.length ? `is named like GDAL's feature count trigger but writes to ${[...new Set(other)].join(', ')}` : null;
  }
  // The spec's checking triggers (gpkg_metadata*, gpkg_tile_matrix, tile tables) only RAISE; none sits on the core tables every import writes.
  if (((on.startsWith('gpkg_') && !CORE_TABLES.has(on)) || tiles.has(on)) && writes.length === 0) return null;
  return writes.length ? `writes to ${[...new Set(writes)].join(', ')}` : `fires on ${t.tbl_name}`;
}

/** Views, triggers and virtual tables the project should not hold, each with why. Reads sqlite_master only (and gpkg_* tables once no view can stand in for them). */
export function foreignSchemaObjects(db: DB): ForeignObject[] {
  const rows = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger', 'table') ORDER BY type, name").all() as SchemaRow[];
  const out: ForeignObject[] = rows.filter((r) => r.type === 'view').map((r) => ({ type: 'view' as const, name: r.name, reason: 'a view (Ekimae creates none; reading it runs its query)' }));
  const tableNames = new Set(rows.filter((r) => r.type === 'table').map((r) => r.name.toLowerCase()));
  const geometryColumns = tableNames.has('gpkg_geometry_columns')
    ? db.prepare('SELECT table_name AS t, column_name AS g FROM gpkg_geometry_columns').all() as Array<{ t: string; g: string }>
    : [];
  const tiles = new Set(tableNames.has('gpkg_contents')
    ? (db.prepare("SELECT lower(table_name) AS t FROM gpkg_contents WHERE data_type IN ('tiles', '2d-gridded-coverage')").all() as Array<{ t: string }>).map((r) => r.t)
    : []);
  for (const r of rows) {
    if (r.type === 'trigger') {
      const why = triggerProblem(r, geometryColumns, tiles);
      if (why) out.push({ type: 'trigger', name: r.name, reason: why });
    } else if (/^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '') && !(/\bUSING\s+rtree\s*\(/i.test(r.sql ?? '') && r.name.toLowerCase().startsWith('rtree_'))) {
      out.push({ type: 'table', name: r.name, reason: 'a virtual table other than a GeoPackage R-tree' });
    }
  }
  return out;
}

const quoteId = (n: string) => `"${n.replace(/"/g, '""')}"`;

/** Refuses a project holding foreign views or triggers, naming them and saying how to remove them. */
export function assertTrustedSchema(db: DB, path: string): void {
  const found = foreignSchemaObjects(db);
  if (!found.length) return;
  const drops = found.map((o) => `DROP ${o.type === 'table' ? 'TABLE' : o.type.toUpperCase()} ${quoteId(o.name)};`).join(' ');
  throw new EkimaeError('E_PROJECT_UNTRUSTED_SCHEMA',
    `${path} holds ${found.map((o) => `${o.type} "${o.name}" (${o.reason})`).join('; ')}. Ekimae did not create ${found.length === 1 ? 'it' : 'them'} and does not open the project while ${found.length === 1 ? 'it is' : 'they are'} there. `
    + `If you trust the file, remove ${found.length === 1 ? 'it' : 'them'} on a copy: sqlite3 copy.gpkg '${drops.replace(/'/g, "'\\''")}'`,
    { path, objects: found });
}
