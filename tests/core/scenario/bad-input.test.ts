/** Bad scenario input: one named test per error path, each with its stable code. */
import { describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { resolveAssumptions } from '../../../core/scenario/assumptions.js';
import { compileRules } from '../../../core/scenario/compile.js';
import { ScenarioDefSchema, type ScenarioDefInput } from '../../../core/scenario/model.js';
import { bindOverrides } from '../../../core/scenario/run.js';
import { columnsOf, fixtureAssumptions } from './fixture-case.js';

const base = (): ScenarioDefInput => ({
  name: 'bad', bands: [{ name: 'core', fromM: 0, toM: 400 }, { name: 'mid', fromM: 400, toM: 800 }],
  softSiteFactor: 2, publicLand: { mode: 'keep' },
  rules: [{ bands: ['core'], landUses: ['residential'], maxFar: 4, maxFloors: 10, coverage: 0.5, split: { residential: 1, commercial: 0, office: 0, civic: 0 } }],
});

function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof EkimaeError) return `${e.code}: ${e.message}`; throw e; }
  return 'no error';
}

describe('scenario bad input', () => {
  it('accepts the base scenario', () => expect(() => compileRules(base())).not.toThrow());

  it('FAR below zero', () => {
    const s = base(); s.rules[0].maxFar = -1;
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*rules\.0\.maxFar.*FAR must be 0–50/);
  });

  it('absurd FAR (1e6)', () => {
    const s = base(); s.rules[0].maxFar = 1e6;
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*maxFar/);
  });

  it('NaN FAR', () => {
    const s = base(); s.rules[0].maxFar = NaN;
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID/);
  });

  it('overlapping bands', () => {
    const s = base(); s.bands[1].fromM = 300;
    expect(codeOf(() => compileRules(s))).toMatch(/^E_BANDS_OVERLAP: .*"mid" \(300–800 m\) overlaps "core" \(0–400 m\)/);
  });

  it('a band that ends before it starts', () => {
    const s = base(); s.bands[1] = { name: 'mid', fromM: 800, toM: 400 };
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*band "mid" ends/);
  });

  it('duplicate band names, and the reserved name "outside"', () => {
    const s = base(); s.bands[1].name = 'core';
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*two bands are named "core"/);
    const t = base(); t.bands[1].name = 'outside';
    expect(codeOf(() => compileRules(t))).toMatch(/^E_SCENARIO_INVALID: .*reserved/);
  });

  it('a rule naming a land use not in the vocabulary', () => {
    const s = base(); s.rules[0].landUses = ['residental'];
    expect(codeOf(() => compileRules(s))).toMatch(/^E_LAND_USE_UNKNOWN: .*rule 1: "residental" is not a land use/);
  });

  it('a rule naming a band that does not exist', () => {
    const s = base(); s.rules[0].bands = ['far'];
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*no band named "far"/);
  });

  it('a split that does not add up to 1', () => {
    const s = base(); s.rules[0].split = { residential: 0.5, commercial: 0.2, office: 0, civic: 0 };
    expect(codeOf(() => compileRules(s))).toMatch(/^E_SCENARIO_INVALID: .*adds up to 0\.7/);
  });

  it('an override for a parcel that does not exist, or naming an unknown land use', () => {
    const { prep } = columnsOf([{ fid: 1, area: 100, landUse: 'residential', existingFa: 0, floors: null, public: false, dist: 1, station: null }]);
    const s = ScenarioDefSchema.parse({ ...base(), parcelOverrides: [{ fid: 99, maxFar: 2 }] });
    expect(codeOf(() => bindOverrides(prep, s))).toMatch(/^E_SCENARIO_INVALID: .*fid 99/);
    const t = ScenarioDefSchema.parse({ ...base(), parcelOverrides: [{ fid: 1, landUse: 'casino' }] });
    expect(codeOf(() => bindOverrides(prep, t))).toMatch(/^E_LAND_USE_UNKNOWN: .*"casino"/);
  });

  it('assumptions: a divisor of zero, a share above 1, a missing key', () => {
    const e = fixtureAssumptions();
    expect(codeOf(() => resolveAssumptions(e.map((x) => (x.key === 'dwellingSizeM2' ? { ...x, value: 0 } : x))))).toMatch(/^E_ASSUMPTION_INVALID: .*dwellingSizeM2 must be greater than 0/);
    expect(codeOf(() => resolveAssumptions(e.map((x) => (x.key === 'modeShare.400m' ? { ...x, value: 1.5 } : x))))).toMatch(/^E_ASSUMPTION_INVALID: .*modeShare\.400m is a share/);
    expect(codeOf(() => resolveAssumptions(e.filter((x) => x.key !== 'tripsPerJob')))).toMatch(/^E_ASSUMPTION_INVALID: .*tripsPerJob is missing/);
  });
});
