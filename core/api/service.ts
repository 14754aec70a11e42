/**
 * The service that implements the contract: validates input, runs the handler, validates output,
 * turns every failure into error data with a stable code. Transports only move its payloads.
 */
import { EkimaeError, toErrorData, type Result } from '../errors.js';
import { storageError } from '../store/storage-errors.js';
import { sweepTempDirsOnce } from '../store/temp-dirs.js';
import { CONTRACT, isMethodName, type Input, type MethodName, type Output, type ProgressEvent } from './contract.js';
import { projectHandlers } from './handlers/project.js';
import { catchmentHandlers } from './handlers/catchment.js';
import { reportHandlers } from './handlers/report.js';
import { lvcHandlers } from './handlers/lvc.js';
import { scenarioHandlers } from './handlers/scenario.js';
import { reviewHandlers } from './handlers/review.js';
import { growthHandlers } from './handlers/growth.js';
import { basemapHandlers } from './handlers/basemap.js';
import { keysHandlers } from './handlers/keys.js';
import { accessHandlers } from './handlers/access.js';
import type { Project } from '../store/project.js';

export interface JobContext {
  jobId: string | null;
  signal: AbortSignal;
  /** Report progress; throws E_CANCELLED if the job was cancelled (so handlers stop at the next step). */
  progress(fraction: number | null, message: string): void;
}

export type Handler<M extends MethodName> = (input: Output<M> extends never ? never : InputParsed<M>, ctx: JobContext, svc: EkimaeService) => Promise<Output<M>> | Output<M>;
type InputParsed<M extends MethodName> = import('zod').output<(typeof CONTRACT)[M]['input']>;
export type Handlers<K extends MethodName> = { [M in K]: Handler<M> };

const HANDLERS: Handlers<MethodName> = {
  ...projectHandlers,
  ...catchmentHandlers,
  ...reportHandlers,
  ...lvcHandlers,
  ...scenarioHandlers,
  ...reviewHandlers,
  ...growthHandlers,
  ...basemapHandlers,
  ...keysHandlers,
  ...accessHandlers,
};

export interface ServiceOptions {
  /** Re-validate outputs of bulk methods too (tests); other outputs are always validated. */
  strictOutputs?: boolean;
}

export class EkimaeService {
  project: Project | null = null;
  private listeners = new Set<(e: ProgressEvent) => void>();
  private jobs = new Map<string, AbortController>();

  constructor(private opts: ServiceOptions = {}) {
    // Temporary folders of Ekimae processes that were killed (their pid is gone) are removed at start-up.
    sweepTempDirsOnce();
  }

  requireProject(): Project {
    if (!this.project || !this.project.isOpen) throw new EkimaeError('E_PROJECT_NOT_OPEN', 'no project is open; create or open one first');
    return this.project;
  }

  /** Open, create and close wait while the open project is being changed by a job (an import). */
  assertIdle(): void {
    const busy = this.project?.isOpen ? this.project.busy : null;
    if (busy) throw new EkimaeError('E_PROJECT_BUSY', `${this.project!.path} is in use until ${busy} has finished; cancel it or wait`, { busy });
  }

  setProject(p: Project | null): void {
    if (this.project && this.project !== p) this.project.close();
    this.project = p;
  }

  onProgress(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cancel(jobId: string): boolean {
    const c = this.jobs.get(jobId);
    if (!c) return false;
    c.abort();
    return true;
  }

  /** Call by name with unvalidated input (what every transport does). Never throws. */
  async call(method: string, input: unknown): Promise<Result<unknown>> {
    if (!isMethodName(method)) {
      return { ok: false, error: { code: 'E_METHOD_UNKNOWN', message: `no method "${String(method).slice(0, 80)}"` } };
    }
    const def = CONTRACT[method];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      return {
        ok: false,
        error: {
          code: 'E_INPUT_INVALID',
          message: `${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
          details: { issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
        },
      };
    }
    // Only long methods are jobs: jobs.cancel's own jobId names the job to stop, not a new one.
    const jobId = ('long' in def && def.long ? (parsed.data as { jobId?: string }).jobId : undefined) ?? null;
    const controller = new AbortController();
    if (jobId) this.jobs.set(jobId, controller);
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (fraction, message) => {
        if (controller.signal.aborted) throw new EkimaeError('E_CANCELLED', `${method} was cancelled`);
        if (jobId) for (const l of this.listeners) l({ jobId, method, fraction, message });
      },
    };
    try {
      const handler = HANDLERS[method] as (i: unknown, c: JobContext, s: EkimaeService) => Promise<unknown> | unknown;
      const run = async () => handler(parsed.data, ctx, this);
      // A project opened from a shared database writes each call's changes through to it (core/store/postgis/sync.ts).
      const sync = this.project?.isOpen ? this.project.sync : undefined;
      const value = await (sync ? sync.around(method, parsed.data, run) : run());
      if (!('bulk' in def && def.bulk) || this.opts.strictOutputs) {
        const out = def.output.safeParse(value);
        if (!out.success) {
          return { ok: false, error: { code: 'E_INTERNAL', message: `${method} produced output outside the contract: ${out.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` } };
        }
        return { ok: true, value: out.data };
      }
      return { ok: true, value };
    } catch (e) {
      // A full disk or read-only file anywhere below gets its coded error, not E_INTERNAL.
      return { ok: false, error: toErrorData(storageError(e, this.project?.path) ?? e) };
    } finally {
      if (jobId && this.jobs.get(jobId) === controller) this.jobs.delete(jobId);
    }
  }

  /** Typed call for in-process use (CLI, tests): returns the output or throws EkimaeError. */
  async invoke<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> {
    const r = await this.call(method, input);
    if (!r.ok) throw new EkimaeError(r.error.code, r.error.message, r.error.details);
    return r.value as Output<M>;
  }

  close(): void {
    this.setProject(null);
  }
}
