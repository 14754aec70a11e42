/**
 * The Monte Carlo on several cores. At a metropolitan project a draw re-runs the take-up over every
 * parcel (~33 ms at a million parcels, docs/PERFORMANCE.md), so 1,000 draws of four scenarios are
 * most of `ekimae analyze`; the draws are independent, so worker threads share them.
 *
 * The answer is the serial one (sensitivity.ts monteCarlo) bit for bit: every draw's inputs come
 * from the one seeded stream drawn here, each draw's NPV and share are written at its index, and the
 * figures are made from them in draw order. A worker rebuilds the state the calling thread holds
 * (the capture's preparation, the take-up's re-runs) from the same plain data with the same
 * functions; the calling thread draws too while the workers start. Any draw a worker did not finish
 * (it failed, or could not start) is evaluated here, so a failing worker costs time, never an answer.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { availableParallelism, freemem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EkimaeError } from '../errors.js';
import type { TakeUpSource } from '../growth/schedule.js';
import type { LvcParams } from './params.js';
import type { Prepared } from './run.js';
import { drawValues, evaluateDraw, monteCarlo, summariseDraws, uncertaintiesFor, withinTolerance, type McStop, type MonteCarlo, type TakeUpRerun } from './sensitivity.js';
import type { LvcParcels } from './uplift.js';

/**
 * Below this much work (draws × take-up parcels) the draws stay on this thread. A worker's start, its
 * own preparation (~3 µs a parcel) and its first, unoptimised draws outweighed what it saved on the
 * samples (Bang Sue, 14,827 parcels × 1,000 draws: the same wall time,
 * 40 % more CPU); from ~100,000 parcels at 1,000 draws it pays (docs/PERFORMANCE.md).
 */
export const PARALLEL_MIN_WORK = 50_000_000;
/** The same when the worker runs from source (it compiles the TypeScript through tsx first, ~1 s). */
export const PARALLEL_MIN_WORK_SOURCE = 200_000_000;
/**
 * A worker's own memory per take-up parcel: its re-run state and preparation. Peak RSS at the
 * metropolitan case (1M parcels): 1.57 GB on one thread, 2.64 GB with one worker, 3.74 GB with three
 * (the columns shared once).
 */
const WORKER_BYTES_PER_PARCEL = 600;
/**
 * Threads by default (this one included). The draws are bound by memory bandwidth (on the 2-core
 * machine two threads drew at ~50 ms a draw each against ~33 ms alone at a million parcels), and each
 * worker adds ~0.55 GB there (four threads: 3.74 GB peak, within the 4 GB budget): more threads would
 * buy little for much memory.
 */
export const DEFAULT_THREADS = 4;

/** What a worker is sent: plain data, its typed arrays in shared memory (read only), the counter and result arrays shared. */
export interface McWorkerJob {
  source: TakeUpSource;
  parcels: LvcParcels;
  params: LvcParams;
  /** The uncertain inputs' ids in order, checked by the worker against its own. */
  inputs: string;
  /** Every draw's inputs, draw after draw. */
  values: ArrayBuffer;
  draws: number;
  chunk: number;
  next: SharedArrayBuffer;
  npv: SharedArrayBuffer;
  share: SharedArrayBuffer;
  /** Per draw: 0 = not evaluated, 1 = done, 2 = done without a share financed. */
  done: SharedArrayBuffer;
}

export interface ParallelMcOptions {
  /** Threads, this one included (default: the machine's cores, at most DEFAULT_THREADS; 1 = this thread only). */
  threads?: number;
  /** The worker's script (tests); default: beside this module's bundle, or mc-worker.ts from source. */
  workerFile?: string;
  /** False: the calling thread only waits while the workers draw (tests of the workers). Default true. */
  callerDraws?: boolean;
  /**
   * Told the share of draws done now and then (at most every 200 ms, from this thread between its
   * draws); throwing stops the run (the job's cancellation): the workers stop after their slice and
   * the error propagates.
   */
  progress?: (fraction: number) => void;
  /** Told how the draws were shared: the threads used and how many draws the workers evaluated. */
  report?: (r: { threads: number; byWorkers: number }) => void;
  /**
   * Stop before `draws` once the percentiles are precise enough (sensitivity.ts McStop). The draws
   * stop where the serial run's would: each check looks at the draws before it once all of them are
   * done, whichever thread did them; the draws the workers took beyond are not used.
   */
  stop?: McStop;
}

