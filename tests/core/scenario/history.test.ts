/**
 * A scenario's version history (scenario.history): every saved version newest first, its note, and
 * what changed from the version before in words (core/scenario/changes.ts), each line written out by
 * hand below from the two definitions. On a file nobody is recorded as the saver; the database case
 * (the role that saved each version) is in tests/core/postgis/postgis-store.test.ts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { definitionChanges } from '../../../core/scenario/changes.js';
import { ScenarioDefSchema, type ScenarioDefInput } from '../../../core/scenario/model.js';
import { tmpDir } from '../../helpers/tmp.js';

const split = (residential: number) => ({ residential, commercial: 1 - residential, office: 0, civic: 0 });
const BASE: ScenarioDefInput = {
  name: 'TOD core', bands: [{ name: 'core', fromM: 0, toM: 400 }, { name: 'ring', fromM: 400, toM: 800 }], softSiteFactor: 1.5, publicLand: { mode: 'keep' },
  rules: [
    { bands: ['core'], landUses: ['residential'], maxFar: 6, maxFloors: 30, coverage: 0.6, split: split(1) },
    { bands: ['ring'], maxFar: 3, maxFloors: 12, coverage: 0.5, split: split(0.8) },
  ],
};
const def = (d: ScenarioDefInput) => ScenarioDefSchema.parse(d);

describe('definitionChanges', () => {
  it('the same definition: no lines', () => {
    expect(definitionChanges(def(BASE), def(BASE))).toEqual([]);
  });

  it('a rule\'s FAR, floors and coverage, named by its bands and uses', () => {
    const next = def({ ...BASE, rules: [{ ...BASE.rules[0], maxFar: 8, maxFloors: 40, coverage: 0.55 }, BASE.rules[1]] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rule 1 (core; residential): max FAR 6 → 8; max floors 30 → 40; coverage 60 % → 55 %']);
  });

  it('a rule inserted first reads as one addition, not as every rule changed; a removed rule is named', () => {
    const added = { bands: ['core'], landUses: ['commercial'], maxFar: 10, maxFloors: 50, coverage: 0.7, split: split(0) };
    const next = def({ ...BASE, rules: [added, ...BASE.rules] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rule 1 added (core; commercial): max FAR 10, max floors 50, coverage 70 %']);
    expect(definitionChanges(next, def(BASE))).toEqual(['rule 1 of the previous version removed (core; commercial)']);
  });

  it('rules swapped: said, because later rules win where they overlap', () => {
    const next = def({ ...BASE, rules: [BASE.rules[1], BASE.rules[0]] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rules reordered (later rules win where they overlap)']);
  });

  it('two rules with the same bands and uses are compared by position', () => {
    const twin = def({ ...BASE, rules: [BASE.rules[1], { ...BASE.rules[1], maxFar: 4 }] });
    const next = def({ ...BASE, rules: [BASE.rules[1], { ...BASE.rules[1], maxFar: 5, split: split(0.5) }] });
    expect(definitionChanges(twin, next)).toEqual(['rule 2 (ring; all uses): max FAR 4 → 5; use split residential 80 %, commercial 20 %, office 0 %, civic 0 % → residential 50 %, commercial 50 %, office 0 %, civic 0 %']);
  });

  it('bands, soft sites, public land, exclusions, zones, overrides, induced growth, agricultural land and the name', () => {
    const a = def({ ...BASE, exclusions: [{ layer: 'heritage', kind: 'heritage' }], parcelOverrides: [{ fid: 7, maxFar: 2 }, { fid: 9, mode: 'keep' }] });
    const b = def({
      ...BASE, name: 'TOD core (council)', description: 'after the hearing',
      bands: [{ name: 'core', fromM: 0, toM: 500 }, { name: 'ring', fromM: 500, toM: 800 }, { name: 'edge', fromM: 800, toM: 1200 }],
      softSiteFactor: 2, publicLand: { mode: 'own', softSiteFactor: 3 },
      exclusions: [{ layer: 'heritage', kind: 'heritage', bufferM: 50 }, { layer: 'canals', kind: 'water', bufferM: 20 }],
      zoneLayer: 'zones', parcelOverrides: [{ fid: 7, maxFar: 3 }, { fid: 11, mode: 'redevelop' }], inducedGrowth: 0.25, rezonesAgricultural: true,
    });
    expect(definitionChanges(a, b)).toEqual([
      'name "TOD core" → "TOD core (council)"',
      'description edited',
      'band "core" 0–400 m → 0–500 m',
      'band "ring" 400–800 m → 500–800 m',
      'band "edge" added (800–1200 m)',
      'soft-site factor 1.5 → 2',
      'public land kept → own factor 3',
      'exclusion heritage (layer heritage): buffer 0 → 50 m',
      'exclusion added: water from layer canals within 20 m',
      'zone layer none → zones',
      'parcel overrides: 1 added (parcel 11); 1 changed (parcel 7); 1 removed (parcel 9)',
      'induced growth 0 % → 25 % of the baseline',
      'now rezones agricultural land',
    ]);
  });
});

describe('scenario.history on a project file', () => {
  const dir = tmpDir();
  const svc = new EkimaeService({ strictOutputs: true });
  beforeAll(async () => {
    await svc.invoke('project.create', { path: join(dir, 'h.gpkg'), settings: { name: 'history test', country: 'TH' } });
  });

  it('lists every version newest first with its note and its changes; nobody is named as the saver in a file', async () => {
    const v1 = await svc.invoke('scenario.save', { scenario: BASE, note: 'first draft' });
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...BASE, rules: [{ ...BASE.rules[0], maxFar: 7 }, BASE.rules[1]] }, note: 'FAR up after the market study' });
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...BASE, rules: [{ ...BASE.rules[0], maxFar: 7 }, BASE.rules[1]] } });
    const h = await svc.invoke('scenario.history', { id: v1.id });
    expect(h).toMatchObject({ id: 'tod-core', name: 'TOD core', authors: 'file', warnings: [] });
    expect(h.versions.map((v) => [v.version, v.note, v.savedBy, v.savedAt, v.changes])).toEqual([
      [3, null, null, null, []],
      [2, 'FAR up after the market study', null, null, ['rule 1 (core; residential): max FAR 6 → 7']],
      [1, 'first draft', null, null, null],
    ]);
    expect(h.versions.every((v) => !Number.isNaN(Date.parse(v.createdAt)))).toBe(true);
  });

  it('an unknown scenario is E_SCENARIO_NOT_FOUND', async () => {
    const r = await svc.call('scenario.history', { id: 'no-such' });
    expect(r.ok ? null : r.error.code).toBe('E_SCENARIO_NOT_FOUND');
  });
});
