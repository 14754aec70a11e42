/**
 * Round trips: import(export(x)) keeps every geometry within 1e-9 degrees and every attribute equal,
 * for GeoJSON and GeoPackage exports, for each geometry type; personal fields are left out unless
 * includePersonal; every export says where it came from (project, sources by sha256, fields left out).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import type { Feature } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-roundtrip-');
const P = (dx: number, dy: number): [number, number] => [100.5301234567891 + dx, 13.8029876543211 + dy];
const ring = (x: number, y: number, s: number) => [P(x, y), P(x + s, y), P(x + s, y + s), P(x, y + s), P(x, y)];
const GEOMS: Record<string, Array<{ type: string; coordinates: unknown }>> = {
  points: [{ type: 'Point', coordinates: P(0, 0) }, { type: 'Point', coordinates: P(1e-7, -3e-7) }],
  lines: [{ type: 'LineString', coordinates: [P(0, 0), P(0.001, 0.0002), P(0.002, -0.0001)] }, { type: 'LineString', coordinates: [P(0, 0), P(-0.003, 0)] }],
  polygons: [{ type: 'Polygon', coordinates: [ring(0, 0, 0.001), ring(0.0002, 0.0002, 0.0003)] }, { type: 'Polygon', coordinates: [ring(0.002, 0, 0.0005)] }],
  multipoints: [{ type: 'MultiPoint', coordinates: [P(0, 0), P(0.0001, 0.0001)] }, { type: 'MultiPoint', coordinates: [P(0.5, 0.5)] }],
  multilines: [{ type: 'MultiLineString', coordinates: [[P(0, 0), P(0.001, 0)], [P(0, 0.001), P(0.001, 0.001)]] }, { type: 'MultiLineString', coordinates: [[P(0, 0), P(0, 0.01)]] }],
  multipolygons: [{ type: 'MultiPolygon', coordinates: [[ring(0, 0, 0.001)], [ring(0.01, 0.01, 0.002), ring(0.0105, 0.0105, 0.0005)]] }, { type: 'MultiPolygon', coordinates: [[ring(-0.01, 0, 0.001)]] }],
};
const PROPS = [
  { name: 'สถานีบางซื่อ', floors: 12, far: 4.75, is_public: true, note: null, owner_name: 'นายสมชาย ใจดี' },
  { name: 'Tao Poon "north" \\ exit', floors: -3, far: 0.1 + 0.2, is_public: false, note: 'a\nb', owner_name: 'Suda K.' },
];

const svc = new EkimaeService({ strictOutputs: true });
afterAll(() => svc.close());

beforeAll(async () => {
  await svc.invoke('project.create', { path: join(dir, 'source.gpkg'), settings: { name: 'Round trip' } });
  for (const [name, geoms] of Object.entries(GEOMS)) {
    const file = join(dir, `${name}.geojson`);
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: geoms.map((g, i) => ({ type: 'Feature', geometry: g, properties: PROPS[i] })) }));
    const r = await svc.invoke('layers.import', { path: file, name });
    expect(r.layers[0].fields.find((f) => f.name === 'owner_name')?.personal).toBe(true);
  }
});

function closeCoords(got: unknown, want: unknown, path: string): void {
  if (typeof want === 'number') { expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(1e-9); return; }
  expect(Array.isArray(got) && (got as unknown[]).length, path).toBe((want as unknown[]).length);
  (want as unknown[]).forEach((w, i) => closeCoords((got as unknown[])[i], w, `${path}[${i}]`));
}

/** Import `file` into a fresh project and return its single layer's features. */
async function reimport(file: string, tag: string): Promise<{ features: Feature[]; fields: string[]; geometryType: string }> {
  const s = new EkimaeService();
  try {
    await s.invoke('project.create', { path: join(dir, `re-${tag}.gpkg`), settings: { name: 're' } });
    const r = await s.invoke('layers.import', { path: file });
    expect(r.layers).toHaveLength(1);
    const p = s.requireProject();
    return { features: p.readFeatures(r.layers[0].name), fields: r.layers[0].fields.map((f) => f.name), geometryType: r.layers[0].geometryType };
  } finally { s.close(); }
}

