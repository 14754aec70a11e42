/**
 * The Monte Carlo's take-up re-runs test parcels on the margin's parts made once (sale × premium ×
 * gdv − cost × build − charge × fsi − fixed) when a draw moves prices by uniform factors. Each such
 * re-run must give the schedule the re-run on the whole changed market gives (core/growth/market.ts
 * marginOf on the market's own objects), draw by draw with every input moved together, and the
 * Monte Carlo's figures must be those of the run without the shortcut.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { scenarioTakeUp } from '../../../core/growth/schedule.js';
import { lvcInputsFromScenario } from '../../../core/lvc/from-scenario.js';
import { prepare } from '../../../core/lvc/run.js';
import { marketFor, monteCarlo, scalesFor, uncertaintiesFor, type TakeUpRerun } from '../../../core/lvc/sensitivity.js';
import type { DevelopmentSchedule } from '../../../core/lvc/schedule.js';
import { resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { distanceSource } from '../../../core/scenario/distance-source.js';
import { getAssumptions } from '../../../core/scenario/store.js';
import { mulberry32 } from '../../../core/util/prng.js';
import { tmpDir } from '../../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** A schedule as plain numbers (its arrays are reused by the next re-run). */
const plain = (s: DevelopmentSchedule) => (s.kind === 'periods' ? s.periods.map((p) => ({ from: p.from, to: p.to, perYear: Array.from(p.perYear) })) : s);

describe.each([['bang-sue', 'master-plan'], ['mahsr-corridor', 'tod-moderate']])('scaled take-up re-runs on the %s sample', (sample, scenario) => {
  const src = join(ROOT, 'sample-data', `${sample}.gpkg`);
  it.skipIf(!existsSync(src))('each draw\'s schedule from the margin\'s parts equals the re-run on the whole changed market; the Monte Carlo is the same with and without them', async () => {
    const path = join(tmpDir(), `${sample}.gpkg`);
    copyFileSync(src, path);
    const svc = new EkimaeService();
    await svc.invoke('project.open', { path });
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    const run = await svc.invoke('lvc.run', { scenario, draws: 1, seed: 3, store: false });
    const p = svc.requireProject();
    const params = run.params;
    const inputs = lvcInputsFromScenario(p, scenario, { distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries) });
    const held = scenarioTakeUp(p, inputs.scenario, { baseYear: params.baseYear, horizonYears: params.horizonYears, fids: inputs.parcels.fid });
    const prep = prepare(inputs.parcels, params, held.schedule);
    const u = uncertaintiesFor(prep, params);
    const rand = mulberry32(11);
    const base = JSON.stringify(plain(held.scheduleFor(held.market)));
    let differ = 0, charged = 0;
    for (let d = 0; d < 25; d++) {
      // Every input drawn in its range (the ends included now and then), as a Monte Carlo draw moves them together.
      const values = u.map((x) => (d < 2 ? (d === 0 ? x.low : x.high) : x.low + rand() * (x.high - x.low)));
      const m = marketFor(held, params, u, values)!;
      const s = scalesFor(params, u, values);
      expect(s, `draw ${d}: every market input moves prices by factors`).not.toBeNull();
      if (s!.charge !== 1) charged++;
      const whole = JSON.stringify(plain(held.scheduleFor(m)));
      const scaled = JSON.stringify(plain(held.scheduleForScaled(m, s!)));
      expect(scaled, `draw ${d}`).toBe(whole);
      if (whole !== base) differ++;
    }
    // The draws move the take-up (else the comparison proves nothing); MAHSR sells development rights,
    // so its draws scale the premium FSI charge too.
    expect(differ).toBeGreaterThan(20);
    if (sample === 'mahsr-corridor') expect(charged).toBeGreaterThan(20);
    // The Monte Carlo with and without the shortcut: the same figures.
    const plainRerun: TakeUpRerun = { market: held.market, scheduleFor: held.scheduleFor };
    const a = monteCarlo(prep, params, 40, 5, u, held), b = monteCarlo(prep, params, 40, 5, u, plainRerun);
    expect(a).toEqual(b);
    svc.close();
  }, 600_000);
});
