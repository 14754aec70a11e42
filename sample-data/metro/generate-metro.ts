/**
 * A generated metropolitan project for the scale benchmark (metro.bench.ts), never committed:
 *
 *   npx tsx sample-data/metro/generate-metro.ts --out /tmp/metro.gpkg [--scale 1] [--seed 20261206]
 *
 * At scale 1: about 1M parcels, a 2M-edge walk network, 300 stations on 7 lines and 2,000 census
 * zones over a Bangkok-sized square (about 45 km a side). Every count scales linearly with --scale
 * (the side with its square root), so the share of parcels inside a catchment stays the same and
 * figures at 0.1, 0.3 and 1 compare step by step.
 *
 * The street model follows ../shared/peers/gen_network.py (the peers' Bangkok-like networks): a
 * jittered grid of lanes 40-60 m apart, 7 % of links missing, a main road every 12th line, dead-end
 * sois entering 30 % of the blocks (their host street split at the junction). Each block is one
 * parcel or two (cut along the soi). Attributes by stated rules, nothing real: land use by frontage
 * and station distance, towers near stations, land value falling with distance to the nearest
 * station, census counts from the parcels' floor area (40 m² per resident, 25 m² per job) with
 * ±10 % noise so the calibration has something to do.
 *
 * Written through the project's own writer (Project.addLayerStreamed, one transaction, in batches),
 * so generating 1M parcels never holds them all as objects.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project } from '../../core/store/project.js';
import type { Feature } from '../../core/io/types.js';
import { getLvcParams, setLvcParams } from '../../core/lvc/store.js';
import { setGrowth } from '../../core/growth/store.js';
import { setFixedClock } from '../../core/store/clock.js';
import { LAYER_FIELDS } from '../lib/layers.js';
import { createRng, type Rng } from '../lib/prng.js';

export const METRO_SEED = 20261206;
const LAT0 = 13.7563, LON0 = 100.5018; // Bangkok (Democracy Monument): only where the square sits
const M_PER_DEG_LAT = 110_574, M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
const EDGES_PER_NODE = 2.42; // 0.93 x 2 grid links + 0.3 sois x 0.93 x 2 (soi + the split host link)
const P_MISSING = 0.07, P_SOI = 0.3, MAIN_EVERY = 12, BATCH = 20_000;

export interface MetroCounts { parcels: number; edges: number; stations: number; zones: number; sideKm: number; residents: number; jobs: number }

const lonlat = (x: number, y: number): [number, number] => [LON0 + x / M_PER_DEG_LON, LAT0 + y / M_PER_DEG_LAT];

/** The lane grid: node positions (jittered, gently warped), which links exist, which cells have a soi. */
function lattice(scale: number, rng: Rng) {
  const n = Math.max(8, Math.round(Math.sqrt((2_000_000 * scale) / EDGES_PER_NODE)));
  const xs = new Float64Array(n), ys = new Float64Array(n);
  for (let i = 1; i < n; i++) { xs[i] = xs[i - 1] + rng.range(40, 60); ys[i] = ys[i - 1] + rng.range(40, 60); }
  const half = xs[n - 1] / 2, halfY = ys[n - 1] / 2;
  const nx = new Float64Array(n * n), ny = new Float64Array(n * n);
  const ph = [rng.range(0, 6.283), rng.range(0, 6.283)];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const k = j * n + i;
    nx[k] = xs[i] - half + 25 * Math.sin((2 * Math.PI * ys[j]) / 3100 + ph[0]) + rng.range(-3, 3);
    ny[k] = ys[j] - halfY + 25 * Math.sin((2 * Math.PI * xs[i]) / 2900 + ph[1]) + rng.range(-3, 3);
  }
  const main = (i: number) => i % MAIN_EVERY === 0;
  // h[j*(n-1)+i]: link (i,j)-(i+1,j); v[j*n+i]: link (i,j)-(i,j+1). Main roads never miss a link.
  const h = new Uint8Array(n * (n - 1)), v = new Uint8Array(n * (n - 1));
  for (let j = 0; j < n; j++) for (let i = 0; i < n - 1; i++) h[j * (n - 1) + i] = main(j) || !rng.chance(P_MISSING) ? 1 : 0;
  for (let j = 0; j < n - 1; j++) for (let i = 0; i < n; i++) v[j * n + i] = main(i) || !rng.chance(P_MISSING) ? 1 : 0;
  // A soi enters cell (i,j) from the middle of its south side when that link exists.
  const soi = new Uint8Array((n - 1) * (n - 1));
  for (let j = 0; j < n - 1; j++) for (let i = 0; i < n - 1; i++) soi[j * (n - 1) + i] = h[j * (n - 1) + i] && rng.chance(P_SOI) ? 1 : 0;
  return { n, nx, ny, h, v, soi, main, sideM: Math.max(xs[n - 1], ys[n - 1]) };
}
type Lattice = ReturnType<typeof lattice>;

