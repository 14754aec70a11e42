/** Density scenario methods: scenarios (versioned), assumptions, evaluation, comparison. */
import { z } from 'zod';
import { AssumptionEntrySchema, ASSUMPTION_KEY_LIST, COUNTRIES, type AssumptionKey } from '../../scenario/assumptions.js';
import { COMPARE_METRICS } from '../../scenario/compare.js';
import { CHANGE_LANGS } from '../../scenario/change-words.js';
import { ScenarioDefSchema } from '../../scenario/model.js';
import { FLOOR_USES } from '../../scenario/vocabulary.js';
import { JobIdSchema, LayerNameSchema } from './common.js';
import { typed } from './project.js';

const ScenarioIdSchema = z.string().min(1).max(60).regex(/^[a-z0-9][a-z0-9-]*$/, 'scenario ids are lower-case letters, digits and dashes');
const num = z.number();
const numOrNull = z.number().nullable();

export const StoredScenarioSchema = z.object({
  id: z.string(), version: z.number().int(), name: z.string(), note: z.string().nullable(), createdAt: z.string(),
  versions: z.array(z.number().int()), definition: ScenarioDefSchema,
});

export const IndicatorsSchema = z.object({
  parcels: num, redevelopedParcels: num, invalidParcels: num, areaHa: num, netAreaHa: num, floorAreaM2: num, permittedFloorAreaM2: num,
  floorAreaByUseM2: z.object(Object.fromEntries(FLOOR_USES.map((u) => [u, num])) as Record<(typeof FLOOR_USES)[number], typeof num>),
  dwellings: num, residents: num, jobs: num, residentsPerHaGross: numOrNull, residentsPerHaNet: numOrNull, jobsPerHaGross: numOrNull,
  jobsPerHaNet: numOrNull, activityPerHaGross: numOrNull, achievedFar: numOrNull, jobsHousingRatio: numOrNull, landUseMix: numOrNull,
  residentialShare: numOrNull, openSpaceM2: num, openSpacePerResidentM2: numOrNull, dailyTrips: num, dailyBoardings: num,
  waterM3PerDay: num, powerMWhPerYear: num, parkingSpaces: num,
});

export const IndicatorSetSchema = z.object({
  total: IndicatorsSchema,
  catchment: IndicatorsSchema,
  bands: z.array(z.object({ band: z.string(), fromM: numOrNull, toM: numOrNull, indicators: IndicatorsSchema })),
  stations: z.array(z.object({ station: z.string(), indicators: IndicatorsSchema })),
  itdp: z.array(z.object({ metric: z.string(), standard: z.string(), value: numOrNull, threshold: z.string(), meets: z.boolean().nullable() })),
});

const DeltaSchema = z.object({ value: numOrNull, baseline: numOrNull, delta: numOrNull, pct: numOrNull });
const DeltasSchema = z.record(z.string(), DeltaSchema);

/** Where walking distances come from. Default: the latest stored catchment run for the parcel layer. */
export const DistancesSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('catchment') }).strict(),
  z.object({
    kind: z.literal('explicit'),
    fids: z.array(z.number().int()).max(5_000_000),
    distM: z.array(z.number().min(0).nullable()).max(5_000_000),
    station: z.array(z.string().max(200).nullable()).max(5_000_000).optional(),
    source: z.string().max(200).optional(),
  }).strict(),
  z.object({ kind: z.literal('crowFlies'), stationsLayer: LayerNameSchema, detourFactor: z.number().min(1).max(3).default(1.3) }).strict(),
]);

const FlagCountsSchema = z.object({
  invalidArea: num, excluded: num, overridden: num, unreached: num, publicLand: num, floorAreaEstimated: num, landUseUnknown: num, zoned: num,
});

const StoredResultSchema = z.object({
  resultId: z.number().int(), scenarioId: z.string(), version: z.number().int(), parcelLayer: z.string(), distanceSource: z.string(), evaluatedAt: z.string(),
});

export const EvaluationOutputSchema = z.object({
  scenarioId: z.string().nullable(),
  version: z.number().int().nullable(),
  name: z.string(),
  parcelLayer: z.string(),
  distanceSource: z.string(),
  indicators: IndicatorSetSchema,
  changeVsExisting: DeltasSchema.nullable(),
  flags: FlagCountsSchema,
  warnings: z.array(z.string()),
  evalMs: num,
  stored: StoredResultSchema.nullable(),
  parcels: z.object({
    fids: z.array(num), band: z.array(z.string()), redeveloped: z.array(z.boolean()), flags: z.array(num), floorArea: z.array(num),
    permitted: z.array(num), dwellings: z.array(num), residents: z.array(num), jobs: z.array(num), boardings: z.array(num),
  }).optional(),
  /** With parcelColumns: per parcel (layer order) its fid and the scenario's FAR, as typed arrays (core/scenario/columns.ts). */
  columns: z.object({
    count: z.number().int().min(0),
    fids: typed<Int32Array>(Int32Array),
    far: typed<Float32Array>(Float32Array),
  }).optional(),
});

