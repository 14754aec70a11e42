/**
 * A public-land programme that brings its own market (programmeAbsorption 'additional'): its floor
 * area due per period is added to the ceilings of the areas holding its zones, split as the zone's
 * parcels add floor area at build-out. Figures worked by hand in the comments.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocate, type AllocInput } from '../../../core/growth/allocate.js';
import { addProgrammeCeiling } from '../../../core/growth/programme-ceiling.js';
import { validateGrowth } from '../../../core/growth/settings.js';

const f64 = (...v: number[]) => Float64Array.from(v);
const expected = JSON.parse(readFileSync(new URL('../../fixtures/growth/three-parcels/expected.json', import.meta.url), 'utf8'));

describe('addProgrammeCeiling', () => {
  it('adds each period\'s due to the areas and uses in proportion to what the zone\'s parcels add', () => {
    // Zone 0: p0 (area 0) adds 300 m² housing + 100 m² other (weight 400), p1 (area 1) 600 m² other (600),
    // p3 (no area) 1,000 m² housing (1,000: counted in the zone, added nowhere), p4 (area 0) +500 / −600 (weight 0).
    // p2 is outside the zone. Zone total 2,000 m²; due 500 by period 0 and 1,500 by period 1 → 500 and 1,000 in
    // the periods, i.e. 0.25 and 0.5 of each parcel's weight.
    const capRes = f64(1000, 2000, 10, 20), capNon = f64(100, 200, 1, 2); // area × period
    addProgrammeCeiling({
      n: 5, nAreas: 2, periods: 2, area: Int32Array.from([0, 1, 0, -1, 0]), zoneOf: Int32Array.from([0, 0, -1, 0, 0]), nZones: 1,
      dResM2: f64(300, 0, 1000, 1000, 500), dNonResM2: f64(100, 600, 0, 0, -600), programmeDue: f64(500, 1500),
    }, capRes, capNon);
    // Area 0: housing + 0.25 × 300 = 75, + 0.5 × 300 = 150; other + 25, + 50. Area 1: other + 150, + 300.
    expect(Array.from(capRes)).toEqual([1075, 2150, 10, 20].map((x) => expect.closeTo(x, 9)));
    expect(Array.from(capNon)).toEqual([125, 250, 151, 302].map((x) => expect.closeTo(x, 9)));
  });

  it('on the three-parcel fixture the programme is built on schedule and leaves the market its own ceiling', () => {
    // P3 (fails the market test, 1,000 m² of other floor area) is the programme's zone, all due by 2030.
    // Held back, it gets 600 of its 1,000 m² (tests/core/growth/allocate.test.ts); with its own market the
    // 2030 ceiling of other floor area is 600 + 1,000, P3 is built whole and P1, P2 build as without a programme.
    const a: AllocInput = {
      n: 3, nAreas: 1, periods: 2, area: Int32Array.from([0, 0, 0]),
      dRes: f64(100, 60, 0), dJobs: f64(0, 10, 50), dResM2: f64(5000, 3000, 0), dNonResM2: f64(0, 200, 1000), margin: f64(300, 500, NaN),
      programme: Int32Array.from([-1, -1, 0]), nZones: 1, programmeDue: f64(1000, 1000),
      baseRes: f64(1000), baseJobs: f64(500), targetRes: f64(1080, 1140), targetJobs: f64(520, 560),
      capResM2: f64(600 * 6, 600 * 5), capNonResM2: f64(100 * 6, 100 * 5),
    };
    addProgrammeCeiling({ ...a, zoneOf: a.programme! }, a.capResM2, a.capNonResM2);
    expect(Array.from(a.capNonResM2)).toEqual([1600, 500]);
    expect(Array.from(a.capResM2)).toEqual([3600, 3000]);
    const out = allocate(a);
    expect(out.share[2]).toBeCloseTo(1, 6);
    expect(Array.from(out.programmeShortM2)).toEqual([0, 0]);
    expect(out.share[0]).toBeCloseTo(expected.share2030[0], 6);
    expect(out.share[1]).toBeCloseTo(expected.share2030[1], 6);
  });
});

describe('growth settings: programmeAbsorption', () => {
  const base = {
    baseYear: 2024, horizons: [2030], areas: [{ station: null, residents: { rate: 0 }, jobs: { rate: 0 }, absorption: { residentialM2PerYear: 1, nonResidentialM2PerYear: 1 } }],
    market: { saleValuePerM2: { residential: 1, commercial: 1, office: 1 }, constructionCostPerM2: { residential: 1, commercial: 1, office: 1, civic: 1 },
      demolitionCostPerM2: 0, developerMargin: 0.2, landownerPremium: 0.2, existingBuildingShare: 0.5, premiumCurve: [[0, 0]] },
  };
  it('defaults to the ceiling (the programme competes with the market), as settings stored before it existed', () => {
    expect(validateGrowth(base).programmeAbsorption).toBe('ceiling');
    expect(validateGrowth({ ...base, programmeAbsorption: 'additional' }).programmeAbsorption).toBe('additional');
  });
  it('an unknown value is E_INPUT_INVALID naming the field', () => {
    expect(() => validateGrowth({ ...base, programmeAbsorption: 'sometimes' })).toThrow(expect.objectContaining({ code: 'E_INPUT_INVALID', message: expect.stringContaining('programmeAbsorption') }));
  });
});
