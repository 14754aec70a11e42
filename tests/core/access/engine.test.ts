/**
 * Accessibility at every node against independently known answers: a hand-worked graph
 * (tests/fixtures/access/six-nodes/SOURCE.md) and networkx's Dijkstra on a generated 1,600-node
 * street grid (skipped when python3 with networkx is absent).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeAccess, AccessRunner } from '../../../core/access/engine.js';
import { AccessCancelled, nodeAccessParallel } from '../../../core/access/parallel.js';
import { assemble } from '../../../core/network/build.js';
import type { WalkGraph } from '../../../core/network/types.js';
import { mulberry32 } from '../../../core/util/prng.js';
import { tmpDir } from '../../helpers/tmp.js';

const FIX = resolve(__dirname, '../../fixtures/access/six-nodes');

/** A walk graph straight from an edge list (lengths as given, not measured from coordinates). */
function graphOf(n: number, edges: Array<[number, number, number]>, lonLat?: Float64Array): WalkGraph {
  const ll = lonLat ?? Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 13.8 : 100.5 + i * 1e-4));
  const E = edges.length;
  const vertices = new Float64Array(4 * E);
  edges.forEach(([u, v], e) => vertices.set([ll[2 * u], ll[2 * u + 1], ll[2 * v], ll[2 * v + 1]], 4 * e));
  return assemble({
    nodeLonLat: ll, edgeU: Int32Array.from(edges, (x) => x[0]), edgeV: Int32Array.from(edges, (x) => x[1]),
    edgeVStart: Int32Array.from(edges, (_, e) => 2 * e), edgeVEnd: Int32Array.from(edges, (_, e) => 2 * e + 1),
    edgeLength: Float64Array.from(edges, (x) => x[2]), edgeFid: Float64Array.from(edges, (_, e) => e + 1), vertices,
    stats: { parts: E, nonWalkableParts: 0, sharedInteriorNodes: 0, droppedLoops: 0 },
  });
}

describe('accessibility at every node', () => {
  const fx = JSON.parse(readFileSync(join(FIX, 'graph.json'), 'utf8'));
  const want = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8'));
  const g = graphOf(fx.nodes, fx.edges);
  const W = [Float64Array.from(fx.residents), Float64Array.from(fx.jobs)];

  it('six-nodes: residents and jobs within 400, 450 (a node exactly on the limit counts) and 800 m, as worked by hand', () => {
    const a = nodeAccess(g, W, { bandsM: fx.bandsM });
    const N = fx.nodes;
    fx.bandsM.forEach((b: number, k: number) => {
      expect(Array.from(a.sums[0].subarray(k * N, (k + 1) * N)), `residents ${b}`).toEqual(want.residents[String(b)]);
      expect(Array.from(a.sums[1].subarray(k * N, (k + 1) * N)), `jobs ${b}`).toEqual(want.jobs[String(b)]);
    });
    expect(Array.from(a.reached)).toEqual(want.reached_within_800);
  });

  it('runs in slices give the same answer as one call (buffers are reset between searches)', () => {
    const one = nodeAccess(g, W, { bandsM: fx.bandsM });
    const r = new AccessRunner(g, W, { bandsM: fx.bandsM });
    r.runRange(4, 6); r.runRange(0, 4);
    expect(Array.from(r.result.sums[0])).toEqual(Array.from(one.sums[0]));
    expect(Array.from(r.result.sums[1])).toEqual(Array.from(one.sums[1]));
  });

  it('worker threads (kernel sent as source text) give the same sums as this thread; a progress callback returning false cancels (E_CANCELLED upstream)', async () => {
    const rnd = mulberry32(3);
    const side = 30, n = side * side;
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
      const v = i * side + j;
      if (j + 1 < side) edges.push([v, v + 1, 40 + rnd() * 90]);
      if (i + 1 < side) edges.push([v, v + side, 40 + rnd() * 90]);
    }
    const gg = graphOf(n, edges);
    const w = [Float64Array.from({ length: n }, () => Math.floor(rnd() * 100)), Float64Array.from({ length: n }, () => Math.floor(rnd() * 10))];
    const one = nodeAccess(gg, w, { bandsM: [200, 400] });
    const par = await nodeAccessParallel(gg, w, { bandsM: [200, 400], threads: 2 });
    expect(Array.from(par.sums[0])).toEqual(Array.from(one.sums[0]));
    expect(Array.from(par.sums[1])).toEqual(Array.from(one.sums[1]));
    expect(Array.from(par.reached)).toEqual(Array.from(one.reached));
    expect(one.reached.every((x) => x > 1)).toBe(true);
    // Cancelling: on this thread the check comes between slices of 20,000 nodes.
    const side2 = 150, n2 = side2 * side2, e2: Array<[number, number, number]> = [];
    for (let i = 0; i < side2; i++) for (let j = 0; j < side2; j++) { const v = i * side2 + j; if (j + 1 < side2) e2.push([v, v + 1, 100]); if (i + 1 < side2) e2.push([v, v + side2, 100]); }
    const calls: number[] = [];
    await expect(nodeAccessParallel(graphOf(n2, e2), [new Float64Array(n2).fill(1)], { bandsM: [150], threads: 1, progress: (f) => { calls.push(f); return false; } })).rejects.toBeInstanceOf(AccessCancelled);
    expect(calls).toEqual([20_000 / n2]);
  });

  it('refuses bands that do not ascend and weights of the wrong length', () => {
    expect(() => new AccessRunner(g, W, { bandsM: [800, 400] })).toThrow(/ascend/);
    expect(() => new AccessRunner(g, [new Float64Array(3)], { bandsM: [400] })).toThrow(/3 entries for 6 nodes/);
  });
});

