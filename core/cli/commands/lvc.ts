/** `ekimae lvc <project.gpkg>`: land value capture for scenarios (the TOD defaults unless --scenarios), stored, summarised. */
import { fmtPct } from '../../report/model.js';
import { formatMoney as fmtMoney } from '../../util/money.js';
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { openProject } from './project.js';
import type { Output } from '../../api/contract.js';

/** --draws and --tolerance of the commands that run the land value capture (lvc, analyze), checked. */
export function monteCarloFlags(values: Record<string, unknown>): { draws?: number; tolerance?: number } {
  const draws = typeof values.draws === 'string' ? Number(values.draws) : undefined;
  if (draws !== undefined && !(Number.isInteger(draws) && draws >= 1 && draws <= 20_000)) throw new UsageError('--draws takes a whole number from 1 to 20000');
  const tolerance = typeof values.tolerance === 'string' ? Number(values.tolerance) : undefined;
  if (tolerance !== undefined && !(values.tolerance !== '' && Number.isFinite(tolerance) && tolerance >= 0 && tolerance <= 0.5)) {
    throw new UsageError('--tolerance takes a share from 0 to 0.5 (0.01: stop the draws once every percentile is within ±1 %; 0: take exactly --draws)');
  }
  return { draws, tolerance };
}

/** How many draws a run took and why it stopped there ("300 draws, stopped once …" / "1,000 draws, the most allowed; …"). */
export function drawsWords(mc: Output<'lvc.run'>['result']['monteCarlo']): string {
  const n = `${mc.draws.toLocaleString('en-US')} draws`;
  if (!mc.stop) return n;
  const pt = +(mc.stop.tolerance * 100).toPrecision(3);
  if (mc.draws < mc.stop.maxDraws) return `${n}, stopped once the NPV percentiles were within ±${pt} % and the shares financed within ±${pt} pp`;
  return `${n}, the most allowed; ${mc.stop.converged ? `NPV percentiles within ±${pt} %, shares financed within ±${pt} pp` : `not every NPV percentile within ±${pt} % and share financed within ±${pt} pp`}`;
}

export const lvcCommand: Command = {
  name: 'lvc',
  usage: 'ekimae lvc <project.gpkg> [--scenarios existing,trend,tod-moderate,tod-intensive] [--station-cost <amount>] [--infrastructure-cost <amount>] [--draws 1000] [--tolerance 0.01] [--json]',
  options: { scenarios: { type: 'string' }, 'station-cost': { type: 'string' }, 'infrastructure-cost': { type: 'string' }, draws: { type: 'string' }, tolerance: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one <project.gpkg>');
    const money = (k: string) => {
      if (typeof values[k] !== 'string') return undefined;
      const v = Number(values[k]);
      if (!Number.isFinite(v) || v < 0) throw new UsageError(`--${k} takes an amount ≥ 0 in the project currency`);
      return v;
    };
    const { draws, tolerance } = monteCarloFlags(values);
    const info = await openProject(svc, positionals[0]);
    const station = money('station-cost'), infra = money('infrastructure-cost');
    if (station !== undefined || infra !== undefined) {
      const { params, sources } = await svc.invoke('lvc.params', {});
      params.costs = { ...params.costs, station: station ?? params.costs.station, infrastructure: infra ?? params.costs.infrastructure };
      await svc.invoke('lvc.setParams', { params, sources: { ...sources, costs: 'set on the command line (ekimae lvc --station-cost/--infrastructure-cost)' } });
    }
    const ids = typeof values.scenarios === 'string' ? values.scenarios.split(',').map((s) => s.trim()).filter(Boolean) : ['existing', 'trend', 'tod-moderate', 'tod-intensive'];
    const cur = (info.settings.currency as string | undefined) ?? null;
    const runs = [];
    for (const id of ids) runs.push(await svc.invoke('lvc.run', { scenario: id, draws, tolerance }));
    if (values.json) { io.out(JSON.stringify(runs, null, 2)); return EXIT_OK; }
    const W = 22;
    const irrText = (x: { status: string; irr: number | null }) => (x.status === 'unique' ? fmtPct(x.irr) : x.status);
    const r0 = runs[0];
    if (r0?.result.financial && r0.result.economic) io.out(`${r0.result.financial.label}\n${r0.result.economic.label}\nyears ${r0.result.years[0]}–${r0.result.years[r0.result.years.length - 1]}`);
    io.out(['scenario'.padEnd(18), 'uplift'.padStart(W), 'captured PV'.padStart(W), 'financial NPV'.padStart(W), 'IRR'.padStart(9), 'payback'.padStart(8),
      'economic NPV'.padStart(W), 'EIRR'.padStart(9), 'financed'.padStart(9), 'NPV P10–P90'.padStart(2 * W + 3)].join(' '));
    for (const r of runs) {
      const s = r.result.summary, mc = r.result.monteCarlo.npv, eco = r.result.economic;
      io.out([r.scenario.name.slice(0, 18).padEnd(18), fmtMoney(s.upliftTotal, cur).padStart(W), fmtMoney(s.pvCaptured, cur).padStart(W), fmtMoney(s.npv, cur).padStart(W),
        irrText(s.irr).padStart(9), String(s.paybackYear ?? 'none').padStart(8), fmtMoney(eco?.npv, cur).padStart(W), (eco ? irrText(eco.irr) : '–').padStart(9),
        fmtPct(s.shareFinanced).padStart(9), `${fmtMoney(mc.p10, cur)} – ${fmtMoney(mc.p90, cur)}`.padStart(2 * W + 3)].join(' '));
    }
    // The Monte Carlo's own error (sensitivity.ts percentileInterval): were the draws enough?
    io.out('NPV percentiles\' 95 % sampling intervals (the Monte Carlo\'s own error, not the inputs\' uncertainty):');
    for (const r of runs) {
      const mc = r.result.monteCarlo, ci = mc.ci95?.npv;
      if (ci) io.out(`  ${r.scenario.name.slice(0, 18).padEnd(18)} ${(['p10', 'p50', 'p90'] as const).map((k) => `${k.toUpperCase()} ${fmtMoney(ci[k][0], cur)} – ${fmtMoney(ci[k][1], cur)}`).join('; ')} (${drawsWords(mc)})`);
    }
    for (const w of new Set(runs.flatMap((r) => r.result.warnings))) io.err(`warning: ${w}`);
    io.out(`stored as runs ${runs.map((r) => r.runId).join(', ')}`);
    return EXIT_OK;
  },
};
