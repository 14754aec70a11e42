/**
 * Planning assumptions: one table per project, each figure with its unit and its source. Defaults
 * exist for Thailand and India, with Japan as a reference; every default says where it comes from
 * and how firm it is, so a consultant can replace it with a local study and the report shows which.
 */
import { z } from 'zod';
import { EkimaeError } from '../errors.js';

export const ASSUMPTION_KEYS = {
  dwellingSizeM2: { unit: 'm² gross floor area per new dwelling', label: 'Average dwelling size, new development' },
  existingDwellingSizeM2: { unit: 'm² gross floor area per existing dwelling', label: 'Average dwelling size, existing stock' },
  personsPerHousehold: { unit: 'persons per dwelling', label: 'Persons per household' },
  'm2PerJob.commercial': { unit: 'm² per job', label: 'Floor area per job, retail/commercial' },
  'm2PerJob.office': { unit: 'm² per job', label: 'Floor area per job, office' },
  'm2PerJob.civic': { unit: 'm² per job', label: 'Floor area per job, civic (schools, health, government)' },
  'm2PerJob.industrial': { unit: 'm² per job', label: 'Floor area per job, industrial' },
  tripsPerResident: { unit: 'person trips per resident per day', label: 'Trip rate, residents' },
  tripsPerJob: { unit: 'person trips per job per day', label: 'Trip rate, jobs (commute and business)' },
  'modeShare.0m': { unit: 'share of trips by rail, at 0 m walk', label: 'Rail mode share at the station' },
  'modeShare.400m': { unit: 'share of trips by rail, at 400 m walk', label: 'Rail mode share at 400 m' },
  'modeShare.800m': { unit: 'share of trips by rail, at 800 m walk', label: 'Rail mode share at 800 m' },
  'modeShare.1200m': { unit: 'share of trips by rail, at 1200 m walk', label: 'Rail mode share at 1200 m' },
  'modeShare.2000m': { unit: 'share of trips by rail, at 2000 m walk and beyond', label: 'Rail mode share at 2000 m' },
  waterLPerResidentDay: { unit: 'litres per resident per day', label: 'Water demand, residents' },
  waterLPerJobDay: { unit: 'litres per job per day', label: 'Water demand, workers' },
  'powerKwhPerM2Year.residential': { unit: 'kWh per m² per year', label: 'Electricity, residential' },
  'powerKwhPerM2Year.commercial': { unit: 'kWh per m² per year', label: 'Electricity, retail/commercial' },
  'powerKwhPerM2Year.office': { unit: 'kWh per m² per year', label: 'Electricity, office' },
  'powerKwhPerM2Year.civic': { unit: 'kWh per m² per year', label: 'Electricity, civic' },
  'powerKwhPerM2Year.industrial': { unit: 'kWh per m² per year', label: 'Electricity, industrial' },
  mixedUseResidentialShare: { unit: 'share of existing mixed-use floor area that is residential', label: 'Existing mixed use: residential share' },
  existingCoverage: { unit: 'share of site covered, used when only floors are known', label: 'Existing site coverage' },
  existingPersonsPerHousehold: { unit: 'persons per occupied existing dwelling', label: 'Persons per household, existing stock' },
  'existingM2PerJob.commercial': { unit: 'm² per job', label: 'Floor area per job, existing retail/commercial' },
  'existingM2PerJob.office': { unit: 'm² per job', label: 'Floor area per job, existing office' },
  'existingM2PerJob.civic': { unit: 'm² per job', label: 'Floor area per job, existing civic' },
  'existingM2PerJob.industrial': { unit: 'm² per job', label: 'Floor area per job, existing industrial' },
} as const;
export type AssumptionKey = keyof typeof ASSUMPTION_KEYS;
export const ASSUMPTION_KEY_LIST = Object.keys(ASSUMPTION_KEYS) as AssumptionKey[];

/**
 * Existing-stock figures that have no default of their own: until a census calibration (or the
 * planner) sets one, the existing stock uses the new-development figure named here, so changing
 * that figure changes both, as it did before calibration existed.
 */
export const EXISTING_STOCK_FALLBACK = {
  existingPersonsPerHousehold: 'personsPerHousehold',
  'existingM2PerJob.commercial': 'm2PerJob.commercial',
  'existingM2PerJob.office': 'm2PerJob.office',
  'existingM2PerJob.civic': 'm2PerJob.civic',
  'existingM2PerJob.industrial': 'm2PerJob.industrial',
} as const;
type OptionalKey = keyof typeof EXISTING_STOCK_FALLBACK;
type DefaultedKey = Exclude<AssumptionKey, OptionalKey>;
/** The keys every country's defaults give (the existing-stock overrides above are optional). */
export const DEFAULTED_KEY_LIST = ASSUMPTION_KEY_LIST.filter((k): k is DefaultedKey => !(k in EXISTING_STOCK_FALLBACK));
/** Walk distances (m) at which mode share is given; linear in between, flat beyond the last. */
export const MODE_SHARE_ANCHORS_M = [0, 400, 800, 1200, 2000] as const;

