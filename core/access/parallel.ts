/**
 * Accessibility on several cores: every search is independent, so worker threads take slices of
 * nodes from a shared counter and write into shared result arrays. The workers run the same kernel
 * (engine.ts accessKernel, sent as source text so the CLI bundle needs no separate worker file).
 * Falls back to this thread when workers cannot start; the answer is the same either way.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WalkGraph } from '../network/types.js';
import { accessKernel, AccessRunner, bucketsFor, checkAccessInput, interleave, newScratch, type AccessOptions, type NodeAccess } from './engine.js';

/** Below this many nodes a worker's start-up (tens of ms) is not worth it. */
export const PARALLEL_MIN_NODES = 20_000;
const SLICE = 512;

const WORKER = String.raw`
const { parentPort, workerData: w } = require('node:worker_threads');
const kernel = (0, eval)('(' + w.kernel + ')');
const f64 = (b) => new Float64Array(b), i32 = (b) => new Int32Array(b);
const offsets = i32(w.offsets), targets = i32(w.targets), len = f64(w.len), bands = f64(w.bands), W = f64(w.W);
const sums = w.sums.map(f64), reached = i32(w.reached), next = i32(w.next);
const N = offsets.length - 1;
const sc = (0, eval)('(' + w.newScratch + ')')(N, sums.length, bands, w.buckets);
for (;;) {
  if (Atomics.load(next, 1)) break; // cancelled
  const from = Atomics.add(next, 0, w.slice);
  if (from >= N) break;
  kernel(offsets, targets, len, W, bands, w.scale, sums, reached, from, Math.min(N, from + w.slice), sc);
}
parentPort.postMessage('done');
`;

function shared<T extends Float64Array | Int32Array>(a: T): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(a.byteLength);
  new Uint8Array(sab).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return sab;
}

export interface ParallelOptions extends AccessOptions {
  /** Worker threads (default: the machine's cores, at most 8; 1 = this thread only). */
  threads?: number;
  /** Called now and then with the share of nodes done; return false to stop (the promise rejects). */
  progress?: (done: number) => boolean | void;
}

/** Accessibility of every node; on several cores when the graph is large enough. */
export async function nodeAccessParallel(g: WalkGraph, weights: Float64Array[], opts: ParallelOptions): Promise<NodeAccess> {
  const bands = checkAccessInput(g, weights, opts);
  const N = g.nodeCount, B = bands.length;
  const threads = Math.min(opts.threads ?? Math.min(8, availableParallelism()), Math.ceil(N / SLICE));
  if (threads < 2 || (opts.threads === undefined && N < PARALLEL_MIN_NODES)) return onThisThread(g, weights, opts);
  const sums = weights.map(() => new SharedArrayBuffer(8 * N * B));
  const reached = new SharedArrayBuffer(4 * N);
  const next = new Int32Array(new SharedArrayBuffer(8));
  const { scale, buckets } = bucketsFor(g.weights, bands[B - 1]);
  const data = {
    kernel: accessKernel.toString(), newScratch: newScratch.toString(), slice: SLICE, offsets: shared(g.offsets), targets: shared(g.targets), len: shared(g.weights),
    bands: shared(bands), W: shared(interleave(weights, N)), scale, buckets, sums, reached, next: next.buffer,
  };
  let workers: Worker[] = [];
  try {
    workers = Array.from({ length: threads }, () => new Worker(WORKER, { eval: true, workerData: data }));
  } catch {
    for (const w of workers) void w.terminate();
    return onThisThread(g, weights, opts);
  }
  let stopped = false;
  const timer = opts.progress ? setInterval(() => {
    if (opts.progress!(Math.min(1, Atomics.load(next, 0) / N)) === false) { stopped = true; Atomics.store(next, 1, 1); }
  }, 250) : null;
  try {
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`an accessibility worker stopped (exit ${code})`))));
    })));
  } catch {
    if (stopped) throw new AccessCancelled();
    // A worker that could not run (no eval, no memory): the answer from this thread instead.
    return onThisThread(g, weights, opts);
  } finally {
    if (timer) clearInterval(timer);
    for (const w of workers) void w.terminate();
  }
  if (stopped) throw new AccessCancelled();
  return { bandsM: [...opts.bandsM], sums: sums.map((s) => new Float64Array(s)), reached: new Int32Array(reached) };
}

export class AccessCancelled extends Error { constructor() { super('accessibility run cancelled'); } }

/** Slices of nodes with a turn of the event loop between them (progress and cancelling get through). */
async function onThisThread(g: WalkGraph, weights: Float64Array[], opts: ParallelOptions): Promise<NodeAccess> {
  const r = new AccessRunner(g, weights, opts);
  const N = g.nodeCount, step = 20_000;
  for (let s = 0; s < N; s += step) {
    if (s && opts.progress) {
      await new Promise((res) => setImmediate(res));
      if (opts.progress(s / N) === false) throw new AccessCancelled();
    }
    r.runRange(s, Math.min(N, s + step));
  }
  return r.result;
}
