/**
 * A transport that does to payloads what Electron's IPC does: every input and every result crosses
 * structuredClone. Contract tests run through it so anything that would not survive IPC (functions,
 * class instances losing their prototype, shared references) shows up without Electron.
 */
import type { Result } from '../../errors.js';
import type { EkimaeService } from '../service.js';

export interface CloneTransport {
  call(method: string, input: unknown): Promise<Result<unknown>>;
}

export function createCloneTransport(service: Pick<EkimaeService, 'call'>): CloneTransport {
  return {
    async call(method, input) {
      const result = await service.call(method, structuredClone(input));
      return structuredClone(result);
    },
  };
}
