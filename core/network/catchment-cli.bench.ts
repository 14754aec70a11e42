/**
 * The whole path from files to an answer (npm run bench -- catchment-cli): the `ekimae catchment`
 * process on the peers' 100k network (../shared/peers; 72,714 nodes, 101,360 edges) with 100
 * stations, 1200 m, node snapping, the reached nodes written as CSV, against networkx's whole run on
 * the same files in the same benchmark run (a python3 process: json.load, graph, nearest nodes,
 * multi-source Dijkstra, CSV). Both are fresh processes timed by wall clock, alternating, medians of
 * BENCH_RUNS (default 5); CPU time from /usr/bin/time beside. Asserts nothing; checks both CSVs hold
 * the same node count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { BENCH_ROOT, PEERS, peersInputs } from './peers-inputs.js';
// @ts-expect-error plain JavaScript build script, no declarations
import { ensureCliBundle } from '../../scripts/build-app.mjs';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const NX = String.raw`
import json, sys
sys.path.insert(0, sys.argv[1])
import numpy as np, networkx as nx
from geodesic import nearest_nodes
net, st, cutoff, out = sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
doc = json.load(open(net))
G = nx.Graph(); idx = {}
for f in doc['features']:
    c = f['geometry']['coordinates']
    u = idx.setdefault(tuple(c[0]), len(idx)); v = idx.setdefault(tuple(c[-1]), len(idx))
    G.add_edge(u, v, weight=f['properties']['length_m'])
del doc
xy = np.array(list(idx.keys()))
pts = [f['geometry']['coordinates'] for f in json.load(open(st))['features']]
src = [int(i) for i in nearest_nodes([p[0] for p in pts], [p[1] for p in pts], xy[:, 0], xy[:, 1])[0]]
d = nx.multi_source_dijkstra_path_length(G, src, cutoff=cutoff, weight='weight')
with open(out, 'w') as fh:
    fh.write('lon,lat,dist_m\n')
    fh.write(''.join('%.7f,%.7f,%.6f\n' % (xy[n][0], xy[n][1], x) for n, x in sorted(d.items())))
`;

/** Wall seconds of a fresh process, and its CPU seconds when /usr/bin/time can tell. */
function timed(cmd: string, args: string[]): { wall: number; cpu: number | null } {
  const useTime = existsSync('/usr/bin/time');
  const t = performance.now();
  const r = useTime ? spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : null };
}

async function main(): Promise<void> {
  const files = peersInputs('100k');
  if (!files) { console.log(`skipped: ${PEERS} (or /usr/bin/python3) is absent`); return; }
  await ensureCliBundle();
  const outE = join(files.dir, 'ekimae_nodes.csv'), outN = join(files.dir, 'networkx_nodes.csv');
  const ek = [join(BENCH_ROOT, 'bin', 'ekimae.mjs'), 'catchment', '--network', files.network, '--stations', files.stations(100), '--cutoff', '1200', '--snap', 'node', '--nodes-out', outE];
  const nxArgs = ['-c', NX, PEERS, files.network, files.stations(100), '1200', outN];
  const e: Array<{ wall: number; cpu: number | null }> = [], n: Array<{ wall: number; cpu: number | null }> = [];
  const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
  const loadBefore = load();
  timed(process.execPath, ek); // warm the file cache and the bundle
  for (let r = 0; r < RUNS; r++) { e.push(timed(process.execPath, ek)); n.push(timed('/usr/bin/python3', nxArgs)); }
  const rows = (f: string) => readFileSync(f, 'utf8').trim().split('\n').length - 1;
  const cpuOf = (xs: Array<{ cpu: number | null }>) => (xs[0].cpu === null ? null : median(xs.map((x) => x.cpu!)));
  const ew = median(e.map((x) => x.wall)), nw = median(n.map((x) => x.wall));
  const ec = cpuOf(e), nc = cpuOf(n);
  const cpuText = (c: number | null) => (c === null ? 'n/a' : `${c.toFixed(2)} s`);
  console.log(`peers' 100k network, 100 stations, 1200 m, node snapping, CSV of reached nodes; medians of ${RUNS} fresh processes each, alternating`);
  console.log(`machine: ${cpus().length} cores, load average ${loadBefore} before, ${load()} after (1/5/15 min; the machine may be shared: CPU time beside wall time)`);
  console.log(`ekimae catchment (node bin/ekimae.mjs)  ${ew.toFixed(2).padStart(6)} s wall  CPU ${cpuText(ec)}  (wall runs ${e.map((x) => x.wall.toFixed(2)).join(', ')}; ${rows(outE)} nodes)`);
  console.log(`networkx whole run (python3)            ${nw.toFixed(2).padStart(6)} s wall  CPU ${cpuText(nc)}  (wall runs ${n.map((x) => x.wall.toFixed(2)).join(', ')}; ${rows(outN)} nodes)`);
  const ratio = nw / ew;
  const cpuRatio = ec !== null && nc !== null ? nc / ec : null;
  const verdict = (x: number) => (x >= 5 ? 'meets' : 'below');
  console.log(`ekimae vs networkx's whole run: ${ratio.toFixed(1)}× by wall time (${verdict(ratio)} the >= 5× target)${cpuRatio ? `, ${cpuRatio.toFixed(1)}× by CPU time (${verdict(cpuRatio)} it)` : ''}`);
  if (rows(outE) !== rows(outN)) console.log(`NOTE: node counts differ (${rows(outE)} vs ${rows(outN)})`);
}

await main();
