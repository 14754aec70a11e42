/**
 * The streamed GeoJSON import (two passes over the file, one transaction): the same layer, issues
 * and errors as the in-memory path; decisions taken over the whole file even when what decides
 * them comes in a later batch; nothing written on failure or cancel.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { createCloneTransport } from '../../../core/api/transports/clone-transport.js';
import type { ProgressEvent } from '../../../core/api/contract.js';
import { readLayersFrom } from '../../../core/io/import.js';
import { scanFeatureCollection, type ByteSource } from '../../../core/io/geojson.js';
import { memorySource } from '../../../core/io/source.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-stream-');
let n = 0;

async function newProject(): Promise<EkimaeService> {
  const svc = new EkimaeService();
  await svc.invoke('project.create', { path: join(dir, `p${++n}.gpkg`), settings: { name: 'stream' } });
  return svc;
}

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const square = (x: number, y: number, d = 0.0001) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];

/**
 * 9000 parcels (many parse batches: 32 features each), with what decides the layer placed in the
 * last batch: the one MultiPolygon (so every feature is stored as MULTIPOLYGON), the one real
 * "value" (so the field is REAL, not INTEGER), the first "note", and a duplicate id.
 */
function manyParcels(): { text: string; features: unknown[] } {
  const features: unknown[] = [];
  for (let i = 0; i < 9000; i++) {
    const x = 100.5 + (i % 100) * 0.0002, y = 13.7 + Math.floor(i / 100) * 0.0002;
    let geometry: unknown = { type: 'Polygon', coordinates: square(x, y) };
    const properties: Record<string, unknown> = { value: i };
    if (i === 10) geometry = null; // skipped: no geometry
    if (i === 20) geometry = { type: 'Polygon', coordinates: [square(x, y)[0].slice(0, 4)] }; // repaired: unclosed ring
    if (i === 30) geometry = { type: 'Polygon', coordinates: square(x, 95) }; // skipped: latitude 95
    if (i === 7000) geometry = { type: 'Polygon', coordinates: [[[x, y], [x + 0.0001, y + 0.0001], [x + 0.0001, y], [x, y + 0.0001], [x, y]]] }; // flagged: bow-tie
    if (i === 8000) properties.value = 0.5;
    if (i === 8500) properties.note = 'late field';
    if (i === 8999) geometry = { type: 'MultiPolygon', coordinates: [square(x, y), square(x + 0.00015, y)] };
    features.push({ type: 'Feature', id: i === 5000 ? 'P1' : `P${i}`, properties, geometry });
  }
  return { text: `{"type":"FeatureCollection","name":"parcels","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`, features };
}

describe('scanFeatureCollection reading the file in pieces', () => {
  it('finds the same features and document whatever the piece size', () => {
    const doc = { type: 'FeatureCollection', name: 'สถานี "a{b}"', features: Array.from({ length: 50 }, (_, i) => ({
      type: 'Feature', id: i, properties: { name: `บางซื่อ ${i} \\"}]{[`, nested: { a: [1, { b: '}' }] } },
      geometry: { type: 'Point', coordinates: [100.5 + i / 1000, 13.8] },
    })), crs: { type: 'name', properties: { name: 'EPSG:4326' } } };
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(doc, null, 1))]);
    const expected = doc.features.map((f) => ({ geometry: f.geometry, properties: f.properties, id: f.id }));
    for (const piece of [1, 2, 7, 64, 1000, bytes.length]) {
      const reads: number[] = [];
      const source: ByteSource = { size: bytes.length, readInto: (buf, offset, pos) => { reads.push(pos); return bytes.copy(buf, offset, pos, Math.min(pos + piece, pos + buf.length - offset, bytes.length)); } };
      const it = scanFeatureCollection('s.geojson', source);
      const got: unknown[] = [];
      let r = it.next();
      for (; !r.done; r = it.next()) if (r.value.kind === 'batch') got.push(...r.value.features);
      expect(got, `pieces of ${piece}`).toEqual(expected);
      expect(r.value).toEqual({ type: 'FeatureCollection', name: doc.name, features: [], crs: doc.crs });
      expect(reads.length).toBe(Math.ceil(bytes.length / piece));
    }
  });
});

