/**
 * KML 2.2 and KMZ import: Placemarks (Point, LineString, Polygon, MultiGeometry) with name,
 * description, ExtendedData and SchemaData as attributes; one layer per top-level Folder.
 * Remote content (NetworkLink) is never fetched; DOCTYPE is refused, so no entity expansion happens.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { EkimaeError } from '../errors.js';
import { familyOf, type Geometry, type GeometryFamily } from '../geo/geometry.js';
import { typeTextColumn } from './csv.js';
import type { RawFeature, RawLayer } from './normalize.js';
import { decodeUtf8Strict, looksBinary, type SourceFile } from './source.js';
import type { FieldDef, ImportIssue, ImportOptions } from './types.js';

type Node = Record<string, unknown>;
type Format = 'kml' | 'kmz';

/** Larger than any planning KML; a zip claiming more is a zip bomb or not a KMZ. */
export const MAX_KML_BYTES = 512 * 1024 * 1024;

const ARRAYS = new Set([
  'Document', 'Folder', 'Placemark', 'Point', 'LineString', 'Polygon', 'LinearRing', 'MultiGeometry',
  'innerBoundaryIs', 'Data', 'SchemaData', 'SimpleData', 'NetworkLink', 'Track', 'coord',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => ARRAYS.has(name),
});

const kids = (n: unknown, tag: string): Node[] => ((n as Node | undefined)?.[tag] as Node[] | undefined) ?? [];

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const t = (v as Node)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(v);
}

function coords(n: unknown): number[][] {
  const s = text((n as Node | undefined)?.coordinates) ?? '';
  // Some writers put a space after the commas inside a tuple.
  return s.trim().replace(/\s*,\s*/g, ',').split(/\s+/).filter(Boolean).map((t) => t.split(',').map(Number));
}

/** Every simple geometry of a Placemark, MultiGeometry flattened. */
function geometries(n: Node, out: Geometry[] = []): Geometry[] {
  for (const p of kids(n, 'Point')) out.push({ type: 'Point', coordinates: (coords(p)[0] ?? []) as never });
  for (const l of kids(n, 'LineString')) out.push({ type: 'LineString', coordinates: coords(l) as never });
  for (const p of kids(n, 'Polygon')) {
    const outer = kids(p.outerBoundaryIs, 'LinearRing')[0];
    const holes = kids(p, 'innerBoundaryIs').flatMap((b) => kids(b, 'LinearRing'));
    out.push({ type: 'Polygon', coordinates: [coords(outer), ...holes.map(coords)] as never });
  }
  // gx:Track (GPS traces): one "lon lat alt" per gx:coord.
  for (const t of kids(n, 'Track')) out.push({ type: 'LineString', coordinates: ((t.coord as unknown[] | undefined) ?? []).map((c) => (text(c) ?? '').trim().split(/\s+/).map(Number)) as never });
  for (const m of kids(n, 'MultiGeometry')) geometries(m, out);
  for (const m of kids(n, 'MultiTrack')) geometries(m, out);
  return out;
}

/** One feature per geometry family: same family becomes Multi*, mixed families are split for normalizeLayer to judge. */
function placemarkGeometries(pm: Node): unknown[] {
  const gs = geometries(pm);
  if (gs.length <= 1) return [gs[0] ?? null];
  const fams = new Map<GeometryFamily, Geometry[]>();
  for (const g of gs) { const f = familyOf(g.type); fams.set(f, [...(fams.get(f) ?? []), g]); }
  return [...fams].map(([fam, list]) => {
    if (list.length === 1) return list[0];
    const type = fam === 'point' ? 'MultiPoint' : fam === 'line' ? 'MultiLineString' : 'MultiPolygon';
    return { type, coordinates: list.map((g) => g.coordinates) };
  });
}

function attributes(pm: Node): Record<string, string | null> {
  const props: Record<string, string | null> = { name: text(pm.name), description: text(pm.description) };
  const ext = pm.ExtendedData as Node | undefined;
  for (const d of kids(ext, 'Data')) {
    const key = d['@_name'];
    if (typeof key === 'string' && key) props[key] = text(d.value);
  }
  for (const sd of kids(ext, 'SchemaData')) {
    for (const s of kids(sd, 'SimpleData')) {
      const key = s['@_name'];
      if (typeof key === 'string' && key) props[key] = text(s);
    }
  }
  return props;
}

