/**
 * Growth settings: the horizon years a plan is judged at, the demand (control totals of residents
 * and jobs) that drives take-up in each market area, the market ceiling (absorption per year), the
 * residual-value test's market figures and the public-land programme. Stored per project
 * (ekimae_settings key "growth"); until then the defaults of the project's country apply. Every
 * figure carries its source, and the report prints them.
 */
import { z } from 'zod';
import { EkimaeError } from '../errors.js';

const year = z.number().int().min(1900).max(2200);
const perYear = z.number().min(0).max(1e9);

export const DemandSeriesSchema = z.object({
  /** Compound growth per year from the base-year figure (0.01 = 1 %/yr). */
  rate: z.number().min(-0.1).max(0.2).optional(),
  /**
   * Or control totals by calendar year for the market area (linear between points, flat beyond). The
   * table's growth relative to its value at the base year is applied to the modelled base-year
   * figure, so a table for a whole district still says how fast the station area grows.
   */
  table: z.array(z.object({ year, value: z.number().min(0).max(1e9) }).strict()).min(1).max(50).optional(),
}).strict().refine((s) => (s.rate === undefined) !== (s.table === undefined), 'give either rate or table');

export const MarketAreaSchema = z.object({
  /** A station name (parcels whose nearest station it is), or null for every parcel no other area claims. */
  station: z.string().min(1).max(200).nullable(),
  residents: DemandSeriesSchema,
  jobs: DemandSeriesSchema,
  /** Market ceiling: floor area the market absorbs per year in this area. */
  absorption: z.object({ residentialM2PerYear: perYear, nonResidentialM2PerYear: perYear }).strict(),
  /**
   * Vacant land beyond this walk distance (or not reached at all) is agricultural or outside the
   * urban area and stays so unless a scenario rezones it (`rezonesAgricultural`); null = all vacant
   * land in the area is urban.
   */
  urbanEdgeM: z.number().min(0).max(100_000).nullable().default(null),
  /** High-speed rail: the population the station serves by feeder (its city), for the intercity ridership model. */
  servedPopulation: z.number().min(0).max(1e9).nullable().default(null),
  source: z.string().max(2000).default(''),
}).strict();

export const ProgrammeEntrySchema = z.object({
  /** Name of a feature in the zones layer (its `name` field). */
  zone: z.string().min(1).max(200),
  fromYear: year,
  toYear: year,
  /** Share of the zone's permitted floor area built over [fromYear, toYear] (evenly per year). */
  share: z.number().min(0).max(1).default(1),
}).strict().refine((e) => e.toYear >= e.fromYear, 'toYear must not be before fromYear');

export const MarketSchema = z.object({
  /** New-build sale value per m² of floor area without the station, by use. */
  saleValuePerM2: z.object({ residential: perYear, commercial: perYear, office: perYear }).strict(),
  constructionCostPerM2: z.object({ residential: perYear, commercial: perYear, office: perYear, civic: perYear }).strict(),
  demolitionCostPerM2: perYear,
  /** Developer's profit and risk as a share of gross development value. */
  developerMargin: z.number().min(0).max(0.9),
  /** A landowner sells only above existing use value × (1 + premium) ("EUV plus"). */
  landownerPremium: z.number().min(0).max(5),
  /** Value of a standing building per m² as a share of the construction cost of its use (depreciation). */
  existingBuildingShare: z.number().min(0).max(1),
  /** Station proximity premium on sale values: [walk m, premium] points, linear between, 0 beyond the last. */
  premiumCurve: z.array(z.tuple([z.number().min(0), z.number().min(0).max(10)])).min(1).max(20),
  /**
   * What a developer pays the authority per m² of floor area above the base entitlement (premium /
   * chargeable FSI: the land value capture's developmentRights price × the share bought), deducted
   * from the residual in the redevelopment test; absent or 0 = no charge. Per station in stationValues.
   */
  premiumFsiChargePerM2: perYear.optional(),
  /**
   * Sale values, construction costs and land prices by station and walking-distance band, each with
   * its source (as the land value capture's stationValues): a parcel takes its nearest station's band;
   * beyond the last band, unreached, or near a station not listed it takes the figures above.
   * landValuePerM2 fills only parcels whose land value is missing.
   */
  stationValues: z.array(z.object({
    station: z.string().min(1).max(200),
    bands: z.array(z.object({
      maxDistM: z.number().gt(0).max(20_000),
      saleValuePerM2: z.object({ residential: perYear, commercial: perYear, office: perYear }).partial().strict().optional(),
      constructionCostPerM2: z.object({ residential: perYear, commercial: perYear, office: perYear, civic: perYear }).partial().strict().optional(),
      landValuePerM2: perYear.optional(),
      premiumFsiChargePerM2: perYear.optional(),
    }).strict()).min(1).max(20),
    source: z.string().max(2000).default(''),
  }).strict()).max(500).default([]),
}).strict();

