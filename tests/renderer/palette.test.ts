// Parcel colouring: land-use classes by keyword (English, Thai, Japanese), stable extra colours,
// quantile breaks computed by hand for small inputs.
import { describe, expect, it } from 'vitest';
import { categoricalColors, classOf, landUseClass, numericColors, quantileBreaks } from '../../renderer/map/palette.js';

describe('palette', () => {
  it('classifies land-use labels in three languages', () => {
    expect(landUseClass('Residential')?.id).toBe('residential');
    expect(landUseClass('ที่อยู่อาศัยหนาแน่นสูง')?.id).toBe('residential');
    expect(landUseClass('商業地域')?.id).toBe('commercial');
    expect(landUseClass('Mixed use')?.id).toBe('mixed');
    expect(landUseClass('Public park')?.id).toBe('institutional'); // 'public' is checked before 'park': civic land first
    expect(landUseClass('')).toBeNull();
    expect(landUseClass('zzz')).toBeNull();
  });

  it('counts categories and gives one colour per label', () => {
    const { rgba, legend } = categoricalColors(['residential', 'commercial', 'residential', null, 'orchard']);
    expect(legend.map((e) => [e.label, e.count])).toEqual([['residential', 2], ['commercial', 1], ['', 1], ['orchard', 1]]);
    expect([...rgba.subarray(0, 4)]).toEqual([...rgba.subarray(8, 12)]);
    expect([...rgba.subarray(0, 4)]).not.toEqual([...rgba.subarray(4, 8)]);
  });

  it('computes quantile breaks', () => {
    // 10 sorted values 1..10, 5 classes: breaks at sorted[floor(k*10/5)] = sorted[2,4,6,8] = 3,5,7,9
    expect(quantileBreaks([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 5)).toEqual([3, 5, 7, 9]);
    // repeated values collapse: [1,1,1,1,2] 5 classes -> sorted[1..4] = 1,1,1,2 -> [1, 2]
    expect(quantileBreaks([1, 1, 1, 1, 2], 5)).toEqual([1, 2]);
    expect(quantileBreaks([NaN, Infinity])).toEqual([]);
    expect(classOf(0, [3, 5])).toBe(0);
    expect(classOf(3, [3, 5])).toBe(1);
    expect(classOf(9, [3, 5])).toBe(2);
  });

  it('paints missing numbers as no data', () => {
    const { rgba, colors } = numericColors(Float64Array.from([1, NaN, 100]), undefined, [50]);
    expect(colors.length).toBe(2);
    expect([...rgba.subarray(0, 4)]).toEqual(colors[0]);
    expect([...rgba.subarray(8, 12)]).toEqual(colors[1]);
    expect([...rgba.subarray(4, 8)]).not.toEqual(colors[0]);
  });
});
