/**
 * The generated street grid of the accessibility benches (access.bench.ts, access-run.bench.ts):
 * side × side nodes, 45–105 m blocks as in a soi fabric, ±4 m jitter, 7 % of links missing, seeded.
 * Not used by the app.
 */
import type { LineSource } from '../network/types.js';
import { mulberry32 } from '../util/prng.js';

export interface BenchGrid {
  /** Two-point lines in the builder's input form. */
  source: LineSource;
  /** Node positions (lon, lat), side × side, row-major; blocks lie between them. */
  nodeLonLat: Float64Array;
  side: number;
}

export function benchGrid(side: number): BenchGrid {
  const rnd = mulberry32(20261206);
  const lat0 = 13.75, lon0 = 100.45, mLat = 110_600, mLon = 108_100;
  const xs = [0], ys = [0];
  for (let i = 1; i < side; i++) { xs.push(xs[i - 1] + 45 + rnd() * 60); ys.push(ys[i - 1] + 45 + rnd() * 60); }
  const ll = new Float64Array(2 * side * side);
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const k = i * side + j;
    ll[2 * k] = lon0 + (xs[j] + (rnd() - 0.5) * 8) / mLon; ll[2 * k + 1] = lat0 + (ys[i] + (rnd() - 0.5) * 8) / mLat;
  }
  const coords: number[] = [], start: number[] = [];
  const seg = (a: number, b: number) => { start.push(coords.length / 2); coords.push(ll[2 * a], ll[2 * a + 1], ll[2 * b], ll[2 * b + 1]); };
  for (let i = 0; i < side; i++) for (let j = 0; j < side; j++) {
    const k = i * side + j;
    if (j + 1 < side && rnd() > 0.07) seg(k, k + 1);
    if (i + 1 < side && rnd() > 0.07) seg(k, k + side);
  }
  const parts = start.length;
  start.push(coords.length / 2);
  const source: LineSource = { name: 'grid', coords: Float64Array.from(coords), partStart: Int32Array.from(start), partFid: Float64Array.from({ length: parts }, (_, i) => i + 1),
    partLevel: new Int8Array(parts), partWalkable: new Uint8Array(parts).fill(1) };
  return { source, nodeLonLat: ll, side };
}
