import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const canRender = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('signed plan packages', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  let folder: string, zip: string, keyId: string;

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential', owner_name: 'Somchai Jaidee' }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.531, 13.8], [100.531, 13.801], [100.53, 13.8]]] } },
    ] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Package Test' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    const a = await svc.invoke('package.create', { out: join(dir, 'pkg') });
    const b = await svc.invoke('package.create', { out: join(dir, 'pkg2'), zip: true });
    folder = a.path; zip = b.path; keyId = a.keyId;
    expect(b.keyId).toBe(keyId); // one key per installation
  }, 180_000);

  it('verifies as made, folder and zip', async () => {
    expect(await svc.invoke('package.verify', { path: folder })).toMatchObject({ ok: true, problems: [], keyId });
    expect(await svc.invoke('package.verify', { path: zip, trustedKeyId: keyId })).toMatchObject({ ok: true });
  });

  it('plan.gpkg opens in GDAL and has no personal column', () => {
    const db = new Database(join(folder, 'plan.gpkg'), { readonly: true });
    const cols = (db.prepare('PRAGMA table_info(parcels)').all() as Array<{ name: string }>).map((c) => c.name);
    db.close();
    expect(cols).toContain('land_use');
    expect(cols).not.toContain('owner_name');
    expect(readFileSync(join(folder, 'plan.gpkg')).includes(Buffer.from('Somchai'))).toBe(false);
    if (requireToolOrSkip('ogrinfo')) expect(execFileSync('ogrinfo', ['-so', join(folder, 'plan.gpkg'), 'parcels'], { encoding: 'utf8' })).toContain('Feature Count: 1');
  });

  it('reports any changed byte, missing or extra file, and a rewritten manifest', async () => {
    const check = async (mutate: (d: string) => void) => {
      const d = join(dir, `t${Math.random().toString(36).slice(2)}`);
      cpSync(folder, d, { recursive: true });
      mutate(d);
      return svc.invoke('package.verify', { path: d });
    };
    const changed = await check((d) => { const b = readFileSync(join(d, 'report.pdf')); b[b.length >> 1] ^= 1; writeFileSync(join(d, 'report.pdf'), b); });
    expect(changed.ok).toBe(false);
    expect(changed.problems).toContain('report.pdf was changed (sha256 differs)');
    const extra = await check((d) => writeFileSync(join(d, 'notes.txt'), 'x'));
    expect(extra.problems).toContain('notes.txt is not listed in the manifest');
    const forged = await check((d) => {
      const m = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
      m.files[0].sha256 = '0'.repeat(64);
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(m, null, 2) + '\n');
    });
    expect(forged.problems.join('\n')).toMatch(/signature does not match/);
    const appended = await check((d) => appendFileSync(join(d, 'plan.gpkg'), 'x'));
    expect(appended.problems.join('\n')).toMatch(/plan\.gpkg has \d+ bytes/);
  });

  it('checks the signer when a trusted key id is given', async () => {
    const r = await svc.invoke('package.verify', { path: folder, trustedKeyId: '0123456789abcdef' });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/not the trusted key/);
  });

  it('a tampered zip entry fails', async () => {
    const entries = unzipSync(readFileSync(zip));
    entries['report.html'] = strToU8('<html>forged</html>');
    const bad = join(dir, 'bad.zip');
    writeFileSync(bad, zipSync(entries));
    const r = await svc.invoke('package.verify', { path: bad });
    expect(r.ok).toBe(false);
    expect(r.problems.join('\n')).toMatch(/report\.html/);
  });
});
