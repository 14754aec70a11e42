/**
 * Build a report model from an open project. Sections come from contributors, one per engine;
 * an engine with no stored results contributes nothing rather than an empty chapter.
 */
import { extendBBox, type BBox } from '../geo/geometry.js';
import type { Feature } from '../io/types.js';
import { nowIso } from '../store/clock.js';
import { APP_VERSION, type LayerInfo, type Project } from '../store/project.js';
import { reportDigest } from './digest.js';
import { siteTotals } from './totals.js';
import { isReportLang, pageLabels, reportTranslator, type ReportLang } from './i18n/index.js';
import { summarySection } from './sections/summary.js';
import { findStationSite } from './frame.js';
import { contentBox, setMoneyLang, type Orientation, type Paper, type ReportModel, type ReportSection } from './model.js';
import { appendixSections } from './sections/appendix.js';
import { catchmentSections } from './sections/catchment.js';
import { corridorSections } from './sections/corridor.js';
import { lvcSections } from './sections/lvc.js';
import { scenarioSections } from './sections/scenarios.js';
import { siteSection, sourcesSection, type SectionContext } from './sections/site.js';
import { reportBasemap } from './report-basemap.js';
import type { ReportAuthors } from './scenario-authors.js';

export interface ReportOptions {
  paper?: Paper;
  orientation?: Orientation;
  /** Scenario names to include (default: all stored). */
  scenarios?: string[];
  /** Station name to focus on (corridor projects). */
  station?: string;
  title?: string;
  /** Report language (default: the project's `language` setting when it is en, ja or th, else en). */
  lang?: ReportLang;
}

export type Contributor = (ctx: SectionContext, opts: ReportOptions) => ReportSection[];

/** Engine chapters in report order. One line per engine. */
const CONTRIBUTORS: Contributor[] = [corridorSections, catchmentSections, scenarioSections, lvcSections];

/** The site: parcels and stations (the network and rail may run far beyond the study area). */
function siteExtent(layers: LayerInfo[]): BBox | undefined {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const use = layers.filter((l) => l.role === 'parcels' || l.role === 'stations');
  for (const l of use.length ? use : layers) if (l.bbox) extendBBox(box, l.bbox);
  return Number.isFinite(box[0]) ? box : undefined;
}

/**
 * A layer's features without its personal fields, which are not even read: dropping them after the
 * read held them in memory first, and deleting a property from a million objects made each a slower,
 * larger dictionary.
 */
function withoutPersonal(project: Project, name: string): Feature[] {
  const fields = project.layer(name).fields;
  return project.readFeatures(name, fields.some((f) => f.personal) ? { fields: fields.filter((f) => !f.personal).map((f) => f.name) } : {});
}

/** `authors`: who saved each scenario version, in a shared database project (scenario-authors.ts, read beforehand). */
export function buildReportModel(project: Project, opts: ReportOptions = {}, authors: ReportAuthors = { authors: [] }): ReportModel {
  const paper = opts.paper ?? 'A4';
  const orientation = opts.orientation ?? 'portrait';
  const box = contentBox(paper, orientation);
  const layers = project.layers();
  const byRole: SectionContext['byRole'] = {};
  for (const l of layers) byRole[l.role] ??= l;
  const settings = project.settings();
  const cache = new Map<string, Feature[]>(), shapeCache = new Map<string, Feature[]>();
  const lang: ReportLang = opts.lang ?? (isReportLang(settings.language) ? settings.language : 'en');
  const ctx: SectionContext = {
    project,
    map: { width: box.width, height: Math.round(Math.min(box.height * 0.62, box.width * 0.9)), bbox: siteExtent(layers) },
    // Personal fields never reach a report, even one a section maps (a station "name" that is an owner's).
    features: (name) => { let f = cache.get(name); if (!f) { f = withoutPersonal(project, name); cache.set(name, f); } return f; },
    // A metropolitan walk network is two million lines: their names and classes are not drawn.
    shapes: (name) => { let f = cache.get(name) ?? shapeCache.get(name); if (!f) { f = project.readFeatures(name, { fields: [] }); shapeCache.set(name, f); } return f; },
    byRole,
    currency: settings.currency ? String(settings.currency) : null,
    totals: { residents: null, jobs: null },
    t: reportTranslator(lang),
    authors: { ...authors, shared: !!project.scenarioAuthors },
  };
  // One station of a corridor: every map frames that station's site instead of the whole line, every table covers it alone.
  if (opts.station) {
    ctx.station = findStationSite(ctx, opts.station);
    ctx.map.bbox = ctx.station.bbox;
  }
  ctx.totals = siteTotals(ctx, ctx.station?.bbox);
  const basemap = reportBasemap(project);
  ctx.basemap = basemap.draw;
  setMoneyLang(lang);
  try {
    return assemble(project, ctx, opts, settings, layers, paper, orientation);
  } finally {
    setMoneyLang('en');
    basemap.close();
  }
}

function assemble(project: Project, ctx: SectionContext, opts: ReportOptions, settings: ReturnType<Project['settings']>, layers: LayerInfo[], paper: Paper, orientation: Orientation): ReportModel {
  const engineSections = CONTRIBUTORS.flatMap((c) => c(ctx, opts));
  const omitted = layers.flatMap((l: LayerInfo) => l.fields.filter((f) => f.personal).map((f) => ({ layer: l.title, field: f.name })));
  const sections: ReportSection[] = [summarySection(ctx, opts), siteSection(ctx), ...engineSections, sourcesSection(ctx), ...appendixSections(ctx)];
  if (omitted.length) {
    sections.push({ id: 'privacy', title: ctx.t('title.privacy'), blocks: [
      { kind: 'text', text: ctx.t('privacy.text') },
      { kind: 'table', caption: ctx.t('cap.personalLeftOut'), columns: [{ label: ctx.t('col.layer') }, { label: ctx.t('col.field') }], rows: omitted.map((o) => [o.layer, o.field]) },
    ] });
  }
  return {
    meta: {
      title: opts.title ?? ctx.t('doc.title', { site: String(settings.name) }),
      subtitle: ctx.t('doc.subtitle'),
      site: String(settings.name),
      client: settings.client ? String(settings.client) : null,
      date: nowIso().slice(0, 10),
      scenarios: opts.scenarios ?? [],
      paper, orientation,
      generator: `Ekimae ${APP_VERSION}`,
      // A shared project names its database (password masked), not its private working copy.
      projectFile: project.label ?? project.path.split(/[\\/]/).pop() ?? project.path,
      projectDigest: reportDigest(project),
      currency: ctx.currency,
      lang: opts.lang ?? (isReportLang(settings.language) ? settings.language : 'en'),
      labels: pageLabels(ctx.t),
    },
    sections,
    omittedPersonalFields: omitted,
  };
}
