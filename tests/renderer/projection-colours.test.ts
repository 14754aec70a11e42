// The projection by horizon as the page receives it (typed columns, another parcel order than the
// map's), one column per feature, and the words on each legend entry.
import { describe, expect, it } from 'vitest';
import { translator } from '../../renderer/i18n/index.js';
import { columnLabel, decodeProjection, farAtColumn, featureOrder, floorsOfFar, projectionColouring } from '../../renderer/map/projection-colours.js';

const zero = { floorAreaM2: 0, residents: 0, jobs: 0 };
// Parcels 30, 10, 20 in the projection's order; columns 2030, 2045, capacity.
const far = Float32Array.from([0.5, 1.5, 2.5, /* 2045 */ 1, 2, 3, /* capacity */ 4, 5, 6]);
const wire = {
  scenarioId: 'tod', version: 2, name: 'TOD', parcelLayer: 'parcels', source: 'stored take-up run 1', baseYear: 2024, horizons: [2030, 2045], n: 3,
  columns: [2030, 2045, 'capacity' as const], fids: Float64Array.from([30, 10, 20]), far,
  bands: [], total: { horizons: [zero, zero], capacity: zero },
};
const features = [{ id: 10, geometry: null }, { id: 20, geometry: null }, { id: 30, geometry: null }, { id: 40, geometry: null }];

describe('projection by horizon in the renderer', () => {
  const d = decodeProjection(wire);

  it('checks the typed columns and puts each column on the map\'s features by fid', () => {
    expect(Array.from(d.fids)).toEqual([30, 10, 20]);
    const order = featureOrder(features, d.fids);
    expect(Array.from(order)).toEqual([2, 0, 1]);
    expect(Array.from(farAtColumn(d, order, 4, 1))).toEqual([2, 3, 1, NaN]);
    expect(Array.from(farAtColumn(d, order, 4, 2))).toEqual([5, 6, 4, NaN]);
    expect(Array.from(floorsOfFar(farAtColumn(d, order, 4, 0)))).toEqual([1.5, 2.5, 0.5, 1]);
  });

  it('names each column "projected <year>" or "capacity", on every legend entry, in each language', () => {
    const en = translator('en');
    expect(columnLabel(en, d, 1)).toBe('projected 2045');
    expect(columnLabel(en, d, 2)).toBe('capacity');
    expect(columnLabel(translator('ja'), d, 0)).toBe('2030年予測');
    const c = projectionColouring(farAtColumn(d, featureOrder(features, d.fids), 4, 2), 'capacity');
    expect(c.legend.length).toBeGreaterThan(0);
    expect(c.legend.every((e) => e.label.endsWith('(capacity)'))).toBe(true);
  });

  it('refuses columns that do not match the parcels', () => {
    expect(() => decodeProjection({ ...wire, n: 4 })).toThrow(/4 parcels/);
    expect(() => decodeProjection({ ...wire, far: Float32Array.from([1, 2, 3]) })).toThrow(/3 FAR values for 3 parcels × 3 columns/);
    // Not typed (the base64 strings of an older core, or JSON arrays): refused, not misread.
    expect(() => decodeProjection({ ...wire, fids: [30, 10, 20] as unknown as Float64Array })).toThrow(/typed arrays/);
  });
});
