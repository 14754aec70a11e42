/**
 * Property: for seeded random parcels and rules, floor area is never negative, never NaN, and a
 * redeveloped parcel never exceeds its caps (FAR × area, floors × coverage × area × (1 − open share),
 * zone or override caps where they apply). Caps are recomputed here from the rule, independently.
 */
import { describe, expect, it } from 'vitest';
import { compileRules } from '../../../core/scenario/compile.js';
import { evaluateParcels, FLAG, type ParcelColumns, type SiteInputs } from '../../../core/scenario/evaluate.js';
import { buildIndicators } from '../../../core/scenario/indicators.js';
import type { ScenarioDefInput } from '../../../core/scenario/model.js';
import { LAND_USES, LU_UNKNOWN, NU } from '../../../core/scenario/vocabulary.js';
import { assumptions } from './fixture-case.js';
import { mulberry32 as rng } from '../../../core/util/prng.js';


function weird(r: () => number, normal: () => number): number {
  const x = r();
  return x < 0.03 ? NaN : x < 0.05 ? 0 : x < 0.06 ? -1 : x < 0.065 ? Infinity : normal();
}

describe('scenario property: floor area is finite, non-negative and within caps', () => {
  it('holds over 300 seeded random scenarios', () => {
    const a = assumptions();
    const bad: string[] = [];
    const ok = (cond: boolean, msg: string) => { if (!cond && bad.length < 20) bad.push(msg); };
    for (let iter = 0; iter < 300; iter++) {
      const r = rng(1000 + iter);
      const nb = 1 + Math.floor(r() * 4);
      const bands = Array.from({ length: nb }, (_, k) => ({ name: `b${k}`, fromM: k * 400, toM: (k + 1) * 400 }));
      const rules = Array.from({ length: Math.floor(r() * 8) }, () => {
        const s = [r(), r(), r(), r()];
        const t = s[0] + s[1] + s[2] + s[3];
        const res = s[0] / t, com = s[1] / t, off = s[2] / t;
        return {
          bands: r() < 0.3 ? undefined : [...bands.map((b) => b.name), 'outside'].filter(() => r() < 0.5),
          landUses: r() < 0.3 ? undefined : LAND_USES.filter(() => r() < 0.4),
          maxFar: r() * 20, maxFloors: r() * 80, coverage: 0.05 + r() * 0.95, openSpaceShare: r() * 0.5,
          split: { residential: res, commercial: com, office: off, civic: Math.max(0, 1 - res - com - off) },
          parking: { perDwelling: r() * 2, per100m2NonResidential: r() * 3 },
        };
      });
      const def: ScenarioDefInput = {
        name: `random ${iter}`, bands, rules, softSiteFactor: 1 + r() * 3,
        publicLand: { mode: (['keep', 'asPrivate', 'own'] as const)[Math.floor(r() * 3)], softSiteFactor: 1 + r() },
      };
      const c = compileRules(def);
      const n = 200;
      const cols: ParcelColumns = {
        n, fid: Float64Array.from({ length: n }, (_, i) => i + 1),
        area: Float64Array.from({ length: n }, () => weird(r, () => 10 + r() * 20000)),
        landUse: Uint8Array.from({ length: n }, () => (r() < 0.05 ? LU_UNKNOWN : Math.floor(r() * NU))),
        existingFa: Float64Array.from({ length: n }, () => weird(r, () => r() * 50000)),
        existingFloors: Float64Array.from({ length: n }, () => weird(r, () => r() * 30)),
        isPublic: Uint8Array.from({ length: n }, () => (r() < 0.2 ? 1 : 0)),
      };
      const zoned = r() < 0.5;
      const site: SiteInputs = {
        dist: Float64Array.from({ length: n }, () => weird(r, () => r() * 2500)), station: Int32Array.from({ length: n }, () => Math.floor(r() * 3) - 1),
        stationNames: ['S1', 'S2'], excluded: r() < 0.5 ? Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0)) : null,
        zoneFar: zoned ? Float64Array.from({ length: n }, () => (r() < 0.2 ? r() * 10 : NaN)) : null,
        zoneFloors: zoned ? Float64Array.from({ length: n }, () => (r() < 0.2 ? r() * 40 : NaN)) : null,
        zoneUse: zoned ? Uint8Array.from({ length: n }, () => (r() < 0.1 ? Math.floor(r() * NU) : LU_UNKNOWN)) : null,
      };
      const res = evaluateParcels(cols, site, c, a, null);
      for (let i = 0; i < n; i++) {
        const F = res.floorArea[i];
        const where = `iteration ${iter}, parcel ${i}`;
        for (const arr of [res.floorArea, res.permitted, res.residential, res.commercial, res.office, res.civic, res.industrial, res.dwellings, res.residents, res.jobs, res.boardings, res.parking, res.openSpace]) {
          ok(Number.isFinite(arr[i]) && arr[i] >= 0, `${where}: ${arr[i]} not finite and non-negative`);
        }
        const sumUses = res.residential[i] + res.commercial[i] + res.office[i] + res.civic[i] + res.industrial[i];
        ok(Math.abs(sumUses - F) <= 1e-6 * Math.max(1, F), `${where}: uses add up to ${sumUses}, floor area ${F}`);
        if (res.flags[i] & FLAG.INVALID_AREA) { ok(F === 0, `${where}: invalid parcel has floor area ${F}`); continue; }
        if (!res.redeveloped[i]) continue;
        const A = cols.area[i];
        const use = site.zoneUse && site.zoneUse[i] !== LU_UNKNOWN ? site.zoneUse[i] : cols.landUse[i];
        const cell = res.band[i] * NU + use;
        const far = site.zoneFar && site.zoneFar[i] === site.zoneFar[i] ? site.zoneFar[i] : c.far[cell];
        const floors = site.zoneFloors && site.zoneFloors[i] === site.zoneFloors[i] ? site.zoneFloors[i] : c.floors[cell];
        ok(F <= far * A * (1 + 1e-12), `${where}: ${F} above FAR cap ${far * A}`);
        ok(F <= floors * c.coverage[cell] * A * (1 - c.openShare[cell]) * (1 + 1e-12), `${where}: ${F} above height cap`);
        ok((site.excluded?.[i] ?? 0) === 0, `${where}: excluded parcel redeveloped`);
      }
      const ind = buildIndicators(res, c.bandNames, c.bandFrom, c.bandTo, site.stationNames);
      const check = (v: unknown, path: string): void => {
        if (typeof v === 'number') ok(Number.isFinite(v), `${iter} ${path} = ${v}`);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) check(x, `${path}.${k}`);
      };
      check(ind, 'indicators');
    }
    expect(bad).toEqual([]);
  });
});
