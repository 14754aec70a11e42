/**
 * Project store: the logical digest the malformed-input corpus relies on (it must see any change in
 * layers, rows and ekimae_* tables, and ignore physical rearrangement), table naming, schema facts.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Project, tableNameFor } from '../../../core/store/project.js';
import { SCHEMA_VERSION } from '../../../core/store/schema.js';
import { normalizeLayer } from '../../../core/io/normalize.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-project-');
let n = 0;
const open: Project[] = [];
afterEach(() => { while (open.length) open.pop()!.close(); });

function withLayer(): Project {
  const p = Project.create(join(dir, `p${++n}.gpkg`), { name: 'digest' });
  open.push(p);
  const layer = normalizeLayer({ name: 'stations', source: { file: 's.geojson', format: 'geojson' }, features: [
    { geometry: { type: 'Point', coordinates: [100.53, 13.8] }, properties: { name: 'Bang Sue' } },
    { geometry: { type: 'Point', coordinates: [100.54, 13.81] }, properties: { name: 'Tao Poon' } },
  ] });
  p.addLayer(layer, { name: 'stations', role: 'stations', sha256: 'abc' });
  return p;
}

describe('logicalDigest', () => {
  it.each([
    ['a layer row', 'UPDATE stations SET name = \'Bang Sue Grand\' WHERE fid = 1'],
    ['a geometry', 'UPDATE stations SET geom = (SELECT geom FROM stations WHERE fid = 2) WHERE fid = 1'],
    ['a layer role', "UPDATE ekimae_layers SET role = 'other'"],
    ['the field map', "DELETE FROM ekimae_field_map"],
    ['provenance', "UPDATE ekimae_provenance SET sha256 = 'def'"],
    ['a setting', "UPDATE ekimae_settings SET value_json = '\"x\"' WHERE key = 'name'"],
    ['gpkg_contents extent', 'UPDATE gpkg_contents SET min_x = 0 WHERE table_name = \'stations\''],
    ['a new table', 'CREATE TABLE ekimae_extra (fid INTEGER PRIMARY KEY)'],
    ['a deleted row', 'DELETE FROM stations WHERE fid = 2'],
  ])('changes when %s changes', (_what, sql) => {
    const p = withLayer();
    const before = p.logicalDigest();
    p.action((db) => db.exec(sql));
    expect(p.logicalDigest()).not.toBe(before);
  });

  it('does not change when the file is only rearranged (VACUUM) or reopened', () => {
    const p = withLayer();
    const before = p.logicalDigest();
    p.database.exec('VACUUM');
    expect(p.logicalDigest()).toBe(before);
    const path = p.path;
    p.close();
    const q = Project.open(path, { readOnly: true });
    open.push(q);
    expect(q.logicalDigest()).toBe(before);
  });

  it('does not change when a failed action is rolled back', () => {
    const p = withLayer();
    const before = p.logicalDigest();
    expect(() => p.action((db) => { db.exec('DELETE FROM stations'); throw new Error('boom'); })).toThrow('boom');
    expect(p.logicalDigest()).toBe(before);
  });
});

describe('project file facts', () => {
  it('create leaves exactly one file with the current schema version and WAL while open', () => {
    const p = Project.create(join(dir, 'fresh.gpkg'), { name: 'fresh' });
    open.push(p);
    expect(readdirSync(dir).filter((f) => f.startsWith('fresh.gpkg.'))).toEqual([]);
    expect(p.info().schemaVersion).toBe(SCHEMA_VERSION);
    expect(p.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(p.database.pragma('foreign_keys', { simple: true })).toBe(1);
    p.close();
    expect(existsSync(join(dir, 'fresh.gpkg-wal'))).toBe(false);
  });

  it('a read-only project refuses actions with E_PROJECT_READONLY', () => {
    const p = withLayer();
    const path = p.path;
    p.close();
    const q = Project.open(path, { readOnly: true });
    open.push(q);
    expect(() => q.action(() => 1)).toThrowError(expect.objectContaining({ code: 'E_PROJECT_READONLY' }));
  });

  it.each([
    ['Parcels 2024.geojson', 'parcels_2024'],
    ['gpkg_contents.geojson', 'layer_gpkg_contents'],
    ['sqlite_master.shp', 'layer_sqlite_master'],
    ['ekimae_layers.csv', 'layer_ekimae_layers'],
    ['rtree_x_geom.gpkg', 'layer_rtree_x_geom'],
    ['2024-census.kml', 'layer_2024_census'],
    ['สถานี.geojson', 'layer_'],
    ['Café Zone.json', 'cafe_zone'],
  ])('table name for %s is %s', (file, table) => {
    expect(tableNameFor(file)).toBe(table);
  });

  it('a second layer of the same name gets a suffix (names compared without case)', () => {
    const p = withLayer();
    expect(p.uniqueLayerName('Stations')).toBe('stations_2');
  });
});
