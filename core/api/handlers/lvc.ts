/** Handlers for land value capture. */
import type { Handlers } from '../service.js';
import type { LVC_METHODS } from '../schemas/lvc.js';
import { resolveAssumptions } from '../../scenario/assumptions.js';
import { distanceSource } from '../../scenario/distance-source.js';
import { getAssumptions } from '../../scenario/store.js';
import { lvcInputsFromScenario } from '../../lvc/from-scenario.js';
import { prepare, runLvc, validateParams } from '../../lvc/run.js';
import { monteCarlo, tornado } from '../../lvc/sensitivity.js';
import { getLvcParams, latestLvcRuns, lvcParcelUplift, saveLvcRun, setLvcParams } from '../../lvc/store.js';

export const lvcHandlers: Handlers<keyof typeof LVC_METHODS> = {
  'lvc.params': (_i, _c, svc) => getLvcParams(svc.requireProject()),

  'lvc.setParams': ({ params, sources }, _c, svc) => {
    const p = svc.requireProject();
    return setLvcParams(p, validateParams(params), { ...getLvcParams(p).sources, ...(sources ?? {}) });
  },

  'lvc.run': (input, ctx, svc) => {
    const p = svc.requireProject();
    const stored = getLvcParams(p);
    const params = validateParams(input.params ?? stored.params);
    ctx.progress(0, 'evaluating the scenario and its baseline');
    const inputs = lvcInputsFromScenario(p, input.scenario, {
      distances: distanceSource(p, input.distances), assumptions: resolveAssumptions(getAssumptions(p).entries),
      parcelLayer: input.parcelLayer, baseline: input.baseline, baseEntitlement: input.baseEntitlement,
    });
    ctx.progress(0.4, 'uplift and cash flows');
    const prep = prepare(inputs.parcels, params);
    const r = runLvc(prep, params);
    ctx.progress(0.6, 'sensitivity');
    const result = {
      years: r.years, instruments: r.instruments, costs: r.costs, captured: r.captured, net: r.net, summary: r.summary, pools: r.pools,
      tornado: tornado(prep, params), monteCarlo: monteCarlo(prep, params, input.draws ?? 1000, input.seed),
      warnings: [...inputs.warnings, ...r.instruments.filter((f) => f.note).map((f) => `${f.name}: ${f.note}`),
        ...(r.summary.shareFinanced === null ? ['no station or infrastructure cost is set (lvc.setParams costs), so the share financed cannot be computed'] : [])],
    };
    const rec = {
      scenario: inputs.scenario, baseline: inputs.baseline, baseEntitlement: inputs.baseEntitlement, parcelLayer: inputs.parcelLayer,
      distanceSource: inputs.distanceSource, params, sources: stored.sources, result,
    };
    const runId = input.store !== false && !p.readOnly ? saveLvcRun(p, rec, inputs.parcels.fid, prep.uplift) : null;
    ctx.progress(1, 'done');
    return { runId, ...rec };
  },

  'lvc.results': ({ scenario }, _c, svc) => latestLvcRuns(svc.requireProject(), scenario),

  'lvc.parcels': ({ runId }, _c, svc) => lvcParcelUplift(svc.requireProject(), runId),
};
