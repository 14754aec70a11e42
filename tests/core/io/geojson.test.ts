/**
 * GeoJSON parsing. A FeatureCollection is read one feature at a time from the file's bytes; the
 * oracle here is JSON.parse of the whole text (features mapped to geometry/properties/id), so the
 * byte scanner must agree with it on every layout: minified, pretty, BOM, brackets and quotes inside
 * strings, a "features" key nested in properties, members after the array, Thai text.
 */
import { describe, expect, it } from 'vitest';
import { parseGeoJson, jsonDepth, MAX_JSON_DEPTH } from '../../../core/io/geojson.js';
import { memorySource } from '../../../core/io/source.js';
import { readLayersFrom } from '../../../core/io/import.js';
import { mulberry32 } from '../../../core/util/prng.js';

const src = (text: string | Buffer, name = 'in.geojson') => memorySource(name, typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

function oracle(text: string) {
  const doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  return doc.features.map((f: Record<string, unknown>) => ({
    geometry: f.type === 'Feature' ? f.geometry : undefined,
    properties: f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties) ? f.properties : {},
    id: f.id,
  }));
}

const F = [
  { type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [100.5, 13.8] }, properties: { name: 'บางซื่อ', note: 'a "quoted" ]}{[ \\ backslash', n: 3 } },
  { type: 'Feature', geometry: { type: 'LineString', coordinates: [[100.5, 13.8], [100.51, 13.81]] }, properties: { features: [{ type: 'Feature' }], nested: { a: [1, [2, [3]]] } } },
  { type: 'Feature', id: 'x-2', geometry: null, properties: null },
  { geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, type: 'Feature', properties: { '}': '{', '"features"': '[' } },
];

describe('parseGeoJson agrees with JSON.parse of the whole text', () => {
  const layouts: Record<string, string> = {
    minified: JSON.stringify({ type: 'FeatureCollection', features: F }),
    pretty: JSON.stringify({ type: 'FeatureCollection', name: 'x', features: F }, null, 2),
    'features first, crs last': JSON.stringify({ features: F, type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } }),
    'with BOM': '\uFEFF' + JSON.stringify({ type: 'FeatureCollection', features: F }),
    'CRLF and tabs': JSON.stringify({ type: 'FeatureCollection', features: F }, null, '\t').replace(/\n/g, '\r\n'),
    'a top-level string mentioning features': JSON.stringify({ type: 'FeatureCollection', title: 'features', description: '"features": [', features: F }),
    'empty features': JSON.stringify({ type: 'FeatureCollection', features: [] }),
  };
  for (const [name, text] of Object.entries(layouts)) {
    it(name, () => {
      const [layer] = parseGeoJson(src(text));
      expect(layer.features).toEqual(oracle(text));
      expect(layer.name).toBe('in');
      expect(layer.source).toEqual({ file: 'in.geojson', format: 'geojson', encoding: 'utf-8' });
    });
  }

  it('reads the legacy crs member wherever it stands', () => {
    const t = JSON.stringify({ type: 'FeatureCollection', features: F.slice(0, 1), crs: { type: 'name', properties: { name: 'EPSG:32647' } } });
    expect(parseGeoJson(src(t))[0].crs).toBe('EPSG:32647');
    const t2 = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'EPSG', properties: { code: 24047 } }, features: F.slice(0, 1) });
    expect(parseGeoJson(src(t2))[0].crs).toBe('EPSG:24047');
  });

  it('a single Feature, a bare geometry and a GeometryCollection document', () => {
    expect(parseGeoJson(src(JSON.stringify(F[0])))[0].features).toEqual([{ geometry: F[0].geometry, properties: F[0].properties, id: 1 }]);
    expect(parseGeoJson(src(JSON.stringify(F[1].geometry)))[0].features).toEqual([{ geometry: F[1].geometry, properties: {} }]);
    const gc = { type: 'GeometryCollection', geometries: [F[0].geometry, F[1].geometry] };
    expect(parseGeoJson(src(JSON.stringify(gc)))[0].features.map((f) => f.geometry)).toEqual(gc.geometries);
  });

  it('features that are not objects are left to the whole-text parser (and become featureless rows)', () => {
    const t = JSON.stringify({ type: 'FeatureCollection', features: [F[0], null, 7] });
    expect(parseGeoJson(src(t))[0].features).toHaveLength(3);
  });
});

