/**
 * The whole accessibility run against a project (npm run bench -- access-run): read → compute →
 * store, as `access.run` does it (core/access/run.ts runAccess), on the generated 100k street grid
 * (bench-grid.ts: 317 × 317 nodes, 186,429 street lines) with a parcel in every block (99,856
 * parcels, floor area and land use) and 10 × 10 census zones with residents and jobs; bands 400
 * and 800 m. The project is made once through the service (import not timed). Each run opens the
 * project afresh (nothing kept in memory from the run before) and is timed whole (wall, and CPU of
 * all threads) and by phase, from runAccess's own progress messages: read (the walk graph, built on
 * the first run and read from the project's cache after; the parcels and census zones read, the
 * census spread over the parcels), snap (parcels to their nearest nodes), search (every node, worker
 * threads), store (the run row and 2 rows per parcel, one transaction). The first run, which builds
 * the graph, is printed apart; medians of BENCH_RUNS (default 3) over the later ones. Asserts nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { EkimaeService } from '../api/service.js';
import { Project } from '../store/project.js';
import { benchGrid } from './bench-grid.js';
import { runAccess } from './run.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const SIDE = 317;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const secs = (ms: number) => (ms / 1000).toFixed(2);
const load = () => loadavg()[0].toFixed(1);

async function makeProject(dir: string): Promise<string> {
  const { source, nodeLonLat: ll, side } = benchGrid(SIDE);
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  const lines = [];
  for (let p = 0; p + 1 < source.partStart.length; p++) {
    const a = source.partStart[p], c = source.coords;
    lines.push({ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[c[2 * a], c[2 * a + 1]], [c[2 * a + 2], c[2 * a + 3]]] } });
  }
  const parcels = [];
  const at = (i: number, j: number) => [ll[2 * (i * side + j)], ll[2 * (i * side + j) + 1]];
  for (let i = 0; i + 1 < side; i++) for (let j = 0; j + 1 < side; j++) {
    const [x0, y0] = at(i, j), [x1, y1] = at(i + 1, j + 1);
    const x = x0 + (x1 - x0) * 0.2, y = y0 + (y1 - y0) * 0.2, w = (x1 - x0) * 0.6, h = (y1 - y0) * 0.6;
    parcels.push({ type: 'Feature', properties: { parcel_id: `P${i}-${j}`, land_use: (i + j) % 3 === 0 ? 'commercial' : 'residential', floor_area: 500 + ((i * 7 + j * 13) % 20) * 100 },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] } });
  }
  const census = [];
  const Z = 10, step = (side - 1) / Z;
  for (let a = 0; a < Z; a++) for (let b = 0; b < Z; b++) {
    const [x0, y0] = at(Math.round(a * step), Math.round(b * step)), [x1, y1] = at(Math.round((a + 1) * step), Math.round((b + 1) * step));
    census.push({ type: 'Feature', properties: { zone_id: `Z${a}-${b}`, population: 20_000 + 500 * a, jobs: 8_000 + 300 * b },
      geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] } });
  }
  writeFileSync(join(dir, 'streets.geojson'), fc(lines));
  writeFileSync(join(dir, 'parcels.geojson'), fc(parcels));
  writeFileSync(join(dir, 'census.geojson'), fc(census));
  const path = join(dir, 'grid.gpkg');
  const svc = new EkimaeService({});
  await svc.invoke('project.create', { path, settings: { name: 'Access bench grid' } });
  await svc.invoke('layers.import', { path: join(dir, 'streets.geojson'), role: 'network' });
  await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
  await svc.invoke('layers.import', { path: join(dir, 'census.geojson'), role: 'census' });
  svc.close();
  console.log(`project: ${lines.length} street lines, ${parcels.length} parcels, ${census.length} census zones (made once, not timed)`);
  return path;
}

/** The phase a runAccess progress message starts. */
const PHASES: Array<[RegExp, string]> = [[/^building/, 'read'], [/^snapping/, 'snap'], [/^walking/, 'search'], [/^saving/, 'store'], [/^done/, 'end']];

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`);
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-access-run-'));
  try {
    const path = await makeProject(dir);
    const rows: Array<{ wall: number; cpu: number; phase: Record<string, number>; phaseCpu: Record<string, number>; load: string }> = [];
    for (let r = 0; r < RUNS + 1; r++) {
      (globalThis as { gc?: () => void }).gc?.();
      const project = Project.open(path);
      const marks: Array<[string, number, number]> = [];
      const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
      const t = performance.now(), c = process.cpuUsage();
      const out = await runAccess(project, { bandsM: [400, 800] }, (_f, msg) => {
        const p = PHASES.find(([re]) => re.test(msg));
        if (p && (!marks.length || marks[marks.length - 1][0] !== p[1])) marks.push([p[1], performance.now(), cpuNow()]);
      });
      const wall = performance.now() - t, cu = process.cpuUsage(c);
      const phase: Record<string, number> = {}, phaseCpu: Record<string, number> = {};
      for (let i = 0; i + 1 < marks.length; i++) { phase[marks[i][0]] = marks[i + 1][1] - marks[i][1]; phaseCpu[marks[i][0]] = marks[i + 1][2] - marks[i][2]; }
      rows.push({ wall, cpu: (cu.user + cu.system) / 1000, phase, phaseCpu, load: load() });
      if (r === 0) console.log(`nodes ${out.access.reached.length}, parcels on the network ${out.weights.node.filter((n) => n >= 0).length}`);
      project.close();
    }
    const show = (x: (typeof rows)[number]) => `${secs(x.wall)} s wall, ${secs(x.cpu)} s CPU (all threads); CPU by phase: read ${secs(x.phaseCpu.read ?? 0)}, snap ${secs(x.phaseCpu.snap ?? 0)}, search ${secs(x.phaseCpu.search ?? 0)}, store ${secs(x.phaseCpu.store ?? 0)} s; wall by phase: ${secs(x.phase.read ?? 0)}, ${secs(x.phase.snap ?? 0)}, ${secs(x.phase.search ?? 0)}, ${secs(x.phase.store ?? 0)} s; load ${x.load}`;
    console.log(`first run (builds the graph): ${show(rows[0])}`);
    const later = rows.slice(1), m = (f: (x: (typeof rows)[number]) => number) => median(later.map(f));
    console.log(`later runs, median of ${later.length}: ${secs(m((x) => x.wall))} s wall, ${secs(m((x) => x.cpu))} s CPU (all threads); CPU by phase: read ${secs(m((x) => x.phaseCpu.read ?? 0))}, snap ${secs(m((x) => x.phaseCpu.snap ?? 0))}, `
      + `search ${secs(m((x) => x.phaseCpu.search ?? 0))}, store ${secs(m((x) => x.phaseCpu.store ?? 0))} s; wall by phase: ${secs(m((x) => x.phase.read ?? 0))}, ${secs(m((x) => x.phase.snap ?? 0))}, ${secs(m((x) => x.phase.search ?? 0))}, ${secs(m((x) => x.phase.store ?? 0))} s; load ${later.map((x) => x.load).join(', ')} (runs wall ${later.map((x) => secs(x.wall)).join(', ')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
