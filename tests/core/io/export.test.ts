/**
 * Export safety: one layer per single-layer format, no overwrite unless asked, nothing half-written
 * when writing fails, and a multi-layer GeoPackage GDAL lists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const dir = tmpDir('ekimae-export-');
const svc = new EkimaeService();
afterAll(() => svc.close());

beforeAll(async () => {
  await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'export' } });
  for (const [name, g] of [['stations', { type: 'Point', coordinates: [100.53, 13.8] }], ['rail', { type: 'LineString', coordinates: [[100.52, 13.79], [100.54, 13.81]] }]] as const) {
    const f = join(dir, `${name}.geojson`);
    writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: g, properties: { name } }] }));
    await svc.invoke('layers.import', { path: f, name });
  }
});

describe('layers.export', () => {
  it('GeoJSON holds one layer: two is E_INPUT_INVALID, nothing written', async () => {
    const out = join(dir, 'two.geojson');
    const r = await svc.call('layers.export', { layers: ['stations', 'rail'], format: 'geojson', path: out });
    expect(!r.ok && r.error.code).toBe('E_INPUT_INVALID');
    expect(existsSync(out)).toBe(false);
  });

  it('a target that cannot be written is E_EXPORT_FAILED and leaves no partial file', async () => {
    const out = join(dir, 'no-such-dir', 'x.gpkg');
    const r = await svc.call('layers.export', { layers: ['stations'], format: 'gpkg', path: out });
    expect(!r.ok && r.error.code).toBe('E_EXPORT_FAILED');
    expect(!r.ok && r.error.message).toContain(out);
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('overwrite replaces an existing file; without it the file is kept', async () => {
    const out = join(dir, 'keep.geojson');
    writeFileSync(out, 'precious');
    const r = await svc.call('layers.export', { layers: ['stations'], format: 'geojson', path: out });
    expect(!r.ok && r.error.code).toBe('E_PROJECT_EXISTS');
    expect((await import('node:fs')).readFileSync(out, 'utf8')).toBe('precious');
    const ok = await svc.invoke('layers.export', { layers: ['stations'], format: 'geojson', path: out, overwrite: true });
    expect(ok.layers).toEqual([{ name: 'stations', count: 1 }]);
  });

  it.skipIf(!requireToolOrSkip('ogrinfo'))('a two-layer GeoPackage export is listed by GDAL with both layers and no warning', async () => {
    const out = join(dir, 'both.gpkg');
    await svc.invoke('layers.export', { layers: ['stations', 'rail'], format: 'gpkg', path: out });
    const r = spawnSync('ogrinfo', ['-ro', out], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/warning|error/i);
    expect(r.stdout).toMatch(/: stations \(Point\)/);
    expect(r.stdout).toMatch(/: rail \(Line String\)/);
    expect(r.stdout).toMatch(/: ekimae_export \(None\)/);
  });
});
