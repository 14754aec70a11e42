/**
 * A scenario's maps and band figures by horizon in the report (issue #12): projected at the last
 * horizon as the headline, capacity beside it, with the same FAR classes in both so the two maps
 * can be compared colour for colour, and the words "projected <year>" and "capacity" on each.
 */
import { EkimaeError } from '../../errors.js';
import { scenarioProjection, type ScenarioProjection } from '../../growth/projection.js';
import { listTakeUps } from '../../growth/store.js';
import { resolveAssumptions } from '../../scenario/assumptions.js';
import { distanceSource } from '../../scenario/distance-source.js';
import { getAssumptions } from '../../scenario/store.js';
import type { StoredScenario } from '../../scenario/store.js';
import { classLabels, classOf, quantileBreaks, rampColors } from '../classes.js';
import { MAX_SITE_MAPS, siteMaps, thematicMapBlock } from '../map-block.js';
import { fmt, type Block } from '../model.js';
import { SERIES_COLORS } from '../palette.js';
import { renderSvgMap, type LegendItem, type MapLayer } from '../svg-map.js';
import { baseMapLayers, mapWords, OUTLINED_PARCELS, type SectionContext } from './site.js';

const FAR_RAMP = ['#fff5eb', '#fee6ce', '#fdd0a2', '#fdae6b', '#fd8d3c', '#f16913', '#d94801', '#a63603', '#7f2704'];
const FAR_K = 6;

/**
 * The scenario's projection, where a take-up was run for it (the stored shares when current, else
 * computed for the report); null for Existing, without a run, or when its distances are not the
 * stored catchment's (then the report shows capacity alone, labelled so).
 */
export function scenarioProjectionFor(ctx: SectionContext, scenario: StoredScenario, parcelLayer: string): ScenarioProjection | null {
  const p = ctx.project;
  if (scenario.id === 'existing' || !listTakeUps(p, scenario.id).length) return null;
  try {
    const pr = scenarioProjection(p, scenario.definition, {
      parcelLayer, distances: distanceSource(p, undefined), assumptions: resolveAssumptions(getAssumptions(p).entries),
      stored: { id: scenario.id, version: scenario.version },
    });
    return pr.horizons.length ? pr : null;
  } catch (e) {
    if (e instanceof EkimaeError) return null;
    throw e;
  }
}

const lastYear = (pr: ScenarioProjection) => pr.horizons[pr.horizons.length - 1];

function farOfFeatures(ctx: SectionContext, pr: ScenarioProjection, col: number): number[] {
  const idx = new Map<number, number>();
  pr.fids.forEach((f, k) => idx.set(f, k));
  return ctx.features(pr.parcelLayer).map((f) => {
    const k = f.fid === undefined || f.fid === null ? undefined : idx.get(f.fid);
    return k === undefined ? NaN : pr.far[col * pr.n + k];
  });
}