/** Stations on straight lines across the square, about 1.2 km apart, 300 at scale 1. */
function stationsOf(scale: number, L: Lattice, rng: Rng): Array<{ id: string; name: string; line: string; x: number; y: number }> {
  const total = Math.max(3, Math.round(300 * scale));
  const lines = Math.max(1, Math.round(7 * Math.sqrt(scale)));
  const r = L.sideM / 2;
  const out: Array<{ id: string; name: string; line: string; x: number; y: number }> = [];
  for (let l = 0; l < lines; l++) {
    const count = Math.round((total * (l + 1)) / lines) - Math.round((total * l) / lines);
    const a = (Math.PI * l) / lines + rng.range(-0.15, 0.15);
    const off = rng.range(-0.35, 0.35) * r;
    const ox = -Math.sin(a) * off, oy = Math.cos(a) * off;
    // Half-length so the whole line stays inside the square.
    const len = 0.9 * r;
    for (let k = 0; k < count; k++) {
      const t = count === 1 ? 0 : -len + (2 * len * k) / (count - 1);
      const id = `L${String.fromCharCode(65 + (l % 26))}${String(k + 1).padStart(2, '0')}`;
      out.push({ id, name: `Line ${String.fromCharCode(65 + (l % 26))} station ${k + 1}`, line: `Line ${String.fromCharCode(65 + (l % 26))}`, x: ox + Math.cos(a) * t + rng.range(-15, 15), y: oy + Math.sin(a) * t + rng.range(-15, 15) });
    }
  }
  return out;
}

/** Nearest station distance by a coarse bucket grid (stations are few; parcels are a million). */
function nearestStation(stations: Array<{ x: number; y: number }>) {
  const cell = 2000, buckets = new Map<string, number[]>();
  stations.forEach((s, i) => {
    const k = `${Math.floor(s.x / cell)},${Math.floor(s.y / cell)}`;
    (buckets.get(k) ?? buckets.set(k, []).get(k)!).push(i);
  });
  return (x: number, y: number): { i: number; d: number } => {
    const cx = Math.floor(x / cell), cy = Math.floor(y / cell);
    let best = -1, bd = Infinity;
    for (let r = 0; r < 64 && (best < 0 || (r - 1) * cell < bd); r++) {
      for (let a = cx - r; a <= cx + r; a++) for (let b = cy - r; b <= cy + r; b++) {
        if (Math.max(Math.abs(a - cx), Math.abs(b - cy)) !== r) continue;
        for (const i of buckets.get(`${a},${b}`) ?? []) {
          const d = Math.hypot(stations[i].x - x, stations[i].y - y);
          if (d < bd) { bd = d; best = i; }
        }
      }
    }
    return { i: best, d: bd };
  };
}

const line = (ax: number, ay: number, bx: number, by: number) => ({ type: 'LineString' as const, coordinates: [lonlat(ax, ay), lonlat(bx, by)] });

