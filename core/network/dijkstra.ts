/**
 * Multi-source Dijkstra with a cutoff on the CSR graph. Buffers live as long as the runner and only
 * the nodes a query touched are reset, so a small query costs what it reaches, not the graph size.
 */
import type { WalkGraph } from './types.js';

export interface Source {
  node: number;
  /** Distance already walked when the search reaches this node (access leg, partial edge). */
  dist: number;
  /** Who reaches it (station index); the nearest source's label wins per node. */
  label: number;
}

export class DijkstraRunner {
  readonly dist: Float64Array;
  readonly label: Int32Array;
  private touched: Int32Array;
  private nTouched = 0;
  private heapD = new Float64Array(1024);
  private heapN = new Int32Array(1024);
  private heapSize = 0;

  constructor(private g: WalkGraph) {
    this.dist = new Float64Array(g.nodeCount).fill(Infinity);
    this.label = new Int32Array(g.nodeCount).fill(-1);
    this.touched = new Int32Array(g.nodeCount);
  }

  /** Nodes reached by the last run (each with dist <= cutoff). */
  get reachedCount(): number { return this.nTouched; }
  reachedNode(i: number): number { return this.touched[i]; }

  /** Run from the sources; returns the number of nodes with distance <= cutoff. */
  run(sources: readonly Source[], cutoff: number): number {
    const dist = this.dist, label = this.label, touched = this.touched;
    for (let i = 0; i < this.nTouched; i++) { dist[touched[i]] = Infinity; label[touched[i]] = -1; }
    this.nTouched = 0;
    this.heapSize = 0;
    for (const s of sources) {
      if (!(s.dist <= cutoff) || !(s.dist < dist[s.node])) continue;
      if (dist[s.node] === Infinity) touched[this.nTouched++] = s.node;
      dist[s.node] = s.dist; label[s.node] = s.label;
      this.push(s.dist, s.node);
    }
    const { offsets, targets, weights } = this.g;
    while (this.heapSize) {
      const d = this.heapD[0], n = this.heapN[0];
      this.pop();
      if (d > dist[n]) continue;
      const lab = label[n];
      for (let i = offsets[n], end = offsets[n + 1]; i < end; i++) {
        const t = targets[i];
        const nd = d + weights[i];
        if (nd <= cutoff && nd < dist[t]) {
          if (dist[t] === Infinity) touched[this.nTouched++] = t;
          dist[t] = nd; label[t] = lab;
          this.push(nd, t);
        }
      }
    }
    return this.nTouched;
  }

  private push(d: number, n: number): void {
    if (this.heapSize === this.heapD.length) {
      const nd = new Float64Array(this.heapD.length * 2); nd.set(this.heapD); this.heapD = nd;
      const nn = new Int32Array(this.heapN.length * 2); nn.set(this.heapN); this.heapN = nn;
    }
    const hd = this.heapD, hn = this.heapN;
    let i = this.heapSize++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (hd[p] <= d) break;
      hd[i] = hd[p]; hn[i] = hn[p]; i = p;
    }
    hd[i] = d; hn[i] = n;
  }

  private pop(): void {
    const hd = this.heapD, hn = this.heapN;
    const size = --this.heapSize;
    if (!size) return;
    const d = hd[size], n = hn[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && hd[c + 1] < hd[c]) c++;
      if (hd[c] >= d) break;
      hd[i] = hd[c]; hn[i] = hn[c]; i = c;
    }
    hd[i] = d; hn[i] = n;
  }
}
