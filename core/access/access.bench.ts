/**
 * Accessibility at every node (npm run bench -- access): residents and jobs within 400 and 800 m of
 * every node, on the peers' 100k network (../shared/peers, 72,714 nodes; skipped when absent) and on
 * a generated 100,489-node street grid (317 × 317 nodes, 45–105 m blocks as in a soi fabric, with jitter, 7 % of links
 * missing, built through the same builder; bench-grid.ts). Each graph's arcs are sorted per node once
 * before the runs (engine.ts sortedArcs; its time printed apart, as the graph build is). Weights: a resident and job count on every node. Prints
 * CPU and wall time of the whole all-node run on one thread (per node too, and the nodes one search
 * reaches), then the wall time on worker threads (parallel.ts, one per core; the run that starts the
 * pool apart from the runs that reuse it) with the CPU of all threads, the load average around each, and each against the 1 s target;
 * networkx (Debian's python3-networkx) timed on 2,000 sources of the peers' network and scaled, for
 * scale. Medians of BENCH_RUNS (default 3). Asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { buildGraph } from '../network/build.js';
import { readGeoJsonLines } from '../network/geojson-lines.js';
import { peersInputs } from '../network/peers-inputs.js';
import type { WalkGraph } from '../network/types.js';
import { mulberry32 } from '../util/prng.js';
import { benchGrid } from './bench-grid.js';
import { nodeAccess, sortedArcs } from './engine.js';
import { nodeAccessParallel } from './parallel.js';
import { availableParallelism } from 'node:os';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const BANDS = [400, 800];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const grid = (side: number): WalkGraph => buildGraph(benchGrid(side).source);

function weights(g: WalkGraph): Float64Array[] {
  const rnd = mulberry32(7);
  return [Float64Array.from({ length: g.nodeCount }, () => Math.floor(rnd() * 60)), Float64Array.from({ length: g.nodeCount }, () => Math.floor(rnd() * 40))];
}

const load = () => loadavg()[0].toFixed(1);
const secs = (ms: number) => (ms / 1000).toFixed(2);

/** Single thread: wall and CPU time of nodeAccess (setup of its buffers included), median of RUNS. */
function measure(name: string, g: WalkGraph): number {
  const w = weights(g);
  const ts = performance.now(), cs = process.cpuUsage();
  sortedArcs(g); // once per graph, kept with it (as the graph build is): shown apart, not in the runs
  const csu = process.cpuUsage(cs);
  console.log(`${name}: arcs sorted per node in ${secs(performance.now() - ts)} s wall, ${secs((csu.user + csu.system) / 1000)} s CPU (once per graph, not in the query figures)`);
  const wall: number[] = [], cpu: number[] = [];
  let reached = 0;
  const before = load();
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now(), c = process.cpuUsage();
    const a = nodeAccess(g, w, { bandsM: BANDS });
    wall.push(performance.now() - t);
    const cu = process.cpuUsage(c);
    cpu.push((cu.user + cu.system) / 1000);
    reached = a.reached.reduce((s, x) => s + x, 0) / g.nodeCount;
  }
  const c = median(cpu), ms = median(wall);
  console.log(`${name.padEnd(34)} ${String(g.nodeCount).padStart(7)} nodes  1 thread:  ${secs(c)} s CPU, ${secs(ms)} s wall`
    + `  (${(c * 1000 / g.nodeCount).toFixed(1)} µs CPU per node; ${reached.toFixed(0)} nodes per search; load ${before} → ${load()}; runs CPU ${cpu.map(secs).join(', ')}, wall ${wall.map(secs).join(', ')})`);
  return c;
}

/**
 * Worker threads (one per core): wall time from the call to the answer; the first run starts the
 * pool (printed apart), later runs reuse it as the app does; CPU of all threads together.
 */
async function measureParallel(name: string, g: WalkGraph): Promise<number> {
  const w = weights(g);
  const wall: number[] = [], cpu: number[] = [];
  const threads = Math.min(8, availableParallelism());
  const before = load();
  for (let r = 0; r < RUNS + 1; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    const t = performance.now(), c = process.cpuUsage();
    await nodeAccessParallel(g, w, { bandsM: BANDS, threads });
    wall.push(performance.now() - t);
    const cu = process.cpuUsage(c);
    cpu.push((cu.user + cu.system) / 1000);
  }
  const ms = median(wall.slice(1));
  console.log(`${name.padEnd(34)} ${String(g.nodeCount).padStart(7)} nodes  ${threads} threads: ${secs(median(cpu.slice(1)))} s CPU (all threads), ${secs(ms)} s wall`
    + `  (pool warm; the first run, starting it: ${secs(wall[0])} s wall, ${secs(cpu[0])} s CPU; load ${before} → ${load()}; runs wall ${wall.slice(1).map(secs).join(', ')})`);
  return ms;
}

function verdict(name: string, cpu: number, wall: number): void {
  const ok = (x: number) => (x <= 1000 ? 'meets' : 'misses');
  console.log(`  → ${name}: target every node ≤ 1 s: single-thread CPU ${secs(cpu)} s ${ok(cpu)} it; ${Math.min(8, availableParallelism())}-thread wall ${secs(wall)} s ${ok(wall)} it (at load ${load()} on ${cpus().length} cores)`);
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
  console.log(`timed: the query only — a search from every node for both bands (${BANDS.join(' and ')} m in one search) and two sums per band (residents, jobs),`
    + ' its buffers set up inside the timing; the walk graph is built and the node weights attached before (graph build shown apart)');
  const files = peersInputs('100k');
  if (files) {
    const t = performance.now();
    const g = buildGraph(readGeoJsonLines(readFileSync(files.network), 'network_100k')!);
    console.log(`peers' 100k network: read and graph built in ${secs(performance.now() - t)} s wall (not in the query figures)`);
    const c = measure("peers' 100k network", g);
    verdict("peers' 100k network", c, await measureParallel("peers' 100k network", g));
  } else console.log("peers' 100k network: skipped (../shared/peers or /usr/bin/python3 absent)");
  const gg = grid(317);
  const c = measure('generated 317 × 317 street grid', gg);
  verdict('generated grid', c, await measureParallel('generated grid', gg));
  if (!files) return;
  const py = spawnSync('/usr/bin/python3', ['-c', NX, files.network, '2000'], { encoding: 'utf8' });
  if (py.status !== 0) { console.log(`networkx not measured: ${py.stderr.trim().split('\n').pop()}`); return; }
  const nx = JSON.parse(py.stdout.trim().split('\n').pop()!);
  console.log(`networkx (2,000 sources of the peers' network, scaled to all ${nx.nodes}): ${(nx.per_node_s * nx.nodes).toFixed(1)} s (${(nx.per_node_s * 1e6).toFixed(0)} µs per node)`);
  writeFileSync(join(files.dir, 'access-bench.json'), JSON.stringify({ networkxPerNodeS: nx.per_node_s }));
}

await main();
