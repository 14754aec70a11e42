/**
 * The main process's handle on the core host: forks it as a utilityProcess, sends calls, relays
 * progress, prints reports for it, and if the host dies, fails the calls in flight (instead of
 * hanging the UI) and starts a fresh host on the last project that opened, reopening the review
 * that was open, so the window carries on where it was.
 */
import type { UtilityProcess } from 'electron';
import type { ProgressEvent } from '../core/api/contract.js';
import type { Result } from '../core/api/errors.js';
import { MessageClient, type HostMessage, type PrintHandler } from '../core/api/transports/message-host.js';
import { BINDING_ENV } from './native-sqlite.js';

export interface CoreHostOptions {
  fork: (modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv; stdio: 'inherit' }) => UtilityProcess;
  hostScript: string;
  sqliteBinding: string;
  project: string | null;
  onProgress: (e: ProgressEvent) => void;
  /** Prints the reports the core host asks for (electron/report-printer.ts). */
  print: PrintHandler;
}

/** Methods after which the service's project is a different one (a review, if any, has ended). */
const PROJECT_METHODS = new Set(['project.open', 'project.create', 'project.saveAs', 'project.close']);

interface ReviewOpening { package: string; reviewFile: string; trustedKeyId?: string }

export class CoreClient {
  private child!: UtilityProcess;
  private client!: MessageClient;
  private project: string | null;
  private review: ReviewOpening | null = null;
  /** While a restarted host reopens the review, calls wait for it (otherwise they go out at once). */
  private restoring: Promise<void> | null = null;
  private stopped = false;

  constructor(private opts: CoreHostOptions) {
    this.project = opts.project;
    this.spawn();
  }

  private spawn(): void {
    const client = new MessageClient((m) => child.postMessage(m), this.opts.print);
    client.onProgress(this.opts.onProgress);
    const child = this.opts.fork(this.opts.hostScript, this.project ? [`--project=${this.project}`] : [], {
      serviceName: 'Ekimae core',
      // Two malloc arenas (glibc, Linux; ignored elsewhere): a long-lived core holding SQLite's and V8's
      // native memory across threads fragments less; a 59 MB import peaks 5 MB lower (import.bench.ts).
      env: { MALLOC_ARENA_MAX: '2', ...process.env, [BINDING_ENV]: this.opts.sqliteBinding },
      stdio: 'inherit',
    });
    child.on('message', (m: HostMessage) => client.receive(m));
    child.on('exit', (code) => {
      client.failAll({ code: 'E_INTERNAL', message: `the Ekimae core process stopped (exit code ${code}); it has been restarted, please try again` });
      if (this.stopped) return;
      this.spawn();
      if (this.review) {
        const restoring = this.reopenReview(this.review).finally(() => {
          if (this.restoring === restoring) this.restoring = null;
        });
        this.restoring = restoring;
      }
    });
    this.child = child;
    this.client = client;
  }

  private async reopenReview(review: ReviewOpening): Promise<void> {
    const client = this.client;
    const r = await client.call('review.open', review);
    // Ok, or this host died too and its successor is already reopening the review.
    if (r.ok || client !== this.client) return;
    // The package may have been moved or changed since: the host stays on the last project.
    console.error(`ekimae: could not reopen the review of ${review.package} after the core restarted: ${r.error.message}`);
    if (this.review === review) this.review = null;
  }

  async call(method: string, input: unknown): Promise<Result<unknown>> {
    while (this.restoring) await this.restoring;
    const r = await this.client.call(method, input);
    if (!r.ok) return r;
    // A restarted host reopens what the user was working in, not the start-up project.
    if (PROJECT_METHODS.has(method)) {
      this.project = method === 'project.close' ? null : (r.value as { path: string }).path;
      this.review = null;
    }
    if (method === 'review.open') {
      const { trustedKeyId } = input as { trustedKeyId?: string };
      const { package: pkg, reviewFile } = r.value as { package: string; reviewFile: string };
      this.review = { package: pkg, reviewFile, ...(trustedKeyId ? { trustedKeyId } : {}) };
    }
    if (method === 'review.close') this.review = null;
    return r;
  }

  stop(): void {
    this.stopped = true;
    this.child.kill();
  }
}