describe('streamed GeoJSON import', () => {
  it('takes the layer decisions over all batches and stores what the in-memory path stores, with the same issues', async () => {
    const { text } = manyParcels();
    const path = write('parcels.geojson', text);
    const svc = await newProject();
    const events: ProgressEvent[] = [];
    svc.onProgress((e) => events.push(e));
    const r = await svc.invoke('layers.import', { path, jobId: 'j1' });
    const [info] = r.layers;
    // 9000 read; feature 11 (no geometry) and 31 (latitude 95) skipped.
    expect(info.count).toBe(8998);
    expect(info.geometryType).toBe('MULTIPOLYGON');
    expect(info.fields.map((f) => [f.name, f.type])).toEqual([['value', 'REAL'], ['note', 'TEXT'], ['id', 'TEXT']]);
    expect(info.provenance[0]).toMatchObject({ featuresRead: 9000, featuresWritten: 8998, featuresSkipped: 2 });
    expect(r.issues.map((i) => [i.code, i.feature ?? null, i.action])).toEqual([
      ['E_GEOMETRY_EMPTY', 10, 'skipped'],
      ['E_GEOMETRY_REPAIRED', 20, 'repaired'],
      ['E_COORD_INVALID', 30, 'skipped'],
      ['E_GEOMETRY_INVALID', 7000, 'flagged'],
      ['E_DUPLICATE_ID', 5000, 'flagged'],
      ['E_CRS_MISSING', null, 'flagged'],
    ]);
    const rows = svc.requireProject().readFeatures(info.name);
    expect(rows[0].geometry).toEqual({ type: 'MultiPolygon', coordinates: [square(100.5, 13.7)] });
    expect(rows[0].properties).toEqual({ value: 0, note: null, id: 'P0' });
    // Feature 8001 (index 8000) is row 7999: two features before it were skipped.
    expect(rows[7998].properties).toEqual({ value: 0.5, note: null, id: 'P8000' });
    expect(rows[8498].properties.note).toBe('late field');

    // The in-memory path (one batch) on the same bytes: same features, same issues.
    const mem = readLayersFrom(memorySource('parcels.geojson', Buffer.from(text))).layers[0];
    expect(rows.map((f) => ({ geometry: f.geometry, properties: f.properties }))).toEqual(mem.features);
    expect(r.issues).toEqual(mem.issues);

    // layers.preview streams the same two passes without a project: same count, fields and issues.
    // Extent by hand: x from 100.5 to column 99 (100.5198) + 0.00015 + 0.0001 (feature 8999's second
    // square); y from 13.7 to row 89 (13.7178) + 0.0001.
    const pv = await svc.invoke('layers.preview', { path });
    expect(pv.sha256).toBe(info.provenance[0].sha256);
    expect(pv.layers[0]).toMatchObject({ count: 8998, read: 9000, geometryType: 'MULTIPOLYGON', fields: mem.fields, issues: r.issues });
    const box = pv.layers[0].bbox!;
    [100.5, 13.7, 100.52005, 13.7179].forEach((v, k) => expect(box[k]).toBeCloseTo(v, 9));

    // Progress per batch in both passes (at least three batches each), never going back, ending at 1.
    const fr = events.filter((e) => e.jobId === 'j1').map((e) => e.fraction ?? 0);
    expect(fr.length).toBeGreaterThanOrEqual(1 + 3 + 3 + 1);
    expect(fr).toEqual([...fr].sort((a, b) => a - b));
    expect(fr[fr.length - 1]).toBe(1);
    svc.close();
  });

  it('checks UTF-8 across the 1 MiB pieces the file is read in: a character cut in two is fine, a bad byte is E_ENCODING', async () => {
    const svc = await newProject();
    const p = svc.requireProject();
    const thai = Buffer.from('ก'); // 3 bytes: e0 b8 81
    const make = (tail: Buffer) => {
      const open = Buffer.from('{"type":"FeatureCollection","features":[');
      const feature = Buffer.from('{"type":"Feature","geometry":{"type":"Point","coordinates":[100.5,13.8]},"properties":{"name":"');
      // Whitespace before the feature puts the Thai character 1 byte before the 1 MiB boundary.
      const pad = Buffer.alloc((1 << 20) - 1 - open.length - feature.length, 0x20);
      return Buffer.concat([open, pad, feature, thai, tail, Buffer.from('"}}]}')]);
    };
    const ok = make(Buffer.from('z'));
    writeFileSync(join(dir, 'cut.geojson'), ok);
    const r = await svc.invoke('layers.import', { path: join(dir, 'cut.geojson') });
    expect(p.readFeatures(r.layers[0].name)[0].properties.name).toBe('กz');
    const before = p.logicalDigest();
    writeFileSync(join(dir, 'bad-utf8.geojson'), make(Buffer.from([0xff])));
    const bad = await svc.call('layers.import', { path: join(dir, 'bad-utf8.geojson') });
    expect(bad.ok ? null : bad.error.code).toBe('E_ENCODING');
    expect(p.logicalDigest()).toBe(before);
    svc.close();
  });

  it('honours a crs member written after the features (pass 1 runs again with it)', async () => {
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32647: 100.5 13.75 -> 662176.290477137 1520582.49436025
    const text = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"k":1},"geometry":{"type":"Point","coordinates":[662176.290477137,1520582.49436025]}}],`
      + `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32647"}}}`;
    const svc = await newProject();
    const r = await svc.invoke('layers.import', { path: write('utm-late-crs.geojson', text) });
    expect(r.issues).toEqual([]);
    expect(r.layers[0].provenance[0].crsRead).toBe('EPSG:32647');
    const [f] = svc.requireProject().readFeatures(r.layers[0].name);
    const [x, y] = (f.geometry as { coordinates: number[] }).coordinates;
    expect(Math.abs(x - 100.5)).toBeLessThan(1e-7);
    expect(Math.abs(y - 13.75)).toBeLessThan(1e-7);
    svc.close();
  });

  it('fails with the same codes as before and leaves the project unchanged', async () => {
    const svc = await newProject();
    const stations = write('stations.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Bang Sue' }, geometry: { type: 'Point', coordinates: [100.53, 13.8] } }] }));
    await svc.invoke('layers.import', { path: stations });
    const p = svc.requireProject();
    const before = p.logicalDigest();
    const feats = (gs: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features: gs.map((geometry) => ({ type: 'Feature', properties: {}, geometry })) });
    const pts = (k: number) => Array.from({ length: k }, (_, i) => ({ type: 'Point', coordinates: [100.5 + i * 1e-5, 13.7] }));
    const cases: Array<[string, string, string]> = [
      ['all-invalid.geojson', feats(Array.from({ length: 5000 }, () => ({ type: 'Point', coordinates: [] }))), 'E_NO_FEATURES'],
      ['mixed.geojson', feats([...pts(5000), { type: 'LineString', coordinates: [[100.5, 13.7], [100.6, 13.8]] }]), 'E_GEOMETRY_MIXED'],
      ['metres.geojson', feats(Array.from({ length: 10 }, () => ({ type: 'Point', coordinates: [662176, 1520582] }))), 'E_CRS_MISSING'],
      ['bad-crs.geojson', feats(pts(3)).replace('{"type":"FeatureCollection"', '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:999999"}}'), 'E_CRS_UNKNOWN'],
      // Feature 5001 is torn: found in the second parse batch, after the first was surveyed.
      ['torn.geojson', feats(pts(6000)).replace('{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[100.55', '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[100.55,,'), 'E_FORMAT_INVALID'],
    ];
    for (const [name, text, code] of cases) {
      const r = await svc.call('layers.import', { path: write(name, text) });
      expect(r.ok, name).toBe(false);
      if (!r.ok) {
        expect(r.error.code, `${name}: ${r.error.message}`).toBe(code);
        expect(r.error.message).toContain(name);
      }
      expect(p.logicalDigest(), name).toBe(before);
    }
    svc.close();
  });

  it('a cancel arriving through the clone transport stops a large import mid-write and leaves the project unchanged', async () => {
    const svc = await newProject();
    const t = createCloneTransport(svc);
    const stations = write('st.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [100.53, 13.8] } }] }));
    const first = await t.call('layers.import', { path: stations, name: 'stations' });
    expect(first.ok).toBe(true);
    const p = svc.requireProject();
    const before = p.logicalDigest();
    const features = Array.from({ length: 40_000 }, (_, i) => ({ type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [100.5 + (i % 200) * 1e-4, 13.7 + Math.floor(i / 200) * 1e-4] } }));
    const big = write('big.geojson', JSON.stringify({ type: 'FeatureCollection', features }));
    let writing = 0;
    svc.onProgress((e) => { if (e.jobId === 'big' && e.message === 'writing to project') writing++; });
    let settled = false;
    const job = t.call('layers.import', { path: big, jobId: 'big' }).finally(() => { settled = true; });
    while (writing < 2 && !settled) await new Promise((r) => setImmediate(r));
    expect(settled, 'the import yields to the event loop between batches').toBe(false);
    // Meanwhile other changes are refused rather than swept into the import's transaction.
    const rm = await t.call('layers.remove', { layer: 'stations' });
    expect(rm.ok ? null : rm.error.code).toBe('E_PROJECT_BUSY');
    if (!rm.ok) expect(rm.error.message).toContain('the import of big.geojson');
    const rename = await t.call('project.updateSettings', { patch: { name: 'renamed meanwhile' } });
    expect(rename.ok ? null : rename.error.code).toBe('E_PROJECT_BUSY');
    const c = await t.call('jobs.cancel', { jobId: 'big' });
    expect(c).toEqual({ ok: true, value: { cancelled: true } });
    const r = await job;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E_CANCELLED');
    expect(writing).toBeLessThan(40_000 / 32); // one progress event per batch of 32: it stopped part-way
    expect(p.logicalDigest()).toBe(before);
    expect(p.layers().map((l) => l.name)).toEqual(['stations']);
    // The project is usable again: the same import runs to the end.
    const again = await t.call('layers.import', { path: big });
    expect(again.ok).toBe(true);
    expect(p.layer('big').count).toBe(40_000);
    // …and so are the changes refused while it ran.
    expect((await t.call('project.updateSettings', { patch: { name: 'renamed after' } })).ok).toBe(true);
    svc.close();
  });
});
