/**
 * A thematic map (density, uplift) as a report block: one map at the report's extent, or, when that
 * extent draws the station sites too small to read (a corridor between cities), one small map per
 * station site with a shared legend.
 */
import { sitesTooSmall } from './frame.js';
import type { Block } from './model.js';
import { renderSmallMultiples, renderSvgMap, type LegendItem, type MapLayer } from './svg-map.js';
import { mapWords, type SectionContext } from './sections/site.js';

export function thematicMapBlock(ctx: SectionContext, layers: MapLayer[], legend: LegendItem[], title: string, caption: string): Block {
  const sites = sitesTooSmall(ctx, ctx.map.bbox);
  if (!sites.length) return { kind: 'map', bbox: ctx.map.bbox, svg: renderSvgMap(layers, { ...ctx.map, legend, title, words: mapWords(ctx) }), caption };
  // At least three across on a portrait page, four on a landscape one; about as tall as a single map.
  const minColumns = ctx.map.width > ctx.map.height * 1.6 ? 4 : 3;
  const svg = renderSmallMultiples(layers, sites.map((s) => ({ title: s.name, bbox: s.bbox })), { width: ctx.map.width, maxHeight: ctx.map.height * 1.1, minColumns, legend, title, words: mapWords(ctx) });
  return { kind: 'map', bbox: ctx.map.bbox, svg, caption: `${caption} ${ctx.t('map.perSite')}` };
}
