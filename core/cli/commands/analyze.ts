/**
 * `ekimae analyze <project.gpkg>`: the whole chain with default settings, stored in the project:
 * walk catchments, the base year calibrated to the census (when the project has census zones), the
 * four default density scenarios, land value capture for each.
 * What `npm start` and `npm run serve` run once on a fresh copy of a sample project.
 */
import { EkimaeError } from '../../api/errors.js';
import type { EkimaeService } from '../../api/service.js';
import { fmt, fmtPct } from '../../report/model.js';
import { formatMoney as fmtMoney } from '../../util/money.js';
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';
import { openProject } from './project.js';

const SCENARIOS = ['existing', 'trend', 'tod-moderate', 'tod-intensive'];

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'run walk catchments, the default density scenarios and land value capture, and store them',
  usage: 'ekimae analyze <project.gpkg> [--draws 1000]',
  options: { draws: { type: 'string' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one <project.gpkg>');
    const draws = typeof values.draws === 'string' ? Number(values.draws) : undefined;
    if (draws !== undefined && !(Number.isInteger(draws) && draws >= 0)) throw new UsageError('--draws takes a whole number');
    const info = await openProject(svc, positionals[0]);
    const cur = (info.settings.currency as string | undefined) ?? null;
    const t0 = performance.now();
    const c = await svc.invoke('catchment.run', {});
    const all = c.bands.filter((b) => b.stationId === '*');
    io.out(`catchments: ${new Set(c.bands.map((b) => b.stationId)).size - 1} stations; ${all.map((b) => `${fmt(b.bandM)} m: ${fmt(b.areaM2 / 1e4, 1)} ha, pedshed ${fmtPct(b.pedshed)}`).join('; ')}`);
    await svc.invoke('scenario.defaults', {});
    await calibrate(svc, io);
    const cmp = await svc.invoke('scenario.compare', { ids: SCENARIOS, store: true });
    for (const s of cmp.scenarios) io.out(`scenario ${s.name}: ${fmt(s.indicators.total.residents)} residents, ${fmt(s.indicators.total.jobs)} jobs, FAR ${fmt(s.indicators.total.achievedFar, 2)}`);
    // Existing too: the station alone, no rezoning (proximity uplift only).
    for (const id of SCENARIOS) {
      const r = await svc.invoke('lvc.run', { scenario: id, draws });
      const s = r.result.summary;
      io.out(`land value capture ${r.scenario.name}: uplift ${fmtMoney(s.upliftTotal, cur)}, captured ${fmtMoney(s.pvCaptured, cur)} (PV), NPV ${fmtMoney(s.npv, cur)}, share of cost financed ${fmtPct(s.shareFinanced)}`);
    }
    io.out(`stored in ${info.path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return EXIT_OK;
  },
};

/** Calibrate the existing stock to the census before any scenario is compared; a project without census zones goes on uncalibrated, saying so. */
async function calibrate(svc: EkimaeService, io: Io): Promise<void> {
  try {
    const c = await svc.invoke('scenario.calibrate', {});
    const line = (k: 'before' | 'after') => `${fmt(c[k].residents)} residents, ${c[k].dwellings === null ? '' : `${fmt(c[k].dwellings)} dwellings, `}${c[k].jobs === null ? 'jobs not in the census' : `${fmt(c[k].jobs)} jobs`}`;
    io.out(`calibration to census "${c.censusLayer}" (${c.zones.length} zones inside the site): ${fmt(c.target.residents)} residents${c.target.dwellings === null ? '' : `, ${fmt(c.target.dwellings)} households`}${c.target.jobs === null ? '' : `, ${fmt(c.target.jobs)} jobs`}`);
    io.out(`  Existing before: ${line('before')}`);
    io.out(`  Existing after:  ${line('after')}`);
    io.out(`  ${c.assumptions.map((a) => `${a.key} ${fmt(a.before, 2)} → ${fmt(a.after, 2)}`).join('; ')}`);
    for (const w of c.warnings) io.err(`warning: ${w}`);
  } catch (e) {
    if (!(e instanceof EkimaeError) || (e.code !== 'E_CENSUS_MISSING' && e.code !== 'E_CENSUS_FIELD_MISSING')) throw e;
    io.out(`no census calibration: ${e.message}`);
  }
}
