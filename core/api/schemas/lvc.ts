/** Land value capture methods: parameters, runs per scenario, stored results, uplift per parcel. */
import { z } from 'zod';
import { LvcParamsSchema } from '../../lvc/params.js';
import { INSTRUMENT_IDS } from '../../lvc/instruments.js';
import { JobIdSchema, LayerNameSchema, PathSchema } from './common.js';
import { DistancesSchema } from './scenario.js';

const num = z.number();
const ParamsOut = z.object({ params: LvcParamsSchema, sources: z.record(z.string(), z.string()), stored: z.boolean() });

const IrrSchema = z.object({ status: z.enum(['unique', 'multiple', 'none']), irr: num.nullable(), roots: z.array(num) });
export const LvcSummarySchema = z.object({
  upliftProximity: num, upliftDevelopment: num, upliftTotal: num, upliftPublic: num, pvCaptured: num, pvCost: num, npv: num,
  irr: IrrSchema, paybackYear: z.number().int().nullable(), shareFinanced: num.nullable(),
  upliftTotalWithinReach: num.optional(), upliftRailway: num.optional(),
  upliftDevelopmentCapacity: num.optional(), upliftBasis: z.enum(['projected', 'capacity']).optional(),
});
const AppraisalSchema = z.object({
  basis: z.enum(['financial', 'economic']), label: z.string(), rate: num, net: z.array(num), npv: num, irr: IrrSchema, paybackYear: z.number().int().nullable(),
});
const InstrumentSchema = z.object({
  id: z.enum(INSTRUMENT_IDS), name: z.string(), enabled: z.boolean(), revenue: z.array(num), cost: z.array(num), pvRevenue: num, capped: z.boolean(), note: z.string().nullable(),
});
const TornadoSchema = z.object({
  baseNpv: num, baseShare: num.nullable(),
  bars: z.array(z.object({ id: z.string(), label: z.string(), low: num, high: num, npvLow: num, npvHigh: num, shareLow: num.nullable(), shareHigh: num.nullable() })),
});
const Interval = z.tuple([num, num]);
const Intervals = z.object({ p10: Interval, p50: Interval, p90: Interval });
const MonteCarloSchema = z.object({
  draws: z.number().int(), seed: z.number().int(), npv: z.object({ p10: num, p50: num, p90: num, mean: num }),
  share: z.object({ p10: num, p50: num, p90: num }).nullable(), probabilityNpvPositive: num,
  /** 95 % sampling-error interval of each percentile from the draws alone (sensitivity.ts percentileInterval); absent on runs stored before it. */
  ci95: z.object({ npv: Intervals, share: Intervals.nullable() }).optional(),
  /** The stop rule when the draws could stop before the most allowed (sensitivity.ts McStop); absent: a fixed number of draws. */
  stop: z.object({ tolerance: num, minDraws: z.number().int(), every: z.number().int(), maxDraws: z.number().int(), converged: z.boolean() }).optional(),
});
export const LvcRunSchema = z.object({
  runId: z.number().int().nullable(),
  createdAt: z.string().optional(),
  scenario: z.object({ id: z.string(), version: z.number().int(), name: z.string() }),
  baseline: z.string(), baseEntitlement: z.string(), parcelLayer: z.string(), distanceSource: z.string(),
  params: LvcParamsSchema, sources: z.record(z.string(), z.string()),
  result: z.object({
    years: z.array(z.number().int()), instruments: z.array(InstrumentSchema), costs: z.array(num), captured: z.array(num), net: z.array(num),
    summary: LvcSummarySchema, pools: z.record(z.string(), num), tornado: TornadoSchema, monteCarlo: MonteCarloSchema, warnings: z.array(z.string()),
    /** How development was timed: the projected take-up (issue #12) or the absorption curve. */
    timing: z.string().optional(),
    // Runs stored before these existed lack them.
    baseYear: z.number().int().optional(), instrumentCosts: z.array(num).optional(), discountFactors: z.array(num).optional(),
    financial: AppraisalSchema.optional(), economic: AppraisalSchema.optional(),
  }),
});

export const LVC_METHODS = {
  'lvc.params': {
    description: 'The project\'s land value capture parameters (stored, or the country defaults), each with its source.',
    input: z.object({}).strict(),
    output: ParamsOut,
  },
  'lvc.setParams': {
    description: 'Store the project\'s land value capture parameters (premium curve, prices, costs, instruments, phasing, station cost).',
    input: z.object({ params: LvcParamsSchema, sources: z.record(z.string(), z.string().max(2000)).optional() }).strict(),
    output: ParamsOut,
  },
  'lvc.run': {
    description: 'Land value capture for a scenario: uplift per parcel, instrument cash flows, NPV, IRR, payback, share of station cost financed, tornado and Monte Carlo.',
    input: z.object({
      scenario: z.string().min(1).max(100),
      params: LvcParamsSchema.optional(),
      /** At least one: the Monte Carlo's percentiles of no draws are not numbers. The most draws when `tolerance` > 0. */
      draws: z.number().int().min(1).max(20_000).optional(),
      /**
       * Stop the draws once every percentile's 95 % sampling interval lies within ± this share of it
       * (checked at 200 draws and every 100 after; sensitivity.ts MC_STOP). Default 0.01; 0: take exactly `draws`.
       */
      tolerance: z.number().min(0).max(0.5).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      baseline: z.string().min(1).max(100).optional(),
      baseEntitlement: z.string().min(1).max(100).optional(),
      parcelLayer: LayerNameSchema.optional(),
      distances: DistancesSchema.optional(),
      store: z.boolean().optional(),
      jobId: JobIdSchema,
    }).strict(),
    output: LvcRunSchema,
    long: true,
  },
  'lvc.results': {
    description: 'The latest stored land value capture run of each scenario (or of one).',
    input: z.object({ scenario: z.string().min(1).max(100).optional() }).strict(),
    output: z.array(LvcRunSchema),
  },
  'lvc.exportCashflow': {
    description: 'Write a run\'s cash-flow table by instrument and calendar year (revenue, cost, station cost, net, discount factors; financial and economic) with every parameter, as CSV (flows + <name>.parameters.csv) or .xlsx.',
    input: z.object({
      runId: z.number().int().min(1).optional(), scenario: z.string().min(1).max(100).optional(),
      format: z.enum(['csv', 'xlsx']), path: PathSchema, overwrite: z.boolean().optional(),
    }).strict(),
    output: z.object({ runId: z.number().int(), paths: z.array(z.string()), rows: z.number().int(), npvFinancial: num, npvEconomic: num }),
  },
  'lvc.legalBasis': {
    description: 'Which capture instruments exist in law in the project\'s country, who collects them and on what basis (defaults are on only where a basis exists).',
    input: z.object({ country: z.string().min(2).max(3).optional() }).strict(),
    output: z.object({ country: z.string(), instruments: z.array(z.object({ id: z.enum(INSTRUMENT_IDS), inLaw: z.union([z.boolean(), z.literal('partial')]), defaultOn: z.boolean(), collector: z.string(), basis: z.string() })) }),
  },
  'lvc.parcels': {
    description: 'Uplift per parcel of a stored run: proximity and development parts (for maps).',
    input: z.object({ runId: z.number().int().min(1) }).strict(),
    output: z.array(z.object({ fid: z.number().int(), proximity: num, development: num })),
    bulk: true,
  },
} as const;
