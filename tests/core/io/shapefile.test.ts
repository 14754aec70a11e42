/**
 * Shapefile import and export. Expected values come from the hand-written GeoJSON beside each
 * GDAL-made fixture (tests/fixtures/shapefile/<case>/SOURCE.md), from GDAL's own reading
 * (expected-gdal-4326.geojson, ogrinfo, ogr2ogr), or from hand-built rings with known answers.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import type { Geometry, Position } from '../../../core/geo/geometry.js';
import { dbfFieldNames, encodingFromLabel, looksThai } from '../../../core/io/dbf.js';
import { readLayersFrom, readLayersFromFile } from '../../../core/io/import.js';
import { normalizeLayer } from '../../../core/io/normalize.js';
import { parseShapefile, writeShapefileZip } from '../../../core/io/shapefile.js';
import { assemblePolygon } from '../../../core/io/shp.js';
import { memorySource, readSource } from '../../../core/io/source.js';
import type { ImportedLayer, ImportOptions, LayerData } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const FIX = new URL('../../fixtures/shapefile/', import.meta.url).pathname;
const BAD = new URL('../../fixtures/malformed/', import.meta.url).pathname;
const dir = tmpDir('ekimae-shp-');
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

/** Shoelace area, positive for counter-clockwise; written here independently of the code under test. */
function area(r: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < r.length; i++) s += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1];
  return s / 2;
}
const ccw = (r: Position[], want: boolean) => ((area(r) > 0) === want ? r : [...r].reverse());
/** Polygons of a (Multi)Polygon in RFC 7946 orientation (outer counter-clockwise, holes clockwise). */
function rfcPolygons(g: { type: string; coordinates: unknown }): Position[][][] {
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][];
  return polys.map((p) => p.map((r, i) => ccw(r, i === 0)));
}

function close(got: unknown, want: unknown, tol: number, path = ''): void {
  if (typeof want === 'number') { expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(tol); return; }
  expect(Array.isArray(got) && (got as unknown[]).length, path).toBe((want as unknown[]).length);
  (want as unknown[]).forEach((w, i) => close((got as unknown[])[i], w, tol, `${path}[${i}]`));
}

function read(path: string, opts: ImportOptions = {}): ImportedLayer[] {
  return readLayersFromFile(path, opts).layers;
}

function codeOf(fn: () => unknown): { code: string; message: string } {
  try { fn(); } catch (e) { return { code: (e as { code?: string }).code ?? 'none', message: (e as Error).message }; }
  throw new Error('expected an error');
}

/** A source from a fixture folder with some parts replaced or removed (for byte-level cases). */
function patched(folder: string, stem: string, change: Record<string, Uint8Array | null>): ReturnType<typeof memorySource> {
  const parts: Record<string, Uint8Array> = {};
  for (const ext of ['shx', 'dbf', 'prj', 'cpg']) {
    let b: Uint8Array | null;
    try { b = readFileSync(join(folder, `${stem}.${ext}`)); } catch { b = null; }
    if (ext in change) b = change[ext];
    if (b) parts[ext] = b;
  }
  const shp = 'shp' in change ? change.shp! : readFileSync(join(folder, `${stem}.shp`));
  return memorySource(`${stem}.shp`, shp, parts);
}