export const COUNTRIES = ['TH', 'IN', 'JP'] as const;
export type Country = (typeof COUNTRIES)[number];

export const AssumptionEntrySchema = z.object({
  key: z.enum(ASSUMPTION_KEY_LIST as [AssumptionKey, ...AssumptionKey[]]),
  value: z.number().min(0).max(1e6),
  unit: z.string(),
  source: z.string().min(1).max(2000),
}).strict();
export type AssumptionEntry = z.output<typeof AssumptionEntrySchema>;

type Row = [number, string];
const HCA = 'HCA/Homes England, Employment Density Guide, 3rd ed. (2015), gross external area per FTE';
const SHARE_SRC = 'Ekimae default: distance-decay shape after Cervero (2007) Environment & Planning A 39(9) and Guerra, Cervero & Tischler (2012) TRR 2276 (ridership falls off steeply beyond ~800 m); level indicative, calibrate to a local household travel survey';

const DEFAULTS: Record<Country, Record<DefaultedKey, Row>> = {
  TH: {
    dwellingSizeM2: [55, 'Indicative: Bangkok condominium units 30–45 m² net plus ~25 % common area, townhouses larger (REIC Bangkok housing reports); replace with project market study'],
    existingDwellingSizeM2: [100, 'Indicative: existing Bangkok stock is mostly 3–4 storey townhouses and shophouses of 80–150 m² (REIC housing stock reports); calibrate so existing residents match the census'],
    personsPerHousehold: [2.6, 'National Statistical Office Thailand, 2020 Population and Housing Census, Bangkok average household size (approx.)'],
    'm2PerJob.commercial': [20, HCA + ' (retail 15–20 m² NIA)'],
    'm2PerJob.office': [15, HCA + ' (general office 12 m² NIA, grossed up)'],
    'm2PerJob.civic': [30, 'Indicative: schools, hospitals and government offices 25–40 m² per worker (Ekimae default)'],
    'm2PerJob.industrial': [50, HCA + ' (light industrial 47 m²)'],
    tripsPerResident: [2.2, 'Indicative: Bangkok household travel surveys (OTP eBUM) report 2–2.5 person trips per person per weekday'],
    tripsPerJob: [2.0, 'One commute round trip per worker per day (Ekimae default)'],
    'modeShare.0m': [0.45, SHARE_SRC],
    'modeShare.400m': [0.35, SHARE_SRC],
    'modeShare.800m': [0.22, SHARE_SRC],
    'modeShare.1200m': [0.12, SHARE_SRC],
    'modeShare.2000m': [0.05, SHARE_SRC],
    waterLPerResidentDay: [200, 'Indicative: Metropolitan Waterworks Authority (Bangkok) planning figure of about 200 L per person per day'],
    waterLPerJobDay: [50, 'Indicative: non-domestic demand per worker in offices and shops (Ekimae default, ~45–70 L/worker/day in design guides)'],
    'powerKwhPerM2Year.residential': [90, 'Indicative: Thai high-rise residential buildings, DEDE building energy statistics'],
    'powerKwhPerM2Year.commercial': [250, 'Indicative: Thai retail buildings, DEDE designated-building energy reports'],
    'powerKwhPerM2Year.office': [180, 'Indicative: Thai office buildings, DEDE designated-building energy reports (150–220)'],
    'powerKwhPerM2Year.civic': [120, 'Indicative: Thai government and school buildings (Ekimae default)'],
    'powerKwhPerM2Year.industrial': [150, 'Indicative: light industry and warehouses (Ekimae default)'],
    mixedUseResidentialShare: [0.5, 'Ekimae default: shophouse/mixed-use floor area split evenly'],
    existingCoverage: [0.6, 'Ekimae default: typical built coverage of Bangkok inner-city plots'],
  },
  IN: {
    dwellingSizeM2: [60, 'Indicative: urban apartments 45–75 m² built-up (MoHUA PMAY-U unit sizes up to 60 m² carpet for LIG/MIG); replace with market study'],
    existingDwellingSizeM2: [55, 'Indicative: existing urban Indian dwellings, Census of India 2011 HH-series (most urban households in 1–2 room dwellings); calibrate to the census'],
    personsPerHousehold: [4.6, 'Census of India 2011, urban average household size (approx.)'],
    'm2PerJob.commercial': [15, HCA + ', densified for Indian retail'],
    'm2PerJob.office': [10, 'Indicative: Indian IT/office space 8–12 m² per seat (industry norms), ' + HCA],
    'm2PerJob.civic': [25, 'Indicative: civic buildings (Ekimae default)'],
    'm2PerJob.industrial': [40, HCA + ' (light industrial), densified'],
    tripsPerResident: [1.4, 'Indicative: Comprehensive Mobility Plans of Indian metros report 1.2–1.6 trips per person per day incl. walk'],
    tripsPerJob: [2.0, 'One commute round trip per worker per day (Ekimae default)'],
    'modeShare.0m': [0.40, SHARE_SRC],
    'modeShare.400m': [0.30, SHARE_SRC],
    'modeShare.800m': [0.20, SHARE_SRC],
    'modeShare.1200m': [0.10, SHARE_SRC],
    'modeShare.2000m': [0.04, SHARE_SRC],
    waterLPerResidentDay: [135, 'CPHEEO Manual on Water Supply and Treatment (1999): 135 L per capita per day for cities with sewerage'],
    waterLPerJobDay: [45, 'CPHEEO Manual (1999), table for offices: 45 L per head per day'],
    'powerKwhPerM2Year.residential': [50, 'Indicative: Indian urban residential consumption (BEE / ECBC residential studies)'],
    'powerKwhPerM2Year.commercial': [220, 'Indicative: BEE Star Rating benchmarks for shopping malls'],
    'powerKwhPerM2Year.office': [180, 'Indicative: BEE Star Rating for office buildings (EPI ~180 kWh/m²/yr, warm-humid)'],
    'powerKwhPerM2Year.civic': [100, 'Indicative: civic buildings (Ekimae default)'],
    'powerKwhPerM2Year.industrial': [150, 'Indicative: light industry (Ekimae default)'],
    mixedUseResidentialShare: [0.6, 'Ekimae default: shop below, dwellings above'],
    existingCoverage: [0.6, 'Ekimae default'],
  },
  JP: {
    dwellingSizeM2: [65, 'Reference: Statistics Bureau of Japan, Housing and Land Survey 2018 (apartments in large cities ~50–65 m²; all dwellings ~92 m²)'],
    existingDwellingSizeM2: [92, 'Statistics Bureau of Japan, Housing and Land Survey 2018: average floor area per dwelling 92 m² (all tenures)'],
    personsPerHousehold: [2.2, 'Statistics Bureau of Japan, 2020 Population Census, average household size 2.21'],
    'm2PerJob.commercial': [20, HCA],
    'm2PerJob.office': [15, HCA + '; Tokyo offices ~ 10–15 m² per worker'],
    'm2PerJob.civic': [30, 'Indicative (Ekimae default)'],
    'm2PerJob.industrial': [50, HCA],
    tripsPerResident: [2.0, 'Tokyo Metropolitan Region Person Trip Survey 2018: about 2.0 trips per person per weekday'],
    tripsPerJob: [2.0, 'One commute round trip per worker per day (Ekimae default)'],
    'modeShare.0m': [0.60, SHARE_SRC + '; Tokyo rail shares near stations are among the highest anywhere'],
    'modeShare.400m': [0.50, SHARE_SRC],
    'modeShare.800m': [0.38, SHARE_SRC],
    'modeShare.1200m': [0.25, SHARE_SRC],
    'modeShare.2000m': [0.12, SHARE_SRC],
    waterLPerResidentDay: [215, 'Reference: MLIT Water Resources in Japan, domestic use about 215 L per person per day'],
    waterLPerJobDay: [50, 'Indicative (Ekimae default)'],
    'powerKwhPerM2Year.residential': [70, 'Indicative: Japanese apartments (ECCJ statistics)'],
    'powerKwhPerM2Year.commercial': [300, 'Indicative: Japanese retail (ECCJ statistics)'],
    'powerKwhPerM2Year.office': [150, 'Indicative: Japanese offices (ECCJ statistics)'],
    'powerKwhPerM2Year.civic': [100, 'Indicative (Ekimae default)'],
    'powerKwhPerM2Year.industrial': [150, 'Indicative (Ekimae default)'],
    mixedUseResidentialShare: [0.5, 'Ekimae default'],
    existingCoverage: [0.6, 'Ekimae default'],
  },
};

