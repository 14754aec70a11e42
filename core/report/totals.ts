/**
 * The totals a report's tables add up to: residents and jobs of the census zones in the report's
 * site (the whole project, or one station's site framed by frame.ts), area-weighted by the share of
 * each zone inside the frame. Tables of catchments list what lies within walking distance; the
 * "beyond the walk catchment" row is this total minus those rows, so a table never silently drops
 * the people who live further away.
 */
import type { BBox, Position } from '../geo/geometry.js';
import type { SectionContext } from './sections/site.js';

export interface SiteTotals { residents: number | null; jobs: number | null }

/** Planar area of a ring (shares of a zone only: the units cancel). */
function ringArea(r: Position[]): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += (r[j][0] + r[i][0]) * (r[j][1] - r[i][1]);
  return Math.abs(a / 2);
}

/** Sutherland–Hodgman: a ring clipped to a box. */
function clipRing(ring: Position[], b: BBox): Position[] {
  let pts = ring;
  const edges: Array<[(p: Position) => boolean, (p: Position, q: Position) => Position]> = [
    [(p) => p[0] >= b[0], (p, q) => [b[0], p[1] + ((q[1] - p[1]) * (b[0] - p[0])) / (q[0] - p[0])]],
    [(p) => p[0] <= b[2], (p, q) => [b[2], p[1] + ((q[1] - p[1]) * (b[2] - p[0])) / (q[0] - p[0])]],
    [(p) => p[1] >= b[1], (p, q) => [p[0] + ((q[0] - p[0]) * (b[1] - p[1])) / (q[1] - p[1]), b[1]]],
    [(p) => p[1] <= b[3], (p, q) => [p[0] + ((q[0] - p[0]) * (b[3] - p[1])) / (q[1] - p[1]), b[3]]],
  ];
  for (const [inside, cut] of edges) {
    const out: Position[] = [];
    for (let i = 0; i < pts.length; i++) {
      const p = pts[i], q = pts[(i + 1) % pts.length];
      if (inside(p)) { out.push(p); if (!inside(q)) out.push(cut(p, q)); } else if (inside(q)) out.push(cut(p, q));
    }
    pts = out;
    if (!pts.length) break;
  }
  return pts;
}

/** Share of a (multi)polygon's area inside the box (holes subtracted). */
export function shareInside(polys: Position[][][], b: BBox): number {
  let all = 0, inside = 0;
  for (const poly of polys) poly.forEach((ring, k) => {
    const s = k === 0 ? 1 : -1;
    all += s * ringArea(ring);
    inside += s * ringArea(clipRing(ring, b));
  });
  return all > 0 ? Math.max(0, Math.min(1, inside / all)) : 0;
}

/** Census residents and jobs of the site (frame: one station's site; none: every zone). Null without census figures. */
export function siteTotals(ctx: SectionContext, frame?: BBox): SiteTotals {
  const census = ctx.byRole.census;
  if (!census) return { residents: null, jobs: null };
  const pop = census.fieldMap.population, jobs = census.fieldMap.jobs;
  let r = 0, j = 0;
  for (const f of ctx.features(census.name)) {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) continue;
    const share = frame ? shareInside(g.type === 'Polygon' ? [g.coordinates] : g.coordinates, frame) : 1;
    if (share <= 0) continue;
    if (pop) r += share * (Number(f.properties[pop]) || 0);
    if (jobs) j += share * (Number(f.properties[jobs]) || 0);
  }
  return { residents: pop ? r : null, jobs: jobs ? j : null };
}
