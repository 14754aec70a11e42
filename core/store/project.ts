/**
 * An Ekimae project: one GeoPackage file, opened read-write in WAL mode while in use and
 * returned to a single self-contained file (journal_mode DELETE) on close, so it can be mailed,
 * committed or opened by QGIS. Every user action is one transaction.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { EkimaeError } from '../errors.js';
import { detectFieldMap, detectPersonalFields } from '../io/field-detect.js';
import type { Feature, ImportedLayer, ImportIssue } from '../io/types.js';
import { emptyBBox, extendBBox, type BBox } from '../geo/geometry.js';
import {
  createSpatialIndex, dropFeatureTable, getFeatureTable, initGeoPackage,
  isGeoPackage, listFeatureTables, openDatabase, readFeatures, setContentsExtent,
  type DB, type FeatureTableInfo, type ReadOptions,
} from './gpkg.js';
import { nowIso } from './clock.js';
import { storageError } from './storage-errors.js';
import { LAYER_ROLES, type LayerRole } from './layer-roles.js';
import { hasEkimaeSchema, migrate, SCHEMA_VERSION } from './schema.js';
import { LayerWriter, tableNameFor, type LayerHead } from './layer-writer.js';
import { logicalDigest } from './logical-digest.js';
import { assertTrustedSchema } from './schema-guard.js';

import { APP_VERSION } from '../version.js';

export { APP_VERSION };

// Re-exported: importers and tests name them through the project module.
export { tableNameFor } from './layer-writer.js';
export type { LayerHead };

export interface ProjectSettings {
  name: string;
  country?: string;
  currency?: string;
  priceYear?: number;
  client?: string;
  /** Site centre [lon, lat]; the analysis CRS is derived from it. */
  center?: [number, number];
  [key: string]: unknown;
}

export interface ProvenanceRow {
  sourceFile: string;
  sourceFormat: string;
  sourceLayer: string | null;
  sha256: string;
  importedAt: string;
  crsRead: string;
  encoding: string | null;
  featuresRead: number;
  featuresWritten: number;
  featuresSkipped: number;
  issues: ImportIssue[];
  note: string | null;
}

export interface LayerInfo {
  name: string;
  title: string;
  role: LayerRole;
  geometryType: string;
  count: number;
  bbox: BBox | null;
  fields: Array<{ name: string; type: string; sourceName: string; personal: boolean; personalReason: string | null }>;
  fieldMap: Record<string, string>;
  provenance: ProvenanceRow[];
}

export interface ProjectInfo {
  path: string;
  readOnly: boolean;
  schemaVersion: number;
  appVersion: string;
  createdAt: string;
  settings: ProjectSettings;
  layers: LayerInfo[];
  bbox: BBox | null;
}

export interface AddLayerOptions {
  name?: string;
  title?: string;
  role?: LayerRole;
  sha256: string;
  note?: string;
  /** Field renames from the importer: source name -> stored name. */
  sourceNames?: Record<string, string>;
}


function roleOf(opts: AddLayerOptions): LayerRole {
  const role = opts.role ?? 'other';
  if (!LAYER_ROLES.includes(role)) throw new EkimaeError('E_INPUT_INVALID', `unknown layer role "${role}"`);
  return role;
}



/** Which project's actionAsync the running code belongs to (its own reads must see its uncommitted rows). */
const insideAsyncAction = new AsyncLocalStorage<Project>();

const isBusyError = (e: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown })?.code ?? ''));

/** Who saved a version of a scenario in a shared store, and when (its own clock). */
export interface ScenarioAuthor { scenarioId: string; version: number; by: string; at: string }

/** Writes each call's changes through to a shared store (a PostGIS schema): see core/store/postgis/sync.ts. */
export interface ProjectSync {
  around<T>(method: string, input: unknown, run: () => Promise<T>): Promise<T>;
}