function layersFor(ctx: SectionContext, pr: ScenarioProjection, fars: number[], breaks: number[], colors: string[]): { layers: MapLayer[]; legend: LegendItem[] } {
  const { layers, legend } = baseMapLayers(ctx, { parcels: 'none', network: false });
  const feats = ctx.features(pr.parcelLayer);
  const parcels = feats.map((f, j) => ({ geometry: f.geometry, fill: Number.isFinite(fars[j]) ? colors[classOf(fars[j], breaks)] : '#dddddd' }));
  const lg = [...classLabels(breaks, (v) => fmt(v, v < 1 ? 2 : 1), ctx.t('legend.all')).map((label, k) => ({ label: ctx.t('legend.far', { range: label }), fill: colors[k], kind: 'area' as const })), ...legend.filter((l) => l.kind !== 'area')];
  return { layers: [{ name: 'far', style: { stroke: '#ffffff', strokeWidth: 0.3, strokeUpTo: OUTLINED_PARCELS }, features: parcels }, ...layers], legend: lg };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Projected at the last horizon and capacity: side by side on one site map, or two maps of small multiples on a corridor. */
export function farMapsByHorizon(ctx: SectionContext, pr: ScenarioProjection, name: string): Block[] {
  const { t } = ctx;
  const year = lastYear(pr), H = pr.horizons.length;
  const projected = farOfFeatures(ctx, pr, H - 1), capacity = farOfFeatures(ctx, pr, H);
  // One set of classes from both maps: the same colour is the same FAR in each.
  const breaks = quantileBreaks([...projected, ...capacity], FAR_K);
  const colors = rampColors(FAR_RAMP, breaks.length + 1);
  const a = layersFor(ctx, pr, projected, breaks, colors), b = layersFor(ctx, pr, capacity, breaks, colors);
  const titleP = t('map.farProjected', { name, year }), titleC = t('map.farCapacity', { name });
  const { sites, tooMany } = siteMaps(ctx);
  if (sites.length) {
    return [
      thematicMapBlock(ctx, a.layers, a.legend, titleP, t('cap.farMapProjected', { name, year })),
      thematicMapBlock(ctx, b.layers, b.legend, titleC, t('cap.farMapCapacity', { name })),
    ];
  }
  const gap = 10, titleH = 14;
  const w = Math.floor((ctx.map.width - gap) / 2);
  const h = Math.round(Math.min(ctx.map.height, w * 1.15));
  const one = (x: number, title: string, lg: LegendItem[], layers: MapLayer[]) =>
    `<text x="${x}" y="10" font-size="10" font-weight="600" fill="#222">${esc(title)}</text>`
    + renderSvgMap(layers, { ...ctx.map, width: w, height: h, legend: lg, title, words: mapWords(ctx) }).replace('<svg ', `<svg x="${x}" y="${titleH}" `);
  const W = 2 * w + gap;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${h + titleH}" width="${W}" height="${h + titleH}" role="group" aria-label="${esc(`${titleP} | ${titleC}`)}" font-family="'Noto Sans', 'Noto Sans Thai', 'Noto Sans CJK JP', sans-serif">`
    + one(0, titleP, a.legend, a.layers) + one(w + gap, titleC, b.legend, b.layers) + '</svg>';
  return [{ kind: 'map', bbox: ctx.map.bbox, svg, caption: t('cap.farMapPair', { name, year }) + (tooMany ? ` ${t('map.overviewOnly', { n: tooMany, max: MAX_SITE_MAPS })}` : '') }];
}

/** Residents, jobs and floor area by walk band: projected at the last horizon beside capacity. */
export function projectionBandTable(ctx: SectionContext, pr: ScenarioProjection): Block {
  const { t } = ctx;
  const year = lastYear(pr), H = pr.horizons.length;
  const P = t('col.projectedYear', { year }), C = t('col.capacity');
  const row = (label: string, p: { residents: number; jobs: number; floorAreaM2: number }, c: typeof p) =>
    [label, fmt(p.residents), fmt(c.residents), fmt(p.jobs), fmt(c.jobs), fmt(p.floorAreaM2), fmt(c.floorAreaM2)];
  return {
    kind: 'table', caption: t('cap.bandsByHorizon', { year }), note: pr.source,
    columns: [{ label: t('col.band') }, ...[
      `${t('col.residents')} ${P}`, `${t('col.residents')} ${C}`, `${t('col.jobs')} ${P}`, `${t('col.jobs')} ${C}`, `${t('col.floorArea')} ${P}`, `${t('col.floorArea')} ${C}`,
    ].map((label) => ({ label, align: 'right' as const }))],
    rows: [...pr.bands.map((b) => row(b.band, b.horizons[H - 1], b.capacity)), row(t('row.total'), pr.total.horizons[H - 1], pr.total.capacity)],
  };
}

/**
 * Residents and jobs by scenario: projected at the last horizon beside capacity, where take-up runs
 * exist (the stored summaries, as the executive summary reads them); null without any.
 */
export function scenarioChartByHorizon(ctx: SectionContext, list: Array<{ scenario: StoredScenario; result: { indicators: { total: { residents: number; jobs: number } } } }>): Block | null {
  const { t } = ctx;
  const runs = new Map(listTakeUps(ctx.project).map((r) => [r.scenarioId, r.summary]));
  const years = list.map((x) => runs.get(x.scenario.id)?.horizons.at(-1)?.year).filter((y): y is number => y !== undefined);
  if (!years.length) return null;
  const year = Math.max(...years);
  const P = t('col.projectedYear', { year }), C = t('col.capacity');
  return {
    kind: 'chart', caption: t('cap.chartScenariosByHorizon', { year }), chart: {
      type: 'bar', x: 'scenario',
      data: list.map((x) => {
        const last = runs.get(x.scenario.id)?.horizons.at(-1);
        const tot = x.result.indicators.total;
        // A scenario without a run at that year has no projected bar (never its capacity in its place).
        const p = last && last.year === year ? last : null;
        return { scenario: x.scenario.definition.name, resP: p ? p.residents : null, resC: tot.residents, jobsP: p ? p.jobs : null, jobsC: tot.jobs };
      }),
      series: [
        { key: 'resP', label: `${t('col.residents')} ${P}`, color: SERIES_COLORS[0] }, { key: 'resC', label: `${t('col.residents')} ${C}`, color: '#a9c6dc' },
        { key: 'jobsP', label: `${t('col.jobs')} ${P}`, color: SERIES_COLORS[1] }, { key: 'jobsC', label: `${t('col.jobs')} ${C}`, color: '#f4b9a6' },
      ],
    },
  };
}
