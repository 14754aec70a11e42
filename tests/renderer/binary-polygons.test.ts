// The binary parcel buffers: hand-built expectations for offsets, closing vertices, multipolygon
// rows and per-vertex spreading (the arithmetic is in the comments beside each expectation).
import { describe, expect, it } from 'vitest';
import type { Geometry } from 'geojson';
import { buildPolygonBuffers, spreadToVertices, vertexColors, vertexElevations } from '../../renderer/map/binary-polygons.js';

const square: Geometry = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
const openTriangle: Geometry = { type: 'Polygon', coordinates: [[[5, 5], [6, 5], [5, 6]]] };
const twoParts: Geometry = { type: 'MultiPolygon', coordinates: [
  [[[10, 10], [11, 10], [11, 11], [10, 10]]],
  [[[20, 20], [21, 20], [21, 21], [20, 21], [20, 20]], [[20.2, 20.2], [20.4, 20.2], [20.4, 20.4], [20.2, 20.2]]],
] };

describe('buildPolygonBuffers', () => {
  const b = buildPolygonBuffers([square, null, openTriangle, twoParts, { type: 'Point', coordinates: [0, 0] }]);

  it('makes one row per outer ring and maps rows back to features', () => {
    // square (1 row), null (0), triangle (1), multipolygon (2 rows; hole dropped), point (0) = 4 rows
    expect(b.length).toBe(4);
    expect([...b.rowFeature]).toEqual([0, 2, 3, 3]);
    expect([...b.featureRowStart]).toEqual([0, 1, 1, 2, 4, 4]);
  });

  it('closes open rings and offsets vertex starts', () => {
    // square 5 (already closed), triangle 3 + 1 closing = 4, part one 4, part two outer 5 => starts 0,5,9,13,18
    expect([...b.startIndices]).toEqual([0, 5, 9, 13, 18]);
    expect(b.vertexCount).toBe(18);
    expect([...b.positions.subarray(5 * 2, 9 * 2)]).toEqual([5, 5, 6, 5, 5, 6, 5, 5]);
    expect([...b.positions.subarray(13 * 2, 14 * 2)]).toEqual([20, 20]);
  });

  it('spreads per-feature values onto every vertex of that feature', () => {
    const rgba = new Uint8Array(5 * 4);
    for (let f = 0; f < 5; f++) rgba.set([f * 10, 1, 2, 255], f * 4);
    const v = vertexColors(b, rgba);
    expect(v.length).toBe(18 * 4);
    expect([...v.subarray(0, 4)]).toEqual([0, 1, 2, 255]); // vertex 0 -> feature 0
    expect([...v.subarray(4 * 4, 5 * 4)]).toEqual([0, 1, 2, 255]); // vertex 4 still feature 0
    expect([...v.subarray(5 * 4, 6 * 4)]).toEqual([20, 1, 2, 255]); // vertex 5 -> feature 2
    expect([...v.subarray(17 * 4, 18 * 4)]).toEqual([30, 1, 2, 255]); // last vertex -> feature 3
    const h = vertexElevations(b, Float32Array.from([1, 2, 3, 4, 5]));
    expect([...h]).toEqual([1, 1, 1, 1, 1, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
  });

  it('refuses buffers of the wrong size instead of writing past them', () => {
    expect(() => spreadToVertices(b, new Float32Array(3), 1, new Float32Array(18))).toThrow(RangeError);
    expect(() => spreadToVertices(b, new Float32Array(5), 1, new Float32Array(17))).toThrow(RangeError);
  });
});
