/**
 * The bucket search (core/access/engine.ts) against the binary-heap Dijkstra it replaced
 * (reference-kernel.ts, verbatim from commit 8c0c89c), on random graphs made to trip a bucket
 * search: equal lengths everywhere (ties, also exactly on band limits), zero-length arcs and arcs
 * far shorter than a bucket (nodes improved inside their own bucket), parallel arcs, self-loops,
 * node ids in random order, several disconnected parts and isolated nodes. With whole-number
 * weights every sum is exact in floating point, so per-node sums and reach must be equal, not close.
 */
import { describe, expect, it } from 'vitest';
import { bucketsFor, nodeAccess, AccessRunner } from '../../../core/access/engine.js';
import { nodeAccessParallel } from '../../../core/access/parallel.js';
import { assemble } from '../../../core/network/build.js';
import type { WalkGraph } from '../../../core/network/types.js';
import { mulberry32 } from '../../../core/util/prng.js';
import { referenceAccess } from './reference-kernel.js';

function graphOf(n: number, edges: Array<[number, number, number]>): WalkGraph {
  const ll = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? 13.8 : 100.5 + i * 1e-5));
  const E = edges.length, vertices = new Float64Array(4 * E);
  edges.forEach(([u, v], e) => vertices.set([ll[2 * u], ll[2 * u + 1], ll[2 * v], ll[2 * v + 1]], 4 * e));
  return assemble({
    nodeLonLat: ll, edgeU: Int32Array.from(edges, (x) => x[0]), edgeV: Int32Array.from(edges, (x) => x[1]),
    edgeVStart: Int32Array.from(edges, (_, e) => 2 * e), edgeVEnd: Int32Array.from(edges, (_, e) => 2 * e + 1),
    edgeLength: Float64Array.from(edges, (x) => x[2]), edgeFid: Float64Array.from(edges, (_, e) => e + 1), vertices,
    stats: { parts: E, nonWalkableParts: 0, sharedInteriorNodes: 0, droppedLoops: 0 },
  });
}

/** Four 24 × 24 street grids that do not touch, 15 isolated nodes; ids shuffled. */
function trickyGraph(seed: number): { g: WalkGraph; n: number } {
  const rnd = mulberry32(seed);
  const side = 24, parts = 4, isolated = 15, n = parts * side * side + isolated;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [perm[i], perm[j]] = [perm[j], perm[i]]; }
  const length = () => {
    const r = rnd();
    if (r < 0.06) return 0;
    if (r < 0.16) return 0.01 + rnd() * 2; // well under a bucket's width
    if (r < 0.7) return 10 * (1 + Math.floor(rnd() * 10)); // whole tens: ties, and exact band limits
    return 1 + rnd() * 119;
  };
  const edges: Array<[number, number, number]> = [];
  for (let p = 0; p < parts; p++) for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const v = p * side * side + i * side + j;
    if (j + 1 < side && rnd() > 0.1) edges.push([perm[v], perm[v + 1], length()]);
    if (i + 1 < side && rnd() > 0.1) edges.push([perm[v], perm[v + side], length()]);
    if (i + 1 < side && j + 1 < side && rnd() < 0.05) edges.push([perm[v], perm[v + side + 1], length()]);
    if (j + 1 < side && rnd() < 0.03) edges.push([perm[v], perm[v + 1], length()]); // a parallel arc
    if (rnd() < 0.01) edges.push([perm[v], perm[v], length()]); // a self-loop
  }
  return { g: graphOf(n, edges), n };
}

function intWeights(n: number, seed: number): Float64Array[] {
  const rnd = mulberry32(seed);
  return [Float64Array.from({ length: n }, () => (rnd() < 0.2 ? 0 : Math.floor(rnd() * 100))), Float64Array.from({ length: n }, () => Math.floor(rnd() * 1e6))];
}

const arr = (a: Float64Array | Int32Array) => Array.from(a);

