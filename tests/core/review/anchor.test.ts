import { describe, expect, it } from 'vitest';
import { anchorPoint, pinArea } from '../../../core/review/anchor.js';
import type { Position } from '../../../core/geo/geometry.js';

describe('where a comment on a feature is pinned', () => {
  it('a square parcel: its centre', () => {
    const p = anchorPoint({ type: 'Polygon', coordinates: [[[100.53, 13.8], [100.532, 13.8], [100.532, 13.802], [100.53, 13.802], [100.53, 13.8]]] })!;
    expect(p[0]).toBeCloseTo(100.531, 12);
    expect(p[1]).toBeCloseTo(13.801, 12);
  });

  it('a U-shaped parcel whose centroid falls in the notch: the middle of the widest inside stretch at that latitude', () => {
    // 3x3 square minus the notch x 1..2, y 1..3. Area 9 - 2 = 7.
    // Centroid x = (9*1.5 - 2*1.5)/7 = 1.5; y = (9*1.5 - 2*2)/7 = 9.5/7 = 1.357142857…, inside the notch.
    // The line y = 9.5/7 crosses the ring at x = 0, 1, 2, 3: inside stretches [0,1] and [2,3], equally wide; the first is taken.
    const u: Position[] = [[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]];
    const p = anchorPoint({ type: 'Polygon', coordinates: [u] })!;
    expect(p[0]).toBeCloseTo(0.5, 12);
    expect(p[1]).toBeCloseTo(9.5 / 7, 12);
  });

  it('a parcel with a courtyard around its centre: beside the courtyard', () => {
    // Square 0..4 with a hole 1..3: centroid (2, 2) is in the hole; y = 2 crosses at 0, 1, 3, 4 -> [0,1] first.
    const outer: Position[] = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const hole: Position[] = [[1, 1], [1, 3], [3, 3], [3, 1], [1, 1]];
    expect(anchorPoint({ type: 'Polygon', coordinates: [outer, hole] })).toEqual([0.5, 2]);
  });

  it('a multipolygon: the area-weighted centroid when it lies in a part', () => {
    // Parts 0..2 x 0..2 (area 4, centre (1,1)) and 2..3 x 0..2 (area 2, centre (2.5,1)): x = (4 + 5)/6 = 1.5.
    const a: Position[] = [[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]];
    const b: Position[] = [[2, 0], [3, 0], [3, 2], [2, 2], [2, 0]];
    const p = anchorPoint({ type: 'MultiPolygon', coordinates: [[a], [b]] })!;
    expect(p[0]).toBeCloseTo(1.5, 12);
    expect(p[1]).toBeCloseTo(1, 12);
  });

  it('a line: halfway along its length; a point: itself', () => {
    // (0,0)->(3,0)->(3,4): length 7, half 3.5 = 3 along the first segment + 0.5 up the second.
    expect(anchorPoint({ type: 'LineString', coordinates: [[0, 0], [3, 0], [3, 4]] })).toEqual([3, 0.5]);
    expect(anchorPoint({ type: 'Point', coordinates: [100.5, 13.7] })).toEqual([100.5, 13.7]);
  });
});

describe('the area pins may go in', () => {
  it('grows a small plan by 0.01 degrees and a large one by a quarter of its larger side', () => {
    // span 0.004 deg: 25% = 0.001 < 0.01, so 0.01 on every side.
    const small = pinArea([100, 13, 100.004, 13.002])!;
    [99.99, 12.99, 100.014, 13.012].forEach((v, i) => expect(small[i]).toBeCloseTo(v, 12));
    // span 1 deg: 25% = 0.25.
    expect(pinArea([0, 0, 1, 0.5])).toEqual([-0.25, -0.25, 1.25, 0.75]);
    expect(pinArea(null)).toBeNull();
  });
});
