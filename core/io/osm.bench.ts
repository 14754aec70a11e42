/**
 * OSM import benchmark (npm run bench -- osm): a seeded street grid written as .osm XML and, when
 * osmium-tool is installed, converted to .osm.pbf by osmium. Times Ekimae reading the highway layer
 * (parse + normalize, no project) against GDAL's OSM driver reading the `lines` layer of the same file
 * (ogr2ogr writing a CSV) and prints medians and the ratio ours / GDAL. Asserts nothing.
 * Inputs are cached in $EKIMAE_BENCH_DIR (default .cache/bench); BENCH_RUNS (default 3) runs each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLayersFromFile } from './import.js';
import { mulberry32 as rng } from '../util/prng.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const DIR = resolve(process.env.EKIMAE_BENCH_DIR ?? join(ROOT, '.cache/bench'));
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const N = 400; // N × N nodes, ways of 10 segments along every row and column


function makeGrid(path: string): void {
  const r = rng(20251125);
  const kinds = ['residential', 'footway', 'service', 'tertiary', 'primary', 'motorway', 'path', 'trunk'];
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="ekimae bench">'];
  const id = (i: number, j: number) => j * N + i + 1;
  for (let j = 0; j < N; j++) {
    for (let i = 0; i < N; i++) {
      const lon = (100.45 + i * 0.0005 + (r() - 0.5) * 1e-4).toFixed(7), lat = (13.75 + j * 0.0005 + (r() - 0.5) * 1e-4).toFixed(7);
      out.push(`<node id="${id(i, j)}" version="1" lat="${lat}" lon="${lon}"/>`);
    }
  }
  let w = 1;
  const way = (refs: number[]) => {
    const hw = kinds[Math.floor(r() * kinds.length)];
    out.push(`<way id="${w++}" version="1">${refs.map((x) => `<nd ref="${x}"/>`).join('')}<tag k="highway" v="${hw}"/><tag k="name" v="Soi ${w}"/></way>`);
  };
  for (let j = 0; j < N; j++) for (let i = 0; i + 10 < N; i += 10) way(Array.from({ length: 11 }, (_, k) => id(i + k, j)));
  for (let i = 0; i < N; i++) for (let j = 0; j + 10 < N; j += 10) way(Array.from({ length: 11 }, (_, k) => id(i, j + k)));
  out.push('</osm>');
  writeFileSync(path, out.join('\n'));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

function timeOurs(path: string): { ms: number; ways: number } {
  const t0 = performance.now();
  const l = readLayersFromFile(path).layers[0];
  return { ms: performance.now() - t0, ways: l.features.length };
}

function timeGdal(path: string): number {
  const out = join(DIR, 'osm_bench_gdal.csv');
  rmSync(out, { force: true });
  const t0 = performance.now();
  const r = spawnSync('ogr2ogr', ['--config', 'OSM_USE_CUSTOM_INDEXING', 'NO', '-f', 'CSV', out, path, 'lines'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ogr2ogr failed: ${r.stderr.slice(-1000)}`);
  return performance.now() - t0;
}

mkdirSync(DIR, { recursive: true });
const xml = join(DIR, `osm_grid_${N}.osm`);
if (!existsSync(xml)) { console.log(`generating ${xml}`); makeGrid(xml); }
const files = [xml];
const pbf = join(DIR, `osm_grid_${N}.osm.pbf`);
if (!existsSync(pbf) && have('osmium')) spawnSync('osmium', ['cat', xml, '-o', pbf, '-O']);
if (existsSync(pbf)) files.push(pbf); else console.log('osmium-tool not installed: PBF part skipped');
const gdal = have('ogr2ogr');

console.log(`OSM benchmark: ${N * N} nodes, ${2 * N * Math.floor((N - 1) / 10)} highway ways; ${RUNS} run(s) each; baseline GDAL ogr2ogr (OSM driver, lines layer -> CSV)`);
for (const f of files) {
  const ours = Array.from({ length: RUNS }, () => timeOurs(f));
  const tOurs = median(ours.map((x) => x.ms));
  const line = `  ${f.endsWith('.pbf') ? 'PBF' : 'XML'} ${(statSync(f).size / 1e6).toFixed(1)} MB: ekimae ${(tOurs / 1000).toFixed(2)} s (${ours[0].ways} ways)`;
  if (!gdal) { console.log(`${line}; GDAL not installed`); continue; }
  const tGdal = median(Array.from({ length: RUNS }, () => timeGdal(f)));
  console.log(`${line}   ogr2ogr ${(tGdal / 1000).toFixed(2)} s   ratio ${(tOurs / tGdal).toFixed(2)}`);
}
