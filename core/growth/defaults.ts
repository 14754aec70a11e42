/**
 * Growth defaults per country, used until a project stores its own (the sample projects do, per
 * station, with their sources). Each figure says where it comes from and how firm it is; they are
 * orders of magnitude for a first run, not a forecast to quote.
 */
import { defaultLvcParams } from '../lvc/params.js';
import { validateGrowth, type GrowthSettings, type GrowthSettingsInput } from './settings.js';

export const GROWTH_SOURCES = {
  TH: {
    residents: 'Approximate, +0.6 %/yr (range −0.3 to +1.2 %): Bangkok\'s registered population fell from 5.69 M (2013) to 5.47 M (2023) (Department of Provincial Administration registration statistics), but registration misses condominium renters and inner districts on rail lines gained stock; NESDC projects growth for Bangkok and vicinity, not the core. Replace with a district forecast.',
    jobs: 'Approximate, +1.2 %/yr (range 0.5–2 %): employment growth of Bangkok in the NSO Labour Force Survey in the decade before 2020; a new intercity terminal adds to it.',
    absorption: 'Approximate market ceiling for one station district: about 2,500 condominium units a year (5 % of the 40–60 k units launched a year in Greater Bangkok, 2015–2024, developer-association and agency reports) at ~45 m² gross each ≈ 110,000 m²/yr; offices and retail about 70,000 m²/yr (10–20 % of Bangkok\'s yearly new office supply of 300–500 k m² in agency reports).',
  },
  IN: {
    residents: 'Approximate, +2 %/yr (range 1–3 %): India\'s urban population grew 2.8 %/yr 2001–2011 (Census of India: 286 → 377 M); the Technical Group on Population Projections (2019) expects slower growth to 2036.',
    jobs: 'Approximate, +2.5 %/yr: urban employment growth a little above population (PLFS 2017–2023).',
    absorption: 'Approximate market ceiling per station area: 60,000 m²/yr of housing (about 1,000 flats) and 30,000 m²/yr of offices and shops; replace with a local market study.',
  },
  JP: {
    residents: 'Approximate, −0.3 %/yr: Japan\'s population has declined since 2010 (Statistics Bureau); central station areas hold or grow slightly.',
    jobs: 'Approximate, 0 %/yr.',
    absorption: 'Approximate: 50,000 m²/yr of housing and 50,000 m²/yr of offices and shops for one station district.',
  },
} as const;

export const MARKET_SOURCES = {
  demolitionCostPerM2: 'Assumption: demolition and site clearance per m² of standing floor area, about 4–5 % of new construction cost.',
  landownerPremium: 'EUV plus: a landowner sells above existing use value × 1.2 (UK viability practice uses premiums of 10–30 %: Harman 2012, Viability Testing Local Plans; Planning Practice Guidance on viability, 2019).',
  existingBuildingShare: 'Assumption: a standing building is worth half of its replacement cost (depreciation over a 50-year life at mid-life).',
  saleValuePerM2: 'From the land value capture defaults (same sale values and proximity premium, so take-up and capture agree).',
  inducedShare: 'TOD scenarios attract extra growth as a share of the baseline growth: 0 for Trend; 0.3 (moderate) and 0.6 (intensive) by default, range 0–1. Rail alone mostly redistributes growth (Cervero & Landis 1997, "Twenty years of the Bay Area Rapid Transit system", Transportation Research A 31(4)); a supportive plan with upzoning and public land concentrates a larger share of regional growth near stations. Never beyond the absorption ceiling.',
} as const;

export const PREMIUM_FSI_SOURCE = 'From the land value capture defaults (same premium FSI price, so take-up and capture agree): what a developer pays per m² of floor area above the base entitlement = the developmentRights price × the share of that floor area bought from the authority (its take-up); 0 where development rights are not sold (off in law: Thailand, Japan). Per station in stationValues where the project sets premium FSI prices there.';

type Country = keyof typeof GROWTH_SOURCES;

/**
 * The developer's charge per m² of bonus floor area the land value capture books for its price:
 * price × the share bought from the authority, 0 when development rights are not sold. The capture
 * books the same product on the bonus floor area the take-up builds, so the two agree.
 */
export function premiumFsiCharge(d: { enabled: boolean; pricePerM2: number; takeUp: number }, price = d.pricePerM2): number {
  return d.enabled ? price * d.takeUp : 0;
}

function country(c: string | undefined): Country {
  const u = (c ?? '').toUpperCase();
  return u === 'IN' || u === 'JP' ? u : 'TH';
}

export function defaultGrowth(opts: { country?: string; baseYear?: number }): GrowthSettings {
  const c = country(opts.country);
  const base = opts.baseYear ?? 2024;
  const lvc = defaultLvcParams(c).params;
  const cc = lvc.constructionCostPerM2;
  const sv = lvc.saleValuePerM2;
  const src = GROWTH_SOURCES[c];
  const charge = premiumFsiCharge(lvc.instruments.developmentRights);
  const rates = c === 'IN' ? { r: 0.02, j: 0.025, ar: 60_000, an: 30_000, edge: 1200 } : c === 'JP' ? { r: -0.003, j: 0, ar: 50_000, an: 50_000, edge: null } : { r: 0.006, j: 0.012, ar: 110_000, an: 70_000, edge: null };
  const g: GrowthSettingsInput = {
    baseYear: base,
    horizons: [base + 6, base + 11, base + 21].map((y) => Math.round(y / 5) * 5).filter((y, k, a) => y > base && a.indexOf(y) === k),
    areas: [{
      station: null, residents: { rate: rates.r }, jobs: { rate: rates.j },
      absorption: { residentialM2PerYear: rates.ar, nonResidentialM2PerYear: rates.an }, urbanEdgeM: rates.edge,
      source: `${src.residents} ${src.jobs} ${src.absorption}`,
    }],
    market: {
      saleValuePerM2: { residential: sv.residential ?? 0, commercial: sv.commercial ?? 0, office: sv.office ?? 0 },
      constructionCostPerM2: { residential: cc.residential ?? 0, commercial: cc.commercial ?? 0, office: cc.office ?? 0, civic: cc.residential ?? 0 },
      demolitionCostPerM2: Math.round(0.045 * (cc.residential ?? 0)),
      developerMargin: lvc.developerMargin,
      landownerPremium: 0.2,
      existingBuildingShare: 0.5,
      premiumCurve: lvc.premiumCurve as Array<[number, number]>,
      // Only where development rights are sold: elsewhere the settings stay as they were (no charge, no source line).
      ...(charge > 0 ? { premiumFsiChargePerM2: charge } : {}),
    },
    programmeLayer: null,
    programme: [],
    sources: { ...MARKET_SOURCES, ...(charge > 0 ? { premiumFsiChargePerM2: PREMIUM_FSI_SOURCE } : {}), residents: src.residents, jobs: src.jobs, absorption: src.absorption },
  };
  return validateGrowth(g);
}
