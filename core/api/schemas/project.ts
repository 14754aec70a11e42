/** Project and layer methods: create/open/save, import, roles, field mapping, features, export. */
import { z } from 'zod';
import { EXPORT_FORMATS } from '../../io/export.js';
import {
  BBoxSchema, FeatureCollectionSchema, ImportIssueSchema, JobIdSchema, LayerNameSchema, LayerRoleSchema, LonLatSchema, PathSchema,
} from './common.js';

export const typed = <T>(ctor: { name: string; prototype: unknown }) => z.custom<T>((v) => v instanceof (ctor as unknown as typeof Object), { message: `expected a ${ctor.name}` });

/** layers.columns (core/store/layer-columns.ts): typed arrays, carried as they are over IPC and as a binary body over HTTP. */
export const LayerColumnsSchema = z.object({
  layer: z.string(),
  count: z.number().int().min(0),
  fids: typed<Int32Array>(Int32Array),
  geometry: z.object({
    origin: z.tuple([z.number(), z.number()]),
    coords: typed<Float32Array>(Float32Array),
    ringStarts: typed<Uint32Array>(Uint32Array),
    partStarts: typed<Uint32Array>(Uint32Array),
    featureStarts: typed<Uint32Array>(Uint32Array),
  }).nullable(),
  columns: z.record(z.string(), z.union([
    z.object({ kind: z.literal('number'), values: typed<Float64Array>(Float64Array) }),
    z.object({ kind: z.literal('boolean'), values: typed<Uint8Array>(Uint8Array) }),
    z.object({ kind: z.literal('text'), codes: typed<Int32Array>(Int32Array), dictionary: z.array(z.string()) }),
  ])),
});

export const SettingsSchema = z.looseObject({
  name: z.string().min(1).max(200),
  country: z.string().max(100).optional(),
  currency: z.string().max(10).optional(),
  priceYear: z.number().int().min(1900).max(2200).optional(),
  client: z.string().max(200).optional(),
  center: LonLatSchema.optional(),
});

export const ProvenanceSchema = z.object({
  sourceFile: z.string(), sourceFormat: z.string(), sourceLayer: z.string().nullable(), sha256: z.string(),
  importedAt: z.string(), crsRead: z.string(), encoding: z.string().nullable(), featuresRead: z.number().int(),
  featuresWritten: z.number().int(), featuresSkipped: z.number().int(), issues: z.array(ImportIssueSchema), note: z.string().nullable(),
});

export const LayerInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  role: LayerRoleSchema,
  geometryType: z.string(),
  count: z.number().int(),
  bbox: BBoxSchema.nullable(),
  fields: z.array(z.object({ name: z.string(), type: z.string(), sourceName: z.string(), personal: z.boolean(), personalReason: z.string().nullable() })),
  fieldMap: z.record(z.string(), z.string()),
  provenance: z.array(ProvenanceSchema),
});

export const ProjectInfoSchema = z.object({
  path: z.string(),
  readOnly: z.boolean(),
  schemaVersion: z.number().int(),
  appVersion: z.string(),
  createdAt: z.string(),
  settings: SettingsSchema,
  layers: z.array(LayerInfoSchema),
  bbox: BBoxSchema.nullable(),
});

export const ImportOptionsSchema = z.object({
  crs: z.string().max(20000).optional(),
  encoding: z.string().max(40).optional(),
  geometryFamily: z.enum(['point', 'line', 'polygon']).optional(),
  lonField: z.string().max(200).optional(),
  latField: z.string().max(200).optional(),
  wktField: z.string().max(200).optional(),
  walkable: z.record(z.string(), z.boolean()).optional(),
  layers: z.array(z.string()).optional(),
}).strict();

export const LayerPreviewSchema = z.object({
  name: z.string(),
  geometryType: z.string(),
  count: z.number().int(),
  read: z.number().int(),
  crs: z.string(),
  encoding: z.string().nullable(),
  bbox: BBoxSchema.nullable(),
  fields: z.array(z.object({ name: z.string(), type: z.string() })),
  suggestedRole: LayerRoleSchema,
  suggestedFieldMap: z.record(z.string(), z.string()),
  personalFields: z.record(z.string(), z.string()),
  issues: z.array(ImportIssueSchema),
});

export const ExportResultSchema = z.object({
  path: z.string(),
  format: z.enum(EXPORT_FORMATS),
  layers: z.array(z.object({ name: z.string(), count: z.number().int() })),
  omittedFields: z.array(z.object({ layer: z.string(), field: z.string(), reason: z.string() })),
  sha256: z.string(),
  bytes: z.number().int(),
});

/** "layer.field" (or "field") names an export or package sends or leaves out by the user's choice. */
export const FieldChoiceSchema = z.array(z.string().min(1).max(300)).max(500);

