/**
 * Hostile GeoPackages (issue #16, 4): views and triggers Ekimae did not create are refused at open
 * with a coded error naming them, before anything reads or writes; a view in a GeoPackage to import
 * is left out, never read; a query that never ends is cut by the deadline of the process it runs in.
 * Cases and expected answers: tests/fixtures/hostile-gpkg/SOURCE.md.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { Project } from '../../../core/store/project.js';
import { foreignSchemaObjects } from '../../../core/store/schema-guard.js';
import { probeSqlite } from '../../../core/io/sqlite-probe.js';
import { tmpDir } from '../../helpers/tmp.js';

const FIX = new URL('../../fixtures/hostile-gpkg/', import.meta.url).pathname;
const dir = tmpDir('ekimae-hostile-');
let n = 0;
const hasGdal = spawnSync('ogr2ogr', ['--version']).status === 0;
const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** An Ekimae project with the stations layer and a name setting, closed. */
async function project(): Promise<string> {
  const path = join(dir, `p${++n}.gpkg`);
  const svc = new EkimaeService();
  await svc.invoke('project.create', { path, settings: { name: 'Bang Sue TOD' } });
  await svc.invoke('layers.import', { path: join(FIX, 'stations.geojson'), name: 'stations', role: 'stations' });
  svc.close();
  return path;
}

/** Plant a case's SQL with a plain SQLite connection, as anyone editing the file could. */
function plant(path: string, kase: string): void {
  const db = new Database(path);
  db.exec(readFileSync(join(FIX, kase, 'plant.sql'), 'utf8'));
  db.close();
}

async function openError(path: string) {
  const svc = new EkimaeService();
  const r = await svc.call('project.open', { path });
  svc.close();
  return r.ok ? null : r.error;
}

describe('a project with foreign triggers or views', () => {
  it('planted trigger: refused naming it, the file unchanged; after the DROP the message gives, it opens with its settings', async () => {
    const path = await project();
    plant(path, 'planted-trigger');
    const before = sha(path);
    const e = await openError(path);
    expect(e?.code).toBe('E_PROJECT_UNTRUSTED_SCHEMA');
    expect(e?.message).toContain('trigger "wipe_settings"');
    expect(e?.message).toContain('writes to ekimae_settings, ekimae_meta');
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
    if (!hasSqlite3) return;
    const sql = /sqlite3 copy\.gpkg '(.*)'$/.exec(e!.message)![1];
    expect(sql).toBe('DROP TRIGGER "wipe_settings";');
    expect(spawnSync('sqlite3', [path, sql]).status).toBe(0);
    const p = Project.open(path);
    expect(p.settings().name).toBe('Bang Sue TOD');
    expect(p.layer('stations').count).toBe(2);
    p.close();
  });

  it('a trigger named like the R-tree one that also writes elsewhere (hidden behind a comment) is refused', async () => {
    const path = await project();
    plant(path, 'disguised-rtree-trigger');
    const e = await openError(path);
    expect(e?.code).toBe('E_PROJECT_UNTRUSTED_SCHEMA');
    expect(e?.message).toContain('trigger "rtree_stations_geom_insert" (is named like an R-tree trigger but writes to ekimae_settings)');
  });

  it('a recursive view registered as a layer: refused at open without reading it', async () => {
    const path = await project();
    plant(path, 'recursive-view-project');
    const before = sha(path);
    const e = await openError(path);
    expect(e?.code).toBe('E_PROJECT_UNTRUSTED_SCHEMA');
    expect(e?.message).toContain('view "endless"');
    expect(sha(path)).toBe(before);
  });

  it.skipIf(!hasGdal)('what GDAL adds under the standard (a layer appended by ogr2ogr, its R-tree triggers) still opens', async () => {
    const path = await project();
    expect(spawnSync('ogr2ogr', ['-f', 'GPKG', '-update', path, join(FIX, 'stations.geojson'), '-nln', 'extra']).status).toBe(0);
    const p = Project.open(path);
    expect(p.layers().map((l) => [l.name, l.count])).toEqual([['extra', 2], ['stations', 2]]);
    p.close();
  });

  it.skipIf(!hasGdal)('every trigger of a GeoPackage GDAL writes (R-tree, feature count, tile matrix checks) passes the guard', () => {
    const path = join(dir, `gdal${++n}.gpkg`);
    expect(spawnSync('ogr2ogr', ['-f', 'GPKG', path, join(FIX, 'stations.geojson'), '-nln', 'stations']).status).toBe(0);
    const db = new Database(path, { readonly: true });
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all();
    expect(triggers.length).toBeGreaterThan(6);
    expect(foreignSchemaObjects(db)).toEqual([]);
    db.close();
  });
});

describe('importing a GeoPackage that holds a recursive view', () => {
  async function withSource() {
    const src = join(dir, `src${++n}.gpkg`);
    if (hasGdal) expect(spawnSync('ogr2ogr', ['-f', 'GPKG', src, join(FIX, 'stations.geojson'), '-nln', 'stations']).status).toBe(0);
    else copyFileSync(await project(), src);
    plant(src, 'recursive-view-source');
    const svc = new EkimaeService();
    await svc.invoke('project.create', { path: join(dir, `into${n}.gpkg`), settings: { name: 'into' } });
    return { src, svc };
  }

  it('imports the table layer and flags the view as left out', async () => {
    const { src, svc } = await withSource();
    const r = await svc.invoke('layers.import', { path: src });
    expect(r.layers.map((l) => [l.name, l.count])).toEqual([['stations', 2]]);
    expect(r.issues.map((i) => i.message).join('\n')).toContain('layer endless of');
    expect(r.issues.find((i) => i.message.includes('endless'))?.action).toBe('flagged');
    svc.close();
  });

  it('asking for the view alone is E_LAYER_NOT_FOUND and leaves the project as it was', async () => {
    const { src, svc } = await withSource();
    const p = svc.requireProject();
    const before = p.logicalDigest();
    const r = await svc.call('layers.import', { path: src, options: { layers: ['endless'] } });
    expect(r.ok ? null : r.error.code).toBe('E_LAYER_NOT_FOUND');
    expect(r.ok ? '' : r.error.message).toContain('is a view');
    expect(p.logicalDigest()).toBe(before);
    svc.close();
  });

  it('a query that never ends is stopped at its deadline with E_SOURCE_TIMEOUT', async () => {
    const { src } = await withSource();
    let code: string | null = null;
    try {
      probeSqlite(src, ['SELECT count(*) FROM endless'], 1500);
    } catch (e) { code = (e as { code: string }).code; }
    expect(code).toBe('E_SOURCE_TIMEOUT');
    // The same probe on a statement that ends answers normally (the deadline is not what decided).
    const ok = probeSqlite(src, ['SELECT count(*) AS n FROM stations'], 10_000);
    expect(ok).toEqual({ ok: true, results: [[{ n: 2 }]] });
  });
});
