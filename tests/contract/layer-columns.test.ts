// layers.columns (a polygon layer as typed arrays) against the object reader (layers.features, GeoJSON
// decoded by core/geo/wkb.ts, an independent path through the same file), over the three ways the renderer
// can reach the core: the service itself, a structuredClone transport (what Electron's IPC does to a
// payload), and browser mode's HTTP server read by the renderer's own bridge (renderer/api/bridge.ts)
// with its binary-body reader. Then the reader's refusals: every malformed body is E_BINARY_BODY_INVALID.
//
// Tolerance: coordinates are Float32 offsets from the layer's origin, so each may differ from the stored
// Float64 value by half a Float32 ulp of the offset: |offset|·2⁻²⁴ (round to nearest). On Bang Sue
// (offsets ≤ 0.02°) that is ≤ 1.2e-9° ≈ 0.13 mm; the test checks every vertex against that bound.
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { createCloneTransport } from '../../core/api/transports/clone-transport.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { encodeBinaryBody } from '../../core/api/transports/binary-body.js';
import { httpBridge } from '../../renderer/api/bridge.js';
import { decodeBinaryBody } from '../../renderer/api/binary-body.js';
import { buffersFromColumns, checkLayerColumns, featureAreas, type ParcelColumns } from '../../renderer/map/parcel-columns.js';
import { geometryArea } from '../../renderer/map/geodesic-area.js';
import { tmpDir } from '../helpers/tmp.js';

const SAMPLE = join(process.cwd(), 'sample-data', 'bang-sue.gpkg');
const F32_REL = 2 ** -24;

type Value = string | number | boolean | null;
interface Obj { id?: number; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, Value> }

/** The value a column holds for feature i, as the object reader would give it. */
function cell(c: ParcelColumns['columns'][string], i: number): Value {
  if (c.kind === 'number') return Number.isNaN(c.values[i]) ? null : c.values[i];
  if (c.kind === 'boolean') return c.values[i] === 255 ? null : c.values[i] === 1;
  return c.codes[i] < 0 ? null : c.dictionary[c.codes[i]];
}

/** Polygons of a GeoJSON geometry as rings of [x, y]. */
function polygonsOf(g: Obj['geometry']): number[][][][] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as number[][][]];
  if (g.type === 'MultiPolygon') return g.coordinates as number[][][][];
  // A line is a part of one ring.
  if (g.type === 'LineString') return [[g.coordinates as number[][]]];
  if (g.type === 'MultiLineString') return (g.coordinates as number[][][]).map((l) => [l]);
  throw new Error(`not a polygon or line: ${g.type}`);
}

/** Compares every feature; returns the largest coordinate error seen, in degrees. */
function compare(cols: ParcelColumns, objs: Obj[], fields: string[]): number {
  expect(cols.count).toBe(objs.length);
  expect(Array.from(cols.fids)).toEqual(objs.map((o) => o.id));
  const g = cols.geometry!;
  let worst = 0;
  objs.forEach((o, i) => {
    for (const f of fields) expect(cell(cols.columns[f], i), `feature ${o.id} field ${f}`).toEqual(o.properties[f] ?? null);
    const polys = polygonsOf(o.geometry);
    expect(g.featureStarts[i + 1] - g.featureStarts[i], `polygons of ${o.id}`).toBe(polys.length);
    polys.forEach((rings, pk) => {
      const p = g.featureStarts[i] + pk;
      expect(g.partStarts[p + 1] - g.partStarts[p], `rings of ${o.id}`).toBe(rings.length);
      rings.forEach((ring, rk) => {
        const r = g.partStarts[p] + rk;
        expect(g.ringStarts[r + 1] - g.ringStarts[r], `vertices of ${o.id}`).toBe(ring.length);
        ring.forEach((pt, vk) => {
          const v = g.ringStarts[r] + vk;
          for (let d = 0; d < 2; d++) {
            const offset = pt[d] - g.origin[d];
            const err = Math.abs(g.coords[v * 2 + d] + g.origin[d] - pt[d]);
            if (err > Math.abs(offset) * F32_REL + 1e-15) throw new Error(`feature ${o.id} vertex ${vk} axis ${d}: error ${err} beyond ${Math.abs(offset) * F32_REL}`);
            worst = Math.max(worst, err);
          }
        });
      });
    });
  });
  return worst;
}

