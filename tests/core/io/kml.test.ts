/**
 * KML and KMZ import. Expected layers: tests/fixtures/kml/station-area/expected.json, typed by hand
 * from the KML text (SOURCE.md); GDAL's KML driver is a second oracle for the Parcels coordinates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { EkimaeService } from '../../../core/api/service.js';
import { readLayersFrom, readLayersFromFile } from '../../../core/io/import.js';
import { memorySource } from '../../../core/io/source.js';
import type { ImportOptions } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const FIX = new URL('../../fixtures/kml/station-area/', import.meta.url).pathname;
const MAL = new URL('../../fixtures/malformed/', import.meta.url).pathname;
const haveGdal = requireToolOrSkip('ogr2ogr');
const dir = tmpDir('ekimae-kml-');

interface ExpectedLayer {
  name: string; sourceLayer: string | null; geometryType: string;
  fields: Array<[string, string]>;
  features: Array<{ coordinates: unknown; properties: Record<string, unknown> }>;
}
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { layers: ExpectedLayer[] };

const kml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>${body}</Document></kml>`;
const pm = (name: string, geom: string) => `<Placemark><name>${name}</name>${geom}</Placemark>`;
const read = (name: string, text: string | Uint8Array, opts: ImportOptions = {}) =>
  readLayersFrom(memorySource(name, typeof text === 'string' ? Buffer.from(text) : text), opts);
const errorOf = (fn: () => unknown): EkimaeError => {
  try { fn(); } catch (e) { if (e instanceof EkimaeError) return e; throw e; }
  throw new Error('expected an EkimaeError');
};

function checkFixture(file: string, format: 'kml' | 'kmz') {
  const r = readLayersFromFile(join(FIX, file));
  expect(r.format).toBe(format);
  expect(r.layers.map((l) => l.name)).toEqual(expected.layers.map((l) => l.name));
  r.layers.forEach((l, i) => {
    const e = expected.layers[i];
    expect(l.source.sourceLayer ?? null).toBe(e.sourceLayer);
    expect(l.source.crs).toBe('EPSG:4326');
    expect(l.source.format).toBe(format);
    expect(l.geometryType).toBe(e.geometryType);
    expect(l.fields.map((f) => [f.name, f.type])).toEqual(e.fields);
    expect(l.features.map((f) => f.geometry!.coordinates)).toEqual(e.features.map((f) => f.coordinates));
    expect(l.features.map((f) => f.properties)).toEqual(e.features.map((f) => f.properties));
    expect(l.issues).toEqual([]);
  });
}

describe('KML fixture station-area', () => {
  it('reads one layer for the document Placemarks and one per top-level Folder', () => checkFixture('in.kml', 'kml'));
  it('reads the same layers from the KMZ (doc.kml chosen over other entries)', () => checkFixture('in.kmz', 'kmz'));

  it.skipIf(!haveGdal)('Parcels coordinates equal what GDAL reads', () => {
    const fc = JSON.parse(run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', join(FIX, 'in.kml'), 'Parcels'])) as { features: Array<{ geometry: { type: string; coordinates: unknown } }> };
    const strip = (c: unknown): unknown => (Array.isArray(c) && typeof c[0] === 'number' ? c.slice(0, 2) : (c as unknown[]).map(strip));
    const gdal = fc.features.map((f) => (f.geometry.type === 'Polygon' ? [strip(f.geometry.coordinates)] : strip(f.geometry.coordinates)));
    const ours = readLayersFromFile(join(FIX, 'in.kml')).layers.find((l) => l.name === 'Parcels')!;
    expect(ours.features.map((f) => f.geometry!.coordinates)).toEqual(gdal);
  });

  it('option layers picks folders by name', () => {
    expect(readLayersFromFile(join(FIX, 'in.kml'), { layers: ['Walk links'] }).layers.map((l) => l.name)).toEqual(['Walk links']);
    const e = errorOf(() => readLayersFromFile(join(FIX, 'in.kml'), { layers: ['Roads'] }));
    expect(e.code).toBe('E_LAYER_NOT_FOUND');
    expect(e.message).toContain('Parcels');
  });

  it('imports every folder as its own project layer through the service', async () => {
    const svc = new EkimaeService({ strictOutputs: true });
    afterAll(() => svc.close());
    expect((await svc.call('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'kml' } })).ok).toBe(true);
    const r = await svc.call('layers.import', { path: join(FIX, 'in.kmz') });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const counts = Object.fromEntries(svc.requireProject().layers().map((l) => [l.name, svc.requireProject().readFeatures(l.name).length]));
    expect(Object.values(counts).sort()).toEqual([2, 2, 2]);
  });
});

describe('KML geometry and structure', () => {
  it('a MultiGeometry mixing families is split, so the mixed-family rule applies', () => {
    const text = kml(pm('Station + site', '<MultiGeometry><Point><coordinates>100.53,13.80</coordinates></Point><Polygon><outerBoundaryIs><LinearRing><coordinates>100.53,13.80 100.54,13.80 100.54,13.81 100.53,13.80</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry>'));
    expect(errorOf(() => read('mixed.kml', text)).code).toBe('E_GEOMETRY_MIXED');
    const l = read('mixed.kml', text, { geometryFamily: 'polygon' }).layers[0];
    expect(l.read).toBe(2);
    expect(l.features.map((f) => [f.geometry!.type, f.properties.name])).toEqual([['Polygon', 'Station + site']]);
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 0, code: 'E_GEOMETRY_MIXED', action: 'skipped' }));
  });

  it('reads namespace-prefixed KML (kml:Placemark)', () => {
    const text = '<kml:kml xmlns:kml="http://www.opengis.net/kml/2.2"><kml:Placemark><kml:name>A</kml:name><kml:Point><kml:coordinates>100.5,13.7</kml:coordinates></kml:Point></kml:Placemark></kml:kml>';
    expect(read('ns.kml', text).layers[0].features[0]).toEqual({ geometry: { type: 'Point', coordinates: [100.5, 13.7] }, properties: { name: 'A', description: null } });
  });

  it('a Placemark without geometry is skipped with a reason; character references are decoded', () => {
    const l = read('a.kml', kml(pm('&#x0E01; &amp; B', '<Point><coordinates>100.5,13.7</coordinates></Point>') + pm('no shape', ''))).layers[0];
    expect(l.features.map((f) => f.properties.name)).toEqual(['ก & B']);
    expect(l.issues).toContainEqual(expect.objectContaining({ feature: 1, code: 'E_GEOMETRY_EMPTY', action: 'skipped' }));
  });

  it('gx:Track becomes a line (altitude dropped); image overlays are flagged, not imported', () => {
    const track = '<gx:Track xmlns:gx="http://www.google.com/kml/ext/2.2"><when>2025-01-01T00:00:00Z</when><when>2025-01-01T00:01:00Z</when><gx:coord>100.53 13.80 4</gx:coord><gx:coord>100.54 13.81 5</gx:coord></gx:Track>';
    const overlay = '<GroundOverlay><Icon><href>plan.png</href></Icon><LatLonBox><north>13.9</north><south>13.8</south><east>100.6</east><west>100.5</west></LatLonBox></GroundOverlay>';
    const l = read('t.kml', kml(pm('walk survey', track) + overlay)).layers[0];
    expect(l.features[0].geometry).toEqual({ type: 'LineString', coordinates: [[100.53, 13.8], [100.54, 13.81]] });
    expect(l.issues).toContainEqual(expect.objectContaining({ code: 'E_GEOMETRY_UNSUPPORTED', action: 'flagged' }));
  });

  it('honours an XML declaration naming windows-1252; refuses an unknown one', () => {
    const body = kml(pm('Café de la Gare', '<Point><coordinates>2.35,48.85</coordinates></Point>')).replace('encoding="UTF-8"', 'encoding="windows-1252"');
    const l = read('w.kml', Buffer.from(body, 'latin1')).layers[0];
    expect(l.features[0].properties.name).toBe('Café de la Gare');
    expect(l.source.encoding).toBe('windows-1252');
    expect(errorOf(() => read('k.kml', body.replace('windows-1252', 'klingon-8'))).code).toBe('E_ENCODING');
  });

  it('duplicate folder names get distinct layer names', () => {
    const f = (n: string, x: number) => `<Folder><name>${n}</name>${pm('p', `<Point><coordinates>${x},13.7</coordinates></Point>`)}</Folder>`;
    expect(read('dup.kml', kml(f('Sites', 100.5) + f('sites', 100.6))).layers.map((l) => l.name)).toEqual(['Sites', 'sites 2']);
  });
});

describe('KML refusals', () => {
  it('NetworkLink only: E_NETWORK_LINK; beside Placemarks: flagged, nothing fetched', () => {
    expect(errorOf(() => readLayersFromFile(join(MAL, 'kml-network-link-only/in.kml'))).code).toBe('E_NETWORK_LINK');
    const l = readLayersFromFile(join(MAL, 'kml-network-link-with-placemarks/in.kml')).layers[0];
    expect(l.features.length).toBe(1);
    expect(l.issues).toContainEqual(expect.objectContaining({ code: 'E_NETWORK_LINK', action: 'flagged' }));
  });

  it('DOCTYPE with entities (billion laughs) is refused without expanding anything', () => {
    const t0 = performance.now();
    const e = errorOf(() => readLayersFromFile(join(MAL, 'kml-doctype-entity/in.kml')));
    expect(e.code).toBe('E_FORMAT_INVALID');
    expect(e.message).toContain('DOCTYPE');
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('a truncated KMZ is E_ZIP_INVALID; a zip without a .kml is E_FORMAT_INVALID; any .kml name is accepted', () => {
    expect(errorOf(() => readLayersFromFile(join(MAL, 'kmz-truncated/in.kmz'))).code).toBe('E_ZIP_INVALID');
    expect(errorOf(() => read('a.kmz', zipSync({ 'readme.txt': strToU8('hi') }))).code).toBe('E_FORMAT_INVALID');
    const other = read('b.kmz', zipSync({ 'Parcels.kml': strToU8(kml(pm('x', '<Point><coordinates>100.5,13.7</coordinates></Point>'))) }));
    expect(other.layers[0].features.length).toBe(1);
  });

  it('not XML, no <kml> root, invalid UTF-8: E_FORMAT_INVALID / E_ENCODING naming the file', () => {
    const e1 = errorOf(() => read('x.kml', '<kml><Placemark></kml>'));
    expect(e1.code).toBe('E_FORMAT_INVALID');
    expect(e1.message).toContain('x.kml');
    expect(errorOf(() => read('y.kml', '<gpx><wpt/></gpx>')).code).toBe('E_FORMAT_INVALID');
    expect(errorOf(() => read('z.kml', new Uint8Array([0x3c, 0x6b, 0x6d, 0x6c, 0x3e, 0xff, 0xfe, 0x41]))).code).toBe('E_ENCODING');
  });
});