describe('shapefile import: GDAL-written fixtures', () => {
  it('Thai parcels (windows-874 via .cpg, UTM 47N .prj): holes, multipart, fields, values', () => {
    const [l] = read(join(FIX, 'thai-parcels-cp874/parcels.shp'));
    const src = json(join(FIX, 'thai-parcels-cp874/source.geojson'));
    const gdal = json(join(FIX, 'thai-parcels-cp874/expected-gdal-4326.geojson'));
    expect(l.name).toBe('parcels');
    expect(l.source).toMatchObject({ file: 'parcels.shp', format: 'shapefile', encoding: 'windows-874', crs: 'EPSG:32647' });
    expect(l.geometryType).toBe('MULTIPOLYGON');
    expect(l.fields).toEqual([
      { name: 'parcel_id', type: 'TEXT' }, { name: 'name_th', type: 'TEXT' }, { name: 'land_use_c', type: 'TEXT' },
      { name: 'area_m2', type: 'REAL' }, { name: 'floors', type: 'INTEGER' }, { name: 'surveyed', type: 'DATE' },
      { name: 'vacant', type: 'INTEGER' },
    ]);
    expect(l.features).toHaveLength(3);
    l.features.forEach((f, i) => {
      const p = src.features[i].properties;
      // GDAL cut land_use_code to 10 bytes and wrote the boolean as an Integer(1) field (SOURCE.md).
      expect(f.properties).toEqual({
        parcel_id: p.parcel_id, name_th: p.name_th, land_use_c: p.land_use_code, area_m2: p.area_m2, floors: p.floors,
        surveyed: p.surveyed, vacant: p.vacant === null ? null : Number(p.vacant),
      });
      close(rfcPolygons(f.geometry!), rfcPolygons(gdal.features[i].geometry), 1e-9, `parcel ${i + 1}`);
    });
    // The hole stays in P-001's polygon; P-002 is two polygons.
    expect((l.features[0].geometry as { coordinates: unknown[][] }).coordinates[0]).toHaveLength(2);
    expect((l.features[1].geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2);
    expect(l.issues).toEqual([]);
  });

  it('windows-1252 points (.cpg CP1252): é, û, Ñ and € (0x80) decoded', () => {
    const [l] = read(join(FIX, 'cp1252-points/cafes.shp'));
    const src = json(join(FIX, 'cp1252-points/source.geojson'));
    expect(l.source).toMatchObject({ encoding: 'windows-1252', crs: 'EPSG:4326' });
    expect(l.geometryType).toBe('POINT');
    expect(l.features.map((f) => f.properties)).toEqual(src.features.map((f: { properties: unknown }) => f.properties));
    expect(l.features.map((f) => f.geometry)).toEqual(src.features.map((f: { geometry: unknown }) => f.geometry));
  });

  it('UTF-8 lines without .prj: EPSG:4326 assumed and said so; single and multi-part lines', () => {
    const [l] = read(join(FIX, 'utf8-lines/walkways.shp'));
    const src = json(join(FIX, 'utf8-lines/source.geojson'));
    expect(l.source).toMatchObject({ encoding: 'utf-8', crs: 'EPSG:4326 (assumed)' });
    expect(l.issues.map((i) => i.code)).toEqual(['E_CRS_MISSING']);
    expect(l.geometryType).toBe('MULTILINESTRING');
    expect(l.fields).toEqual([{ name: 'name', type: 'TEXT' }, { name: 'highway', type: 'TEXT' }, { name: 'width_m', type: 'REAL' }]);
    expect(l.features.map((f) => f.properties)).toEqual(src.features.map((f: { properties: unknown }) => f.properties));
    expect(l.features[0].geometry).toEqual({ type: 'MultiLineString', coordinates: [src.features[0].geometry.coordinates] });
    expect(l.features[1].geometry).toEqual(src.features[1].geometry);
  });

  it('a zip with two shapefiles in sub-folders, PointZ and MultiPointM read as 2D', () => {
    const layers = read(join(FIX, 'zip-z-m-subfolders/transit.zip'));
    expect(layers.map((l) => [l.name, l.geometryType, l.source.file])).toEqual([
      ['entrances', 'MULTIPOINT', 'transit.zip:data/entrances/entrances.shp'],
      ['stations', 'POINT', 'transit.zip:data/stations/stations.shp'],
    ]);
    for (const l of layers) {
      const src = json(join(FIX, `zip-z-m-subfolders/${l.name}.geojson`));
      l.features.forEach((f, i) => {
        const g = src.features[i].geometry;
        const xy = g.type === 'Point' ? g.coordinates.slice(0, 2) : g.coordinates.map((p: number[]) => p.slice(0, 2));
        expect(f.geometry).toEqual({ type: g.type, coordinates: xy });
        expect(f.properties).toEqual(src.features[i].properties);
      });
    }
    const only = read(join(FIX, 'zip-z-m-subfolders/transit.zip'), { layers: ['stations'] });
    expect(only.map((l) => l.name)).toEqual(['stations']);
    expect(codeOf(() => read(join(FIX, 'zip-z-m-subfolders/transit.zip'), { layers: ['depots'] })).code).toBe('E_LAYER_NOT_FOUND');
  });

  it('a .dbf picked instead of its .shp reads the shapefile beside it', () => {
    const [l] = read(join(FIX, 'cp1252-points/cafes.dbf'));
    expect(l.features).toHaveLength(3);
    expect(l.source.file).toBe('cafes.shp');
  });
});

describe('damaged bytes never crash the reader', () => {
  it('400 seeded random corruptions of .shp/.shx/.dbf: a layer or a coded EkimaeError, nothing else', () => {
    const F = join(FIX, 'thai-parcels-cp874');
    const orig = { shp: readFileSync(join(F, 'parcels.shp')), shx: readFileSync(join(F, 'parcels.shx')), dbf: readFileSync(join(F, 'parcels.dbf')) };
    let seed = 12345;
    const rand = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    const outcomes = new Map<string, number>();
    for (let k = 0; k < 400; k++) {
      const part = (['shp', 'shx', 'dbf'] as const)[k % 3];
      let b = new Uint8Array(orig[part]);
      if (k % 7 === 0) b = b.subarray(0, Math.floor(rand() * b.length));
      else for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
      let outcome: string;
      try {
        // The parser itself, not readLayersFrom: that one wraps stray exceptions into E_FORMAT_INVALID.
        for (const raw of parseShapefile(patched(F, 'parcels', { [part]: b }))) normalizeLayer(raw);
        outcome = 'ok';
      } catch (e) {
        expect((e as Error).name, `${part} corruption ${k}: ${(e as Error).stack}`).toBe('EkimaeError');
        outcome = (e as { code: string }).code;
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // Both kinds of result happen, so the loop really exercised the error paths.
    expect(outcomes.get('ok')).toBeGreaterThan(0);
    expect([...outcomes.keys()].length).toBeGreaterThan(1);
  });
});

describe('polygon ring grouping (hand-built rings)', () => {
  const sq = (x: number, y: number, s: number, clockwise: boolean): Position[] => {
    const r: Position[] = [[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]];
    return clockwise ? r.reverse() : r;
  };

  it('one clockwise outer and a counter-clockwise hole: one polygon, RFC 7946 orientation', () => {
    const g = assemblePolygon([sq(0, 0, 10, true), sq(2, 2, 2, false)]);
    expect(g.type).toBe('Polygon');
    const rings = (g as { coordinates: Position[][] }).coordinates;
    expect(rings).toHaveLength(2);
    expect(area(rings[0])).toBe(100);
    expect(area(rings[1])).toBe(-4);
  });

  it('each hole goes to the outer ring that contains it', () => {
    const g = assemblePolygon([sq(0, 0, 10, true), sq(20, 0, 10, true), sq(22, 2, 2, false)]) as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates.map((p) => p.length)).toEqual([1, 2]);
    expect(g.coordinates[1][1].map((p) => p[0]).sort((a, b) => a - b)[0]).toBe(22);
  });

  it('an island in a lake is its own polygon; the lake stays a hole of the land', () => {
    const g = assemblePolygon([sq(0, 0, 10, true), sq(2, 2, 6, false), sq(4, 4, 2, true)]) as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(g.coordinates.map((p) => p.map((r) => Math.abs(area(r))))).toEqual([[100, 36], [4]]);
  });

  it('a hole outside every outer ring becomes an outer ring, not lost', () => {
    const g = assemblePolygon([sq(0, 0, 10, true), sq(50, 50, 2, false)]) as Extract<Geometry, { type: 'MultiPolygon' }>;
    expect(g.coordinates.map((p) => p.map(area))).toEqual([[100], [4]]);
  });

  it('files whose writer wound every ring counter-clockwise fall back to nesting', () => {
    const g = assemblePolygon([sq(0, 0, 10, false), sq(2, 2, 2, false)]);
    expect(g.type).toBe('Polygon');
    expect((g as { coordinates: Position[][] }).coordinates.map(area)).toEqual([100, -4]);
  });
});

describe('DBF encodings', () => {
  it('understands .cpg labels ArcGIS, QGIS and GDAL write', () => {
    const want: Record<string, string | null> = {
      'UTF-8': 'utf-8', UTF8: 'utf-8', '65001': 'utf-8', cp874: 'windows-874', 'TIS-620': 'windows-874', '874': 'windows-874',
      CP1252: 'windows-1252', 'ANSI 1252': 'windows-1252', '1252': 'windows-1252', 'ISO-8859-1': 'windows-1252',
      '88591': 'windows-1252', '8859-1': 'windows-1252', 'ISO88591': 'windows-1252', 'Big5': 'big5', 'klingon': null, '437': null,
    };
    for (const [label, enc] of Object.entries(want)) expect(encodingFromLabel(label), label).toBe(enc);
  });

  it('tells Thai windows-874 from Latin windows-1252 bytes', () => {
    expect(looksThai(new Uint8Array([0xba, 0xd2, 0xa7, 0xab, 0xd7, 0xe8, 0xcd]))).toBe(true); // บางซื่อ in windows-874
    expect(looksThai(new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x43, 0x72, 0xe8, 0x6d, 0x65]))).toBe(false); // Café Crème
  });

  const M = join(BAD, 'shp-dbf-cp874-no-cpg');
  const names = json(join(FIX, 'malformed-base/in.geojson')).features.map((f: { properties: { name_th: string } }) => f.properties.name_th);

  it('the encoding option decides for a .dbf with no .cpg, without a guess warning', () => {
    const [l] = read(join(M, 'in.shp'), { encoding: 'windows-874' });
    expect(l.features.map((f) => f.properties.name_th)).toEqual(names);
    expect(l.issues.filter((i) => i.code === 'E_ENCODING')).toEqual([]);
    expect(codeOf(() => read(join(M, 'in.shp'), { encoding: 'klingon' })).code).toBe('E_ENCODING');
  });

  it('a .cpg no decoder reads is reported, and the text is still guessed right', () => {
    const [l] = readLayersFrom(patched(M, 'in', { cpg: new TextEncoder().encode('KLINGON-1') })).layers;
    expect(l.features.map((f) => f.properties.name_th)).toEqual(names);
    expect(l.issues.find((i) => i.code === 'E_ENCODING')?.message).toMatch(/\.cpg says "KLINGON-1".*windows-874/);
  });

  it('language driver 0x7C (Thai Windows) decides without a .cpg; 0x57 (ANSI) is only a hint', () => {
    const dbf = new Uint8Array(readFileSync(join(M, 'in.dbf')));
    dbf[29] = 0x7c;
    const [thai] = readLayersFrom(patched(M, 'in', { dbf })).layers;
    expect(thai.source.encoding).toBe('windows-874');
    expect(thai.issues).toEqual([]);
    dbf[29] = 0x57;
    const [ansi] = readLayersFrom(patched(M, 'in', { dbf })).layers;
    expect(ansi.features.map((f) => f.properties.name_th)).toEqual(names);
    expect(ansi.issues.find((i) => i.code === 'E_ENCODING')?.message).toMatch(/ANSI.*windows-874/);
  });
});

