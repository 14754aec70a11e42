/**
 * OpenStreetMap XML and PBF import and the walkable table. Expected values:
 * tests/fixtures/osm/bang-sue-small/expected.json (Python ElementTree over the hand-written XML, walkable
 * flags by hand from docs/OSM-WALKABLE.md); the PBF files were written by osmium, GDAL's OSM driver is a second oracle.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PbfReader, PbfWriter } from 'pbf';
import { describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { EkimaeService } from '../../../core/api/service.js';
import { readLayersFrom, readLayersFromFile } from '../../../core/io/import.js';
import { scanOsmPbf } from '../../../core/io/osm-pbf.js';
import { isWalkable, NodeStore, WALKABLE_HIGHWAY } from '../../../core/io/osm-walkable.js';
import { scanOsmXml } from '../../../core/io/osm-xml.js';
import { memorySource } from '../../../core/io/source.js';
import type { ImportedLayer } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const FIX = new URL('../../fixtures/osm/bang-sue-small/', import.meta.url).pathname;
const MAL = new URL('../../fixtures/malformed/', import.meta.url).pathname;
const haveGdal = requireToolOrSkip('ogr2ogr');
const dir = tmpDir('ekimae-osm-');

interface ExpectedWay { osm_id: number; highway: string; name: string | null; bridge: string | null; tunnel: string | null; layer: string | null; walkable: boolean; coordinates: number[][] }
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as { nodes: number; highwayWays: number; ways: ExpectedWay[] };

const errorOf = (fn: () => unknown): EkimaeError => {
  try { fn(); } catch (e) { if (e instanceof EkimaeError) return e; throw e; }
  throw new Error('expected an EkimaeError');
};
const layerOf = (file: string, opts = {}): ImportedLayer => readLayersFromFile(join(FIX, file), opts).layers[0];

describe('OSM fixture bang-sue-small', () => {
  it('XML: node and way counts, exact coordinates and tags of every highway way', () => {
    const { nodes, ways } = scanOsmXml(readFileSync(join(FIX, 'in.osm'), 'utf8'), 'in.osm');
    expect(nodes.size).toBe(expected.nodes);
    expect(ways.length).toBe(expected.highwayWays);
    const l = layerOf('in.osm');
    expect(l.geometryType).toBe('LINESTRING');
    expect(l.source).toMatchObject({ format: 'osm-xml', crs: 'EPSG:4326' });
    expect(l.fields.map((f) => [f.name, f.type])).toEqual([
      ['osm_id', 'INTEGER'], ['highway', 'TEXT'], ['walkable', 'BOOLEAN'], ['name', 'TEXT'], ['footway', 'TEXT'], ['sidewalk', 'TEXT'],
      ['foot', 'TEXT'], ['access', 'TEXT'], ['bridge', 'TEXT'], ['tunnel', 'TEXT'], ['layer', 'TEXT'], ['service', 'TEXT'],
    ]);
    expect(l.issues).toEqual([]);
    expect(l.features.map((f) => ({
      osm_id: f.properties.osm_id, highway: f.properties.highway, name: f.properties.name, bridge: f.properties.bridge,
      tunnel: f.properties.tunnel, layer: f.properties.layer, walkable: f.properties.walkable, coordinates: f.geometry!.coordinates,
    }))).toEqual(expected.ways);
  });

  it('PBF (zlib, unsorted) and PBF (raw, sorted) give the layer the XML gives', () => {
    const xml = layerOf('in.osm');
    for (const f of ['in.osm.pbf', 'sorted-raw.osm.pbf']) {
      const pbf = layerOf(f);
      expect(pbf.source.format).toBe('osm-pbf');
      expect(pbf.fields).toEqual(xml.fields);
      expect(pbf.features).toEqual(xml.features);
      expect(scanOsmPbf(readFileSync(join(FIX, f)), f).nodes.size).toBe(expected.nodes);
    }
  });

  it.skipIf(!haveGdal)('osm_id, highway and coordinates equal what GDAL reads', () => {
    const out = run('ogr2ogr', ['--config', 'OSM_USE_CUSTOM_INDEXING', 'NO', '-f', 'GeoJSON', '/vsistdout/', join(FIX, 'in.osm'), 'lines']);
    const fc = JSON.parse(out) as { features: Array<{ properties: { osm_id: string; highway: string | null }; geometry: { coordinates: number[][] } }> };
    const gdal = fc.features.filter((f) => f.properties.highway).map((f) => [Number(f.properties.osm_id), f.properties.highway, f.geometry.coordinates]);
    const ours = layerOf('in.osm').features.map((f) => [f.properties.osm_id, f.properties.highway, f.geometry!.coordinates]);
    expect(ours).toEqual(gdal);
  });

  it('imports as a network layer whose walkable mapping is the walkable flag (not the foot tag)', async () => {
    const svc = new EkimaeService({ strictOutputs: true });
    try {
      expect((await svc.call('project.create', { path: join(dir, 'osm.gpkg'), settings: { name: 'osm' } })).ok).toBe(true);
      const r = await svc.call('layers.import', { path: join(FIX, 'in.osm.pbf') });
      expect(r.ok, JSON.stringify(r)).toBe(true);
      const info = svc.requireProject().layers()[0];
      expect(info.role).toBe('network');
      expect(info.fieldMap.walkable).toBe('walkable');
      expect(info.fieldMap.highway).toBe('highway');
    } finally { svc.close(); }
  });

  it('opts.walkable overrides the table per highway value; foot/access tags still apply', () => {
    const l = layerOf('in.osm.pbf', { walkable: { trunk: true, footway: false, cycleway: true } });
    const w = Object.fromEntries(l.features.map((f) => [f.properties.osm_id, f.properties.walkable]));
    expect(w[14]).toBe(true); // trunk now walkable
    expect(w[10]).toBe(false); // footway switched off
    expect(w[16]).toBe(false); // cycleway on, but foot=no
  });
});

describe('walkable table', () => {
  const cases: Array<[Record<string, string>, boolean]> = [
    [{ highway: 'footway' }, true],
    [{ highway: 'motorway' }, false],
    [{ highway: 'motorway_link' }, false],
    [{ highway: 'motorway', foot: 'yes' }, true],
    [{ highway: 'trunk' }, false],
    [{ highway: 'trunk', sidewalk: 'left' }, true],
    [{ highway: 'trunk', 'sidewalk:right': 'yes' }, true],
    [{ highway: 'trunk', sidewalk: 'separate' }, false],
    [{ highway: 'trunk', sidewalk: 'no' }, false],
    [{ highway: 'cycleway' }, true],
    [{ highway: 'cycleway', foot: 'no' }, false],
    [{ highway: 'primary', foot: 'use_sidepath' }, false],
    [{ highway: 'service', access: 'private' }, false],
    [{ highway: 'service', access: 'private', foot: 'yes' }, true],
    [{ highway: 'residential', access: 'destination' }, true],
    [{ highway: 'construction' }, false],
    [{ highway: 'some_new_value' }, false],
  ];
  for (const [tags, want] of cases) it(`${JSON.stringify(tags)} -> ${want}`, () => expect(isWalkable(tags)).toBe(want));

  it('lists every value the brief names', () => {
    for (const v of ['footway', 'path', 'pedestrian', 'steps', 'living_street', 'residential', 'service', 'unclassified', 'tertiary', 'secondary', 'primary', 'cycleway', 'track', 'corridor']) {
      expect(WALKABLE_HIGHWAY[v], v).toBe(true);
    }
    for (const v of ['motorway', 'motorway_link', 'trunk']) expect(WALKABLE_HIGHWAY[v], v).toBe(false);
  });
});

describe('NodeStore', () => {
  it('finds every id (sorted and unsorted insertion) and reports missing ones, against a Map oracle', () => {
    let seed = 3;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    for (const sorted of [true, false]) {
      const ids = Array.from({ length: 5000 }, (_, i) => (sorted ? i * 7 + 11_000_000_000 : Math.floor(rnd() * 1e12)));
      const store = new NodeStore();
      const oracle = new Map<number, [number, number]>();
      for (const id of ids) { const p: [number, number] = [rnd(), rnd()]; store.add(id, p[0], p[1]); oracle.set(id, p); }
      for (const id of ids) expect(store.get(id)).toEqual(oracle.get(id));
      expect(store.get(-5)).toBeNull();
      expect(store.get(11_000_000_001)).toBeNull();
    }
  });
});

/** A PBF file from blocks written here, for header and compression cases osmium does not produce. */
function pbfFile(blocks: Array<{ type: string; blob: (w: PbfWriter) => void }>): Uint8Array {
  const parts: Buffer[] = [];
  for (const b of blocks) {
    const blob = new PbfWriter(); b.blob(blob);
    const blobBytes = blob.finish();
    const head = new PbfWriter();
    head.writeStringField(1, b.type);
    head.writeVarintField(3, blobBytes.length);
    const headBytes = head.finish();
    const len = Buffer.alloc(4); len.writeUInt32BE(headBytes.length);
    parts.push(len, Buffer.from(headBytes), Buffer.from(blobBytes));
  }
  return Buffer.concat(parts);
}
const header = (features: string[]) => (w: PbfWriter) => {
  const h = new PbfWriter();
  for (const f of features) h.writeStringField(4, f);
  w.writeBytesField(1, h.finish());
};

