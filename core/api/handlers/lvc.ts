/** Handlers for land value capture. */
import type { Handlers } from '../service.js';
import type { LVC_METHODS } from '../schemas/lvc.js';
import { resolveAssumptions } from '../../scenario/assumptions.js';
import { distanceSource } from '../../scenario/distance-source.js';
import { getAssumptions } from '../../scenario/store.js';
import { lvcInputsFromScenario } from '../../lvc/from-scenario.js';
import { existsSync } from 'node:fs';
import { EkimaeError } from '../../errors.js';
import { cashflowTable, writeCashflowCsv, writeCashflowXlsx } from '../../lvc/cashflow.js';
import { INSTRUMENT_IDS } from '../../lvc/instruments.js';
import { legalTable } from '../../lvc/legal-basis.js';
import { defaultLvcParams, type LvcParams } from '../../lvc/params.js';
import { prepare, runLvc, validateParams } from '../../lvc/run.js';
import type { Project } from '../../store/project.js';
import { MC_SEED, MC_STOP, tornado } from '../../lvc/sensitivity.js';
import { monteCarloOnThreads } from '../../lvc/parallel-mc.js';
import { scenarioTakeUp } from '../../growth/schedule.js';
import { getLvcParams, latestLvcRuns, lvcParcelUplift, lvcRun, saveLvcRun, setLvcParams } from '../../lvc/store.js';

/** Fill what stored parameters from before calendar years and the economic appraisal lack: the project's price year, the country's social rate. */
function completeParams(p: Project, params: LvcParams): LvcParams {
  const s = p.settings();
  return {
    ...params,
    baseYear: params.baseYear ?? s.priceYear ?? new Date().getUTCFullYear(),
    socialDiscountRate: params.socialDiscountRate ?? defaultLvcParams(s.country as string | undefined).params.socialDiscountRate,
  };
}

export const lvcHandlers: Handlers<keyof typeof LVC_METHODS> = {
  'lvc.params': (_i, _c, svc) => getLvcParams(svc.requireProject()),

  'lvc.setParams': ({ params, sources }, _c, svc) => {
    const p = svc.requireProject();
    return setLvcParams(p, validateParams(params), { ...getLvcParams(p).sources, ...(sources ?? {}) });
  },

  'lvc.run': async (input, ctx, svc) => {
    const p = svc.requireProject();
    const stored = getLvcParams(p);
    const params = completeParams(p, validateParams(input.params ?? stored.params));
    ctx.progress(0, 'evaluating the scenario and its baseline');
    const inputs = lvcInputsFromScenario(p, input.scenario, {
      distances: distanceSource(p, input.distances), assumptions: resolveAssumptions(getAssumptions(p).entries),
      parcelLayer: input.parcelLayer, baseline: input.baseline, baseEntitlement: input.baseEntitlement,
    });
    // Development is booked in the years the projected take-up builds it (issue #12), on the growth
    // settings as they stand; the absorption curve applies only where a scenario cannot be projected.
    ctx.progress(0.3, 'projected take-up');
    const timing = scenarioTakeUp(p, inputs.scenario, { baseYear: params.baseYear, horizonYears: params.horizonYears, fids: inputs.parcels.fid }, { parcelLayer: input.parcelLayer, distances: input.distances });
    ctx.progress(0.4, 'uplift and cash flows');
    const prep = prepare(inputs.parcels, params, timing.schedule);
    const r = runLvc(prep, params);
    ctx.progress(0.6, 'sensitivity');
    // Sale values and construction costs re-run the take-up inside each bar and draw (they move the redevelopment test).
    const bars = tornado(prep, params, undefined, timing);
    ctx.progress(0.65, 'Monte Carlo draws');
    // The draws are most of a large project's run: their progress moves the bar, and a cancel stops them.
    // At most `draws`, stopping once every percentile is within the tolerance (0: exactly `draws`).
    const tolerance = input.tolerance ?? MC_STOP.tolerance;
    const monteCarlo = await monteCarloOnThreads(prep, params, inputs.parcels, input.draws ?? 1000, input.seed ?? MC_SEED, timing,
      { progress: (f) => ctx.progress(0.65 + 0.3 * f, 'Monte Carlo draws'), ...(tolerance > 0 ? { stop: { ...MC_STOP, tolerance } } : {}) });
    const result = {
      years: r.years, baseYear: r.baseYear, instruments: r.instruments, costs: r.costs, captured: r.captured, instrumentCosts: r.instrumentCosts, net: r.net,
      discountFactors: r.discountFactors, financial: r.financial, economic: r.economic, summary: r.summary, pools: r.pools,
      tornado: bars, monteCarlo,
      timing: timing.note,
      warnings: [...inputs.warnings,
        ...(prep.landValueMissing ? [`${prep.landValueMissing} parcels have no land value${prep.landValueFilled ? ` (${prep.landValueFilled} others took their station and distance band's land price)` : ''}; they add no proximity uplift`] : []),
        ...(prep.landValueFilled && !prep.landValueMissing ? [`${prep.landValueFilled} parcels without a land value took their station and distance band's land price`] : []),
        ...r.instruments.filter((f) => f.note).map((f) => `${f.name}: ${f.note}`),
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

  'lvc.exportCashflow': async ({ runId, scenario, format, path, overwrite }, _c, svc) => {
    const p = svc.requireProject();
    const run = runId !== undefined ? lvcRun(p, runId) : latestLvcRuns(p, scenario)[0];
    if (!run) throw new EkimaeError('E_INPUT_INVALID', scenario ? `no stored land value capture run of scenario "${scenario}"; run lvc.run first` : 'no stored land value capture run; run lvc.run first');
    if (existsSync(path) && !overwrite) throw new EkimaeError('E_PROJECT_EXISTS', `${path} already exists (pass overwrite to replace it)`, { path });
    const s = p.settings();
    const t = cashflowTable(run, { currency: (s.currency as string | undefined) ?? null, priceYear: s.priceYear });
    const paths = format === 'csv' ? writeCashflowCsv(t, path) : await writeCashflowXlsx(t, path);
    const get = (k: string) => Number(t.summary.find(([l]) => l.startsWith(k))![1]);
    return { runId: run.runId, paths, rows: t.rows.length, npvFinancial: get('financial NPV'), npvEconomic: get('economic NPV') };
  },

  'lvc.legalBasis': ({ country }, _c, svc) => {
    const c = (country ?? (svc.requireProject().settings().country as string | undefined) ?? '').toUpperCase();
    const table = legalTable(c);
    if (!table) throw new EkimaeError('E_INPUT_INVALID', `no legal basis table for country "${c}" (have TH, IN, JP)`, { country: c });
    return { country: c, instruments: INSTRUMENT_IDS.map((id) => ({ id, ...table[id] })) };
  },

  'lvc.parcels': ({ runId }, _c, svc) => lvcParcelUplift(svc.requireProject(), runId),
};