// A hand-made layer covering what the sample lacks: a hole, a two-part MultiPolygon, booleans, nulls.
// (A feature without geometry is left out by the importer, so none is here.)
const SMALL = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { name: 'square with a courtyard', floors: 4, listed: true, note: null },
      geometry: { type: 'Polygon', coordinates: [[[100.5, 13.8], [100.501, 13.8], [100.501, 13.801], [100.5, 13.801], [100.5, 13.8]], [[100.5004, 13.8004], [100.5004, 13.8006], [100.5006, 13.8006], [100.5006, 13.8004], [100.5004, 13.8004]]] } },
    { type: 'Feature', properties: { name: 'two plots', floors: null, listed: false, note: 'split' },
      geometry: { type: 'MultiPolygon', coordinates: [[[[100.502, 13.8], [100.5025, 13.8], [100.5025, 13.8005], [100.502, 13.8], [100.502, 13.8]]], [[[100.503, 13.8], [100.5035, 13.8], [100.5035, 13.8005], [100.503, 13.8]]]] } },
    { type: 'Feature', properties: { name: null, floors: 2.5, listed: null, note: 'triangle' },
      geometry: { type: 'Polygon', coordinates: [[[100.504, 13.8], [100.5045, 13.8], [100.504, 13.8005], [100.504, 13.8]]] } },
  ],
};

