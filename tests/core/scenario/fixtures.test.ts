/** Hand-computed fixtures (tests/fixtures/scenario/<case>/SOURCE.md shows the arithmetic) through the engine. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../core/scenario/compile.js';
import { metricDeltas } from '../../../core/scenario/compare.js';
import { evaluateParcels, type ParcelResult } from '../../../core/scenario/evaluate.js';
import { buildIndicators } from '../../../core/scenario/indicators.js';
import { ScenarioDefSchema } from '../../../core/scenario/model.js';
import { bindOverrides } from '../../../core/scenario/run.js';
import { assumptions, columnsOf, FIXTURES, loadCase, siteOf } from './fixture-case.js';

// calibration-* cases are whole projects (GeoJSON layers), run by calibrate.test.ts.
const CASES = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory() && !d.startsWith('calibration-')).sort();

function close(actual: unknown, expected: unknown, where: string): void {
  if (typeof expected === 'number') {
    expect(typeof actual, where).toBe('number');
    expect(Math.abs((actual as number) - expected), `${where}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
  } else if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    for (const [k, v] of Object.entries(expected)) close((actual as Record<string, unknown>)[k], v, `${where}.${k}`);
  } else expect(actual, where).toEqual(expected);
}

function run(name: string) {
  const { input, expected } = loadCase(name);
  const def = ScenarioDefSchema.parse(input.scenario);
  const { cols, prep } = columnsOf(input.parcels);
  const site = siteOf(input);
  const rules = compileRules(def);
  const a = assumptions(input.assumptions);
  const r = evaluateParcels(cols, site, rules, a, bindOverrides(prep, def));
  const ind = buildIndicators(r, rules.bandNames, rules.bandFrom, rules.bandTo, site.stationNames);
  return { input, expected, def, cols, site, rules, r, ind, a };
}

function parcelView(r: ParcelResult, i: number, bandNames: string[]) {
  return {
    permitted: r.permitted[i], floorArea: r.floorArea[i], redeveloped: r.redeveloped[i], flags: r.flags[i], residential: r.residential[i],
    commercial: r.commercial[i], office: r.office[i], civic: r.civic[i], industrial: r.industrial[i], dwellings: r.dwellings[i],
    residents: r.residents[i], jobs: r.jobs[i], boardings: r.boardings[i], parking: r.parking[i], openSpace: r.openSpace[i], band: bandNames[r.band[i]],
  };
}

describe('scenario fixtures (hand-computed)', () => {
  it('has the cases the issue asks for', () => {
    expect(CASES).toEqual(expect.arrayContaining(['far-cap', 'height-cap', 'soft-site', 'public-keep', 'public-as-private', 'public-own', 'exclusion', 'zone', 'override', 'invalid-area', 'indicators', 'dwelling-size', 'default-uses']));
  });

  for (const name of CASES) {
    it(name, () => {
      const { input, expected, r, ind, rules } = run(name);
      const exp = expected as Record<string, any>;
      for (const [fid, want] of Object.entries(exp.parcels ?? {})) {
        const i = input.parcels.findIndex((p) => p.fid === Number(fid));
        close(parcelView(r, i, rules.bandNames), want, `${name} parcel ${fid}`);
      }
      if (exp.total) close(ind.total, exp.total, `${name} total`);
      for (const [band, want] of Object.entries(exp.bands ?? {})) close(ind.bands.find((b) => b.band === band)?.indicators, want, `${name} band ${band}`);
      for (const [st, want] of Object.entries(exp.stations ?? {})) close(ind.stations.find((s) => s.station === st)?.indicators, want, `${name} station ${st}`);
      if (exp.itdp) close(ind.itdp.map((m) => m.value), exp.itdp, `${name} itdp`);
      if (exp.itdpMeets) expect(ind.itdp.map((m) => m.meets)).toEqual(exp.itdpMeets);
      for (let i = 0; i < r.n; i++) {
        for (const v of Object.values(parcelView(r, i, rules.bandNames))) if (typeof v === 'number') expect(Number.isFinite(v) && v >= 0).toBe(true);
      }
    });
  }

  it('indicators: change against Existing', () => {
    const { input, expected, cols, site, a, ind } = run('indicators');
    const existing = compileRules({ ...input.scenario, name: 'Existing', rules: [] });
    const base = evaluateParcels(cols, site, existing, a, null);
    const baseInd = buildIndicators(base, existing.bandNames, existing.bandFrom, existing.bandTo, site.stationNames);
    close(metricDeltas(ind.total, baseInd.total), (expected as any).changeVsExisting, 'changeVsExisting');
  });
});