describe('parseGeoJson errors name the file', () => {
  const code = (text: string | Buffer, name = 'bad.geojson') => {
    try { parseGeoJson(src(text, name)); } catch (e) { return [(e as { code: string }).code, (e as Error).message]; }
    return ['none', ''];
  };

  it('a broken feature inside a well-formed collection is E_FORMAT_INVALID', () => {
    const t = '{"type":"FeatureCollection","features":[' + JSON.stringify(F[0]) + ',{"type":"Feature","geometry":{"type":"Point","coordinates":[1,,2]},"properties":{}}]}';
    const [c, m] = code(t);
    expect(c).toBe('E_FORMAT_INVALID');
    expect(m).toContain('bad.geojson');
  });

  it('in a long collection (features parsed in batches) the message names the broken feature\'s number', () => {
    const many = Array.from({ length: 9000 }, (_, k) => JSON.stringify({ type: 'Feature', geometry: { type: 'Point', coordinates: [100 + k * 1e-5, 13.8] }, properties: { k } }));
    const good = `{"type":"FeatureCollection","features":[\n${many.join(',\n')}\n]}`;
    expect(parseGeoJson(src(good))[0].features).toEqual(oracle(good));
    many[4999] = many[4999].replace('"k":4999', '"k":49 99');
    const [c, m] = code(`{"type":"FeatureCollection","features":[\n${many.join(',\n')}\n]}`);
    expect(c).toBe('E_FORMAT_INVALID');
    expect(m).toContain('bad.geojson, feature 5000 is not valid JSON');
  });

  it('nesting deeper than the limit inside one feature is E_TOO_DEEP', () => {
    const deep = '{"a":'.repeat(MAX_JSON_DEPTH) + '1' + '}'.repeat(MAX_JSON_DEPTH);
    const t = `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":${deep}}]}`;
    expect(code(t)[0]).toBe('E_TOO_DEEP');
    expect(jsonDepth(t)).toBe(MAX_JSON_DEPTH + 3);
  });

  it('invalid UTF-8 is E_ENCODING; a truncated document is E_FORMAT_INVALID', () => {
    expect(code(Buffer.concat([Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null,"properties":{"n":"'), Buffer.from([0xe9]), Buffer.from('"}}]}')]))[0]).toBe('E_ENCODING');
    expect(code('{"type":"FeatureCollection","features":[' + JSON.stringify(F[0]))[0]).toBe('E_FORMAT_INVALID');
    expect(code('{"type":"FeatureCollection","features":[]')[0]).toBe('E_FORMAT_INVALID');
  });

  it('a features array that is not a FeatureCollection\'s is not taken for one', () => {
    expect(code(JSON.stringify({ type: 'Topology', features: F }))[0]).toBe('E_FORMAT_INVALID');
  });

  it('a remote crs link is E_CRS_UNKNOWN', () => {
    expect(code(JSON.stringify({ type: 'FeatureCollection', crs: { type: 'link', properties: { href: 'http://x' } }, features: [] }))[0]).toBe('E_CRS_UNKNOWN');
  });
});

describe('GeoJSON through the whole read path', () => {
  it('EPSG:32647 coordinates with a legacy crs member land where GDAL puts them', () => {
    // gdaltransform -s_srs EPSG:32647 -t_srs EPSG:4326: 662000 1525000 -> 100.498624221839 13.7899399943393 (tests/fixtures/crs)
    const t = JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::32647' } }, features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [662000, 1525000] }, properties: {} }] });
    const r = readLayersFrom(src(t));
    const [x, y] = (r.layers[0].features[0].geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(x - 100.498624221839)).toBeLessThan(1e-8);
    expect(Math.abs(y - 13.7899399943393)).toBeLessThan(1e-8);
    expect(r.layers[0].source.crs).toBe('EPSG:32647');
  });
});

describe('the byte scanner under seeded random damage', () => {
  it('never throws anything but a coded error, and agrees with JSON.parse whenever the text is valid', () => {
    const r = mulberry32(20251125);
    const base = JSON.stringify({ type: 'FeatureCollection', name: 'x', features: F });
    const alphabet = '{}[]",:\\ 0a\u0e01';
    let valid = 0, coded = 0;
    for (let k = 0; k < 3000; k++) {
      let t = base;
      for (let m = 0, edits = 1 + Math.floor(r() * 3); m < edits; m++) {
        const i = Math.floor(r() * t.length);
        const op = r();
        if (op < 0.4) t = t.slice(0, i) + t.slice(i + 1);
        else if (op < 0.8) t = t.slice(0, i) + alphabet[Math.floor(r() * alphabet.length)] + t.slice(i);
        else t = t.slice(0, i);
      }
      let doc: unknown = undefined;
      try { doc = JSON.parse(t); } catch { /* damaged */ }
      let layer: ReturnType<typeof parseGeoJson>[number] | null = null, err: unknown = null;
      try { [layer] = parseGeoJson(src(t)); } catch (e) { err = e; }
      if (layer) {
        const d = doc as { type?: string; features?: unknown };
        expect(doc, `parsed text JSON.parse rejects: ${t}`).toBeDefined();
        if (d.type === 'FeatureCollection' && Array.isArray(d.features) && d.features.every((f) => f && typeof f === 'object' && !Array.isArray(f))) {
          expect(JSON.stringify(layer.features), t).toBe(JSON.stringify(oracle(t)));
        }
        valid++;
      } else {
        expect((err as { code?: string }).code, `${(err as Error).message} for ${t.slice(0, 200)}`).toMatch(/^E_/);
        coded++;
      }
    }
    expect(valid).toBeGreaterThan(100);
    expect(coded).toBeGreaterThan(100);
  });
});
