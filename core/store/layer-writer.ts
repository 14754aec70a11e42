/**
 * Writing one new feature table of a project, batch by batch, with its R-tree filled as it goes, and
 * the table name a layer gets. Split from project.ts, which keeps the project's lifecycle and layer list.
 */
import type Database from 'better-sqlite3';
import { EkimaeError } from '../errors.js';
import { EvenSample } from '../io/field-detect.js';
import type { Feature, LayerData, SourceInfo } from '../io/types.js';
import { bboxOf, emptyBBox, extendBBox, type BBox } from '../geo/geometry.js';
import { createFeatureTable, insertFeatures, q, type DB } from './gpkg.js';

/** A layer to write, before (or without) its features. */
export type LayerHead = Omit<LayerData, 'features'> & { source: SourceInfo };

/**
 * A new feature table filled batch by batch. Its R-tree is created here and filled from each
 * feature's box as it is written (filling it afterwards through the ST_* SQL functions costs four
 * JS calls per row); createSpatialIndex then only adds the triggers.
 */
export class LayerWriter {
  written = 0;
  /** What personal-data detection looks at: attributes only, spread evenly over the whole layer. */
  readonly sample = new EvenSample<Feature>();
  private box = emptyBBox();
  private rt: Database.Statement;

  constructor(private db: DB, readonly table: string, private layer: LayerHead) {
    createFeatureTable(db, table, layer.geometryType, layer.fields, table);
    const rt = `rtree_${table}_geom`;
    db.exec(`CREATE VIRTUAL TABLE ${q(rt)} USING rtree(id, minx, maxx, miny, maxy)`);
    this.rt = db.prepare(`INSERT INTO ${q(rt)} VALUES (?, ?, ?, ?, ?)`);
  }

  write(features: Feature[]): void {
    const b = insertFeatures(this.db, this.table, this.layer.fields, features);
    if (b) extendBBox(this.box, b);
    // A new AUTOINCREMENT table numbers its rows 1, 2, 3… in insertion order (checked in check()).
    for (const f of features) {
      this.written++;
      if (!f.geometry) continue;
      const g = bboxOf(f.geometry);
      this.rt.run(this.written, g[0], g[2], g[1], g[3]);
    }
    for (const f of features) this.sample.add({ geometry: null, properties: f.properties });
  }

  check(): void {
    const max = (this.db.prepare(`SELECT max(fid) FROM ${q(this.table)}`).pluck().get() as number | null) ?? 0;
    if (max !== this.written) throw new EkimaeError('E_INTERNAL', `${this.table}: wrote ${this.written} rows but the last fid is ${max}`);
  }

  bbox(): BBox | null { return Number.isFinite(this.box[0]) ? this.box : null; }
}

export function tableNameFor(s: string): string {
  let t = s.normalize('NFKD').toLowerCase().replace(/\.[a-z0-9]+$/, '').replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  if (!t || /^\d/.test(t)) t = `layer_${t}`;
  if (/^(gpkg|rtree|sqlite|ekimae)_/.test(t)) t = `layer_${t}`;
  return t.slice(0, 60);
}
