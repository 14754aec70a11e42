/** Handlers for the walk catchment methods. */
import type { Handlers } from '../service.js';
import type { Output } from '../contract.js';
import type { CATCHMENT_METHODS } from '../schemas/catchment.js';
import { runCatchment } from '../../catchment/run.js';
import { latestRunId, readParcels, readRun, type RunInfo } from '../../catchment/store.js';
import { readCatchmentColumns } from '../../catchment/columns.js';
import { EkimaeError } from '../../errors.js';

type K = keyof typeof CATCHMENT_METHODS;

// RunInfo carries JSON columns typed loosely; the service validates the output against the schema.
const asResult = (r: RunInfo) => r as unknown as Output<'catchment.results'>;

export const catchmentHandlers: Handlers<K> = {
  'catchment.run': async (input, ctx, svc) => {
    const p = svc.requireProject();
    const { jobId: _j, ...req } = input;
    const { runId, cached } = await runCatchment(p, req, (f, m) => ctx.progress(f, m));
    return { ...asResult(readRun(p, runId)), cachedGraph: cached };
  },
  'catchment.results': ({ runId }, _ctx, svc) => asResult(readRun(svc.requireProject(), runId)),
  'catchment.parcels': ({ runId, offset, limit }, _ctx, svc) => {
    const p = svc.requireProject();
    const id = runId ?? latestRunId(p);
    if (id === null) throw new EkimaeError('E_CATCHMENT_NOT_FOUND', 'no catchment has been run in this project yet');
    readRun(p, id);
    return { runId: id, parcels: readParcels(p, id, offset, limit) };
  },
  'catchment.columns': ({ runId, streets }, _ctx, svc) => readCatchmentColumns(svc.requireProject(), runId, { streets: streets ?? false }),
};
