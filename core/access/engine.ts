/**
 * Accessibility at every node (what pandana computes): for each node of the walk graph, the sum of
 * node weights (residents, jobs, … aggregated to their nearest node beforehand) over the nodes
 * whose shortest walking distance from it is within each band.
 *
 * One search per node, bounded by the largest band; every band comes out of that one search (a
 * smaller band's answer is a prefix of the largest's). The search is label-correcting over
 * distance buckets (Dial's buckets on the exact float distances, not rounded ones): a node is
 * expanded when its bucket comes up, and again only if a path shorter than one bucket width
 * improves it inside its own bucket (a FIFO queue, so that stays bounded). Each distance ends as the
 * minimum over paths of the same left-to-right float sums Dijkstra takes, so the distances, and
 * which nodes fall within each band, are exactly Dijkstra's. The binary heap this replaced took
 * about half of the time (docs/PERFORMANCE.md § Accessibility); a small heap per bucket was slower
 * still.
 *
 * Each node's arcs are read shortest first (sortedArcs, made once per graph), so a search stops
 * reading a node's arcs at the first one that leaves the cutoff: on the generated 100k grid 18 % of
 * the arcs looked at lie beyond it, and stopping there took ~7 % off the run. The order in which arcs
 * are relaxed changes no distance (each is still the minimum over the same paths).
 *
 * Node ids are already in Morton order of their position (network/build.ts), so one search reads
 * a compact stretch of the CSR arrays and consecutive sources reuse what the previous search
 * brought into the cache; a Hilbert re-layout measured no better, shuffled ids 4.5× slower.
 * Buffers live as long as the runner; the list of expanded nodes resets them, so one search costs
 * what it reaches (a few hundred nodes at 800 m), never the graph's size. Searches are independent:
 * parallel.ts runs node ranges of this same kernel on several cores.
 */
import type { WalkGraph } from '../network/types.js';

export interface AccessOptions {
  /** Band limits in metres, ascending. */
  bandsM: number[];
}

export interface NodeAccess {
  bandsM: number[];
  /** Per quantity: value at node n for band b at [b * nodeCount + n]. */
  sums: Float64Array[];
  /** Nodes reached within the largest band, per node (the search's size; itself included). */
  reached: Int32Array;
}

/** What one thread keeps between searches. `far` marks an unreached node (beyond every band). */
export interface Scratch {
  far: number; dist: Float64Array; heads: Int32Array; entN: Int32Array; entNext: Int32Array;
  queue: Int32Array; done: Int32Array; acc: Float64Array;
}

/** The bucket layout of one run: bucket of distance d is floor(d * scale), 0 … buckets - 1 within the cutoff. */
export interface Buckets { scale: number; buckets: number }

/**
 * Bucket width: the shortest positive arc, so that nodes are expanded once (a shorter arc is the
 * only way to improve a node inside its own bucket), but at least 1/1024 of the cutoff (empty
 * buckets cost a step each) and at most 1/32 of it (wider buckets make more re-expansions).
 */
export function bucketsFor(len: Float64Array, cutoff: number): Buckets {
  let min = Infinity;
  for (let i = 0; i < len.length; i++) if (len[i] > 0 && len[i] < min) min = len[i];
  const width = Math.min(cutoff / 32, Math.max(min, cutoff / 1024));
  const scale = width > 0 ? 1 / width : 0; // a zero cutoff: one bucket
  return { scale, buckets: Math.floor(cutoff * scale) + 1 };
}

export function newScratch(nodes: number, quantities: number, bands: Float64Array, buckets: number): Scratch {
  const far = 2 * bands[bands.length - 1] + 1;
  return {
    far, dist: new Float64Array(nodes).fill(far), heads: new Int32Array(buckets).fill(-1), entN: new Int32Array(1024), entNext: new Int32Array(1024),
    queue: new Int32Array(256), done: new Int32Array(1024), acc: new Float64Array(quantities * bands.length),
  };
}

/** A graph's arcs with each node's arcs ascending by length (ties in their stored order). */
export interface SortedArcs { targets: Int32Array; len: Float64Array }

const sortedOf = new WeakMap<WalkGraph, SortedArcs>();

/** The graph's arcs sorted per node, made once per graph (a graph's arrays never change after its build). */
export function sortedArcs(g: WalkGraph): SortedArcs {
  let a = sortedOf.get(g);
  if (a) return a;
  const { offsets } = g, targets = Int32Array.from(g.targets), len = Float64Array.from(g.weights);
  for (let n = 0; n + 1 < offsets.length; n++) {
    // Insertion sort: a node has a handful of arcs, and it keeps equal lengths in their order.
    for (let i = offsets[n] + 1, end = offsets[n + 1]; i < end; i++) {
      const l = len[i], t = targets[i];
      let j = i - 1;
      for (; j >= offsets[n] && len[j] > l; j--) { len[j + 1] = len[j]; targets[j + 1] = targets[j]; }
      len[j + 1] = l; targets[j + 1] = t;
    }
  }
  sortedOf.set(g, (a = { targets, len }));
  return a;
}

/** The weights interleaved per node (W[n * Q + q]): one cache line holds a node's every quantity. */
export function interleave(weights: Float64Array[], nodes: number): Float64Array {
  const Q = weights.length, W = new Float64Array(nodes * Q);
  for (let q = 0; q < Q; q++) { const w = weights[q]; for (let n = 0; n < nodes; n++) W[n * Q + q] = w[n]; }
  return W;
}

