/**
 * The four scenarios every project starts with. They are illustrative starting points for the
 * planner to edit, not recommendations; the figures sit within the ranges TOD plans use for metro
 * stations (FAR 3–10 near the station, stepping down with walk distance).
 */
import { ScenarioDefSchema, type Rule, type ScenarioDef, type ScenarioDefInput } from './model.js';

export const DEFAULT_BANDS = [
  { name: '0-400m', fromM: 0, toM: 400 },
  { name: '400-800m', fromM: 400, toM: 800 },
  { name: '800-1200m', fromM: 800, toM: 1200 },
];

const REDEVELOPABLE = ['residential', 'commercial', 'office', 'mixed_use', 'industrial', 'vacant'];

function step(bands: string[], maxFar: number, maxFloors: number, coverage: number, openSpaceShare: number,
  split: Rule['split'], parking: Rule['parking']): Rule {
  return { bands, landUses: REDEVELOPABLE, maxFar, maxFloors, coverage, openSpaceShare, split, parking };
}

const MIXED = { residential: 0.6, commercial: 0.15, office: 0.2, civic: 0.05 };
const RESIDENTIAL_LED = { residential: 0.75, commercial: 0.15, office: 0.05, civic: 0.05 };

/**
 * Zoning that applies today, per country, as FAR by land use (the sample projects carry no zoning
 * map, so the code that covers most of a station district stands for it). Sources: Bangkok
 * Comprehensive Plan B.E. 2556 (2013), medium-density residential ย.7 FAR 5 : 1 (OSR 6 %) over most
 * of Bang Sue and Chatuchak, commercial พ.3 FAR 7 : 1 (approximate: check the official plan,
 * plludds.dpt.go.th); Gujarat CGDCR 2017 base FSI 1.8 with chargeable FSI to 2.7 in D1 cities, Mumbai
 * DCPR 2034 suburban residential 1.0 base + premium + TDR to about 2.5 (approximate, by zone); Japan:
 * typical commercial 600 % / residential 300–400 % designations.
 */
export const TODAY_ZONING = {
  TH: { residential: 5, commercial: 7, floors: 40, source: 'Bangkok Comprehensive Plan B.E. 2556 (2013): ย.7 residential FAR 5, พ.3 commercial FAR 7 (approximate, by the code covering most of the district)' },
  IN: { residential: 1.8, commercial: 2.7, floors: 20, source: 'Gujarat CGDCR 2017 base FSI 1.8, chargeable to 2.7 (D1 cities); Mumbai DCPR 2034 suburban residential about 2.5 with premium and TDR (approximate)' },
  JP: { residential: 4, commercial: 6, floors: 40, source: 'Japan City Planning Act use districts: typical 400 % residential and 600 % commercial designations near stations (approximate)' },
} as const;

/** TOD rules per walk band (0–400, 400–800, 800–1200 m) on top of today's zoning, which stays beyond walking distance. */
const TOD_FAR = {
  TH: { moderate: [8, 6.5, 5.5], intensive: [10, 8, 6] },
  IN: { moderate: [4, 3.5, 2.5], intensive: [5, 4, 3] },
  JP: { moderate: [8, 6, 5], intensive: [10, 8, 6] },
} as const;

type ZoningCountry = keyof typeof TODAY_ZONING;
const zc = (c: string | undefined): ZoningCountry => { const u = (c ?? '').toUpperCase(); return u === 'IN' || u === 'JP' ? u : 'TH'; };

const PARK_TREND = { perDwelling: 1, per100m2NonResidential: 2 };
const ALL_BANDS = ['0-400m', '400-800m', '800-1200m', 'outside'];

function todayRules(c: ZoningCountry): Rule[] {
  const z = TODAY_ZONING[c];
  return [
    { bands: ALL_BANDS, landUses: ['residential', 'mixed_use', 'vacant', 'industrial'], maxFar: z.residential, maxFloors: z.floors, coverage: 0.6, openSpaceShare: 0, split: RESIDENTIAL_LED, parking: PARK_TREND },
    { bands: ALL_BANDS, landUses: ['commercial', 'office'], maxFar: z.commercial, maxFloors: z.floors, coverage: 0.6, openSpaceShare: 0, split: MIXED, parking: PARK_TREND },
  ];
}

