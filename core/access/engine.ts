/**
 * Accessibility at every node (what pandana computes): for each node of the walk graph, the sum of
 * node weights (residents, jobs, … aggregated to their nearest node beforehand) over the nodes
 * whose shortest walking distance from it is within each band.
 *
 * One Dijkstra bounded by the largest band per node, over the CSR arrays. The buffers (distances,
 * heap, the list of touched nodes) live as long as the runner; only touched entries are reset, so
 * one search costs what it reaches (a few hundred nodes at 800 m), never the graph's size.
 * Contraction hierarchies (pandana's C++) would pay off for long bands on huge graphs; at walking
 * bands the bounded search already touches only the neighbourhood. Searches are independent, so
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

/** What one thread keeps between searches. */
export interface Scratch { dist: Float64Array; touched: Int32Array; heapD: Float64Array; heapN: Int32Array; acc: Float64Array }

export function newScratch(nodes: number, quantities: number, bands: number): Scratch {
  return { dist: new Float64Array(nodes).fill(Infinity), touched: new Int32Array(nodes), heapD: new Float64Array(4096), heapN: new Int32Array(4096), acc: new Float64Array(quantities * bands) };
}

/**
 * Searches from nodes from..to-1, writing sums[q][b * N + s] and reached[s]. Self-contained (no
 * reference outside its parameters): parallel.ts sends its source text to worker threads.
 */
export function accessKernel(
  offsets: Int32Array, targets: Int32Array, len: Float64Array, W: Float64Array[], bands: Float64Array,
  sums: Float64Array[], reached: Int32Array, from: number, to: number, sc: Scratch,
): void {
  const N = offsets.length - 1, B = bands.length, Q = W.length, cutoff = bands[B - 1];
  const dist = sc.dist, touched = sc.touched, acc = sc.acc;
  for (let source = from; source < to; source++) {
    acc.fill(0);
    let hd = sc.heapD, hn = sc.heapN, size = 0, nTouched = 0;
    dist[source] = 0; touched[nTouched++] = source;
    hd[0] = 0; hn[0] = source; size = 1;
    while (size) {
      const d = hd[0], n = hn[0];
      // Pop: the last element sifts down from the root.
      if (--size) {
        const ld = hd[size], ln = hn[size];
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= size) break;
          if (c + 1 < size && hd[c + 1] < hd[c]) c++;
          if (hd[c] >= ld) break;
          hd[i] = hd[c]; hn[i] = hn[c]; i = c;
        }
        hd[i] = ld; hn[i] = ln;
      }
      if (d > dist[n]) continue; // a stale entry: n was settled nearer
      let b = 0;
      while (d > bands[b]) b++;
      for (let q = 0; q < Q; q++) acc[q * B + b] += W[q][n];
      for (let i = offsets[n], end = offsets[n + 1]; i < end; i++) {
        const t = targets[i];
        const nd = d + len[i];
        if (nd <= cutoff && nd < dist[t]) {
          if (dist[t] === Infinity) touched[nTouched++] = t;
          dist[t] = nd;
          if (size === hd.length) {
            const xd = new Float64Array(size * 2); xd.set(hd); hd = sc.heapD = xd;
            const xn = new Int32Array(size * 2); xn.set(hn); hn = sc.heapN = xn;
          }
          let j = size++;
          while (j > 0) {
            const p = (j - 1) >> 1;
            if (hd[p] <= nd) break;
            hd[j] = hd[p]; hn[j] = hn[p]; j = p;
          }
          hd[j] = nd; hn[j] = t;
        }
      }
    }
    for (let i = 0; i < nTouched; i++) dist[touched[i]] = Infinity;
    for (let q = 0; q < Q; q++) {
      const out = sums[q];
      let run = 0;
      for (let b = 0; b < B; b++) { run += acc[q * B + b]; out[b * N + source] = run; }
    }
    reached[source] = nTouched;
  }
}

export function checkAccessInput(g: WalkGraph, weights: Float64Array[], opts: AccessOptions): Float64Array {
  for (const w of weights) if (w.length !== g.nodeCount) throw new Error(`a weight array has ${w.length} entries for ${g.nodeCount} nodes`);
  const bands = Float64Array.from(opts.bandsM);
  for (let b = 1; b < bands.length; b++) if (!(bands[b] > bands[b - 1])) throw new Error('bands must ascend');
  return bands;
}

export class AccessRunner {
  private readonly scratch: Scratch;
  readonly bandsM: Float64Array;
  readonly result: NodeAccess;

  constructor(private g: WalkGraph, private weights: Float64Array[], opts: AccessOptions) {
    this.bandsM = checkAccessInput(g, weights, opts);
    const N = g.nodeCount;
    this.scratch = newScratch(N, weights.length, this.bandsM.length);
    this.result = { bandsM: [...opts.bandsM], sums: weights.map(() => new Float64Array(N * this.bandsM.length)), reached: new Int32Array(N) };
  }

  /** Searches from nodes from..to-1 and fills their results. */
  runRange(from: number, to: number): void {
    accessKernel(this.g.offsets, this.g.targets, this.g.weights, this.weights, this.bandsM, this.result.sums, this.result.reached, from, to, this.scratch);
  }
}

/** Accessibility of every node in one call, on this thread (parallel.ts for several cores). */
export function nodeAccess(g: WalkGraph, weights: Float64Array[], opts: AccessOptions): NodeAccess {
  const r = new AccessRunner(g, weights, opts);
  r.runRange(0, g.nodeCount);
  return r.result;
}
