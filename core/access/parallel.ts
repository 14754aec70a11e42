/**
 * Accessibility on several cores: every search is independent, so worker threads take slices of
 * nodes from a shared counter and write into shared result arrays. The workers run the same kernel
 * (engine.ts accessKernel, sent as source text so the CLI bundle needs no separate worker file).
 * They are pooled: starting two workers cost ~0.2 s of CPU per run (bootstrap, compiling and
 * warming the kernel), so a second run in the same process (the app) reuses them. Falls back to
 * this thread when workers cannot start or fail; the answer is the same either way.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WalkGraph } from '../network/types.js';
import { accessKernel, AccessRunner, bucketsFor, checkAccessInput, interleave, newScratch, sortedArcs, type AccessOptions, type NodeAccess } from './engine.js';

/** Below this many nodes a worker's start-up (tens of ms) is not worth it. */
export const PARALLEL_MIN_NODES = 20_000;
const SLICE = 512;

// A pooled worker: compiles the kernel once (and keeps its JIT-optimised code between runs), then
// answers one job per message.
const WORKER = String.raw`
const { parentPort } = require('node:worker_threads');
let kernelSrc = '', kernel = null, scratchSrc = '', newScratch = null;
parentPort.on('message', (w) => {
  try {
    if (w.kernel !== kernelSrc) { kernel = (0, eval)('(' + w.kernel + ')'); kernelSrc = w.kernel; }
    if (w.newScratch !== scratchSrc) { newScratch = (0, eval)('(' + w.newScratch + ')'); scratchSrc = w.newScratch; }
    const f64 = (b) => new Float64Array(b), i32 = (b) => new Int32Array(b);
    const offsets = i32(w.offsets), targets = i32(w.targets), len = f64(w.len), bands = f64(w.bands), W = f64(w.W);
    const sums = w.sums.map(f64), reached = i32(w.reached), next = i32(w.next);
    const N = offsets.length - 1;
    const sc = newScratch(N, sums.length, bands, w.buckets);
    for (;;) {
      if (Atomics.load(next, 1)) break; // cancelled
      const from = Atomics.add(next, 0, w.slice);
      if (from >= N) break;
      kernel(offsets, targets, len, W, bands, w.scale, sums, reached, from, Math.min(N, from + w.slice), sc);
    }
    parentPort.postMessage({ ok: true });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.stack) || e) });
  }
});
`;

/** Workers between runs: unref'd (they never keep the process alive), ended after a minute unused. */
const idle: Worker[] = [];
let idleTimer: ReturnType<typeof setTimeout> | null = null;
const IDLE_MS = 60_000;

function takeWorkers(n: number): Worker[] {
  const ws = idle.splice(0, n);
  while (ws.length < n) ws.push(new Worker(WORKER, { eval: true }));
  return ws;
}

function giveBack(ws: Worker[]): void {
  for (const w of ws) { w.unref(); idle.push(w); }
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => { for (const w of idle.splice(0)) void w.terminate(); idleTimer = null; }, IDLE_MS);
  idleTimer.unref();
}

function runJob(w: Worker, data: object): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => { w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit); };
    const onMessage = (m: { ok: boolean; error?: string }) => { done(); if (m.ok) resolve(); else reject(new Error(m.error)); };
    const onError = (e: Error) => { done(); reject(e); };
    const onExit = (code: number) => { done(); reject(new Error(`an accessibility worker stopped (exit ${code})`)); };
    w.on('message', onMessage); w.on('error', onError); w.on('exit', onExit);
    w.ref(); // a job in flight keeps the process alive
    w.postMessage(data);
  });
}

/** The graph's arrays copied to shared memory once per graph (a graph's arrays never change after its build). */
const sharedCopies = new WeakMap<Int32Array | Float64Array, SharedArrayBuffer>();
function sharedOnce(a: Int32Array | Float64Array): SharedArrayBuffer {
  let sab = sharedCopies.get(a);
  if (!sab) sharedCopies.set(a, (sab = shared(a)));
  return sab;
}

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
  const arcs = sortedArcs(g);
  const data = {
    kernel: accessKernel.toString(), newScratch: newScratch.toString(), slice: SLICE, offsets: sharedOnce(g.offsets), targets: sharedOnce(arcs.targets), len: sharedOnce(arcs.len),
    bands: shared(bands), W: shared(interleave(weights, N)), scale, buckets, sums, reached, next: next.buffer,
  };
  let workers: Worker[];
  try {
    workers = takeWorkers(threads);
  } catch {
    return onThisThread(g, weights, opts);
  }
  let stopped = false;
  const timer = opts.progress ? setInterval(() => {
    if (opts.progress!(Math.min(1, Atomics.load(next, 0) / N)) === false) { stopped = true; Atomics.store(next, 1, 1); }
  }, 250) : null;
  const results = await Promise.allSettled(workers.map((w) => runJob(w, data)));
  if (timer) clearInterval(timer);
  if (results.every((r) => r.status === 'fulfilled')) giveBack(workers);
  else for (const w of workers) void w.terminate();
  if (stopped) throw new AccessCancelled();
  // A worker that could not run (no eval, no memory): the answer from this thread instead.
  if (results.some((r) => r.status === 'rejected')) return onThisThread(g, weights, opts);
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