function todRules(c: ZoningCountry, far: readonly number[]): Rule[] {
  return [
    ...todayRules(c),
    step(['800-1200m'], far[2], 30, 0.6, 0.05, RESIDENTIAL_LED, { perDwelling: 0.7, per100m2NonResidential: 1.5 }),
    step(['400-800m'], far[1], 40, 0.6, 0.1, MIXED, { perDwelling: 0.5, per100m2NonResidential: 1 }),
    step(['0-400m'], far[0], 50, 0.55, 0.1, MIXED, { perDwelling: 0.3, per100m2NonResidential: 0.5 }),
  ];
}

/**
 * The scenarios every project starts with, for its country: Existing (the base year), Trend
 * (today's zoning, the market's own pace), TOD moderate and intensive (higher FAR inside the walk
 * bands only, some induced growth), and, where the project has a zones layer, Master plan (the
 * zones' own FAR and uses on public land). Each is a plan for the project's horizons: the take-up
 * engine (core/growth) turns its capacity into projected growth.
 */
export function defaultScenarios(country: string | undefined, zonesLayer: string | null = null): Array<{ id: string; def: ScenarioDefInput }> {
  const c = zc(country);
  const z = TODAY_ZONING[c], t = TOD_FAR[c];
  const list: Array<{ id: string; def: ScenarioDefInput }> = [
    {
      id: 'existing',
      def: {
        name: 'Existing', description: 'What stands today: every parcel keeps its existing floor area and use.',
        bands: DEFAULT_BANDS, rules: [], softSiteFactor: 1, publicLand: { mode: 'keep' },
      },
    },
    {
      id: 'trend',
      def: {
        name: 'Trend', description: `Today's zoning (${z.source}); growth at the market's pace, public land kept.`,
        bands: DEFAULT_BANDS, rules: todayRules(c), softSiteFactor: 2, publicLand: { mode: 'keep' }, inducedGrowth: 0,
      },
    },
    {
      id: 'tod-moderate',
      def: {
        name: 'TOD moderate', description: `FAR ${t.moderate.join(' / ')} in the 0–400 / 400–800 / 800–1200 m walk bands, today's zoning beyond; mixed use near the station, reduced parking; public land joins at a 1.5× test; attracts 30 % more growth than Trend.`,
        bands: DEFAULT_BANDS, rules: todRules(c, t.moderate), softSiteFactor: 1.5, publicLand: { mode: 'own', softSiteFactor: 1.5 }, inducedGrowth: 0.3,
      },
    },
    {
      id: 'tod-intensive',
      def: {
        name: 'TOD intensive', description: `FAR ${t.intensive.join(' / ')} by walk band, today's zoning beyond; towers near the station, minimal parking; public land redevelops wherever it gains floor area; farmland inside the walk bands rezoned; attracts 60 % more growth than Trend.`,
        bands: DEFAULT_BANDS, rules: todRules(c, t.intensive), softSiteFactor: 1.2, publicLand: { mode: 'own', softSiteFactor: 1 }, inducedGrowth: 0.6, rezonesAgricultural: true,
      },
    },
  ];
  if (zonesLayer) {
    list.push({
      id: 'master-plan',
      def: {
        name: 'Master plan', description: `TOD moderate with the development zones of layer "${zonesLayer}" (their FAR and uses) on public land, built by the programme in the growth settings.`,
        bands: DEFAULT_BANDS, rules: todRules(c, t.moderate), softSiteFactor: 1.5, publicLand: { mode: 'own', softSiteFactor: 1 }, inducedGrowth: 0.3, zoneLayer: zonesLayer,
      },
    });
  }
  return list;
}

/** The Thai defaults, kept for code that needs one fixed list (benchmarks). */
export const DEFAULT_SCENARIOS = defaultScenarios('TH');

/** Existing: what stands, no rules (the base year of every take-up). */
export const EXISTING_DEF: ScenarioDef = ScenarioDefSchema.parse(DEFAULT_SCENARIOS.find((s) => s.id === 'existing')!.def);
