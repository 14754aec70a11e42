/**
 * CSV import benchmark (npm run bench -- csv): seeded 200 000-row CSVs, one with lon/lat columns and
 * one with a WKT polygon column. Times Ekimae reading the layer (parse + normalize, no project) against
 * GDAL's CSV driver reading the same file into a GeoJSON file, and prints medians and the ratio ours / GDAL.
 * Asserts nothing. Inputs are cached in $EKIMAE_BENCH_DIR (default .cache/bench); BENCH_RUNS (default 3).
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
const ROWS = 200_000;


function make(path: string, wkt: boolean): void {
  const r = rng(20251125);
  const uses = ['residential', 'commercial', 'mixed', 'industrial', 'public'];
  const lines = [wkt ? 'parcel_id,land_use,far,land_value,wkt' : 'parcel_id,land_use,far,land_value,lon,lat'];
  for (let k = 0; k < ROWS; k++) {
    const x = 100.45 + r() * 0.2, y = 13.7 + r() * 0.2, s = 0.0002;
    const geom = wkt
      ? `"POLYGON ((${x.toFixed(7)} ${y.toFixed(7)}, ${(x + s).toFixed(7)} ${y.toFixed(7)}, ${(x + s).toFixed(7)} ${(y + s).toFixed(7)}, ${x.toFixed(7)} ${y.toFixed(7)}))"`
      : `${x.toFixed(7)},${y.toFixed(7)}`;
    lines.push(`BS-${String(k + 1).padStart(6, '0')},${uses[Math.floor(r() * uses.length)]},${(r() * 8).toFixed(1)},${Math.round(20000 + r() * 180000)},${geom}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeGdal(path: string, wkt: boolean): number {
  const out = join(DIR, 'csv_bench_gdal.geojson');
  rmSync(out, { force: true });
  const oo = wkt ? ['-oo', 'GEOM_POSSIBLE_NAMES=wkt'] : ['-oo', 'X_POSSIBLE_NAMES=lon', '-oo', 'Y_POSSIBLE_NAMES=lat'];
  const t0 = performance.now();
  const r = spawnSync('ogr2ogr', ['-f', 'GeoJSON', out, path, '-oo', 'AUTODETECT_TYPE=YES', ...oo], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ogr2ogr failed: ${r.stderr.slice(-1000)}`);
  return performance.now() - t0;
}

mkdirSync(DIR, { recursive: true });
const gdal = spawnSync('sh', ['-c', 'command -v ogr2ogr']).status === 0;
console.log(`CSV benchmark: ${ROWS} rows; ${RUNS} run(s) each; baseline GDAL ogr2ogr (CSV driver -> GeoJSON file)`);
for (const wkt of [false, true]) {
  const path = join(DIR, `csv_${ROWS}_${wkt ? 'wkt' : 'lonlat'}.csv`);
  if (!existsSync(path)) make(path, wkt);
  const ours = median(Array.from({ length: RUNS }, () => { const t0 = performance.now(); readLayersFromFile(path); return performance.now() - t0; }));
  const line = `  ${wkt ? 'WKT polygons' : 'lon/lat points'} ${(statSync(path).size / 1e6).toFixed(1)} MB: ekimae ${(ours / 1000).toFixed(2)} s`;
  if (!gdal) { console.log(`${line}; GDAL not installed`); continue; }
  const theirs = median(Array.from({ length: RUNS }, () => timeGdal(path, wkt)));
  console.log(`${line}   ogr2ogr ${(theirs / 1000).toFixed(2)} s   ratio ${(ours / theirs).toFixed(2)}`);
}
