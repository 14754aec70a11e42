/**
 * The Monte Carlo's stop rule (core/lvc/sensitivity.ts McStop, withinTolerance; parallel-mc.ts): the
 * draws stop at the first check (minDraws, then every `every`) where each percentile's 95 % sampling
 * interval lies within the tolerance of it — a share of the NPV's percentile, points of the share
 * financed. Checked on hand-made draws, then on the samples against the stop worked out here from
 * each draw's own NPV and share (evaluated one by one), serial and on worker threads.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { endIdleWorkers, monteCarloOnThreads } from '../../../core/lvc/parallel-mc.js';
import { drawValues, evaluateDraw, MC_STOP, monteCarlo, percentileInterval, summariseDraws, uncertaintiesFor, withinTolerance, type McStop } from '../../../core/lvc/sensitivity.js';
// @ts-expect-error plain JavaScript build script, no declarations
import { ensureCliBundle } from '../../../scripts/build-app.mjs';
import { heldCapture } from '../../helpers/lvc-held.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

describe('withinTolerance', () => {
  // 200 draws, the draw of rank r worth lo + step·r. Percentiles interpolate at 199·q: P10 at rank
  // 20.9, P50 at 100.5, P90 at 180.1. Their 95 % intervals are ranks n·q ∓ 1.96·√(n·q·(1−q)):
  // 20 ∓ 8.32 -> 11 and 29; 100 ∓ 13.86 -> 86 and 114; 180 ∓ 8.32 -> 171 and 189. So the farther
  // end lies 9.9, 14.5 and 9.1 steps from P10, P50 and P90.
  const at = (lo: number, step: number) => Array.from({ length: 200 }, (_, i) => lo + step * (i + 1));

  it('NPVs: relative to each percentile. 1,000 + r/200: P50 1,000.5 ± 0.0725, within ±0.01 %. 10·r: P10 209 ± 99 (47 %), P50 1,005 ± 145 (14 %), P90 1,801 ± 91 (5 %)', () => {
    expect(withinTolerance(at(1000, 1 / 200), [], 1e-4)).toBe(true);
    expect(withinTolerance(at(1000, 1 / 200), [], 7e-5)).toBe(false);
    expect(withinTolerance(at(0, 10), [], 0.01)).toBe(false);
    expect(withinTolerance(at(0, 10), [], 0.15)).toBe(false); // P50 holds, P10 does not
    expect(withinTolerance(at(0, 10), [], 0.47)).toBe(false);
    expect(withinTolerance(at(0, 10), [], 0.48)).toBe(true);
  });

  it('shares: in points. 0.1 + 0.0002·r: P50 0.1201 ± 0.0029 (2.4 % of itself): within 0.01 and 0.003 points, not 0.0028', () => {
    const npvs = at(1000, 1 / 200);
    const shares = at(0.1, 0.0002);
    expect(withinTolerance(npvs, shares, 0.01)).toBe(true);
    expect(withinTolerance(npvs, shares, 0.003)).toBe(true);
    expect(withinTolerance(npvs, shares, 0.0028)).toBe(false);
  });

  it('a percentile at zero holds only when its interval is zero too (a share financed of 0 throughout)', () => {
    const npvs = at(1000, 1 / 200);
    expect(withinTolerance(npvs, new Array(200).fill(0), 0.01)).toBe(true);
    expect(withinTolerance(at(-1, 0.01), [], 0.5)).toBe(false); // NPVs through zero: P50 0.005, its interval ±0.14
    expect(withinTolerance([], [], 0.5)).toBe(false);
  });
});

/** The smallest tolerance the first n draws meet, worked out here from percentileInterval (tested by hand in sampling-interval.test.ts). */
function needed(npvs: number[], shares: number[]): number {
  const q = (sorted: number[], p: number) => {
    const pos = (sorted.length - 1) * p, i = Math.floor(pos), f = pos - i;
    return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
  };
  const worst = (xs: number[], relative: boolean) => {
    const s = [...xs].sort((a, b) => a - b);
    return Math.max(...[0.1, 0.5, 0.9].map((p) => {
      const v = q(s, p), [lo, hi] = percentileInterval(s, p), d = Math.max(v - lo, hi - v);
      return relative ? (d === 0 ? 0 : d / Math.abs(v)) : d;
    }));
  };
  return Math.max(worst(npvs, true), shares.length ? worst(shares, false) : 0);
}

const held = heldCapture;

