/** Handlers for the accessibility methods. */
import type { Handlers } from '../service.js';
import type { ACCESS_METHODS } from '../schemas/access.js';
import { runAccess } from '../../access/run.js';
import { readAccess, readAccessValues } from '../../access/store.js';

type K = keyof typeof ACCESS_METHODS;

export const accessHandlers: Handlers<K> = {
  'access.run': async (input, ctx, svc) => {
    const p = svc.requireProject();
    const { jobId: _j, ...req } = input;
    const { runId, cached } = await runAccess(p, req, (f, m) => ctx.progress(f, m));
    return { ...readAccess(p, runId), cachedGraph: cached };
  },
  'access.results': ({ runId }, _ctx, svc) => readAccess(svc.requireProject(), runId),
  'access.values': (input, _ctx, svc) => readAccessValues(svc.requireProject(), input),
};
