/** `ekimae review` in-process: list, add at a place and on a parcel, resolve, export; usage errors exit 2. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../core/cli/main.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const canRender = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

async function cli(argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe.skipIf(!canRender)('ekimae review', () => {
  const dir = tmpDir();
  let pkg: string;

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      // 100.530..100.532 x 13.800..13.802: centre (100.531, 13.801)
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.532, 13.8], [100.532, 13.802], [100.53, 13.802], [100.53, 13.8]]] } },
    ] }));
    const svc = new EkimaeService();
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'CLI Review' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    pkg = (await svc.invoke('package.create', { out: join(dir, 'pkg'), zip: true })).path;
    svc.close();
  }, 180_000);

  it('adds at a place and on a parcel, lists, resolves and exports', async () => {
    const a = await cli(['review', pkg, '--add', 'Widen this footpath', '--at', '100.5305,13.8012', '--author', 'Council']);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('100.530500,13.801200');
    const b = await cli(['review', pkg, '--add', 'Parcel too dense', '--parcel', 'parcels:1', '--author', 'Ward', '--json']);
    expect(b.code, b.err).toBe(0);
    const added = JSON.parse(b.out);
    expect(added).toMatchObject({ layer: 'parcels', fid: 1, author: 'Ward', status: 'open' });
    expect(added.lon).toBeCloseTo(100.531, 12);
    expect(added.lat).toBeCloseTo(13.801, 12);
    const l = await cli(['review', pkg, '--list']);
    expect(l.code).toBe(0);
    expect(l.out).toMatch(/2 comment\(s\) in .*pkg\.review\.gpkg/);
    expect(l.out).toContain('Council, ');
    expect(l.out).toContain('Widen this footpath');
    const r = await cli(['review', pkg, '--resolve', added.id]);
    expect(r.out).toContain('[resolved]');
    const e = await cli(['review', pkg, '--export', join(dir, 'comments.geojson')]);
    expect(e.code, e.err).toBe(0);
    expect(e.out).toContain('2 comments');
    expect(existsSync(join(dir, 'comments.geojson'))).toBe(true);
  });

  it('exit 1 with the code for bad data, 2 for bad usage', async () => {
    const far = await cli(['review', pkg, '--add', 'x', '--at', '0,0']);
    expect(far.code).toBe(1);
    expect(far.err).toContain('E_COORD_INVALID');
    const fid = await cli(['review', pkg, '--add', 'x', '--parcel', 'parcels:42']);
    expect(fid.code).toBe(1);
    expect(fid.err).toContain('E_FEATURE_NOT_FOUND');
    expect((await cli(['review', pkg, '--add', 'x'])).code).toBe(2);
    expect((await cli(['review', pkg, '--add', 'x', '--at', '100.53'])).code).toBe(2);
    expect((await cli(['review', pkg, '--add', 'x', '--at', 'abc,13.8'])).code).toBe(2);
    expect((await cli(['review', pkg, '--export', join(dir, 'c.csv')])).code).toBe(2);
    expect((await cli(['review', pkg, '--at', '100.53,13.8'])).code).toBe(2);
    expect((await cli(['review', join(dir, 'nowhere.zip'), '--list'])).err).toContain('E_FILE_NOT_FOUND');
  });
});