describe('the stop rule on the Bang Sue sample (master plan: the draws move the take-up)', () => {
  const present = existsSync(join(ROOT, 'sample-data', 'bang-sue.gpkg'));
  const max = 400;
  let h: Awaited<ReturnType<typeof held>>;
  let npvs: number[] = [], shares: number[] = [], withShare: boolean[] = [];
  let bundledWorker = '';
  beforeAll(async () => {
    if (!present) return;
    bundledWorker = join(await ensureCliBundle(), '..', 'lvc-mc-worker.mjs');
    h = await held('bang-sue', 'master-plan');
    const u = uncertaintiesFor(h.prep, h.params);
    // Each draw on its own, in draw order.
    for (const v of drawValues(h.params, u, max, 17)) {
      const r = evaluateDraw(h.prep, h.params, u, v, h.timing);
      npvs.push(r.npv);
      withShare.push(r.share !== null);
      if (r.share !== null) shares.push(r.share);
    }
  }, 240_000);
  afterAll(async () => { endIdleWorkers(); await h?.svc.invoke('project.close', {}).catch(() => undefined); });

  /** The draws the rule keeps, worked out from each check's own prefix. */
  const expectedStop = (stop: McStop) => {
    for (let c = stop.minDraws; c < max; c += stop.every) {
      const k = withShare.slice(0, c).filter(Boolean).length;
      if (needed(npvs.slice(0, c), shares.slice(0, k)) <= stop.tolerance) return c;
    }
    return max;
  };

  it.skipIf(!present)('stops at the first check that holds, with the figures of exactly the draws before it; serial and on two threads alike', async () => {
    // A tolerance between what the 2nd and the 4th checks need, so the run stops at a later check, not the first.
    const checks = [40, 60, 80, 100].map((c) => needed(npvs.slice(0, c), shares.slice(0, withShare.slice(0, c).filter(Boolean).length)));
    const stop: McStop = { tolerance: Math.max(...checks.slice(1)) * 1.0001, minDraws: 40, every: 20 };
    expect(checks[0]).toBeGreaterThan(stop.tolerance); // the first check does not hold
    const at = expectedStop(stop);
    expect(at).toBeGreaterThan(40);
    expect(at).toBeLessThanOrEqual(100);
    const k = withShare.slice(0, at).filter(Boolean).length;
    const want = { ...summariseDraws(at, 17, npvs.slice(0, at), shares.slice(0, k)), stop: { ...stop, maxDraws: max, converged: true } };
    const serial = monteCarlo(h.prep, h.params, max, 17, uncertaintiesFor(h.prep, h.params), h.timing, undefined, stop);
    expect(serial).toEqual(want);
    for (const callerDraws of [false, true]) {
      let report = { threads: 0, byWorkers: -1 };
      const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, max, 17, h.timing,
        { threads: 2, workerFile: bundledWorker, callerDraws, stop, report: (x) => { report = x; } });
      expect(r, `caller draws: ${callerDraws}`).toEqual(want);
      expect(report.threads).toBe(2);
      if (!callerDraws) expect(report.byWorkers).toBeGreaterThanOrEqual(at);
    }
  }, 240_000);

  it.skipIf(!present)('a tolerance no check meets takes every draw and says it did not converge; the fixed run has no stop', async () => {
    const stop: McStop = { tolerance: 1e-9, minDraws: 40, every: 20 };
    expect(expectedStop(stop)).toBe(max);
    const u = uncertaintiesFor(h.prep, h.params);
    const fixed = monteCarlo(h.prep, h.params, max, 17, u, h.timing);
    expect(fixed.stop).toBeUndefined();
    const all = monteCarlo(h.prep, h.params, max, 17, u, h.timing, undefined, stop);
    expect(all).toEqual({ ...fixed, stop: { ...stop, maxDraws: max, converged: false } });
    const threaded = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, max, 17, h.timing, { threads: 2, workerFile: bundledWorker, stop });
    expect(threaded).toEqual(all);
  }, 240_000);
});

describe('lvc.run and the report under the default rule', () => {
  const present = existsSync(join(ROOT, 'sample-data', 'bang-sue.gpkg'));
  it.skipIf(!present)('TOD moderate stops at 200 draws within ±1 %; tolerance 0 takes exactly the draws asked; the report says which', async () => {
    expect(MC_STOP).toEqual({ tolerance: 0.01, minDraws: 200, every: 100 });
    const path = join(tmpDir(), 'bs.gpkg');
    copyFileSync(join(ROOT, 'sample-data', 'bang-sue.gpkg'), path);
    const svc = new EkimaeService({ strictOutputs: true });
    try {
      await svc.invoke('project.open', { path });
      await svc.invoke('catchment.run', {});
      await svc.invoke('scenario.defaults', {});
      const mc = (await svc.invoke('lvc.run', { scenario: 'tod-moderate' })).result.monteCarlo;
      // NPV percentiles around −37.5 bn THB, shares around 0.2 %: the first check holds.
      expect(mc.draws).toBe(200);
      expect(mc.stop).toEqual({ ...MC_STOP, maxDraws: 1000, converged: true });
      for (const k of ['p10', 'p50', 'p90'] as const) {
        const [lo, hi] = mc.ci95!.npv[k];
        expect(Math.max(mc.npv[k] - lo, hi - mc.npv[k])).toBeLessThanOrEqual(0.01 * Math.abs(mc.npv[k]));
      }
      let m = await svc.invoke('report.model', { lang: 'en' });
      const mcTable = () => m.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && /^Monte Carlo, /.test(b.caption ?? '')) as { caption: string; note: string };
      expect(mcTable().caption).toMatch(/^Monte Carlo, 200 draws/);
      expect(mcTable().note).toContain('The draws stopped at 200 (at most 1,000) once every percentile\'s sampling interval lay within ±1 % of it (of the NPV; ±1 pp of the share financed), checked every 100 draws from 200.');
      const fixed = (await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 300, tolerance: 0 })).result.monteCarlo;
      expect([fixed.draws, fixed.stop]).toEqual([300, undefined]);
      m = await svc.invoke('report.model', { lang: 'en' });
      expect(mcTable().caption).toMatch(/^Monte Carlo, 300 draws/);
      expect(mcTable().note).not.toContain('stopped');
      // The draws asked can be fewer than the first check: then they are all taken.
      const few = (await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 150, store: false })).result.monteCarlo;
      expect([few.draws, few.stop?.maxDraws]).toEqual([150, 150]);
      await expect(svc.invoke('lvc.run', { scenario: 'tod-moderate', tolerance: 0.6 })).rejects.toThrow();
    } finally { svc.close(); }
  }, 240_000);
});
