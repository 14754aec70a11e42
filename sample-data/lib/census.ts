/** Census zones as the Voronoi cells of their seed points inside the site disc (boundaries approximate, stated in the note). */
import type { XY } from './frame.js';
import { clipHalfPlane } from './planar.js';

export function discRing(radius: number, sides = 96): XY[] {
  const out: XY[] = [];
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * i) / sides;
    out.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return out;
}

export function voronoiZones(seeds: XY[], region: XY[]): XY[][] {
  return seeds.map((s, i) => {
    let cell = region;
    seeds.forEach((q, j) => {
      if (j !== i && cell.length >= 3) cell = clipHalfPlane(cell, q[0] - s[0], q[1] - s[1], (q[0] * q[0] + q[1] * q[1] - s[0] * s[0] - s[1] * s[1]) / 2);
    });
    return cell;
  });
}
