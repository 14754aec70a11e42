/**
 * ESRI Shapefile import (a loose .shp with its siblings, or a .zip holding one or several) and
 * export (one layer as a zip of .shp/.shx/.dbf/.prj/.cpg plus a provenance note).
 * Geometry: shp.ts; attributes and their encoding: dbf.ts; checks and reprojection: normalize.ts.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { EkimaeError } from '../errors.js';
import { resolveCrs, WGS84_ESRI_PRJ } from '../geo/crs.js';
import { familyOf, type GeometryFamily } from '../geo/geometry.js';
import { fieldDefs, readDbf, writeDbf } from './dbf.js';
import type { RawFeature, RawLayer } from './normalize.js';
import { baseType, readShape, readShpHeader, readShx, shapeName, walkShp, writeShp, type ShpEntry } from './shp.js';
import { MAX_FILE_BYTES, type SourceFile } from './source.js';
import type { ImportIssue, ImportOptions, LayerData } from './types.js';

const PART_EXTS = new Set(['shp', 'shx', 'dbf', 'prj', 'cpg']);
const FAMILY: Record<number, GeometryFamily | undefined> = { 1: 'point', 8: 'point', 3: 'line', 5: 'polygon' };

interface ShapefileParts {
  /** Layer name: the .shp's stem. */
  name: string;
  /** As shown to the user: the .shp name, or zip:member for zipped ones. */
  file: string;
  get(ext: string): Uint8Array | null;
}

function isZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);
}

function splitName(path: string): { stem: string; ext: string } {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? { stem: base, ext: '' } : { stem: base.slice(0, dot), ext: base.slice(dot + 1).toLowerCase() };
}

