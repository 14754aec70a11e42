/**
 * CSV import and export. Expected values: tests/fixtures/csv/<case>/expected.json, typed by hand or
 * from gdaltransform (see each SOURCE.md); exported files are read back by GDAL's CSV driver as the oracle.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { EkimaeService } from '../../../core/api/service.js';
import { decodeCsvText, guardFormula, parseCsv, typeTextColumn, unguardFormula } from '../../../core/io/csv.js';
import { readLayersFrom, readLayersFromFile } from '../../../core/io/import.js';
import { memorySource } from '../../../core/io/source.js';
import type { ImportedLayer, ImportOptions } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const FIX = new URL('../../fixtures/csv/', import.meta.url).pathname;
const MAL = new URL('../../fixtures/malformed/', import.meta.url).pathname;
const dir = tmpDir('ekimae-csv-');
const haveGdal = requireToolOrSkip('ogr2ogr');

interface Expected {
  options?: ImportOptions;
  geometryType: string;
  read?: number;
  fields: Array<[string, string]>;
  features: Array<{ coordinates: unknown; properties: Record<string, unknown> }>;
  issues?: Array<{ feature: number; code: string; action: string }>;
}

function closeTo(actual: unknown, expected: unknown, tol: number, path = ''): void {
  if (typeof expected === 'number') { expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol); return; }
  expect(Array.isArray(actual), path).toBe(true);
  expect((actual as unknown[]).length, path).toBe((expected as unknown[]).length);
  (expected as unknown[]).forEach((e, i) => closeTo((actual as unknown[])[i], e, tol, `${path}[${i}]`));
}

function checkLayer(l: ImportedLayer, exp: Expected, tol: number): void {
  expect(l.geometryType).toBe(exp.geometryType);
  expect(l.fields.map((f) => [f.name, f.type])).toEqual(exp.fields);
  expect(l.features.length).toBe(exp.features.length);
  exp.features.forEach((e, i) => {
    closeTo(l.features[i].geometry!.coordinates, e.coordinates, tol, `feature ${i}`);
    expect(l.features[i].properties).toEqual(e.properties);
  });
  if (exp.read !== undefined) expect(l.read).toBe(exp.read);
  for (const want of exp.issues ?? []) expect(l.issues).toContainEqual(expect.objectContaining(want));
}

const load = (c: string, file: string) => JSON.parse(readFileSync(join(FIX, c, 'expected.json'), 'utf8')) as Expected;
const src = (name: string, text: string | Uint8Array) => memorySource(name, typeof text === 'string' ? Buffer.from(text) : text);
const errorOf = (fn: () => unknown): EkimaeError => {
  try { fn(); } catch (e) { if (e instanceof EkimaeError) return e; throw e; }
  throw new Error('expected an EkimaeError');
};

describe('CSV fixtures', () => {
  it('stations-lonlat: BOM, quoted commas, quotes and newlines, lat before lon, leading-zero codes', () => {
    const r = readLayersFromFile(join(FIX, 'stations-lonlat/in.csv'));
    expect(r.format).toBe('csv');
    expect(r.layers[0].source).toMatchObject({ crs: 'EPSG:4326', encoding: 'utf-8', format: 'csv' });
    checkLayer(r.layers[0], load('stations-lonlat', 'in.csv'), 0);
    expect(r.layers[0].issues).toEqual([]);
  });

  it('parcels-wkt-tab: tab-delimited WKT with Z, MULTIPOLYGON, EMPTY and a hole', () => {
    const r = readLayersFromFile(join(FIX, 'parcels-wkt-tab/in.tsv'));
    checkLayer(r.layers[0], load('parcels-wkt-tab', 'in.tsv'), 0);
  });

  it('utm-xy-semicolon: easting/northing with decimal commas, reprojected as GDAL does', () => {
    const exp = load('utm-xy-semicolon', 'in.csv');
    const r = readLayersFromFile(join(FIX, 'utm-xy-semicolon/in.csv'), exp.options);
    checkLayer(r.layers[0], exp, 1e-9);
    expect(r.layers[0].source.crs).toBe('EPSG:32647');
  });
});

describe('CSV detection', () => {
  it('detects | and tab delimiters', () => {
    for (const d of ['|', '\t']) {
      const l = readLayersFrom(src('a.csv', `name${d}lon${d}lat\nA${d}100.5${d}13.7\nB${d}100.6${d}13.8\n`)).layers[0];
      expect(l.features.map((f) => f.geometry!.coordinates)).toEqual([[100.5, 13.7], [100.6, 13.8]]);
      expect(l.features.map((f) => f.properties.name)).toEqual(['A', 'B']);
    }
  });

  it('finds lng/latitude/LONGITUDE names case-insensitively and keeps other columns in order', () => {
    const l = readLayersFrom(src('a.csv', 'id,LATITUDE,note,Lng\n1,13.7,x,100.5\n')).layers[0];
    expect(l.features[0].geometry).toEqual({ type: 'Point', coordinates: [100.5, 13.7] });
    expect(l.fields.map((f) => f.name)).toEqual(['id', 'note']);
  });

  it('uses lonField/latField and wktField when given', () => {
    const a = readLayersFrom(src('a.csv', 'e,n,name\n100.5,13.7,A\n'), { lonField: 'e', latField: 'n' }).layers[0];
    expect(a.features[0].geometry).toEqual({ type: 'Point', coordinates: [100.5, 13.7] });
    expect(a.source.crs).toBe('EPSG:4326');
    const b = readLayersFrom(src('b.csv', 'shape,name\n"LINESTRING (100 13, 101 14)",A\n'), { wktField: 'shape' }).layers[0];
    expect(b.features[0].geometry).toEqual({ type: 'LineString', coordinates: [[100, 13], [101, 14]] });
    expect(errorOf(() => readLayersFrom(src('c.csv', 'a,b\n1,2\n'), { wktField: 'shape' })).code).toBe('E_CSV_NO_GEOMETRY');
  });

  it('x/y without a CRS: assumed lon/lat when they fit (flagged), refused when they are metres', () => {
    const ok = readLayersFrom(src('a.csv', 'x,y\n100.5,13.7\n')).layers[0];
    expect(ok.source.crs).toBe('EPSG:4326 (assumed)');
    expect(ok.issues.map((i) => i.code)).toContain('E_CRS_MISSING');
    expect(errorOf(() => readLayersFrom(src('b.csv', 'x,y\n665250,1526500\n'))).code).toBe('E_CRS_MISSING');
  });

  it('EWKT SRID sets the CRS; two different SRIDs are refused', () => {
    const l = readLayersFrom(src('a.csv', 'wkt\nSRID=32647;POINT (665250.5 1526500.25)\n')).layers[0];
    expect(l.source.crs).toBe('EPSG:32647');
    closeTo(l.features[0].geometry!.coordinates, [100.528774638146, 13.8033155589386], 1e-9);
    expect(errorOf(() => readLayersFrom(src('b.csv', 'wkt\nSRID=32647;POINT (1 2)\nSRID=4326;POINT (1 2)\n'))).code).toBe('E_CRS_UNKNOWN');
  });

  it('no geometry column: E_CSV_NO_GEOMETRY listing the header', () => {
    const e = errorOf(() => readLayersFromFile(join(MAL, 'csv-no-geometry-columns/in.csv')));
    expect(e.code).toBe('E_CSV_NO_GEOMETRY');
    expect(e.message).toContain('station, code, ridership');
  });

  it('flags rows with more values than columns, keeps rows with fewer', () => {
    const l = readLayersFrom(src('a.csv', 'lon,lat,name\n100,13,A,extra\n101,14\n')).layers[0];
    expect(l.features.map((f) => f.properties.name)).toEqual(['A', null]);
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 0, code: 'E_INPUT_INVALID', action: 'flagged' }));
  });

  it('a non-numeric coordinate is a coordinate error, an empty pair an empty geometry', () => {
    const l = readLayersFrom(src('a.csv', 'lon,lat,name\n100,13,A\nabc,13,B\n,,C\n')).layers[0];
    expect(l.features.length).toBe(1);
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 1, code: 'E_COORD_INVALID', action: 'skipped' }));
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 2, code: 'E_GEOMETRY_EMPTY', action: 'skipped' }));
  });
});

describe('CSV values', () => {
  it('numbers only when the whole column is numeric; codes with leading zeros, +, or 16+ digits stay text', () => {
    expect(typeTextColumn(['1', '2', ''])).toEqual({ values: [1, 2, null], type: 'INTEGER' });
    expect(typeTextColumn(['1', '2.5', ' '])).toEqual({ values: [1, 2.5, null], type: 'REAL' });
    expect(typeTextColumn(['0012', '13'])).toEqual({ values: ['0012', '13'], type: 'TEXT' });
    expect(typeTextColumn(['0', '0.5', '-0.25'])).toEqual({ values: [0, 0.5, -0.25], type: 'REAL' });
    expect(typeTextColumn(['+6621234567'])).toEqual({ values: ['+6621234567'], type: 'TEXT' });
    expect(typeTextColumn(['12345678901234567890'])).toEqual({ values: ['12345678901234567890'], type: 'TEXT' });
    expect(typeTextColumn(['1', 'x'])).toEqual({ values: ['1', 'x'], type: 'TEXT' });
    expect(typeTextColumn([null, ''])).toEqual({ values: [null, null], type: 'TEXT' });
    expect(typeTextColumn(['1,5', '2'], true)).toEqual({ values: [1.5, 2], type: 'REAL' });
    expect(typeTextColumn(['1,5', '2'], false)).toEqual({ values: ['1,5', '2'], type: 'TEXT' });
  });
});

describe('CSV injection guard', () => {
  it('prefixes text a spreadsheet would run as a formula, and only that', () => {
    expect(guardFormula('=HYPERLINK("http://x","y")')).toBe('\'=HYPERLINK("http://x","y")');
    expect(guardFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(guardFormula('+66 2 123 4567')).toBe("'+66 2 123 4567");
    expect(guardFormula('-2+3+cmd')).toBe("'-2+3+cmd");
    for (const safe of ['-1', '+5', '-', 'Soi 1', "it's", '']) expect(guardFormula(safe)).toBe(safe);
  });

  it('unguard(guard(s)) is s for every string over a hostile alphabet (exhaustive to length 4)', () => {
    const alphabet = ["'", '=', '+', '-', '1', 'a', '@'];
    let all = [''];
    for (let len = 1; len <= 4; len++) all = all.concat(all.filter((x) => x.length === len - 1).flatMap((x) => alphabet.map((c) => x + c)));
    for (const s of all) {
      expect(unguardFormula(guardFormula(s)), JSON.stringify(s)).toBe(s);
      expect(/^'*[=@]|^'*[+-](?!\d+$)./.test(guardFormula(s)) ? guardFormula(s).startsWith("'") : true, JSON.stringify(s)).toBe(true);
    }
  });
});

describe('CSV encoding', () => {
  const thai = 'ชื่อ,lat,lon\nเตาปูน,13.8130,100.5410\n';
  it('windows-874 without BOM is guessed and flagged', () => {
    const r = readLayersFromFile(join(MAL, 'csv-cp874-no-bom/in.csv'));
    const l = r.layers[0];
    expect(l.source.encoding).toBe('windows-874');
    expect(l.features.map((f) => f.properties['ชื่อ'])).toEqual(['สถานีกลางบางซื่อ', 'เตาปูน']);
    expect(l.issues).toContainEqual(expect.objectContaining({ code: 'E_ENCODING', action: 'flagged' }));
    expect(l.issues.find((i) => i.code === 'E_ENCODING')!.message).toContain('windows-874');
  });

  it('Latin text that is not UTF-8 is read as windows-1252, flagged', () => {
    const bytes = Buffer.from('name,lon,lat\nCafé Gare,2.35,48.85\n', 'latin1');
    const d = decodeCsvText(bytes, 'a.csv');
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toContain('Café Gare');
    expect(d.issue?.code).toBe('E_ENCODING');
  });

  it('BOMs win (UTF-8, UTF-16LE) and the option overrides everything', () => {
    expect(decodeCsvText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(thai)]), 'a.csv')).toEqual({ text: thai, encoding: 'utf-8' });
    expect(decodeCsvText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(thai, 'utf16le')]), 'a.csv')).toEqual({ text: thai, encoding: 'utf-16le' });
    const cp874 = readFileSync(join(MAL, 'csv-cp874-no-bom/in.csv'));
    expect(decodeCsvText(cp874, 'a.csv', 'windows-1252').text).not.toContain('เตาปูน');
    expect(decodeCsvText(Buffer.from(thai), 'a.csv')).toEqual({ text: thai, encoding: 'utf-8' });
    expect(errorOf(() => decodeCsvText(Buffer.from(thai), 'a.csv', 'klingon-8')).code).toBe('E_ENCODING');
  });

  it('binary data is refused', () => {
    expect(errorOf(() => parseCsv(src('a.csv', new Uint8Array([0, 1, 2, 3, 0, 0, 7])), {})).code).toBe('E_FORMAT_INVALID');
  });
});

describe('CSV malformed corpus cases', () => {
  it('bad WKT rows: each named, left out, counted once as skipped', () => {
    const l = readLayersFromFile(join(MAL, 'csv-bad-wkt-rows/in.csv')).layers[0];
    expect(l.read).toBe(4);
    expect(l.features.map((f) => f.properties.id)).toEqual([1, 3]);
    const wkt = l.issues.filter((i) => i.code === 'E_WKT_INVALID');
    expect(wkt.map((i) => i.feature)).toEqual([1, 3]);
    expect(wkt[0].message).toMatch(/in\.csv, data row 2: .*ends too early/);
    expect(l.issues.filter((i) => i.action === 'skipped').length).toBe(2);
  });

  it('latitude 95 and longitude 181.5 are skipped with E_COORD_INVALID', () => {
    const l = readLayersFromFile(join(MAL, 'csv-latlon-out-of-range/in.csv')).layers[0];
    expect(l.features.map((f) => f.properties.name)).toEqual(['Bang Sue']);
    expect(l.issues.filter((i) => i.code === 'E_COORD_INVALID').map((i) => i.feature)).toEqual([1, 2]);
  });
});

describe('CSV export', () => {
  const services: EkimaeService[] = [];
  afterAll(() => { for (const s of services) s.close(); });
  let n = 0;

  async function projectWith(files: Array<[string, string]>) {
    const svc = new EkimaeService({ strictOutputs: true });
    services.push(svc);
    expect((await svc.call('project.create', { path: join(dir, `p${++n}.gpkg`), settings: { name: 'csv export' } })).ok).toBe(true);
    for (const [path, name] of files) {
      const r = await svc.call('layers.import', { path, name });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    return svc;
  }

  async function exportCsv(svc: EkimaeService, layer: string, csvGeometry?: 'wkt' | 'lonlat') {
    const path = join(dir, `${layer}-${++n}.csv`);
    return { path, r: await svc.call('layers.export', { layers: [layer], format: 'csv', path, ...(csvGeometry ? { csvGeometry } : {}) }) };
  }

  // Random doubles (not round decimals) so any precision loss shows.
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  const pt = (): [number, number] => [100.5 + rnd() * 0.1, 13.7 + rnd() * 0.1];
  function randomGeoJson(kind: 'point' | 'polygon'): string {
    const features = Array.from({ length: 40 }, (_, i) => {
      const [x, y] = pt();
      const geometry = kind === 'point' ? { type: 'Point', coordinates: [x, y] }
        : { type: 'Polygon', coordinates: [[[x, y], [x + rnd() * 1e-3, y], [x + rnd() * 1e-3, y + rnd() * 1e-3], [x, y]]] };
      return {
        type: 'Feature', geometry,
        properties: { name: i % 3 ? `แปลง ${i}, "A"` : `line\nbreak ${i}`, code: `00${i}`, far: Math.round(rnd() * 1000) / 100, floors: i, empty: null, note: ['=1+1', "'=x", '-1', '+66 2 123', '@A1', 'ok'][i % 6] },
      };
    });
    return JSON.stringify({ type: 'FeatureCollection', features });
  }

  it('WKT export: BOM, CRLF, header first; re-import gives the same geometry (1e-9°) and attributes', async () => {
    for (const kind of ['point', 'polygon'] as const) {
      const gj = join(dir, `${kind}.geojson`);
      writeFileSync(gj, randomGeoJson(kind));
      const svc = await projectWith([[gj, kind]]);
      const { path, r } = await exportCsv(svc, kind);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const bytes = readFileSync(path);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8').slice(1);
      expect(text.split('\r\n')[0]).toBe('wkt,name,code,far,floors,empty,note');
      expect(text).not.toMatch(/,=1\+1/);
      const original = svc.requireProject().readFeatures(kind);
      const back = readLayersFromFile(path).layers[0];
      expect(back.features.length).toBe(original.length);
      back.features.forEach((f, i) => {
        closeTo(f.geometry!.coordinates, original[i].geometry!.coordinates, 1e-9);
        expect(f.properties).toEqual(original[i].properties);
      });
    }
  });

  it('lon/lat export of points; of polygons it is refused', async () => {
    const svc = await projectWith([[join(FIX, 'stations-lonlat/in.csv'), 'stations'], [join(FIX, 'parcels-wkt-tab/in.tsv'), 'parcels']]);
    const { path, r } = await exportCsv(svc, 'stations', 'lonlat');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text.split('\r\n')[0]).toBe('\ufefflon,lat,name,code,ridership,share,opened,note');
    expect(text.split('\r\n')[1]).toBe('100.53,13.803,สถานีกลางกรุงเทพอภิวัฒน์,0012,41000,0.35,2023-01-19,"Interchange, HSR"');
    const back = readLayersFromFile(path).layers[0];
    checkLayer(back, load('stations-lonlat', 'in.csv'), 0);
    const bad = await exportCsv(svc, 'parcels', 'lonlat');
    expect(bad.r.ok).toBe(false);
    if (!bad.r.ok) expect(bad.r.error.code).toBe('E_INPUT_INVALID');
  });

  it('writes a GDAL .csvt and the provenance beside the CSV, so text codes and booleans survive the round trip', async () => {
    const gj = join(dir, 'typed.geojson');
    writeFileSync(gj, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [100.53, 13.803] }, properties: { zone: '12', lit: true, opened: '2023-01-19' } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [100.541, 13.813] }, properties: { zone: '13', lit: false, opened: null } },
    ] }));
    const svc = await projectWith([[gj, 'typed']]);
    const path = join(dir, 'typed-out.csv');
    const r = await svc.call('layers.export', { layers: ['typed'], format: 'csv', path, csvGeometry: 'lonlat' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(readFileSync(join(dir, 'typed-out.csvt'), 'utf8')).toBe('"CoordX","CoordY","String","Integer(Boolean)","String"\r\n');
    const prov = JSON.parse(readFileSync(join(dir, 'typed-out.provenance.json'), 'utf8')) as { layers: Array<{ layer: string; sources: Array<{ file: string; sha256: string }> }> };
    expect(prov.layers[0].layer).toBe('typed');
    expect(prov.layers[0].sources[0].file).toBe('typed.geojson');
    expect(prov.layers[0].sources[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    const back = readLayersFromFile(path).layers[0];
    expect(back.fields.map((f) => [f.name, f.type])).toEqual([['zone', 'TEXT'], ['lit', 'BOOLEAN'], ['opened', 'TEXT']]);
    expect(back.features.map((f) => f.properties)).toEqual(svc.requireProject().readFeatures('typed').map((f) => f.properties));
    expect(back.source.crs).toBe('EPSG:4326');
    // Without the sidecar the types are guessed again: "12" becomes a number (the documented limit).
    const bare = readLayersFrom(src('bare.csv', readFileSync(path))).layers[0];
    expect(bare.fields.find((f) => f.name === 'zone')!.type).toBe('INTEGER');
  });

  it('a failed export leaves neither the CSV nor its sidecars', async () => {
    const svc = await projectWith([[join(FIX, 'parcels-wkt-tab/in.tsv'), 'parcels']]);
    const path = join(dir, 'refused.csv');
    const r = await svc.call('layers.export', { layers: ['parcels'], format: 'csv', path, csvGeometry: 'lonlat' });
    expect(r.ok).toBe(false);
    for (const f of ['refused.csv', 'refused.csvt', 'refused.provenance.json', 'refused.csv.part', 'refused.csv.part.csvt']) expect(existsSync(join(dir, f)), f).toBe(false);
  });

  it('a .csvt with the wrong number of types is ignored (flagged); a value not of its declared type is emptied (repaired)', () => {
    const csv = Buffer.from('lon,lat,code\n100.5,13.7,0012\n100.6,13.8,x\n');
    const wrong = readLayersFrom(memorySource('a.csv', csv, { csvt: Buffer.from('"CoordX","CoordY"') })).layers[0];
    expect(wrong.issues).toContainEqual(expect.objectContaining({ code: 'E_INPUT_INVALID', action: 'flagged' }));
    expect(wrong.features.map((f) => f.properties.code)).toEqual(['0012', 'x']);
    const typed = readLayersFrom(memorySource('a.csv', csv, { csvt: Buffer.from('CoordX,CoordY,Integer(5)') })).layers[0];
    expect(typed.features.map((f) => f.properties.code)).toEqual([12, null]);
    expect(typed.issues).toContainEqual(expect.objectContaining({ feature: 1, code: 'E_INPUT_INVALID', action: 'repaired' }));
  });

  it.skipIf(!haveGdal)('GDAL reads the exported CSV to the same coordinates and values', async () => {
    const svc = await projectWith([[join(FIX, 'parcels-wkt-tab/in.tsv'), 'parcels']]);
    const { path, r } = await exportCsv(svc, 'parcels');
    expect(r.ok).toBe(true);
    const fc = JSON.parse(run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', path, '-oo', 'GEOM_POSSIBLE_NAMES=wkt', '-oo', 'KEEP_GEOM_COLUMNS=NO', '-oo', 'AUTODETECT_TYPE=YES'])) as {
      features: Array<{ geometry: { coordinates: unknown }; properties: Record<string, unknown> }>;
    };
    const exp = load('parcels-wkt-tab', 'in.tsv');
    expect(fc.features.length).toBe(exp.features.length);
    fc.features.forEach((f, i) => {
      closeTo(f.geometry.coordinates, exp.features[i].coordinates, 0);
      expect(f.properties).toEqual(exp.features[i].properties);
    });
  });
});