function* networkBatches(L: Lattice): Generator<Feature[]> {
  const { n, nx, ny, h, v, soi, main } = L;
  let batch: Feature[] = [];
  const props = (highway: string, name: string | null) => ({ highway, name, bridge: 0, tunnel: 0, layer: 0, walkable: true });
  const push = (f: Feature) => { batch.push(f); if (batch.length >= BATCH) { const b = batch; batch = []; return b; } return null; };
  for (let j = 0; j < n; j++) for (let i = 0; i < n - 1; i++) {
    if (!h[j * (n - 1) + i]) continue;
    const a = j * n + i, b = a + 1;
    const hw = main(j) ? 'primary' : 'residential', nm = main(j) ? `Road E${j / MAIN_EVERY}` : null;
    const out: Feature[] = [];
    if (j < n - 1 && soi[j * (n - 1) + i]) {
      // Split the host link at its middle; the soi runs north into the cell for 40 % of its depth.
      const mx = (nx[a] + nx[b]) / 2, my = (ny[a] + ny[b]) / 2;
      const depth = ny[a + n] - ny[a];
      out.push({ geometry: line(nx[a], ny[a], mx, my), properties: props(hw, nm) });
      out.push({ geometry: line(mx, my, nx[b], ny[b]), properties: props(hw, nm) });
      out.push({ geometry: line(mx, my, mx, my + 0.4 * depth), properties: props('service', null) });
    } else out.push({ geometry: line(nx[a], ny[a], nx[b], ny[b]), properties: props(hw, nm) });
    for (const f of out) { const b2 = push(f); if (b2) yield b2; }
  }
  for (let j = 0; j < n - 1; j++) for (let i = 0; i < n; i++) {
    if (!v[j * n + i]) continue;
    const a = j * n + i;
    const b2 = push({ geometry: line(nx[a], ny[a], nx[a + n], ny[a + n]), properties: props(main(i) ? 'primary' : 'residential', main(i) ? `Road N${i / MAIN_EVERY}` : null) });
    if (b2) yield b2;
  }
  if (batch.length) yield batch;
}

interface ParcelTotals { resFa: Float64Array; nonResFa: Float64Array }

/** Parcels cell by cell; floor areas summed per census zone on the way (the census is made from them). */
function* parcelBatches(L: Lattice, scale: number, rng: Rng, near: ReturnType<typeof nearestStation>, stationIds: string[], zoneOf: (x: number, y: number) => number, totals: ParcelTotals): Generator<Feature[]> {
  const { n, nx, ny, main } = L;
  const cells = (n - 1) * (n - 1);
  const pSplit = Math.max(0, Math.min(1, (1_000_000 * scale) / cells - 1));
  const pKeep = Math.min(1, (1_000_000 * scale) / cells);
  let batch: Feature[] = [], id = 0;
  const ring = (pts: Array<[number, number]>) => ({ type: 'MultiPolygon' as const, coordinates: [[[...pts, pts[0]].map(([x, y]) => lonlat(x, y))]] });
  for (let j = 0; j < n - 1; j++) for (let i = 0; i < n - 1; i++) {
    if (!rng.chance(pKeep)) continue;
    const c = j * n + i;
    // The block inset 5 m from the street centre lines, corners in order SW, SE, NE, NW.
    const q: Array<[number, number]> = [[nx[c] + 5, ny[c] + 5], [nx[c + 1] - 5, ny[c + 1] + 5], [nx[c + n + 1] - 5, ny[c + n + 1] - 5], [nx[c + n] + 5, ny[c + n] - 5]];
    // Cut in two at the middle of the south side: along the soi when the block has one.
    const split = rng.chance(pSplit);
    const mid = (a: [number, number], b: [number, number], t: number): [number, number] => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
    const parts = split
      ? [[q[0], mid(q[0], q[1], 0.5), mid(q[3], q[2], 0.5), q[3]], [mid(q[0], q[1], 0.5), q[1], q[2], mid(q[3], q[2], 0.5)]] as Array<Array<[number, number]>>
      : [q];
    const frontsMain = main(j) || main(j + 1) || main(i) || main(i + 1);
    for (const p of parts) {
      const cx = (p[0][0] + p[1][0] + p[2][0] + p[3][0]) / 4, cy = (p[0][1] + p[1][1] + p[2][1] + p[3][1]) / 4;
      const area = Math.abs(((p[0][0] - p[2][0]) * (p[1][1] - p[3][1]) - (p[1][0] - p[3][0]) * (p[0][1] - p[2][1])) / 2);
      const s = near(cx, cy);
      const r = rng.next();
      let lu: string, floors: number, coverage: number;
      if (r < 0.04) { lu = 'open_space'; floors = 0; coverage = 0; }
      else if (r < 0.08) { lu = 'vacant'; floors = 0; coverage = 0; }
      else if (r < 0.1) { lu = 'civic'; floors = 2; coverage = 0.4; }
      else if (s.d < 800 && r < 0.3) { lu = rng.chance(0.5) ? 'office' : 'mixed_use'; floors = rng.int(8, 32); coverage = 0.35; }
      else if (frontsMain && r < 0.6) { lu = rng.chance(0.6) ? 'mixed_use' : 'commercial'; floors = rng.int(3, 5); coverage = 0.6; }
      else if (r < 0.13) { lu = 'industrial'; floors = 1; coverage = 0.5; }
      else { lu = 'residential'; floors = rng.int(1, 3); coverage = 0.45; }
      const fa = Math.round(area * coverage * floors);
      const resShare = lu === 'residential' ? 1 : lu === 'mixed_use' ? 0.5 : 0;
      const z = zoneOf(cx, cy);
      totals.resFa[z] += fa * resShare;
      if (lu !== 'open_space' && lu !== 'vacant') totals.nonResFa[z] += fa * (1 - resShare);
      // THB per m² of land: 250k by a station falling to 40k at 5 km and beyond (rule, not data).
      const lv = Math.round((40_000 + 210_000 * Math.exp(-s.d / 1500)) * rng.range(0.85, 1.15));
      id++;
      batch.push({ geometry: ring(p), properties: {
        parcel_id: `P${String(id).padStart(7, '0')}`, land_use: lu, floors, floor_area: fa, land_value: lv,
        ownership: lu === 'civic' || lu === 'open_space' ? 'public' : 'private', owner_type: lu === 'civic' || lu === 'open_space' ? 'state' : 'private',
        owner_name: `Owner ${String(id % 999_983).padStart(6, '0')}`, station: stationIds[s.i],
      } });
      if (batch.length >= BATCH) { yield batch; batch = []; }
    }
  }
  if (batch.length) yield batch;
}

