/**
 * The shared PostGIS project store (issue #15, 1–3) against a real PostgreSQL 15 + PostGIS started
 * for this file (tests/helpers/postgres.ts): push writes every layer as a PostGIS table (SRID, GiST
 * index) and the ekimae_* tables; GDAL's PostgreSQL driver (what QGIS uses) reads the schema as it is;
 * pull gives back a file equal to the original (logical digest, and ogrinfo's summary of both files);
 * two OS processes editing one project at once: different scenarios both land, the same scenario
 * lands once and the other gets E_CONFLICT (its change saved as a new scenario on request); layer
 * edits wait for the layer's lock; the database role is kept; passwords are never printed or stored.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../core/cli/main.js';
import { EkimaeService } from '../../../core/api/service.js';
import { Project } from '../../../core/store/project.js';
import { findPostgres, startPostgres, type PgServer } from '../../helpers/postgres.js';
import { tmpDir } from '../../helpers/tmp.js';
import { hasTool } from '../../helpers/tools.js';

// Child processes each open their own working copy of the Bang Sue sample; on a loaded 2-core machine that takes a while.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const SAMPLE = join(ROOT, 'sample-data/bang-sue.gpkg');
const WORKER = join(ROOT, 'tests/core/postgis/save-worker.ts');
const found = findPostgres();
const dir = tmpDir('ekimae-pgstore-');
const haveGdal = hasTool('ogrinfo');

async function cli(argv: string[]) {
  const out: string[] = [], err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: async () => '' });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Every row of every table of a GeoPackage (blobs as hex), by table: what "equal" means for a pull. */
function rowsOf(file: string): Record<string, string[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'rtree_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT * FROM "${t}"`).raw(true).all() as unknown[][])
      .map((r) => JSON.stringify(r.map((v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))).sort()]));
  } finally { db.close(); }
}

/** ogrinfo's per-layer summary (feature count, geometry, extent, fields) without the file's name. */
function ogrSummary(source: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync('ogrinfo', ['-ro', '-al', '-so', source], { encoding: 'utf8', env });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter((l) => /^(Layer name|Geometry|Feature Count|Extent)/.test(l)).join('\n');
}

function runWorker(url: string, id: string, name: string, go: string, asNew = false): { ready: Promise<void>; done: Promise<{ ok: boolean; value?: Record<string, unknown>; error?: { code: string; message: string; details?: Record<string, unknown> } }>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, id, name, go, ...(asNew ? ['--as-new'] : [])], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  let readyResolve: () => void;
  const ready = new Promise<void>((r) => { readyResolve = r; });
  child.stdout.on('data', (d) => { out += d; if (out.includes('ready\n')) readyResolve(); });
  child.stderr.on('data', (d) => { err += d; });
  const done = new Promise<ReturnType<typeof JSON.parse>>((res, rej) => {
    child.on('close', (code) => {
      readyResolve();
      const line = out.split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) rej(new Error(`worker ${name} exited ${code} without a result: ${err}`));
      else res(JSON.parse(line));
    });
  });
  return { ready, done, stderr: () => err };
}

