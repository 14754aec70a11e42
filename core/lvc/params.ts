/**
 * Land value capture parameters: their schema (they cross the contract and are stored with every
 * result) and defaults per country, each with its source. Money is in the project's currency at
 * its price year; rates are fractions per year (0.08 = 8 %).
 */
import { z } from 'zod';
import { legalTable } from './legal-basis.js';

const share = z.number().min(0).max(1);
const money = z.number().min(0).max(1e12);
const year = z.number().int().min(0).max(100);
const rate = z.number().gt(-1, 'must be above −100 %').max(10);

export const InstrumentParamsSchema = z.object({
  bettermentLevy: z.object({
    enabled: z.boolean(), share, collectionRate: share, zoneRadiusM: z.number().min(0).max(20_000),
    startYear: year, instalments: z.number().int().min(1).max(50),
  }),
  taxIncrement: z.object({
    enabled: z.boolean(), taxRate: z.number().min(0).max(0.2), assessmentRatio: share, collectionRate: share,
    startYear: year, years: z.number().int().min(1).max(100),
  }),
  developmentRights: z.object({ enabled: z.boolean(), pricePerM2: money, takeUp: share }),
  landReadjustment: z.object({
    enabled: z.boolean(), zoneRadiusM: z.number().min(0).max(20_000), contributionRatio: z.number().min(0).max(0.9),
    reserveShare: share, saleYear: year, facilityCostPerM2: money,
  }),
  jointDevelopment: z.object({
    enabled: z.boolean(), mode: z.enum(['lease', 'sale']), railwayShare: share, leaseYield: z.number().gt(0).max(1),
    leaseYears: z.number().int().min(1).max(99), startYear: year,
  }),
  impactFees: z.object({ enabled: z.boolean(), feePerM2: money, collectionRate: share }),
});

export const LvcParamsSchema = z.object({
  horizonYears: z.number().int().min(1, 'the horizon must be at least 1 year').max(100),
  discountRate: rate,
  inflation: z.number().gt(-1).max(1),
  /** Real growth of property prices per year, on top of inflation. */
  priceGrowth: z.number().gt(-1).max(1),
  stationOpeningYear: year,
  premiumCurve: z.array(z.tuple([z.number().min(0), z.number().min(0).max(10)])).min(1),
  /** Sale value per m² of floor area by use, at prices without the station (baseline). */
  saleValuePerM2: z.record(z.string(), money),
  constructionCostPerM2: z.record(z.string(), money),
  developerMargin: z.number().min(0).max(0.9),
  absorption: z.object({ startYear: year, years: z.number().int().min(1).max(60), steepness: z.number().min(0).max(10) }),
  costs: z.object({ station: money, infrastructure: money, startYear: year, years: z.number().int().min(1).max(30) }),
  instruments: InstrumentParamsSchema,
  /** Calendar year of year 0 of the cash flow (default: the project's price year). Offsets such as startYear count from it. */
  baseYear: z.number().int().min(1900).max(2200).optional(),
  /** Real social discount rate for the economic appraisal (flows deflated by inflation); default per country. */
  socialDiscountRate: rate.optional(),
  /**
   * Sale values and land prices by station and walking-distance band, each with its source; parcels
   * beyond the last band, unreached, or near a station not listed take the project-wide values.
   * landValuePerM2 fills parcels whose land value is missing (never overrides a mapped value).
   */
  stationValues: z.array(z.object({
    station: z.string().min(1).max(200),
    bands: z.array(z.object({
      maxDistM: z.number().gt(0).max(20_000),
      saleValuePerM2: z.record(z.string(), money).optional(),
      landValuePerM2: money.optional(),
      /** Construction cost by use where it differs from the project-wide figure (e.g. mid-rise in a small town). */
      constructionCostPerM2: z.record(z.string(), money).optional(),
      /**
       * Premium / chargeable FSI price per m² of bonus floor area here (a share of the land rate:
       * Mumbai's Ready Reckoner, Gujarat's jantri), where it differs from instruments.developmentRights.pricePerM2.
       */
      premiumFsiPricePerM2: money.optional(),
    })).min(1).max(20),
    source: z.string().max(2000),
  })).max(500).optional(),
});
export type LvcParams = z.infer<typeof LvcParamsSchema>;

export interface Sourced<T> { value: T; source: string }

const PREMIUM_SOURCE =
  'Default assumption, to be calibrated with local appraisals: premia fall with walking distance and vanish beyond ~1.2 km, within the ranges reviewed in Suzuki, Murakami, Hong & Tamayose (2015), Financing Transit-Oriented Development with Land Values, World Bank, and the meta-analysis of Debrezion, Pels & Rietveld (2007), J. Real Estate Finance & Economics 35:161–180 (larger premia for commercial than residential land near stations).';