const py = existsSync('/usr/bin/python3') ? spawnSync('/usr/bin/python3', ['-c', 'import networkx'], { encoding: 'utf8' }) : null;
const haveNx = py?.status === 0;
if (!haveNx) console.warn('skipping the networkx comparison: /usr/bin/python3 with networkx is absent');

const NX = String.raw`
import json, sys
import networkx as nx
d = json.load(open(sys.argv[1]))
G = nx.Graph()
G.add_nodes_from(range(d['n']))
for u, v, w in d['edges']:
    if not G.has_edge(u, v) or G[u][v]['weight'] > w: G.add_edge(u, v, weight=w)
bands = d['bands']
out = {'residents': [], 'jobs': []}
for s in range(d['n']):
    dist = nx.single_source_dijkstra_path_length(G, s, cutoff=bands[-1], weight='weight')
    out['residents'].append([sum(d['residents'][t] for t, x in dist.items() if x <= b) for b in bands])
    out['jobs'].append([sum(d['jobs'][t] for t, x in dist.items() if x <= b) for b in bands])
json.dump(out, open(sys.argv[2], 'w'))
`;

describe.skipIf(!haveNx)('accessibility matches networkx', () => {
  it('every node of a 40 × 40 street grid with missing links, bands 150 / 300 / 500 m', () => {
    const rnd = mulberry32(15);
    const side = 40, n = side * side;
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
      const v = i * side + j;
      if (j + 1 < side && rnd() > 0.08) edges.push([v, v + 1, 40 + rnd() * 90]);
      if (i + 1 < side && rnd() > 0.08) edges.push([v, v + side, 40 + rnd() * 90]);
      if (i + 1 < side && j + 1 < side && rnd() < 0.05) edges.push([v, v + side + 1, 60 + rnd() * 120]);
    }
    const residents = Array.from({ length: n }, () => (rnd() < 0.3 ? 0 : Math.floor(rnd() * 200)));
    const jobs = Array.from({ length: n }, () => (rnd() < 0.6 ? 0 : Math.floor(rnd() * 500)));
    const bands = [150, 300, 500];
    const dir = tmpDir('ekimae-access-nx-');
    writeFileSync(join(dir, 'g.json'), JSON.stringify({ n, edges, residents, jobs, bands }));
    const r = spawnSync('/usr/bin/python3', ['-c', NX, join(dir, 'g.json'), join(dir, 'out.json')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const nx = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { residents: number[][]; jobs: number[][] };
    const a = nodeAccess(graphOf(n, edges), [Float64Array.from(residents), Float64Array.from(jobs)], { bandsM: bands });
    const mismatches: string[] = [];
    let nonTrivial = 0;
    for (let s = 0; s < n; s++) for (let b = 0; b < bands.length; b++) {
      if (a.sums[0][b * n + s] !== nx.residents[s][b] || a.sums[1][b * n + s] !== nx.jobs[s][b]) mismatches.push(`node ${s} band ${bands[b]}`);
      if (b === 2 && nx.residents[s][b] > nx.residents[s][0]) nonTrivial++;
    }
    expect(mismatches.slice(0, 10)).toEqual([]);
    // The bands matter: most nodes reach more people within 500 m than within 150 m.
    expect(nonTrivial).toBeGreaterThan(n * 0.9);
  });
});
