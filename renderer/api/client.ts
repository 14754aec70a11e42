/** Typed calls over the bridge; failures become UiError carrying the stable code. */
import type { Input, MethodName, Output } from '../../core/api/contract.js';
import type { EkimaeBridge } from './bridge.js';

export type { Input, MethodName, Output };

export class UiError extends Error {
  constructor(readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'UiError';
  }
}

export interface Client {
  call<M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>>;
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
  return {
    bridge,
    async call(method, input) {
      const jobId = (input as { jobId?: unknown } | null)?.jobId;
      try {
        const r = await bridge.call(method, input);
        if (!r.ok) throw new UiError(r.error.code, r.error.message, r.error.details);
        return r.value as Output<typeof method>;
      } finally {
        if (typeof jobId === 'string') for (const l of jobEnd) l(jobId);
      }
    },
    onJobEnd(cb) {
      jobEnd.add(cb);
      return () => { jobEnd.delete(cb); };
    },
  };
}