/** The Monte Carlo of `monteCarlo`, with its draws shared among worker threads when the work is large enough. */
export async function monteCarloOnThreads(prep: Prepared, base: LvcParams, parcels: LvcParcels, draws: number, seed: number,
  rerun: (TakeUpRerun & { source?: TakeUpSource }) | undefined, opts: ParallelMcOptions = {}): Promise<MonteCarlo> {
  const u = uncertaintiesFor(prep, base);
  const source = rerun?.source;
  const m = source?.cols.fids.length ?? 0;
  // A draw reads the parcels its redevelopment test reads: none where nothing can be built (Existing),
  // whose draws are then cheaper than a worker's start (it rebuilds the take-up of every parcel).
  const work = draws * (rerun?.tested ?? m);
  // Each worker holds its own re-run state and preparation (~0.55 GB at a million parcels,
  // measured): no more workers than half the free memory holds.
  const threads = Math.min(threadCount(opts.threads), 1 + Math.floor((0.5 * freemem()) / (WORKER_BYTES_PER_PARCEL * Math.max(1, m))));
  const file = threads > 1 && source && draws >= 2 ? workerFile(opts.workerFile) : null;
  // From source a worker first compiles the TypeScript through tsx (~1 s): worth it only for much larger work.
  const enough = opts.threads !== undefined || work >= (file?.endsWith('.ts') ? PARALLEL_MIN_WORK_SOURCE : PARALLEL_MIN_WORK);
  const tick = ticker(opts.progress, draws);
  if (!file || !source || !enough) {
    opts.report?.({ threads: 1, byWorkers: 0 });
    return monteCarlo(prep, base, draws, seed, u, rerun, tick, opts.stop);
  }

  const k = u.length;
  const drawn = drawValues(base, u, draws, seed);
  const values = new Float64Array(draws * k);
  drawn.forEach((v, d) => values.set(v, d * k));
  const next = new Int32Array(new SharedArrayBuffer(4));
  const npv = new Float64Array(new SharedArrayBuffer(8 * draws)), share = new Float64Array(new SharedArrayBuffer(8 * draws));
  const done = new Uint8Array(new SharedArrayBuffer(draws));
  // Small slices keep the threads' shares even (a draw's cost varies with how much its market builds).
  const chunk = Math.max(1, Math.min(16, Math.floor(draws / (threads * 8))));
  const job: McWorkerJob = {
    source: shareArrays(source), parcels: shareArrays(parcels), params: base, inputs: u.map((x) => x.id).join(','), values: values.buffer, draws, chunk,
    next: next.buffer as SharedArrayBuffer, npv: npv.buffer as SharedArrayBuffer, share: share.buffer as SharedArrayBuffer, done: done.buffer as SharedArrayBuffer,
  };
  const runs: Array<Promise<void>> = [];
  for (let t = 1; t < threads; t++) runs.push(runWorker(file, job).catch(() => undefined));

  const evalAt = (d: number) => {
    const r = evaluateDraw(prep, base, u, drawn[d], rerun);
    npv[d] = r.npv;
    share[d] = r.share ?? 0;
    Atomics.store(done, d, r.share === null ? 2 : 1);
  };
  // The stop rule's checks in order: `used` is the draws the answer takes (all, unless a check held);
  // `prefix` the draws done without a gap from the first, `check` the next count to look at.
  const stop = opts.stop;
  let used = draws, prefix = 0, check = stop ? nextCheck(stop, 0, draws) : draws;
  const npvs: number[] = [], shares: number[] = [];
  /** Checks every count the finished prefix has reached; true once one holds (used is then set). */
  const checkPrefix = (): boolean => {
    while (prefix < draws && Atomics.load(done, prefix) !== 0) {
      npvs.push(npv[prefix]);
      if (done[prefix] === 1) shares.push(share[prefix]);
      prefix++;
    }
    for (; stop && check < draws && check <= prefix; check = nextCheck(stop, check, draws)) {
      if (withinTolerance(npvs.slice(0, check), sharesBefore(check), stop.tolerance)) { used = check; return true; }
    }
    return false;
  };
  // The shares of the draws before n (the draws without one are skipped, as in the serial run).
  const sharesBefore = (n: number) => {
    let k = 0;
    for (let d = 0; d < n; d++) if (done[d] === 1) k++;
    return shares.slice(0, k);
  };
  let here = 0;
  try {
    while (opts.callerDraws !== false) {
      const from = Atomics.add(next, 0, chunk);
      if (from >= draws) break;
      for (let d = from, to = Math.min(draws, from + chunk); d < to; d++, here++) evalAt(d);
      tick(Math.min(draws, Atomics.load(next, 0)));
      if (stop && checkPrefix()) { Atomics.store(next, 0, draws); break; }
    }
  } catch (e) {
    Atomics.store(next, 0, draws); // the workers take no further slice
    throw e;
  }
  await Promise.all(runs);
  // What a failed worker took and did not finish, in order, checking as the serial run would.
  let late = 0;
  if (used === draws) {
    for (let d = 0; d < draws; d++) {
      if (Atomics.load(done, d) === 0) { evalAt(d); late++; }
      if (checkPrefix()) break;
    }
  }
  let byWorkers = 0;
  for (let d = 0; d < draws; d++) if (done[d] !== 0) byWorkers++;
  opts.report?.({ threads, byWorkers: byWorkers - here - late });
  tick(draws);

  const shareCount = sharesBefore(used).length;
  return summariseDraws(used, seed, npvs.slice(0, used), shares.slice(0, shareCount), stop && { maxDraws: draws, stop });
}

