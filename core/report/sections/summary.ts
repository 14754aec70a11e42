/**
 * The executive summary, first after the cover: the report's headline figures, each marked as what
 * it is. Today's census figures are 'existing'; a density scenario's figures are 'capacity' (what
 * its rules allow at build-out), never a forecast. A horizon-year forecast goes in as 'projected'
 * items of the scenario's group, beside its capacity.
 */
import { latestRunId, readRun } from '../../catchment/store.js';
import { listTakeUps } from '../../growth/store.js';
import { latestLvcRuns } from '../../lvc/store.js';
import { sentence } from '../i18n/index.js';
import { fmt, fmtMoney, fmtPct, type HeadlineItem, type ReportSection } from '../model.js';
import { latestScenarioResults } from './scenarios.js';
import type { SectionContext } from './site.js';

export function summaryItems(ctx: SectionContext, opts: { scenarios?: string[] }): HeadlineItem[] {
  const { t } = ctx;
  const items: HeadlineItem[] = [];
  if (ctx.totals.residents !== null) items.push({ label: t('summary.residentsSite'), value: fmt(ctx.totals.residents), kind: 'existing' });
  if (ctx.totals.jobs !== null) items.push({ label: t('summary.jobsSite'), value: fmt(ctx.totals.jobs), kind: 'existing' });
  if (latestRunId(ctx.project) !== null) {
    const run = readRun(ctx.project);
    const band = run.params.bandsM.includes(800) ? 800 : run.params.bandsM[Math.min(1, run.params.bandsM.length - 1)];
    const focus = ctx.station?.id ?? '*';
    const b = run.bands.find((x) => x.stationId === focus && x.bandM === band) ?? (focus === '*' ? run.bands.find((x) => x.bandM === band) : undefined);
    if (b) {
      items.push({ label: t('summary.residentsWalk', { m: fmt(band) }), value: fmt(b.popAreal), kind: 'existing' });
      items.push({ label: t('summary.jobsWalk', { m: fmt(band) }), value: fmt(b.jobsAreal), kind: 'existing' });
    }
  }
  // The latest projected take-up of each scenario: its horizon figures are the headline, its capacity beside them.
  const takeUps = new Map(listTakeUps(ctx.project).map((r) => [r.scenarioId, r]));
  for (const { result, scenario } of latestScenarioResults(ctx, opts.scenarios)) {
    const name = scenario.definition.name;
    const tu = scenario.id === 'existing' ? undefined : takeUps.get(scenario.id);
    if (tu) {
      const st = ctx.station ? tu.summary.stations.find((x) => x.station === ctx.station!.name || x.station === ctx.station!.id) : null;
      const hz = st ? st.horizons : tu.summary.horizons;
      hz.forEach((h, k) => {
        items.push({ label: t('summary.scnResidentsYear', { name, year: String(h.year) }), value: fmt(h.residents), kind: 'projected', group: name, note: k === 0 ? t('summary.noteProjected') : undefined });
        items.push({ label: t('summary.scnJobsYear', { name, year: String(h.year) }), value: fmt(h.jobs), kind: 'projected', group: name });
      });
      const r = tu.summary.ridership;
      if (r && !ctx.station) items.push({ label: t('summary.boardings', { name, year: String(hz.at(-1)!.year) }), value: fmt(r.totals.at(-1)!), kind: 'projected', group: name, note: r.check ? sentence(t, r.check) : undefined });
    }
    const ind = ctx.station ? result.indicators.stations.find((s) => s.station === ctx.station!.name || s.station === ctx.station!.id)?.indicators : result.indicators.total;
    if (!ind) continue;
    const note = t('summary.noteScn', { far: fmt(ind.achievedFar, 2) });
    // The default "existing" scenario redevelops nothing: its figures are today's stock, not a capacity.
    const kind = scenario.id === 'existing' ? 'existing' as const : 'capacity' as const;
    items.push({ label: t('summary.scnResidents', { name }), value: fmt(ind.residents), kind, group: name, note });
    items.push({ label: t('summary.scnJobs', { name }), value: fmt(ind.jobs), kind, group: name });
    items.push({ label: t('summary.scnFloor', { name }), value: fmt(ind.floorAreaM2), kind, group: name });
  }
  // A station's report has no station-level cash flow: the land value capture figures are the project's.
  if (!ctx.station) {
    for (const run of latestLvcRuns(ctx.project).reverse().filter((r) => !opts.scenarios?.length || opts.scenarios.includes(r.scenario.id) || opts.scenarios.includes(r.scenario.name))) {
      const s = run.result.summary, name = run.scenario.name;
      const projected = s.upliftBasis === 'projected';
      const lastYear = takeUps.get(run.scenario.id)?.summary.horizons.at(-1)?.year;
      const note = projected && lastYear ? t('summary.noteLvcProjected', { year: String(lastYear), rate: fmtPct(run.params.discountRate) }) : t('summary.noteLvc', { rate: fmtPct(run.params.discountRate) });
      const kind = projected ? 'projected' as const : 'capacity' as const;
      items.push({ label: t('summary.lvcNpv', { name }), value: fmtMoney(s.npv, ctx.currency), kind, group: name, note });
      items.push({ label: t('summary.lvcShare', { name }), value: fmtPct(s.shareFinanced), kind, group: name });
    }
  }
  return items;
}