export const GrowthSettingsSchema = z.object({
  baseYear: year,
  horizons: z.array(year).min(1).max(6),
  areas: z.array(MarketAreaSchema).min(1).max(500),
  market: MarketSchema,
  /** The zones layer the programme names (role zones), and its phased programme on public land. */
  programmeLayer: z.string().min(1).max(200).nullable().default(null),
  programme: z.array(ProgrammeEntrySchema).max(200).default([]),
  /**
   * Where the programme's floor area is absorbed: 'ceiling' = within the absorption ceiling of the
   * market areas that hold its zones (it competes with the market there); 'additional' = a public
   * programme draws its buyers and tenants from the metropolitan market, so the floor area it has due
   * in each period is added to those areas' ceilings (only in scenarios that build it).
   */
  programmeAbsorption: z.enum(['ceiling', 'additional']).default('ceiling'),
  ridership: z.object({
    /** Intercity (HSR) boardings per day per resident of the population a station serves. */
    hsrBoardingsPerServedResidentDay: z.number().min(0).max(1).default(0.0014),
    /** A published forecast the modelled total is checked against. */
    published: z.object({ year, boardings: z.number().min(0).max(1e8), source: z.string().max(1000) }).strict().nullable().default(null),
  }).strict().default({ hsrBoardingsPerServedResidentDay: 0.0014, published: null }),
  sources: z.record(z.string(), z.string().max(4000)).default({}),
}).strict();

export type GrowthSettings = z.output<typeof GrowthSettingsSchema>;
export type GrowthSettingsInput = z.input<typeof GrowthSettingsSchema>;
export type MarketArea = z.output<typeof MarketAreaSchema>;
export type DemandSeries = z.output<typeof DemandSeriesSchema>;

/** Parse and check what zod cannot: horizons ascending after the base year, one catch-all area at most. */
export function validateGrowth(input: unknown): GrowthSettings {
  const r = GrowthSettingsSchema.safeParse(input);
  if (!r.success) throw new EkimaeError('E_INPUT_INVALID', `growth settings: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const g = r.data;
  let prev = g.baseYear;
  for (const h of g.horizons) {
    if (!(h > prev)) throw new EkimaeError('E_INPUT_INVALID', `growth settings: horizon years must rise after the base year ${g.baseYear} (got ${g.horizons.join(', ')})`);
    prev = h;
  }
  for (const s of g.market.stationValues) {
    for (let b = 1; b < s.bands.length; b++) if (!(s.bands[b].maxDistM > s.bands[b - 1].maxDistM)) {
      throw new EkimaeError('E_INPUT_INVALID', `growth settings: market.stationValues "${s.station}": band distances must increase`);
    }
  }
  const names = new Set<string>();
  for (const a of g.areas) {
    const k = a.station ?? '\u0000';
    if (names.has(k)) throw new EkimaeError('E_INPUT_INVALID', `growth settings: market area ${a.station === null ? '(rest of the site)' : `"${a.station}"`} is given twice`);
    names.add(k);
  }
  return g;
}

function tableAt(t: Array<{ year: number; value: number }>, y: number): number {
  if (y <= t[0].year) return t[0].value;
  for (let k = 1; k < t.length; k++) {
    if (y <= t[k].year) return t[k - 1].value + (y - t[k - 1].year) / (t[k].year - t[k - 1].year) * (t[k].value - t[k - 1].value);
  }
  return t[t.length - 1].value;
}

/** A control total at a calendar year: base × (1 + rate)^years, or base × table(y) / table(base year). */
export function controlTotal(s: DemandSeries, baseValue: number, baseYear: number, y: number): number {
  if (s.rate !== undefined) return baseValue * Math.pow(1 + s.rate, y - baseYear);
  const t = [...s.table!].sort((a, b) => a.year - b.year);
  const t0 = tableAt(t, baseYear);
  return t0 > 0 ? baseValue * tableAt(t, y) / t0 : baseValue;
}
