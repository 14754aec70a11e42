/** Handlers for density scenarios, assumptions, evaluation and comparison. */
import { EkimaeError } from '../../errors.js';
import type { Handlers } from '../service.js';
import { SCENARIO_METHODS } from '../schemas/scenario.js';
import type { Project } from '../../store/project.js';
import { ASSUMPTION_KEYS, resolveAssumptions } from '../../scenario/assumptions.js';
import { calibrateExisting } from '../../scenario/calibrate.js';
import { compareScenarios, metricDeltas, type ComparedScenario } from '../../scenario/compare.js';
import type { ScenarioDef } from '../../scenario/model.js';
import { distanceSource } from '../../scenario/distance-source.js';
import { cached } from '../../scenario/prepare.js';
import { scenarioColumns } from '../../scenario/columns.js';
import { evaluateScenario, type Evaluation } from '../../scenario/run.js';
import {
  copyScenario, deleteScenario, ensureDefaultScenarios, getAssumptions, getScenario, listResults, listScenarios, saveResult, saveScenario, scenarioVersions, setAssumptions,
} from '../../scenario/store.js';
import { definitionChanges } from '../../scenario/changes.js';

type K = keyof typeof SCENARIO_METHODS;

function tableOut(p: Project) {
  const t = getAssumptions(p);
  return { ...t, entries: t.entries.map((e) => ({ ...e, label: ASSUMPTION_KEYS[e.key].label })) };
}

function store(p: Project, id: string, version: number, ev: Evaluation, entries: ReturnType<typeof getAssumptions>['entries']) {
  return saveResult(p, {
    scenarioId: id, version, parcelLayer: ev.prep.layer, distanceSource: ev.distanceSource, indicators: ev.indicators,
    assumptions: entries, fids: ev.prep.cols.fid, bandNames: ev.rules.bandNames, result: ev.result,
  });
}

