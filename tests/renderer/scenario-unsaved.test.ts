// Whether the scenario on screen is unsaved (the reload asks only then): the same definition whatever
// its key order or absent keys, different on any value, nested or in an array.
import { describe, expect, it } from 'vitest';
import { sameDefinition } from '../../renderer/panels/scenario-panel.js';

describe('sameDefinition', () => {
  const saved = { name: 'TOD', rules: [{ bands: ['core'], maxFar: 6, split: { residential: 1, commercial: 0 } }], zoneLayer: null };
  it('the core\'s copy and one rebuilt here in another key order are the same', () => {
    expect(sameDefinition(saved, { zoneLayer: null, rules: [{ split: { commercial: 0, residential: 1 }, maxFar: 6, bands: ['core'] }], name: 'TOD' })).toBe(true);
    expect(sameDefinition(saved, { ...saved, note: undefined })).toBe(true);
  });
  it('any changed value, nested or in an array, or a null against an object, differs', () => {
    expect(sameDefinition(saved, { ...saved, rules: [{ ...saved.rules[0], maxFar: 6.1 }] })).toBe(false);
    expect(sameDefinition(saved, { ...saved, rules: [{ ...saved.rules[0], bands: ['core', 'ring'] }] })).toBe(false);
    expect(sameDefinition(saved, { ...saved, rules: [] })).toBe(false);
    expect(sameDefinition(saved, { ...saved, zoneLayer: 'zones' })).toBe(false);
    expect(sameDefinition(saved, { ...saved, zoneLayer: {} })).toBe(false);
    expect(sameDefinition({ a: [1] }, { a: { 0: 1 } })).toBe(false);
  });
});
