/**
 * normalizeLayer: the one gate every importer's features pass. Field types, safe field names,
 * one geometry type per table, the CRS assumption said out loud, and the issue list cap.
 */
import { describe, expect, it } from 'vitest';
import { normalizeLayer, checkGeometry, type RawLayer } from '../../../core/io/normalize.js';

const raw = (features: RawLayer['features'], extra: Partial<RawLayer> = {}): RawLayer => ({ name: 'l', features, source: { file: 'f.geojson', format: 'geojson' }, ...extra });
const pt = (x = 100.5, y = 13.8) => ({ type: 'Point', coordinates: [x, y] });

describe('normalizeLayer', () => {
  it('infers field types: integers, mixed int/real -> REAL, mixed number/text -> TEXT, booleans, all-null -> TEXT', () => {
    const l = normalizeLayer(raw([
      { geometry: pt(), properties: { i: 1, r: 1, t: 1, b: true, z: null } },
      { geometry: pt(), properties: { i: 2, r: 2.5, t: 'two', b: false, z: null } },
    ]));
    expect(l.fields).toEqual([{ name: 'i', type: 'INTEGER' }, { name: 'r', type: 'REAL' }, { name: 't', type: 'TEXT' }, { name: 'b', type: 'BOOLEAN' }, { name: 'z', type: 'TEXT' }]);
    expect(l.features.map((f) => f.properties.t)).toEqual(['1', 'two']);
  });

  it('objects and arrays in properties are kept as JSON text; non-finite numbers become null', () => {
    const l = normalizeLayer(raw([{ geometry: pt(), properties: { o: { a: [1, 2] }, n: Infinity } }]));
    expect(l.features[0].properties).toEqual({ o: '{"a":[1,2]}', n: null });
  });

  it('renames reserved and case-duplicate fields, saying so with E_FIELD_RENAMED', () => {
    const l = normalizeLayer(raw([{ geometry: pt(), properties: { FID: 1, geom: 'g', Name: 'a', name: 'b', '': 'blank' } }]));
    expect(l.fields.map((f) => f.name)).toEqual(['FID_2', 'geom_2', 'Name', 'name_2', 'field_5']);
    expect(l.issues.filter((i) => i.code === 'E_FIELD_RENAMED').map((i) => i.message)).toEqual([
      'f.geojson: field "FID" stored as "FID_2"', 'f.geojson: field "geom" stored as "geom_2"', 'f.geojson: field "name" stored as "name_2"', 'f.geojson: field "" stored as "field_5"',
    ]);
  });

  it('a "__proto__" property keeps its value under a safe name (it cannot be a plain object key)', () => {
    const l = normalizeLayer(raw([{ geometry: pt(), properties: JSON.parse('{"__proto__": "evil", "constructor": "c"}') }]));
    expect(l.fields.map((f) => f.name)).toEqual(['__proto___2', 'constructor']);
    expect(Object.entries(l.features[0].properties)).toEqual([['__proto___2', 'evil'], ['constructor', 'c']]);
  });

  it('Polygon and MultiPolygon together make a MULTIPOLYGON table, singles promoted', () => {
    const sq = [[[100.5, 13.8], [100.6, 13.8], [100.6, 13.9], [100.5, 13.8]]];
    const l = normalizeLayer(raw([{ geometry: { type: 'Polygon', coordinates: sq }, properties: {} }, { geometry: { type: 'MultiPolygon', coordinates: [sq] }, properties: {} }]));
    expect(l.geometryType).toBe('MULTIPOLYGON');
    expect(l.features.map((f) => f.geometry!.type)).toEqual(['MultiPolygon', 'MultiPolygon']);
  });

  it('mixed families are E_GEOMETRY_MIXED with counts; geometryFamily keeps one family and says what it left out', () => {
    const fs = [{ geometry: pt(), properties: {} }, { geometry: { type: 'LineString', coordinates: [[100.5, 13.8], [100.6, 13.9]] }, properties: {} }];
    expect(() => normalizeLayer(raw(fs))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_MIXED', details: { file: 'f.geojson', counts: { point: 1, line: 1 } } }));
    const l = normalizeLayer(raw(fs), { geometryFamily: 'line' });
    expect(l.features).toHaveLength(1);
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 0, code: 'E_GEOMETRY_MIXED', action: 'skipped' }));
    expect(l.read).toBe(2);
  });

  it('no declared CRS and lon/lat-looking coordinates: EPSG:4326 assumed and flagged', () => {
    const l = normalizeLayer(raw([{ geometry: pt(), properties: {} }]));
    expect(l.source.crs).toBe('EPSG:4326 (assumed)');
    expect(l.issues).toContainEqual(expect.objectContaining({ code: 'E_CRS_MISSING', action: 'flagged' }));
  });

  it('a site grid in metres (most features outside ±180/±90) is E_CRS_MISSING, not taken for lon/lat', () => {
    const fs = [[12, 30], [120, 60], [40, 80], [250, 80]].map(([x, y]) => ({ geometry: pt(x, y), properties: {} }));
    expect(() => normalizeLayer(raw(fs))).toThrowError(expect.objectContaining({ code: 'E_CRS_MISSING' }));
  });

  it('options.crs overrides the file: UTM 47N metres reprojected (GDAL: 662000 1525000 -> 100.498624221839 13.7899399943393)', () => {
    const l = normalizeLayer(raw([{ geometry: pt(662000, 1525000), properties: {} }]), { crs: 'EPSG:32647' });
    const [x, y] = (l.features[0].geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(x - 100.498624221839)).toBeLessThan(1e-8);
    expect(Math.abs(y - 13.7899399943393)).toBeLessThan(1e-8);
  });

  it('ids: kept in an "id" field (or source_id when the layer has one); duplicates flagged', () => {
    const a = normalizeLayer(raw([{ geometry: pt(), properties: {}, id: 5 }, { geometry: pt(), properties: {}, id: 5 }]));
    expect(a.features.map((f) => f.properties.id)).toEqual([5, 5]);
    expect(a.issues.filter((i) => i.code === 'E_DUPLICATE_ID')).toHaveLength(1);
    const b = normalizeLayer(raw([{ geometry: pt(), properties: { id: 'own' }, id: 'x' }]));
    expect(b.features[0].properties).toEqual({ id: 'own', source_id: 'x' });
  });

  it('lists at most 1000 issues and says how many more there were', () => {
    const fs = Array.from({ length: 1500 }, () => ({ geometry: null, properties: {} }));
    fs.push({ geometry: pt() as never, properties: {} });
    const l = normalizeLayer(raw(fs));
    expect(l.issues.length).toBe(1001);
    expect(l.issues[1000].message).toMatch(/501 more issues not listed/);
    expect(l.features).toHaveLength(1);
  });

  it('leaves the parser\'s clean coordinates as they are but copies what it repairs', () => {
    const clean = [[100.5, 13.8], [100.6, 13.8], [100.6, 13.9], [100.5, 13.8]];
    const c = checkGeometry({ type: 'Polygon', coordinates: [clean] });
    expect(c.ok && c.geometry.coordinates[0]).toBe(clean);
    const open = [[100.5, 13.8], [100.6, 13.8], [100.6, 13.9]];
    const o = checkGeometry({ type: 'Polygon', coordinates: [open] });
    expect(o.ok && o.geometry.coordinates[0]).toEqual([...open, open[0]]);
    expect(open).toHaveLength(3);
    expect(o.ok && o.repaired).toEqual(['closed an unclosed ring (outer ring)']);
  });

  it.each([
    [{ type: 'Point', coordinates: [1] }, 'E_GEOMETRY_INVALID'],
    [{ type: 'Point', coordinates: [NaN, 1] }, 'E_COORD_INVALID'],
    [{ type: 'LineString', coordinates: [[1, 1], [1, 1]] }, 'E_GEOMETRY_INVALID'],
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [0, 0]]] }, 'E_GEOMETRY_INVALID'],
    [{ type: 'MultiPolygon', coordinates: [[]] }, 'E_GEOMETRY_INVALID'],
    [{ type: 'Circle', coordinates: [0, 0] }, 'E_GEOMETRY_UNSUPPORTED'],
    [{ type: 'LineString', coordinates: [] }, 'E_GEOMETRY_EMPTY'],
    ['POINT (1 2)', 'E_GEOMETRY_INVALID'],
  ])('checkGeometry(%j) -> %s', (g, code) => {
    const c = checkGeometry(g);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.code).toBe(code);
  });
});