function placemarksUnder(container: Node, out: Node[] = []): Node[] {
  out.push(...kids(container, 'Placemark'));
  for (const f of kids(container, 'Folder')) placemarksUnder(f, out);
  for (const d of kids(container, 'Document')) placemarksUnder(d, out);
  return out;
}

function countTags(v: unknown, tags: Set<string>): number {
  if (!v || typeof v !== 'object') return 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + countTags(x, tags), 0);
  let n = 0;
  for (const [k, x] of Object.entries(v as Node)) n += tags.has(k) ? (Array.isArray(x) ? x.length : 1) : countTags(x, tags);
  return n;
}
const OVERLAYS = new Set(['GroundOverlay', 'ScreenOverlay', 'PhotoOverlay']);

function toRawLayer(name: string, placemarks: Node[], file: string, format: Format, encoding: string, sourceLayer?: string): RawLayer {
  const features: RawFeature[] = [];
  const rows: Array<Record<string, string | null>> = [];
  for (const pm of placemarks) {
    const props = attributes(pm);
    for (const g of placemarkGeometries(pm)) { features.push({ geometry: g, properties: {} }); rows.push(props); }
  }
  const names: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  const fields: FieldDef[] = names.map((n) => {
    const col = typeTextColumn(rows.map((r) => r[n]));
    col.values.forEach((v, i) => { features[i].properties![n] = v; });
    return { name: n, type: col.type };
  });
  return { name, features, fields, crs: 'EPSG:4326', source: { file, format, encoding, ...(sourceLayer ? { sourceLayer } : {}) } };
}

/** Parse KML text (already known to be UTF-8) into one layer per top-level folder, or one for the document. */
export function parseKmlText(xml: string, file: string, format: Format, opts: ImportOptions, encoding = 'utf-8'): RawLayer[] {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    throw new EkimaeError('E_FORMAT_INVALID', `${file} declares a DOCTYPE or entities; KML never needs them and Ekimae does not expand them (they can hide attacks)`, { file });
  }
  // The parser forgives unclosed tags; a truncated file must not import as a silently shorter one.
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new EkimaeError('E_FORMAT_INVALID', `${file} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`, { file, line: valid.err.line });
  }
  let doc: Node;
  try { doc = parser.parse(xml) as Node; } catch (e) {
    throw new EkimaeError('E_FORMAT_INVALID', `${file} is not well-formed XML: ${(e as Error).message}`, { file });
  }
  const root = doc.kml as Node | undefined;
  if (!root || typeof root !== 'object') throw new EkimaeError('E_FORMAT_INVALID', `${file} has no <kml> root element`, { file });
  const stem = file.replace(/\.(kml|kmz)$/i, '');
  const containers = [root, ...kids(root, 'Document')];
  const direct = containers.flatMap((c) => kids(c, 'Placemark'));
  const folders = containers.flatMap((c) => kids(c, 'Folder')).map((f, i) => ({ name: text(f.name)?.trim() || `Folder ${i + 1}`, placemarks: placemarksUnder(f) }))
    .filter((f) => f.placemarks.length > 0);
  const links = countTags(root, new Set(['NetworkLink']));
  const overlays = countTags(root, OVERLAYS);
  if (links && !direct.length && !folders.length) {
    throw new EkimaeError('E_NETWORK_LINK', `${file} only links to remote content (${links} NetworkLink); Ekimae never downloads it. Open the link in Google Earth, save the result as KML and import that`, { file });
  }
  let layers: RawLayer[];
  if (!folders.length) layers = [toRawLayer(stem, direct, file, format, encoding)];
  else {
    const used = new Set<string>();
    const unique = (n: string) => { let u = n; for (let k = 2; used.has(u.toLowerCase()); k++) u = `${n} ${k}`; used.add(u.toLowerCase()); return u; };
    layers = [];
    if (direct.length) layers.push(toRawLayer(unique(stem), direct, file, format, encoding));
    for (const f of folders) layers.push(toRawLayer(unique(f.name), f.placemarks, file, format, encoding, f.name));
  }
  if (opts.layers?.length) {
    const want = new Set(opts.layers);
    const chosen = layers.filter((l) => want.has(l.name) || (l.source.sourceLayer !== undefined && want.has(l.source.sourceLayer)));
    if (!chosen.length) throw new EkimaeError('E_LAYER_NOT_FOUND', `${file}: none of ${opts.layers.join(', ')} is a folder here; it has ${layers.map((l) => l.name).join(', ')}`, { file });
    layers = chosen;
  }
  if (!layers.some((l) => l.features.length)) throw new EkimaeError('E_NO_FEATURES', `${file} has no Placemarks`, { file });
  const issues: ImportIssue[] = [];
  if (links) issues.push({ code: 'E_NETWORK_LINK', action: 'flagged', message: `${file}: ${links} NetworkLink(s) to remote content were not fetched; only the Placemarks in the file were imported` });
  if (overlays) issues.push({ code: 'E_GEOMETRY_UNSUPPORTED', action: 'flagged', message: `${file}: ${overlays} image overlay(s) (GroundOverlay, ScreenOverlay, PhotoOverlay) are pictures, not features, and were not imported` });
  if (issues.length) layers[0].issues = issues;
  return layers;
}