export function defaultAssumptions(country: string | undefined): { country: Country; entries: AssumptionEntry[] } {
  const c = normaliseCountry(country);
  return { country: c, entries: DEFAULTED_KEY_LIST.map((key) => ({ key, value: DEFAULTS[c][key][0], unit: ASSUMPTION_KEYS[key].unit, source: DEFAULTS[c][key][1] })) };
}

/** TH, IN or JP from a code or a name; anything else falls back to Thailand (the first sample). */
export function normaliseCountry(country: string | undefined): Country {
  const s = (country ?? '').trim().toUpperCase();
  if (s === 'IN' || s === 'IND' || s === 'INDIA') return 'IN';
  if (s === 'JP' || s === 'JPN' || s === 'JAPAN') return 'JP';
  return 'TH';
}

/** The numbers the evaluator reads, resolved once from the entries. */
export interface Assumptions {
  dwellingSizeM2: number;
  existingDwellingSizeM2: number;
  personsPerHousehold: number;
  existingPersonsPerHousehold: number;
  /** m² per job by floor use (residential = Infinity: no jobs), in new development. */
  m2PerJob: Float64Array;
  /** The same for the existing stock (kept parcels). */
  existingM2PerJob: Float64Array;
  tripsPerResident: number;
  tripsPerJob: number;
  /** Mode share at MODE_SHARE_ANCHORS_M. */
  modeShare: Float64Array;
  waterLPerResidentDay: number;
  waterLPerJobDay: number;
  /** kWh/m²/yr by floor use. */
  powerKwhPerM2Year: Float64Array;
  mixedUseResidentialShare: number;
  existingCoverage: number;
}