describe('shapefile import: one test per error path', () => {
  it('truncated zip -> E_ZIP_INVALID naming the file', () => {
    const e = codeOf(() => read(join(BAD, 'shp-truncated-zip/in.zip')));
    expect(e.code).toBe('E_ZIP_INVALID');
    expect(e.message).toContain('in.zip');
  });

  it('zip with no .shp -> E_FORMAT_INVALID; zip with a .dbf but no .shp -> E_SHP_PART_MISSING', () => {
    expect(codeOf(() => read(join(BAD, 'shp-zip-no-shp/in.zip'))).code).toBe('E_FORMAT_INVALID');
    const z = zipSync({ 'parcels.dbf': readFileSync(join(FIX, 'cp1252-points/cafes.dbf')) });
    const e = codeOf(() => parseShapefile(memorySource('x.zip', z)));
    expect(e.code).toBe('E_SHP_PART_MISSING');
    expect(e.message).toContain('parcels.dbf');
  });

  it('missing .shx: index rebuilt from the records, same features as with it, and said so', () => {
    const [walked] = read(join(BAD, 'shp-missing-shx/in.shp'));
    const src = json(join(FIX, 'malformed-base/in.geojson'));
    expect(walked.features.map((f) => f.geometry)).toEqual(src.features.map((f: { geometry: unknown }) => f.geometry));
    expect(walked.issues.map((i) => [i.code, i.action])).toEqual([['E_SHP_PART_MISSING', 'repaired']]);
  });

  it('missing .shx and a record length that cannot be walked -> E_SHP_PART_MISSING', () => {
    const M = join(BAD, 'shp-corrupt-record-length');
    expect(codeOf(() => readLayersFrom(patched(M, 'in', { shx: null }))).code).toBe('E_SHP_PART_MISSING');
  });

  it('missing .dbf -> E_SHP_PART_MISSING; a .dbf alone -> E_SHP_PART_MISSING', () => {
    expect(codeOf(() => read(join(BAD, 'shp-missing-dbf/in.shp')))).toMatchObject({ code: 'E_SHP_PART_MISSING', message: expect.stringContaining('.dbf') });
    expect(codeOf(() => read(join(BAD, 'shp-dbf-alone/in.dbf')))).toMatchObject({ code: 'E_SHP_PART_MISSING', message: expect.stringContaining('in.shp') });
  });

  it('garbage .prj -> E_CRS_UNKNOWN naming the file; the crs option overrides it', () => {
    const e = codeOf(() => read(join(BAD, 'shp-garbage-prj/in.shp')));
    expect(e.code).toBe('E_CRS_UNKNOWN');
    expect(e.message).toMatch(/in\.shp.*\.prj/);
    expect(read(join(BAD, 'shp-garbage-prj/in.shp'), { crs: 'EPSG:4326' })[0].features).toHaveLength(3);
  });

  it('windows-874 .dbf without .cpg: Thai read correctly by guess, flagged E_ENCODING', () => {
    const [l] = read(join(BAD, 'shp-dbf-cp874-no-cpg/in.shp'));
    const src = json(join(FIX, 'malformed-base/in.geojson'));
    expect(l.features.map((f) => f.properties.name_th)).toEqual(src.features.map((f: { properties: { name_th: string } }) => f.properties.name_th));
    expect(l.source.encoding).toBe('windows-874');
    expect(l.issues).toEqual([expect.objectContaining({ code: 'E_ENCODING', action: 'flagged', message: expect.stringContaining('windows-874') })]);
  });

  it('corrupt record length with a sound .shx: read by the index (as GDAL does) and flagged', () => {
    const [l] = read(join(BAD, 'shp-corrupt-record-length/in.shp'));
    const src = json(join(FIX, 'malformed-base/in.geojson'));
    expect(l.features.map((f) => f.geometry)).toEqual(src.features.map((f: { geometry: unknown }) => f.geometry));
    expect(l.issues).toEqual([expect.objectContaining({ feature: 1, code: 'E_FORMAT_INVALID', action: 'flagged' })]);
  });

  it('an index pointing past the end of the .shp skips that feature with a reason', () => {
    const M = join(BAD, 'shp-missing-dbf');
    const shx = new Uint8Array(readFileSync(join(M, 'in.shx')));
    new DataView(shx.buffer).setInt32(108, 1_000_000, false);
    const [l] = readLayersFrom(patched(M, 'in', { shx, dbf: readFileSync(join(BAD, 'shp-missing-shx/in.dbf')) })).layers;
    expect(l.features.map((f) => f.properties.parcel_id)).toEqual(['M-1', 'M-3']);
    expect(l.issues.find((i) => i.code === 'E_FORMAT_INVALID')).toMatchObject({ feature: 1, action: 'skipped' });
  });

  it('header Polygon with a PolyLine record -> E_GEOMETRY_MIXED; geometryFamily polygon keeps the polygons', () => {
    expect(codeOf(() => read(join(BAD, 'shp-polyline-in-polygon/in.shp'))).code).toBe('E_GEOMETRY_MIXED');
    const [l] = read(join(BAD, 'shp-polyline-in-polygon/in.shp'), { geometryFamily: 'polygon' });
    expect(l.features.map((f) => f.properties.parcel_id)).toEqual(['M-1', 'M-3']);
    expect(l.issues.filter((i) => i.code === 'E_GEOMETRY_MIXED').map((i) => i.action).sort()).toEqual(['flagged', 'skipped']);
  });

  it('a deleted .dbf record is left out with an issue', () => {
    const M = join(BAD, 'shp-missing-shx');
    const dbf = new Uint8Array(readFileSync(join(M, 'in.dbf')));
    const dv = new DataView(dbf.buffer);
    dbf[dv.getUint16(8, true) + dv.getUint16(10, true)] = 0x2a; // record 2's deletion flag
    const [l] = readLayersFrom(patched(join(BAD, 'shp-corrupt-record-length'), 'in', { dbf, shp: readFileSync(join(M, 'in.shp')) })).layers;
    expect(l.features.map((f) => f.properties.parcel_id)).toEqual(['M-1', 'M-3']);
    expect(l.issues.find((i) => i.code === 'E_RECORD_DELETED')).toMatchObject({ feature: 1, action: 'skipped', message: expect.stringContaining('deleted') });
  });

  it('.shp and .dbf record counts differ -> the pairs present are read, with an issue', () => {
    const M = join(BAD, 'shp-missing-shx');
    const dbf = new Uint8Array(readFileSync(join(M, 'in.dbf')));
    new DataView(dbf.buffer).setUint32(4, 2, true);
    const [l] = readLayersFrom(patched(M, 'in', { dbf })).layers;
    expect(l.features).toHaveLength(2);
    expect(l.issues.find((i) => i.code === 'E_FORMAT_INVALID')?.message).toMatch(/3 shapes but the \.dbf 2 records/);
  });

  it('a .shp that is not one -> E_FORMAT_INVALID; a MultiPatch file -> E_GEOMETRY_UNSUPPORTED', () => {
    const M = join(BAD, 'shp-missing-shx');
    expect(codeOf(() => readLayersFrom(patched(M, 'in', { shp: new TextEncoder().encode('hello, not a shapefile'.repeat(10)) }))).code).toBe('E_FORMAT_INVALID');
    const shp = new Uint8Array(readFileSync(join(M, 'in.shp')));
    new DataView(shp.buffer).setInt32(32, 31, true);
    expect(codeOf(() => readLayersFrom(patched(M, 'in', { shp }))).code).toBe('E_GEOMETRY_UNSUPPORTED');
  });
});

