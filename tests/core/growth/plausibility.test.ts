import { describe, expect, it } from 'vitest';
import { plausibilityWarnings } from '../../../core/growth/plausibility.js';
import type { Figures, HorizonFigures } from '../../../core/growth/takeup.js';

const fig = (o: Partial<Figures>): Figures => ({ residents: 0, jobs: 0, dwellings: 0, floorAreaM2: 0, residentialM2: 0, nonResidentialM2: 0, officeM2: 0, openSpaceM2: 0, boardings: 0, waterM3PerDay: 0, powerMWhPerYear: 0, parcelsBuilt: 0, ...o });
const hz = (year: number, o: Partial<Figures>): HorizonFigures => ({ ...fig(o), year, unmetResidents: 0, unmetJobs: 0, builtResidentialM2: 0, builtNonResidentialM2: 0, ceilingResidentialM2: 0, ceilingNonResidentialM2: 0, programmeDueM2: 0, programmeShortM2: 0 });

describe('plausibility warnings', () => {
  const base = fig({ residents: 100_000, officeM2: 500_000, openSpaceM2: 700_000 });
  it('say nothing of a believable plan', () => {
    expect(plausibilityWarnings(base, [hz(2045, { residents: 130_000, officeM2: 800_000, openSpaceM2: 800_000 })], 1000 * 1e4)).toEqual([]);
  });
  it('name each cited range a scenario crosses, with its figure', () => {
    // 400k residents on 500 ha: 4× today, 800 per gross ha; 1.7 M m² of new offices; 0.5 m² of open space each.
    const w = plausibilityWarnings(base, [hz(2030, { residents: 150_000 }), hz(2045, { residents: 400_000, officeM2: 2_200_000, openSpaceM2: 200_000 })], 500 * 1e4);
    expect(w).toHaveLength(4);
    expect(w[0]).toMatch(/^residents by 2045 are 4\.0× today/);
    expect(w[1]).toMatch(/^800 residents per gross ha by 2045/);
    expect(w[2]).toMatch(/^1,700 thousand m² of new offices by 2045/);
    expect(w[3]).toMatch(/^0\.5 m² of open space per resident by 2045/);
  });
});