/** The first count after n at which the rule checks (draws when none is left before it). */
function nextCheck(stop: McStop, n: number, draws: number): number {
  const c = n < stop.minDraws ? stop.minDraws : n + stop.every - ((n - stop.minDraws) % stop.every);
  return Math.min(c, draws);
}

/** Calls `progress` with the share done, at most every 200 ms and at the end. */
function ticker(progress: ((fraction: number) => void) | undefined, draws: number): (done: number) => void {
  if (!progress) return () => undefined;
  let last = Date.now();
  return (done) => {
    const now = Date.now();
    if (done < draws && now - last < 200) return;
    last = now;
    progress(done / draws);
  };
}

type Typed = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array | Uint8ClampedArray;

/**
 * The job's columns copied once into shared memory, so the workers read one copy in place instead of
 * each receiving its own (~270 bytes a parcel: a quarter of what a worker holds). Plain objects and
 * arrays are rebuilt around them; other values are left to the structured clone. The workers only
 * read them (tests/core/lvc/parallel-mc.test.ts runs two workers on one copy against the serial run).
 */
export function shareArrays<T>(x: T): T {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    if (x.buffer instanceof SharedArrayBuffer) return x;
    const a = x as unknown as Typed;
    const copy = new (a.constructor as new (b: SharedArrayBuffer) => Typed)(new SharedArrayBuffer(a.byteLength));
    copy.set(a);
    return copy as unknown as T;
  }
  if (Array.isArray(x)) return x.map((v) => shareArrays(v)) as T;
  if (x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype) {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, shareArrays(v)])) as T;
  }
  return x;
}

/**
 * Threads for the draws: the option, else EKIMAE_THREADS (a whole number ≥ 1; 1 keeps every draw on
 * the calling thread, e.g. on a machine other work shares), else the cores, at most DEFAULT_THREADS.
 */
export function threadCount(given?: number): number {
  if (given !== undefined) return Math.max(1, Math.floor(given));
  const env = process.env.EKIMAE_THREADS;
  if (env !== undefined && env !== '') {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new EkimaeError('E_INPUT_INVALID', `EKIMAE_THREADS must be a whole number ≥ 1 (is "${env}")`);
    return n;
  }
  return Math.min(DEFAULT_THREADS, availableParallelism());
}

/** The worker script: given, or bundled beside this module (CLI: .mjs, Electron: .cjs), or the source under tsx. */
function workerFile(given?: string): string | null {
  if (given) return existsSync(given) ? given : null;
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const f = fileURLToPath(new URL('./mc-worker.ts', here));
    return existsSync(f) ? f : null;
  }
  for (const ext of ['mjs', 'cjs']) {
    const f = fileURLToPath(new URL(`./lvc-mc-worker.${ext}`, here));
    if (existsSync(f)) return f;
  }
  return null;
}

// Workers between runs (the four scenarios of an analysis follow each other): kept with their
// compiled and optimised code, unref'd so they never keep the process alive, ended after a minute unused.
const idle = new Map<string, Worker[]>();
let idleTimer: ReturnType<typeof setTimeout> | null = null;
const IDLE_MS = 60_000;

function takeWorker(file: string): Worker {
  const w = idle.get(file)?.pop();
  if (w) return w;
  return file.endsWith('.ts') ? new Worker(tsBoot(file), { eval: true }) : new Worker(file);
}

function giveBack(file: string, w: Worker): void {
  w.unref();
  idle.set(file, [...(idle.get(file) ?? []), w]);
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = setTimeout(endIdleWorkers, IDLE_MS);
  idleTimer.unref();
}

/** Ends the pooled workers now (tests; a process about to exit need not: they are unref'd). */
export function endIdleWorkers(): void {
  for (const ws of idle.values()) for (const w of ws) void w.terminate();
  idle.clear();
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
}

/** One job on a worker: it answers when the counter runs out; a failure rejects (its draws fall back to the caller) and ends the worker. */
function runWorker(file: string, job: McWorkerJob): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let w: Worker;
    try {
      w = takeWorker(file);
    } catch (e) {
      reject(e as Error);
      return;
    }
    const end = (e?: Error) => {
      w.off('message', onMessage); w.off('error', onError); w.off('exit', onExit);
      if (e) { void w.terminate(); reject(e); } else { giveBack(file, w); resolve(); }
    };
    const onMessage = (m: { ok: boolean; error?: string }) => end(m.ok ? undefined : new Error(m.error));
    const onError = (e: Error) => end(e);
    const onExit = (code: number) => end(new Error(`a Monte Carlo worker stopped (exit ${code})`));
    w.on('message', onMessage); w.on('error', onError); w.on('exit', onExit);
    w.ref(); // a job in flight keeps the process alive
    try {
      w.postMessage(job);
    } catch (e) {
      end(e as Error);
    }
  });
}

/** From source (tests, the browser mode under tsx): the worker registers tsx, then loads the TypeScript module. */
function tsBoot(file: string): string {
  // tsx's ESM entry (the CommonJS one that require.resolve finds would register from the wrong place).
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api'].import.default;
  const api = pathToFileURL(join(dirname(pkg), entry)).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(file).href)}); });`;
}
