/**
 * The main process's handle on the core host: forks it as a utilityProcess, sends calls, relays
 * progress, and if the host dies, fails the calls in flight (instead of hanging the UI) and starts a
 * fresh host on the last project that opened.
 */
import type { UtilityProcess } from 'electron';
import type { ProgressEvent } from '../core/api/contract.js';
import type { Result } from '../core/api/errors.js';
import { MessageClient, type HostMessage } from '../core/api/transports/message-host.js';
import { BINDING_ENV } from './native-sqlite.js';

export interface CoreHostOptions {
  fork: (modulePath: string, args: string[], options: { serviceName: string; env: NodeJS.ProcessEnv; stdio: 'inherit' }) => UtilityProcess;
  hostScript: string;
  sqliteBinding: string;
  project: string | null;
  onProgress: (e: ProgressEvent) => void;
}

export class CoreClient {
  private child!: UtilityProcess;
  private client!: MessageClient;
  private project: string | null;
  private stopped = false;

  constructor(private opts: CoreHostOptions) {
    this.project = opts.project;
    this.spawn();
  }

  private spawn(): void {
    const client = new MessageClient((m) => this.child.postMessage(m));
    client.onProgress(this.opts.onProgress);
    const child = this.opts.fork(this.opts.hostScript, this.project ? [`--project=${this.project}`] : [], {
      serviceName: 'Ekimae core',
      env: { ...process.env, [BINDING_ENV]: this.opts.sqliteBinding },
      stdio: 'inherit',
    });
    child.on('message', (m: HostMessage) => client.receive(m));
    child.on('exit', (code) => {
      client.failAll({ code: 'E_INTERNAL', message: `the Ekimae core process stopped (exit code ${code}); it has been restarted, please try again` });
      if (!this.stopped) this.spawn();
    });
    this.child = child;
    this.client = client;
  }

  async call(method: string, input: unknown): Promise<Result<unknown>> {
    const r = await this.client.call(method, input);
    // A restarted host reopens the project the user was working in, not the start-up one.
    if (r.ok && (method === 'project.open' || method === 'project.create' || method === 'project.saveAs')) {
      this.project = (r.value as { path: string }).path;
    }
    if (r.ok && method === 'project.close') this.project = null;
    return r;
  }

  stop(): void {
    this.stopped = true;
    this.child.kill();
  }
}
