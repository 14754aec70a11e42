/** Schemas shared by several capabilities. */
import { z } from 'zod';
import { ERROR_CODES } from '../../errors.js';
import { LAYER_ROLES } from '../../store/layer-roles.js';

export const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export const LonLatSchema = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...Array<keyof typeof ERROR_CODES>]);
export const LayerRoleSchema = z.enum(LAYER_ROLES);
/** A path on the machine running the core; non-empty, no NUL (which would truncate it in C). */
export const PathSchema = z.string().min(1).max(4096).refine((s) => !s.includes('\u0000'), 'path must not contain NUL');
export const LayerNameSchema = z.string().min(1).max(200);
export const JobIdSchema = z.string().min(1).max(100).optional();

export const PositionSchema = z.tuple([z.number(), z.number()]);
export const GeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: PositionSchema }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(PositionSchema) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(PositionSchema)) }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(PositionSchema) }),
  z.object({ type: z.literal('MultiLineString'), coordinates: z.array(z.array(PositionSchema)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(PositionSchema))) }),
]);
export const ValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const FeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.number().optional(),
  geometry: GeometrySchema.nullable(),
  properties: z.record(z.string(), ValueSchema),
});
export const FeatureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(FeatureSchema),
});

export const ImportIssueSchema = z.object({
  feature: z.number().int().optional(),
  code: ErrorCodeSchema,
  message: z.string(),
  action: z.enum(['skipped', 'repaired', 'flagged']),
});
