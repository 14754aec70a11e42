/** Handlers for growth settings and projected take-up. */
import { EkimaeError } from '../../errors.js';
import type { Handlers } from '../service.js';
import type { GROWTH_METHODS } from '../schemas/growth.js';
import { landValues } from '../../growth/land-value.js';
import { getGrowth, listTakeUps, saveTakeUp, setGrowth, summaryOf } from '../../growth/store.js';
import { takeUp } from '../../growth/takeup.js';
import { scenarioProjection } from '../../growth/projection.js';
import { resolveAssumptions } from '../../scenario/assumptions.js';
import { distanceSource } from '../../scenario/distance-source.js';
import { getAssumptions, getScenario } from '../../scenario/store.js';

type K = keyof typeof GROWTH_METHODS;

export const growthHandlers: Handlers<K> = {
  'growth.get': (_i, _c, svc) => getGrowth(svc.requireProject()),

  'growth.set': ({ settings }, _c, svc) => setGrowth(svc.requireProject(), settings),

  'growth.takeUp': (input, ctx, svc) => {
    const p = svc.requireProject();
    if (input.store && p.readOnly) throw new EkimaeError('E_PROJECT_READONLY', `${p.path} is open read-only: run take-up with store false, or open it for editing`);
    const g = getGrowth(p).settings;
    const assumptions = resolveAssumptions(getAssumptions(p).entries);
    const distances = distanceSource(p, input.distances);
    const scenarios = input.ids.map((id, k) => {
      ctx.progress(k / input.ids.length, `projecting ${id}`);
      const s = getScenario(p, id);
      const t0 = performance.now();
      const t = takeUp(p, s.definition, { parcelLayer: input.parcelLayer, distances, assumptions, growth: g, landValue: (prep) => landValues(p, prep) });
      const evalMs = performance.now() - t0;
      if (input.store !== false && !p.readOnly) saveTakeUp(p, { scenarioId: s.id, version: s.version, parcelLayer: t.parcelLayer, settings: g, takeUp: t });
      return { id: s.id, version: s.version, name: s.definition.name, takeUp: summaryOf(t), evalMs };
    });
    ctx.progress(1, 'done');
    return { settings: g, scenarios };
  },

  'growth.parcels': (input, ctx, svc) => {
    const p = svc.requireProject();
    const s = input.id !== undefined ? getScenario(p, input.id) : null;
    const def = s ? s.definition : input.scenario!;
    ctx.progress(0, 'projecting parcels');
    const pr = scenarioProjection(p, def, {
      parcelLayer: input.parcelLayer, distances: distanceSource(p, input.distances), assumptions: resolveAssumptions(getAssumptions(p).entries),
      ...(s ? { stored: { id: s.id, version: s.version } } : {}),
    });
    ctx.progress(1, 'done');
    return {
      scenarioId: s?.id ?? null, version: s?.version ?? null, name: def.name, parcelLayer: pr.parcelLayer, source: pr.source,
      baseYear: pr.baseYear, horizons: pr.horizons, n: pr.n, columns: [...pr.horizons, 'capacity' as const],
      // Copies: the fids are the prepared parcels' own column (cached for the next call), which an in-process caller must not reach.
      fids: pr.fids.slice(), far: pr.far.slice(), bands: pr.bands, total: pr.total,
    };
  },

  'growth.results': ({ id }, _c, svc) => listTakeUps(svc.requireProject(), id).map(({ settings: _s, ...r }) => r),
};

