/**
 * The reviewer reads the consultant's stored engine results from the package exactly as the
 * consultant's project holds them (catchment, scenarios, land value capture), with personal fields
 * gone, and cannot change them (an LVC run is a what-if that is not stored).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';
import { makeGridProject } from '../../helpers/grid-project.js';

const canRender = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('engine results in a reviewed package', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  let pkg: string;
  const before: Record<string, unknown> = {};

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    await makeGridProject(svc, dir);
    await svc.invoke('scenario.evaluate', { id: 'tod-moderate', store: true });
    await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 50, seed: 3 });
    before.catchment = await svc.invoke('catchment.results', {});
    before.scenario = await svc.invoke('scenario.results', { id: 'tod-moderate' });
    before.lvc = await svc.invoke('lvc.results', { scenario: 'tod-moderate' });
    before.scenarios = await svc.invoke('scenario.list', {});
    pkg = (await svc.invoke('package.create', { out: join(dir, 'pkg'), zip: true })).path;
    await svc.invoke('project.close', {});
  }, 240_000);

  it('reads catchment, scenario and LVC results as stored by the consultant', async () => {
    await svc.invoke('review.open', { package: pkg });
    expect(await svc.invoke('catchment.results', {})).toEqual(before.catchment);
    expect(await svc.invoke('scenario.results', { id: 'tod-moderate' })).toEqual(before.scenario);
    expect(await svc.invoke('lvc.results', { scenario: 'tod-moderate' })).toEqual(before.lvc);
    expect(await svc.invoke('scenario.list', {})).toEqual(before.scenarios);
  });

  it('the package left out owner names, and the reviewer cannot store new engine results', async () => {
    const parcels = await svc.invoke('layers.features', { layer: 'parcels', limit: 3, includePersonal: true });
    expect(parcels.features).toHaveLength(3);
    for (const f of parcels.features) expect(Object.keys(f.properties)).not.toContain('owner_name');
    for (const [m, i] of [['catchment.run', {}], ['scenario.defaults', {}], ['scenario.evaluate', { id: 'trend', store: true }]] as const) {
      const r = await svc.call(m, i);
      expect(r.ok ? 'ok' : r.error.code, m).toBe('E_PROJECT_READONLY');
    }
    // LVC on a read-only plan is a what-if: computed, never stored.
    const whatIf = await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 10 });
    expect(whatIf.runId).toBeNull();
    expect(await svc.invoke('lvc.results', { scenario: 'tod-moderate' })).toEqual(before.lvc);
    await svc.invoke('review.close', {});
  });
});