/** Write the project at `out` (replaced if there). */
export async function generateMetro(out: string, scale = 1, seed = METRO_SEED): Promise<MetroCounts> {
  if (!(scale > 0 && scale <= 4)) throw new Error(`scale must be in (0, 4], got ${scale}`);
  const rng = createRng(seed);
  const L = lattice(scale, rng.fork('lattice'));
  const stations = stationsOf(scale, L, rng.fork('stations'));
  const near = nearestStation(stations);
  const nz = Math.max(1, Math.round(2000 * scale));
  const kx = Math.max(1, Math.round(Math.sqrt(nz))), ky = Math.max(1, Math.round(nz / kx));
  const half = L.sideM / 2 + 60;
  const zx = (2 * half) / kx, zy = (2 * half) / ky;
  const zoneOf = (x: number, y: number) => Math.min(ky - 1, Math.max(0, Math.floor((y + half) / zy))) * kx + Math.min(kx - 1, Math.max(0, Math.floor((x + half) / zx)));
  const totals: ParcelTotals = { resFa: new Float64Array(kx * ky), nonResFa: new Float64Array(kx * ky) };

  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.part`;
  rmSync(tmp, { force: true });
  setFixedClock('2026-01-01T00:00:00.000Z');
  const p = Project.create(tmp, { name: `Metropolitan scale case (generated, scale ${scale})`, country: 'TH', currency: 'THB', priceYear: 2024, client: 'benchmark (synthetic)', center: [LON0, LAT0] });
  const counts: MetroCounts = { parcels: 0, edges: 0, stations: stations.length, zones: kx * ky, sideKm: L.sideM / 1000, residents: 0, jobs: 0 };
  const source = { file: 'sample-data/metro/generate-metro.ts', format: 'ekimae' as const, crs: 'EPSG:4326' };
  const layer = async (name: string, role: 'stations' | 'network' | 'parcels' | 'census', title: string, note: string, batches: Iterable<Feature[]>) => {
    const def = LAYER_FIELDS[name];
    let read = 0;
    await p.actionAsync(`generating ${name}`, () => p.addLayerStreamed({ name, geometryType: def.geometryType, fields: def.fields, source }, { name, role, title, sha256: '', note }, 1 << 30,
      async (write) => { for (const b of batches) { write(b); read += b.length; } return { read, issues: [] }; }));
    return read;
  };
  try {
    await layer('stations', 'stations', 'Stations', 'SYNTHETIC: stations 1.2 km apart on straight lines (generate-metro.ts).',
      [stations.map((s) => ({ geometry: { type: 'Point' as const, coordinates: lonlat(s.x, s.y) }, properties: { station_id: s.id, name: s.name, name_local: null, line: s.line } }))]);
    counts.edges = await layer('network', 'network', 'Walk network', 'SYNTHETIC lane grid after ../shared/peers/gen_network.py (generate-metro.ts).', networkBatches(L));
    counts.parcels = await layer('parcels', 'parcels', 'Parcels', 'SYNTHETIC blocks and lots by rule; owner names are fake (generate-metro.ts).',
      parcelBatches(L, scale, rng.fork('parcels'), near, stations.map((s) => s.id), zoneOf, totals));
    const zrng = rng.fork('census');
    const zones: Feature[] = [];
    for (let b = 0; b < ky; b++) for (let a = 0; a < kx; a++) {
      const z = b * kx + a;
      const x0 = -half + a * zx, y0 = -half + b * zy;
      const pop = Math.round((totals.resFa[z] / 40) * zrng.range(0.9, 1.1));
      const jobs = Math.round((totals.nonResFa[z] / 25) * zrng.range(0.9, 1.1));
      counts.residents += pop; counts.jobs += jobs;
      zones.push({ geometry: { type: 'MultiPolygon', coordinates: [[[lonlat(x0, y0), lonlat(x0 + zx, y0), lonlat(x0 + zx, y0 + zy), lonlat(x0, y0 + zy), lonlat(x0, y0)]]] },
        properties: { zone_id: `Z${String(z + 1).padStart(4, '0')}`, name: `Zone ${z + 1}`, name_local: null, population: pop, households: Math.round(pop / 2.6), jobs } });
    }
    await layer('census', 'census', 'Census zones', 'SYNTHETIC: a grid of zones; counts from the parcels\' floor area (40 m² per resident, 25 m² per job) ±10 %.', [zones]);
    const { params, sources } = getLvcParams(p);
    setLvcParams(p, { ...params, costs: { station: 3e9 * counts.stations, infrastructure: 1e9 * counts.stations, startYear: 0, years: 8 } }, { ...sources, costs: 'SYNTHETIC: THB 3 bn per station plus THB 1 bn of station-area works, over years 0-7.' });
    setGrowth(p, {
      baseYear: 2024, horizons: [2030, 2035, 2045],
      areas: [{ station: null, residents: { rate: 0.006 }, jobs: { rate: 0.012 }, absorption: { residentialM2PerYear: Math.round(3e6 * scale), nonResidentialM2PerYear: Math.round(1e6 * scale) }, urbanEdgeM: null,
        source: 'SYNTHETIC metropolitan case: Bangkok defaults for the rates (docs/SCENARIOS.md); absorption about 3 M m² of housing and 1 M m² of offices and shops a year at scale 1.' }],
      programmeLayer: null, programme: [],
    });
  } finally {
    p.close();
    setFixedClock(null);
  }
  renameSync(tmp, out);
  return counts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const out = opt('--out');
  if (!out) { console.error('usage: generate-metro.ts --out <file.gpkg> [--scale 1] [--seed n]'); process.exit(2); }
  if (existsSync(out) && !args.includes('--force')) rmSync(out);
  const t0 = performance.now();
  const c = await generateMetro(out, Number(opt('--scale') ?? 1), Number(opt('--seed') ?? METRO_SEED));
  console.log(JSON.stringify({ out, ...c, seconds: +((performance.now() - t0) / 1000).toFixed(1) }));
}
