/**
 * Accessibility at every node (npm run bench -- access): residents and jobs within 400 and 800 m of
 * every node, on the peers' 100k network (../shared/peers, 72,714 nodes; skipped when absent) and on
 * a generated 100,489-node street grid (317 × 317 nodes, 45–105 m blocks as in a soi fabric, with jitter, 7 % of links
 * missing, built through the same builder). Weights: a resident and job count on every node. Prints
 * wall and CPU time of the whole all-node run on one thread, per node, and the nodes one search
 * reaches; the same on worker threads (parallel.ts, one per core); networkx
 * (Debian's python3-networkx) timed on 2,000 sources of the peers' network and scaled, for scale.
 * Medians of BENCH_RUNS (default 3). Asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { buildGraph } from '../network/build.js';
import { readGeoJsonLines } from '../network/geojson-lines.js';
import { peersInputs } from '../network/peers-inputs.js';
import type { LineSource, WalkGraph } from '../network/types.js';
import { mulberry32 } from '../util/prng.js';
import { nodeAccess } from './engine.js';
import { nodeAccessParallel } from './parallel.js';
import { availableParallelism } from 'node:os';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const BANDS = [400, 800];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function grid(side: number): WalkGraph {
  const rnd = mulberry32(20261206);
  const lat0 = 13.75, lon0 = 100.45, mLat = 110_600, mLon = 108_100;
  const xs = [0], ys = [0];
  for (let i = 1; i < side; i++) { xs.push(xs[i - 1] + 45 + rnd() * 60); ys.push(ys[i - 1] + 45 + rnd() * 60); }
  const ll = new Float64Array(2 * side * side);
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const k = i * side + j;
    ll[2 * k] = lon0 + (xs[j] + (rnd() - 0.5) * 8) / mLon; ll[2 * k + 1] = lat0 + (ys[i] + (rnd() - 0.5) * 8) / mLat;
  }
  const coords: number[] = [], start: number[] = [];
  const seg = (a: number, b: number) => { start.push(coords.length / 2); coords.push(ll[2 * a], ll[2 * a + 1], ll[2 * b], ll[2 * b + 1]); };
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const k = i * side + j;
    if (j + 1 < side && rnd() > 0.07) seg(k, k + 1);
    if (i + 1 < side && rnd() > 0.07) seg(k, k + side);
  }
  const parts = start.length;
  start.push(coords.length / 2);
  const src: LineSource = { name: 'grid', coords: Float64Array.from(coords), partStart: Int32Array.from(start), partFid: Float64Array.from({ length: parts }, (_, i) => i + 1),
    partLevel: new Int8Array(parts), partWalkable: new Uint8Array(parts).fill(1) };
  return buildGraph(src);
}

function weights(g: WalkGraph): Float64Array[] {
  const rnd = mulberry32(7);
  return [Float64Array.from({ length: g.nodeCount }, () => Math.floor(rnd() * 60)), Float64Array.from({ length: g.nodeCount }, () => Math.floor(rnd() * 40))];
}

async function measureParallel(name: string, g: WalkGraph): Promise<void> {
  const w = weights(g);
  const wall: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    await nodeAccessParallel(g, w, { bandsM: BANDS });
    wall.push(performance.now() - t);
  }
  const threads = Math.min(8, availableParallelism());
  console.log(`${(name + ` (${threads} worker threads)`).padEnd(34)} ${String(g.nodeCount).padStart(7)} nodes  every node × ${BANDS.join('/')} m: ${(median(wall) / 1000).toFixed(2)} s wall  (runs ${wall.map((x) => (x / 1000).toFixed(2)).join(', ')}; workers started included)`);
}

function measure(name: string, g: WalkGraph): void {
  const w = weights(g);
  const wall: number[] = [], cpu: number[] = [];
  let reached = 0;
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now(), c = process.cpuUsage();
    const a = nodeAccess(g, w, { bandsM: BANDS });
    wall.push(performance.now() - t);
    const cu = process.cpuUsage(c);
    cpu.push((cu.user + cu.system) / 1000);
    reached = a.reached.reduce((s, x) => s + x, 0) / g.nodeCount;
  }
  const ms = median(wall);
  console.log(`${name.padEnd(34)} ${String(g.nodeCount).padStart(7)} nodes  every node × ${BANDS.join('/')} m: ${(ms / 1000).toFixed(2)} s wall, ${(median(cpu) / 1000).toFixed(2)} s CPU`
    + `  (${(ms * 1000 / g.nodeCount).toFixed(1)} µs per node; ${reached.toFixed(0)} nodes per search; target <= 1 s; runs ${wall.map((x) => (x / 1000).toFixed(2)).join(', ')})`);
}

const NX = String.raw`
import json, sys, time
import networkx as nx
net, k = sys.argv[1], int(sys.argv[2])
doc = json.load(open(net))
G = nx.Graph(); idx = {}
for f in doc['features']:
    c = f['geometry']['coordinates']
    u = idx.setdefault(tuple(c[0]), len(idx)); v = idx.setdefault(tuple(c[-1]), len(idx))
    G.add_edge(u, v, weight=f['properties']['length_m'])
w = {n: (n * 7919) % 60 for n in G}
srcs = list(G)[:k]
t = time.perf_counter()
for s in srcs:
    d = nx.single_source_dijkstra_path_length(G, s, cutoff=800, weight='weight')
    a = sum(w[n] for n, x in d.items() if x <= 400); b = sum(w[n] for n, x in d.items())
print(json.dumps(dict(per_node_s=(time.perf_counter() - t) / k, nodes=G.number_of_nodes())))
`;

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (the machine may be shared: CPU time shown beside wall time)`);
  const files = peersInputs('100k');
  if (files) {
    const g = buildGraph(readGeoJsonLines(readFileSync(files.network), 'network_100k')!);
    measure("peers' 100k network", g);
    await measureParallel("peers' 100k network", g);
  } else console.log("peers' 100k network: skipped (../shared/peers or /usr/bin/python3 absent)");
  const gg = grid(317);
  measure('generated 317 × 317 street grid', gg);
  await measureParallel('generated grid', gg);
  if (!files) return;
  const py = spawnSync('/usr/bin/python3', ['-c', NX, files.network, '2000'], { encoding: 'utf8' });
  if (py.status !== 0) { console.log(`networkx not measured: ${py.stderr.trim().split('\n').pop()}`); return; }
  const nx = JSON.parse(py.stdout.trim().split('\n').pop()!);
  console.log(`networkx (2,000 sources of the peers' network, scaled to all ${nx.nodes}): ${(nx.per_node_s * nx.nodes).toFixed(1)} s (${(nx.per_node_s * 1e6).toFixed(0)} µs per node)`);
  writeFileSync(join(files.dir, 'access-bench.json'), JSON.stringify({ networkxPerNodeS: nx.per_node_s }));
}

await main();
