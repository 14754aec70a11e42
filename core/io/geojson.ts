/** GeoJSON (RFC 7946) import, with the legacy 2008 `crs` member honoured; GeoJSON export. */
import { EkimaeError } from '../api/errors.js';
import type { RawFeature, RawLayer } from './normalize.js';
import { decodeUtf8Strict, looksBinary, type SourceFile } from './source.js';
import type { LayerData } from './types.js';

/** Deeper than any real GeoJSON (MultiPolygon coordinates are 4 deep, plus feature and properties). */
export const MAX_JSON_DEPTH = 32;

/** Nesting depth of JSON text, found by a byte scan before parsing (so JSON.parse never recurses wildly). */
export function jsonDepth(text: string): number {
  let depth = 0, max = 0, inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inStr) {
      if (c === 92) i++; // backslash escape
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 91 || c === 123) { if (++depth > max) max = depth; }
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

function crsOf(doc: Record<string, unknown>, file: string): string | undefined {
  const crs = doc.crs as { type?: string; properties?: Record<string, unknown> } | undefined | null;
  if (!crs) return undefined;
  if (crs.type === 'name' && typeof crs.properties?.name === 'string') return crs.properties.name;
  if (crs.type === 'EPSG' && crs.properties?.code !== undefined) return `EPSG:${crs.properties.code}`;
  if (crs.type === 'link' || crs.type === 'url') {
    throw new EkimaeError('E_CRS_UNKNOWN', `${file}: the crs member links to a remote definition; give the CRS as an EPSG code instead`, { file });
  }
  throw new EkimaeError('E_CRS_UNKNOWN', `${file}: cannot read its crs member ${JSON.stringify(crs).slice(0, 100)}`, { file });
}

export function parseGeoJson(src: SourceFile): RawLayer[] {
  if (looksBinary(src.bytes)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is binary data, not GeoJSON text`, { file: src.name });
  const text = decodeUtf8Strict(src.bytes, src.name);
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new EkimaeError('E_TOO_DEEP', `${src.name} nests ${depth} levels deep (limit ${MAX_JSON_DEPTH}); it is not GeoJSON a GIS would write`, { file: src.name, depth });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is not valid JSON: ${(e as Error).message}`, { file: src.name });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: GeoJSON must be an object with a "type"`, { file: src.name });
  const d = doc as Record<string, unknown>;
  const crs = crsOf(d, src.name);
  let features: RawFeature[];
  switch (d.type) {
    case 'FeatureCollection': {
      if (!Array.isArray(d.features)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: FeatureCollection has no "features" array`, { file: src.name });
      features = (d.features as unknown[]).map((f) => toRaw(f));
      break;
    }
    case 'Feature': features = [toRaw(d)]; break;
    case 'GeometryCollection':
      features = Array.isArray(d.geometries) ? (d.geometries as unknown[]).map((g) => ({ geometry: g, properties: {} })) : [];
      break;
    case 'Point': case 'MultiPoint': case 'LineString': case 'MultiLineString': case 'Polygon': case 'MultiPolygon':
      features = [{ geometry: d, properties: {} }];
      break;
    default:
      throw new EkimaeError('E_FORMAT_INVALID', `${src.name}: "${String(d.type).slice(0, 40)}" is not a GeoJSON type`, { file: src.name });
  }
  const name = src.name.replace(/\.(geo)?json$/i, '');
  return [{ name, features, crs, source: { file: src.name, format: 'geojson', encoding: 'utf-8' } }];
}

function toRaw(f: unknown): RawFeature {
  if (!f || typeof f !== 'object') return { geometry: undefined, properties: {} };
  const o = f as Record<string, unknown>;
  const props = o.properties && typeof o.properties === 'object' && !Array.isArray(o.properties) ? (o.properties as Record<string, unknown>) : {};
  return { geometry: o.type === 'Feature' ? o.geometry : undefined, properties: props, id: o.id };
}

/** RFC 7946 FeatureCollection text; coordinates as stored (full double precision). */
export function toGeoJson(layer: LayerData, meta?: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const f of layer.features) {
    parts.push(JSON.stringify({ type: 'Feature', ...(f.fid !== undefined ? { id: f.fid } : {}), geometry: f.geometry, properties: f.properties }));
  }
  const head = JSON.stringify({ type: 'FeatureCollection', name: layer.name, ...(meta ? { ekimae: meta } : {}) }).slice(0, -1);
  return `${head},"features":[\n${parts.join(',\n')}\n]}\n`;
}
