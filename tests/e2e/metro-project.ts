/**
 * The generated metropolitan project (sample-data/metro/generate-metro.ts) at a given scale, made once
 * per scale and seed into the same cache folder metro.bench.ts uses, and copied for each use (the app
 * and the analyses write into it). Scale 0.1 ≈ 100k parcels and 200k network edges (about 40 s to make).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRO_SEED } from '../../sample-data/metro/generate-metro.js';

export interface MetroCounts { parcels: number; edges: number; stations: number; zones: number; sideKm: number }

export function metroProject(scale: number, copyTo: string): { path: string; counts: MetroCounts; generatedMs: number } {
  const dir = join(tmpdir(), 'ekimae-metro-bench');
  const pristine = join(dir, `metro-${scale}-${METRO_SEED}.gpkg`);
  mkdirSync(dir, { recursive: true });
  let generatedMs = 0;
  if (!existsSync(pristine) || !existsSync(`${pristine}.json`)) {
    const t = performance.now();
    const r = spawnSync('npx', ['tsx', 'sample-data/metro/generate-metro.ts', '--out', pristine, '--scale', String(scale), '--seed', String(METRO_SEED)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`generate-metro.ts exited ${r.status}`);
    writeFileSync(`${pristine}.json`, r.stdout.trim());
    generatedMs = performance.now() - t;
  }
  copyFileSync(pristine, copyTo);
  return { path: copyTo, counts: JSON.parse(readFileSync(`${pristine}.json`, 'utf8')) as MetroCounts, generatedMs };
}
