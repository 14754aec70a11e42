/** The roles a layer plays in a station-area project, and the semantic fields each role may carry. */
export const LAYER_ROLES = ['parcels', 'stations', 'entrances', 'rail', 'network', 'census', 'buildings', 'zones', 'other'] as const;
export type LayerRole = (typeof LAYER_ROLES)[number];

export const SEMANTIC_FIELDS = {
  parcels: ['parcel_id', 'land_use', 'floor_area', 'far', 'floors', 'land_value', 'ownership', 'owner_name'],
  stations: ['station_id', 'name', 'line'],
  entrances: ['station_id', 'name'],
  rail: ['line', 'name', 'status'],
  network: ['highway', 'name', 'bridge', 'tunnel', 'layer', 'walkable'],
  census: ['zone_id', 'name', 'population', 'households', 'jobs'],
  buildings: ['floors', 'height', 'use'],
  zones: ['name', 'far', 'floors', 'land_use'],
  other: [],
} as const satisfies Record<LayerRole, readonly string[]>;

export type SemanticField = (typeof SEMANTIC_FIELDS)[LayerRole][number];
