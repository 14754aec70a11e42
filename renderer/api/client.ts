/** Typed calls over the bridge; failures become UiError carrying the stable code. */
import type { Input, MethodName, Output } from '../../core/api/contract.js';
import type { DownloadInput, DownloadMethod, DownloadTicket } from '../../core/api/transports/downloads.js';
import type { CallResult, EkimaeBridge } from './bridge.js';

export type { DownloadInput, DownloadMethod, DownloadTicket, Input, MethodName, Output };

export class UiError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'UiError';
  }
}

export interface Client {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Browser mode only (see canDownload): run an export on the server and download its file as `fileName`. */
  download<M extends DownloadMethod>(method: M, input: DownloadInput<M>, fileName: string): Promise<DownloadTicket<M>>;
  bridge: EkimaeBridge;
  /** Called when a call that carried a jobId settles (progress events alone may never say 'done'). */
  onJobEnd(cb: (jobId: string) => void): () => void;
}

let jobSeq = 0;
export function newJobId(method: string): string {
  jobSeq += 1;
  return `${method}-${Date.now().toString(36)}-${jobSeq}`;
}

export function makeClient(bridge: EkimaeBridge): Client {
  const jobEnd = new Set<(jobId: string) => void>();
  async function settle(input: unknown, send: () => Promise<CallResult>): Promise<unknown> {
    const jobId = (input as { jobId?: unknown } | null)?.jobId;
    try {
      const r = await send();
      if (!r.ok) throw new UiError(r.error.code, r.error.message, r.error.details);
      return r.value;
    } finally {
      if (typeof jobId === 'string') for (const l of jobEnd) l(jobId);
    }
  }
  return {
    bridge,
    async call(method, input) {
      return settle(input, () => bridge.call(method, input)) as Promise<Output<typeof method>>;
    },
    async download(method, input, fileName) {
      const run = bridge.download?.bind(bridge);
      if (!run) throw new UiError('E_TRANSPORT', 'downloads exist only in browser mode; the desktop app saves through its file dialog');
      return settle(input, () => run(method, input, fileName)) as Promise<DownloadTicket<typeof method>>;
    },
    onJobEnd(cb) {
      jobEnd.add(cb);
      return () => { jobEnd.delete(cb); };
    },
  };
}