function zipParts(src: SourceFile): ShapefileParts[] {
  let members: Record<string, Uint8Array>;
  const tooBig: string[] = [];
  try {
    members = unzipSync(src.bytes, {
      filter: (f) => {
        const { stem, ext } = splitName(f.name);
        if (!PART_EXTS.has(ext) || f.name.startsWith('__MACOSX/') || stem.startsWith('._')) return false;
        if (f.originalSize > MAX_FILE_BYTES) { tooBig.push(f.name); return false; }
        return true;
      },
    });
  } catch (e) {
    throw new EkimaeError('E_ZIP_INVALID', `${src.name} is a damaged or truncated zip archive (${(e as Error).message}); download or copy it again`, { file: src.name });
  }
  if (tooBig.length) throw new EkimaeError('E_FILE_TOO_LARGE', `${src.name}: ${tooBig[0]} unpacks to more than 2 GiB; split the layer`, { file: src.name });
  const byStem = new Map<string, Map<string, Uint8Array>>();
  const shps: string[] = [];
  for (const [path, bytes] of Object.entries(members)) {
    const ext = splitName(path).ext;
    const key = path.slice(0, path.length - ext.length - 1).toLowerCase();
    if (!byStem.has(key)) byStem.set(key, new Map());
    byStem.get(key)!.set(ext, bytes);
    if (ext === 'shp') shps.push(path);
  }
  if (!shps.length) {
    const found = Object.keys(members);
    if (found.length) {
      throw new EkimaeError('E_SHP_PART_MISSING', `${src.name} holds ${found.slice(0, 5).join(', ')} but no .shp (the geometry part of a shapefile)`, { file: src.name, part: 'shp' });
    }
    throw new EkimaeError('E_FORMAT_INVALID', `${src.name} holds no shapefile (no .shp inside)`, { file: src.name });
  }
  const used = new Set<string>();
  return shps.sort().map((path) => {
    const parts = byStem.get(path.slice(0, -4).toLowerCase())!;
    let name = splitName(path).stem;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${splitName(path).stem}_${k}`;
    used.add(name.toLowerCase());
    return { name, file: `${src.name}:${path}`, get: (ext: string) => parts.get(ext) ?? null };
  });
}

function looseParts(src: SourceFile): ShapefileParts {
  const { stem, ext } = splitName(src.name);
  if (ext === 'dbf') {
    // The user picked the attribute table; read the shapefile it belongs to when it is there.
    const shp = src.sibling('shp');
    if (!shp) throw new EkimaeError('E_SHP_PART_MISSING', `${src.name} is only the attribute table of a shapefile; ${stem}.shp is not beside it`, { file: src.name, part: 'shp' });
    return { name: stem, file: `${stem}.shp`, get: (e) => (e === 'shp' ? shp : src.sibling(e)) };
  }
  return { name: stem, file: src.name, get: (e) => (e === 'shp' ? src.bytes : src.sibling(e)) };
}

function prjText(parts: ShapefileParts, opts: ImportOptions): string | undefined {
  const prj = parts.get('prj');
  if (!prj) return undefined;
  const text = new TextDecoder('utf-8').decode(prj).replace(/^\uFEFF/, '').trim();
  if (!text) return undefined;
  // Resolve now (unless the user overrides it) so an unreadable .prj is reported against this file.
  if (opts.crs === undefined) {
    try {
      resolveCrs(text);
    } catch (e) {
      if (!(e instanceof EkimaeError)) throw e;
      throw new EkimaeError(e.code, `${parts.file}: its .prj cannot be used (${e.message}); give the CRS in the import options`, { ...e.details, file: parts.file });
    }
  }
  return text;
}

function readLayer(parts: ShapefileParts, opts: ImportOptions): RawLayer {
  const file = parts.file;
  const shp = parts.get('shp')!;
  const dbfBytes = parts.get('dbf');
  if (!dbfBytes) {
    throw new EkimaeError('E_SHP_PART_MISSING', `${file}: the .dbf (attribute table) is missing; a shapefile is the .shp, .shx and .dbf together`, { file, part: 'dbf' });
  }
  const header = readShpHeader(shp, file);
  const issues: ImportIssue[] = [];
  const shx = parts.get('shx');
  let entries: ShpEntry[];
  if (shx) entries = readShx(shx, file);
  else {
    entries = walkShp(shp, header, file);
    issues.push({ code: 'E_SHP_PART_MISSING', action: 'repaired', message: `${file}: the .shx index is missing; rebuilt it by reading the ${entries.length} records in order` });
  }
  const crs = prjText(parts, opts);
  const dbf = readDbf(dbfBytes, file, parts.get('cpg'), opts.encoding);
  issues.push(...dbf.issues);
  let count = entries.length;
  if (dbf.records.length !== entries.length) {
    count = Math.min(entries.length, dbf.records.length);
    issues.push({
      code: 'E_FORMAT_INVALID', action: 'skipped',
      message: `${file}: the .shp has ${entries.length} shapes but the .dbf ${dbf.records.length} records; only the first ${count} pairs were read`,
    });
  }
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const headerFamily = FAMILY[baseType(header.shapeType) ?? 0];
  const features: RawFeature[] = [];
  for (let i = 0; i < count; i++) {
    const props = dbf.records[i];
    const skip = (code: ImportIssue['code'], why: string) => {
      issues.push({ feature: i, code, action: 'skipped', message: `${file}, feature ${i + 1}: ${why}` });
      features.push({ geometry: null, properties: props ?? {} });
    };
    if (props === null) { skip('E_RECORD_DELETED', 'the record is marked deleted in the .dbf; left out'); continue; }
    const { offset, length } = entries[i];
    if (offset < 100 || offset + 8 > header.length) { skip('E_FORMAT_INVALID', `the index points to byte ${offset}, outside the .shp`); continue; }
    const declared = dv.getInt32(offset + 4, false) * 2;
    if (length < 4 || offset + 8 + length > header.length) {
      skip('E_FORMAT_INVALID', `the index gives the record ${length} bytes, but ${header.length - offset - 8} bytes are left in the .shp`);
      continue;
    }
    const shape = readShape(shp, offset + 8, length);
    if ('error' in shape) { skip('E_FORMAT_INVALID', `unreadable shape: ${shape.error}`); continue; }
    // Like GDAL, trust the index when the record header disagrees but the shape reads cleanly.
    if (declared !== length) {
      issues.push({ feature: i, code: 'E_FORMAT_INVALID', action: 'flagged', message: `${file}, feature ${i + 1}: the record header says ${declared} bytes, the .shx ${length}; read with the .shx length` });
    }
    const g = shape.geometry;
    // The format allows one shape type per file; normalize decides what a mixed layer means.
    if (g && headerFamily && headerFamily !== familyOf(g.type)) {
      const recordType = dv.getInt32(offset + 8, true);
      issues.push({ feature: i, code: 'E_GEOMETRY_MIXED', action: 'flagged', message: `${file}, feature ${i + 1}: a ${shapeName(recordType)} in a file whose header declares ${shapeName(header.shapeType)}` });
    }
    features.push({ geometry: g, properties: props });
  }
  return {
    name: parts.name, features, fields: fieldDefs(dbf), crs, issues,
    source: { file, format: 'shapefile', encoding: dbf.encoding, sourceLayer: parts.name },
  };
}

/** Read a .shp (siblings beside it), a .dbf whose .shp is beside it, or a .zip of shapefiles. */
export function parseShapefile(src: SourceFile, opts: ImportOptions = {}): RawLayer[] {
  let sets = isZip(src.bytes) ? zipParts(src) : [looseParts(src)];
  if (opts.layers?.length) {
    const missing = opts.layers.filter((l) => !sets.some((s) => s.name === l));
    if (missing.length) throw new EkimaeError('E_LAYER_NOT_FOUND', `${src.name} has no layer ${missing.join(', ')}; it has ${sets.map((s) => s.name).join(', ')}`, { file: src.name });
    sets = sets.filter((s) => opts.layers!.includes(s.name));
  }
  return sets.map((s) => readLayer(s, opts));
}

/** DOS zip times and dBase dates start in 1980/1900; an export stamped earlier gets 1980-01-01. */
function stampOf(meta: Record<string, unknown>): Date {
  const d = new Date(typeof meta.exportedAt === 'string' ? meta.exportedAt : NaN);
  return Number.isFinite(d.getTime()) && d.getUTCFullYear() >= 1980 && d.getUTCFullYear() < 2100 ? d : new Date(Date.UTC(1980, 0, 1));
}

/** Provenance lists at most this many changed values (plus their total), so the note stays readable. */
const MAX_LISTED_CHANGES = 1000;

/** One layer as a zip: <name>.shp/.shx/.dbf/.prj/.cpg (UTF-8, EPSG:4326) and <name>.provenance.json. */
export function writeShapefileZip(layer: LayerData, meta: Record<string, unknown>): Uint8Array {
  const base = layer.name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_') || 'layer';
  const stamp = stampOf(meta);
  const { shp, shx, bbox } = writeShp(layer.features.map((f) => f.geometry), layer.geometryType);
  const dbf = writeDbf(layer.fields, layer.features.map((f) => f.properties), stamp);
  const provenance = {
    ...meta,
    shapefile: {
      layer: layer.name,
      files: ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((e) => `${base}.${e}`),
      crs: 'EPSG:4326', encoding: 'UTF-8', features: layer.features.length, bbox,
      fields: dbf.columns,
      renamedFields: Object.fromEntries(dbf.columns.filter((c) => c.dbf !== c.field).map((c) => [c.field, c.dbf])),
      changedValueCount: dbf.changes.length,
      changedValues: dbf.changes.slice(0, MAX_LISTED_CHANGES),
    },
  };
  const enc = new TextEncoder();
  const files: Zippable = {
    [`${base}.shp`]: shp,
    [`${base}.shx`]: shx,
    [`${base}.dbf`]: dbf.bytes,
    [`${base}.prj`]: enc.encode(WGS84_ESRI_PRJ),
    [`${base}.cpg`]: enc.encode('UTF-8'),
    [`${base}.provenance.json`]: enc.encode(`${JSON.stringify(provenance, null, 2)}\n`),
  };
  return zipSync(files, { mtime: stamp, level: 6 });
}
