/**
 * Ring self-intersection: hand cases, and the x-sorted sweep against a brute-force all-pairs oracle
 * on seeded random rings (long rings take the sorted path).
 */
import { describe, expect, it } from 'vitest';
import { findSelfIntersection, ringSelfIntersection, segmentsIntersect } from '../../../core/geo/validity.js';
import type { Position } from '../../../core/geo/geometry.js';
import { mulberry32 as rng } from '../../../core/util/prng.js';

function bruteForce(ring: Position[]): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
    if (j === i + 1 || (i === 0 && j === n - 1)) continue;
    if (segmentsIntersect(ring[i], ring[i + 1], ring[j], ring[j + 1])) return true;
  }
  return false;
}


describe('ring self-intersection', () => {
  it('a square is simple; a bowtie crosses itself', () => {
    expect(ringSelfIntersection([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).toBeNull();
    expect(ringSelfIntersection([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]])).toEqual([0, 2]);
  });

  it('a ring touching itself at a vertex (figure eight) is flagged', () => {
    expect(ringSelfIntersection([[0, 0], [2, 0], [1, 1], [2, 2], [0, 2], [1, 1], [0, 0]])).not.toBeNull();
  });

  it('a collinear overlap (a spike folding back) is flagged', () => {
    expect(ringSelfIntersection([[0, 0], [3, 0], [3, 1], [1, 1], [1, 0], [2, 0], [2, -1], [0, -1], [0, 0]])).not.toBeNull();
  });

  it('describes where, for polygons and multipolygons', () => {
    expect(findSelfIntersection({ type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 2], [2, 1], [1, 2], [1, 1]]] })).toBe('hole 1 crosses itself (segments 1 and 3)');
    expect(findSelfIntersection({ type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]] })).toBe('part 2 outer ring crosses itself (segments 1 and 3)');
  });

  it('agrees with the brute-force oracle on 400 seeded random rings of 4–60 vertices', () => {
    const r = rng(42);
    let crossing = 0;
    for (let k = 0; k < 400; k++) {
      const n = 4 + Math.floor(r() * 57);
      // Star-shaped rings (sorted angles) are simple; jittering the radius and swapping vertices makes some cross.
      const pts: Position[] = Array.from({ length: n }, (_, i) => {
        const a = (i / n) * 2 * Math.PI, rad = 1 + r() * (k % 2 ? 0.3 : 3);
        return [Math.cos(a) * rad, Math.sin(a) * rad];
      });
      if (k % 3 === 0) { const i = Math.floor(r() * n), j = Math.floor(r() * n); [pts[i], pts[j]] = [pts[j], pts[i]]; }
      const ring = [...pts, pts[0]];
      const want = bruteForce(ring);
      if (want) crossing++;
      expect(ringSelfIntersection(ring) !== null, `ring ${k}`).toBe(want);
    }
    expect(crossing).toBeGreaterThan(50);
    expect(crossing).toBeLessThan(350);
  });
});