export const PROJECT_METHODS = {
  'app.version': {
    description: 'Ekimae version, project schema version and the formats this build reads and writes.',
    input: z.object({}).strict(),
    output: z.object({ version: z.string(), schemaVersion: z.number().int(), importFormats: z.array(z.string()), exportFormats: z.array(z.string()) }),
  },
  'project.create': {
    description: 'Create a new project file (GeoPackage) and open it.',
    input: z.object({ path: PathSchema, settings: SettingsSchema }).strict(),
    output: ProjectInfoSchema,
  },
  'project.open': {
    description: 'Open an existing project (read-only for review).',
    input: z.object({ path: PathSchema, readOnly: z.boolean().optional() }).strict(),
    output: ProjectInfoSchema,
  },
  'project.info': {
    description: 'The open project: settings, layers with counts, extents, roles, field mapping and provenance.',
    input: z.object({}).strict(),
    output: ProjectInfoSchema,
  },
  'project.updateSettings': {
    description: 'Change project settings (name, country, currency, price year, client, site centre).',
    input: z.object({ patch: SettingsSchema.partial() }).strict(),
    output: ProjectInfoSchema,
  },
  'project.saveAs': {
    description: 'Write the project to a new file and continue working in it.',
    input: z.object({ path: PathSchema, overwrite: z.boolean().optional() }).strict(),
    output: ProjectInfoSchema,
  },
  'project.close': {
    description: 'Close the open project, leaving one self-contained .gpkg file.',
    input: z.object({}).strict(),
    output: z.object({ closed: z.boolean() }),
  },
  'project.openDatabase': {
    description: 'Open a project shared in PostgreSQL/PostGIS (postgresql://role@host:port/database?schema=name; docs/TEAM.md): a private working copy whose every change is written through. The reported path has the password masked.',
    input: z.object({
      url: z.string().min(1).max(2000).refine((s) => /^postgres(ql)?:\/\//i.test(s.trim()), 'a postgresql:// address'),
      readOnly: z.boolean().optional(),
    }).strict(),
    output: ProjectInfoSchema,
  },
  'project.reload': {
    description: 'A project opened from PostgreSQL/PostGIS: replace the working copy with a fresh one of the database as it is now (colleagues\' saves since it was opened). Every change of this copy is already in the database, so nothing is lost. A file has nothing to reload (E_INPUT_INVALID).',
    input: z.object({}).strict(),
    output: ProjectInfoSchema,
  },
  'layers.preview': {
    description: 'Read a file without importing it: layers, counts, CRS, fields, suggested role and mapping, problems.',
    input: z.object({ path: PathSchema, options: ImportOptionsSchema.optional(), jobId: JobIdSchema }).strict(),
    output: z.object({ format: z.string(), sha256: z.string(), layers: z.array(LayerPreviewSchema) }),
    long: true,
  },
  'layers.import': {
    description: 'Import every layer of a file into the open project (one transaction; on any error nothing changes).',
    input: z.object({
      path: PathSchema, options: ImportOptionsSchema.optional(), role: LayerRoleSchema.optional(),
      name: z.string().min(1).max(60).optional(), title: z.string().max(200).optional(), jobId: JobIdSchema,
    }).strict(),
    output: z.object({ layers: z.array(LayerInfoSchema), issues: z.array(ImportIssueSchema) }),
    long: true,
  },
  'layers.list': {
    description: 'The layers of the open project.',
    input: z.object({}).strict(),
    output: z.array(LayerInfoSchema),
  },
  'layers.remove': {
    description: 'Remove a layer and its metadata from the project.',
    input: z.object({ layer: LayerNameSchema }).strict(),
    output: z.object({ removed: z.string() }),
  },
  'layers.setRole': {
    description: 'Set the role a layer plays (parcels, stations, network, census, …); re-detects field mapping the user has not set.',
    input: z.object({ layer: LayerNameSchema, role: LayerRoleSchema }).strict(),
    output: LayerInfoSchema,
  },
  'layers.setFieldMap': {
    description: 'Say which field holds land use, floor area, population, … (null clears a mapping).',
    input: z.object({ layer: LayerNameSchema, mapping: z.record(z.string().min(1).max(60), z.string().max(200).nullable()) }).strict(),
    output: LayerInfoSchema,
  },
  'layers.setPersonal': {
    description: 'Mark a field as personal (left out of exports and reports) or not.',
    input: z.object({ layer: LayerNameSchema, field: z.string().min(1).max(200), personal: z.boolean() }).strict(),
    output: LayerInfoSchema,
  },
  'layers.features': {
    description: 'Features of a layer as GeoJSON, optionally within a bbox or a page.',
    input: z.object({
      layer: LayerNameSchema, bbox: BBoxSchema.optional(), limit: z.number().int().min(0).max(10_000_000).optional(),
      offset: z.number().int().min(0).optional(), fids: z.array(z.number().int()).max(1_000_000).optional(),
      includePersonal: z.boolean().optional(),
    }).strict(),
    output: FeatureCollectionSchema,
    bulk: true,
  },
  'layers.export': {
    description: 'Export layers to GeoJSON, GeoPackage, CSV or a zipped Shapefile (personal fields left out unless included).',
    input: z.object({
      layers: z.array(LayerNameSchema).min(1), format: z.enum(EXPORT_FORMATS), path: PathSchema,
      includePersonal: z.boolean().optional(), csvGeometry: z.enum(['wkt', 'lonlat']).optional(), overwrite: z.boolean().optional(),
      includeFields: FieldChoiceSchema.optional(), excludeFields: FieldChoiceSchema.optional(),
      jobId: JobIdSchema,
    }).strict(),
    output: ExportResultSchema,
    long: true,
  },
  'jobs.cancel': {
    description: 'Cancel a running job by the jobId given when it started.',
    input: z.object({ jobId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'layers.columns': {
    description: 'A polygon or line layer as typed arrays for the map: fids, coordinates as Float32 offsets from an origin with ring, part and feature start indices, and the asked fields as columns (numbers, booleans, or text codes with a dictionary).',
    input: z.object({
      layer: LayerNameSchema,
      fields: z.array(z.string().min(1).max(200)).max(64).optional(),
      geometry: z.boolean().optional(),
      includePersonal: z.boolean().optional(),
    }).strict(),
    output: LayerColumnsSchema,
    bulk: true,
    binary: true,
  },
} as const;
