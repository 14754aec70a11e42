/**
 * Exports a council can open without Ekimae. Every export is traceable (which project, when,
 * from which source files by sha256) and leaves personal fields out unless asked explicitly.
 * Files are written beside the target and renamed into place: a failed export leaves nothing half-written.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import { storageError } from '../store/storage-errors.js';
import { APP_VERSION, type Project } from '../store/project.js';
import { writeGeoPackage } from './geopackage.js';
import { toGeoJson } from './geojson.js';
import { writeShapefileZip } from './shapefile.js';
import { toCsv } from './csv.js';
import type { LayerData } from './types.js';
import { fieldDecisions, requireDecided, type FieldChoice } from './field-choice.js';

export const EXPORT_FORMATS = ['geojson', 'gpkg', 'csv', 'shapefile'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest extends FieldChoice {
  layers: string[];
  format: ExportFormat;
  path: string;
  /** Personal fields (owner names, ID numbers) are left out unless this is true. */
  includePersonal?: boolean;
  /** CSV only: geometry as a WKT column (default) or lon/lat columns (points only). */
  csvGeometry?: 'wkt' | 'lonlat';
  overwrite?: boolean;
}

export interface ExportResult {
  path: string;
  format: ExportFormat;
  layers: Array<{ name: string; count: number }>;
  omittedFields: Array<{ layer: string; field: string; reason: string }>;
  sha256: string;
  bytes: number;
}

export type ExportMeta = Record<string, unknown>;
/** A file's bytes, or bytes plus sidecar files written beside it as `<stem><suffix>` (CSV has no metadata slot). */
export type WriterOutput = Uint8Array | string | { main: Uint8Array | string; sidecars: Record<string, Uint8Array | string> };
type BytesWriter = (layer: LayerData, meta: ExportMeta, req: ExportRequest) => WriterOutput;

/** Single-layer writers; GeoPackage (one or many layers) is handled below. One line per format module. */
const WRITERS: Partial<Record<Exclude<ExportFormat, 'gpkg'>, BytesWriter>> = {
  geojson: (layer, meta) => toGeoJson(layer, meta),
  shapefile: writeShapefileZip,
  csv: toCsv,
};

export function exportLayers(project: Project, req: ExportRequest): ExportResult {
  if (!req.layers.length) throw new EkimaeError('E_INPUT_INVALID', 'name at least one layer to export');
  if (req.format !== 'gpkg' && req.layers.length > 1) {
    throw new EkimaeError('E_INPUT_INVALID', `${req.format} holds one layer per file; export layers one at a time or use gpkg`);
  }
  if (existsSync(req.path) && !req.overwrite) throw new EkimaeError('E_PROJECT_EXISTS', `${req.path} already exists`, { path: req.path });
  const omitted: ExportResult['omittedFields'] = [];
  const datas: LayerData[] = [];
  const provenance: Array<Record<string, unknown>> = [];
  const infos = req.layers.map((name) => project.layer(name));
  requireDecided(infos, req);
  for (const info of infos) {
    const name = info.name;
    const decided = fieldDecisions(info, req).drop;
    const drop = new Set(decided.map((d) => d.field));
    omitted.push(...decided);
    const fields = project.fieldsOf(name).filter((f) => !drop.has(f.name));
    // A dropped field is not even read (reports read the same way: report/build.ts).
    const features = project.readFeatures(name, drop.size ? { fields: fields.map((f) => f.name) } : {});
    datas.push({ name, geometryType: info.geometryType as LayerData['geometryType'], fields, features });
    provenance.push({ layer: name, role: info.role, sources: info.provenance.map((p) => ({ file: p.sourceFile, sha256: p.sha256, importedAt: p.importedAt, crs: p.crsRead })) });
  }
  const meta: ExportMeta = {
    exportedBy: `Ekimae ${APP_VERSION}`,
    exportedAt: nowIso(),
    project: basename(project.path),
    projectName: project.settings().name ?? null,
    layers: provenance,
    omittedFields: omitted,
  };
  const tmp = `${req.path}.part`;
  rmSync(tmp, { force: true });
  const sidecars = new Map<string, string>();
  try {
    if (req.format === 'gpkg') writeGeoPackage(tmp, datas, meta);
    else {
      const w = WRITERS[req.format];
      if (!w) throw new EkimaeError('E_FORMAT_UNKNOWN', `${req.format} export is not available in this build`);
      const out = w(datas[0], meta, req);
      const parts = typeof out === 'string' || out instanceof Uint8Array ? { main: out, sidecars: {} } : out;
      for (const [suffix, data] of Object.entries(parts.sidecars)) {
        sidecars.set(`${tmp}${suffix}`, req.path.replace(/(\.[^./\\]*)?$/, suffix));
        writeFileSync(`${tmp}${suffix}`, data);
      }
      writeFileSync(tmp, parts.main);
    }
    for (const [from, to] of sidecars) renameSync(from, to);
    renameSync(tmp, req.path);
  } catch (e) {
    rmSync(tmp, { force: true });
    for (const from of sidecars.keys()) rmSync(from, { force: true });
    if (e instanceof EkimaeError) throw e;
    throw storageError(e, req.path, true) ?? new EkimaeError('E_EXPORT_FAILED', `cannot write ${req.path}: ${(e as Error).message}`, { path: req.path });
  }
  const bytes = readFileSync(req.path);
  return {
    path: req.path, format: req.format, layers: datas.map((d) => ({ name: d.name, count: d.features.length })),
    omittedFields: omitted, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length,
  };
}