describe.skipIf(!found.bin)(`PostGIS project store${found.bin ? '' : ` — skipped: ${found.reason}`}`, () => {
  let server: PgServer;
  let admin: pg.Client;
  const original = join(dir, 'bang-sue.gpkg');
  const url = (schema: string) => `${server.url}?schema=${schema}`;
  const q = async (sql: string, params: unknown[] = []) => (await admin.query(sql, params)).rows as Array<Record<string, unknown>>;
  const pgEnv = () => ({ ...process.env, PGPASSWORD: server.password });
  const pgSource = (schema: string) => `PG:host=127.0.0.1 port=${server.port} dbname=${server.database} user=${server.user} schemas=${schema}`;

  beforeAll(async () => {
    server = await startPostgres();
    admin = new pg.Client({ connectionString: server.url, types: { getTypeParser: (oid: number, f?: string) => (oid === 20 ? Number : pg.types.getTypeParser(oid, f as 'text')) } as never });
    await admin.connect();
    copyFileSync(SAMPLE, original);
  });
  afterAll(async () => {
    await admin?.end().catch(() => undefined);
    await server?.stop();
  });

  describe('push and pull (Bang Sue sample)', () => {
    let pushOut = '';
    it('push writes every layer as a PostGIS table with its SRID and a GiST index, and every ekimae_* table', async () => {
      const r = await cli(['push', original, url('bangsue')]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      pushOut = r.out;
      const file = new Database(original, { readonly: true });
      const layers = file.prepare("SELECT c.table_name AS t, g.srs_id AS srs FROM gpkg_contents c JOIN gpkg_geometry_columns g USING (table_name) WHERE data_type = 'features' ORDER BY 1").all() as Array<{ t: string; srs: number }>;
      const ekimae = (file.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'ekimae\\_%' ESCAPE '\\' ORDER BY 1").all() as Array<{ name: string }>).map((r) => r.name);
      expect(layers.length).toBe(8);
      for (const l of layers) {
        const [srid] = await q(`SELECT Find_SRID('bangsue', $1, 'geom') AS s`, [l.t]);
        expect(srid.s).toBe(l.srs);
        const gist = await q(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'bangsue' AND tablename = $1 AND indexdef LIKE '%USING gist (geom)%'`, [l.t]);
        expect(gist).toHaveLength(1);
        const n = file.prepare(`SELECT count(*) AS n FROM "${l.t}"`).get() as { n: number };
        const [m] = await q(`SELECT count(*)::int AS n FROM bangsue."${l.t}"`);
        expect(m.n).toBe(n.n);
      }
      for (const t of ekimae) {
        const n = file.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number };
        const [m] = await q(`SELECT count(*)::int AS n FROM bangsue."${t}"`);
        expect([t, m.n]).toEqual([t, n.n]);
      }
      // A geometry read back by PostGIS equals the file's (checked through GDAL's own reading of the file below too).
      const parcel = file.prepare('SELECT fid FROM parcels ORDER BY fid LIMIT 1').get() as { fid: number };
      const [area] = await q(`SELECT ST_Area(geom::geography) AS a, ST_IsValid(geom) AS v FROM bangsue.parcels WHERE fid = $1`, [parcel.fid]);
      expect(area.v).toBe(true);
      expect(Number(area.a)).toBeGreaterThan(0);
      file.close();
    });

    it.skipIf(!haveGdal)('GDAL\'s PostgreSQL driver (what QGIS uses) reads the schema: same layers, counts, geometry types and extents as the file', () => {
      const fromFile = ogrSummary(original).split('\n').filter((l) => !/^Layer name: ekimae_/.test(l));
      const fromDb = ogrSummary(pgSource('bangsue'), pgEnv());
      for (const layer of ['stations', 'entrances', 'rail', 'network', 'parcels', 'buildings', 'census', 'development_zones']) {
        const block = (s: string) => { const m = new RegExp(`Layer name: ${layer}\\n([\\s\\S]*?)(?=\\nLayer name|$)`).exec(s); return m?.[1] ?? ''; };
        const a = block(fromFile.join('\n')), b = block(fromDb);
        expect(b, layer).toMatch(/Feature Count: \d+/);
        expect(/Feature Count: (\d+)/.exec(b)?.[1], layer).toBe(/Feature Count: (\d+)/.exec(a)?.[1]);
        // Extents agree to the printed precision (PostGIS and the GeoPackage hold the same coordinates).
        expect(/Extent: .*/.exec(b)?.[0], layer).toBe(/Extent: .*/.exec(a)?.[0]);
      }
    });

    it('pull gives back a GeoPackage equal to the original: same tables, rows and logical digest; ogrinfo agrees', async () => {
      const out = join(dir, 'pulled.gpkg');
      const r = await cli(['pull', url('bangsue'), out]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(rowsOf(out)).toEqual(rowsOf(original));
      const a = Project.open(original, { readOnly: true }), b = Project.open(out, { readOnly: true });
      expect(b.logicalDigest()).toBe(a.logicalDigest());
      a.close(); b.close();
      if (haveGdal) expect(ogrSummary(out)).toBe(ogrSummary(original));
      // Neither output nor file carries the password.
      expect(pushOut + r.out).not.toContain(server.password);
      expect(readFileSync(out).includes(Buffer.from(server.password))).toBe(false);
    });

    it('pushing onto a schema that already holds a project is E_PROJECT_EXISTS and leaves it as it was', async () => {
      const [before] = await q(`SELECT count(*)::int AS n FROM bangsue.ekimae_pg_audit`);
      const r = await cli(['push', original, url('bangsue')]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('E_PROJECT_EXISTS');
      const [after] = await q(`SELECT count(*)::int AS n FROM bangsue.ekimae_pg_audit`);
      expect(after.n).toBe(before.n);
    });

    it('pulling a schema with no project is E_PROJECT_NOT_FOUND and writes no file', async () => {
      const out = join(dir, 'none.gpkg');
      const r = await cli(['pull', url('nothing_here'), out]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('E_PROJECT_NOT_FOUND');
      expect(spawnSync('test', ['-e', out]).status).toBe(1);
    });
  });

  describe('several people at once', () => {
    let base = '';
    beforeAll(async () => {
      base = join(dir, 'team-base.gpkg');
      copyFileSync(SAMPLE, base);
      // The shared project starts with the four default scenarios (saved through a working copy: write-through).
      const r = await cli(['push', base, url('team')]);
      expect(r.code).toBe(0);
      const svc = new EkimaeService();
      await svc.invoke('project.open', { path: url('team') });
      expect((await svc.invoke('scenario.defaults', {})).added).toEqual(expect.arrayContaining(['existing', 'trend', 'tod-moderate', 'tod-intensive']));
      svc.close();
    });

    it('a project opened from the database reports the address without its password', async () => {
      const svc = new EkimaeService();
      const info = await svc.invoke('project.open', { path: url('team') });
      expect(info.path).toBe(url('team').replace(`:${encodeURIComponent(server.password)}@`, ':***@'));
      expect(info.layers.map((l) => l.name)).toContain('parcels');
      const list = await svc.invoke('scenario.list', {});
      expect(list.map((s) => s.id)).toEqual(expect.arrayContaining(['existing', 'trend', 'tod-moderate', 'tod-intensive']));
      svc.close();
    });

    it('project.openDatabase (the app\'s File ▸ Open database…) opens it the same way; a file path there is E_INPUT_INVALID', async () => {
      const svc = new EkimaeService();
      const info = await svc.invoke('project.openDatabase', { url: url('team'), readOnly: true });
      expect(info.readOnly).toBe(true);
      expect(info.path).toContain(':***@');
      expect(info.path).not.toContain(server.password);
      const bad = await svc.call('project.openDatabase', { url: '/tmp/site.gpkg' });
      expect(bad.ok ? null : bad.error.code).toBe('E_INPUT_INVALID');
      svc.close();
    });

    it('two processes saving different scenarios at once: both land', async () => {
      const go = join(dir, 'go-different');
      const a = runWorker(url('team'), 'trend', 'Trend (edited by A)', go);
      const b = runWorker(url('team'), 'tod-moderate', 'TOD moderate (edited by B)', go);
      await Promise.all([a.ready, b.ready]);
      writeFileSync(go, '');
      const [ra, rb] = await Promise.all([a.done, b.done]);
      expect(ra, a.stderr()).toMatchObject({ ok: true, value: { id: 'trend', version: 2 } });
      expect(rb, b.stderr()).toMatchObject({ ok: true, value: { id: 'tod-moderate', version: 2 } });
      const rows = await q(`SELECT scenario_id, version, name FROM team.ekimae_scenarios WHERE version = 2 ORDER BY scenario_id`);
      expect(rows).toEqual([{ scenario_id: 'tod-moderate', version: 2, name: 'TOD moderate (edited by B)' }, { scenario_id: 'trend', version: 2, name: 'Trend (edited by A)' }]);
    });

    it('two processes saving the same scenario from the same version: exactly one lands, the other gets E_CONFLICT and keeps its change as a new scenario', async () => {
      const go = join(dir, 'go-same');
      const a = runWorker(url('team'), 'tod-intensive', 'Intensive (planner A)', go, true);
      const b = runWorker(url('team'), 'tod-intensive', 'Intensive (planner B)', go, true);
      await Promise.all([a.ready, b.ready]);
      writeFileSync(go, '');
      const results = await Promise.all([a.done, b.done]);
      const plain = results.filter((r) => r.ok && !r.value?.savedAsNewAfter);
      const refused = results.filter((r) => r.ok && r.value?.savedAsNewAfter);
      expect(plain, JSON.stringify(results)).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(plain[0].value).toMatchObject({ id: 'tod-intensive', version: 2 });
      const conflict = refused[0].value!.savedAsNewAfter as { code: string; message: string; details: Record<string, unknown> };
      expect(conflict.code).toBe('E_CONFLICT');
      expect(conflict.details).toMatchObject({ scenarioId: 'tod-intensive', yourVersion: 2, baseVersion: 1, currentVersion: 2, savedBy: server.user });
      const loser = refused[0].value!.name as string;
      expect(loser).toMatch(/^Intensive \(planner [AB]\) \(copy\)$/);
      // Both versions kept: v1, the winner's v2, and the refused change as a scenario of its own.
      const rows = await q(`SELECT scenario_id, version, name FROM team.ekimae_scenarios WHERE scenario_id LIKE 'tod-intensive%' OR name = $1 ORDER BY scenario_id, version`, [loser]);
      expect(rows.map((r) => [r.scenario_id, r.version])).toEqual([['intensive-planner-' + (loser.includes('(planner A)') ? 'a' : 'b') + '-copy', 1], ['tod-intensive', 1], ['tod-intensive', 2]]);
      expect(rows.find((r) => r.scenario_id === 'tod-intensive' && r.version === 2)!.name).toBe(plain[0].value!.name);
    });

    it('a refused save changes nothing in the working copy or the database (in-process: two working copies)', async () => {
      const one = new EkimaeService(), two = new EkimaeService();
      await one.invoke('project.open', { path: url('team') });
      await two.invoke('project.open', { path: url('team') });
      const cur = await one.invoke('scenario.get', { id: 'existing' });
      await one.invoke('scenario.save', { id: 'existing', scenario: { ...cur.definition, name: 'Existing (one)' } });
      const [before] = await q(`SELECT count(*)::int AS n FROM team.ekimae_scenarios`);
      const r = await two.call('scenario.save', { id: 'existing', scenario: { ...cur.definition, name: 'Existing (two)' } });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('E_CONFLICT');
      const [after] = await q(`SELECT count(*)::int AS n FROM team.ekimae_scenarios`);
      expect(after.n).toBe(before.n);
      // The refused copy now holds the other save too, so its next save is the next version.
      const seen = await two.invoke('scenario.get', { id: 'existing' });
      expect([seen.version, seen.name]).toEqual([2, 'Existing (one)']);
      const next = await two.invoke('scenario.save', { id: 'existing', scenario: { ...cur.definition, name: 'Existing (two, after reading one)' } });
      expect(next.version).toBe(3);
      one.close(); two.close();
    });

    it('ekimae call … --as-new: a CLI save that lost the race to another save is kept as a new scenario (exit 0), the other save untouched', async () => {
      const cur = await q(`SELECT definition_json FROM team.ekimae_scenarios WHERE scenario_id = 'master-plan' ORDER BY version DESC LIMIT 1`);
      const def = JSON.parse(String(cur[0].definition_json));
      const input = join(dir, 'mp.json');
      writeFileSync(input, JSON.stringify({ id: 'master-plan', scenario: { ...def, name: 'Master plan (CLI)' } }));
      // Another planner holds the scenario's lock; the CLI opens its copy, then waits at its save.
      const holder = new pg.Client({ connectionString: server.url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ekimae:team:scenario:master-plan']);
      const child = spawn(process.execPath, [join(ROOT, 'bin/ekimae.mjs'), 'call', 'scenario.save', input, '--project', url('team'), '--as-new'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '', gone = false;
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { err += d; });
      const exited = new Promise<number | null>((res) => child.on('close', (code) => { gone = true; res(code); }));
      let waiting = false;
      for (let i = 0; i < 400 && !waiting && !gone; i++) {
        waiting = (await q(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'ekimae' AND wait_event_type = 'Lock' AND wait_event = 'advisory'`)).length > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 100));
      }
      expect(waiting, err).toBe(true);
      // Meanwhile the other planner saves version 2 of the same scenario, and lets go.
      await holder.query(`INSERT INTO team.ekimae_scenarios (fid, scenario_id, version, name, definition_json, note, created_at)
        SELECT 999, scenario_id, 2, 'Master plan (other planner)', definition_json, null, '2026-12-06T23:00:00.000Z' FROM team.ekimae_scenarios WHERE scenario_id = 'master-plan' AND version = 1`);
      await holder.query('COMMIT');
      await holder.end();
      expect(await exited, err).toBe(0);
      expect(err).toContain('E_CONFLICT');
      expect(err).toContain('--as-new');
      expect(err + out).not.toContain(server.password);
      expect(JSON.parse(out)).toMatchObject({ id: 'master-plan-cli-copy', version: 1, name: 'Master plan (CLI) (copy)' });
      expect(await q(`SELECT scenario_id, version, name FROM team.ekimae_scenarios WHERE scenario_id LIKE 'master-plan%' ORDER BY scenario_id, version`)).toEqual([
        { scenario_id: 'master-plan', version: 1, name: expect.any(String) },
        { scenario_id: 'master-plan', version: 2, name: 'Master plan (other planner)' },
        { scenario_id: 'master-plan-cli-copy', version: 1, name: 'Master plan (CLI) (copy)' },
      ]);
    });

    it('pull afterwards equals the original plus exactly the saved scenarios', async () => {
      const out = join(dir, 'team-pulled.gpkg');
      const r = await cli(['pull', url('team'), out]);
      expect(r.code).toBe(0);
      const got = rowsOf(out), want = rowsOf(base);
      for (const t of Object.keys(want)) if (t !== 'ekimae_scenarios') expect([t, got[t]]).toEqual([t, want[t]]);
      expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
      const db = new Database(out, { readonly: true });
      const scen = db.prepare('SELECT scenario_id, version, name FROM ekimae_scenarios ORDER BY scenario_id, version').all() as Array<{ scenario_id: string; version: number; name: string }>;
      db.close();
      const ids = scen.map((s) => `${s.scenario_id} v${s.version}`);
      expect(ids).toEqual(expect.arrayContaining(['existing v1', 'existing v2', 'existing v3', 'trend v1', 'trend v2', 'tod-moderate v1', 'tod-moderate v2', 'tod-intensive v1', 'tod-intensive v2']));
      expect(scen).toHaveLength(13);
    });

    it('project.reload brings colleagues\' saves into an open working copy, keeps its own, and is E_INPUT_INVALID on a file', async () => {
      const one = new EkimaeService(), two = new EkimaeService();
      try {
        await one.invoke('project.open', { path: url('team') });
        await two.invoke('project.open', { path: url('team') });
        const trend = await two.invoke('scenario.get', { id: 'trend' });
        const mine = await one.invoke('scenario.get', { id: 'existing' });
        const own = await one.invoke('scenario.save', { id: 'existing', scenario: { ...mine.definition, name: 'Existing (one, before reloading)' } });
        const theirs = await two.invoke('scenario.save', { id: 'trend', scenario: { ...trend.definition, name: 'Trend (two, while one had it open)' } });
        // A working copy does not follow other saves by itself…
        expect((await one.invoke('scenario.get', { id: 'trend' })).version).toBe(trend.version);
        // …until it is reloaded: then it holds theirs and its own.
        const info = await one.invoke('project.reload', {});
        expect(info.path).toBe(url('team').replace(`:${encodeURIComponent(server.password)}@`, ':***@'));
        expect(info.readOnly).toBe(false);
        const seen = await one.invoke('scenario.get', { id: 'trend' });
        expect([seen.version, seen.name]).toEqual([theirs.version, 'Trend (two, while one had it open)']);
        const kept = await one.invoke('scenario.get', { id: 'existing' });
        expect([kept.version, kept.name]).toEqual([own.version, 'Existing (one, before reloading)']);
        // The reloaded copy writes through like the first: its next save is the next version in the database.
        const next = await one.invoke('scenario.save', { id: 'trend', scenario: { ...seen.definition, name: 'Trend (one, after reloading)' } });
        expect(next.version).toBe(theirs.version + 1);
        expect(await q(`SELECT name FROM team.ekimae_scenarios WHERE scenario_id = 'trend' AND version = $1`, [next.version])).toEqual([{ name: 'Trend (one, after reloading)' }]);
        // A file has nothing to reload; the project stays open as it was.
        const file = join(dir, 'reload-file.gpkg');
        copyFileSync(SAMPLE, file);
        await two.invoke('project.open', { path: file });
        const r = await two.call('project.reload', {});
        expect(r.ok ? null : r.error.code).toBe('E_INPUT_INVALID');
        expect((await two.invoke('project.info', {})).path).toBe(file);
      } finally { one.close(); two.close(); }
    });
  });

  describe('engines on a shared project', () => {
    it('a walk catchment run on the database project gives the same answer as on the file, and its rows land in PostgreSQL', async () => {
      const file = join(dir, 'engines.gpkg');
      copyFileSync(SAMPLE, file);
      expect((await cli(['push', file, url('engines')])).code).toBe(0);
      const onFile = new EkimaeService(), onDb = new EkimaeService();
      await onFile.invoke('project.open', { path: file });
      await onDb.invoke('project.open', { path: url('engines') });
      const a = await onFile.invoke('catchment.run', {});
      const b = await onDb.invoke('catchment.run', {});
      const strip = (r: Record<string, unknown>) => { const { runId: _r, createdAt: _c, ...rest } = r; return rest; };
      expect(strip(b as never)).toEqual(strip(a as never));
      onFile.close(); onDb.close();
      const parcels = (new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM parcels').get() as { n: number }).n;
      expect(await q(`SELECT count(*)::int AS n FROM engines.ekimae_catchment_parcels`)).toEqual([{ n: parcels }]);
      expect(await q(`SELECT count(*)::int AS n, min(ekimae_changed_by) AS who FROM engines.ekimae_catchment_runs`)).toEqual([{ n: 1, who: server.user }]);
    }, 300_000);
  });

  describe('layers, roles and the audit trail', () => {
    beforeAll(async () => {
      await server.addRole('planner_a', 'planner-a-pw');
      const file = join(dir, 'layers.gpkg');
      copyFileSync(SAMPLE, file);
      const r = await cli(['push', file, url('layers')]);
      expect(r.code).toBe(0);
      await q('GRANT USAGE ON SCHEMA layers TO planner_a; GRANT ALL ON ALL TABLES IN SCHEMA layers TO planner_a; GRANT ALL ON ALL SEQUENCES IN SCHEMA layers TO planner_a; GRANT CREATE ON SCHEMA layers TO planner_a');
    });
    const plannerUrl = () => `postgresql://planner_a:planner-a-pw@127.0.0.1:${server.port}/${server.database}?schema=layers`;

    it('an import through the database becomes a PostGIS table, and its provenance and rows name the database role that wrote them', async () => {
      const geo = join(dir, 'kiosks.geojson');
      writeFileSync(geo, JSON.stringify({ type: 'FeatureCollection', features: [
        { type: 'Feature', properties: { name: 'Kiosk 1' }, geometry: { type: 'Point', coordinates: [100.5301, 13.8031] } },
        { type: 'Feature', properties: { name: 'Kiosk 2' }, geometry: { type: 'Point', coordinates: [100.5311, 13.8041] } },
      ] }));
      const r = await cli(['import', plannerUrl(), geo, '--name', 'kiosks', '--role', 'other']);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(await q(`SELECT fid, ST_AsText(geom) AS g, name, ekimae_changed_by AS who FROM layers.kiosks ORDER BY fid`)).toEqual([
        { fid: 1, g: 'POINT(100.5301 13.8031)', name: 'Kiosk 1', who: 'planner_a' }, { fid: 2, g: 'POINT(100.5311 13.8041)', name: 'Kiosk 2', who: 'planner_a' }]);
      expect(await q(`SELECT Find_SRID('layers', 'kiosks', 'geom') AS s`)).toEqual([{ s: 4326 }]);
      const prov = await q(`SELECT source_file, features_written, ekimae_changed_by AS who FROM layers.ekimae_provenance WHERE table_name = 'kiosks'`);
      expect(prov).toEqual([{ source_file: 'kiosks.geojson', features_written: 2, who: 'planner_a' }]);
      const audit = await q(`SELECT action, db_role FROM layers.ekimae_pg_audit ORDER BY id DESC LIMIT 1`);
      expect(audit).toEqual([{ action: 'layers.import', db_role: 'planner_a' }]);
    });

    it('a layer edit waits while another writer holds the layer\'s lock, then lands', async () => {
      const holder = new pg.Client({ connectionString: server.url });
      await holder.connect();
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ekimae:layers:layer:buildings']);
      const input = join(dir, 'role.json');
      writeFileSync(input, JSON.stringify({ layer: 'buildings', role: 'other' }));
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bin/ekimae.mjs'), 'call', 'layers.setRole', input, '--project', plannerUrl()], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => { err += d; });
      let gone = false;
      const exited = new Promise<number | null>((res) => child.on('close', (code) => { gone = true; res(code); }));
      // The child's transaction is seen waiting on the advisory lock (bounded poll; no timing is asserted).
      let waiting = false;
      for (let i = 0; i < 400 && !waiting && !gone; i++) {
        const w = await q(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'ekimae' AND usename = 'planner_a' AND wait_event_type = 'Lock' AND wait_event = 'advisory'`);
        waiting = w.length > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 100));
      }
      expect(waiting, err).toBe(true);
      expect(await q(`SELECT role FROM layers.ekimae_layers WHERE table_name = 'buildings'`)).toEqual([{ role: 'buildings' }]);
      await holder.query('COMMIT');
      await holder.end();
      expect(await exited, err).toBe(0);
      expect(await q(`SELECT role, ekimae_changed_by AS who FROM layers.ekimae_layers WHERE table_name = 'buildings'`)).toEqual([{ role: 'other', who: 'planner_a' }]);
    });

    it('a row changed outside Ekimae (as QGIS would: a plain UPDATE) is stamped with that role and time, and comes back with a pull', async () => {
      const other = new pg.Client({ connectionString: plannerUrl().replace('?schema=layers', '') });
      await other.connect();
      await other.query(`UPDATE layers.stations SET name = 'Bang Sue Grand (renamed in QGIS)' WHERE fid = (SELECT min(fid) FROM layers.stations)`);
      await other.end();
      expect(await q(`SELECT name, ekimae_changed_by AS who FROM layers.stations WHERE fid = (SELECT min(fid) FROM layers.stations)`)).toEqual([{ name: 'Bang Sue Grand (renamed in QGIS)', who: 'planner_a' }]);
      const out = join(dir, 'layers-pulled.gpkg');
      expect((await cli(['pull', url('layers'), out])).code).toBe(0);
      const db = new Database(out, { readonly: true });
      expect(db.prepare('SELECT name FROM stations ORDER BY fid LIMIT 1').pluck().get()).toBe('Bang Sue Grand (renamed in QGIS)');
      db.close();
    });

    it('scenario.history names the database role that saved each version, in a working copy opened for editing and in a read-only one', async () => {
      // The defaults added by the admin role, then a version by planner A.
      const lead = new EkimaeService();
      await lead.invoke('project.open', { path: url('layers') });
      expect((await lead.invoke('scenario.defaults', {})).added).toContain('trend');
      lead.close();
      const planner = new EkimaeService();
      await planner.invoke('project.open', { path: plannerUrl() });
      const cur = await planner.invoke('scenario.get', { id: 'trend' });
      const r0 = cur.definition.rules[0];
      const saved = await planner.invoke('scenario.save', { id: 'trend', scenario: { ...cur.definition, rules: [{ ...r0, maxFar: r0.maxFar + 1 }, ...cur.definition.rules.slice(1)] }, note: 'planner A: one more FAR' });
      const h = await planner.invoke('scenario.history', { id: 'trend' });
      planner.close();
      expect(h.authors).toBe('database');
      expect(h.warnings).toEqual([]);
      // Version 1 is the admin role's; the new one is planner A's.
      expect(h.versions.map((v) => [v.version, v.savedBy, v.note])).toEqual([[saved.version, 'planner_a', 'planner A: one more FAR'], [1, server.user, 'Ekimae default']]);
      expect(h.versions[0].changes).toEqual([`rule 1 (${r0.bands?.join(', ') ?? 'all bands'}; ${r0.landUses?.join(', ') ?? 'all uses'}): max FAR ${r0.maxFar} → ${r0.maxFar + 1}`]);
      // The database's clock, as stored there.
      const [row] = await q(`SELECT ekimae_changed_at AS at FROM layers.ekimae_scenarios WHERE scenario_id = 'trend' AND version = $1`, [saved.version]);
      expect(h.versions[0].savedAt).toBe((row.at as Date).toISOString());
      // A reviewer's read-only copy sees the same, and so does its report (once the version is evaluated and stored).
      const evaluator = new EkimaeService();
      await evaluator.invoke('project.open', { path: url('layers') });
      const stations = (await evaluator.invoke('layers.list', {})).find((l) => l.role === 'stations')!.name;
      await evaluator.invoke('scenario.evaluate', { id: 'trend', store: true, distances: { kind: 'crowFlies', stationsLayer: stations, detourFactor: 1.3 } });
      evaluator.close();
      const viewer = new EkimaeService();
      await viewer.invoke('project.open', { path: url('layers'), readOnly: true });
      expect((await viewer.invoke('scenario.history', { id: 'trend' })).versions.map((v) => v.savedBy)).toEqual(['planner_a', server.user]);
      const model = await viewer.invoke('report.model', {});
      const table = model.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.caption === 'Scenario versions in this report') as { rows: string[][]; note?: string };
      const at = `${h.versions[0].savedAt!.slice(0, 10)} ${h.versions[0].savedAt!.slice(11, 16)} UTC`;
      expect(table.rows.find((r) => r[0] === cur.definition.name)!.slice(0, 5)).toEqual([cur.definition.name, `${saved.version} of ${saved.version}`, at, 'planner_a', 'planner A: one more FAR']);
      expect(table.note).not.toContain('not by whom');
      const chapter = model.sections.find((s) => s.id === 'scenario-trend')!;
      expect(chapter.blocks.some((b) => b.kind === 'text' && b.text === `Rules and figures of version ${saved.version}, saved ${at} by planner_a.`)).toBe(true);
      // Saved As a file, the copy no longer asks the database.
      const asFile = join(dir, 'history-saved-as.gpkg');
      await viewer.invoke('project.saveAs', { path: asFile });
      const offline = await viewer.invoke('scenario.history', { id: 'trend' });
      expect([offline.authors, offline.versions.map((v) => v.savedBy)]).toEqual(['file', [null, null]]);
      viewer.close();
    });

    it('removing a layer through the database drops its table there too', async () => {
      const input = join(dir, 'remove.json');
      writeFileSync(input, JSON.stringify({ layer: 'kiosks' }));
      const r = await cli(['call', 'layers.remove', input, '--project', plannerUrl()]);
      expect(r.code, r.err).toBe(0);
      expect(await q(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'layers' AND table_name = 'kiosks'`)).toEqual([]);
      expect(await q(`SELECT count(*)::int AS n FROM layers.ekimae_layers WHERE table_name = 'kiosks'`)).toEqual([{ n: 0 }]);
    });
  });

  describe('passwords and refusals', () => {
    it('a wrong password is E_DATABASE, and neither password appears in the output', async () => {
      const bad = server.url.replace(encodeURIComponent(server.password), 'Wr0ng-Secret-77') + '?schema=bangsue';
      const r = await cli(['pull', bad, join(dir, 'x.gpkg')]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('E_DATABASE');
      expect(r.err).toContain(':***@');
      expect(r.err + r.out).not.toContain('Wr0ng-Secret-77');
      expect(r.err + r.out).not.toContain(server.password);
    });

    it('a database without PostGIS is E_DATABASE naming CREATE EXTENSION postgis', async () => {
      await q('CREATE DATABASE no_postgis');
      const r = await cli(['push', original, server.url.replace(/\/ekimae_test$/, '/no_postgis') + '?schema=s']);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/E_DATABASE: .*CREATE EXTENSION postgis/);
      expect(r.err).not.toContain(server.password);
    });

    it('a schema name that is not a plain identifier is E_INPUT_INVALID', async () => {
      const r = await cli(['push', original, `${server.url}?schema=Bad-Name`]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('E_INPUT_INVALID');
    });

    it('a report of a shared project names the database with the password masked, and carries the password nowhere', async () => {
      const file = join(dir, 'report.gpkg');
      copyFileSync(SAMPLE, file);
      expect((await cli(['push', file, url('report')])).code).toBe(0);
      const svc = new EkimaeService();
      await svc.invoke('project.open', { path: url('report'), readOnly: true });
      const model = await svc.invoke('report.model', {});
      svc.close();
      expect(model.meta.projectFile).toBe(url('report').replace(`:${encodeURIComponent(server.password)}@`, ':***@'));
      expect(JSON.stringify(model)).not.toContain(server.password);
      expect(JSON.stringify(model)).not.toContain(encodeURIComponent(server.password));
    });

    it('no password in the database\'s own tables, the audit trail or the pulled file, nor in what the CLI printed', async () => {
      const rows = await q(`SELECT string_agg(t::text, ' ') AS all FROM (SELECT * FROM bangsue.ekimae_pg_audit) t`);
      expect(String(rows[0].all)).not.toContain(server.password);
      const texts = await q(`SELECT string_agg(t::text, ' ') AS all FROM (SELECT * FROM team.ekimae_provenance) t`);
      expect(String(texts[0].all ?? '')).not.toContain(server.password);
      for (const f of ['pulled.gpkg', 'team-pulled.gpkg']) expect(readFileSync(join(dir, f)).includes(Buffer.from(server.password)), f).toBe(false);
    });
  });
});
