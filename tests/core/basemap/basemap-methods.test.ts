/** basemap.set / basemap.info / basemap.tile through the service, and their error paths. */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { makeVectorMbtiles, mbtilesTiles, pmtilesFromMbtiles } from '../../helpers/basemap.js';
import { gunzipSync } from 'node:zlib';

const dir = tmpDir('ekimae-basemap-api-');
const mbtiles = makeVectorMbtiles(dir);
const pmtiles = pmtilesFromMbtiles(mbtiles, join(dir, 'bang-sue.pmtiles'));
let n = 0;

const services: EkimaeService[] = [];
afterEach(() => { while (services.length) services.pop()!.close(); });

async function withProject() {
  const svc = new EkimaeService({ strictOutputs: true });
  services.push(svc);
  const p = join(dir, `p${++n}.gpkg`);
  copyFileSync('sample-data/bang-sue.gpkg', p);
  await svc.invoke('project.open', { path: p });
  return svc;
}

describe('basemap methods', () => {
  it('a project starts without a basemap', async () => {
    const svc = await withProject();
    expect(await svc.invoke('basemap.info', {})).toEqual({ path: null, enabled: true, archive: null, problem: null });
  });

  it.each([['MBTiles', () => mbtiles], ['PMTiles', () => pmtiles]])('set to a %s: kept in the project settings, tiles served as base64 of the unzipped tile', async (_k, file) => {
    const svc = await withProject();
    const s = await svc.invoke('basemap.set', { path: file() });
    expect(s).toMatchObject({ path: file(), enabled: true, problem: null, archive: { format: 'pbf', minzoom: 12, maxzoom: 15 } });
    expect((await svc.invoke('project.info', {})).settings.basemap).toEqual({ path: file(), enabled: true });
    const t = mbtilesTiles(mbtiles).tiles[5];
    const r = await svc.invoke('basemap.tile', { z: t.z, x: t.x, y: t.y });
    expect(r.format).toBe('pbf');
    expect(Buffer.from(r.data!, 'base64').equals(gunzipSync(t.data))).toBe(true);
    expect((await svc.invoke('basemap.tile', { z: 2, x: 0, y: 0 })).data).toBeNull();
  });

  it('switches off and on without forgetting the file, and clears', async () => {
    const svc = await withProject();
    await svc.invoke('basemap.set', { path: mbtiles });
    expect(await svc.invoke('basemap.set', { enabled: false })).toMatchObject({ path: mbtiles, enabled: false });
    expect((await svc.invoke('basemap.info', {})).enabled).toBe(false);
    expect(await svc.invoke('basemap.set', { enabled: true })).toMatchObject({ path: mbtiles, enabled: true });
    expect(await svc.invoke('basemap.set', { path: null })).toMatchObject({ path: null, archive: null });
  });

  it('E_FORMAT_UNKNOWN: a file that is no tile archive is refused and the setting stays as it was', async () => {
    const svc = await withProject();
    await svc.invoke('basemap.set', { path: mbtiles });
    const bad = join(dir, 'notes.pmtiles');
    writeFileSync(bad, 'not tiles at all');
    const r = await svc.call('basemap.set', { path: bad });
    expect(r.ok ? null : r.error.code).toBe('E_FORMAT_UNKNOWN');
    expect((await svc.invoke('project.info', {})).settings.basemap).toEqual({ path: mbtiles, enabled: true });
  });

  it('E_FILE_NOT_FOUND: a basemap file that is gone shows as a problem in info, and tile calls fail with the code', async () => {
    const svc = await withProject();
    const moved = join(dir, 'moving.mbtiles');
    copyFileSync(mbtiles, moved);
    await svc.invoke('basemap.set', { path: moved });
    rmSync(moved);
    const info = await svc.invoke('basemap.info', {});
    expect(info).toMatchObject({ path: moved, archive: null, problem: { code: 'E_FILE_NOT_FOUND' } });
    const r = await svc.call('basemap.tile', { z: 12, x: 0, y: 0 });
    expect(r.ok ? null : r.error.code).toBe('E_FILE_NOT_FOUND');
  });

  it('E_FILE_NOT_FOUND: tiles asked for when no basemap is set', async () => {
    const svc = await withProject();
    const r = await svc.call('basemap.tile', { z: 12, x: 0, y: 0 });
    expect(r.ok ? null : r.error.code).toBe('E_FILE_NOT_FOUND');
  });

  it('E_INPUT_INVALID: a tile address outside its zoom level', async () => {
    const svc = await withProject();
    await svc.invoke('basemap.set', { path: mbtiles });
    const r = await svc.call('basemap.tile', { z: 2, x: 4, y: 0 });
    expect(r.ok ? null : r.error.code).toBe('E_INPUT_INVALID');
  });

  it('E_PROJECT_NOT_OPEN: basemap methods need a project', async () => {
    const svc = new EkimaeService();
    services.push(svc);
    for (const m of ['basemap.info', 'basemap.set', 'basemap.tile'] as const) {
      const r = await svc.call(m, m === 'basemap.tile' ? { z: 0, x: 0, y: 0 } : {});
      expect(r.ok ? null : r.error.code, m).toBe('E_PROJECT_NOT_OPEN');
    }
  });
});
