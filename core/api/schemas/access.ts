/** Accessibility methods: residents and jobs within walk bands of every network node and parcel (run, summary, values for the map). */
import { z } from 'zod';
import { JobIdSchema, LayerNameSchema } from './common.js';
import { typed } from './project.js';

const Quantity = z.enum(['residents', 'jobs']);

export const AccessSummarySchema = z.object({
  runId: z.number().int(), createdAt: z.string(), networkLayer: z.string(), parcelsLayer: z.string(), censusLayer: z.string().nullable(),
  bandsM: z.array(z.number()), nodes: z.number().int(), edges: z.number().int(), parcels: z.number().int(), parcelsOnNetwork: z.number().int(),
  totals: z.object({ residents: z.number(), jobs: z.number() }), meanReachedNodes: z.number(),
  stats: z.array(z.object({
    bandM: z.number(), quantity: Quantity, parcelMean: z.number(), parcelMedian: z.number(), parcelMax: z.number(), nodeMean: z.number(), nodeMax: z.number(),
  })),
  warnings: z.array(z.string()),
});

export const ACCESS_METHODS = {
  'access.run': {
    description: 'Residents and jobs within each walk band of every network node and every parcel (parcels snapped to their nearest node); stored in the project.',
    input: z.object({
      network: LayerNameSchema.optional(), parcels: LayerNameSchema.optional(), census: LayerNameSchema.optional(),
      bandsM: z.array(z.number().positive().max(100_000)).min(1).max(10).optional(),
      nonWalkable: z.array(z.string().min(1).max(60)).max(100).optional(), splitCrossings: z.boolean().optional(), jobId: JobIdSchema,
    }).strict(),
    output: AccessSummarySchema.extend({ cachedGraph: z.boolean() }),
    long: true,
  },
  'access.results': {
    description: 'The summary of an accessibility run (the latest when no runId is given).',
    input: z.object({ runId: z.number().int().positive().optional() }).strict(),
    output: AccessSummarySchema,
  },
  'access.values': {
    description: 'One quantity in one band of an accessibility run, per parcel (feature id) or per network node (with lon/lat), for map colouring: Float64 typed arrays (a binary body over HTTP).',
    input: z.object({ runId: z.number().int().positive().optional(), of: z.enum(['parcels', 'nodes']), quantity: Quantity, bandM: z.number().positive() }).strict(),
    output: z.object({
      runId: z.number().int(), bandM: z.number(), quantity: Quantity, ids: typed<Float64Array>(Float64Array), values: typed<Float64Array>(Float64Array), lonLat: typed<Float64Array>(Float64Array).optional(),
    }),
    bulk: true,
    binary: true,
  },
} as const;
