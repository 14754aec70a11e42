/**
 * kill -9 during writes (issue #16, 7): a child process opens, imports or removes a layer (a
 * streamed import: one long transaction), updates the settings and closes, round after round; it is
 * SIGKILLed at seeded random moments, 32 times: the moment is a line of its output picked at random
 * (it prints one per step and per import batch), so the kills fall in every phase whatever the
 * machine's speed. After each kill the file passes integrity_check and
 * foreign_key_check, opens, and holds either the state before or the state after an action: the
 * layer "extra" whole (its 3,000 rows, R-tree entries, role, field flags and provenance) or not at all.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { Project } from '../../../core/store/project.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const dir = tmpDir('ekimae-kill-');
const KILLS = 32;
const EXTRA = 1000;

/** mulberry32: the same kill moments on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let child = '';
let project = '';
let source = '';

beforeAll(async () => {
  // The child runs as one bundle (0.2 s to start instead of a second under tsx), next to node_modules.
  const esbuild = await import('esbuild');
  mkdirSync(join(ROOT, 'dist', 'test'), { recursive: true });
  child = join(ROOT, 'dist', 'test', `kill-writer.${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [join(ROOT, 'tests/core/store/kill-writer.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: child,
    logLevel: 'error', external: ['better-sqlite3', 'playwright-core', 'esbuild'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  source = join(dir, 'extra.geojson');
  writeFileSync(source, JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: EXTRA }, (_, i) => ({
    type: 'Feature', properties: { i, land_use: i % 3 ? 'residential' : 'commercial', owner: `Owner ${i}` },
    geometry: { type: 'Point', coordinates: [100.5 + (i % 40) * 1e-4, 13.7 + Math.floor(i / 40) * 1e-4] },
  })) }));
  const small = join(dir, 'small.gpkg');
  const svc = new EkimaeService();
  await svc.invoke('project.create', { path: small, settings: { name: 'kill -9' } });
  writeFileSync(join(dir, 'st.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Bang Sue' }, geometry: { type: 'Point', coordinates: [100.53, 13.8] } }] }));
  await svc.invoke('layers.import', { path: join(dir, 'st.geojson'), name: 'stations', role: 'stations' });
  svc.close();
  project = join(dir, 'copy.gpkg');
  copyFileSync(small, project);
}, 60_000);

afterAll(() => { if (child) rmSync(child, { force: true }); });

/** Runs the writer until it has printed `line` lines, then SIGKILLs it; returns the last line seen. */
function runAndKill(line: number): Promise<{ last: string; open: boolean }> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [child, project, source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '', buf = '', seen = 0, last = '', killed = false, open = false;
    p.stderr.on('data', (d) => { err += d; });
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      if (killed) return;
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) { seen++; last = l; if (seen >= line) break; }
      if (seen >= line) {
        killed = true;
        // The writer has the project open (in WAL mode) from "opened" until it has closed it.
        open = existsSync(`${project}-wal`);
        p.kill('SIGKILL');
      }
    });
    p.once('exit', (code, signal) => (signal === 'SIGKILL' ? res({ last, open }) : rej(new Error(`writer ended by itself (${code}): ${err}`))));
    p.once('error', rej);
  });
}

/** What the file holds, for the before/after comparison (read directly, not through Ekimae). */
function state(db: Database.Database) {
  const has = (name: string) => !!db.prepare('SELECT 1 FROM sqlite_master WHERE name = ?').get(name);
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const extra = has('extra');
  return {
    layers: db.prepare("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name").pluck().all(),
    stations: count('SELECT count(*) FROM stations'),
    extraRows: extra ? count('SELECT count(*) FROM extra') : null,
    extraRtree: has('rtree_extra_geom') ? count('SELECT count(*) FROM rtree_extra_geom') : null,
    extraMeta: [
      count("SELECT count(*) FROM ekimae_layers WHERE table_name = 'extra'"),
      count("SELECT count(*) FROM ekimae_provenance WHERE table_name = 'extra'"),
      count("SELECT count(*) FROM ekimae_field_meta WHERE table_name = 'extra' AND personal = 1"),
      count("SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = 'extra'"),
    ],
  };
}

const WITHOUT = { layers: ['stations'], stations: 1, extraRows: null, extraRtree: null, extraMeta: [0, 0, 0, 0] };
const WITH = { layers: ['extra', 'stations'], stations: 1, extraRows: EXTRA, extraRtree: EXTRA, extraMeta: [1, 1, 1, 1] };

describe('kill -9 during writes', () => {
  it(`${KILLS} kills at seeded random moments leave an intact project, before or after an action each time`, async () => {
    const random = rng(16);
    const seen = { without: 0, with: 0, killedOpen: 0, midImport: 0 };
    for (let k = 0; k < KILLS; k++) {
      const line = 1 + Math.floor(random() * 32); // about two import-and-remove rounds
      const { last, open } = await runAndKill(line);
      const ms = `line ${line} (${last})`;
      if (open) seen.killedOpen++;
      if (/^import writing/.test(last)) seen.midImport++;
      const db = new Database(project);
      expect(db.pragma('integrity_check', { simple: true }), `kill ${k} at ${ms}`).toBe('ok');
      expect(db.pragma('foreign_key_check'), `kill ${k}`).toEqual([]);
      const s = state(db);
      db.close();
      if (s.extraRows === null) { expect(s, `kill ${k} at ${ms}`).toEqual(WITHOUT); seen.without++; } else { expect(s, `kill ${k} at ${ms}`).toEqual(WITH); seen.with++; }
      const p = Project.open(project);
      expect(p.settings().name).toBe('kill -9');
      expect(p.layers().map((l) => l.name)).toEqual(s.layers);
      p.close();
    }
    console.log(`kill -9 loop: ${KILLS} kills (${seen.killedOpen} with the project open in WAL mode, ${seen.midImport} in the middle of writing an import), ${seen.with} left the layer whole, ${seen.without} without it, 0 damaged`);
    // The kills fell on both sides of an action, in the middle of imports, and while the project was open.
    expect(seen.with).toBeGreaterThan(0);
    expect(seen.without).toBeGreaterThan(0);
    expect(seen.midImport).toBeGreaterThan(0);
    expect(seen.killedOpen).toBeGreaterThan(0);
  }, 600_000); // about 1 s a kill on an idle machine; much more when the two cores are shared
});
