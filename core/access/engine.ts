/**
 * Accessibility at every node (what pandana computes): for each node of the walk graph, the sum of
 * node weights (residents, jobs, … aggregated to their nearest node beforehand) over the nodes
 * whose shortest walking distance from it is within each band.
 *
 * One Dijkstra bounded by the largest band per node, over the CSR arrays. The buffers (distances,
 * heap, the list of touched nodes) live as long as the runner; only touched entries are reset, so
 * one search costs what it reaches (a few hundred nodes at 800 m), never the graph's size.
 * Contraction hierarchies (pandana's C++) would pay off for long bands on huge graphs; at walking
 * bands the bounded search already touches only the neighbourhood.
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

export class AccessRunner {
  private readonly dist: Float64Array;
  private readonly touched: Int32Array;
  private heapD = new Float64Array(4096);
  private heapN = new Int32Array(4096);
  private readonly bandAcc: Float64Array;
  readonly bandsM: Float64Array;
  readonly result: NodeAccess;

  constructor(private g: WalkGraph, private weights: Float64Array[], opts: AccessOptions) {
    const N = g.nodeCount;
    for (const w of weights) if (w.length !== N) throw new Error(`a weight array has ${w.length} entries for ${N} nodes`);
    this.bandsM = Float64Array.from(opts.bandsM);
    for (let b = 1; b < this.bandsM.length; b++) if (!(this.bandsM[b] > this.bandsM[b - 1])) throw new Error('bands must ascend');
    this.dist = new Float64Array(N).fill(Infinity);
    this.touched = new Int32Array(N);
    this.bandAcc = new Float64Array(weights.length * this.bandsM.length);
    this.result = { bandsM: [...opts.bandsM], sums: weights.map(() => new Float64Array(N * this.bandsM.length)), reached: new Int32Array(N) };
  }

  /** Searches from nodes from..to-1 and fills their results. */
  runRange(from: number, to: number): void {
    for (let s = from; s < to; s++) this.one(s);
  }

  private one(source: number): void {
    const { offsets, targets, weights: len } = this.g;
    const dist = this.dist, touched = this.touched, bands = this.bandsM, B = bands.length, acc = this.bandAcc;
    const W = this.weights, Q = W.length, cutoff = bands[B - 1];
    acc.fill(0);
    let hd = this.heapD, hn = this.heapN, size = 0, nTouched = 0;
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
            const xd = new Float64Array(size * 2); xd.set(hd); hd = this.heapD = xd;
            const xn = new Int32Array(size * 2); xn.set(hn); hn = this.heapN = xn;
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
    const N = this.g.nodeCount;
    for (let q = 0; q < Q; q++) {
      const out = this.result.sums[q];
      let run = 0;
      for (let b = 0; b < B; b++) { run += acc[q * B + b]; out[b * N + source] = run; }
    }
    this.result.reached[source] = nTouched;
  }
}

/** Accessibility of every node in one call (see AccessRunner for a run in steps). */
export function nodeAccess(g: WalkGraph, weights: Float64Array[], opts: AccessOptions): NodeAccess {
  const r = new AccessRunner(g, weights, opts);
  r.runRange(0, g.nodeCount);
  return r.result;
}
