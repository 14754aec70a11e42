/**
 * The Monte Carlo's own sampling error (core/lvc/sensitivity.ts percentileInterval, MonteCarlo.ci95):
 * the ranks worked out by hand from n·q ∓ 1.96·√(n·q·(1−q)), and the interval's coverage checked by
 * simulation against a distribution whose quantiles are known exactly (exponential: −ln(1−q)),
 * with a generator written here.
 */
import { join } from 'node:path';
import { copyFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { percentileInterval, summariseDraws } from '../../../core/lvc/sensitivity.js';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';

const ranks = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('percentileInterval', () => {
  it('1,000 draws: the ranks of the 95 % interval of P10, P50 and P90, worked out by hand', () => {
    const x = ranks(1000); // the value of each draw is its rank
    // q = 0.5: 500 ∓ 1.96·√250 = 500 ∓ 30.99 -> ranks 469 and 531.
    expect(percentileInterval(x, 0.5)).toEqual([469, 531]);
    // q = 0.1: 100 ∓ 1.96·√90 = 100 ∓ 18.59 -> ranks 81 and 119; q = 0.9: 900 ∓ 18.59 -> 881 and 919.
    expect(percentileInterval(x, 0.1)).toEqual([81, 119]);
    expect(percentileInterval(x, 0.9)).toEqual([881, 919]);
  });

  it('few draws: the ranks stay within the draws (10 draws: q = 0.1, 1 ∓ 1.86 -> ranks 1 and 3; q = 0.9, 9 ∓ 1.86 -> ranks 7 and 10; one draw: itself)', () => {
    expect(percentileInterval(ranks(10), 0.1)).toEqual([1, 3]);
    expect(percentileInterval(ranks(10), 0.9)).toEqual([7, 10]);
    expect(percentileInterval([42], 0.5)).toEqual([42, 42]);
  });

  it('holds the true percentile about 19 times in 20 (400 simulated runs of 1,000 exponential draws)', () => {
    let s = 12345;
    const rand = () => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return (s + 0.5) / 2 ** 32; };
    for (const q of [0.1, 0.5, 0.9]) {
      const truth = -Math.log(1 - q);
      let hit = 0;
      for (let run = 0; run < 400; run++) {
        const x = Array.from({ length: 1000 }, () => -Math.log(1 - rand())).sort((a, b) => a - b);
        const [lo, hi] = percentileInterval(x, q);
        if (lo <= truth && truth <= hi) hit++;
      }
      // Binomial(400, 0.95): 380 ± 4.4 (one s.d.); 0.92–0.98 is about ±3 s.d.
      expect(hit / 400, `q = ${q}`).toBeGreaterThan(0.92);
      expect(hit / 400, `q = ${q}`).toBeLessThan(0.98);
    }
  });

  it('summariseDraws gives the intervals of the NPVs and of the shares, from the sorted draws', () => {
    const npvs = ranks(1000).reverse(), shares = ranks(1000).map((r) => r / 1000);
    const mc = summariseDraws(1000, 1, npvs, shares);
    expect(mc.ci95!.npv).toEqual({ p10: [81, 119], p50: [469, 531], p90: [881, 919] });
    expect(mc.ci95!.share).toEqual({ p10: [0.081, 0.119], p50: [0.469, 0.531], p90: [0.881, 0.919] });
    // Each interval holds its own percentile.
    for (const k of ['p10', 'p50', 'p90'] as const) {
      expect(mc.ci95!.npv[k][0]).toBeLessThanOrEqual(mc.npv[k]);
      expect(mc.ci95!.npv[k][1]).toBeGreaterThanOrEqual(mc.npv[k]);
    }
    expect(summariseDraws(3, 1, [1, 2, 3], []).ci95!.share).toBeNull();
  });
});

describe('the sampling intervals reach lvc.run and the report', () => {
  it('Bang Sue, 200 draws: each interval holds its percentile and narrows with 2,000 draws; the report\'s Monte Carlo table lists them', async () => {
    const dir = tmpDir();
    const path = join(dir, 'bs.gpkg');
    copyFileSync(join('sample-data', 'bang-sue.gpkg'), path);
    const svc = new EkimaeService({ strictOutputs: true });
    try {
      await svc.invoke('project.open', { path });
      await svc.invoke('catchment.run', {});
      await svc.invoke('scenario.defaults', {});
      // Exactly these draws (tolerance 0: no stop rule, mc-stop.test.ts).
      const few = (await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 200, tolerance: 0 })).result.monteCarlo;
      const many = (await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 2000, tolerance: 0 })).result.monteCarlo;
      expect([few.draws, many.draws, few.stop, many.stop]).toEqual([200, 2000, undefined, undefined]);
      for (const mc of [few, many]) {
        for (const k of ['p10', 'p50', 'p90'] as const) {
          expect(mc.ci95!.npv[k][0]).toBeLessThanOrEqual(mc.npv[k]);
          expect(mc.ci95!.npv[k][1]).toBeGreaterThanOrEqual(mc.npv[k]);
        }
      }
      // Ten times the draws: about √10 ≈ 3.2 times narrower (not exactly: the draws differ).
      const width = (mc: typeof few) => mc.ci95!.npv.p50[1] - mc.ci95!.npv.p50[0];
      expect(width(few) / width(many)).toBeGreaterThan(2);
      expect(width(few) / width(many)).toBeLessThan(5);
      const m = await svc.invoke('report.model', {});
      const tables = m.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'table' && /^Monte Carlo, 2,000 draws/.test(b.caption ?? '')) as Array<{ rows: string[][]; note?: string }>;
      expect(tables.length).toBeGreaterThan(0);
      const row = tables[0].rows.find((r) => r[0] === 'NPV: 95 % sampling interval');
      expect(row).toBeDefined();
      expect(row!.slice(1).every((c) => / – /.test(c))).toBe(true);
      expect(tables[0].note).toContain('the Monte Carlo\'s own error');
    } finally { svc.close(); }
  }, 240_000);
});
