/** What importers produce and exporters consume: a layer in EPSG:4326 with typed fields. */
import type { ErrorCode } from '../errors.js';
import type { Geometry, LayerGeometryType } from '../geo/geometry.js';
import type { LayerRole } from '../store/layer-roles.js';

export type FieldType = 'TEXT' | 'INTEGER' | 'REAL' | 'BOOLEAN' | 'DATE' | 'DATETIME';
export interface FieldDef {
  name: string;
  type: FieldType;
}
export type Value = string | number | boolean | null;
export type Properties = Record<string, Value>;

export interface Feature {
  /** GeoPackage feature id when read from a project; absent on import. */
  fid?: number;
  geometry: Geometry | null;
  properties: Properties;
}

export interface LayerData {
  name: string;
  geometryType: LayerGeometryType;
  fields: FieldDef[];
  features: Feature[];
}

/** A problem with one feature (or the file) that did not stop the import. */
export interface ImportIssue {
  /** 0-based index of the feature in the source, when the issue is about one feature. */
  feature?: number;
  code: ErrorCode;
  message: string;
  action: 'skipped' | 'repaired' | 'flagged';
}

export interface SourceInfo {
  file: string;
  format: 'geojson' | 'shapefile' | 'geopackage' | 'kml' | 'kmz' | 'csv' | 'osm-xml' | 'osm-pbf' | 'gtfs' | 'ekimae';
  /** The CRS as the file declared it (or as assumed, said so in issues). */
  crs: string;
  encoding?: string;
  /** The layer's name inside a multi-layer source (GeoPackage table, KML folder). */
  sourceLayer?: string;
}

export interface ImportedLayer extends LayerData {
  source: SourceInfo;
  /** Features found in the source, before any were skipped. */
  read: number;
  issues: ImportIssue[];
  /** The role the importer knows the layer plays (a GTFS feed's stations, entrances, rail lines). */
  role?: LayerRole;
  /** Provenance note the importer adds (a GTFS feed's agency, reference day, peak hour, attribution). */
  note?: string;
}

export interface ImportOptions {
  /** Override or supply the CRS (EPSG code, PROJ string or WKT) when the file has none or the wrong one. */
  crs?: string;
  /** Text encoding of attribute data when the file does not say (e.g. 'windows-874' for Thai DBFs). */
  encoding?: string;
  /** For files mixing geometry families: which one to keep (others are skipped with a reason). */
  geometryFamily?: 'point' | 'line' | 'polygon';
  /** CSV: names of the longitude/latitude or WKT columns, when not detected. */
  lonField?: string;
  latField?: string;
  wktField?: string;
  /** OSM: override the walkable highway table (tag value -> walkable). */
  walkable?: Record<string, boolean>;
  /** Only these source layers of a multi-layer file (GeoPackage tables, KML folders). */
  layers?: string[];
}
