// Accessibility colouring by fid: parcels with a value get the ramp's classes (more people = a later
// class), a parcel the run has no value for stays the no-data grey, fids not on the map are ignored.
import { describe, expect, it } from 'vitest';
import { accessColouring } from '../../renderer/map/analysis-colours.js';

const features = [{ id: 10, geometry: null }, { id: 11, geometry: null }, { id: 12, geometry: null }, { id: 13, geometry: null }, { id: 14, geometry: null }];

describe('access colouring', () => {
  it('colours by value in classes; missing parcels grey', () => {
    const c = accessColouring(features, Float64Array.from([10, 11, 12, 13, 99]), Float64Array.from([100, 5000, 20000, 100, 1e9]), 'no data');
    const px = (i: number) => [...c.rgba.subarray(4 * i, 4 * i + 4)];
    expect(px(0)).toEqual(px(3)); // the same value, the same class
    expect(px(0)).not.toEqual(px(2));
    expect(px(4)).toEqual([225, 225, 230, 255]); // fid 14 has no value
    expect(c.legend.length).toBeGreaterThan(1);
    expect(c.legend[c.legend.length - 1].label).toMatch(/^≥ /);
  });
});
