/** Report chapter: walk catchments of the latest stored run (maps by band, pedshed, residents and jobs). */
import { latestRunId, POLYGON_LAYER, readRun, type RunInfo } from '../../catchment/store.js';
import { thematicMapBlock } from '../map-block.js';
import type { LegendItem, MapLayer } from '../svg-map.js';
import { sentence } from '../i18n/index.js';
import { fmt, fmtPct, type ReportSection } from '../model.js';
import { BAND_COLORS, SERIES_COLORS } from '../palette.js';
import { baseMapLayers, type SectionContext } from './site.js';

const ALL = '*';

/** Plain parcels, the walk bands of one station (or of all, '*'), the network, rail and stations; bands in the legend. */
function catchmentMapLayers(ctx: SectionContext, run: RunInfo, stationId: string): { layers: MapLayer[]; legend: LegendItem[] } {
  const speed = run.params.speedMPerMin;
  const bands = [...new Set(run.bands.map((b) => b.bandM))].sort((a, b) => a - b);
  const polys = ctx.features(POLYGON_LAYER).filter((f) => f.properties.run_id === run.runId && f.properties.station_id === stationId);
  const { layers, legend } = baseMapLayers(ctx, { parcels: 'plain' });
  // Largest band first so the inner bands draw on top.
  const bandLayer = {
    name: 'bands', style: { stroke: '#08306b', strokeWidth: 0.8, opacity: 0.55 },
    features: polys.sort((a, b) => Number(b.properties.band_m) - Number(a.properties.band_m))
      .map((f) => ({ geometry: f.geometry, fill: BAND_COLORS[Math.min(BAND_COLORS.length - 1, bands.indexOf(Number(f.properties.band_m)))] })),
  };
  const bandLegend = bands.map((b, i) => ({ label: `≤ ${fmt(b)} m (${fmt(b / speed, 0)} ${ctx.t('unit.min')})`, fill: BAND_COLORS[Math.min(BAND_COLORS.length - 1, i)], kind: 'area' as const }));
  return { layers: [layers[0], bandLayer, ...layers.slice(1)].filter(Boolean), legend: [...bandLegend, ...legend.filter((l) => l.kind !== 'area')] };
}

export function catchmentSections(ctx: SectionContext, opts: { station?: string }): ReportSection[] {
  const { project } = ctx;
  if (latestRunId(project) === null) return [];
  const run = readRun(project);
  const speed = run.params.speedMPerMin;
  const focus = opts.station ? run.bands.find((b) => b.stationName === opts.station || b.stationId === opts.station)?.stationId ?? ALL : ALL;
  const bands = [...new Set(run.bands.map((b) => b.bandM))].sort((a, b) => a - b);
  const { layers: mapLayers, legend } = catchmentMapLayers(ctx, run, focus);
  const stationIds = new Set(run.bands.map((b) => b.stationId).filter((s) => s !== ALL));
  // One station: its rows equal the merged ones, so show them once.
  const shown = run.bands.filter((b) => (focus !== ALL ? b.stationId === focus : stationIds.size === 1 ? b.stationId !== ALL : true));
  const rows = shown.map((b) => [
    b.stationId === ALL ? ctx.t('row.allStations') : b.stationName ?? b.stationId, `${fmt(b.bandM)} m / ${fmt(b.bandM / speed, 0)} ${ctx.t('unit.min')}`, fmt(b.areaM2 / 1e4, 1), fmtPct(b.pedshed),
    fmt(b.parcels), fmt(b.popAreal), fmt(b.popDasy), fmt(b.jobsAreal), fmt(b.jobsDasy),
    b.popAreal && b.popDasy !== null ? fmtPct((b.popDasy - b.popAreal) / b.popAreal) : '–',
  ]);
  const merged = run.bands.filter((b) => b.stationId === focus);
  // Beyond the outermost band, up to the site's census total: the table adds up to the site.
  const outer = merged.find((b) => b.bandM === bands[bands.length - 1]);
  const t = ctx.totals;
  if (outer && (t.residents !== null || t.jobs !== null)) {
    const less = (a: number | null, b: number | null) => (a === null ? null : Math.max(0, a - (b ?? 0)));
    rows.push([ctx.t('row.beyond', { m: fmt(outer.bandM) }), '', '', '', '', fmt(less(t.residents, outer.popAreal)), '', fmt(less(t.jobs, outer.jobsAreal)), '', '']);
    rows.push([ctx.station ? ctx.t('row.stationSite', { name: ctx.station.name }) : ctx.t('row.siteTotal'), '', '', '', '', fmt(t.residents), '', fmt(t.jobs), '', '']);
  }
  const top = merged.find((b) => b.bandM === bands[Math.min(1, bands.length - 1)]) ?? merged[0];
  return [{
    id: 'catchments', title: ctx.t('title.catchments'), pageBreak: true,
    blocks: [
      { kind: 'text', text: ctx.t('catch.intro', { speed: fmt(speed) }) },
      ...(top ? [{ kind: 'keyFigures' as const, items: [
        { label: ctx.t('kf.areaWithin', { m: fmt(top.bandM) }), value: `${fmt(top.areaM2 / 1e4, 1)} ha` },
        { label: ctx.t('kf.pedshed'), value: fmtPct(top.pedshed) },
        { label: ctx.t('kf.residentsAreal'), value: fmt(top.popAreal) },
        { label: ctx.t('kf.jobsAreal'), value: fmt(top.jobsAreal) },
      ] }] : []),
      thematicMapBlock(ctx, mapLayers, legend, ctx.t('map.catchments'), ctx.t('cap.catchmentMap', { which: focus === ALL ? ctx.t('cap.allMerged') : ` (${opts.station})` })),
      { kind: 'table', caption: ctx.t('cap.catchments'), note: ctx.t('catch.note'),
        columns: [{ label: ctx.t('col.station') }, { label: ctx.t('col.band') }, ...(['col.areaHa', 'col.pedshed', 'col.parcels', 'col.residentsAreal', 'col.residentsDasym', 'col.jobsAreal', 'col.jobsDasym', 'col.deltaRes'] as const).map((k) => ({ label: ctx.t(k), align: 'right' as const }))],
        rows },
      { kind: 'chart', caption: ctx.t('cap.chartBands'), chart: {
        type: 'bar', x: 'band', data: merged.map((b) => ({ band: `${fmt(b.bandM)} m`, residents: b.popAreal ?? 0, jobs: b.jobsAreal ?? 0 })),
        series: [{ key: 'residents', label: ctx.t('col.residents'), color: SERIES_COLORS[0] }, { key: 'jobs', label: ctx.t('col.jobs'), color: SERIES_COLORS[1] }] } },
      ...(run.warnings.length ? [{ kind: 'list' as const, items: run.warnings.map((w: string) => ctx.t('note.prefix', { text: sentence(ctx.t, w) })) }] : []),
    ],
  }];
}
