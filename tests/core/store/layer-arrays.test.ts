/**
 * The typed-array layer reader (core/store/layer-arrays.ts) against independent answers:
 * - a GeoPackage written by GDAL (ogr2ogr) from the GeoJSON below: multipolygons with holes, Z
 *   coordinates (dropped), a feature without geometry, NULL attributes; the expected coordinates and
 *   values are the ones written in this file;
 * - every layer of both samples: the same fids, coordinates and attribute values, feature by
 *   feature, as the object reader (readFeatures);
 * - a column holding numbers and text side by side, a BOOLEAN column, and a damaged blob (the same
 *   coded error as the object reader).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getFeatureTable, listFeatureTables, openDatabase, readFeatures } from '../../../core/store/gpkg.js';
import { layerArraysShared, readLayerArrays, readLayerArraysDb, valueAt, type LayerArrays } from '../../../core/store/layer-arrays.js';
import { Project } from '../../../core/store/project.js';
import type { Geometry } from '../../../core/geo/geometry.js';
import { EkimaeError } from '../../../core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const TYPES: Record<string, number> = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 };

/** Feature i of the packed arrays as GeoJSON coordinates (written here, not taken from the module). */
function unpack(a: LayerArrays, i: number): Geometry | null {
  const g = a.geometry!;
  const t = g.types[i];
  if (t === 0) { expect(g.featureStart[i + 1]).toBe(g.featureStart[i]); return null; }
  const parts: number[][][][] = [];
  for (let p = g.featureStart[i]; p < g.featureStart[i + 1]; p++) {
    const rings: number[][][] = [];
    for (let r = g.partStart[p]; r < g.partStart[p + 1]; r++) {
      const ring: number[][] = [];
      for (let v = g.ringStart[r]; v < g.ringStart[r + 1]; v++) ring.push([g.coords[2 * v], g.coords[2 * v + 1]]);
      rings.push(ring);
    }
    parts.push(rings);
  }
  switch (t) {
    case 1: return { type: 'Point', coordinates: parts[0][0][0] as [number, number] };
    case 2: return { type: 'LineString', coordinates: parts[0][0] as Array<[number, number]> };
    case 3: return { type: 'Polygon', coordinates: parts[0] as Array<Array<[number, number]>> };
    case 4: return { type: 'MultiPoint', coordinates: parts.map((p) => p[0][0]) as Array<[number, number]> };
    case 5: return { type: 'MultiLineString', coordinates: parts.map((p) => p[0]) as Array<Array<[number, number]>> };
    default: return { type: 'MultiPolygon', coordinates: parts as Array<Array<Array<[number, number]>>> };
  }
}

const dir = tmpDir('ekimae-layer-arrays-');

const sq = (x: number, y: number, s: number, z?: number) => [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]].map((p) => (z === undefined ? p : [...p, z]));

/** What GDAL is given: the expected answer for every feature. */
const INPUT = [
  { geometry: { type: 'MultiPolygon', coordinates: [[sq(100.5, 13.7, 0.01), sq(100.502, 13.702, 0.002), sq(100.505, 13.705, 0.001)], [sq(100.6, 13.8, 0.02)]] }, properties: { name: 'two parts, two holes', floors: 3, price: 12.5 } },
  { geometry: null, properties: { name: null, floors: null, price: null } },
  { geometry: { type: 'Polygon', coordinates: [sq(100.7, 13.9, 0.005, 4), sq(100.701, 13.901, 0.001, 4)] }, properties: { name: 'with Z', floors: 0, price: null } },
  { geometry: { type: 'MultiPolygon', coordinates: [[sq(100.4, 13.6, 0.003)]] }, properties: { name: 'ก ข ค', floors: -2, price: 1e-9 } },
];

describe('layer arrays against a GeoPackage written by GDAL', () => {
  const haveGdal = requireToolOrSkip('ogr2ogr');
  it.skipIf(!haveGdal)('gives the coordinates, holes, missing geometry and NULL attributes GDAL was given', () => {
    const src = join(dir, 'parcels.geojson'), out = join(dir, 'gdal.gpkg');
    writeFileSync(src, JSON.stringify({ type: 'FeatureCollection', features: INPUT.map((f) => ({ type: 'Feature', ...f })) }));
    run('ogr2ogr', ['-f', 'GPKG', out, src, '-nln', 'parcels', '-nlt', 'MULTIPOLYGON', '-dim', 'XYZ']);
    const db = openDatabase(out, { readonly: true, mustExist: true });
    try {
      const info = getFeatureTable(db, 'parcels')!;
      const a = readLayerArraysDb(db, info, { fields: ['name', 'floors', 'price'] });
      expect(a.count).toBe(4);
      expect([...a.fids]).toEqual([1, 2, 3, 4]);
      // -nlt MULTIPOLYGON: GDAL stores the Polygon as a one-part MultiPolygon.
      expect([...a.geometry!.types]).toEqual([6, 0, 6, 6]);
      const want = INPUT.map((f) => {
        if (!f.geometry) return null;
        const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][];
        return { type: 'MultiPolygon', coordinates: polys.map((p) => p.map((r) => r.map((c) => [c[0], c[1]]))) };
      });
      INPUT.forEach((f, i) => {
        expect(unpack(a, i), `feature ${i + 1}`).toEqual(want[i]);
        expect(valueAt(a.columns.name, i)).toBe(f.properties.name);
        expect(valueAt(a.columns.floors, i)).toBe(f.properties.floors);
        expect(valueAt(a.columns.price, i)).toBe(f.properties.price);
      });
      expect(a.columns.name.kind).toBe('text');
      expect(a.columns.floors.kind).toBe('number');
      // 2 + 1 polygons in all, 3 + 1 + 2 + 1 rings.
      expect(a.geometry!.partStart.length - 1).toBe(4);
      expect(a.geometry!.ringStart.length - 1).toBe(7);
      // And GDAL reads what this reader reads: its own count of features.
      expect(run('ogrinfo', ['-so', out, 'parcels'])).toMatch(/Feature Count: 4/);
    } finally { db.close(); }
  });
});

