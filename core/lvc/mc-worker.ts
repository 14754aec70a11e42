/**
 * A worker thread of the Monte Carlo (core/lvc/parallel-mc.ts): rebuilds the capture's preparation
 * and the take-up's re-runs from the plain data it is sent (the same functions the calling thread
 * ran, so the same state), then evaluates draws taken from a shared counter until none is left,
 * writing each draw's NPV and share financed at its index. Bundled as its own entry
 * (dist/cli/lvc-mc-worker.mjs, dist/electron/lvc-mc-worker.cjs); run from source through tsx.
 */
import { parentPort } from 'node:worker_threads';
import { takeUpForCash } from '../growth/schedule.js';
import { prepare } from './run.js';
import { evaluateDraw, uncertaintiesFor } from './sensitivity.js';
import type { McWorkerJob } from './parallel-mc.js';

if (!parentPort) throw new Error('core/lvc/mc-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (job: McWorkerJob) => {
  try {
    // The calling thread draws while this one starts: when it has taken every draw, nothing to prepare.
    if (Atomics.load(new Int32Array(job.next), 0) >= job.draws) { port.postMessage({ ok: true }); return; }
    const rerun = takeUpForCash(job.source);
    const prep = prepare(job.parcels, job.params, rerun.schedule);
    const u = uncertaintiesFor(prep, job.params);
    const ids = u.map((x) => x.id).join(',');
    if (ids !== job.inputs) throw new Error(`the worker's uncertain inputs (${ids}) are not the caller's (${job.inputs})`);
    const k = u.length, next = new Int32Array(job.next), npv = new Float64Array(job.npv), share = new Float64Array(job.share), done = new Uint8Array(job.done);
    const values = new Float64Array(job.values);
    for (;;) {
      const from = Atomics.add(next, 0, job.chunk);
      if (from >= job.draws) break;
      const to = Math.min(job.draws, from + job.chunk);
      for (let d = from; d < to; d++) {
        const r = evaluateDraw(prep, job.params, u, Array.from(values.subarray(d * k, d * k + k)), rerun);
        npv[d] = r.npv;
        share[d] = r.share ?? 0;
        Atomics.store(done, d, r.share === null ? 2 : 1);
      }
    }
    port.postMessage({ ok: true });
  } catch (e) {
    port.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) });
  }
});
