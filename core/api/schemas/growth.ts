/** Growth methods: the project's growth settings and projected take-up of scenarios by horizon year. */
import { z } from 'zod';
import { GrowthSettingsSchema } from '../../growth/settings.js';
import { JobIdSchema, LayerNameSchema } from './common.js';
import { typed } from './project.js';
import { DistancesSchema } from './scenario.js';
import { ScenarioDefSchema } from '../../scenario/model.js';

const num = z.number();
export const FiguresSchema = z.object({
  residents: num, jobs: num, dwellings: num, floorAreaM2: num, residentialM2: num, nonResidentialM2: num, officeM2: num, openSpaceM2: num,
  boardings: num, waterM3PerDay: num, powerMWhPerYear: num, parcelsBuilt: num,
});
export const HorizonFiguresSchema = FiguresSchema.extend({
  year: num, unmetResidents: num, unmetJobs: num, builtResidentialM2: num, builtNonResidentialM2: num, ceilingResidentialM2: num,
  ceilingNonResidentialM2: num, programmeDueM2: num, programmeShortM2: num,
});
export const TakeUpSummarySchema = z.object({
  parcelLayer: z.string(), baseYear: num, base: FiguresSchema, horizons: z.array(HorizonFiguresSchema), capacity: FiguresSchema,
  stations: z.array(z.object({ station: z.string(), base: FiguresSchema, horizons: z.array(FiguresSchema.extend({ year: num })), capacity: FiguresSchema })),
  viableParcels: num, areas: z.array(z.object({ station: z.string().nullable(), parcels: num })), warnings: z.array(z.string()), plausibility: z.array(z.string()),
  ridership: z.object({
    complexes: z.array(z.object({ complex: z.string(), stations: z.array(z.string()), service: z.enum(['hsr', 'metro']), base: num, horizons: z.array(num), capacity: num.nullable(), method: z.string() })),
    totals: z.array(num), check: z.string().nullable(),
  }).nullable(),
});
const BandFiguresSchema = z.object({ floorAreaM2: num, residents: num, jobs: num });
const GrowthTableSchema = z.object({ stored: z.boolean(), settings: GrowthSettingsSchema });
const ScenarioRefSchema = z.string().min(1).max(60);

export const GROWTH_METHODS = {
  'growth.get': {
    description: 'The project\'s growth settings (horizon years, control totals, absorption ceilings, market figures for the redevelopment test, public-land programme) with sources; the country\'s defaults until set.',
    input: z.object({}).strict(),
    output: GrowthTableSchema,
  },
  'growth.set': {
    description: 'Store the project\'s growth settings (replaces them whole; validated: horizons rise after the base year, one area per station).',
    input: z.object({ settings: z.unknown() }).strict(),
    output: GrowthTableSchema,
  },
  'growth.takeUp': {
    description: 'Projected take-up of saved scenarios by horizon year, with their capacity (what the rules allow) beside it; stores each run (store false: only report).',
    input: z.object({
      ids: z.array(ScenarioRefSchema).min(1).max(20),
      parcelLayer: LayerNameSchema.optional(),
      distances: DistancesSchema.optional(),
      store: z.boolean().optional(),
      jobId: JobIdSchema,
    }).strict(),
    output: z.object({
      settings: GrowthSettingsSchema,
      scenarios: z.array(z.object({ id: z.string(), version: z.number().int(), name: z.string(), takeUp: TakeUpSummarySchema, evalMs: num })),
    }),
    long: true,
  },
  'growth.results': {
    description: 'Stored take-up runs (latest per scenario version and parcel layer), optionally of one scenario.',
    input: z.object({ id: ScenarioRefSchema.optional() }).strict(),
    output: z.array(z.object({ runId: num, scenarioId: z.string(), version: num, parcelLayer: z.string(), createdAt: z.string(), summary: TakeUpSummarySchema })),
  },
  'growth.parcels': {
    description: 'Per-parcel projection of a saved scenario (or an unsaved definition) at each horizon year, with capacity as the last column: FAR per parcel as one Float32Array (column-major: [horizon 0 … horizon H-1, capacity] × parcels; a binary body over HTTP) beside the fids (Float64Array), and floor area, residents and jobs per distance band. Shares from the stored take-up when it is current, else computed (not stored).',
    input: z.object({
      id: ScenarioRefSchema.optional(),
      scenario: ScenarioDefSchema.optional(),
      parcelLayer: LayerNameSchema.optional(),
      distances: DistancesSchema.optional(),
      jobId: JobIdSchema,
    }).strict().refine((i) => (i.id === undefined) !== (i.scenario === undefined), 'give either id (a saved scenario) or scenario (a definition), not both'),
    output: z.object({
      scenarioId: z.string().nullable(), version: z.number().int().nullable(), name: z.string(), parcelLayer: z.string(), source: z.string(),
      baseYear: num, horizons: z.array(num), n: z.number().int(),
      /** Column labels: the horizon years, then 'capacity'. */
      columns: z.array(z.union([num, z.literal('capacity')])),
      fids: typed<Float64Array>(Float64Array), far: typed<Float32Array>(Float32Array),
      bands: z.array(z.object({ band: z.string(), horizons: z.array(BandFiguresSchema), capacity: BandFiguresSchema })),
      total: z.object({ horizons: z.array(BandFiguresSchema), capacity: BandFiguresSchema }),
    }),
    long: true,
    bulk: true,
    binary: true,
  },
} as const;
