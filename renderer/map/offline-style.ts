/**
 * The maplibre style, built offline from the project's own layers: a plain background and the
 * context layers (zoning, census zones, buildings, anything else) as inline GeoJSON sources.
 * No sprites, no glyphs, no URL: nothing is fetched; a basemap's tiles come from the user's own file
 * through the core (basemap-style.ts). Parcels, lines and stations are deck.gl's.
 */
import type { FeatureCollection } from 'geojson';
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { basemapStyle, type BasemapView } from './basemap-style.js';

export const DECK_ROLES = new Set(['parcels', 'rail', 'network', 'stations', 'entrances']);

export interface ContextLayer { name: string; role: string; geometryType: string; data: FeatureCollection }

const ROLE_FILL: Record<string, string> = { zones: '#c9d8c5', census: '#dfe6f0', buildings: '#b9b4ae', other: '#d8d2e6' };
const ROLE_LINE: Record<string, string> = { zones: '#7d9a76', census: '#8aa0bf', buildings: '#8c867f', other: '#8b80a8' };

export const BACKGROUND = '#eef0ec';

/** `basemap`: the user's local tile archive, drawn between the background and the context layers. */
export function offlineStyle(layers: readonly ContextLayer[], basemap: BasemapView | null = null): StyleSpecification {
  const sources: StyleSpecification['sources'] = {};
  const styleLayers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': BACKGROUND } }];
  if (basemap) {
    const b = basemapStyle(basemap);
    Object.assign(sources, b.sources);
    styleLayers.push(...b.layers);
  }
  for (const l of layers) {
    const id = `ctx:${l.name}`;
    sources[id] = { type: 'geojson', data: l.data };
    const fill = ROLE_FILL[l.role] ?? ROLE_FILL.other;
    const line = ROLE_LINE[l.role] ?? ROLE_LINE.other;
    const g = l.geometryType.toUpperCase();
    if (g.includes('POLYGON')) {
      styleLayers.push({ id: `${id}:fill`, type: 'fill', source: id, paint: { 'fill-color': fill, 'fill-opacity': l.role === 'census' ? 0.25 : 0.55 } });
      styleLayers.push({ id: `${id}:line`, type: 'line', source: id, paint: { 'line-color': line, 'line-width': 1 } });
    } else if (g.includes('LINE')) {
      styleLayers.push({ id: `${id}:line`, type: 'line', source: id, paint: { 'line-color': line, 'line-width': 1.5 } });
    } else {
      styleLayers.push({ id: `${id}:circle`, type: 'circle', source: id, paint: { 'circle-color': line, 'circle-radius': 4, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
    }
  }
  return { version: 8, name: 'Ekimae offline', sources, layers: styleLayers };
}