/** KML is UTF-8 unless its XML declaration names another encoding (some older tools write windows-1252). */
function decodeKml(bytes: Uint8Array, file: string): { text: string; encoding: string } {
  const declared = /^(?:\ufeff)?<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(Buffer.from(bytes.subarray(0, 200)).toString('latin1'))?.[1];
  if (!declared || /^utf-?8$/i.test(declared)) return { text: decodeUtf8Strict(bytes, file), encoding: 'utf-8' };
  try { return { text: new TextDecoder(declared).decode(bytes), encoding: declared.toLowerCase() }; } catch {
    throw new EkimaeError('E_ENCODING', `${file} declares the text encoding "${declared}", which Ekimae cannot decode`, { file, encoding: declared });
  }
}

export function parseKml(src: SourceFile, opts: ImportOptions): RawLayer[] {
  if (looksBinary(src.bytes)) throw new EkimaeError('E_FORMAT_INVALID', `${src.name} is binary data, not KML text`, { file: src.name });
  const { text: xml, encoding } = decodeKml(src.bytes, src.name);
  return parseKmlText(xml, src.name, 'kml', opts, encoding);
}

/** KMZ: a zip whose doc.kml (or, failing that, first .kml) is the document. */
export function parseKmz(src: SourceFile, opts: ImportOptions): RawLayer[] {
  const file = src.name;
  const entries: Array<{ name: string; size: number }> = [];
  const unzip = (want?: string) => {
    try {
      return unzipSync(src.bytes, { filter: (f) => { if (!want) entries.push({ name: f.name, size: f.originalSize }); return f.name === want; } });
    } catch (e) {
      throw new EkimaeError('E_ZIP_INVALID', `${file} is not a readable zip (damaged or truncated): ${(e as Error).message}`, { file });
    }
  };
  unzip();
  const kml = entries.find((e) => e.name.toLowerCase() === 'doc.kml') ?? entries.find((e) => /\.kml$/i.test(e.name));
  if (!kml) throw new EkimaeError('E_FORMAT_INVALID', `${file} holds no .kml document (found ${entries.slice(0, 10).map((e) => e.name).join(', ') || 'nothing'})`, { file });
  if (kml.size > MAX_KML_BYTES) throw new EkimaeError('E_FILE_TOO_LARGE', `${file}: ${kml.name} unpacks to ${kml.size} bytes (limit ${MAX_KML_BYTES})`, { file });
  const bytes = unzip(kml.name)[kml.name];
  const { text: xml, encoding } = decodeKml(bytes, `${file}/${kml.name}`);
  return parseKmlText(xml, file, 'kmz', opts, encoding);
}
