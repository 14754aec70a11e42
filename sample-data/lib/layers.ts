/** The layer tables every sample project carries, with the exact field names the engines rely on. */
import type { FieldDef, Feature, LayerData } from '../../core/io/types.js';
import type { LayerGeometryType } from '../../core/geo/geometry.js';

const T = (name: string): FieldDef => ({ name, type: 'TEXT' });
const I = (name: string): FieldDef => ({ name, type: 'INTEGER' });
const R = (name: string): FieldDef => ({ name, type: 'REAL' });

export const LAYER_FIELDS: Record<string, { geometryType: LayerGeometryType; fields: FieldDef[] }> = {
  stations: { geometryType: 'POINT', fields: [T('station_id'), T('name'), T('name_local'), T('line')] },
  entrances: { geometryType: 'POINT', fields: [T('station_id'), T('name')] },
  rail: { geometryType: 'LINESTRING', fields: [T('line'), T('name'), T('status'), T('grade')] },
  network: { geometryType: 'LINESTRING', fields: [T('highway'), T('name'), I('bridge'), I('tunnel'), I('layer'), { name: 'walkable', type: 'BOOLEAN' }] },
  parcels: { geometryType: 'MULTIPOLYGON', fields: [T('parcel_id'), T('land_use'), I('floors'), R('floor_area'), R('land_value'), T('ownership'), T('owner_type'), T('owner_name'), T('station')] },
  buildings: { geometryType: 'MULTIPOLYGON', fields: [T('parcel_id'), I('floors'), R('height'), T('use')] },
  census: { geometryType: 'MULTIPOLYGON', fields: [T('zone_id'), T('name'), T('name_local'), I('population'), I('households'), I('jobs')] },
  development_zones: { geometryType: 'MULTIPOLYGON', fields: [T('name'), T('land_use'), R('far'), R('area_m2'), T('ownership'), T('owner_type')] },
};

export function layerData(name: string, features: Feature[]): LayerData {
  const def = LAYER_FIELDS[name];
  return { name, geometryType: def.geometryType, fields: def.fields, features };
}
