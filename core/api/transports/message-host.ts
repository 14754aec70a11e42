/**
 * The core in another process: the message protocol between Electron's main process and the
 * utility process that runs EkimaeService (the same shape would serve a worker thread).
 * Calls go out as {type:'call', id, method, input}, results come back as {type:'result', id, result},
 * progress events as {type:'progress', event}. Messages are structured-cloned by the channel.
 */
import type { ErrorData, Result } from '../errors.js';
import type { ProgressEvent } from '../contract.js';
import type { EkimaeService } from '../service.js';

export interface CallMessage { type: 'call'; id: number; method: string; input: unknown }
export type HostMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'progress'; event: ProgressEvent };

function isCallMessage(m: unknown): m is CallMessage {
  const o = m as Partial<CallMessage> | null;
  return !!o && o.type === 'call' && Number.isSafeInteger(o.id) && typeof o.method === 'string';
}

/**
 * The host side: answers each call message through the service and forwards every progress event.
 * `ready` (e.g. opening the start-up project) completes before the first call is answered.
 */
export function serveMessages(
  service: Pick<EkimaeService, 'call' | 'onProgress'>,
  post: (m: HostMessage) => void,
  ready: Promise<unknown> = Promise.resolve(),
): { receive(m: unknown): void; dispose(): void } {
  const off = service.onProgress((event) => post({ type: 'progress', event }));
  return {
    receive(m) {
      if (!isCallMessage(m)) return;
      void ready
        .catch(() => undefined)
        .then(() => service.call(m.method, m.input))
        .then((result) => post({ type: 'result', id: m.id, result }));
    },
    dispose: off,
  };
}

/** The client side (Electron main): turns calls into messages and matches the results back. */
export class MessageClient {
  private nextId = 1;
  private pending = new Map<number, (r: Result<unknown>) => void>();
  private listeners = new Set<(e: ProgressEvent) => void>();

  constructor(private post: (m: CallMessage) => void) {}

  call(method: string, input: unknown): Promise<Result<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.post({ type: 'call', id, method, input });
    });
  }

  receive(m: HostMessage): void {
    if (m.type === 'progress') {
      for (const l of this.listeners) l(m.event);
    } else if (m.type === 'result') {
      const resolve = this.pending.get(m.id);
      this.pending.delete(m.id);
      resolve?.(m.result);
    }
  }

  onProgress(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The host died: every call in flight ends with this error instead of hanging. */
  failAll(error: ErrorData): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const resolve of waiting) resolve({ ok: false, error });
  }

  get inFlight(): number {
    return this.pending.size;
  }
}
