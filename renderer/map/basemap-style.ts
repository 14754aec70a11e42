/**
 * The basemap under the plan: the user's local MBTiles/PMTiles, fetched tile by tile through the app's
 * own channel (the `ekimae-basemap:` protocol below calls the core's basemap.tile), never from a URL.
 * Vector archives get a quiet default style keyed on the common OpenMapTiles / Protomaps layer names
 * (water, landuse, roads, buildings, …); source layers with other names are drawn by geometry type, so
 * an extract made with any tool shows something sensible.
 */
import type { FilterSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import type { Output } from '../../core/api/contract.js';
import type { BasemapKind } from '../../core/basemap/kinds.js';

export type BasemapState = Output<'basemap.info'>;
export type BasemapArchive = NonNullable<BasemapState['archive']>;

export const BASEMAP_PROTOCOL = 'ekimae-basemap';
export const BASEMAP_SOURCE = 'basemap';

/** What the map needs to draw a basemap: the archive's description and a key that changes with the file. */
export interface BasemapView { key: string; archive: BasemapArchive }

type Kind = BasemapKind;

/** Layer names as OpenMapTiles, Protomaps (v3/v4), Shortbread and plain GDAL exports use them (= core/basemap/kinds.ts, which the report uses). */
export const KIND_BY_NAME: Record<string, Kind> = {
  earth: 'earth', land: 'earth',
  landuse: 'landcover', landcover: 'landcover', land_use: 'landcover', natural: 'landcover', sites: 'landcover', zones: 'landcover',
  park: 'park', parks: 'park', pois_parks: 'park',
  water: 'water', ocean: 'water', water_polygons: 'water', waters: 'water', lakes: 'water',
  waterway: 'waterway', waterways: 'waterway', water_lines: 'waterway',
  transportation: 'road', roads: 'road', road: 'road', streets: 'road', highways: 'road', network: 'road', bridges: 'road', aeroway: 'road',
  railway: 'rail', railways: 'rail', rail: 'rail', transit: 'rail',
  building: 'building', buildings: 'building', building_part: 'building',
  boundary: 'boundary', boundaries: 'boundary', admin: 'boundary',
};

export function basemapKind(sourceLayer: string): Kind | null {
  return KIND_BY_NAME[sourceLayer.toLowerCase()] ?? null;
}

const POLY: FilterSpecification = ['==', ['geometry-type'], 'Polygon'];
const LINE: FilterSpecification = ['==', ['geometry-type'], 'LineString'];
const POINT: FilterSpecification = ['==', ['geometry-type'], 'Point'];

/** Muted colours: the basemap is context, the plan on top carries the colour (= core/basemap/kinds.ts). */
export const BASEMAP_COLOURS = {
  earth: '#f2efe9', landcover: '#e3e8da', park: '#d5e6c8', water: '#aacbe6', road: '#ffffff', roadCasing: '#c9c3b8',
  rail: '#9c97a3', building: '#ddd5cb', buildingLine: '#c8bdb0', boundary: '#a08fb0', otherFill: '#e6e1ea', otherLine: '#b3aabd', otherPoint: '#8d8499',
} as const;

function layersFor(id: string, kind: Kind | null, minzoom: number): LayerSpecification[] {
  const c = BASEMAP_COLOURS;
  const base = { source: BASEMAP_SOURCE, 'source-layer': id };
  const lid = (s: string) => `basemap:${id}:${s}`;
  switch (kind) {
    case 'earth': return [{ ...base, id: lid('fill'), type: 'fill', filter: POLY, paint: { 'fill-color': c.earth } }];
    case 'landcover':
    case 'park': return [{ ...base, id: lid('fill'), type: 'fill', filter: POLY, paint: { 'fill-color': kind === 'park' ? c.park : c.landcover, 'fill-opacity': 0.8 } }];
    case 'water': return [
      { ...base, id: lid('fill'), type: 'fill', filter: POLY, paint: { 'fill-color': c.water } },
      { ...base, id: lid('line'), type: 'line', filter: LINE, paint: { 'line-color': c.water, 'line-width': 1.5 } },
    ];
    case 'waterway': return [{ ...base, id: lid('line'), type: 'line', filter: LINE, paint: { 'line-color': c.water, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.8, 16, 3] } }];
    case 'road': return [
      { ...base, id: lid('casing'), type: 'line', filter: LINE, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': c.roadCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 7] } },
      { ...base, id: lid('line'), type: 'line', filter: LINE, layout: { 'line-join': 'round', 'line-cap': 'round' }, paint: { 'line-color': c.road, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.5, 16, 5] } },
    ];
    case 'rail': return [{ ...base, id: lid('line'), type: 'line', filter: LINE, paint: { 'line-color': c.rail, 'line-width': 1.5, 'line-dasharray': [3, 2] } }];
    case 'building': return [{ ...base, id: lid('fill'), type: 'fill', filter: POLY, minzoom: Math.max(minzoom, 13), paint: { 'fill-color': c.building, 'fill-outline-color': c.buildingLine } }];
    case 'boundary': return [{ ...base, id: lid('line'), type: 'line', filter: LINE, paint: { 'line-color': c.boundary, 'line-width': 1, 'line-dasharray': [4, 2] } }];
    default: return [
      { ...base, id: lid('fill'), type: 'fill', filter: POLY, paint: { 'fill-color': c.otherFill, 'fill-opacity': 0.6, 'fill-outline-color': c.otherLine } },
      { ...base, id: lid('line'), type: 'line', filter: LINE, paint: { 'line-color': c.otherLine, 'line-width': 1 } },
      { ...base, id: lid('point'), type: 'circle', filter: POINT, paint: { 'circle-color': c.otherPoint, 'circle-radius': 2 } },
    ];
  }
}

/** Drawing order (= KIND_ORDER in core/basemap/kinds.ts). */
export const ORDER: Array<Kind | null> = ['earth', 'landcover', 'park', null, 'water', 'waterway', 'boundary', 'road', 'rail', 'building'];

export function tileUrl(key: string): string {
  return `${BASEMAP_PROTOCOL}://${encodeURIComponent(key)}/{z}/{x}/{y}`;
}

export function basemapStyle(b: BasemapView): { sources: Record<string, SourceSpecification>; layers: LayerSpecification[] } {
  const a = b.archive;
  const common = { tiles: [tileUrl(b.key)], minzoom: a.minzoom, maxzoom: a.maxzoom, ...(a.bounds ? { bounds: a.bounds } : {}) };
  if (a.format !== 'pbf') {
    return {
      sources: { [BASEMAP_SOURCE]: { type: 'raster', tileSize: 256, ...common } },
      layers: [{ id: 'basemap:raster', type: 'raster', source: BASEMAP_SOURCE }],
    };
  }
  const layers = [...a.vectorLayers]
    .sort((x, y) => ORDER.indexOf(basemapKind(x.id)) - ORDER.indexOf(basemapKind(y.id)))
    .flatMap((l) => layersFor(l.id, basemapKind(l.id), a.minzoom));
  return { sources: { [BASEMAP_SOURCE]: { type: 'vector', ...common } }, layers };
}

/** Parses `ekimae-basemap://key/z/x/y`. */
export function parseTileUrl(url: string): { z: number; x: number; y: number } | null {
  const m = /^ekimae-basemap:\/\/[^/]*\/(\d+)\/(\d+)\/(\d+)$/.exec(url);
  return m ? { z: Number(m[1]), x: Number(m[2]), y: Number(m[3]) } : null;
}

/** A 1 × 1 transparent PNG: what a raster basemap shows where its archive has no tile (instead of an error). */
export const EMPTY_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII=';

export function base64ToBytes(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
