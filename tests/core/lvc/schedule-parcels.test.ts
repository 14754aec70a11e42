/**
 * A 'periods' development schedule may list the parcels it builds (the take-up's re-runs do, so
 * the sensitivity's draws read only those): the capture run must equal the run on the same schedule
 * without the lists, the distance index reweighted from the list must equal the full pass, and the
 * schedule check still refuses bad shares and parcels out of range.
 */
import { describe, expect, it } from 'vitest';
import { defaultLvcParams } from '../../../core/lvc/params.js';
import { prepare, runLvc, withSchedule } from '../../../core/lvc/run.js';
import { checkSchedule, type DevelopmentSchedule } from '../../../core/lvc/schedule.js';
import { DistanceIndex, type LvcParcels } from '../../../core/lvc/uplift.js';
import { mulberry32 } from '../../../core/util/prng.js';

const N = 600;
const r = mulberry32(3);
const parcels: LvcParcels = {
  fid: Float64Array.from({ length: N }, (_, i) => i + 1), areaM2: Float64Array.from({ length: N }, () => 200 + r() * 4000),
  landValue: Float64Array.from({ length: N }, () => 20_000 + r() * 80_000),
  distM: Float64Array.from({ length: N }, () => (r() < 0.1 ? Infinity : Math.round(r() * 30) * 50)), // ties in distance
  isPublic: Uint8Array.from({ length: N }, () => (r() < 0.1 ? 1 : 0)), railwayDevelopable: Uint8Array.from({ length: N }, () => (r() < 0.05 ? 1 : 0)),
  station: Int32Array.from({ length: N }, () => Math.floor(r() * 2)), stationNames: ['A', 'B'],
  addedGfa: { residential: Float64Array.from({ length: N }, () => (r() < 0.5 ? r() * 5000 : 0)), commercial: Float64Array.from({ length: N }, () => (r() < 0.3 ? r() * 2000 : 0)) },
  bonusGfa: Float64Array.from({ length: N }, () => (r() < 0.2 ? r() * 800 : 0)),
};
const params = { ...defaultLvcParams('TH').params, baseYear: 2025, horizonYears: 25 };

/** Three periods building random parcels (a fifth of them each), with and without the lists. */
function schedules(): { listed: DevelopmentSchedule; full: DevelopmentSchedule } {
  const spans: Array<[number, number]> = [[1, 5], [6, 10], [11, 20]];
  const periods = spans.map(([from, to]) => {
    const perYear = new Float64Array(N), list: number[] = [];
    for (let i = 0; i < N; i++) if (r() < 0.2) { perYear[i] = (r() * 0.3) / (to - from + 1); list.push(i); }
    return { from, to, perYear, parcels: Uint32Array.from(list) };
  });
  return {
    listed: { kind: 'periods', years: 25, periods },
    full: { kind: 'periods', years: 25, periods: periods.map(({ from, to, perYear }) => ({ from, to, perYear })) },
  };
}

describe('a schedule that lists the parcels each period builds', () => {
  it('gives the same capture run as the same schedule without the lists', () => {
    const { listed, full } = schedules();
    const prep = prepare(parcels, params, full);
    const a = runLvc(withSchedule(prep, params, listed), params);
    const b = runLvc(withSchedule(prep, params, full), params);
    expect(a).toEqual(b);
    expect(a.summary.upliftDevelopment).toBeGreaterThan(0);
    expect(a.summary.upliftDevelopment).toBeLessThan(a.summary.upliftDevelopmentCapacity);
  });

  it('reweights the distance index from the list exactly as from every parcel (ties in distance, unreached parcels)', () => {
    const { listed } = schedules();
    const index = new DistanceIndex(parcels);
    for (const q of (listed as Extract<DevelopmentSchedule, { kind: 'periods' }>).periods) {
      expect(index.reweighted(parcels, q.perYear, q.parcels)).toEqual(index.reweighted(parcels, q.perYear));
    }
  });

  it('the check refuses a listed share above 1, shares adding up past 1, and a listed parcel out of range', () => {
    const bad = (f: (p: Extract<DevelopmentSchedule, { kind: 'periods' }>) => void) => {
      const { listed } = schedules();
      f(listed as Extract<DevelopmentSchedule, { kind: 'periods' }>);
      return () => checkSchedule(listed, N, 25);
    };
    expect(bad(() => {})).not.toThrow();
    expect(bad((s) => { s.periods[0].perYear[s.periods[0].parcels![0]] = 1.5; })).toThrow(/not in 0–1/);
    expect(bad((s) => { const i = s.periods[2].parcels![0]; s.periods[2].perYear[i] = 0.2; })).toThrow(/add up to/);
    expect(bad((s) => { s.periods[1].parcels = Uint32Array.from([...s.periods[1].parcels!, N + 3]); })).toThrow(/lists parcel/);
  });
});
