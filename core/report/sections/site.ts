/** Report sections every project has: site context, data sources and provenance, personal data. */
import type { BBox } from '../../geo/geometry.js';
import type { Feature } from '../../io/types.js';
import type { Project, LayerInfo, ScenarioAuthor } from '../../store/project.js';
import type { SiteTotals } from '../totals.js';
import type { ReportKey, ReportT } from '../i18n/index.js';
import { renderSvgMap, type MapLayer, type LegendItem } from '../svg-map.js';
import type { MapUnderlay } from '../svg-basemap.js';
import { term } from '../i18n/index.js';
import { fmt, type Block, type ReportSection } from '../model.js';
import { LAND_USE_COLORS, UNKNOWN_COLOR } from '../palette.js';

export interface SectionContext {
  project: Project;
  /** Every map of a report shares one extent (the site), so they line up and share projected paths. */
  map: { width: number; height: number; bbox?: BBox };
  /** Features of a layer, read once per report (personal fields never read). */
  features(layer: string): Feature[];
  /** Features of a layer drawn for their shape alone (the walk network, rail): no properties read, read once per report. */
  shapes(layer: string): Feature[];
  /** Layers by role (first of each), for convenience. */
  byRole: Partial<Record<LayerInfo['role'], LayerInfo>>;
  currency: string | null;
  /** The project's basemap, when one is set, on and readable: drawn under the site map. */
  basemap?: { underlay: MapUnderlay; caption: string } | null;
  /** The station a `--station` report is about: every table is filtered to it. */
  station?: { id: string; name: string; bbox: BBox };
  /** Census residents and jobs of the report's site (the station's site with --station): what tables add up to. */
  totals: SiteTotals;
  /** The report's words in its language (i18n/). */
  t: ReportT;
  /** Who saved each scenario version (shared database projects; none for a file) and why not, if the database could not say. */
  authors?: { authors: ScenarioAuthor[]; error?: string; shared: boolean };
}

/** The map furniture's words (north arrow, the note naming labels with no room). */
export const mapWords = (ctx: SectionContext) => ({ north: ctx.t('map.north'), notLabelled: ctx.t('map.notLabelled'), more: (n: number) => ctx.t('map.notLabelledMore', { n }) });

/** Thematic maps outline parcels up to this many in the frame (a station's site), not a district's 15k. */
export const OUTLINED_PARCELS = 4000;

/**
 * The site map's base layers: parcels (by land use, plain, or none when a thematic map draws its own),
 * the walk network (left off thematic maps: at district scale it hides the colours and doubles the
 * drawing), rail and stations.
 */
export function baseMapLayers(ctx: SectionContext, opts: { parcels?: 'landuse' | 'plain' | 'none'; network?: boolean } = {}): { layers: MapLayer[]; legend: LegendItem[] } {
  const { byRole } = ctx;
  const layers: MapLayer[] = [];
  const legend: LegendItem[] = [];
  const parcels = byRole.parcels;
  if (parcels && opts.parcels !== 'none') {
    const lu = parcels.fieldMap.land_use;
    const used = new Set<string>();
    const feats = ctx.features(parcels.name).map((f) => {
      const u = lu ? String(f.properties[lu] ?? '') : '';
      if (opts.parcels !== 'plain' && u) used.add(u);
      return { geometry: f.geometry, fill: opts.parcels === 'plain' ? undefined : LAND_USE_COLORS[u] ?? UNKNOWN_COLOR };
    });
    layers.push({ name: 'parcels', style: { fill: '#e8e4da', stroke: '#ffffff', strokeWidth: 0.3 }, features: feats });
    for (const u of Object.keys(LAND_USE_COLORS)) if (used.has(u)) legend.push({ label: ctx.t(`lu.${u}` as ReportKey), fill: LAND_USE_COLORS[u], kind: 'area' });
  }
  if (byRole.network && opts.network !== false) {
    layers.push({ name: 'network', style: { stroke: '#8a8a8a', strokeWidth: 0.4 }, features: ctx.shapes(byRole.network.name).map((f) => ({ geometry: f.geometry })) });
    legend.push({ label: ctx.t('legend.network'), stroke: '#8a8a8a', kind: 'line' });
  }
  if (byRole.rail) {
    layers.push({ name: 'rail', style: { stroke: '#222', strokeWidth: 1.6 }, features: ctx.shapes(byRole.rail.name).map((f) => ({ geometry: f.geometry })) });
    legend.push({ label: ctx.t('legend.rail'), stroke: '#222', kind: 'line' });
  }
  if (byRole.stations) {
    const nameField = byRole.stations.fieldMap.name, lineField = byRole.stations.fieldMap.line;
    // Interchanges (several lines, "A; B") are labelled first when labels compete for room.
    const lines = (f: Feature) => (lineField ? String(f.properties[lineField] ?? '').split(/[;,]/).filter((x) => x.trim()).length : 0);
    layers.push({ name: 'stations', style: { fill: '#c1121f', stroke: '#fff', strokeWidth: 1, radius: 4 },
      features: ctx.features(byRole.stations.name).map((f) => ({ geometry: f.geometry, label: nameField ? String(f.properties[nameField] ?? '') || undefined : undefined, priority: lines(f) })) });
    legend.push({ label: ctx.t('legend.station'), fill: '#c1121f', kind: 'point' });
  }
  return { layers, legend };
}