/**
 * Searches from nodes from..to-1, writing sums[q][b * N + s] and reached[s]. The arcs of each node
 * must ascend by length (sortedArcs): the first one beyond the cutoff ends the node's. Self-contained (no
 * reference outside its parameters, no inner function that a bundler's keepNames would wrap):
 * parallel.ts sends its source text to worker threads.
 */
export function accessKernel(
  offsets: Int32Array, targets: Int32Array, len: Float64Array, W: Float64Array, bands: Float64Array, scale: number,
  sums: Float64Array[], reached: Int32Array, from: number, to: number, sc: Scratch,
): void {
  const N = offsets.length - 1, B = bands.length, Q = sums.length, cutoff = bands[B - 1], far = sc.far;
  const dist = sc.dist, heads = sc.heads, acc = sc.acc, NB = heads.length;
  let entN = sc.entN, entNext = sc.entNext, queue = sc.queue, done = sc.done;
  for (let s = from; s < to; s++) {
    let nDone = 0;
    dist[s] = 0;
    entN[0] = s; entNext[0] = -1; heads[0] = 0;
    let nE = 1;
    for (let k = 0; k < NB; k++) {
      // This bucket's list, then the nodes improved inside it while it is worked (FIFO).
      let e = heads[k], qh = 0, qt = 0;
      heads[k] = -1;
      for (;;) {
        let n: number;
        if (e >= 0) { n = entN[e]; e = entNext[e]; } else if (qh < qt) n = queue[qh++]; else break;
        const d = dist[n];
        if (((d * scale) | 0) !== k) continue; // stale: n moved to an earlier bucket and was expanded there
        if (nDone === done.length) { const x = new Int32Array(2 * nDone); x.set(done); done = sc.done = x; }
        done[nDone++] = n;
        for (let i = offsets[n], end = offsets[n + 1]; i < end; i++) {
          const nd = d + len[i];
          if (nd > cutoff) break; // and so are the node's longer arcs
          const t = targets[i];
          const dt = dist[t];
          if (nd < dt) {
            dist[t] = nd;
            const kb = (nd * scale) | 0;
            if (kb === k) {
              if (qt === queue.length) { const x = new Int32Array(2 * qt); x.set(queue); queue = sc.queue = x; }
              queue[qt++] = t;
            } else if (((dt * scale) | 0) !== kb) { // not already listed in that bucket
              if (nE === entN.length) {
                const x = new Int32Array(2 * nE); x.set(entN); entN = sc.entN = x;
                const y = new Int32Array(2 * nE); y.set(entNext); entNext = sc.entNext = y;
              }
              entN[nE] = t; entNext[nE] = heads[kb]; heads[kb] = nE++;
            }
          }
        }
      }
    }
    // Sums over the reached set from the final distances, resetting them on the way (a node
    // expanded twice is listed twice and counted once).
    acc.fill(0);
    let nReached = 0;
    for (let i = 0; i < nDone; i++) {
      const t = done[i], d = dist[t];
      if (d === far) continue;
      dist[t] = far; nReached++;
      let b = 0;
      while (d > bands[b]) b++;
      if (Q === 2) { acc[2 * b] += W[2 * t]; acc[2 * b + 1] += W[2 * t + 1]; } // residents and jobs: ~4 % of the run off the loop
      else for (let q = 0, o = b * Q, w = t * Q; q < Q; q++) acc[o + q] += W[w + q];
    }
    for (let q = 0; q < Q; q++) {
      const out = sums[q];
      let run = 0;
      for (let b = 0; b < B; b++) { run += acc[b * Q + q]; out[b * N + s] = run; }
    }
    reached[s] = nReached;
  }
}

export function checkAccessInput(g: WalkGraph, weights: Float64Array[], opts: AccessOptions): Float64Array {
  for (const w of weights) if (w.length !== g.nodeCount) throw new Error(`a weight array has ${w.length} entries for ${g.nodeCount} nodes`);
  const bands = Float64Array.from(opts.bandsM);
  if (!bands.length) throw new Error('at least one band is needed');
  for (let b = 1; b < bands.length; b++) if (!(bands[b] > bands[b - 1])) throw new Error('bands must ascend');
  return bands;
}

export class AccessRunner {
  private readonly scratch: Scratch;
  private readonly W: Float64Array;
  private readonly scale: number;
  readonly bandsM: Float64Array;
  readonly result: NodeAccess;

  constructor(private g: WalkGraph, weights: Float64Array[], opts: AccessOptions) {
    this.bandsM = checkAccessInput(g, weights, opts);
    const N = g.nodeCount, { scale, buckets } = bucketsFor(g.weights, this.bandsM[this.bandsM.length - 1]);
    this.scale = scale;
    this.W = interleave(weights, N);
    this.scratch = newScratch(N, weights.length, this.bandsM, buckets);
    this.result = { bandsM: [...opts.bandsM], sums: weights.map(() => new Float64Array(N * this.bandsM.length)), reached: new Int32Array(N) };
  }

  /** Searches from nodes from..to-1 and fills their results. */
  runRange(from: number, to: number): void {
    const arcs = sortedArcs(this.g);
    accessKernel(this.g.offsets, arcs.targets, arcs.len, this.W, this.bandsM, this.scale, this.result.sums, this.result.reached, from, to, this.scratch);
  }
}

/** Accessibility of every node in one call, on this thread (parallel.ts for several cores). */
export function nodeAccess(g: WalkGraph, weights: Float64Array[], opts: AccessOptions): NodeAccess {
  const r = new AccessRunner(g, weights, opts);
  r.runRange(0, g.nodeCount);
  return r.result;
}
