/** Load a tests/fixtures/scenario/<case> directory into the engine's typed inputs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSUMPTION_KEYS, resolveAssumptions, type AssumptionEntry } from '../../../core/scenario/assumptions.js';
import type { ParcelColumns, SiteInputs } from '../../../core/scenario/evaluate.js';
import type { PreparedParcels } from '../../../core/scenario/prepare.js';
import { landUseCode, LU_UNKNOWN } from '../../../core/scenario/vocabulary.js';
import type { ScenarioDefInput } from '../../../core/scenario/model.js';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/scenario');

export interface FixtureParcel {
  fid: number; area: number | null; landUse: string; existingFa: number | null; floors: number | null; public: boolean;
  dist: number | null; station: string | null; excluded?: boolean; zone?: { far?: number; floors?: number; landUse?: string };
}
export interface FixtureIn { scenario: ScenarioDefInput; stations: string[]; parcels: FixtureParcel[]; assumptions?: Record<string, number> }

export function fixtureAssumptions(overrides: Record<string, number> = {}): AssumptionEntry[] {
  const v = { ...JSON.parse(readFileSync(join(FIXTURES, 'assumptions.json'), 'utf8')) as Record<string, number>, ...overrides };
  return Object.entries(v).map(([key, value]) => ({ key: key as keyof typeof ASSUMPTION_KEYS, value, unit: 'fixture', source: 'tests/fixtures/scenario/README.md' }));
}
export const assumptions = (overrides?: Record<string, number>) => resolveAssumptions(fixtureAssumptions(overrides));

export function loadCase(name: string): { input: FixtureIn; expected: Record<string, unknown> } {
  const dir = join(FIXTURES, name);
  return { input: JSON.parse(readFileSync(join(dir, 'in.json'), 'utf8')), expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) };
}

export function columnsOf(ps: FixtureParcel[]): { cols: ParcelColumns; prep: PreparedParcels } {
  const n = ps.length;
  const cols: ParcelColumns = {
    n, fid: Float64Array.from(ps, (p) => p.fid), area: Float64Array.from(ps, (p) => p.area ?? NaN), landUse: Uint8Array.from(ps, (p) => landUseCode(p.landUse)),
    existingFa: Float64Array.from(ps, (p) => p.existingFa ?? NaN), existingFloors: Float64Array.from(ps, (p) => p.floors ?? NaN), isPublic: Uint8Array.from(ps, (p) => (p.public ? 1 : 0)),
  };
  const prep = {
    layer: 'fixture', token: '', cols, cx: new Float64Array(n), cy: new Float64Array(n), crs: null as never,
    fidIndex: new Map(ps.map((p, i) => [p.fid, i])), presentUses: new Set(cols.landUse), unknownLandUses: {},
  } satisfies PreparedParcels;
  return { cols, prep };
}

export function siteOf(input: FixtureIn): SiteInputs {
  const ps = input.parcels;
  const zoned = ps.some((p) => p.zone);
  return {
    dist: Float64Array.from(ps, (p) => p.dist ?? NaN),
    station: Int32Array.from(ps, (p) => (p.station === null ? -1 : input.stations.indexOf(p.station))),
    stationNames: input.stations,
    excluded: ps.some((p) => p.excluded) ? Uint8Array.from(ps, (p) => (p.excluded ? 1 : 0)) : null,
    zoneFar: zoned ? Float64Array.from(ps, (p) => p.zone?.far ?? NaN) : null,
    zoneFloors: zoned ? Float64Array.from(ps, (p) => p.zone?.floors ?? NaN) : null,
    zoneUse: zoned ? Uint8Array.from(ps, (p) => (p.zone?.landUse ? landUseCode(p.zone.landUse) : LU_UNKNOWN)) : null,
  };
}
