/**
 * Walk catchment benchmark (npm run bench -- catchment) on the peers' 1M-edge Bangkok network
 * (../shared/peers/gen_network.py --size 1m; generated once into $EKIMAE_BENCH_DIR/peers, sha256
 * checked). Times: file -> graph ready; 1 station × 800 m; 100 stations × 800 m (node snapping, the
 * peers' definition; snapping itself excluded as for the peers); graph memory. networkx (Debian's
 * python3-networkx) is timed in the same run on the same files. Medians; BENCH_RUNS (default 3).
 * Asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { readGeoJsonLines } from './geojson-lines.js';
import { buildGraph } from './build.js';
import { DijkstraRunner } from './dijkstra.js';
import { Snapper } from './snap.js';
import { deserializeGraph, serializeGraph } from './cache.js';
import type { WalkGraph } from './types.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const DIR = resolve(process.env.EKIMAE_BENCH_DIR ?? join(ROOT, '.cache/bench'), 'peers');
const PEERS = join(resolve(ROOT, '../shared'), 'peers');
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`);

function inputs(): boolean {
  if (!existsSync(join(PEERS, 'gen_network.py'))) { console.log(`skipped: ${PEERS} is absent`); return false; }
  const expected = JSON.parse(readFileSync(join(PEERS, 'expected/inputs.json'), 'utf8'))['1m'].sha256 as Record<string, string>;
  const net = join(DIR, 'network_1m.geojson');
  const ok = () => existsSync(net) && createHash('sha256').update(readFileSync(net)).digest('hex') === expected.network;
  if (!ok()) {
    mkdirSync(DIR, { recursive: true });
    console.log('generating the 1m network (about a minute, once)…');
    const r = spawnSync('/usr/bin/python3', [join(PEERS, 'gen_network.py'), '--size', '1m', '--out', DIR], { stdio: 'inherit' });
    if (r.status !== 0 || !ok()) throw new Error('could not generate the 1m network matching expected/inputs.json');
  }
  return true;
}

function graphBytes(g: WalkGraph): number {
  return [g.nodeLonLat, g.offsets, g.targets, g.weights, g.edgeU, g.edgeV, g.edgeLength, g.edgeFid, g.edgeVStart, g.edgeVEnd, g.vertices, g.component]
    .reduce((s, a) => s + a.byteLength, 0);
}

const NX = String.raw`
import json, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, networkx as nx
from geodesic import nearest_nodes
net, st, runs = sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
doc = json.load(open(net))
G = nx.Graph(); idx = {}
for f in doc['features']:
    c = f['geometry']['coordinates']
    u = idx.setdefault(tuple(c[0]), len(idx)); v = idx.setdefault(tuple(c[-1]), len(idx))
    G.add_edge(u, v, weight=f['properties']['length_m'])
build = time.perf_counter() - t
del doc
xy = np.array(list(idx.keys()))
pts = [f['geometry']['coordinates'] for f in json.load(open(st))['features']]
src = [int(i) for i in nearest_nodes([p[0] for p in pts], [p[1] for p in pts], xy[:, 0], xy[:, 1])[0]]
def q(sources, reps):
    out = []
    for _ in range(reps):
        t = time.perf_counter(); r = nx.multi_source_dijkstra_path_length(G, sources, cutoff=800, weight='weight'); out.append(time.perf_counter() - t)
    return sorted(out)[len(out) // 2], len(r)
one, n1 = q([src[0]], 9)
hundred, n100 = q(src, runs)
print(json.dumps(dict(build_s=build, one_ms=one * 1000, hundred_ms=hundred * 1000, n1=n1, n100=n100)))
`;

function main(): void {
  if (!inputs()) return;
  const net = join(DIR, 'network_1m.geojson');
  const st = JSON.parse(readFileSync(join(DIR, 'stations_1m_100.geojson'), 'utf8')).features.map((f: { geometry: { coordinates: [number, number] } }) => f.geometry.coordinates);

  const ready: number[] = [], readyCpu: number[] = [];
  let g!: WalkGraph;
  let rssBefore = 0, rssAfter = 0;
  for (let r = 0; r < RUNS; r++) {
    (globalThis as { gc?: () => void }).gc?.();
    rssBefore = process.memoryUsage().rss;
    const t0 = performance.now(), c0 = process.cpuUsage();
    const bytes = readFileSync(net);
    g = buildGraph(readGeoJsonLines(bytes, 'network_1m.geojson')!);
    ready.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    readyCpu.push((c1.user + c1.system) / 1000);
    (globalThis as { gc?: () => void }).gc?.();
    rssAfter = process.memoryUsage().rss;
  }
  const blob = serializeGraph(g);
  const fromBlob: number[] = [];
  for (let r = 0; r < RUNS; r++) { const t = performance.now(); deserializeGraph(blob); fromBlob.push(performance.now() - t); }
  const snapper = new Snapper(g);
  const sources = st.map(([lon, lat]: [number, number], i: number) => ({ node: snapper.nearestNode(lon, lat, 5000)!.node, dist: 0, label: i }));
  const runner = new DijkstraRunner(g);
  for (let w = 0; w < 50; w++) runner.run([sources[w % 100]], 800);
  const one: number[] = [];
  let n1 = 0;
  for (let r = 0; r < 1000; r++) {
    const t = performance.now();
    n1 = runner.run([sources[0]], 800);
    one.push(performance.now() - t);
  }
  const oneEach: number[] = [];
  for (const s of sources) { const t = performance.now(); runner.run([s], 800); oneEach.push(performance.now() - t); }
  const hundred: number[] = [];
  let n100 = 0;
  for (let r = 0; r < Math.max(RUNS, 11); r++) {
    const t = performance.now();
    n100 = runner.run(sources, 800);
    hundred.push(performance.now() - t);
  }
  const mem = graphBytes(g) / 1e6;

  console.log(`1M-edge network: ${g.nodeCount} nodes, ${g.edgeCount} edges`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores (the machine may be shared: CPU time shown beside wall time)`);
  console.log(`ekimae  file -> graph ready      ${fmt(median(ready)).padStart(9)}   (target <= 2 s; runs ${ready.map(fmt).join(', ')}; CPU time ${fmt(median(readyCpu))}, GC threads included)`);
  console.log(`ekimae  cached BLOB -> graph ready ${fmt(median(fromBlob)).padStart(9)}   (the project cache: ${(blob.length / 1e6).toFixed(0)} MB BLOB, CSR and components rebuilt)`);
  console.log(`ekimae  1 station × 800 m       ${fmt(median(one)).padStart(9)}   (target <= 0.1 ms; ${n1} nodes; median over each of the 100 stations ${fmt(median(oneEach))})`);
  console.log(`ekimae  100 stations × 800 m    ${fmt(median(hundred)).padStart(9)}   (target <= 30 ms; ${n100} nodes)`);
  console.log(`ekimae  graph memory            ${mem.toFixed(1).padStart(6)} MB   (target <= 150 MB; typed arrays of the graph; RSS after build ${(rssAfter / 1e6).toFixed(0)} MB, before ${(rssBefore / 1e6).toFixed(0)} MB)`);

  const py = spawnSync('/usr/bin/python3', ['-c', NX, PEERS, net, join(DIR, 'stations_1m_100.geojson'), String(RUNS)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (py.status !== 0) { console.log(`networkx not measured: ${py.stderr.trim().split('\n').pop()}`); return; }
  const nx = JSON.parse(py.stdout.trim().split('\n').pop()!);
  console.log(`networkx file -> graph ready    ${fmt(nx.build_s * 1000).padStart(9)}   (json.load + nx.Graph; 1 run)   ekimae is ${(nx.build_s * 1000 / median(ready)).toFixed(1)}× faster`);
  console.log(`networkx 1 station × 800 m      ${fmt(nx.one_ms).padStart(9)}   (${nx.n1} nodes)   ekimae is ${(nx.one_ms / median(one)).toFixed(0)}× faster`);
  console.log(`networkx 100 stations × 800 m   ${fmt(nx.hundred_ms).padStart(9)}   (${nx.n100} nodes)   ekimae is ${(nx.hundred_ms / median(hundred)).toFixed(0)}× faster`);
  if (nx.n1 !== n1 || nx.n100 !== n100) console.log(`NOTE: reached node counts differ from networkx (${n1}/${n100} vs ${nx.n1}/${nx.n100})`);
  writeFileSync(join(DIR, 'catchment-bench.json'), JSON.stringify({ readyMs: median(ready), oneMs: median(one), hundredMs: median(hundred), graphMB: mem, networkx: nx }, null, 1));
}

main();