/** Every feature as [fid, geometry, values] from both readers, compared as JSON (exact for finite doubles; one expect per layer keeps it quick). */
function sameAsObjectReader(db: ReturnType<typeof openDatabase>, table: string): number {
  const info = getFeatureTable(db, table)!;
  const feats = readFeatures(db, info);
  const a = readLayerArraysDb(db, info, { fields: info.fields.map((f) => f.name) });
  expect(a.count, table).toBe(feats.length);
  const want = feats.map((f) => JSON.stringify([f.fid, f.geometry && TYPES[f.geometry.type], f.geometry, info.fields.map((fd) => f.properties[fd.name])]));
  const got = feats.map((_, i) => JSON.stringify([a.fids[i], a.geometry!.types[i] || null, unpack(a, i), info.fields.map((fd) => valueAt(a.columns[fd.name], i))]));
  const first = want.findIndex((w, i) => w !== got[i]);
  expect(first === -1 ? null : got[first], `${table}: feature ${first + 1}`).toBe(first === -1 ? null : want[first]);
  return feats.length;
}

describe('the object reader with chosen fields', () => {
  it('reads only the fields asked for, in the layer\'s order (unknown names ignored), with the same geometry and values; none at all for shapes', () => {
    const db = openDatabase(join('sample-data', 'bang-sue.gpkg'), { readonly: true, mustExist: true });
    try {
      const info = getFeatureTable(db, 'parcels')!;
      const all = readFeatures(db, info);
      const order = info.fields.map((f) => f.name);
      expect(order).toEqual(expect.arrayContaining(['parcel_id', 'land_use']));
      const some = readFeatures(db, info, { fields: ['land_use', 'parcel_id', 'no_such_field'] });
      const want = order.filter((n) => n === 'land_use' || n === 'parcel_id');
      expect(some.length).toBe(all.length);
      some.forEach((f, i) => {
        if (Object.keys(f.properties).join() !== want.join()) throw new Error(`feature ${f.fid}: ${Object.keys(f.properties).join()}`);
        if (f.properties.land_use !== all[i].properties.land_use || f.properties.parcel_id !== all[i].properties.parcel_id) throw new Error(`feature ${f.fid}: values differ`);
      });
      const shapes = readFeatures(db, info, { fields: [] });
      expect(shapes.every((f) => Object.keys(f.properties).length === 0)).toBe(true);
      expect(JSON.stringify(shapes.map((f) => [f.fid, f.geometry]))).toBe(JSON.stringify(all.map((f) => [f.fid, f.geometry])));
    } finally { db.close(); }
  });
});