export function resolveAssumptions(entries: AssumptionEntry[]): Assumptions {
  const v = new Map(entries.map((e) => [e.key, e.value]));
  const get = (k: AssumptionKey): number => {
    const x = v.get(k) ?? (k in EXISTING_STOCK_FALLBACK ? v.get(EXISTING_STOCK_FALLBACK[k as OptionalKey]) : undefined);
    if (x === undefined || !Number.isFinite(x) || x < 0) throw new EkimaeError('E_ASSUMPTION_INVALID', `assumption ${k} is missing or not a non-negative number`, { key: k });
    return x;
  };
  const positive = (k: AssumptionKey): number => {
    const x = get(k);
    if (x <= 0) throw new EkimaeError('E_ASSUMPTION_INVALID', `assumption ${k} must be greater than 0 (it divides)`, { key: k, value: x });
    return x;
  };
  const share = (k: AssumptionKey): number => {
    const x = get(k);
    if (x > 1) throw new EkimaeError('E_ASSUMPTION_INVALID', `assumption ${k} is a share and must be between 0 and 1`, { key: k, value: x });
    return x;
  };
  return {
    dwellingSizeM2: positive('dwellingSizeM2'),
    existingDwellingSizeM2: positive('existingDwellingSizeM2'),
    personsPerHousehold: get('personsPerHousehold'),
    existingPersonsPerHousehold: get('existingPersonsPerHousehold'),
    m2PerJob: Float64Array.of(Infinity, positive('m2PerJob.commercial'), positive('m2PerJob.office'), positive('m2PerJob.civic'), positive('m2PerJob.industrial')),
    existingM2PerJob: Float64Array.of(Infinity, positive('existingM2PerJob.commercial'), positive('existingM2PerJob.office'),
      positive('existingM2PerJob.civic'), positive('existingM2PerJob.industrial')),
    tripsPerResident: get('tripsPerResident'),
    tripsPerJob: get('tripsPerJob'),
    modeShare: Float64Array.from(MODE_SHARE_ANCHORS_M, (d) => share(`modeShare.${d}m` as AssumptionKey)),
    waterLPerResidentDay: get('waterLPerResidentDay'),
    waterLPerJobDay: get('waterLPerJobDay'),
    powerKwhPerM2Year: Float64Array.of(get('powerKwhPerM2Year.residential'), get('powerKwhPerM2Year.commercial'), get('powerKwhPerM2Year.office'),
      get('powerKwhPerM2Year.civic'), get('powerKwhPerM2Year.industrial')),
    mixedUseResidentialShare: share('mixedUseResidentialShare'),
    existingCoverage: share('existingCoverage'),
  };
}

/** Piecewise-linear mode share at walk distance d (m); flat beyond the last anchor; 0 when unreached (NaN or Infinity). */
export function modeShareAt(a: Assumptions, d: number): number {
  if (!(d >= 0) || d === Infinity) return 0;
  const xs = MODE_SHARE_ANCHORS_M;
  const last = xs.length - 1;
  if (d >= xs[last]) return a.modeShare[last];
  let k = 0;
  while (d >= xs[k + 1]) k++;
  const t = (d - xs[k]) / (xs[k + 1] - xs[k]);
  return a.modeShare[k] + t * (a.modeShare[k + 1] - a.modeShare[k]);
}
