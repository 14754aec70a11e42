/**
 * The project file is a GeoPackage that GDAL reads as it is: one layer per geometry type imported,
 * then `ogrinfo -al -so` must report each layer's feature count, geometry type and extent, list the
 * ekimae_* tables, and print no warning; SQLite facts (application_id, user_version, R-tree rows,
 * integrity) are checked on the closed file. Expected counts and extents come from the input
 * coordinates written below, not from Ekimae.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

type Pos = [number, number];
const B = (dx: number, dy: number): Pos => [100.53 + dx, 13.80 + dy];
const sq = (x: number, y: number, s: number): Pos[] => [B(x, y), B(x + s, y), B(x + s, y + s), B(x, y + s), B(x, y)];

/** name -> [GeoJSON geometries, GDAL's name for the layer type] */
const LAYERS: Record<string, { geoms: Array<{ type: string; coordinates: unknown }>; gdalType: string }> = {
  stations: { gdalType: 'Point', geoms: [{ type: 'Point', coordinates: B(0, 0) }, { type: 'Point', coordinates: B(0.011, 0.010) }, { type: 'Point', coordinates: B(-0.004, 0.021) }] },
  rail: { gdalType: 'Line String', geoms: [{ type: 'LineString', coordinates: [B(0, 0), B(0.011, 0.010), B(0.02, 0.03)] }, { type: 'LineString', coordinates: [B(-0.01, -0.01), B(0, 0)] }] },
  parcels: { gdalType: 'Polygon', geoms: [{ type: 'Polygon', coordinates: [sq(0, 0, 0.002), sq(0.0005, 0.0005, 0.0005)] }, { type: 'Polygon', coordinates: [sq(0.003, 0.001, 0.001)] }] },
  entrances: { gdalType: 'Multi Point', geoms: [{ type: 'MultiPoint', coordinates: [B(0.0001, 0.0001), B(-0.0001, 0.0002)] }, { type: 'MultiPoint', coordinates: [B(0.0111, 0.0101)] }] },
  walkways: { gdalType: 'Multi Line String', geoms: [{ type: 'MultiLineString', coordinates: [[B(0, 0), B(0.001, 0)], [B(0.001, 0.001), B(0.002, 0.003)]] }, { type: 'MultiLineString', coordinates: [[B(-0.002, 0), B(-0.001, -0.004)]] }] },
  blocks: { gdalType: 'Multi Polygon', geoms: [{ type: 'MultiPolygon', coordinates: [[sq(0.01, 0.01, 0.003)], [sq(0.02, 0.02, 0.001)]] }, { type: 'Polygon', coordinates: [sq(-0.01, 0.02, 0.002)] }] },
};

function expectedExtent(geoms: Array<{ coordinates: unknown }>): [number, number, number, number] {
  const xs: number[] = [], ys: number[] = [];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') { xs.push(c[0] as number); ys.push(c[1] as number); } else if (Array.isArray(c)) c.forEach(walk);
  };
  geoms.forEach((g) => walk(g.coordinates));
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

const dir = tmpDir('ekimae-gpkg-');
const projectPath = join(dir, 'site.gpkg');
const haveGdal = requireToolOrSkip('ogrinfo');

beforeAll(async () => {
  const svc = new EkimaeService({ strictOutputs: true });
  await svc.invoke('project.create', { path: projectPath, settings: { name: 'Bang Sue validity' } });
  for (const [name, l] of Object.entries(LAYERS)) {
    const file = join(dir, `${name}.geojson`);
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features: l.geoms.map((g, i) => ({ type: 'Feature', geometry: g, properties: { name: `${name} ${i + 1}`, n: i + 1, area_m2: 1234.5 * (i + 1) } })) }));
    await svc.invoke('layers.import', { path: file, name });
  }
  await svc.invoke('project.close', {});
  svc.close();
});

function expectClose(got: unknown, want: unknown, tol: number, path = 'coordinates'): void {
  if (typeof want === 'number') { expect(Math.abs((got as number) - want), path).toBeLessThanOrEqual(tol); return; }
  expect(Array.isArray(got), path).toBe(true);
  expect((got as unknown[]).length, path).toBe((want as unknown[]).length);
  (want as unknown[]).forEach((w, i) => expectClose((got as unknown[])[i], w, tol, `${path}[${i}]`));
}

