/**
 * Geometry as Ekimae stores and passes it: GeoJSON-shaped, 2D, lon/lat (EPSG:4326) once imported.
 * Z and M values are dropped at import (the planning engines are 2D; heights live in attributes).
 */
export type Position = [number, number];
export type Point = { type: 'Point'; coordinates: Position };
export type LineString = { type: 'LineString'; coordinates: Position[] };
export type Polygon = { type: 'Polygon'; coordinates: Position[][] };
export type MultiPoint = { type: 'MultiPoint'; coordinates: Position[] };
export type MultiLineString = { type: 'MultiLineString'; coordinates: Position[][] };
export type MultiPolygon = { type: 'MultiPolygon'; coordinates: Position[][][] };
export type Geometry = Point | LineString | Polygon | MultiPoint | MultiLineString | MultiPolygon;
export type GeometryTypeName = Geometry['type'];

/** The GeoPackage geometry type name a layer table declares. */
export type LayerGeometryType =
  | 'POINT' | 'LINESTRING' | 'POLYGON' | 'MULTIPOINT' | 'MULTILINESTRING' | 'MULTIPOLYGON';

export type GeometryFamily = 'point' | 'line' | 'polygon';

export function familyOf(t: GeometryTypeName): GeometryFamily {
  switch (t) {
    case 'Point': case 'MultiPoint': return 'point';
    case 'LineString': case 'MultiLineString': return 'line';
    case 'Polygon': case 'MultiPolygon': return 'polygon';
  }
}

export function familyOfLayerType(t: LayerGeometryType): GeometryFamily {
  return t.endsWith('POINT') ? 'point' : t.endsWith('LINESTRING') ? 'line' : 'polygon';
}

export function layerTypeFor(types: Set<GeometryTypeName>): LayerGeometryType {
  const fams = new Set([...types].map(familyOf));
  if (fams.size !== 1) throw new Error('layerTypeFor: mixed families');
  const fam = [...fams][0];
  const multi = [...types].some((t) => t.startsWith('Multi'));
  if (fam === 'point') return multi ? 'MULTIPOINT' : 'POINT';
  if (fam === 'line') return multi ? 'MULTILINESTRING' : 'LINESTRING';
  return multi ? 'MULTIPOLYGON' : 'POLYGON';
}

/** Promote a single geometry to its Multi form so one table holds one declared type. */
export function toMulti(g: Geometry): Geometry {
  switch (g.type) {
    case 'Point': return { type: 'MultiPoint', coordinates: [g.coordinates] };
    case 'LineString': return { type: 'MultiLineString', coordinates: [g.coordinates] };
    case 'Polygon': return { type: 'MultiPolygon', coordinates: [g.coordinates] };
    default: return g;
  }
}

export type BBox = [minX: number, minY: number, maxX: number, maxY: number];

export function emptyBBox(): BBox {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

export function extendBBox(b: BBox, other: BBox): void {
  if (other[0] < b[0]) b[0] = other[0];
  if (other[1] < b[1]) b[1] = other[1];
  if (other[2] > b[2]) b[2] = other[2];
  if (other[3] > b[3]) b[3] = other[3];
}

export function bboxOf(g: Geometry): BBox {
  const b = emptyBBox();
  forEachPosition(g, (x, y) => {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  });
  return b;
}

export function forEachPosition(g: Geometry, fn: (x: number, y: number) => void): void {
  switch (g.type) {
    case 'Point': fn(g.coordinates[0], g.coordinates[1]); return;
    case 'LineString': case 'MultiPoint': for (const p of g.coordinates) fn(p[0], p[1]); return;
    case 'Polygon': case 'MultiLineString':
      for (const r of g.coordinates) for (const p of r) fn(p[0], p[1]);
      return;
    case 'MultiPolygon':
      for (const poly of g.coordinates) for (const r of poly) for (const p of r) fn(p[0], p[1]);
  }
}

/** Apply fn to every position, returning a new geometry (used for reprojection). */
export function mapPositions(g: Geometry, fn: (p: Position) => Position): Geometry {
  switch (g.type) {
    case 'Point': return { type: 'Point', coordinates: fn(g.coordinates) };
    case 'LineString': return { type: 'LineString', coordinates: g.coordinates.map(fn) };
    case 'MultiPoint': return { type: 'MultiPoint', coordinates: g.coordinates.map(fn) };
    case 'Polygon': return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(fn)) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((r) => r.map(fn)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((pl) => pl.map((r) => r.map(fn))) };
  }
}

/** Shoelace area in the coordinates' own units (signed: positive = counter-clockwise). */
export function ringSignedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    s += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  }
  return s / 2;
}
