/** Report chapters: each density scenario (rules, density map, indicators by band), then all side by side. */
import { COMPARE_METRICS } from '../../scenario/compare.js';
import type { Indicators } from '../../scenario/indicators.js';
import { prepareParcels } from '../../scenario/prepare.js';
import { getScenario, listResults, listScenarios, type StoredScenario } from '../../scenario/store.js';
import { definitionChanges } from '../../scenario/changes.js';
import { CHANGE_WORDS } from '../../scenario/change-words.js';
import { utcMinute } from '../../store/clock.js';
import { classLabels, classOf, quantileBreaks, rampColors } from '../classes.js';
import { thematicMapBlock } from '../map-block.js';
import { sentence, term } from '../i18n/index.js';
import { farMapsByHorizon, projectionBandTable, scenarioChartByHorizon, scenarioProjectionFor } from './scenario-horizon.js';
import { fmt, type Block, type ReportSection } from '../model.js';
import { SERIES_COLORS } from '../palette.js';
import { baseMapLayers, OUTLINED_PARCELS, type SectionContext } from './site.js';

/** FAR classes: six quantiles of the map's own parcels (classes.ts), light to dark orange. */
const FAR_RAMP = ['#fff5eb', '#fee6ce', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704'];
const FAR_K = 6;
const DIGITS: Record<string, number> = { achievedFar: 2, landUseMix: 2, jobsHousingRatio: 2, residentsPerHaGross: 0, residentsPerHaNet: 0, jobsPerHaGross: 0, jobsPerHaNet: 0, openSpacePerResidentM2: 1 };

/** The latest stored result of each scenario, in the project's scenario order (filtered by name or id when asked). */
export function latestScenarioResults(ctx: SectionContext, only?: string[]) {
  const order = listScenarios(ctx.project).map((s) => s.id);
  const latest = new Map<string, ReturnType<typeof listResults>[number]>();
  for (const r of listResults(ctx.project)) latest.set(r.scenarioId, r);
  return order.filter((id) => latest.has(id)).map((id) => ({ result: latest.get(id)!, scenario: getScenario(ctx.project, id, latest.get(id)!.version) }))
    .filter((x) => !only?.length || only.includes(x.scenario.id) || only.includes(x.scenario.name));
}

/** When and (in a shared database project) by whom a scenario version was saved. */
function savedOf(ctx: SectionContext, s: StoredScenario): { at: string; by: string | null } {
  const a = ctx.authors?.authors.find((x) => x.scenarioId === s.id && x.version === s.version);
  return { at: utcMinute(a?.at ?? s.createdAt), by: a?.by ?? null };
}

/** Which version a chapter reports, and whether a later one was saved but never evaluated (its figures would differ). */
function versionLine(ctx: SectionContext, s: StoredScenario): string {
  const { at, by } = savedOf(ctx, s);
  const latest = Math.max(...s.versions);
  const line = by ? ctx.t('scn.versionBy', { v: s.version, date: at, who: by }) : ctx.t('scn.version', { v: s.version, date: at });
  return latest > s.version ? `${line} ${ctx.t('scn.newerVersion', { v: s.version, latest })}` : line;
}

const MAX_CHANGE_LINES = 6;

/** The reported versions: saved when and by whom, the note, and what changed from the version before (core/scenario/changes.ts). */
function versionsTable(ctx: SectionContext, list: Array<{ scenario: StoredScenario }>): Block {
  const rows = list.map(({ scenario: s }) => {
    const before = s.versions.filter((v) => v < s.version).pop();
    let changes = '—';
    if (before !== undefined) {
      const lang = ctx.t.lang ?? 'en';
      const lines = definitionChanges(getScenario(ctx.project, s.id, before).definition, s.definition, lang);
      changes = lines.length === 0 ? ctx.t('scn.sameAsBefore', { v: before })
        : ctx.t('scn.changesFrom', { v: before, changes: `${lines.slice(0, MAX_CHANGE_LINES).join(CHANGE_WORDS[lang].join)}${lines.length > MAX_CHANGE_LINES ? ` ${ctx.t('scn.moreChanges', { n: lines.length - MAX_CHANGE_LINES })}` : ''}` });
    }
    const { at, by } = savedOf(ctx, s);
    return [s.definition.name, ctx.t('scn.versionOf', { v: s.version, n: Math.max(...s.versions) }), at, by ?? '—', s.note ?? '', changes];
  });
  const a = ctx.authors;
  const note = [ctx.t('scn.versionsNote'), a?.shared ? '' : ctx.t('scn.versionsFileNote'), a?.error ? ctx.t('scn.versionsDbError', { error: a.error }) : ''].filter(Boolean).join(' ');
  return { kind: 'table', caption: ctx.t('cap.scenarioVersions'), note,
    columns: [{ label: ctx.t('col.scenario') }, { label: ctx.t('col.version') }, { label: ctx.t('col.saved') }, { label: ctx.t('col.savedBy') }, { label: ctx.t('col.note') }, { label: ctx.t('col.changes') }],
    rows };
}

function farMap(ctx: SectionContext, resultId: number, layer: string, name: string, capacity = false): Block {
  const prep = prepareParcels(ctx.project, layer);
  const fa = new Map((ctx.project.database.prepare('SELECT parcel_fid AS fid, floor_area AS fa FROM ekimae_scenario_parcels WHERE result_id = ?').all(resultId) as Array<{ fid: number; fa: number }>).map((r) => [r.fid, r.fa]));
  const { layers, legend } = baseMapLayers(ctx, { parcels: 'none', network: false });
  const { t } = ctx;
  const feats = ctx.features(layer);
  const fars = feats.map((f) => {
    const i = prep.fidIndex.get(f.fid!);
    return i === undefined || !(prep.cols.area[i] > 0) ? NaN : (fa.get(f.fid!) ?? 0) / prep.cols.area[i];
  });
  const breaks = quantileBreaks(fars, FAR_K);
  const colors = rampColors(FAR_RAMP, breaks.length + 1);
  const parcels = feats.map((f, j) => ({ geometry: f.geometry, fill: Number.isFinite(fars[j]) ? colors[classOf(fars[j], breaks)] : '#dddddd' }));
  const mapLayers = [{ name: 'far', style: { stroke: '#ffffff', strokeWidth: 0.3, strokeUpTo: OUTLINED_PARCELS }, features: parcels }, ...layers];
  const lg = [...classLabels(breaks, (v) => fmt(v, v < 1 ? 2 : 1), t('legend.all')).map((label, k) => ({ label: t('legend.far', { range: label }), fill: colors[k], kind: 'area' as const })), ...legend.filter((l) => l.kind !== 'area')];
  // A scenario's own figures without a take-up are its capacity, and say so.
  return thematicMapBlock(ctx, mapLayers, lg, t(capacity ? 'map.farCapacity' : 'map.far', { name }), t(capacity ? 'cap.farMapCapacity' : 'cap.farMap', { name }));
}

const indicatorRow = (label: string, i: Indicators) => [label, fmt(i.areaHa, 1), fmt(i.floorAreaM2), fmt(i.achievedFar, 2), fmt(i.dwellings), fmt(i.residents), fmt(i.jobs), fmt(i.residentsPerHaGross), fmt(i.jobsPerHaGross), fmt(i.dailyBoardings)];
const indicatorColumns = (ctx: SectionContext) => [{ label: ctx.t('col.band') }, ...(['col.areaHa', 'col.floorArea', 'col.far', 'col.dwellings', 'col.residents', 'col.jobs', 'col.resHa', 'col.jobsHa', 'col.boardings'] as const).map((k) => ({ label: ctx.t(k), align: 'right' as const }))];

/**
 * A scenario's key figures: its evaluation is capacity (what the rules allow), so every figure says so;
 * where a take-up was run the projected residents and jobs at the last horizon come first (issue #12).
 * Existing is what stands today and carries no label.
 */
function keyFigures(ctx: SectionContext, existing: boolean, head: Indicators, pr: { horizons: number[]; total: { horizons: Array<{ residents: number; jobs: number }> } } | null) {
  const cap = (key: Parameters<SectionContext['t']>[0]) => (existing ? ctx.t(key) : ctx.t('kf.capacityOf', { label: ctx.t(key) }));
  const H = pr?.horizons.length ?? 0;
  const projected = pr && H ? [
    { label: ctx.t('kf.projectedOf', { label: ctx.t('kf.residents'), year: pr.horizons[H - 1] }), value: fmt(pr.total.horizons[H - 1].residents) },
    { label: ctx.t('kf.projectedOf', { label: ctx.t('kf.jobs'), year: pr.horizons[H - 1] }), value: fmt(pr.total.horizons[H - 1].jobs) },
  ] : [];
  return [
    ...projected,
    { label: cap('kf.residents'), value: fmt(head.residents) }, { label: cap('kf.jobs'), value: fmt(head.jobs) },
    { label: cap('kf.dwellings'), value: fmt(head.dwellings) }, { label: cap('kf.achievedFar'), value: fmt(head.achievedFar, 2) },
    { label: cap('kf.boardings'), value: fmt(head.dailyBoardings) },
  ];
}

export function scenarioSections(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection[] {
  const list = latestScenarioResults(ctx, opts.scenarios);
  if (!list.length) return [];
  const out: ReportSection[] = list.map(({ result, scenario }) => {
    const def = scenario.definition;
    const ind = result.indicators;
    // --station: the figures of the parcels nearest to that station on foot, not the whole project's.
    const st = ctx.station ? ind.stations.find((x) => x.station === ctx.station!.name || x.station === ctx.station!.id)?.indicators : undefined;
    const head = st ?? ind.total;
    // Projected at the last horizon first, capacity beside it (issue #12), where a take-up was run.
    const projection = scenarioProjectionFor(ctx, scenario, result.parcelLayer);
    return {
      id: `scenario-${scenario.id}`, title: ctx.t('title.scenario', { name: def.name }), pageBreak: true,
      blocks: [
        ...(def.description ? [{ kind: 'text' as const, text: sentence(ctx.t, def.description) }] : []),
        { kind: 'text', text: versionLine(ctx, scenario) },
        { kind: 'keyFigures', items: keyFigures(ctx, scenario.id === 'existing', head, ctx.station ? null : projection) },
        { kind: 'table', caption: ctx.t('cap.zoning'), note: ctx.t('scn.zoningNote', { f: fmt(def.softSiteFactor, 2), mode: term(ctx.t, `publicLand.${def.publicLand.mode}`, def.publicLand.mode) }),
          columns: [{ label: ctx.t('scn.col.bands') }, { label: ctx.t('scn.col.landUses') }, { label: ctx.t('scn.col.maxFar'), align: 'right' }, { label: ctx.t('scn.col.maxFloors'), align: 'right' }, { label: ctx.t('scn.col.coverage'), align: 'right' }, { label: ctx.t('scn.col.split') }],
          rows: def.rules.map((r) => [r.bands?.map((b) => term(ctx.t, `band.${b}`, b)).join(', ') ?? ctx.t('legend.all'), r.landUses?.map((u) => term(ctx.t, `lu.${u}`, u)).join(', ') ?? ctx.t('legend.all'), fmt(r.maxFar, 1), fmt(r.maxFloors), fmt(r.coverage, 2),
            [r.split.residential, r.split.commercial, r.split.office, r.split.civic].map((v) => fmt(v * 100)).join(' / ')]) },
        ...(projection ? [...farMapsByHorizon(ctx, projection, def.name), ...(ctx.station ? [] : [projectionBandTable(ctx, projection)])] : [farMap(ctx, result.resultId, result.parcelLayer, def.name, scenario.id !== 'existing')]),
        ctx.station
          ? { kind: 'table', caption: ctx.t('scn.cap.nearest', { name: ctx.station.name }), note: ctx.t('scn.walkDistances', { src: sentence(ctx.t, result.distanceSource) }), columns: indicatorColumns(ctx),
            rows: st ? [indicatorRow(ctx.station.name, st)] : [] }
          : { kind: 'table', caption: ctx.t('cap.indicatorsBand'), note: ctx.t('scn.walkDistances', { src: sentence(ctx.t, result.distanceSource) }), columns: indicatorColumns(ctx),
            rows: [...ind.bands.map((b) => indicatorRow(term(ctx.t, `band.${b.band}`, b.band), b.indicators)), indicatorRow(ctx.t('row.total'), ind.total)] },
        ...(ind.itdp.length ? [{ kind: 'table' as const, caption: ctx.t('scn.cap.itdp'), columns: [{ label: ctx.t('scn.col.metric') }, { label: ctx.t('scn.col.standard') }, { label: ctx.t('col.value'), align: 'right' as const }, { label: ctx.t('scn.col.threshold') }, { label: ctx.t('scn.col.meets') }],
          rows: ind.itdp.map((m) => [sentence(ctx.t, m.metric), m.standard, fmt(m.value, 2), sentence(ctx.t, m.threshold), m.meets === null ? '–' : ctx.t(m.meets ? 'lvc.yes' : 'lvc.no')]) }] : []),
      ],
    };
  });
  const metrics = COMPARE_METRICS.filter(([k]) => k !== 'redevelopedParcels');
  out.push({
    id: 'comparison', title: ctx.t('title.comparison'), pageBreak: true,
    blocks: [
      { kind: 'table', caption: ctx.t('cap.keyIndicators'), columns: [{ label: ctx.t('col.indicator') }, { label: ctx.t('col.unit') }, ...list.map((x) => ({ label: x.scenario.definition.name, align: 'right' as const }))],
        rows: metrics.map(([k, label, unit]) => [term(ctx.t, `metric.${k}`, label), term(ctx.t, `unit.${unit}`, unit), ...list.map((x) => fmt(x.result.indicators.total[k] as number | null, DIGITS[k] ?? 0))]) },
      scenarioChartByHorizon(ctx, list) ?? { kind: 'chart', caption: ctx.t('cap.chartScenarios'), chart: { type: 'bar', x: 'scenario',
        data: list.map((x) => ({ scenario: x.scenario.definition.name, residents: x.result.indicators.total.residents, jobs: x.result.indicators.total.jobs })),
        series: [{ key: 'residents', label: ctx.t('col.residents'), color: SERIES_COLORS[0] }, { key: 'jobs', label: ctx.t('col.jobs'), color: SERIES_COLORS[1] }] } },
      { kind: 'chart', caption: ctx.t('cap.chartFloor'), chart: { type: 'stackedBar', x: 'scenario',
        data: list.map((x) => ({ scenario: x.scenario.definition.name, ...x.result.indicators.total.floorAreaByUseM2 })),
        series: ['residential', 'commercial', 'office', 'civic', 'industrial'].map((u, i) => ({ key: u, label: term(ctx.t, `lu.${u}`, u), color: SERIES_COLORS[i] })) } },
      versionsTable(ctx, list),
    ],
  });
  return out;
}
