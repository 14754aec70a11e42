/**
 * The Monte Carlo's draws on worker threads (core/lvc/parallel-mc.ts) give the serial run's figures
 * bit for bit: each draw's inputs come from the one seeded stream and its results are kept at its
 * index. Checked with the workers doing the draws (the calling thread only waiting), with the
 * worker as the CLI bundles it and from source through tsx, and with workers that fail after taking
 * draws (their draws fall back to the caller, the answer unchanged).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioTakeUp } from '../../../core/growth/schedule.js';
import { lvcInputsFromScenario } from '../../../core/lvc/from-scenario.js';
import { endIdleWorkers, monteCarloOnThreads, shareArrays, threadCount } from '../../../core/lvc/parallel-mc.js';
import { monteCarlo, uncertaintiesFor } from '../../../core/lvc/sensitivity.js';
import { resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { distanceSource } from '../../../core/scenario/distance-source.js';
import { getAssumptions } from '../../../core/scenario/store.js';
// @ts-expect-error plain JavaScript build script, no declarations
import { electronBundles, ensureCliBundle } from '../../../scripts/build-app.mjs';
import { heldCapture } from '../../helpers/lvc-held.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
let bundledWorker = '';
beforeAll(async () => {
  const cli: string = await ensureCliBundle();
  bundledWorker = join(cli, '..', 'lvc-mc-worker.mjs');
}, 180_000);
afterAll(() => endIdleWorkers());

const held = heldCapture;

describe.each([['bang-sue', 'master-plan', 160], ['mahsr-corridor', 'tod-moderate', 120]])('the Monte Carlo on worker threads, %s sample', (sample, scenario, draws) => {
  const present = existsSync(join(ROOT, 'sample-data', `${sample}.gpkg`));
  let h: Awaited<ReturnType<typeof held>>;
  let serial: ReturnType<typeof monteCarlo>;
  beforeAll(async () => {
    if (!present) return;
    h = await held(sample, scenario);
    serial = monteCarlo(h.prep, h.params, draws, 41, uncertaintiesFor(h.prep, h.params), h.timing);
  }, 240_000);
  afterAll(() => h?.svc.invoke('project.close', {}).catch(() => undefined));

  it.skipIf(!present)('the bundled worker\'s draws give the serial figures exactly, and the take-up moves them', async () => {
    // The draws move the take-up's market (else equal figures would prove little): the spread is wide.
    expect(serial.npv.p90 - serial.npv.p10).toBeGreaterThan(0.05 * Math.abs(serial.npv.p50));
    for (const threads of [2, 3]) {
      let report = { threads: 0, byWorkers: -1 };
      const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing,
        { threads, workerFile: bundledWorker, callerDraws: false, report: (x) => { report = x; } });
      expect(report).toEqual({ threads, byWorkers: draws });
      expect(r).toEqual(serial);
    }
    // The worker as the desktop app bundles it (CommonJS, beside core-host.cjs where parallel-mc.ts looks).
    const options = electronBundles(ROOT, []).find((o: { outfile: string }) => o.outfile.endsWith('lvc-mc-worker.cjs'));
    expect(options.outfile).toBe(join(ROOT, 'dist', 'electron', 'lvc-mc-worker.cjs'));
    const cjs = join(tmpDir(), 'lvc-mc-worker.cjs');
    const esbuild = await import('esbuild');
    await esbuild.build({ ...options, outfile: cjs });
    const r1 = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing, { threads: 2, workerFile: cjs, callerDraws: false });
    expect(r1).toEqual(serial);
    // With the caller drawing too (the default), and the pooled workers reused.
    const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing, { threads: 2, workerFile: bundledWorker });
    expect(r).toEqual(serial);
  }, 120_000);

  it.skipIf(!present)('threads or not by what the draws read: Existing\'s test reads no parcel (serial, whatever the parcel count); the same draws at a large tested count go to the workers', async () => {
    const p = h.svc.requireProject();
    const ex = lvcInputsFromScenario(p, 'existing', { distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries) });
    const exTiming = scenarioTakeUp(p, ex.scenario, { baseYear: h.params.baseYear, horizonYears: h.params.horizonYears, fids: ex.parcels.fid });
    expect(exTiming.tested).toBe(0);
    expect(h.timing.tested).toBeGreaterThan(0);
    expect(h.timing.tested).toBeLessThanOrEqual(h.inputs.parcels.fid.length);
    // No thread count given: the work decides (cores permitting). The figures are the serial ones either way.
    let report = { threads: 0, byWorkers: -1 };
    const cheap = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, { ...h.timing, tested: 0 }, { workerFile: bundledWorker, report: (x) => { report = x; } });
    expect([report.threads, cheap]).toEqual([1, serial]);
    if (threadCount() > 1) {
      const costly = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, { ...h.timing, tested: 1e9 }, { workerFile: bundledWorker, report: (x) => { report = x; } });
      expect([report.threads > 1, costly]).toEqual([true, serial]);
    }
  }, 120_000);

  it.skipIf(!present)('reports progress up to every draw done, and a progress callback that throws stops the run; the pool stays usable', async () => {
    for (const threads of [1, 2]) {
      const seen: number[] = [];
      const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing, { threads, workerFile: bundledWorker, progress: (f) => { seen.push(f); } });
      expect(r).toEqual(serial);
      expect(seen.at(-1), `threads ${threads}`).toBe(1);
      expect(seen.every((f, i) => f > 0 && f <= 1 && (i === 0 || f >= seen[i - 1]))).toBe(true);
      // Cancelled at the first report (the job's cancel throws from ctx.progress).
      let calls = 0;
      const stop = new Error('cancelled');
      await expect(monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing, {
        threads, workerFile: bundledWorker, progress: () => { calls++; throw stop; },
      })).rejects.toBe(stop);
      expect(calls).toBe(1);
    }
    // The workers of the cancelled run stopped taking draws and went back to the pool: the next run is right.
    let report = { threads: 0, byWorkers: -1 };
    const again = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing,
      { threads: 2, workerFile: bundledWorker, callerDraws: false, report: (x) => { report = x; } });
    expect(report).toEqual({ threads: 2, byWorkers: draws });
    expect(again).toEqual(serial);
  }, 120_000);

  it.skipIf(!present)('a worker that fails after taking draws costs time, not the answer', async () => {
    const dir = tmpDir();
    // Takes two slices of draws from the shared counter, evaluates none, then throws or exits.
    const broken = (how: string) => {
      const f = join(dir, `broken-${how}.mjs`);
      writeFileSync(f, `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (job) => {
  const next = new Int32Array(job.next);
  Atomics.add(next, 0, job.chunk); Atomics.add(next, 0, job.chunk);
  ${how === 'throw' ? "throw new Error('broken worker');" : how === 'exit' ? 'process.exit(3);' : "parentPort.postMessage({ ok: false, error: 'refused' });"}
});\n`);
      return f;
    };
    for (const how of ['throw', 'exit', 'refuse']) {
      let report = { threads: 0, byWorkers: -1 };
      const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing,
        { threads: 3, workerFile: broken(how), callerDraws: false, report: (x) => { report = x; } });
      expect(report, how).toEqual({ threads: 3, byWorkers: 0 });
      expect(r, how).toEqual(serial);
    }
    // A worker file that is not there: the draws stay on this thread.
    let report = { threads: 0, byWorkers: -1 };
    expect(await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, draws, 41, h.timing, { threads: 2, workerFile: join(dir, 'absent.mjs'), report: (x) => { report = x; } })).toEqual(serial);
    expect(report).toEqual({ threads: 1, byWorkers: 0 });
  }, 120_000);
});

describe('lvc.run during its Monte Carlo', () => {
  const present = existsSync(join(ROOT, 'sample-data', 'bang-sue.gpkg'));
  it.skipIf(!present)('reports the draws\' progress and stops on cancel with E_CANCELLED, storing nothing', async () => {
    const h = await held('bang-sue', 'master-plan');
    const runsBefore = (await h.svc.invoke('lvc.results', {})).length;
    const seen: number[] = [];
    const off = h.svc.onProgress((e) => {
      if (e.message !== 'Monte Carlo draws' || e.fraction === null) return;
      seen.push(e.fraction);
      if (e.fraction > 0.65) h.svc.cancel('mc-cancel');
    });
    const r = await h.svc.call('lvc.run', { scenario: 'master-plan', draws: 20_000, jobId: 'mc-cancel' });
    off();
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('E_CANCELLED');
    expect(seen[0]).toBe(0.65);
    expect(seen.some((f) => f > 0.65 && f < 0.95)).toBe(true);
    expect((await h.svc.invoke('lvc.results', {})).length).toBe(runsBefore);
    await h.svc.invoke('project.close', {});
  }, 240_000);
});

describe('the Monte Carlo on worker threads from source', () => {
  const present = existsSync(join(ROOT, 'sample-data', 'bang-sue.gpkg'));
  it.skipIf(!present)('runs core/lvc/mc-worker.ts through tsx with the same answer', async () => {
    const h = await held('bang-sue', 'tod-moderate');
    const serial = monteCarlo(h.prep, h.params, 60, 5, uncertaintiesFor(h.prep, h.params), h.timing);
    let report = { threads: 0, byWorkers: -1 };
    const r = await monteCarloOnThreads(h.prep, h.params, h.inputs.parcels, 60, 5, h.timing, { threads: 2, callerDraws: false, report: (x) => { report = x; } });
    expect(report).toEqual({ threads: 2, byWorkers: 60 });
    expect(r).toEqual(serial);
    await h.svc.invoke('project.close', {});
  }, 240_000);
});

describe('threadCount', () => {
  const before = process.env.EKIMAE_THREADS;
  afterAll(() => { if (before === undefined) delete process.env.EKIMAE_THREADS; else process.env.EKIMAE_THREADS = before; });
  it('takes the option, else EKIMAE_THREADS, else the cores up to 4; refuses a bad EKIMAE_THREADS', () => {
    process.env.EKIMAE_THREADS = '3';
    expect(threadCount()).toBe(3);
    expect(threadCount(1)).toBe(1);
    for (const bad of ['0', '-2', '1.5', 'many']) {
      process.env.EKIMAE_THREADS = bad;
      expect(() => threadCount(), bad).toThrow(/EKIMAE_THREADS must be a whole number/);
    }
    delete process.env.EKIMAE_THREADS;
    expect(threadCount()).toBeGreaterThanOrEqual(1);
    expect(threadCount()).toBeLessThanOrEqual(4);
  });
});

describe('shareArrays', () => {
  it('copies every typed array into shared memory, keeping values, types, lengths and the objects around them', () => {
    const big = new Float64Array([1, 2.5, NaN, -0, 7]);
    const input = {
      a: big.subarray(1, 4), b: new Uint8Array([3, 0, 255]), c: [new Int32Array([-1, 5]), { d: new Float32Array([0.1]) }],
      s: 'text', n: 3, none: null, u: undefined, names: ['x', 'y'], m: new Map([[1, 2]]),
    };
    const out = shareArrays(input);
    expect(out).toEqual(input);
    expect(Object.is(out.a[2], -0)).toBe(true);
    expect(out.a).toBeInstanceOf(Float64Array);
    expect(out.b).toBeInstanceOf(Uint8Array);
    expect((out.c[1] as { d: Float32Array }).d).toBeInstanceOf(Float32Array);
    for (const t of [out.a, out.b, out.c[0] as Int32Array, (out.c[1] as { d: Float32Array }).d]) expect(t.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(out.a.byteLength).toBe(24); // the view's part only, not the whole buffer
    expect(out.m).toBe(input.m);
    // Copies: the input is untouched by a write to the output; shared input is kept as it is.
    out.b[0] = 9;
    expect(input.b[0]).toBe(3);
    expect(shareArrays(out.b)).toBe(out.b);
  });
});
