/** writeFixed must give Number.prototype.toFixed's text exactly (the CSV writers rely on it). */
import { describe, expect, it } from 'vitest';
import { fixed } from '../../../core/util/fixed.js';
import { mulberry32 } from '../../../core/util/prng.js';

describe('fixed', () => {
  it('equals toFixed on edge cases', () => {
    const xs = [0, -0, 0.5, 1.5, 2.5, -0.5, -2.5, 1e-9, -1e-9, 0.000000049999, 123.4567895, 1.005, 1.0000005, 1e14, 9e15, 1e21, 5e-324, NaN, Infinity, -Infinity, 100.4926618, 13.8538907, 1199.9999995];
    for (const d of [0, 1, 6, 7, 12, 15]) for (const x of xs) expect(fixed(x, d), `${x} ${d}`).toBe(x.toFixed(d));
  });
  it('equals toFixed on 600k random and near-half values', () => {
    const r = mulberry32(7);
    let bad = 0;
    for (let i = 0; i < 100_000; i++) {
      const xs = [(r() - 0.3) * 10 ** (r() * 10 - 4), Math.round(r() * 1e9) / 1e7 + 0.5e-7, Math.round(r() * 1e8) / 1e6 + 5e-7, 100 + Math.round(r() * 1e7) / 1e7, r() * 1200, -r() * 1e-3];
      for (const x of xs) for (const d of [6, 7]) if (fixed(x, d) !== x.toFixed(d)) bad++;
    }
    expect(bad).toBe(0);
  });
});
