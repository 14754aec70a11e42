/**
 * The accessibility kernel as it was before the bucket search (commit 8c0c89c, core/access/engine.ts):
 * a Dijkstra per node on a binary heap, bounded by the largest band. Kept verbatim as the
 * reference the optimised kernel must match exactly (equivalence.test.ts).
 */
/** What one thread keeps between searches. */
interface Scratch { dist: Float64Array; touched: Int32Array; heapD: Float64Array; heapN: Int32Array; acc: Float64Array }

function newScratch(nodes: number, quantities: number, bands: number): Scratch {
  return { dist: new Float64Array(nodes).fill(Infinity), touched: new Int32Array(nodes), heapD: new Float64Array(4096), heapN: new Int32Array(4096), acc: new Float64Array(quantities * bands) };
}

/**
 * Searches from nodes from..to-1, writing sums[q][b * N + s] and reached[s]. Self-contained (no
 * reference outside its parameters): parallel.ts sends its source text to worker threads.
 */
function accessKernel(
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

/** Every node's sums and reach, as the previous implementation gave them. */
export function referenceAccess(offsets: Int32Array, targets: Int32Array, len: Float64Array, W: Float64Array[], bandsM: number[]): { sums: Float64Array[]; reached: Int32Array } {
  const N = offsets.length - 1, bands = Float64Array.from(bandsM);
  const sums = W.map(() => new Float64Array(N * bands.length)), reached = new Int32Array(N);
  accessKernel(offsets, targets, len, W, bands, sums, reached, 0, N, newScratch(N, W.length, bands.length));
  return { sums, reached };
}
