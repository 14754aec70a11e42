/**
 * Issue #16 point 5: odd field names, too many columns, a full disk and a read-only project fail
 * with coded errors that say what to do, and the project stays exactly as it was.
 * The disk-full and read-only cases need a real file system that fills up or refuses writes: a
 * 1 MB tmpfs and a read-only bind mount (root only; skipped elsewhere), plus the error mapping itself.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { Project } from '../../../core/store/project.js';
import { storageError } from '../../../core/store/storage-errors.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('ekimae-clean-');
const pt = (x: number) => ({ type: 'Point', coordinates: [100 + x * 1e-5, 13.8] });
const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });

describe('field names that are Object.prototype members', () => {
  const svc = new EkimaeService();
  afterAll(() => svc.close());

  it('constructor, toString, valueOf and hasOwnProperty import as fields; a feature without them has them empty', async () => {
    await svc.invoke('project.create', { path: join(dir, 'proto.gpkg'), settings: { name: 'proto' } });
    const f = join(dir, 'proto.geojson');
    writeFileSync(f, fc([
      { type: 'Feature', properties: { constructor: 'a', toString: 'b', valueOf: 3, hasOwnProperty: 'd' }, geometry: pt(0) },
      { type: 'Feature', properties: { other: 1 }, geometry: pt(1) },
    ]));
    await svc.invoke('layers.import', { path: f, name: 'proto' });
    const fc2 = await svc.invoke('layers.features', { layer: 'proto' });
    expect(fc2.features.map((x) => [x.properties.constructor, x.properties.toString, x.properties.valueOf, x.properties.hasOwnProperty])).toEqual([['a', 'b', 3, 'd'], [null, null, null, null]]);
    for (const format of ['geojson', 'gpkg', 'csv', 'shapefile'] as const) {
      expect((await svc.call('layers.export', { layers: ['proto'], format, path: join(dir, `proto-${format}.out`) })).ok).toBe(true);
    }
  });
});

describe('column limit', () => {
  const svc = new EkimaeService();
  afterAll(() => svc.close());
  const wide = (n: number) => {
    const f = join(dir, `wide${n}.geojson`);
    writeFileSync(f, fc([{ type: 'Feature', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, i])), geometry: pt(0) }]));
    return f;
  };

  it('1,998 fields import (SQLite allows 2,000 columns with fid and geom)', async () => {
    await svc.invoke('project.create', { path: join(dir, 'wide.gpkg'), settings: { name: 'wide' } });
    const r = await svc.invoke('layers.import', { path: wide(1998), name: 'w1998' });
    expect(r.layers[0].fields).toHaveLength(1998);
  });

  it('2,500 fields: E_TOO_MANY_FIELDS naming the count, before anything is written', async () => {
    const p = svc.requireProject();
    const before = p.logicalDigest();
    const r = await svc.call('layers.import', { path: wide(2500) });
    expect(!r.ok && r.error.code).toBe('E_TOO_MANY_FIELDS');
    expect(!r.ok && r.error.message).toContain('2500 fields');
    expect(p.logicalDigest()).toBe(before);
  });
});

describe('storage errors are mapped to codes', () => {
  it('ENOSPC and SQLITE_FULL are E_DISK_FULL; SQLITE_READONLY and EROFS are E_FILE_READONLY; EACCES only when writing', () => {
    const err = (code: string, message = code) => Object.assign(new Error(message), { code });
    expect(storageError(err('ENOSPC'), '/x')?.code).toBe('E_DISK_FULL');
    expect(storageError(err('SQLITE_FULL', 'database or disk is full'))?.code).toBe('E_DISK_FULL');
    expect(storageError(err('SQLITE_READONLY', 'attempt to write a readonly database'))?.code).toBe('E_FILE_READONLY');
    expect(storageError(err('EROFS'))?.code).toBe('E_FILE_READONLY');
    expect(storageError(err('EACCES'))).toBe(null);
    expect(storageError(err('EACCES'), '/x', true)?.code).toBe('E_FILE_READONLY');
    expect(storageError(err('EIO'))).toBe(null);
  });
});

const isRoot = process.getuid?.() === 0;
const mnt = join(dir, 'mnt');
const canMount = isRoot && (() => {
  mkdirSync(mnt, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt]).status === 0;
})();

describe.skipIf(!canMount)('a full disk (1 MB tmpfs)', () => {
  const svc = new EkimaeService();
  const project = join(mnt, 'p.gpkg');
  let digest = '';
  beforeAll(async () => {
    await svc.invoke('project.create', { path: project, settings: { name: 'full' } });
    const small = join(dir, 'small.geojson');
    writeFileSync(small, fc([0, 1, 2].map((i) => ({ type: 'Feature', properties: { code: `S${i}` }, geometry: pt(i) }))));
    await svc.invoke('layers.import', { path: small, name: 'small' });
    digest = svc.requireProject().logicalDigest();
  });
  afterAll(() => {
    svc.close();
    spawnSync('umount', ['-l', mnt]);
  });

  it('an import larger than the disk: E_DISK_FULL with help, project unchanged', async () => {
    const big = join(dir, 'big.geojson');
    writeFileSync(big, fc(Array.from({ length: 6000 }, (_, i) => ({ type: 'Feature', properties: { code: `B${i}`.padEnd(400, '.') }, geometry: pt(i) }))));
    const r = await svc.call('layers.import', { path: big });
    expect(!r.ok && r.error.code).toBe('E_DISK_FULL');
    expect(!r.ok && r.error.message).toContain('nothing was changed');
    expect(svc.requireProject().logicalDigest()).toBe(digest);
  });

  it('an export onto the full disk: E_DISK_FULL, no partial file', async () => {
    execFileSync('sh', ['-c', `dd if=/dev/zero of=${mnt}/filler bs=64k 2>/dev/null || true`]);
    try {
      for (const [format, file] of [['geojson', 'x.geojson'], ['gpkg', 'x.gpkg']] as const) {
        const r = await svc.call('layers.export', { layers: ['small'], format, path: join(mnt, file) });
        expect(!r.ok && r.error.code, format).toBe('E_DISK_FULL');
      }
      expect(readdirSync(mnt).filter((f) => /^x\./.test(f))).toEqual([]);
    } finally {
      execFileSync('rm', ['-f', `${mnt}/filler`]);
    }
    expect(svc.requireProject().logicalDigest()).toBe(digest);
  });

  it('once space is freed, the project closes and reopens intact (integrity check, same content)', async () => {
    // The failed import's pages still fill the -wal (SQLite discards them at the next checkpoint), so
    // closing needs the space back: the user frees some, as the error says.
    execFileSync('mount', ['-o', 'remount,size=4m', mnt]);
    svc.close();
    expect(existsSync(`${project}-wal`)).toBe(false);
    const p = Project.open(project, { readOnly: true });
    expect(p.database.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(p.logicalDigest()).toBe(digest);
    p.close();
  });
});

describe.skipIf(!canMount)('a read-only project (read-only bind mount)', () => {
  const src = join(dir, 'rw');
  const ro = join(dir, 'ro');
  beforeAll(() => {
    mkdirSync(src, { recursive: true });
    mkdirSync(ro, { recursive: true });
    const p = Project.create(join(src, 'p.gpkg'), { name: 'ro' });
    p.close();
    execFileSync('mount', ['--bind', src, ro]);
    execFileSync('mount', ['-o', 'remount,bind,ro', ro]);
  });
  afterAll(() => { spawnSync('umount', ['-l', ro]); });

  it('opening it for editing is E_FILE_READONLY saying to open it read-only; read-only opening works', async () => {
    const svc = new EkimaeService();
    const r = await svc.call('project.open', { path: join(ro, 'p.gpkg') });
    expect(!r.ok && r.error.code).toBe('E_FILE_READONLY');
    expect(!r.ok && r.error.message).toContain('read-only');
    expect((await svc.call('project.open', { path: join(ro, 'p.gpkg'), readOnly: true })).ok).toBe(true);
    svc.close();
    expect(existsSync(join(src, 'p.gpkg-wal'))).toBe(false);
  });
});

const mnt2 = join(dir, 'mnt2');
const canMount2 = canMount && (() => {
  mkdirSync(mnt2, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mnt2]).status === 0;
})();

describe.skipIf(!canMount2)('closing while the disk is still full', () => {
  afterAll(() => { spawnSync('umount', ['-l', mnt2]); });

  it('E_DISK_FULL saying the changes are in the -wal; after freeing space the project opens with them', async () => {
    const svc = new EkimaeService();
    const project = join(mnt2, 'p.gpkg');
    await svc.invoke('project.create', { path: project, settings: { name: 'full-on-close' } });
    const f = join(dir, 'close.geojson');
    // Big enough that the import's pages sit in the -wal and folding them in must grow the .gpkg.
    writeFileSync(f, fc(Array.from({ length: 200 }, (_, i) => ({ type: 'Feature', properties: { code: `C${i}`.padEnd(300, '.') }, geometry: pt(i) }))));
    await svc.invoke('layers.import', { path: f, name: 'kept' });
    const digest = svc.requireProject().logicalDigest();
    execFileSync('sh', ['-c', `dd if=/dev/zero of=${mnt2}/filler bs=4k 2>/dev/null || true`]);
    let code = '';
    let message = '';
    try { svc.close(); } catch (e) { code = (e as { code?: string }).code ?? ''; message = (e as Error).message; }
    expect(code).toBe('E_DISK_FULL');
    expect(message).toContain('Nothing is lost');
    expect(message).toContain(`${project}-wal`);
    expect(existsSync(`${project}-wal`)).toBe(true);
    execFileSync('rm', ['-f', `${mnt2}/filler`]);
    const p = Project.open(project);
    expect(p.database.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(p.logicalDigest()).toBe(digest);
    p.close();
    expect(existsSync(`${project}-wal`)).toBe(false);
  });
});