const AssumptionTableSchema = z.object({
  country: z.enum(COUNTRIES),
  stored: z.boolean(),
  entries: z.array(AssumptionEntrySchema.extend({ label: z.string() })),
});

const EvalCommon = {
  parcelLayer: LayerNameSchema.optional(),
  distances: DistancesSchema.optional(),
  jobId: JobIdSchema,
};

const CountsSchema = z.object({ residents: num, dwellings: numOrNull, jobs: numOrNull });

export const CalibrationSchema = z.object({
  censusLayer: z.string(), parcelLayer: z.string(), calibratedOn: z.string(), method: z.string(), stored: z.boolean(),
  target: CountsSchema, before: CountsSchema, after: CountsSchema, afterZones: z.object({ residents: num, jobs: numOrNull }),
  assumptions: z.array(z.object({ key: z.enum(ASSUMPTION_KEY_LIST as [AssumptionKey, ...AssumptionKey[]]), before: num, after: num, source: z.string() })),
  zones: z.array(z.object({
    fid: num, zoneId: z.string(), name: z.string().nullable(), coveredShare: num, parcels: num,
    census: z.object({ population: num, households: numOrNull, jobs: numOrNull }),
    target: CountsSchema, before: CountsSchema, after: CountsSchema,
    residual: z.object({ residents: num, residentsPct: numOrNull, jobs: numOrNull, jobsPct: numOrNull }),
    factor: z.object({ residents: num, jobs: num }), zoneAfter: z.object({ residents: num, jobs: numOrNull }),
  })),
  zonesOutside: z.array(z.string()),
  parcelsOutsideZones: num,
  warnings: z.array(z.string()),
});