export class Project {
  private asyncAction: string | null = null;
  /** What info() reports as the path when the file is a working copy of something else (a database address, password masked). */
  label?: string;
  /** Set when the project is a working copy of a shared store: every change is written through by it. */
  sync?: ProjectSync;
  /** Runs once the file is closed (a working copy's folder is removed). */
  onClose?: () => void;
  /**
   * A working copy of a shared store: a fresh copy of the store as it is now (other people's saves
   * since this one was opened), opened the same way. The address it holds stays in memory only.
   */
  reopen?: () => Promise<Project>;
  /**
   * A working copy of a shared store: who saved each version of a scenario there, and when (the
   * database role and its clock: core/store/postgis/catalog.ts). A file knows neither, so it has none.
   */
  scenarioAuthors?: (scenarioIds: string[]) => Promise<ScenarioAuthor[]>;
  /** A second, read-only connection: in WAL mode it sees the last commit, never an open import's rows. */
  private reader: DB | null = null;

  private constructor(private db: DB, public path: string, public readonly readOnly: boolean) {}

  /**
   * The connection a read goes through. While an import's transaction is open, everyone but that
   * import reads through the reader, so a download, report or info taken meanwhile shows committed
   * layers only (and nothing of an import that is then cancelled). Otherwise the writer, which holds
   * no uncommitted rows between actions (they run synchronously).
   */
  private get rdb(): DB {
    if (!this.asyncAction || insideAsyncAction.getStore() === this || !this.db.open) return this.db;
    if (!this.reader) {
      this.reader = openDatabase(this.path, { readonly: true, mustExist: true });
      this.reader.pragma('foreign_keys = ON');
    }
    return this.reader;
  }

  /** What is changing the project right now (an import), or null. Open, close and Save As wait for it. */
  get busy(): string | null { return this.asyncAction; }

  static create(path: string, settings: ProjectSettings): Project {
    if (existsSync(path)) throw new EkimaeError('E_PROJECT_EXISTS', `${path} already exists; choose another name or open it`, { path });
    const tmp = `${path}.creating`;
    rmSync(tmp, { force: true });
    const db = openDatabase(tmp);
    try {
      db.transaction(() => initGeoPackage(db))();
      migrate(db);
      db.transaction(() => {
        db.prepare("INSERT INTO ekimae_meta (key, value) VALUES ('created_at', ?), ('app_version', ?)").run(nowIso(), APP_VERSION);
        writeSettings(db, settings);
      })();
      db.close();
      renameSync(tmp, path);
    } catch (e) {
      try { db.close(); } catch { /* already closed */ }
      rmSync(tmp, { force: true });
      throw e;
    }
    return Project.open(path);
  }

  static open(path: string, opts: { readOnly?: boolean } = {}): Project {
    if (!existsSync(path)) throw new EkimaeError('E_PROJECT_NOT_FOUND', `${path} does not exist`, { path });
    const db = openDatabase(path, { readonly: !!opts.readOnly, mustExist: true });
    try {
      let gpkg = false;
      try { gpkg = isGeoPackage(db); } catch { gpkg = false; }
      if (!gpkg) throw new EkimaeError('E_PROJECT_INVALID', `${path} is not a GeoPackage`, { path });
      if (!hasEkimaeSchema(db)) {
        throw new EkimaeError('E_PROJECT_INVALID', `${path} is a GeoPackage but not an Ekimae project; create a project and import it as a layer`, { path });
      }
      // Before anything reads a table or writes (a migration would fire a planted trigger).
      assertTrustedSchema(db, path);
      if (!opts.readOnly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        migrate(db);
      } else if (Number(db.prepare("SELECT value FROM ekimae_meta WHERE key='schema_version'").pluck().get()) > SCHEMA_VERSION) {
        throw new EkimaeError('E_PROJECT_INVALID', `${path} was written by a newer Ekimae`, { path });
      }
      db.pragma('foreign_keys = ON');
    } catch (e) {
      db.close();
      throw storageError(e, path) ?? e;
    }
    return new Project(db, path, !!opts.readOnly);
  }