describe('OSM refusals and issues', () => {
  it('a way with a missing node is skipped with E_OSM_NODE_MISSING naming it, counted once', () => {
    const l = readLayersFromFile(join(MAL, 'osm-way-missing-node/in.osm')).layers[0];
    expect(l.read).toBe(2);
    expect(l.features.map((f) => f.properties.osm_id)).toEqual([10]);
    const miss = l.issues.filter((i) => i.code === 'E_OSM_NODE_MISSING');
    expect(miss.length).toBe(1);
    expect(miss[0].message).toContain('way 11');
    expect(l.issues.filter((i) => i.action === 'skipped').length).toBe(1);
  });

  it('a PBF cut at any byte inside a block is E_FORMAT_INVALID, never a crash or another error', () => {
    expect(errorOf(() => readLayersFromFile(join(MAL, 'osm-pbf-truncated/in.osm.pbf'))).message).toContain('truncated');
    const whole = readFileSync(join(FIX, 'in.osm.pbf'));
    // PBF has no end marker: a cut exactly between blocks is a shorter valid file. Find those offsets.
    const boundaries = new Set<number>();
    for (let pos = 0; pos < whole.length;) {
      const len = whole.readUInt32BE(pos);
      const size = new PbfReader(whole.subarray(pos + 4, pos + 4 + len)).readFields((t, o: { n: number }, p) => { if (t === 3) o.n = p.readVarint(); }, { n: 0 }).n;
      pos += 4 + len + size;
      boundaries.add(pos);
    }
    expect(boundaries.size).toBeGreaterThan(2);
    for (let n = 1; n < whole.length; n++) {
      if (boundaries.has(n)) { expect(scanOsmPbf(whole.subarray(0, n), 'cut.osm.pbf').nodes.size).toBeLessThanOrEqual(expected.nodes); continue; }
      const e = errorOf(() => scanOsmPbf(whole.subarray(0, n), 'cut.osm.pbf'));
      expect(e.code, `cut at ${n}`).toBe('E_FORMAT_INVALID');
    }
  });

  it('random bytes named .osm.pbf are E_FORMAT_INVALID', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256);
    expect(errorOf(() => readLayersFrom(memorySource('x.osm.pbf', bytes))).code).toBe('E_FORMAT_INVALID');
  });

  it('required features other than OsmSchema-V0.6 and DenseNodes are refused by name', () => {
    const e = errorOf(() => scanOsmPbf(pbfFile([{ type: 'OSMHeader', blob: header(['OsmSchema-V0.6', 'HistoricalInformation']) }]), 'h.osm.pbf'));
    expect(e.code).toBe('E_FORMAT_INVALID');
    expect(e.message).toContain('HistoricalInformation');
    expect(scanOsmPbf(pbfFile([{ type: 'OSMHeader', blob: header(['OsmSchema-V0.6', 'DenseNodes']) }]), 'ok.osm.pbf').ways).toEqual([]);
  });

  it('plain (non-dense) Nodes, a non-default granularity and lat/lon offsets decode as the spec says', () => {
    // Block: strings ['', 'highway', 'footway'], granularity 1000 nanodegrees, offsets 13° / 100°.
    // Node 7: lat 13e9 + 1000 × 803000 = 13.803e9 nd = 13.803°, lon 100e9 + 1000 × 530000 = 100.53°.
    // Node 9: lat 13e9 + 1000 × 813000 = 13.813°, lon 100e9 + 1000 × 541000 = 100.541°.
    const block = (w: PbfWriter) => {
      const b = new PbfWriter();
      const st = new PbfWriter();
      for (const str of ['', 'highway', 'footway']) st.writeStringField(1, str);
      b.writeBytesField(1, st.finish());
      const g = new PbfWriter();
      for (const [id, lat, lon] of [[7, 803000, 530000], [9, 813000, 541000]]) {
        const n = new PbfWriter();
        n.writeSVarintField(1, id); n.writeSVarintField(8, lat); n.writeSVarintField(9, lon);
        g.writeBytesField(1, n.finish());
      }
      const way = new PbfWriter();
      way.writeVarintField(1, 42);
      way.writePackedVarint(2, [1]); way.writePackedVarint(3, [2]);
      way.writePackedSVarint(8, [7, 2]); // delta-coded refs 7, 9
      g.writeBytesField(3, way.finish());
      b.writeBytesField(2, g.finish());
      b.writeVarintField(17, 1000);
      b.writeVarintField(19, 13_000_000_000);
      b.writeVarintField(20, 100_000_000_000);
      w.writeBytesField(1, b.finish());
    };
    const file = pbfFile([{ type: 'OSMHeader', blob: header(['OsmSchema-V0.6']) }, { type: 'OSMData', blob: block }]);
    const l = readLayersFrom(memorySource('plain.osm.pbf', file)).layers[0];
    expect(l.features).toEqual([{ geometry: { type: 'LineString', coordinates: [[100.53, 13.803], [100.541, 13.813]] }, properties: expect.objectContaining({ osm_id: 42, highway: 'footway', walkable: true }) }]);
  });

  it('lzma or zstd blocks are refused with the fix; data before a header is refused', () => {
    const lzma = pbfFile([{ type: 'OSMHeader', blob: (w) => { w.writeVarintField(2, 10); w.writeBytesField(4, new Uint8Array(10)); } }]);
    expect(errorOf(() => scanOsmPbf(lzma, 'l.osm.pbf')).message).toMatch(/lzma.*pbf_compression=zlib/);
    const noHeader = pbfFile([{ type: 'OSMData', blob: (w) => w.writeBytesField(1, new Uint8Array(0)) }]);
    expect(errorOf(() => scanOsmPbf(noHeader, 'n.osm.pbf')).message).toContain('OSMHeader');
  });

  it('OSM XML: DOCTYPE, a non-OSM root, and a file without highways are refused', () => {
    const src = (t: string) => memorySource('a.osm', Buffer.from(t));
    expect(errorOf(() => readLayersFrom(src('<?xml version="1.0"?><!DOCTYPE osm [<!ENTITY x "y">]><osm></osm>'))).code).toBe('E_FORMAT_INVALID');
    expect(errorOf(() => readLayersFrom(src('<gpx><trk/></gpx>'))).message).toContain('<gpx>');
    const e = errorOf(() => readLayersFrom(src('<osm><node id="1" lat="1" lon="1"/><way id="2"><nd ref="1"/><tag k="building" v="yes"/></way></osm>')));
    expect(e.code).toBe('E_NO_FEATURES');
  });
});