describe('the bucket search gives exactly the sums of the Dijkstra it replaced', () => {
  const { g, n } = trickyGraph(41);
  const W = intWeights(n, 42);

  it('random graph with ties, zero-length and sub-bucket arcs, parallel arcs, self-loops and disconnected parts: bands 50 / 120 / 200 / 300 m', () => {
    const bands = [50, 120, 200, 300];
    // The case reaches the paths it is meant to: arcs of zero length and shorter than a bucket.
    const width = 1 / bucketsFor(g.weights, 300).scale;
    expect(g.weights.some((l) => l === 0)).toBe(true);
    expect(g.weights.some((l) => l > 0 && l < width)).toBe(true);
    const want = referenceAccess(g.offsets, g.targets, g.weights, W, bands);
    const got = nodeAccess(g, W, { bandsM: bands });
    expect(arr(got.reached)).toEqual(arr(want.reached));
    expect(arr(got.sums[0])).toEqual(arr(want.sums[0]));
    expect(arr(got.sums[1])).toEqual(arr(want.sums[1]));
    // Not a trivial case: searches reach dozens of nodes, the bands differ, isolated nodes reach themselves.
    expect(arr(got.reached).reduce((s, x) => s + x, 0) / n).toBeGreaterThan(30);
    let differ = 0;
    for (let s = 0; s < n; s++) if (got.sums[0][3 * n + s] !== got.sums[0][s]) differ++;
    expect(differ).toBeGreaterThan(n / 2);
    expect(arr(got.reached).filter((x) => x === 1).length).toBeGreaterThanOrEqual(15);
  });

  it('the same on worker threads and in slices run out of order', async () => {
    const bands = [100, 250];
    const want = referenceAccess(g.offsets, g.targets, g.weights, W, bands);
    const par = await nodeAccessParallel(g, W, { bandsM: bands, threads: 2 });
    expect(arr(par.sums[0])).toEqual(arr(want.sums[0]));
    expect(arr(par.sums[1])).toEqual(arr(want.sums[1]));
    expect(arr(par.reached)).toEqual(arr(want.reached));
    const r = new AccessRunner(g, W, { bandsM: bands });
    r.runRange(1000, n); r.runRange(0, 1000);
    expect(arr(r.result.sums[1])).toEqual(arr(want.sums[1]));
  });

  it('pooled workers answer a second run on another graph and other bands exactly (nothing kept from the first job but the compiled kernel)', async () => {
    const other = trickyGraph(7), Wo = intWeights(other.n, 8);
    for (const [gr, w, bands] of [[other.g, Wo, [60, 90]], [g, W, [300]]] as const) {
      const want = referenceAccess(gr.offsets, gr.targets, gr.weights, [...w], [...bands]);
      const par = await nodeAccessParallel(gr, [...w], { bandsM: [...bands], threads: 2 });
      expect(arr(par.sums[0])).toEqual(arr(want.sums[0]));
      expect(arr(par.reached)).toEqual(arr(want.reached));
    }
  });

  it('one band, and a zero band (only zero-length arcs reach anything)', () => {
    for (const bands of [[80], [0]]) {
      const want = referenceAccess(g.offsets, g.targets, g.weights, W, bands);
      const got = nodeAccess(g, W, { bandsM: bands });
      expect(arr(got.sums[0]), `bands ${bands}`).toEqual(arr(want.sums[0]));
      expect(arr(got.reached), `bands ${bands}`).toEqual(arr(want.reached));
    }
    expect(arr(nodeAccess(g, W, { bandsM: [0] }).reached).some((x) => x > 1)).toBe(true);
  });

  it('fractional weights: the same reached sets, so sums differ at most by rounding (they are added in another order)', () => {
    const rnd = mulberry32(43);
    const F = [Float64Array.from({ length: n }, () => rnd() * 37.3)];
    const want = referenceAccess(g.offsets, g.targets, g.weights, F, [120, 300]);
    const got = nodeAccess(g, F, { bandsM: [120, 300] });
    let worst = 0;
    for (let i = 0; i < 2 * n; i++) worst = Math.max(worst, Math.abs(got.sums[0][i] - want.sums[0][i]) / Math.max(1, want.sums[0][i]));
    expect(worst).toBeLessThan(1e-12);
  });

  it('refuses an empty list of bands', () => {
    expect(() => nodeAccess(g, W, { bandsM: [] })).toThrow(/at least one band/);
  });
});