/** Defaults per country with the source of each figure; JP is a reference case. */
export function defaultLvcParams(country: string | undefined): { params: LvcParams; sources: Record<string, string> } {
  const c = (country ?? '').toUpperCase();
  const india = c === 'IN';
  const japan = c === 'JP';
  const params: LvcParams = {
    horizonYears: 30,
    discountRate: india ? 0.10 : japan ? 0.03 : 0.08,
    socialDiscountRate: india ? 0.12 : japan ? 0.04 : 0.12,
    inflation: india ? 0.045 : japan ? 0.01 : 0.02,
    priceGrowth: 0.01,
    stationOpeningYear: 3,
    premiumCurve: [[0, 0.25], [200, 0.25], [400, 0.18], [800, 0.08], [1200, 0]],
    saleValuePerM2: india
      ? { residential: 95_000, commercial: 140_000, office: 130_000 }
      : japan ? { residential: 900_000, commercial: 1_200_000, office: 1_100_000 }
        : { residential: 95_000, commercial: 110_000, office: 100_000 },
    constructionCostPerM2: india
      ? { residential: 38_000, commercial: 45_000, office: 48_000 }
      : japan ? { residential: 420_000, commercial: 480_000, office: 520_000 }
        : { residential: 40_000, commercial: 45_000, office: 48_000 },
    developerMargin: 0.25,
    absorption: { startYear: 2, years: 15, steepness: 0.6 },
    costs: { station: 0, infrastructure: 0, startYear: 0, years: 4 },
    instruments: {
      bettermentLevy: { enabled: true, share: 0.3, collectionRate: 0.8, zoneRadiusM: 800, startYear: 3, instalments: 5 },
      taxIncrement: { enabled: true, taxRate: india ? 0.005 : japan ? 0.014 : 0.003, assessmentRatio: 0.7, collectionRate: 0.85, startYear: 3, years: 25 },
      developmentRights: { enabled: true, pricePerM2: india ? 25_000 : 8_000, takeUp: 0.6 },
      landReadjustment: { enabled: false, zoneRadiusM: 500, contributionRatio: 0.15, reserveShare: 0.5, saleYear: 5, facilityCostPerM2: 1_500 },
      jointDevelopment: { enabled: true, mode: 'lease', railwayShare: 0.8, leaseYield: 0.06, leaseYears: 30, startYear: 3 },
      impactFees: { enabled: false, feePerM2: india ? 1_000 : 500, collectionRate: 0.9 },
    },
  };
  const sources: Record<string, string> = {
    premiumCurve: PREMIUM_SOURCE,
    discountRate: india
      ? 'Financial appraisal, nominal: 10 % ≈ 10-year Government of India bond yield (about 7 % in 2024, RBI) plus a 3 pp project risk margin; assumption, test in sensitivity.'
      : japan ? 'Financial appraisal, nominal: 3 % ≈ 10-year JGB yield (about 1 % in 2024) plus a 2 pp margin; assumption.'
        : 'Financial appraisal, nominal: 8 %, near long-run Thai government borrowing plus a project risk margin; assumption, test in sensitivity.',
    socialDiscountRate: india
      ? 'Economic appraisal, real: 12 %, the social discount rate long used for Indian public projects (Planning Commission project appraisal guidance; the EIRR hurdle used in Indian rail and metro DPRs). Applied to flows deflated to base-year prices.'
      : japan ? 'Economic appraisal, real: 4 %, the social discount rate of MLIT\'s cost–benefit analysis manuals (費用便益分析マニュアル).'
        : 'Economic appraisal, real: 12 %, the EIRR hurdle used for Thai public investment appraisal (NESDC practice; Thai rail feasibility studies). Applied to flows deflated to base-year prices.',
    baseYear: 'Year 0 of the cash flow = the project\'s price year unless set.',
    inflation: 'Assumption near the central bank target (Bank of Thailand 1–3 %, RBI 4 % ± 2 %, BoJ 2 %).',
    priceGrowth: 'Assumption: 1 % real growth of property prices per year.',
    saleValuePerM2: 'Assumption for station-area new-build prices without the station (THB or INR per m² of floor area); replace with local market evidence.',
    constructionCostPerM2: 'Assumption for high-rise reinforced-concrete construction per m² of floor area including soft costs (design, finance, marketing); replace with a quantity surveyor\'s rates.',
    developerMargin: 'Assumption: 25 % of sale value for developer profit, risk and sales costs.',
    absorption: 'Assumption: development absorbed over 15 years from year 2 on a logistic S-curve.',
    'instruments.bettermentLevy': 'Betterment levy on 30 % of the proximity uplift, as in Colombia\'s contribución de valorización and India\'s betterment charges (Suzuki et al. 2015, ch. 3).',
    'instruments.taxIncrement': 'Tax increment on the assessed value increment; rates: Thai Land and Buildings Tax Act 2019 residential/commercial bands, Indian municipal property tax (indicative), Japan 1.4 % fixed asset tax.',
    'instruments.developmentRights': 'Sale of additional floor area: Mumbai premium FSI and São Paulo CEPACs (Suzuki et al. 2015); price per m² of bonus floor area is an assumption.',
    'instruments.landReadjustment': 'Japanese kukaku seiri (land readjustment): land contribution ratio and reserve land sales (MLIT practice; Suzuki et al. 2015, ch. 4).',
    'instruments.jointDevelopment': 'Joint development / ground lease of railway land, as at Bang Sue (SRT) and Hong Kong\'s Rail + Property model.',
    'instruments.impactFees': 'Development impact fee per m² of new floor area (assumption).',
  };
  // Instruments are on by default only where a legal basis exists today (legal-basis.ts).
  const legal = legalTable(c);
  if (legal) {
    for (const [id, b] of Object.entries(legal)) params.instruments[id as keyof LvcParams['instruments']].enabled = b.defaultOn;
    sources.instrumentsEnabled = `On by default only where the instrument has a legal basis today (${c}): ${Object.entries(legal).map(([id, b]) => `${id} ${b.defaultOn ? 'on' : 'off'} (${b.basis})`).join('; ')}.`;
  }
  return { params, sources };
}
