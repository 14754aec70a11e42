/**
 * A thematic map (density, uplift) as a report block: one map at the report's extent, or, when that
 * extent draws the station sites too small to read (a corridor between cities), one small map per
 * station site with a shared legend.
 */
import { sitesTooSmall, type StationSite } from './frame.js';
import type { Block } from './model.js';
import { renderSmallMultiples, renderSvgMap, type LegendItem, type MapLayer } from './svg-map.js';
import { mapWords, type SectionContext } from './sections/site.js';

/**
 * At most this many small maps in one figure: six across and six down fill a page below a chapter's
 * opening text. A metropolitan network (hundreds of stations) is drawn at the network's scale
 * instead, which the parcels drawn as an image keep readable as a pattern (svg-map.ts rasterLayer);
 * a report of one station draws that station's maps.
 */
export const MAX_SITE_MAPS = 36;

/** The station sites that get a small map each (none when the overview reads well, or when there are too many), and how many were too many. */
export function siteMaps(ctx: SectionContext): { sites: StationSite[]; tooMany: number } {
  const sites = sitesTooSmall(ctx, ctx.map.bbox);
  return sites.length > MAX_SITE_MAPS ? { sites: [], tooMany: sites.length } : { sites, tooMany: 0 };
}

export function thematicMapBlock(ctx: SectionContext, layers: MapLayer[], legend: LegendItem[], title: string, caption: string): Block {
  const { sites, tooMany } = siteMaps(ctx);
  if (!sites.length) {
    const note = tooMany ? ` ${ctx.t('map.overviewOnly', { n: tooMany, max: MAX_SITE_MAPS })}` : '';
    return { kind: 'map', bbox: ctx.map.bbox, svg: renderSvgMap(layers, { ...ctx.map, legend, title, words: mapWords(ctx) }), caption: caption + note };
  }
  // At least three across on a portrait page, four on a landscape one; about as tall as a single map.
  const minColumns = ctx.map.width > ctx.map.height * 1.6 ? 4 : 3;
  const svg = renderSmallMultiples(layers, sites.map((s) => ({ title: s.name, bbox: s.bbox })), { width: ctx.map.width, maxHeight: ctx.map.height * 1.1, minColumns, legend, title, words: mapWords(ctx) });
  return { kind: 'map', bbox: ctx.map.bbox, svg, caption: `${caption} ${ctx.t('map.perSite')}` };
}