  /** Leave one self-contained file behind (no -wal/-shm) so the .gpkg can be copied as it is. */
  close(): void {
    if (this.reader) {
      try { this.reader.close(); } catch { /* closing a reader loses nothing */ }
      this.reader = null;
    }
    if (!this.db.open) return;
    try {
      // An import still running at shutdown is undone, exactly as a crash would undo it.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      if (!this.readOnly) {
        // Another process (the app, a second CLI) with the file open keeps the WAL: everything is
        // committed in it already and that process, or the next open, folds it back. Waiting for it
        // would stall this close by the busy timeout and then fail.
        this.db.pragma('busy_timeout = 0');
        const [cp] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>;
        if (!cp?.busy) this.db.pragma('journal_mode = DELETE');
      }
    } catch (e) {
      if (!isBusyError(e)) throw closeError(e, this.path);
    } finally {
      try { this.db.close(); } catch (e) { throw closeError(e, this.path); } finally {
        const done = this.onClose;
        this.onClose = undefined;
        done?.();
      }
    }
  }

  get isOpen(): boolean { return this.db.open; }

  /** One user action: all or nothing. */
  action<T>(fn: (db: DB) => T): T {
    if (this.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${this.path} is open read-only`);
    // Another call's change would become part of the open import's transaction and vanish with it if
    // that is cancelled.
    if (this.asyncAction) throw new EkimaeError('E_PROJECT_BUSY', `${this.path} cannot be changed until ${this.asyncAction} has finished`, { busy: this.asyncAction });
    return this.db.transaction(() => fn(this.db))();
  }

  /**
   * One user action that yields to the event loop while it runs (a large import reporting progress
   * and listening for cancellation): all or nothing, like action(). `what` names it to callers that
   * try to change the project meanwhile.
   */
  async actionAsync<T>(what: string, fn: (db: DB) => Promise<T>): Promise<T> {
    if (this.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${this.path} is open read-only`);
    if (this.asyncAction || this.db.inTransaction) throw new EkimaeError('E_PROJECT_BUSY', `${this.path} cannot be changed until ${this.asyncAction ?? 'the current change'} has finished`, { busy: this.asyncAction ?? 'a change' });
    this.db.exec('BEGIN IMMEDIATE');
    this.asyncAction = what;
    return insideAsyncAction.run(this, async () => {
      try {
        const out = await fn(this.db);
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      } finally {
        this.asyncAction = null;
      }
    });
  }

  /**
   * Raw database access for engines that keep their own ekimae_* tables: the reader while another
   * job's import is open (see rdb; writing goes through action(), which refuses then), else the writer.
   */
  get database(): DB { return this.rdb; }

  settings(): ProjectSettings {
    const rows = this.rdb.prepare('SELECT key, value_json FROM ekimae_settings ORDER BY key').all() as Array<{ key: string; value_json: string }>;
    const out: Record<string, unknown> = {};
    for (const r of rows) out[r.key] = JSON.parse(r.value_json);
    return out as ProjectSettings;
  }

  updateSettings(patch: Partial<ProjectSettings>): ProjectSettings {
    this.action((db) => writeSettings(db, patch));
    return this.settings();
  }

  info(): ProjectInfo {
    const meta = Object.fromEntries((this.rdb.prepare('SELECT key, value FROM ekimae_meta').all() as Array<{ key: string; value: string }>).map((r) => [r.key, r.value]));
    const layers = this.layers();
    const box = emptyBBox();
    for (const l of layers) if (l.bbox) extendBBox(box, l.bbox);
    return {
      path: this.label ?? this.path, readOnly: this.readOnly, schemaVersion: Number(meta.schema_version), appVersion: meta.app_version ?? APP_VERSION,
      createdAt: meta.created_at ?? '', settings: this.settings(), layers, bbox: Number.isFinite(box[0]) ? box : null,
    };
  }

  layers(): LayerInfo[] {
    return listFeatureTables(this.rdb).map((t) => this.layerInfoOf(t));
  }

  layer(name: string): LayerInfo {
    return this.layerInfoOf(this.table(name));
  }

  private table(name: string): FeatureTableInfo {
    const t = getFeatureTable(this.rdb, name);
    if (!t) throw new EkimaeError('E_LAYER_NOT_FOUND', `no layer "${name}" in ${this.path}`, { layer: name, layers: listFeatureTables(this.rdb).map((l) => l.table) });
    return t;
  }

  private layerInfoOf(t: FeatureTableInfo): LayerInfo {
    const db = this.rdb;
    const meta = db.prepare('SELECT title, role FROM ekimae_layers WHERE table_name = ?').get(t.table) as { title: string; role: LayerRole } | undefined;
    const fm = db.prepare('SELECT field, source_name, personal, personal_reason FROM ekimae_field_meta WHERE table_name = ?').all(t.table) as Array<{ field: string; source_name: string; personal: number; personal_reason: string | null }>;
    const fmBy = new Map(fm.map((r) => [r.field, r]));
    const map = db.prepare('SELECT semantic, field FROM ekimae_field_map WHERE table_name = ? ORDER BY semantic').all(t.table) as Array<{ semantic: string; field: string }>;
    const prov = db.prepare('SELECT * FROM ekimae_provenance WHERE table_name = ? ORDER BY fid').all(t.table) as Array<Record<string, unknown>>;
    return {
      name: t.table,
      title: meta?.title ?? t.identifier ?? t.table,
      role: meta?.role ?? 'other',
      geometryType: t.geometryType,
      get count() { return t.count; },
      bbox: t.bbox,
      fields: t.fields.map((f) => {
        const m = fmBy.get(f.name);
        return { name: f.name, type: f.type, sourceName: m?.source_name ?? f.name, personal: !!m?.personal, personalReason: m?.personal_reason ?? null };
      }),
      fieldMap: Object.fromEntries(map.map((r) => [r.semantic, r.field])),
      provenance: prov.map((p) => ({
        sourceFile: String(p.source_file), sourceFormat: String(p.source_format), sourceLayer: (p.source_layer as string) ?? null,
        sha256: String(p.sha256), importedAt: String(p.imported_at), crsRead: String(p.crs_read), encoding: (p.encoding as string) ?? null,
        featuresRead: Number(p.features_read), featuresWritten: Number(p.features_written), featuresSkipped: Number(p.features_skipped),
        issues: JSON.parse(String(p.issues_json)), note: (p.note as string) ?? null,
      })),
    };
  }

  uniqueLayerName(wanted: string): string {
    const base = tableNameFor(wanted);
    let name = base;
    for (let i = 2; this.db.prepare('SELECT 1 FROM sqlite_master WHERE name = ? COLLATE NOCASE').get(name) || this.db.prepare('SELECT 1 FROM gpkg_contents WHERE table_name = ? COLLATE NOCASE').get(name); i++) name = `${base}_${i}`;
    return name;
  }

  /** Write an imported layer, its spatial index, role, field mapping and provenance: one transaction. */
  addLayer(layer: ImportedLayer, opts: AddLayerOptions): LayerInfo {
    const role = roleOf(opts);
    const name = this.uniqueLayerName(opts.name ?? layer.name);
    this.action((db) => {
      const w = new LayerWriter(db, name, layer);
      w.write(layer.features);
      this.finishLayer(db, w, layer, opts, role, layer.read, layer.issues);
    });
    return this.layer(name);
  }

  /**
   * Write a layer whose features arrive in batches (a streamed import): `fill` hands each batch to
   * `write` and returns the issues and count read once it has seen them all. Only inside actionAsync,
   * whose one transaction the caller ends. `sourceBytes` (the file's size) sizes the page cache.
   */
  async addLayerStreamed(
    layer: LayerHead, opts: AddLayerOptions, sourceBytes: number,
    fill: (write: (features: Feature[]) => void) => Promise<{ read: number; issues: ImportIssue[] }>,
  ): Promise<LayerInfo> {
    if (!this.asyncAction) throw new EkimaeError('E_INTERNAL', 'addLayerStreamed runs inside actionAsync');
    const role = roleOf(opts);
    const name = this.uniqueLayerName(opts.name ?? layer.name);
    const db = this.db;
    const w = new LayerWriter(db, name, layer);
    // The page cache scales with the file (1/32 of it, 2-32 MiB; this build's default is 16 MB):
    // R-tree inserts of a 1M-line network take 40 % more CPU with 4 MiB than with 32, but a 59 MB parcel
    // file stays within twice its size in memory only with a few MiB (import.bench.ts).
    const prevCache = db.pragma('cache_size', { simple: true }) as number;
    const cacheKiB = Math.round(Math.min(32 << 10, Math.max(2 << 10, sourceBytes / 32 / 1024)));
    db.pragma(`cache_size = -${cacheKiB}`);
    try {
      const { read, issues } = await fill((features) => w.write(features));
      this.finishLayer(db, w, layer, opts, role, read, issues);
      // Before the cache grows back: counting the new table's rows reads every page of it.
      return this.layer(name);
    } finally {
      if (db.open) db.pragma(`cache_size = ${prevCache}`);
    }
  }

  private finishLayer(db: DB, w: LayerWriter, layer: LayerHead, opts: AddLayerOptions, role: LayerRole, read: number, issues: ImportIssue[]): void {
    const name = w.table;
    w.check();
    createSpatialIndex(db, name);
    setContentsExtent(db, name, w.bbox());
    db.prepare('INSERT INTO ekimae_layers (table_name, title, role, created_at) VALUES (?, ?, ?, ?)')
      .run(name, opts.title ?? layer.name, role, nowIso());
    const personal = detectPersonalFields(layer.fields, w.sample.items, role);
    const sourceOf = new Map(Object.entries(opts.sourceNames ?? {}).map(([s, d]) => [d, s]));
    const ins = db.prepare('INSERT INTO ekimae_field_meta (table_name, field, source_name, personal, personal_reason) VALUES (?, ?, ?, ?, ?)');
    for (const f of layer.fields) ins.run(name, f.name, sourceOf.get(f.name) ?? f.name, personal[f.name] ? 1 : 0, personal[f.name] ?? null);
    const map = detectFieldMap(role, layer.fields);
    const mins = db.prepare('INSERT INTO ekimae_field_map (table_name, semantic, field, detected) VALUES (?, ?, ?, 1)');
    for (const [s, f] of Object.entries(map)) mins.run(name, s, f);
    const skipped = issues.filter((i) => i.action === 'skipped').length;
    db.prepare(`INSERT INTO ekimae_provenance (table_name, source_file, source_format, source_layer, sha256, imported_at, crs_read, encoding,
        features_read, features_written, features_skipped, issues_json, note) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
      .run(name, layer.source.file, layer.source.format, layer.source.sourceLayer ?? null, opts.sha256, nowIso(),
        layer.source.crs, layer.source.encoding ?? null, read, w.written, skipped, JSON.stringify(issues), opts.note ?? null);
  }

  removeLayer(name: string): void {
    this.table(name);
    this.action((db) => {
      dropFeatureTable(db, name);
      for (const t of ['ekimae_layers', 'ekimae_field_map', 'ekimae_field_meta', 'ekimae_provenance']) {
        db.prepare(`DELETE FROM ${t} WHERE table_name = ?`).run(name);
      }
    });
  }

  setRole(name: string, role: LayerRole, redetect = true): LayerInfo {
    const t = this.table(name);
    if (!LAYER_ROLES.includes(role)) throw new EkimaeError('E_INPUT_INVALID', `unknown layer role "${role}"; one of ${LAYER_ROLES.join(', ')}`);
    this.action((db) => {
      db.prepare('INSERT INTO ekimae_layers (table_name, title, role, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(table_name) DO UPDATE SET role = excluded.role')
        .run(name, t.identifier ?? name, role, nowIso());
      if (redetect) {
        db.prepare('DELETE FROM ekimae_field_map WHERE table_name = ? AND detected = 1').run(name);
        const manual = new Set((db.prepare('SELECT semantic FROM ekimae_field_map WHERE table_name = ?').all(name) as Array<{ semantic: string }>).map((r) => r.semantic));
        const ins = db.prepare('INSERT INTO ekimae_field_map (table_name, semantic, field, detected) VALUES (?, ?, ?, 1)');
        for (const [s, f] of Object.entries(detectFieldMap(role, t.fields))) if (!manual.has(s)) ins.run(name, s, f);
      }
    });
    return this.layer(name);
  }

  /** Set (field name) or clear (null) semantic fields; user choices are never overwritten by detection. */
  setFieldMap(name: string, mapping: Record<string, string | null>): LayerInfo {
    const t = this.table(name);
    const fieldNames = new Set(t.fields.map((f) => f.name));
    for (const [s, f] of Object.entries(mapping)) {
      if (f !== null && !fieldNames.has(f)) throw new EkimaeError('E_FIELD_NOT_FOUND', `layer "${name}" has no field "${f}" (for ${s})`, { layer: name, field: f, fields: [...fieldNames] });
    }
    this.action((db) => {
      for (const [s, f] of Object.entries(mapping)) {
        db.prepare('DELETE FROM ekimae_field_map WHERE table_name = ? AND semantic = ?').run(name, s);
        if (f !== null) db.prepare('INSERT INTO ekimae_field_map (table_name, semantic, field, detected) VALUES (?, ?, ?, 0)').run(name, s, f);
      }
    });
    return this.layer(name);
  }

  setFieldPersonal(name: string, field: string, personal: boolean): LayerInfo {
    const t = this.table(name);
    if (!t.fields.some((f) => f.name === field)) throw new EkimaeError('E_FIELD_NOT_FOUND', `layer "${name}" has no field "${field}"`, { layer: name, field });
    this.action((db) => {
      db.prepare(`INSERT INTO ekimae_field_meta (table_name, field, source_name, personal, personal_reason) VALUES (?, ?, ?, ?, 'set by user')
        ON CONFLICT(table_name, field) DO UPDATE SET personal = excluded.personal, personal_reason = 'set by user'`).run(name, field, field, personal ? 1 : 0);
    });
    return this.layer(name);
  }

  readFeatures(name: string, opts: ReadOptions = {}): Feature[] {
    return readFeatures(this.rdb, this.table(name), opts);
  }

  fieldsOf(name: string) { return this.table(name).fields; }

  /**
   * Save a copy under a new name and continue in it (Save As). The copy is written to a temporary
   * file and renamed, so a crash never leaves half a project at the target path.
   */
  saveAs(target: string, opts: { overwrite?: boolean } = {}): void {
    // Every action is already committed to this file; copying it onto itself would replace the
    // file under the open connection and orphan its -wal.
    if (target === this.path && opts.overwrite) return;
    // The copy would be taken from a connection in the middle of the import's transaction.
    if (this.asyncAction) throw new EkimaeError('E_PROJECT_BUSY', `${this.path} cannot be saved under another name until ${this.asyncAction} has finished`, { busy: this.asyncAction });
    if (existsSync(target) && !opts.overwrite) throw new EkimaeError('E_PROJECT_EXISTS', `${target} already exists`, { path: target });
    const tmp = `${target}.saving`;
    rmSync(tmp, { force: true });
    try {
      this.db.prepare('VACUUM INTO ?').run(tmp);
      renameSync(tmp, target);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw storageError(e, target, true) ?? new EkimaeError('E_EXPORT_FAILED', `cannot write ${target}: ${(e as Error).message}`, { path: target });
    }
    this.close();
    const next = Project.open(target);
    this.db = next.db;
    this.path = target;
    // It continues as a plain file: nothing of the shared store it was a copy of applies any more.
    this.label = undefined; this.reopen = undefined; this.scenarioAuthors = undefined;
  }


  /** A digest of the project's logical content (see logical-digest.ts): two equal digests = nothing changed. */
  logicalDigest(): string { return logicalDigest(this.rdb); }
}

function writeSettings(db: DB, settings: Partial<ProjectSettings>): void {
  const stmt = db.prepare('INSERT INTO ekimae_settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json');
  for (const [k, v] of Object.entries(settings)) if (v !== undefined) stmt.run(k, JSON.stringify(v));
}

/**
 * Closing folds the write-ahead log back into the .gpkg, which needs space. When the disk is full
 * every committed change is still in the -wal file beside the project (SQLite folds it in at the
 * next open), so the message says nothing is lost and what to keep, not a raw SQLite error.
 */
function closeError(e: unknown, path: string): unknown {
  const se = storageError(e, path);
  if (se?.code !== 'E_DISK_FULL') return se ?? e;
  return new EkimaeError('E_DISK_FULL', `${path}: the disk is full, so the project could not be folded into one file on closing. Nothing is lost: every saved change is in ${path}-wal beside it and comes back the next time the project is opened. Free some space and keep the -wal file with the project (copy both if you move it)`, { path });
}