describe('layer arrays against the object reader', () => {
  for (const sample of ['bang-sue', 'mahsr-corridor']) {
    // Hundreds of thousands of features read twice: minutes on a loaded shared machine.
    it(`reads every layer of ${sample} as readFeatures does`, () => {
      const db = openDatabase(join('sample-data', `${sample}.gpkg`), { readonly: true, mustExist: true });
      try {
        let n = 0;
        const tables = listFeatureTables(db);
        expect(tables.length).toBeGreaterThan(3);
        for (const t of tables) n += sameAsObjectReader(db, t.table);
        expect(n).toBeGreaterThan(1000);
      } finally { db.close(); }
    }, 240_000);
  }

  it('keeps numbers and text of one column apart, reads BOOLEAN as the object reader, and skips NaN points', () => {
    const path = join(dir, 'mixed.gpkg');
    const p = Project.create(path, { name: 'mixed' });
    try {
      p.addLayer({
        name: 'pts', geometryType: 'POINT', fields: [{ name: 'code', type: 'INTEGER' }, { name: 'ok', type: 'BOOLEAN' }, { name: 'note', type: 'TEXT' }],
        features: [
          { geometry: { type: 'Point', coordinates: [100.5, 13.7] }, properties: { code: 1, ok: true, note: null } },
          { geometry: { type: 'Point', coordinates: [100.6, 13.8] }, properties: { code: null, ok: false, note: 'b' } },
          { geometry: { type: 'Point', coordinates: [100.7, 13.9] }, properties: { code: 3, ok: null, note: 'b' } },
        ],
        read: 3, issues: [], source: { file: 'x', format: 'geojson', crs: 'EPSG:4326' },
      } as never, { sha256: 'x' });
      const db = p.database;
      db.prepare(`UPDATE pts SET code = 'A-7' WHERE fid = 3`).run();
      // A NaN point: how GDAL writes an empty point into a GeoPackage (GPKG 1.3 §2.1.3.1.1).
      const nan = Buffer.alloc(8 + 21);
      nan.write('GP', 0); nan[3] = 1; nan.writeInt32LE(4326, 4); nan[8] = 1; nan.writeUInt32LE(1, 9); nan.writeDoubleLE(NaN, 13); nan.writeDoubleLE(NaN, 21);
      db.prepare('INSERT INTO pts (geom, code, ok, note) VALUES (?, 9, 1, NULL)').run(nan);
      const a = readLayerArrays(p, 'pts', { fields: ['code', 'ok', 'note'] });
      expect(a.columns.code.kind).toBe('mixed');
      expect([0, 1, 2, 3].map((i) => valueAt(a.columns.code, i))).toEqual([1, null, 'A-7', 9]);
      expect(a.columns.ok.kind).toBe('boolean');
      expect([0, 1, 2, 3].map((i) => valueAt(a.columns.ok, i))).toEqual([true, false, null, true]);
      expect([0, 1, 2, 3].map((i) => valueAt(a.columns.note, i))).toEqual([null, 'b', 'b', null]);
      expect([...a.geometry!.types]).toEqual([1, 1, 1, 0]);
      expect(sameAsObjectReader(db, 'pts')).toBe(4);
    } finally { p.close(); }
  });

  it('refuses a damaged geometry with the object reader\'s coded error, and an unknown field', () => {
    const path = join(dir, 'bad.gpkg');
    const p = Project.create(path, { name: 'bad' });
    try {
      p.addLayer({
        name: 'lines', geometryType: 'LINESTRING', fields: [],
        features: [{ geometry: { type: 'LineString', coordinates: [[100.5, 13.7], [100.6, 13.8]] }, properties: {} }],
        read: 1, issues: [], source: { file: 'x', format: 'geojson', crs: 'EPSG:4326' },
      } as never, { sha256: 'x' });
      const blob = p.database.prepare('SELECT geom FROM lines').pluck().get() as Buffer;
      const badIndicator = Buffer.from(blob); badIndicator[3] = (badIndicator[3] & ~0x0e) | (6 << 1);
      const damaged = [blob.subarray(0, blob.length - 5), Buffer.from('XP\u0000\u0001aaaaaaaa'), badIndicator, blob.subarray(0, 20)];
      for (const bad of damaged) {
        p.database.prepare('UPDATE lines SET geom = ?').run(bad);
        const objectError = (() => { try { p.readFeatures('lines'); } catch (e) { return e as EkimaeError; } return null; })();
        expect(objectError?.code).toBe('E_GEOMETRY_INVALID');
        expect(() => readLayerArrays(p, 'lines')).toThrow(expect.objectContaining({ code: objectError!.code, message: objectError!.message }));
      }
      expect(() => readLayerArrays(p, 'lines', { fields: ['nope'] })).toThrow(expect.objectContaining({ code: 'E_FIELD_NOT_FOUND' }));
      expect(() => readLayerArrays(p, 'nope')).toThrow(expect.objectContaining({ code: 'E_LAYER_NOT_FOUND' }));
      expect(readLayerArrays(p, 'lines', { geometry: false }).geometry).toBeNull();
    } finally { p.close(); }
  });
});

describe('the arrays shared by one analysis (layerArraysShared)', () => {
  it('hold the mapped fields the engines use, not the parcel id or the owner\'s name unless asked for', () => {
    const p = Project.open(join('sample-data', 'bang-sue.gpkg'), { readOnly: true });
    try {
      const fm = p.layer('parcels').fieldMap;
      // The sample maps both: the test means something only while it does.
      expect([fm.parcel_id, fm.owner_name]).toEqual(['parcel_id', 'owner_name']);
      const a = layerArraysShared(p, 'parcels', []);
      expect(Object.keys(a.columns).sort()).toEqual(['floor_area', 'floors', 'land_use', 'land_value', 'ownership']);
      // Asked for by name, the id comes (read again with it; the same rows).
      const b = layerArraysShared(p, 'parcels', ['parcel_id']);
      expect(Object.keys(b.columns).sort()).toEqual(['floor_area', 'floors', 'land_use', 'land_value', 'ownership', 'parcel_id']);
      expect(Array.from(b.fids)).toEqual(Array.from(a.fids));
      const ids = p.database.prepare('SELECT parcel_id FROM parcels ORDER BY fid LIMIT 3').pluck().all();
      expect([0, 1, 2].map((i) => valueAt(b.columns.parcel_id, i))).toEqual(ids);
    } finally { p.close(); }
  });
});