function ogrinfo(args: string[]) {
  const r = spawnSync('ogrinfo', args, { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r;
}

describe('the project file is a valid GeoPackage', () => {
  it('leaves one self-contained file (no -wal or -shm) after close', () => {
    expect(existsSync(projectPath)).toBe(true);
    expect(existsSync(`${projectPath}-wal`)).toBe(false);
    expect(existsSync(`${projectPath}-shm`)).toBe(false);
  });

  it('has the GeoPackage application_id, user_version 10300 and passes integrity_check', () => {
    const db = new Database(projectPath, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0x47504b47);
      expect(db.pragma('user_version', { simple: true })).toBe(10300);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally { db.close(); }
  });

  it('has an R-tree per layer with one row per feature, registered as gpkg_rtree_index', () => {
    const db = new Database(projectPath, { readonly: true });
    try {
      for (const [name, l] of Object.entries(LAYERS)) {
        const n = db.prepare(`SELECT count(*) FROM "rtree_${name}_geom"`).pluck().get();
        expect(n, name).toBe(l.geoms.length);
        const ext = db.prepare("SELECT extension_name FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom'").pluck().get(name);
        expect(ext, name).toBe('gpkg_rtree_index');
        // Each R-tree box contains its feature; SQLite stores float32 boxes rounded outwards
        // (one float32 step at lon 100 is 2^-17 ≈ 7.6e-6 deg), so they are at most two steps larger.
        const [minx, miny, maxx, maxy] = expectedExtent(l.geoms);
        const box = db.prepare(`SELECT min(minx) AS a, min(miny) AS b, max(maxx) AS c, max(maxy) AS d FROM "rtree_${name}_geom"`).get() as Record<string, number>;
        expect(box.a).toBeLessThanOrEqual(minx); expect(box.b).toBeLessThanOrEqual(miny);
        expect(box.c).toBeGreaterThanOrEqual(maxx); expect(box.d).toBeGreaterThanOrEqual(maxy);
        expect(box.c - maxx).toBeLessThan(2e-5); expect(minx - box.a).toBeLessThan(2e-5);
      }
      const srs = db.prepare('SELECT srs_id FROM gpkg_geometry_columns').pluck().all();
      expect(new Set(srs)).toEqual(new Set([4326]));
    } finally { db.close(); }
  });

  it.skipIf(!haveGdal)('ogrinfo -al -so reports each layer\'s count, geometry type and extent, with no warning', () => {
    const r = ogrinfo(['-al', '-so', projectPath]);
    expect(r.stderr).not.toMatch(/warning|error/i);
    const blocks = r.stdout.split(/\nLayer name: /).slice(1);
    const byName = new Map(blocks.map((b) => [b.split('\n')[0].trim(), b]));
    for (const [name, l] of Object.entries(LAYERS)) {
      const b = byName.get(name);
      expect(b, `ogrinfo lists ${name}`).toBeDefined();
      expect(b!).toMatch(new RegExp(`\\nGeometry: ${l.gdalType}\\n`));
      expect(Number(/Feature Count: (\d+)/.exec(b!)![1])).toBe(l.geoms.length);
      const m = /Extent: \(([-\d.]+), ([-\d.]+)\) - \(([-\d.]+), ([-\d.]+)\)/.exec(b!)!;
      const got = m.slice(1, 5).map(Number);
      // ogrinfo prints 6 decimals.
      expectedExtent(l.geoms).forEach((v, i) => expect(Math.abs(got[i] - v), `${name} extent[${i}]`).toBeLessThanOrEqual(5e-7 + 1e-12));
      expect(b!).toMatch(/ID\["EPSG",4326\]/);
    }
  });

  it.skipIf(!haveGdal)('ogrinfo lists the ekimae_* tables as attribute tables and reads them', () => {
    const r = ogrinfo([projectPath]);
    for (const t of ['ekimae_meta', 'ekimae_settings', 'ekimae_layers', 'ekimae_field_map', 'ekimae_field_meta', 'ekimae_provenance']) {
      expect(r.stdout, t).toMatch(new RegExp(`: ${t} \\(None\\)`));
    }
    const rows = ogrinfo(['-ro', '-q', '-sql', 'SELECT count(*) AS n FROM ekimae_provenance', projectPath]);
    expect(rows.stdout).toMatch(new RegExp(`n \\(Integer\\) = ${Object.keys(LAYERS).length}`));
  });

  it.skipIf(!haveGdal)('GDAL reads every feature back with the coordinates and attributes that went in', () => {
    for (const [name, l] of Object.entries(LAYERS)) {
      const r = spawnSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', projectPath, name], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const fc = JSON.parse(r.stdout) as { features: Array<{ geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }> };
      expect(fc.features.length).toBe(l.geoms.length);
      fc.features.forEach((f, i) => {
        const want = l.geoms[i];
        // Single polygons in a MULTIPOLYGON layer are stored promoted to multi.
        const wantCoords = l.gdalType.startsWith('Multi') && !want.type.startsWith('Multi') ? [want.coordinates] : want.coordinates;
        // GDAL's GeoJSON writer prints 15 significant digits (1e-13 deg at lon 100).
        expectClose(f.geometry.coordinates, wantCoords, 1e-12);
        expect(f.properties).toMatchObject({ name: `${name} ${i + 1}`, n: i + 1, area_m2: 1234.5 * (i + 1) });
      });
    }
  });
});
