/**
 * The four scenarios every project starts with. They are illustrative starting points for the
 * planner to edit, not recommendations; the figures sit within the ranges TOD plans use for metro
 * stations (FAR 3–10 near the station, stepping down with walk distance).
 */
import type { Rule, ScenarioDefInput } from './model.js';

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

export const DEFAULT_SCENARIOS: Array<{ id: string; def: ScenarioDefInput }> = [
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
      name: 'Trend', description: 'Current zoning continued: modest FAR everywhere, the market redevelops only sites worth tripling.',
      bands: DEFAULT_BANDS,
      rules: [step(['0-400m', '400-800m', '800-1200m', 'outside'], 2.5, 8, 0.6, 0, RESIDENTIAL_LED, { perDwelling: 1, per100m2NonResidential: 2 })],
      softSiteFactor: 3, publicLand: { mode: 'keep' },
    },
  },
  {
    id: 'tod-moderate',
    def: {
      name: 'TOD moderate', description: 'FAR 5 / 4 / 3 stepping down by walk band, mixed use near the station, reduced parking, public land joins at a 1.5× test.',
      bands: DEFAULT_BANDS,
      rules: [
        step(['outside'], 2.5, 8, 0.6, 0, RESIDENTIAL_LED, { perDwelling: 1, per100m2NonResidential: 2 }),
        step(['800-1200m'], 3, 10, 0.6, 0.05, RESIDENTIAL_LED, { perDwelling: 0.7, per100m2NonResidential: 1.5 }),
        step(['400-800m'], 4, 15, 0.6, 0.1, MIXED, { perDwelling: 0.5, per100m2NonResidential: 1 }),
        step(['0-400m'], 5, 20, 0.6, 0.1, MIXED, { perDwelling: 0.3, per100m2NonResidential: 0.5 }),
      ],
      softSiteFactor: 2, publicLand: { mode: 'own', softSiteFactor: 1.5 },
    },
  },
  {
    id: 'tod-intensive',
    def: {
      name: 'TOD intensive', description: 'FAR 8 / 6 / 4 by walk band, towers near the station, minimal parking, public land redevelops wherever it gains floor area.',
      bands: DEFAULT_BANDS,
      rules: [
        step(['outside'], 2.5, 8, 0.6, 0, RESIDENTIAL_LED, { perDwelling: 1, per100m2NonResidential: 2 }),
        step(['800-1200m'], 4, 16, 0.6, 0.1, RESIDENTIAL_LED, { perDwelling: 0.5, per100m2NonResidential: 1 }),
        step(['400-800m'], 6, 30, 0.55, 0.15, MIXED, { perDwelling: 0.3, per100m2NonResidential: 0.5 }),
        step(['0-400m'], 8, 40, 0.55, 0.15, MIXED, { perDwelling: 0.2, per100m2NonResidential: 0.3 }),
      ],
      softSiteFactor: 1.5, publicLand: { mode: 'own', softSiteFactor: 1 },
    },
  },
];