/** Most stations a site chapter lists one by one (a metro network layer may hold hundreds). */
const MAX_STATION_ROWS = 60;

/**
 * The stations with every name they carry: the mapped name, then each other text field whose name
 * starts with "name" (name_local, name_th, name:ja, …): the names a council reads in its own script.
 */
function stationsTable(ctx: SectionContext): Block | null {
  const layer = ctx.byRole.stations;
  if (!layer || !layer.fieldMap.name) return null;
  const nameField = layer.fieldMap.name, lineField = layer.fieldMap.line;
  const others = layer.fields.filter((f) => f.name !== nameField && !f.personal && f.type === 'TEXT' && /^name[_:]/i.test(f.name)).map((f) => f.name);
  const features = ctx.features(layer.name);
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    kind: 'table',
    caption: `${ctx.t('cap.stations')}${features.length > MAX_STATION_ROWS ? ctx.t('site.firstOf', { n: MAX_STATION_ROWS, m: fmt(features.length) }) : ''}`,
    columns: [{ label: ctx.t('col.station') }, ...others.map((f) => ({ label: f === 'name_local' ? ctx.t('site.col.nameLocal') : f })), ...(lineField ? [{ label: ctx.t('col.line') }] : [])],
    rows: features.slice(0, MAX_STATION_ROWS).map((f) => [text(f.properties[nameField]), ...others.map((o) => text(f.properties[o])), ...(lineField ? [text(f.properties[lineField])] : [])]),
  };
}

export function siteSection(ctx: SectionContext): ReportSection {
  const info = ctx.project.info();
  const { layers, legend } = baseMapLayers(ctx);
  const s = info.settings;
  const parcels = ctx.byRole.parcels;
  const blocks: ReportSection['blocks'] = [];
  blocks.push({ kind: 'keyFigures', items: [
    { label: ctx.t('kf.layers'), value: fmt(info.layers.length) },
    ...(parcels ? [{ label: ctx.t('kf.parcels'), value: fmt(parcels.count) }] : []),
    ...(ctx.byRole.stations ? [{ label: ctx.t('kf.stations'), value: fmt(ctx.byRole.stations.count) }] : []),
    ...(s.country ? [{ label: ctx.t('kf.country'), value: String(s.country) }] : []),
    ...(s.currency ? [{ label: ctx.t('kf.currency'), value: `${s.currency}${s.priceYear ? ctx.t('site.prices', { year: s.priceYear }) : ''}` }] : []),
  ] });
  blocks.push({
    kind: 'map', bbox: ctx.map.bbox, svg: renderSvgMap(layers, { ...ctx.map, legend, title: ctx.t('map.site'), words: mapWords(ctx), underlay: ctx.basemap?.underlay }),
    caption: `${ctx.t('map.siteCaption')}${ctx.basemap ? ` ${ctx.basemap.caption}` : ''}`,
  });
  const stations = stationsTable(ctx);
  if (stations) blocks.push(stations);
  blocks.push({ kind: 'table', caption: ctx.t('cap.layers'), columns: [{ label: ctx.t('col.layer') }, { label: ctx.t('col.role') }, { label: ctx.t('col.geometry') }, { label: ctx.t('col.features'), align: 'right' }],
    rows: info.layers.map((l) => [l.title, term(ctx.t, `role.${l.role}`, l.role), term(ctx.t, `geom.${l.geometryType.toLowerCase()}`, l.geometryType.toLowerCase()), fmt(l.count)]) });
  return { id: 'site', title: ctx.t('title.site'), pageBreak: true, blocks };
}

export function sourcesSection(ctx: SectionContext): ReportSection {
  const rows: string[][] = [];
  for (const l of ctx.project.layers()) for (const p of l.provenance) {
    rows.push([l.title, p.sourceFile, p.sourceFormat, p.crsRead, `${p.sha256.slice(0, 16)}…`, fmt(p.featuresWritten), fmt(p.featuresSkipped), p.importedAt.slice(0, 10)]);
  }
  const notes = ctx.project.layers().flatMap((l) => l.provenance.filter((p) => p.note).map((p) => `${l.title}: ${p.note}`));
  return {
    id: 'sources', title: ctx.t('title.sources'), pageBreak: true,
    blocks: [
      { kind: 'text', text: ctx.t('sources.intro') },
      { kind: 'table', caption: ctx.t('cap.imported'), columns: [{ label: ctx.t('col.layer') }, { label: ctx.t('sources.col.file') }, { label: ctx.t('sources.col.format') }, { label: ctx.t('sources.col.crs') }, { label: 'SHA-256' }, { label: ctx.t('sources.col.written'), align: 'right' }, { label: ctx.t('sources.col.skipped'), align: 'right' }, { label: ctx.t('sources.col.imported') }], rows },
      ...(notes.length && ctx.t.lang && ctx.t.lang !== 'en' ? [{ kind: 'text' as const, text: ctx.t('sources.notesOriginal') }] : []),
      ...(notes.length ? [{ kind: 'list' as const, items: notes }] : []),
    ],
  };
}
