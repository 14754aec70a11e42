/**
 * `ekimae analyze <project.gpkg>`: the whole chain with default settings, stored in the project:
 * walk catchments, the base year calibrated to the census (when the project has census zones), the
 * four default density scenarios, land value capture for each.
 * What `npm start` and `npm run serve` run once on a fresh copy of a sample project.
 */
import { EkimaeError } from '../../errors.js';
import type { Output } from '../../api/contract.js';
import type { EkimaeService } from '../../api/service.js';
import { fmt, fmtPct } from '../../report/model.js';
import { formatMoney as fmtMoney } from '../../util/money.js';
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';
import { drawsWords, monteCarloFlags } from './lvc.js';
import { openProject } from './project.js';

const DEFAULT_IDS = ['existing', 'trend', 'tod-moderate', 'tod-intensive', 'master-plan'];

export const analyzeCommand: Command = {
  name: 'analyze',
  usage: 'ekimae analyze <project.gpkg> [--draws 1000] [--tolerance 0.01]',
  options: { draws: { type: 'string' }, tolerance: { type: 'string' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one <project.gpkg>');
    const { draws, tolerance } = monteCarloFlags(values);
    const info = await openProject(svc, positionals[0]);
    const cur = (info.settings.currency as string | undefined) ?? null;
    const t0 = performance.now();
    const c = await svc.invoke('catchment.run', {});
    const all = c.bands.filter((b) => b.stationId === '*');
    io.out(`catchments: ${new Set(c.bands.map((b) => b.stationId)).size - 1} stations; ${all.map((b) => `${fmt(b.bandM)} m: ${fmt(b.areaM2 / 1e4, 1)} ha, pedshed ${fmtPct(b.pedshed)}`).join('; ')}`);
    await svc.invoke('scenario.defaults', {});
    await calibrate(svc, io);
    const ids = (await svc.invoke('scenario.list', {})).map((s) => s.id).filter((id) => DEFAULT_IDS.includes(id));
    await svc.invoke('scenario.compare', { ids, store: true });
    const tu = await svc.invoke('growth.takeUp', { ids, store: true });
    printTakeUp(tu, io);
    // Existing too: the station alone, no rezoning (proximity uplift only).
    for (const id of ids) {
      const r = await svc.invoke('lvc.run', { scenario: id, draws, tolerance });
      const s = r.result.summary;
      const upliftWords = s.upliftBasis === 'projected'
        ? `uplift ${fmtMoney(s.upliftTotal, cur)} projected (station premium + development built by the last horizon; capacity ${fmtMoney(s.upliftProximity + (s.upliftDevelopmentCapacity ?? 0), cur)})`
        : `uplift ${fmtMoney(s.upliftTotal, cur)} (capacity)`;
      io.out(`land value capture ${r.scenario.name}: ${upliftWords}, captured ${fmtMoney(s.pvCaptured, cur)} (PV), NPV ${fmtMoney(s.npv, cur)}, share of cost financed ${fmtPct(s.shareFinanced)}${s.shareFinanced !== null && s.shareFinanced > 1 ? ' (over 100 %: captured value exceeds the station\'s cost in present value; the surplus would fund other works)' : ''}`);
      const mc = r.result.monteCarlo;
      io.out(`  Monte Carlo NPV P10 ${fmtMoney(mc.npv.p10, cur)}, P50 ${fmtMoney(mc.npv.p50, cur)}, P90 ${fmtMoney(mc.npv.p90, cur)} (${drawsWords(mc)})`);
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
    // Per zone: the project-wide figures' residual, then each zone's own factor on its existing stock.
    io.out(`  per zone (census / modelled project-wide / residual / zone factor): ${c.zones.map((z) => `${z.name ?? z.zoneId} ${fmt(z.target.residents)} / ${fmt(z.after.residents)} / ${z.residual.residentsPct === null ? '—' : fmtPct(z.residual.residentsPct)} / ×${fmt(z.factor.residents, 2)}`).join('; ')}`);
    io.out(`  Existing with zone factors: ${fmt(c.afterZones.residents)} residents${c.afterZones.jobs === null ? '' : `, ${fmt(c.afterZones.jobs)} jobs`}`);
    for (const w of c.warnings) io.err(`warning: ${w}`);
  } catch (e) {
    if (!(e instanceof EkimaeError) || (e.code !== 'E_CENSUS_MISSING' && e.code !== 'E_CENSUS_FIELD_MISSING')) throw e;
    io.out(`no census calibration: ${e.message}`);
  }
}

type TakeUpOut = Output<'growth.takeUp'>;

/** Projected take-up as the headline, capacity beside it, per horizon year. */
function printTakeUp(tu: TakeUpOut, io: Io): void {
  const s0 = tu.scenarios[0]?.takeUp;
  if (!s0) return;
  io.out(`base year ${tu.settings.baseYear}: ${fmt(s0.base.residents)} residents, ${fmt(s0.base.jobs)} jobs`);
  for (const s of tu.scenarios) {
    if (s.id === 'existing') continue;
    const t = s.takeUp;
    const hz = t.horizons.map((h) => `${h.year} ${fmt(h.residents)} residents / ${fmt(h.jobs)} jobs${h.unmetResidents > 0.5 ? ` (${fmt(h.unmetResidents)} residents of demand unmet)` : ''}`).join('; ');
    io.out(`scenario ${s.name}: projected ${hz}`);
    io.out(`  capacity (build-out under its rules, not a forecast): ${fmt(t.capacity.residents)} residents, ${fmt(t.capacity.jobs)} jobs, ${fmt(t.capacity.floorAreaM2 / 1e6, 2)} M m² floor area`);
    for (const w of t.warnings) io.err(`warning: ${s.name}: ${w}`);
    for (const w of t.plausibility) io.out(`  plausibility: ${w}`);
    if (t.ridership) {
      const r = t.ridership;
      io.out(`  boardings per day (${r.complexes.length} station complexes, interchanges counted once): ${r.totals.map((v, h) => `${t.horizons[h].year} ${fmt(v)}`).join('; ')}${r.check ? `; ${r.check}` : ''}${r.complexes.length && r.complexes.every((c) => c.service === 'hsr') ? ' (high-speed rail: riders come from the whole population each station serves by feeder, not its walk catchment, so the same in every scenario)' : ''}`);
    }
  }
}