describe.each(['geojson', 'gpkg'] as const)('import(export(x)) through %s', (format) => {
  for (const layer of Object.keys(GEOMS)) {
    it(`${layer}: geometry within 1e-9 deg, attributes equal, personal field left out`, async () => {
      const original = svc.requireProject().readFeatures(layer);
      const info = svc.requireProject().layer(layer);
      const out = join(dir, `export-${layer}.${format === 'gpkg' ? 'gpkg' : 'geojson'}`);
      const ex = await svc.invoke('layers.export', { layers: [layer], format, path: out, overwrite: true });
      expect(ex.omittedFields.map((o) => o.field)).toEqual(['owner_name']);
      const back = await reimport(out, `${format}-${layer}`);
      expect(back.geometryType).toBe(info.geometryType);
      expect(back.features).toHaveLength(original.length);
      back.features.forEach((f, i) => {
        expect(f.geometry!.type).toBe(original[i].geometry!.type);
        closeCoords(f.geometry!.coordinates, original[i].geometry!.coordinates, `${layer}[${i}]`);
        const { owner_name: _personal, ...rest } = original[i].properties;
        const got = { ...f.properties };
        // A GeoJSON export carries the project fid as the feature id; the importer keeps it as "id".
        if (format === 'geojson') { expect(got.id).toBe(original[i].fid); delete got.id; }
        expect(got).toEqual(rest);
        expect(got).not.toHaveProperty('owner_name');
      });
      // The field order and types survive too (besides the dropped personal field).
      expect(back.fields.filter((f) => f !== 'id')).toEqual(info.fields.map((f) => f.name).filter((f) => f !== 'owner_name'));
      // Exact against the input file, not only against what the project stored.
      back.features.forEach((f, i) => closeCoords(f.geometry!.coordinates, GEOMS[layer][i].coordinates, `input ${layer}[${i}]`));
    });
  }

  it('includePersonal keeps the personal field', async () => {
    const out = join(dir, `personal.${format === 'gpkg' ? 'gpkg' : 'geojson'}`);
    const ex = await svc.invoke('layers.export', { layers: ['points'], format, path: out, includePersonal: true, overwrite: true });
    expect(ex.omittedFields).toEqual([]);
    const back = await reimport(out, `${format}-personal`);
    expect(back.features.map((f) => f.properties.owner_name)).toEqual(PROPS.map((p) => p.owner_name));
  });
});

describe('exports are traceable', () => {
  it('GeoJSON carries an ekimae member: exporter, project, source files by sha256, fields left out', async () => {
    const out = join(dir, 'trace.geojson');
    const ex = await svc.invoke('layers.export', { layers: ['polygons'], format: 'geojson', path: out });
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    const src = createHash('sha256').update(readFileSync(join(dir, 'polygons.geojson'))).digest('hex');
    expect(doc.ekimae).toMatchObject({ exportedBy: expect.stringMatching(/^Ekimae /), project: 'source.gpkg', projectName: 'Round trip' });
    expect(doc.ekimae.layers[0].sources[0]).toMatchObject({ file: 'polygons.geojson', sha256: src });
    expect(doc.ekimae.omittedFields).toEqual([expect.objectContaining({ layer: 'polygons', field: 'owner_name' })]);
    expect(ex.sha256).toBe(createHash('sha256').update(readFileSync(out)).digest('hex'));
  });

  it('GeoPackage carries an ekimae_export table with the same facts', async () => {
    const out = join(dir, 'trace.gpkg');
    await svc.invoke('layers.export', { layers: ['polygons', 'lines'], format: 'gpkg', path: out });
    const db = new Database(out, { readonly: true });
    try {
      const meta = Object.fromEntries((db.prepare('SELECT key, value_json FROM ekimae_export').all() as Array<{ key: string; value_json: string }>).map((r) => [r.key, JSON.parse(r.value_json)]));
      expect(meta.project).toBe('source.gpkg');
      expect(meta.layers.map((l: { layer: string }) => l.layer)).toEqual(['polygons', 'lines']);
      expect(meta.layers[1].sources[0].sha256).toBe(createHash('sha256').update(readFileSync(join(dir, 'lines.geojson'))).digest('hex'));
      expect(db.prepare("SELECT data_type FROM gpkg_contents WHERE table_name = 'ekimae_export'").pluck().get()).toBe('attributes');
    } finally { db.close(); }
  });
});
