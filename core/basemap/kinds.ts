/**
 * Which drawing a vector basemap's source layer gets, by its name as OpenMapTiles, Protomaps,
 * Shortbread and plain GDAL exports spell it; null = unknown, drawn by geometry type. The renderer's
 * maplibre style (renderer/map/basemap-style.ts) keeps the same table (it may take no values from
 * core/); tests/renderer/basemap-style.test.ts holds the two equal.
 */
export type BasemapKind = 'earth' | 'landcover' | 'park' | 'water' | 'waterway' | 'road' | 'rail' | 'building' | 'boundary';

export const KIND_BY_NAME: Readonly<Record<string, BasemapKind>> = {
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

export function basemapKind(sourceLayer: string): BasemapKind | null {
  return KIND_BY_NAME[sourceLayer.toLowerCase()] ?? null;
}

/** Muted colours: the basemap is context, the plan on top carries the colour. */
export const BASEMAP_COLOURS = {
  earth: '#f2efe9', landcover: '#e3e8da', park: '#d5e6c8', water: '#aacbe6', road: '#ffffff', roadCasing: '#c9c3b8',
  rail: '#9c97a3', building: '#ddd5cb', buildingLine: '#c8bdb0', boundary: '#a08fb0', otherFill: '#e6e1ea', otherLine: '#b3aabd', otherPoint: '#8d8499',
} as const;

/** Drawing order: land under water under roads under buildings; unknown layers between land and water. */
export const KIND_ORDER: ReadonlyArray<BasemapKind | null> = ['earth', 'landcover', 'park', null, 'water', 'waterway', 'boundary', 'road', 'rail', 'building'];
