/**
 * WKT text geometry: expected coordinates are read off the WKT strings by hand; the round trip of
 * random doubles checks that formatWkt writes every coordinate exactly (String(number) is shortest-exact).
 */
import { describe, expect, it } from 'vitest';
import { formatWkt, parseWkt, WktError } from '../../../core/io/wkt.js';
import type { Geometry } from '../../../core/geo/geometry.js';

describe('parseWkt', () => {
  const cases: Array<[string, unknown]> = [
    ['POINT (100.53 13.803)', { type: 'Point', coordinates: [100.53, 13.803] }],
    ['point(1 2)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT Z (1 2 3)', { type: 'Point', coordinates: [1, 2] }],
    ['POINTZ (1 2 3)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT M (1 2 9)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT ZM (1 2 3 4)', { type: 'Point', coordinates: [1, 2] }],
    ['POINT (1e3 -2.5E-2)', { type: 'Point', coordinates: [1000, -0.025] }],
    ['LINESTRING (0 0, 1 1, 2 0)', { type: 'LineString', coordinates: [[0, 0], [1, 1], [2, 0]] }],
    ['POLYGON ((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))', { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] }],
    ['MULTIPOINT ((1 2), (3 4))', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTIPOINT (1 2, 3 4)', { type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] }],
    ['MULTILINESTRING ((0 0, 1 1), (2 2, 3 3))', { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] }],
    ['MULTIPOLYGON Z (((0 0 1, 1 0 1, 1 1 1, 0 0 1)), ((5 5 2, 6 5 2, 6 6 2, 5 5 2)))',
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }],
    ['  LINESTRING EMPTY ', { type: 'LineString', coordinates: [] }],
  ];
  for (const [text, geometry] of cases) {
    it(`reads ${text.trim()}`, () => expect(parseWkt(text).geometry).toEqual(geometry));
  }

  it('reads an EWKT SRID prefix', () => {
    expect(parseWkt('SRID=32647;POINT (665250.5 1526500.25)')).toEqual({ srid: 32647, geometry: { type: 'Point', coordinates: [665250.5, 1526500.25] } });
  });

  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['POINT (1)', /2 to 4 numbers, found 1/],
    ['POINT (1 2', /ends too early/],
    ['POINT (1 2))', /after the geometry/],
    ['POINT Z (1 2)', /type says 3/],
    ['CIRCLE (1 2)', /unknown geometry type/],
    ['GEOMETRYCOLLECTION (POINT (1 2))', /GEOMETRYCOLLECTION/],
    ['POINT (one two)', /found 0/],
    ['POINT (1 2); DROP TABLE', /unexpected character/],
    ['LINESTRING EMPTY (1 2)', /after EMPTY/],
  ];
  for (const [text, why] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      expect(() => parseWkt(text)).toThrow(WktError);
      expect(() => parseWkt(text)).toThrow(why);
    });
  }
});

describe('formatWkt', () => {
  it('writes the OGC forms', () => {
    expect(formatWkt({ type: 'Point', coordinates: [100.53, 13.803] })).toBe('POINT (100.53 13.803)');
    expect(formatWkt({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] })).toBe('MULTIPOINT ((1 2), (3 4))');
    expect(formatWkt({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] })).toBe('POLYGON ((0 0, 1 0, 1 1, 0 0))');
    expect(formatWkt({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] })).toBe('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))');
  });

  it('round-trips every double exactly, across all six types', () => {
    let seed = 42;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
    const p = (): [number, number] => [rnd() * 360 - 180, rnd() * 180 - 90];
    for (let i = 0; i < 200; i++) {
      const ring = [p(), p(), p()];
      ring.push(ring[0]);
      const gs: Geometry[] = [
        { type: 'Point', coordinates: p() },
        { type: 'LineString', coordinates: [p(), p(), p()] },
        { type: 'Polygon', coordinates: [ring] },
        { type: 'MultiPoint', coordinates: [p(), p()] },
        { type: 'MultiLineString', coordinates: [[p(), p()], [p(), p()]] },
        { type: 'MultiPolygon', coordinates: [[ring], [ring]] },
      ];
      for (const g of gs) expect(parseWkt(formatWkt(g)).geometry).toEqual(g);
    }
  });
});
