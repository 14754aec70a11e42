/**
 * The layer roles and their semantic fields, as the UI lists them. Mirrors core/store/layer-roles.ts
 * (the renderer may not import core values); tests/renderer checks the two stay equal.
 */
import type { LayerRole } from './types.js';

export const LAYER_ROLE_LIST: readonly LayerRole[] = ['parcels', 'stations', 'entrances', 'rail', 'network', 'census', 'buildings', 'zones', 'other'];

export const SEMANTIC_BY_ROLE: Record<LayerRole, readonly string[]> = {
  parcels: ['parcel_id', 'land_use', 'floor_area', 'far', 'floors', 'land_value', 'ownership', 'owner_name'],
  stations: ['station_id', 'name', 'line'],
  entrances: ['station_id', 'name'],
  rail: ['line', 'name', 'status'],
  network: ['highway', 'name', 'bridge', 'tunnel', 'layer', 'walkable'],
  census: ['zone_id', 'name', 'population', 'households', 'jobs'],
  buildings: ['floors', 'height', 'use'],
  zones: ['name', 'far', 'floors', 'land_use'],
  other: [],
};