/**
 * Projected take-up by horizon across sectors (transport, water, energy), with each scenario's
 * capacity as the last row of its group: the figures a utility or a transport authority plans for.
 */
function takeUpTable(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection['blocks'] {
  if (ctx.station) return [];
  const runs = listTakeUps(ctx.project).filter((r) => r.scenarioId !== 'existing' && (!opts.scenarios?.length || opts.scenarios.includes(r.scenarioId)));
  if (!runs.length) return [];
  const latest = new Map(runs.map((r) => [r.scenarioId, r]));
  const names = new Map(latestScenarioResults(ctx).map(({ scenario }) => [scenario.id, scenario.definition.name]));
  const row = (name: string, when: string, f: { residents: number; jobs: number; dwellings: number; floorAreaM2: number; boardings: number; waterM3PerDay: number; powerMWhPerYear: number }, boardings?: number) =>
    [name, when, fmt(f.residents), fmt(f.jobs), fmt(f.dwellings), fmt(f.floorAreaM2 / 1e3), fmt(boardings ?? f.boardings), fmt(f.waterM3PerDay), fmt(f.powerMWhPerYear)];
  const rows: string[][] = [];
  const notes: string[] = [];
  const first = [...latest.values()][0].summary;
  const { t: tr } = ctx;
  rows.push(row(tr('tu.existing'), tr('tu.baseYear', { year: first.baseYear }), first.base, first.ridership?.complexes.reduce((a, c) => a + c.base, 0)));
  for (const [id, r] of latest) {
    const name = names.get(id) ?? id, t = r.summary;
    t.horizons.forEach((h, k) => rows.push(row(name, tr('tu.yearProjected', { year: h.year }), h, t.ridership?.totals[k])));
    rows.push(row(name, tr('kind.capacity'), t.capacity, t.ridership ? undefined : t.capacity.boardings));
    for (const w of t.plausibility) notes.push(`${name}: ${sentence(tr, w)}`);
  }
  const check = first.ridership?.check;
  return [{
    kind: 'table', caption: tr('cap.takeUp'),
    columns: [{ label: tr('col.scenario') }, { label: tr('col.year') }, { label: tr('col.residents'), align: 'right' }, { label: tr('col.jobs'), align: 'right' }, { label: tr('col.dwellings'), align: 'right' },
      { label: tr('col.floorAreaK'), align: 'right' }, { label: tr('col.boardings'), align: 'right' }, { label: tr('col.water'), align: 'right' }, { label: tr('col.power'), align: 'right' }],
    rows,
    note: [check ? tr('tu.ridership', { check: sentence(tr, check) }) : tr('tu.boardingsNote'),
      ...(first.ridership?.complexes.length && first.ridership.complexes.every((c) => c.service === 'hsr') ? [tr('tu.hsrSame')] : []), ...notes].join(' '),
  }];
}

export function summarySection(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection {
  return { id: 'summary', title: ctx.t('title.summary'), blocks: [
    { kind: 'text', text: ctx.t('summary.intro') },
    { kind: 'headline', items: summaryItems(ctx, opts) },
    ...takeUpTable(ctx, opts),
  ] };
}
