/**
 * A sample's land value capture held open for engine tests: the project copied and opened, its
 * catchment run and default scenarios stored, then the capture's inputs, the take-up's re-runs and the
 * preparation made the way lvc.run makes them, so a test can call monteCarlo and its threaded twin on them.
 */
import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkimaeService } from '../../core/api/service.js';
import { scenarioTakeUp } from '../../core/growth/schedule.js';
import { lvcInputsFromScenario } from '../../core/lvc/from-scenario.js';
import { prepare } from '../../core/lvc/run.js';
import { resolveAssumptions } from '../../core/scenario/assumptions.js';
import { distanceSource } from '../../core/scenario/distance-source.js';
import { getAssumptions } from '../../core/scenario/store.js';
import { tmpDir } from './tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export async function heldCapture(sample: string, scenario: string) {
  const path = join(tmpDir(), `${sample}.gpkg`);
  copyFileSync(join(ROOT, 'sample-data', `${sample}.gpkg`), path);
  const svc = new EkimaeService();
  await svc.invoke('project.open', { path });
  await svc.invoke('catchment.run', {});
  await svc.invoke('scenario.defaults', {});
  const params = (await svc.invoke('lvc.run', { scenario, draws: 1, store: false })).params;
  const p = svc.requireProject();
  const inputs = lvcInputsFromScenario(p, scenario, { distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries) });
  const timing = scenarioTakeUp(p, inputs.scenario, { baseYear: params.baseYear, horizonYears: params.horizonYears, fids: inputs.parcels.fid });
  const prep = prepare(inputs.parcels, params, timing.schedule);
  return { svc, params, inputs, timing, prep };
}