export const scenarioHandlers: Handlers<K> = {
  'scenario.list': (_i, _c, svc) => listScenarios(svc.requireProject()),

  'scenario.get': ({ id, version }, _c, svc) => getScenario(svc.requireProject(), id, version),

  'scenario.history': async ({ id, lang }, _c, svc) => {
    const p = svc.requireProject();
    const rows = scenarioVersions(p, id);
    const warnings: string[] = [];
    let who = new Map<number, { by: string; at: string }>();
    if (p.scenarioAuthors) {
      // The versions are in the working copy either way; only who saved them needs the database.
      try { who = new Map((await p.scenarioAuthors([id])).map((a) => [a.version, a])); } catch (e) {
        warnings.push(`who saved each version could not be read from the database: ${(e as Error).message}`);
      }
    }
    const versions = rows.map((r, i) => ({
      version: r.version, name: r.name, note: r.note, createdAt: r.createdAt,
      savedBy: who.get(r.version)?.by ?? null, savedAt: who.get(r.version)?.at ?? null,
      changes: i === 0 ? null : definitionChanges(rows[i - 1].definition, r.definition, lang),
    })).reverse();
    return { id, name: rows[rows.length - 1].name, authors: p.scenarioAuthors ? 'database' as const : 'file' as const, versions, warnings };
  },

  'scenario.save': ({ id, scenario, note }, _c, svc) => saveScenario(svc.requireProject(), scenario, { id, note }),

  'scenario.copy': ({ id, version, name }, _c, svc) => copyScenario(svc.requireProject(), id, name, version),

  'scenario.delete': ({ id }, _c, svc) => ({ deleted: id, versions: deleteScenario(svc.requireProject(), id) }),

  'scenario.defaults': (_i, _c, svc) => {
    const p = svc.requireProject();
    const added = ensureDefaultScenarios(p);
    return { added, scenarios: listScenarios(p) };
  },

  'scenario.evaluate': (input, ctx, svc) => {
    const p = svc.requireProject();
    const stored = input.id !== undefined ? getScenario(p, input.id, input.version) : null;
    const def: ScenarioDef = stored ? stored.definition : input.scenario!;
    if (!stored && input.store) throw new EkimaeError('E_INPUT_INVALID', 'scenario.evaluate: only a saved scenario can be stored (save it first, then evaluate by id)');
    if (input.store && p.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${p.path} is open read-only: evaluate with store false, or open it for editing`);
    const table = getAssumptions(p);
    const assumptions = resolveAssumptions(table.entries);
    const distances = distanceSource(p, input.distances);
    ctx.progress(0, 'reading parcels');
    const ev = evaluateScenario(p, def, { parcelLayer: input.parcelLayer, distances, assumptions });
    ctx.progress(0.6, 'evaluated');
    const r = ev.result;
    const parcels = input.includeParcels ? {
      fids: Array.from(ev.prep.cols.fid), band: Array.from(r.band, (b) => ev.rules.bandNames[b]), redeveloped: Array.from(r.redeveloped, (x) => x === 1),
      flags: Array.from(r.flags), floorArea: Array.from(r.floorArea), permitted: Array.from(r.permitted), dwellings: Array.from(r.dwellings),
      residents: Array.from(r.residents), jobs: Array.from(r.jobs), boardings: Array.from(r.boardings),
    } : undefined;
    const columns = input.parcelColumns ? scenarioColumns(ev.prep, r) : undefined;
    const saved = stored && input.store !== false && !p.readOnly ? store(p, stored.id, stored.version, ev, table.entries) : null;
    const out = {
      scenarioId: stored?.id ?? null, version: stored?.version ?? null, name: def.name, parcelLayer: ev.prep.layer, distanceSource: ev.distanceSource,
      indicators: ev.indicators, flags: ev.flags, warnings: ev.warnings, evalMs: ev.evalMs, stored: saved, parcels, columns, changeVsExisting: null as ReturnType<typeof metricDeltas> | null,
    };
    // Evaluated after everything above is copied out: the per-parcel buffers are reused. Existing's
    // totals are memoised while parcels, catchment run, assumptions and Existing itself are unchanged.
    if (stored?.id !== 'existing' && listScenarios(p).some((s) => s.id === 'existing')) {
      const ex = getScenario(p, 'existing');
      const evalExisting = () => evaluateScenario(p, ex.definition, { parcelLayer: input.parcelLayer, distances, assumptions }).indicators.total;
      const base = input.distances && input.distances.kind !== 'catchment'
        ? evalExisting()
        : cached(p, `existing-total:${ev.prep.layer}`, JSON.stringify([ev.prep.token, ev.distanceSource, ex.version, table.entries]), evalExisting);
      out.changeVsExisting = metricDeltas(ev.indicators.total, base);
    }
    ctx.progress(1, 'done');
    return out;
  },

  'scenario.compare': (input, ctx, svc) => {
    const p = svc.requireProject();
    if (input.store && p.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${p.path} is open read-only: compare without store, or open it for editing`);
    const table = getAssumptions(p);
    const assumptions = resolveAssumptions(table.entries);
    const distances = distanceSource(p, input.distances);
    const refs = input.ids.map((r) => (typeof r === 'string' ? { id: r, version: undefined } : r));
    const baseline = input.baseline ?? (listScenarios(p).some((s) => s.id === 'existing') ? 'existing' : refs[0].id);
    const ids = refs.some((r) => r.id === baseline) ? refs : [{ id: baseline, version: undefined }, ...refs];
    const list: ComparedScenario[] = [];
    const warnings = new Set<string>();
    let layer = '', source = '';
    ids.forEach(({ id, version }, k) => {
      ctx.progress(k / ids.length, `evaluating ${id}`);
      const s = getScenario(p, id, version);
      const ev = evaluateScenario(p, s.definition, { parcelLayer: input.parcelLayer, distances, assumptions });
      if (input.store) store(p, s.id, s.version, ev, table.entries);
      for (const w of ev.warnings) warnings.add(`${s.name}: ${w}`);
      layer = ev.prep.layer;
      source = ev.distanceSource;
      list.push({ id: s.id, version: s.version, name: s.definition.name, indicators: ev.indicators });
    });
    ctx.progress(1, 'done');
    return { ...compareScenarios(list, baseline), distanceSource: source, parcelLayer: layer, warnings: [...warnings] };
  },

  'scenario.calibrate': (input, ctx, svc) => {
    ctx.progress(0, 'calibrating the existing stock to the census');
    const out = calibrateExisting(svc.requireProject(), input);
    ctx.progress(1, 'done');
    return out;
  },

  'scenario.results': ({ id }, _c, svc) => listResults(svc.requireProject(), id),

  'assumptions.get': (_i, _c, svc) => tableOut(svc.requireProject()),

  'assumptions.set': (input, _c, svc) => {
    const p = svc.requireProject();
    setAssumptions(p, input);
    return tableOut(p);
  },
};