describe('layers.columns', () => {
  const dir = tmpDir('ekimae-columns-');
  const service = new EkimaeService({ strictOutputs: true });
  const clone = createCloneTransport(service);
  let srv: RunningServer;
  let bridge: ReturnType<typeof httpBridge>;
  const haveSample = existsSync(SAMPLE);

  beforeAll(async () => {
    const path = join(dir, 'p.gpkg');
    if (haveSample) {
      copyFileSync(SAMPLE, path);
      await service.invoke('project.open', { path });
    } else {
      await service.invoke('project.create', { path, settings: { name: 'columns' } });
    }
    writeFileSync(join(dir, 'small.geojson'), JSON.stringify(SMALL));
    await service.invoke('layers.import', { path: join(dir, 'small.geojson'), name: 'small', role: 'parcels' });
    srv = await startServer({ service });
    bridge = httpBridge({ search: `?token=${srv.token}`, origin: `http://127.0.0.1:${srv.port}` });
  }, 120_000);
  afterAll(async () => { await srv?.close(); service.close(); });

  const viaHttp = async (input: unknown) => {
    const r = await bridge.call('layers.columns', input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return checkLayerColumns(r.value);
  };
  const viaClone = async (input: unknown) => {
    const r = await clone.call('layers.columns', input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return checkLayerColumns(r.value);
  };

  describe.skipIf(!haveSample)('Bang Sue parcels: same coordinates (within Float32 of the offset) and attributes for every feature', () => {
    let objs: Obj[];
    let fields: string[];
    beforeAll(async () => {
      objs = (await service.invoke('layers.features', { layer: 'parcels' })).features as Obj[];
      fields = (await service.invoke('layers.list', {})).find((l) => l.name === 'parcels')!.fields.filter((f) => !f.personal).map((f) => f.name);
    }, 120_000);

    it('has the sample itself (14,827 parcels, several fields)', () => {
      expect(objs.length).toBeGreaterThan(10_000);
      expect(fields).toEqual(expect.arrayContaining(['land_use', 'floors', 'floor_area', 'parcel_id']));
    });

    it('service', async () => {
      const worst = compare(await service.invoke('layers.columns', { layer: 'parcels', fields }) as ParcelColumns, objs, fields);
      expect(worst).toBeLessThan(2e-9);
      expect(worst).toBeGreaterThan(0); // Float32 really is what travels
    });
    it('structuredClone transport (Electron IPC)', async () => {
      compare(await viaClone({ layer: 'parcels', fields }), objs, fields);
    });
    it('HTTP binary body, read by the renderer bridge', async () => {
      const cols = await viaHttp({ layer: 'parcels', fields });
      compare(cols, objs, fields);
      // Zero-copy: every typed array is a view on the one response buffer.
      expect(cols.fids.buffer).toBe(cols.geometry!.coords.buffer);
    });
    it('areas from the typed rings match the GeoJSON areas (renderer geodesic-area.ts)', async () => {
      const cols = await viaHttp({ layer: 'parcels' });
      const a = featureAreas(cols);
      let worstRel = 0;
      objs.forEach((o, i) => {
        const want = geometryArea(o.geometry as never);
        if (want > 1) worstRel = Math.max(worstRel, Math.abs(a[i] - want) / want);
      });
      expect(worstRel).toBeLessThan(1e-4);
    });
    it('the walk network (lines), over HTTP', async () => {
      const lines = (await service.invoke('layers.features', { layer: 'network' })).features as Obj[];
      const fieldsN = (await service.invoke('layers.list', {})).find((l) => l.name === 'network')!.fields.filter((f) => !f.personal).map((f) => f.name);
      const cols = await viaHttp({ layer: 'network', fields: fieldsN });
      expect(lines.length).toBeGreaterThan(1000);
      compare(cols, lines, fieldsN);
      expect(cols.geometry!.ringStarts.length).toBe(cols.geometry!.partStarts.length);
    });
    it('columns alone (geometry: false), as the renderer fetches a colour-by field', async () => {
      const cols = await viaHttp({ layer: 'parcels', fields: ['floor_area'], geometry: false });
      expect(cols.geometry).toBeNull();
      objs.forEach((o, i) => { if (cell(cols.columns.floor_area, i) !== (o.properties.floor_area ?? null)) throw new Error(`fid ${o.id}`); });
    });
  });

  describe('a hole, a MultiPolygon, booleans and nulls', () => {
    const fields = ['name', 'floors', 'listed', 'note'];
    it.each([['service'], ['clone'], ['http']])('%s', async (how) => {
      const input = { layer: 'small', fields };
      const cols = how === 'http' ? await viaHttp(input) : how === 'clone' ? await viaClone(input) : checkLayerColumns(await service.invoke('layers.columns', input));
      const objs = (await service.invoke('layers.features', { layer: 'small' })).features as Obj[];
      compare(cols, objs, fields);
      // By hand: 3 features; 1 + 2 + 1 polygons; rings 2 + 1 + 1 + 1.
      expect(Array.from(cols.geometry!.featureStarts)).toEqual([0, 1, 3, 4]);
      expect(Array.from(cols.geometry!.partStarts)).toEqual([0, 2, 3, 4, 5]);
      expect(cols.columns.listed).toMatchObject({ kind: 'boolean' });
      expect(Array.from((cols.columns.listed as { values: Uint8Array }).values)).toEqual([1, 0, 255]);
      expect(cols.columns.floors.kind).toBe('number');
      // Drawing rows: outer rings only (the hole is not a row): 4 rows of 5, 5, 4 (the second part, as stored
      // by the importer, which closes rings) and 4 vertices.
      const b = buffersFromColumns(cols);
      expect(b.length).toBe(4);
      expect(b.rowFeature.length).toBe(4);
      expect(Array.from(b.rowFeature)).toEqual([0, 1, 1, 2]);
      expect(Array.from(b.featureRowStart)).toEqual([0, 1, 3, 4]);
      const g = cols.geometry!;
      const outer = [0, 2, 3, 4].map((r) => g.ringStarts[r + 1] - g.ringStarts[r]);
      expect(Array.from(b.startIndices)).toEqual([0, outer[0], outer[0] + outer[1], outer[0] + outer[1] + outer[2], outer.reduce((a, x) => a + x, 0)]);
    });
  });

  describe('refusals', () => {
    it('an unknown field is E_FIELD_NOT_FOUND', async () => {
      const r = await service.call('layers.columns', { layer: 'small', fields: ['nope'] });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_FIELD_NOT_FOUND' } });
    });
    it('an unknown layer is E_LAYER_NOT_FOUND', async () => {
      const r = await bridge.call('layers.columns', { layer: 'nope' });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_LAYER_NOT_FOUND' } });
    });
    it.skipIf(!haveSample)('a point layer is E_GEOMETRY_UNSUPPORTED', async () => {
      const r = await service.call('layers.columns', { layer: 'stations' });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_GEOMETRY_UNSUPPORTED' } });
    });
    it.skipIf(!haveSample)('a personal field is E_INPUT_INVALID unless includePersonal', async () => {
      const r = await service.call('layers.columns', { layer: 'parcels', fields: ['owner_name'] });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_INPUT_INVALID' } });
      expect((await service.call('layers.columns', { layer: 'parcels', fields: ['owner_name'], includePersonal: true })).ok).toBe(true);
    });
  });
});

describe('binary body: malformed bodies are E_BINARY_BODY_INVALID', () => {
  const good = () => {
    const { chunks, bytes } = encodeBinaryBody({ n: 3, a: Int32Array.from([1, 2, 3]), b: { c: Float32Array.from([0.5, -1]) } });
    const out = new Uint8Array(bytes);
    let o = 0;
    for (const c of chunks) { out.set(c, o); o += c.length; }
    return out;
  };
  const headerOf = (body: Uint8Array) => {
    const len = new DataView(body.buffer).getUint32(4, true);
    return { len, json: JSON.parse(new TextDecoder().decode(body.subarray(8, 8 + len))) as { value: unknown; buffers: Array<{ type: string; offset: number; length: number }> } };
  };
  /** The same body with its header rewritten (same length, space-padded). */
  const withHeader = (body: Uint8Array, edit: (h: ReturnType<typeof headerOf>['json']) => void) => {
    const { len, json } = headerOf(body);
    edit(json);
    const text = new TextEncoder().encode(JSON.stringify(json));
    if (text.length > len) throw new Error('edited header is longer');
    const out = body.slice();
    out.fill(0x20, 8, 8 + len);
    out.set(text, 8);
    return out;
  };
  const decode = (b: Uint8Array) => decodeBinaryBody(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);

  it('a well-formed body decodes to the value, typed arrays included', () => {
    const v = decode(good()) as { n: number; a: Int32Array; b: { c: Float32Array } };
    expect(v.n).toBe(3);
    expect(v.a).toBeInstanceOf(Int32Array);
    expect(Array.from(v.a)).toEqual([1, 2, 3]);
    expect(Array.from(v.b.c)).toEqual([0.5, -1]);
  });

  const cases: Array<[string, () => Uint8Array]> = [
    ['shorter than the preamble', () => good().slice(0, 5)],
    ['wrong magic', () => { const b = good(); b[0] = 0x58; return b; }],
    ['header longer than the body', () => { const b = good(); new DataView(b.buffer).setUint32(4, b.length, true); return b; }],
    ['header not JSON', () => { const b = good(); b[8] = 0x7b; b[9] = 0x7b; return b; }],
    ['truncated: the last buffer runs past the end', () => { const b = good(); return b.slice(0, b.length - 8); }],
    ['a buffer of unknown type', () => withHeader(good(), (h) => { h.buffers[0].type = 'BigInt64Array'; })],
    ['a buffer whose length is not an integer', () => withHeader(good(), (h) => { h.buffers[0].length = 1.5; })],
    ['a misaligned buffer', () => withHeader(good(), (h) => { h.buffers[1].offset += 2; })],
    ['overlapping buffers', () => withHeader(good(), (h) => { h.buffers[1].offset = h.buffers[0].offset; })],
    ['a reference to a missing buffer', () => withHeader(good(), (h) => { (h.value as { a: { $typed: number } }).a.$typed = 7; })],
    ['a buffer referred to twice', () => withHeader(good(), (h) => { (h.value as { a: { $typed: number } }).a.$typed = 1; })],
  ];
  it.each(cases)('%s', (_name, make) => {
    let err: unknown = null;
    try { decode(make()); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'E_BINARY_BODY_INVALID' });
  });

  it('through the bridge: a malformed octet-stream answer is an E_BINARY_BODY_INVALID result, not a throw', async () => {
    const body = good().slice(0, 20);
    const server: Server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(body); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const b = httpBridge({ search: '', origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      const r = await b.call('layers.columns', { layer: 'x' });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_BINARY_BODY_INVALID' } });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  describe('a decoded layer whose lengths disagree is refused before drawing', () => {
    const base = (): ParcelColumns => ({
      layer: 'x', count: 2, fids: Int32Array.from([1, 2]),
      geometry: { origin: [100, 13], coords: new Float32Array(16), ringStarts: Uint32Array.from([0, 4, 8]), partStarts: Uint32Array.from([0, 1, 2]), featureStarts: Uint32Array.from([0, 1, 2]) },
      columns: { t: { kind: 'text', codes: Int32Array.from([0, -1]), dictionary: ['a'] } },
    });
    it('consistent: accepted', () => { expect(checkLayerColumns(base()).count).toBe(2); });
    it.each<[string, (c: ParcelColumns) => void]>([
      ['fids shorter than count', (c) => { c.fids = Int32Array.from([1]); }],
      ['fids not ascending', (c) => { c.fids = Int32Array.from([2, 1]); }],
      ['ring starts past the coordinates', (c) => { c.geometry!.ringStarts = Uint32Array.from([0, 4, 9]); }],
      ['feature starts for another count', (c) => { c.geometry!.featureStarts = Uint32Array.from([0, 2]); }],
      ['a decreasing start', (c) => { c.geometry!.partStarts = Uint32Array.from([0, 2, 1]); }],
      ['a text code outside its dictionary', (c) => { c.columns.t = { kind: 'text', codes: Int32Array.from([0, 1]), dictionary: ['a'] }; }],
      ['a column of another length', (c) => { c.columns.n = { kind: 'number', values: new Float64Array(3) }; }],
    ])('%s', (_n, edit) => {
      const c = base();
      edit(c);
      expect(() => checkLayerColumns(c)).toThrow(expect.objectContaining({ code: 'E_BINARY_BODY_INVALID' }));
    });
  });
});
