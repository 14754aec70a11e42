/**
 * The stored catchment layers as GDAL (the oracle) sees them: on the peers' 10k network with 10
 * stations, every band polygon is valid (GEOS) and its ellipsoidal area (SpatiaLite ST_Area(geom, 1))
 * matches the stored area_m2; the reached-street layer is readable. Skips without ../shared or GDAL.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip, run } from '../../helpers/tools.js';

const peers = join(resolve(resolve(__dirname, '../../..'), '../shared'), 'peers');
const have = existsSync(join(peers, 'gen_network.py')) && requireToolOrSkip('ogrinfo');
const dir = have ? tmpDir('ekimae-catchment-gdal-') : '';
const path = join(dir, 'p.gpkg');
const svc = new EkimaeService();

describe.skipIf(!have)('catchment layers read by GDAL', () => {
  beforeAll(async () => {
    const r = spawnSync('/usr/bin/python3', [join(peers, 'gen_network.py'), '--size', '10k', '--out', dir], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    await svc.invoke('project.create', { path, settings: { name: 'peers 10k' } });
    await svc.invoke('layers.import', { path: join(dir, 'network_10k.geojson'), role: 'network', name: 'network' });
    await svc.invoke('layers.import', { path: join(dir, 'stations_10k_10.geojson'), role: 'stations', name: 'stations' });
    await svc.invoke('catchment.run', { bandsM: [400, 800, 1200] });
    svc.close();
  });
  afterAll(() => svc.close());

  it('every band polygon is valid and its ellipsoidal area matches area_m2', () => {
    const out = run('ogrinfo', [path, '-dialect', 'sqlite', '-sql', 'SELECT count(*) AS n, sum(ST_IsValid(geom)) AS valid, max(abs(ST_Area(geom, 1) - area_m2) / area_m2) AS worst FROM ekimae_catchment_polygons']);
    const n = Number(/n \(Integer\) = (\d+)/.exec(out)![1]);
    expect(n).toBe(33);
    expect(Number(/valid \(Integer\) = (\d+)/.exec(out)![1])).toBe(n);
    expect(Number(/worst \(Real\) = ([\d.e-]+)/.exec(out)![1])).toBeLessThan(1e-4);
  });

  it('the reached streets are a line layer GDAL reads without complaint', () => {
    const out = run('ogrinfo', ['-so', path, 'ekimae_catchment_streets']);
    expect(out).toMatch(/Geometry: Line String/);
    expect(Number(/Feature Count: (\d+)/.exec(out)![1])).toBeGreaterThan(1000);
    expect(out).not.toMatch(/ERROR|Warning/);
  });
});
