/**
 * insertFeatures(…, { fillIndex: true }) on a table that already has its R-tree and triggers (how
 * catchment runs append their reached streets): the R-tree rows are those the GeoPackage insert
 * trigger writes, the trigger is back afterwards with the same SQL (a later plain INSERT still
 * indexes its row), also when the batch fails half way (the transaction is rolled back).
 */
import { describe, expect, it } from 'vitest';
import { createFeatureTable, createSpatialIndex, initGeoPackage, insertFeatures, openDatabase, type DB } from '../../../core/store/gpkg.js';
import type { Feature } from '../../../core/io/types.js';

const FIELDS = [{ name: 'name', type: 'TEXT' as const }];
const lines: Feature[] = Array.from({ length: 50 }, (_, i) => ({
  geometry: { type: 'LineString', coordinates: [[100.5 + i * 0.001, 13.7], [100.5 + i * 0.001 + 0.0007, 13.7 + (i % 7) * 0.0003]] },
  properties: { name: `street ${i}` },
}));
lines.splice(10, 0, { geometry: null, properties: { name: 'no geometry' } });

function project(): DB {
  const db = openDatabase(':memory:');
  initGeoPackage(db);
  createFeatureTable(db, 'streets', 'LINESTRING', FIELDS);
  createSpatialIndex(db, 'streets');
  return db;
}
const rtree = (db: DB) => db.prepare('SELECT * FROM rtree_streets_geom ORDER BY id').raw(true).all();
const triggers = (db: DB) => db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").raw(true).all();

describe('insertFeatures with fillIndex', () => {
  it('writes the R-tree rows the insert trigger writes and puts the trigger back', () => {
    const byTrigger = project(), direct = project();
    const before = triggers(direct);
    byTrigger.transaction(() => insertFeatures(byTrigger, 'streets', FIELDS, lines))();
    direct.transaction(() => insertFeatures(direct, 'streets', FIELDS, lines, { fillIndex: true }))();
    expect(rtree(byTrigger).length).toBe(50);
    expect(rtree(direct)).toEqual(rtree(byTrigger));
    expect(triggers(direct)).toEqual(before);
    // The trigger works again: a row inserted afterwards is indexed.
    direct.transaction(() => insertFeatures(direct, 'streets', FIELDS, lines.slice(0, 1)))();
    expect(rtree(direct).length).toBe(51);
  });

  it('leaves table, R-tree and trigger as they were when the batch fails', () => {
    const db = project();
    db.transaction(() => insertFeatures(db, 'streets', FIELDS, lines.slice(0, 3), { fillIndex: true }))();
    const before = { rows: rtree(db), triggers: triggers(db) };
    const bad = [...lines.slice(0, 5), { geometry: { type: 'Circle', coordinates: [] }, properties: {} } as unknown as Feature];
    expect(() => db.transaction(() => insertFeatures(db, 'streets', FIELDS, bad, { fillIndex: true }))()).toThrow();
    expect(rtree(db)).toEqual(before.rows);
    expect(triggers(db)).toEqual(before.triggers);
    expect(db.prepare('SELECT count(*) FROM streets').pluck().get()).toBe(3);
  });
});