describe('shapefile export', () => {
  const P = (dx: number, dy: number): Position => [100.5301234567891 + dx, 13.8029876543211 + dy];
  const ring = (x: number, y: number, s: number, clockwise = false): Position[] => {
    const r = [P(x, y), P(x + s, y), P(x + s, y + s), P(x, y + s), P(x, y)];
    return clockwise ? r.reverse() : r;
  };
  const longText = 'ก'.repeat(100); // 300 bytes of UTF-8: over dBase's 254
  const layer: LayerData = {
    name: 'แปลงที่ดิน parcels',
    geometryType: 'MULTIPOLYGON',
    fields: [
      { name: 'parcel_id', type: 'TEXT' }, { name: 'land_use_code_2020', type: 'TEXT' }, { name: 'land_use_code_2021', type: 'TEXT' },
      { name: 'ชื่อภาษาไทยยาว', type: 'TEXT' }, { name: 'floors', type: 'INTEGER' }, { name: 'far', type: 'REAL' },
      { name: 'public', type: 'BOOLEAN' }, { name: 'surveyed', type: 'DATE' },
    ],
    features: [
      {
        // Outer ring given clockwise on purpose: the writer must still write it clockwise and the hole counter-clockwise.
        geometry: { type: 'MultiPolygon', coordinates: [[ring(0, 0, 0.001, true), ring(0.0002, 0.0002, 0.0003)], [ring(0.002, 0, 0.0005)]] },
        properties: { parcel_id: 'BS-001', land_use_code_2020: 'R', land_use_code_2021: 'C', 'ชื่อภาษาไทยยาว': 'บางซื่อ', floors: -3, far: 4.75, public: true, surveyed: '2021-05-03' },
      },
      {
        geometry: { type: 'MultiPolygon', coordinates: [[ring(-0.01, 0, 0.001)]] },
        properties: { parcel_id: 'BS-002', land_use_code_2020: null, land_use_code_2021: longText, 'ชื่อภาษาไทยยาว': null, floors: 12, far: 0.125, public: false, surveyed: null },
      },
      { geometry: null, properties: { parcel_id: 'BS-003', land_use_code_2020: 'O', land_use_code_2021: 'O', 'ชื่อภาษาไทยยาว': 'ตลาด', floors: null, far: null, public: null, surveyed: '2019-12-31' } },
    ],
  };
  const meta = { exportedBy: 'Ekimae test', exportedAt: '2026-01-02T03:04:05.000Z', project: 'p.gpkg' };
  const zip = writeShapefileZip(layer, meta);
  const files = unzipSync(zip);
  const stem = 'แปลงที่ดิน parcels';

  it('writes .shp/.shx/.dbf/.prj/.cpg and a provenance note with the field-name mapping and cut values', () => {
    expect(Object.keys(files).sort()).toEqual(['cpg', 'dbf', 'prj', 'provenance.json', 'shp', 'shx'].map((e) => `${stem}.${e}`).sort());
    expect(new TextDecoder().decode(files[`${stem}.cpg`])).toBe('UTF-8');
    expect(new TextDecoder().decode(files[`${stem}.prj`])).toMatch(/^GEOGCS\["GCS_WGS_1984"/);
    const prov = JSON.parse(new TextDecoder().decode(files[`${stem}.provenance.json`]));
    expect(prov).toMatchObject(meta);
    expect(prov.shapefile.renamedFields).toEqual({ land_use_code_2020: 'land_use_c', land_use_code_2021: 'land_use_1', 'ชื่อภาษาไทยยาว': 'ชื่' });
    expect(prov.shapefile.changedValues).toEqual([{ feature: 1, field: 'land_use_code_2021', reason: expect.stringMatching(/300 bytes cut to 252 /) }]);
  });

  it('names are cut to 10 bytes and clashes numbered, case-insensitively, in field order', () => {
    // Hand-worked: 'land_use_code_2020'→'land_use_c'; the next clashes→'land_use'+'_1'; 'LAND_USE_C' clashes twice→'LAND_USE_2';
    // Thai letters are 3 UTF-8 bytes, so 10 bytes hold three code points (ช ื ่).
    expect(dbfFieldNames(['land_use_code_2020', 'land_use_code_2021', 'LAND_USE_C', 'ชื่อภาษาไทยยาว', 'id'])).toEqual(['land_use_c', 'land_use_1', 'LAND_USE_2', 'ชื่', 'id']);
  });

  it('is deterministic: the same layer and metadata give the same bytes', () => {
    expect(Buffer.from(writeShapefileZip(layer, meta)).equals(Buffer.from(zip))).toBe(true);
  });

  it('round trip: geometry within 1e-9 degrees, attributes equal modulo the documented renames and cut', () => {
    const [raw] = parseShapefile(memorySource('out.zip', zip));
    const back = normalizeLayer(raw);
    expect(back.source.encoding).toBe('utf-8');
    expect(back.source.crs).toBe('EPSG:4326');
    expect(back.geometryType).toBe('MULTIPOLYGON');
    const rename: Record<string, string> = { land_use_code_2020: 'land_use_c', land_use_code_2021: 'land_use_1', 'ชื่อภาษาไทยยาว': 'ชื่' };
    expect(back.fields).toEqual(layer.fields.map((f) => ({ name: rename[f.name] ?? f.name, type: f.type })));
    // The null geometry is written as a Null shape and skipped on import, with a reason.
    expect(back.features).toHaveLength(2);
    expect(back.issues.map((i) => [i.feature, i.code])).toEqual([[2, 'E_GEOMETRY_EMPTY']]);
    back.features.forEach((f, i) => {
      const want = layer.features[i];
      close(rfcPolygons(f.geometry!), rfcPolygons(want.geometry!), 1e-9, `feature ${i}`);
      const expected = Object.fromEntries(Object.entries(want.properties).map(([k, v]) => [rename[k] ?? k, v]));
      if (i === 1) expected.land_use_1 = 'ก'.repeat(84); // floor(254 / 3) Thai letters = 252 bytes
      expect(f.properties).toEqual(expected);
    });
  });

  it('GDAL reads the export: count, type, extent, rings in shapefile orientation, UTF-8 attributes', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    const out = join(dir, 'gdal');
    mkdirSync(out, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(out, name.replace(stem, 'parcels')), bytes);
    const info = run('ogrinfo', ['-al', '-so', join(out, 'parcels.shp')]);
    // Widths by hand: longest value in bytes (text; 84 Thai letters = 252 bytes after the cut), digits incl. sign (integers), 0.125 needs 3 decimals (reals).
    const FIELD_LINES = ['parcel_id: String (6.0)', 'land_use_c: String (1.0)', 'land_use_1: String (252.0)', 'ชื่: String (21.0)',
      'floors: Integer (2.0)', 'far: Real (5.3)', 'public: String (1.0)', 'surveyed: Date (10.0)'];
    expect(info).toMatch(/Geometry: Polygon/);
    expect(info).toMatch(/Feature Count: 3/);
    // Extent by hand from the inputs: x from P(-0.01) to P(0.0025), y from P(0) to P(0.001).
    const m = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(info)!;
    close(m.slice(1).map(Number), [P(-0.01, 0)[0], P(0, 0)[1], P(0.0025, 0)[0], P(0, 0.001)[1]], 1e-6);
    const doc = JSON.parse(run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', join(out, 'parcels.shp')]));
    const g0 = doc.features[0].geometry;
    expect(g0.type).toBe('MultiPolygon');
    expect(g0.coordinates.map((p: Position[][]) => p.map((r) => Math.sign(area(r))))).toEqual([[-1, 1], [-1]]);
    // GDAL 3.6 reads dBase logical fields as the strings 'T'/'F'.
    expect(doc.features[0].properties).toMatchObject({ parcel_id: 'BS-001', land_use_c: 'R', land_use_1: 'C', 'ชื่': 'บางซื่อ', floors: -3, far: 4.75, public: 'T', surveyed: '2021-05-03' });
    expect(doc.features[1].properties).toMatchObject({ land_use_c: null, far: 0.125, public: 'F' });
    // '?' is dBase's "unknown" logical, as shapelib writes it; GDAL 3.6 passes it through as text.
    expect(doc.features[2].properties).toMatchObject({ floors: null, far: null, public: '?', surveyed: '2019-12-31' });
    FIELD_LINES.forEach((line) => expect(info).toContain(line));
    expect(doc.features[2].geometry).toBeNull();
  });
});

describe('shapefile export: every geometry type', () => {
  const P = (dx: number, dy: number): Position => [100.5301234567891 + dx, 13.8029876543211 + dy];
  // A shapefile has no single/multi distinction: a layer comes back Multi only when a feature has several parts.
  const CASES: Array<[LayerData['geometryType'], Geometry[], string, string]> = [
    ['POINT', [{ type: 'Point', coordinates: P(0, 0) }, { type: 'Point', coordinates: P(1e-7, -3e-7) }], 'POINT', 'Point'],
    ['MULTIPOINT', [{ type: 'MultiPoint', coordinates: [P(0, 0), P(0.0001, 0.0001)] }, { type: 'MultiPoint', coordinates: [P(0.5, 0.5)] }], 'MULTIPOINT', 'Multi Point'],
    ['LINESTRING', [{ type: 'LineString', coordinates: [P(0, 0), P(0.001, 0.0002), P(0.002, -0.0001)] }, { type: 'LineString', coordinates: [P(0, 0), P(-0.003, 0)] }], 'LINESTRING', 'Line String'],
    ['MULTILINESTRING', [{ type: 'MultiLineString', coordinates: [[P(0, 0), P(0.001, 0)], [P(0, 0.001), P(0.001, 0.001)]] }, { type: 'MultiLineString', coordinates: [[P(0, 0), P(0, 0.01)]] }], 'MULTILINESTRING', 'Line String'],
  ];
  for (const [type, geoms, backType, gdalType] of CASES) {
    it(`${type}: round trip within 1e-9 degrees; GDAL sees ${gdalType}, 2 features and the input's extent`, () => {
      const layer: LayerData = { name: type.toLowerCase(), geometryType: type, fields: [{ name: 'n', type: 'INTEGER' }], features: geoms.map((g, i) => ({ geometry: g, properties: { n: i } })) };
      const zip = writeShapefileZip(layer, {});
      const back = normalizeLayer(parseShapefile(memorySource('x.zip', zip))[0]);
      expect(back.geometryType).toBe(backType);
      back.features.forEach((f, i) => {
        const want = geoms[i];
        const multi = backType.startsWith('MULTI') && !want.type.startsWith('Multi');
        expect(f.geometry!.type).toBe(multi ? `Multi${want.type}` : want.type);
        close(f.geometry!.coordinates, multi ? [want.coordinates] : want.coordinates, 1e-9, `${type}[${i}]`);
        expect(f.properties).toEqual({ n: i });
      });
      if (!requireToolOrSkip('ogrinfo')) return;
      const out = join(dir, type);
      mkdirSync(out, { recursive: true });
      for (const [name, bytes] of Object.entries(unzipSync(zip))) writeFileSync(join(out, name), bytes);
      const info = run('ogrinfo', ['-al', '-so', join(out, `${layer.name}.shp`)]);
      expect(info).toContain(`Geometry: ${gdalType}\n`);
      expect(info).toMatch(/Feature Count: 2\n/);
      const xs = geoms.flatMap((g) => JSON.stringify(g.coordinates).match(/-?[\d.]+,-?[\d.]+/g)!.map((s) => s.split(',').map(Number)));
      const m = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(info)!;
      close(m.slice(1).map(Number), [Math.min(...xs.map((p) => p[0])), Math.min(...xs.map((p) => p[1])), Math.max(...xs.map((p) => p[0])), Math.max(...xs.map((p) => p[1]))], 1e-6);
    });
  }

  it('an empty layer writes a valid, empty shapefile', () => {
    const zip = writeShapefileZip({ name: 'empty', geometryType: 'POINT', fields: [{ name: 'n', type: 'INTEGER' }], features: [] }, {});
    const [raw] = parseShapefile(memorySource('empty.zip', zip));
    expect(raw.features).toEqual([]);
    expect(raw.fields).toEqual([{ name: 'n', type: 'INTEGER' }]);
    if (!requireToolOrSkip('ogrinfo')) return;
    const out = join(dir, 'empty');
    mkdirSync(out, { recursive: true });
    for (const [name, bytes] of Object.entries(unzipSync(zip))) writeFileSync(join(out, name), bytes);
    expect(run('ogrinfo', ['-al', '-so', join(out, 'empty.shp')])).toMatch(/Geometry: Point\n[\s\S]*Feature Count: 0\n/);
  });
});

describe('shapefile export through the service', () => {
  const svc = new EkimaeService({ strictOutputs: true });
  afterAll(() => svc.close());

  it('layers.export format shapefile, then layers.import of the zip: same features', async () => {
    await svc.invoke('project.create', { path: join(dir, 'svc.gpkg'), settings: { name: 'shp' } });
    await svc.invoke('layers.import', { path: join(FIX, 'thai-parcels-cp874/parcels.shp'), name: 'parcels' });
    const out = join(dir, 'parcels-export.zip');
    const ex = await svc.invoke('layers.export', { layers: ['parcels'], format: 'shapefile', path: out });
    expect(ex.layers).toEqual([{ name: 'parcels', count: 3 }]);
    const again = readSource(out);
    const [back] = readLayersFrom(again).layers;
    const original = svc.requireProject().readFeatures('parcels');
    expect(back.features).toHaveLength(3);
    back.features.forEach((f, i) => {
      close(rfcPolygons(f.geometry!), rfcPolygons(original[i].geometry!), 1e-9, `parcel ${i}`);
      expect(f.properties).toEqual(original[i].properties);
    });
  });
});
