/**
 * GTFS import benchmark (npm run bench -- gtfs): a seeded synthetic city feed (3 000 stops, 200 routes,
 * 20 000 weekday trips of 50 stops = 1 000 000 stop_times, 33 MB) read as a folder into layers (parse,
 * checks, service per station, route lines, normalize; no project). Baseline: GDAL ogr2ogr copying the
 * same stop_times.txt alone into a GeoPackage table (GDAL 3.6 has no GTFS driver). Prints medians, the
 * ratio ours / GDAL and this process's peak RSS. Asserts nothing. Inputs cached in $EKIMAE_BENCH_DIR
 * (default .cache/bench); BENCH_RUNS (default 3).
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
const FEED = join(DIR, 'gtfs_1m');
const STOPS = 3000, ROUTES = 200, TRIPS = 20000, CALLS = 50;

const hms = (s: number) => [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((v) => String(v).padStart(2, '0')).join(':');

function make(): void {
  const r = rng(20261206);
  mkdirSync(FEED, { recursive: true });
  const stops = ['stop_id,stop_name,stop_lat,stop_lon'];
  for (let i = 0; i < STOPS; i++) stops.push(`s${i},Stop ${i},${(13.7 + r() * 0.2).toFixed(6)},${(100.45 + r() * 0.2).toFixed(6)}`);
  const routes = ['route_id,route_short_name,route_type'];
  for (let i = 0; i < ROUTES; i++) routes.push(`r${i},${i},${i < 11 ? 1 : 3}`);
  const trips = ['route_id,service_id,trip_id'];
  const times = ['trip_id,arrival_time,departure_time,stop_id,stop_sequence'];
  for (let t = 0; t < TRIPS; t++) {
    const route = t % ROUTES, start = 5 * 3600 + Math.floor(r() * 18 * 3600), base = (route * 37) % STOPS;
    trips.push(`r${route},WD,t${t}`);
    for (let k = 0; k < CALLS; k++) { const s = hms(start + k * 90); times.push(`t${t},${s},${s},s${(base + k) % STOPS},${k + 1}`); }
  }
  writeFileSync(join(FEED, 'stops.txt'), `${stops.join('\n')}\n`);
  writeFileSync(join(FEED, 'routes.txt'), `${routes.join('\n')}\n`);
  writeFileSync(join(FEED, 'trips.txt'), `${trips.join('\n')}\n`);
  writeFileSync(join(FEED, 'stop_times.txt'), `${times.join('\n')}\n`);
  writeFileSync(join(FEED, 'calendar.txt'), 'service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nWD,1,1,1,1,1,0,0,20260101,20261231\n');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function timeGdal(): number {
  const out = join(DIR, 'gtfs_bench_gdal.gpkg');
  rmSync(out, { force: true });
  const t0 = performance.now();
  const g = spawnSync('ogr2ogr', ['-f', 'GPKG', out, `CSV:${join(FEED, 'stop_times.txt')}`], { encoding: 'utf8' });
  if (g.status !== 0) throw new Error(`ogr2ogr failed: ${g.stderr.slice(-1000)}`);
  return performance.now() - t0;
}

mkdirSync(DIR, { recursive: true });
if (!existsSync(join(FEED, 'calendar.txt'))) make();
console.log(`GTFS benchmark: ${TRIPS * CALLS} stop_times (${(statSync(join(FEED, 'stop_times.txt')).size / 1e6).toFixed(1)} MB), ${STOPS} stops, ${ROUTES} routes; ${RUNS} run(s) each`);
let layers = '';
const ours = median(Array.from({ length: RUNS }, () => {
  const t0 = performance.now();
  const r = readLayersFromFile(FEED);
  layers = r.layers.map((l) => `${l.name} ${l.features.length}`).join(', ');
  return performance.now() - t0;
}));
const rss = `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`;
if (spawnSync('sh', ['-c', 'command -v ogr2ogr']).status !== 0) console.log(`  ekimae ${(ours / 1000).toFixed(2)} s (${layers}); ${rss}; GDAL not installed`);
else {
  const theirs = median(Array.from({ length: RUNS }, timeGdal));
  console.log(`  ekimae ${(ours / 1000).toFixed(2)} s (${layers}); ${rss}   ogr2ogr stop_times.txt -> GPKG ${(theirs / 1000).toFixed(2)} s   ratio ${(ours / theirs).toFixed(2)}`);
}
