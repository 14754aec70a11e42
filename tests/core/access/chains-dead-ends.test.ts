/**
 * Accessibility at every node against networkx (tests/fixtures/access/chains-dead-ends/SOURCE.md):
 * chains, a dead-end stem with a node exactly on the 800 m limit, a weighted cul-de-sac, parallel,
 * zero-length and self-loop arcs, an arc longer than every band. Nodes with arcs of very different
 * lengths check that a search stops reading a node's arcs (sorted shortest first) at the right one.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeAccess, sortedArcs } from '../../../core/access/engine.js';
import { nodeAccessParallel } from '../../../core/access/parallel.js';
import { assemble } from '../../../core/network/build.js';
import type { WalkGraph } from '../../../core/network/types.js';

const FIX = resolve(__dirname, '../../fixtures/access/chains-dead-ends');
const fx = JSON.parse(readFileSync(join(FIX, 'graph.json'), 'utf8')) as { nodes: number; bandsM: number[]; edges: Array<[number, number, number]>; residents: number[]; jobs: number[] };
const want = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8'));

function graphOf(n: number, edges: Array<[number, number, number]>): WalkGraph {
  const ll = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 13.8 : 100.5 + i * 1e-4));
  const E = edges.length, vertices = new Float64Array(4 * E);
  edges.forEach(([u, v], e) => vertices.set([ll[2 * u], ll[2 * u + 1], ll[2 * v], ll[2 * v + 1]], 4 * e));
  return assemble({
    nodeLonLat: ll, edgeU: Int32Array.from(edges, (x) => x[0]), edgeV: Int32Array.from(edges, (x) => x[1]),
    edgeVStart: Int32Array.from(edges, (_, e) => 2 * e), edgeVEnd: Int32Array.from(edges, (_, e) => 2 * e + 1),
    edgeLength: Float64Array.from(edges, (x) => x[2]), edgeFid: Float64Array.from(edges, (_, e) => e + 1), vertices,
    stats: { parts: E, nonWalkableParts: 0, sharedInteriorNodes: 0, droppedLoops: 0 },
  });
}

describe('chains, dead ends and a cul-de-sac against networkx', () => {
  const g = graphOf(fx.nodes, fx.edges);
  const W = [Float64Array.from(fx.residents), Float64Array.from(fx.jobs)];
  const N = fx.nodes;
  const check = (a: { sums: Float64Array[]; reached: Int32Array }) => {
    fx.bandsM.forEach((b, k) => {
      expect(Array.from(a.sums[0].subarray(k * N, (k + 1) * N)), `residents ${b}`).toEqual(want.residents[String(b)]);
      expect(Array.from(a.sums[1].subarray(k * N, (k + 1) * N)), `jobs ${b}`).toEqual(want.jobs[String(b)]);
    });
    expect(Array.from(a.reached)).toEqual(want.reached_within_cutoff);
  };

  it('every node, bands 400 and 800 m, on this thread: equal to networkx', () => {
    // The case holds what it is meant to: node 10 exactly at the cutoff from node 3, counted.
    expect(want.distances[3]['10']).toBe(800);
    check(nodeAccess(g, W, { bandsM: fx.bandsM }));
    expect(nodeAccess(g, W, { bandsM: [400, 799.999] }).sums[0][N + 3]).toBe(want.residents['800'][3] - fx.residents[10]);
  });

  it('the same on two worker threads', async () => {
    check(await nodeAccessParallel(g, W, { bandsM: fx.bandsM, threads: 2 }));
  });

  it('sortedArcs: each node keeps its arcs, shortest first', () => {
    const s = sortedArcs(g);
    for (let n = 0; n < N; n++) {
      const a = g.offsets[n], b = g.offsets[n + 1];
      const pairs = (t: Int32Array, l: Float64Array) => Array.from({ length: b - a }, (_, i) => `${t[a + i]}:${l[a + i]}`);
      expect(pairs(s.targets, s.len).sort()).toEqual(pairs(g.targets, g.weights).sort());
      for (let i = a + 1; i < b; i++) expect(s.len[i]).toBeGreaterThanOrEqual(s.len[i - 1]);
    }
    expect(sortedArcs(g)).toBe(s); // once per graph
  });
});
