/**
 * Report chapter for corridors (two or more stations): the stations side by side, a table and a
 * chart per indicator: walk catchment, pedshed, residents and jobs today, what each scenario adds,
 * and the land value uplift around each station.
 */
import { latestRunId, readParcels, readRun } from '../../catchment/store.js';
import { latestLvcRuns, lvcParcelUplift } from '../../lvc/store.js';
import { fmt, fmtMoney, fmtPct, type Block, type ReportSection } from '../model.js';
import { SERIES_COLORS } from '../palette.js';
import { latestScenarioResults } from './scenarios.js';
import type { SectionContext } from './site.js';

export function corridorSections(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection[] {
  if (latestRunId(ctx.project) === null) return [];
  const run = readRun(ctx.project);
  const all = [...new Map(run.bands.filter((b) => b.stationId !== '*').map((b) => [b.stationId, b.stationName ?? b.stationId])).entries()];
  if (all.length < 2) return [];
  // --station: every table is about that station alone (and what lies beyond its walk catchment).
  const stations = ctx.station ? all.filter(([id, n]) => id === ctx.station!.id || n === ctx.station!.name) : all;
  const t = ctx.totals;
  const siteLabel = ctx.station ? ctx.t('row.stationSite', { name: ctx.station.name }) : ctx.t('row.siteTotal');
  const sum = (xs: Array<number | null | undefined>) => xs.reduce<number>((a, v) => a + (v ?? 0), 0);
  const rest = (total: number | null, xs: Array<number | null | undefined>) => (total === null ? null : Math.max(0, total - sum(xs)));
  const walkBand = run.params.bandsM.includes(800) ? 800 : run.params.bandsM[Math.min(1, run.params.bandsM.length - 1)];
  const at = (id: string) => run.bands.find((b) => b.stationId === id && b.bandM === walkBand);
  const name = new Map(stations);
  const blocks: Block[] = [
    { kind: 'text', text: `${ctx.station ? ctx.t('corr.oneOf', { name: ctx.station.name, n: all.length }) : ctx.t('corr.compared', { n: stations.length })} ${ctx.t('corr.intro', { m: fmt(walkBand), min: fmt(walkBand / run.params.speedMPerMin) })}` },
    { kind: 'table', caption: ctx.t('cap.walkWithin', { m: fmt(walkBand) }), columns: [{ label: ctx.t('col.station') }, ...(['col.areaHa', 'col.pedshed', 'col.parcels', 'col.residents', 'col.jobs'] as const).map((k) => ({ label: ctx.t(k), align: 'right' as const }))],
      note: ctx.t('corr.note', { m: fmt(walkBand) }),
      rows: [...stations.map(([id, n]) => { const b = at(id); return [n, fmt(b ? b.areaM2 / 1e4 : null, 1), fmtPct(b?.pedshed), fmt(b?.parcels), fmt(b?.popAreal), fmt(b?.jobsAreal)]; }),
        ...(t.residents !== null || t.jobs !== null ? [
          [ctx.t('row.beyond', { m: fmt(walkBand) }), '', '', '', fmt(rest(t.residents, stations.map(([id]) => at(id)?.popAreal))), fmt(rest(t.jobs, stations.map(([id]) => at(id)?.jobsAreal)))],
          [siteLabel, '', '', '', fmt(t.residents), fmt(t.jobs)]] : [])] },
    { kind: 'chart', caption: ctx.t('cap.chartPedshed', { m: fmt(walkBand) }), chart: { type: 'bar', x: 'station', unit: '%',
      data: stations.map(([id, n]) => ({ station: n, pedshed: Math.round(1000 * (at(id)?.pedshed ?? 0)) / 10 })), series: [{ key: 'pedshed', label: `${ctx.t('col.pedshed')} %`, color: SERIES_COLORS[0] }] } },
    { kind: 'chart', caption: ctx.t('cap.chartToday', { m: fmt(walkBand) }), chart: { type: 'bar', x: 'station',
      data: stations.map(([id, n]) => ({ station: n, residents: at(id)?.popAreal ?? 0, jobs: at(id)?.jobsAreal ?? 0 })),
      series: [{ key: 'residents', label: ctx.t('col.residents'), color: SERIES_COLORS[0] }, { key: 'jobs', label: ctx.t('col.jobs'), color: SERIES_COLORS[1] }] } },
  ];
  const scen = latestScenarioResults(ctx, opts.scenarios);
  if (scen.length) {
    const per = (x: (typeof scen)[number], station: string) => x.result.indicators.stations.find((s) => s.station === station)?.indicators;
    // Parcels no station's walk reaches belong to none: their row makes the table add up to the scenario's total.
    const byStation = (key: 'residents' | 'jobs') => [...stations.map(([, n]) => [n, ...scen.map((x) => fmt(per(x, n)?.[key]))]),
      ...(ctx.station ? [] : [[ctx.t('row.beyondNoStation'), ...scen.map((x) => fmt(rest(x.result.indicators.total[key], stations.map(([, n]) => per(x, n)?.[key]))))],
        [ctx.t('row.totalAll'), ...scen.map((x) => fmt(x.result.indicators.total[key]))]])];
    blocks.push({ kind: 'table', caption: ctx.t('cap.resByStation'), columns: [{ label: ctx.t('col.station') }, ...scen.map((x) => ({ label: x.scenario.definition.name, align: 'right' as const }))],
      rows: byStation('residents') });
    blocks.push({ kind: 'table', caption: ctx.t('cap.jobsByStation'), columns: [{ label: ctx.t('col.station') }, ...scen.map((x) => ({ label: x.scenario.definition.name, align: 'right' as const }))],
      rows: byStation('jobs') });
    blocks.push({ kind: 'chart', caption: ctx.t('cap.chartResByStation'), chart: { type: 'bar', x: 'station',
      data: stations.map(([, n]) => Object.fromEntries([['station', n], ...scen.map((x) => [x.scenario.id, per(x, n)?.residents ?? 0])])),
      series: scen.map((x, i) => ({ key: x.scenario.id, label: x.scenario.definition.name, color: SERIES_COLORS[i % SERIES_COLORS.length] })) } });
  }
  // In the order of the land value capture chapters.
  const lvc = latestLvcRuns(ctx.project).reverse();
  if (lvc.length) {
    // Uplift split by the station each parcel walks to.
    const stationOf = new Map(readParcels(ctx.project, run.runId).map((p) => [p.parcelFid, p.stationId]));
    const byStation = lvc.map((r) => {
      const m = new Map<string, number>();
      let total = 0;
      for (const u of lvcParcelUplift(ctx.project, r.runId)) {
        const s = stationOf.get(u.fid);
        total += u.proximity + u.development;
        if (s) m.set(s, (m.get(s) ?? 0) + u.proximity + u.development);
      }
      return { run: r, m, total };
    });
    blocks.push({ kind: 'table', caption: ctx.t('cap.upliftByStation'), columns: [{ label: ctx.t('col.station') }, ...byStation.map((x) => ({ label: x.run.scenario.name, align: 'right' as const }))],
      rows: [...stations.map(([id]) => [name.get(id)!, ...byStation.map((x) => fmtMoney(x.m.get(id) ?? 0, ctx.currency))]),
        ...(ctx.station ? [] : [[ctx.t('row.beyondNoStation'), ...byStation.map((x) => fmtMoney(x.total - sum(stations.map(([id]) => x.m.get(id))), ctx.currency))],
          [ctx.t('row.totalAll'), ...byStation.map((x) => fmtMoney(x.total, ctx.currency))]])] });
  }
  return [{ id: 'corridor', title: ctx.t('title.corridor'), pageBreak: true, blocks }];
}
