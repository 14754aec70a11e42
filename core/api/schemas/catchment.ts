/** Walk catchment methods: run (long job), stored results, per-parcel distances. */
import { z } from 'zod';
import { JobIdSchema, LayerNameSchema } from './common.js';
import { LayerColumnsSchema, typed } from './project.js';

const Band = z.number().positive().max(100_000);

export const BandSummarySchema = z.object({
  stationId: z.string(), stationName: z.string().nullable(), bandM: z.number(), nodes: z.number().int(), networkM: z.number(),
  areaM2: z.number(), circleM2: z.number(), pedshed: z.number(), parcels: z.number().int(),
  popAreal: z.number().nullable(), jobsAreal: z.number().nullable(), popDasy: z.number().nullable(), jobsDasy: z.number().nullable(),
});

export const SnapSchema = z.object({
  station: z.string(), entrance: z.number().int(), lon: z.number(), lat: z.number(), snappedLon: z.number(), snappedLat: z.number(),
  snapM: z.number(), component: z.number().int(),
});

export const IslandSchema = z.object({
  id: z.number().int(), nodes: z.number().int(), edges: z.number().int(), lengthM: z.number(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]), name: z.string(),
});

export const GraphSummarySchema = z.object({ nodes: z.number().int(), edges: z.number().int(), components: z.number().int(), islands: z.array(IslandSchema) });

export const RunResultSchema = z.object({
  runId: z.number().int(), createdAt: z.string(), networkLayer: z.string(), stationsLayer: z.string(), parcelsLayer: z.string().nullable(),
  censusLayer: z.string().nullable(), snap: z.enum(['node', 'edge']), cutoffM: z.number(),
  params: z.looseObject({ bandsM: z.array(z.number()), speedMPerMin: z.number(), cellM: z.number(), bufferM: z.number() }),
  snaps: z.array(SnapSchema), graph: GraphSummarySchema, warnings: z.array(z.string()), bands: z.array(BandSummarySchema),
});

export const CATCHMENT_METHODS = {
  'catchment.run': {
    description: 'Walk catchments of the stations (entrances snapped onto the walk network) in distance bands: polygons, pedshed ratio, parcels, population and jobs; stored in the project.',
    input: z.object({
      network: LayerNameSchema.optional(), stations: LayerNameSchema.optional(), entrances: LayerNameSchema.optional(),
      parcels: LayerNameSchema.optional(), census: LayerNameSchema.optional(), snap: z.enum(['node', 'edge']).optional(),
      bandsM: z.array(Band).min(1).max(10).optional(), bandsMin: z.array(z.number().positive().max(1000)).min(1).max(10).optional(),
      speedMPerMin: z.number().min(10).max(300).optional(), cellM: z.number().min(1).max(100).optional(), bufferM: z.number().min(0).max(500).optional(),
      nonWalkable: z.array(z.string().min(1).max(60)).max(100).optional(), splitCrossings: z.boolean().optional(), jobId: JobIdSchema,
    }).strict().refine((i) => !(i.bandsM && i.bandsMin), 'give bands in metres or in minutes, not both'),
    output: RunResultSchema.extend({ cachedGraph: z.boolean() }),
    long: true,
  },
  'catchment.results': {
    description: 'A stored catchment run (the latest when runId is left out): parameters, snaps, islands, warnings, per-station band summaries.',
    input: z.object({ runId: z.number().int().positive().optional() }).strict(),
    output: RunResultSchema,
  },
  'catchment.parcels': {
    description: 'Walking distance, nearest station and band of each parcel in a stored run (null distance = not reached within the largest band).',
    input: z.object({ runId: z.number().int().positive().optional(), offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1_000_000).optional() }).strict(),
    output: z.object({
      runId: z.number().int(),
      parcels: z.array(z.object({ parcelFid: z.number().int(), stationId: z.string().nullable(), distM: z.number().nullable(), accessM: z.number().nullable(), bandM: z.number().nullable() })),
    }),
    bulk: true,
  },
  'catchment.columns': {
    description: 'A stored catchment run (the latest when runId is left out) as typed arrays for the map: per parcel (ascending fid) its walking distance and access leg (Float32 metres, NaN = unreached), band (index into bandsM, 255 = unreached) and nearest station (codes into a dictionary); with streets, the reached street pieces as a line layer in layers.columns\' shape.',
    input: z.object({ runId: z.number().int().positive().optional(), streets: z.boolean().optional() }).strict(),
    output: z.object({
      runId: z.number().int(),
      parcelsLayer: z.string().nullable(),
      bandsM: z.array(z.number()).max(254),
      parcels: z.object({
        count: z.number().int().min(0),
        fids: typed<Int32Array>(Int32Array),
        distM: typed<Float32Array>(Float32Array),
        accessM: typed<Float32Array>(Float32Array),
        band: typed<Uint8Array>(Uint8Array),
        station: z.object({ kind: z.literal('text'), codes: typed<Int32Array>(Int32Array), dictionary: z.array(z.string()) }),
      }),
      streets: LayerColumnsSchema.nullable(),
    }),
    bulk: true,
    binary: true,
  },
} as const;