export const SCENARIO_METHODS = {
  'scenario.list': {
    description: 'The scenarios of the open project (latest version of each, with its version numbers).',
    input: z.object({}).strict(),
    output: z.array(StoredScenarioSchema),
  },
  'scenario.get': {
    description: 'One scenario: its latest or a given version.',
    input: z.object({ id: ScenarioIdSchema, version: z.number().int().min(1).optional() }).strict(),
    output: StoredScenarioSchema,
  },
  'scenario.history': {
    description: 'Every saved version of one scenario, newest first: when it was saved, its note, what changed from the version before (in words, in `lang`: English by default), and, in a shared database project, the database role that saved it.',
    input: z.object({ id: ScenarioIdSchema, lang: z.enum(CHANGE_LANGS).optional() }).strict(),
    output: z.object({
      id: z.string(), name: z.string(),
      /** database: savedBy/savedAt are the database's (its role and clock); file: a file does not record who saved. */
      authors: z.enum(['database', 'file']),
      versions: z.array(z.object({
        version: z.number().int(), name: z.string(), note: z.string().nullable(), createdAt: z.string(),
        savedBy: z.string().nullable(), savedAt: z.string().nullable(),
        /** null for the first version; empty when the definition is the same as the version before. In the language asked for. */
        changes: z.array(z.string()).nullable(),
      })),
      warnings: z.array(z.string()),
    }),
  },
  'scenario.save': {
    description: 'Save a scenario as a new version (or a new scenario when no id is given); earlier versions stay.',
    input: z.object({ id: ScenarioIdSchema.optional(), scenario: ScenarioDefSchema, note: z.string().max(2000).optional() }).strict(),
    output: StoredScenarioSchema,
  },
  'scenario.copy': {
    description: 'Copy a scenario (a version of it) under a new name.',
    input: z.object({ id: ScenarioIdSchema, version: z.number().int().min(1).optional(), name: z.string().min(1).max(120) }).strict(),
    output: StoredScenarioSchema,
  },
  'scenario.delete': {
    description: 'Delete a scenario with all its versions and stored results.',
    input: z.object({ id: ScenarioIdSchema }).strict(),
    output: z.object({ deleted: z.string(), versions: z.number().int() }),
  },
  'scenario.defaults': {
    description: 'Add the default scenarios (Existing, Trend, TOD moderate, TOD intensive) the project lacks.',
    input: z.object({}).strict(),
    output: z.object({ added: z.array(z.string()), scenarios: z.array(StoredScenarioSchema) }),
  },
  'scenario.evaluate': {
    description: 'Evaluate a stored scenario (or an unsaved definition) on the parcels: per-parcel floor area, dwellings, residents, jobs and every indicator per band and station; with parcelColumns, each parcel\'s fid and FAR as typed arrays for the map (a binary body over HTTP).',
    input: z.object({
      id: ScenarioIdSchema.optional(),
      version: z.number().int().min(1).optional(),
      scenario: ScenarioDefSchema.optional(),
      /** Store the result in the project (default: true for a stored scenario, impossible for an unsaved one). */
      store: z.boolean().optional(),
      /** Every per-parcel figure as JSON arrays (for scripts and tests; ten values a parcel). */
      includeParcels: z.boolean().optional(),
      /** Per parcel its fid and FAR as typed arrays (what the map draws; 8 bytes a parcel, binary over HTTP). */
      parcelColumns: z.boolean().optional(),
      ...EvalCommon,
    }).strict().refine((i) => (i.id === undefined) !== (i.scenario === undefined), 'give either id (a stored scenario) or scenario (a definition), not both'),
    output: EvaluationOutputSchema,
    long: true,
    bulk: true,
    binary: true,
  },
  'scenario.compare': {
    description: 'Evaluate several scenarios and set them side by side with their change against a baseline (default Existing).',
    input: z.object({
      /** Scenario ids (latest version) or {id, version} to compare versions of one scenario. */
      ids: z.array(z.union([ScenarioIdSchema, z.object({ id: ScenarioIdSchema, version: z.number().int().min(1) }).strict()])).min(1).max(50),
      baseline: ScenarioIdSchema.optional(),
      store: z.boolean().optional(),
      ...EvalCommon,
    }).strict(),
    output: z.object({
      baseline: z.string(),
      distanceSource: z.string(),
      parcelLayer: z.string(),
      metrics: z.array(z.object({ key: z.enum(COMPARE_METRICS.map((m) => m[0]) as [string, ...string[]]), label: z.string(), unit: z.string() })),
      scenarios: z.array(z.object({
        id: z.string(), version: z.number().int(), name: z.string(), indicators: IndicatorSetSchema,
        vsBaseline: z.object({
          total: DeltasSchema,
          bands: z.array(z.object({ band: z.string(), deltas: DeltasSchema })),
          stations: z.array(z.object({ station: z.string(), deltas: DeltasSchema })),
        }),
      })),
      warnings: z.array(z.string()),
    }),
    long: true,
  },
  'scenario.calibrate': {
    description: 'Calibrate the base year: solve the existing stock\'s dwelling size, persons per household and floor area per job so the Existing scenario reproduces the census zones inside the site; stores them as assumptions with their provenance (store false: only report).',
    input: z.object({
      censusLayer: LayerNameSchema.optional(),
      parcelLayer: LayerNameSchema.optional(),
      /** Gaps between parcels narrower than twice this (streets, rail, rivers) count as site when measuring a zone's covered share. */
      gapM: z.number().min(5).max(1000).optional(),
      /** Grid cell (m) on which covered shares are measured; finer for small sites. */
      cellM: z.number().min(0.5).max(100).optional(),
      store: z.boolean().optional(),
      jobId: JobIdSchema,
    }).strict(),
    output: CalibrationSchema,
    long: true,
  },
  'scenario.results': {
    description: 'Stored evaluation results (indicators) of one or every scenario.',
    input: z.object({ id: ScenarioIdSchema.optional() }).strict(),
    output: z.array(StoredResultSchema.extend({ indicators: IndicatorSetSchema })),
  },
  'assumptions.get': {
    description: 'The planning assumptions of the project (or its country defaults), each with unit and source.',
    input: z.object({}).strict(),
    output: AssumptionTableSchema,
  },
  'assumptions.set': {
    description: 'Change assumptions (each with its source); with country, first reset to that country\'s defaults (TH, IN, JP).',
    input: z.object({
      country: z.enum(COUNTRIES).optional(),
      entries: z.array(z.object({
        key: z.enum(ASSUMPTION_KEY_LIST as [AssumptionKey, ...AssumptionKey[]]), value: z.number().min(0).max(1e6),
        source: z.string().min(1).max(2000), unit: z.string().max(200).optional(),
      }).strict()).max(200).optional(),
    }).strict(),
    output: AssumptionTableSchema,
  },
} as const;
