/**
 * The street network of a site: the real roads of the spec, then a fabric of sois/lanes grown from
 * them. Sois start perpendicular to a road, wander a little, and end either on another road (a
 * junction, sharing the vertex) or short of it (a dead end); they never cross rail corridors,
 * water or closed land (rail yards, parks), so the real roads stay the only crossings.
 */
import type { Frame, XY } from './frame.js';
import { closestOnSegment, dist, lengthOf, pointInRing, segmentIntersection, simplifyLine } from './planar.js';
import type { Rng } from './prng.js';
import type { RoadSpec, SiteSpec } from './spec.js';

export interface Road {
  id: number;
  name: string;
  highway: string;
  pts: XY[];
  bridge: boolean;
  layer: number;
  walkable: boolean;
  /** Frontage value (currency/m²) of parcels along it. */
  value: number;
  spawnsSois: boolean;
  isSoi: boolean;
  /** Junction vertices to insert: segment index and parameter along it. */
  inserts: Array<{ seg: number; t: number; p: XY }>;
}

const CELL = 40;
const WALKABLE = new Set(['trunk', 'primary', 'secondary', 'tertiary', 'residential', 'service', 'pedestrian', 'footway', 'path', 'steps', 'unclassified', 'living_street']);
export const ROAD_WIDTH: Record<string, number> = {
  motorway: 0, trunk: 36, primary: 28, secondary: 20, tertiary: 14, residential: 6, service: 5, pedestrian: 6, footway: 3, path: 2,
};

class SegmentIndex<T> {
  private cells = new Map<number, T[]>();
  add(a: XY, b: XY, item: T, pad = 0): void {
    const x0 = Math.floor((Math.min(a[0], b[0]) - pad) / CELL), x1 = Math.floor((Math.max(a[0], b[0]) + pad) / CELL);
    const y0 = Math.floor((Math.min(a[1], b[1]) - pad) / CELL), y1 = Math.floor((Math.max(a[1], b[1]) + pad) / CELL);
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) {
      const k = (x + 5000) * 10000 + (y + 5000);
      let c = this.cells.get(k);
      if (!c) this.cells.set(k, (c = []));
      c.push(item);
    }
  }
  near(p: XY, r: number): Set<T> {
    const out = new Set<T>();
    for (let x = Math.floor((p[0] - r) / CELL); x <= Math.floor((p[0] + r) / CELL); x++) {
      for (let y = Math.floor((p[1] - r) / CELL); y <= Math.floor((p[1] + r) / CELL); y++) {
        const c = this.cells.get((x + 5000) * 10000 + (y + 5000));
        if (c) for (const i of c) out.add(i);
      }
    }
    return out;
  }
}

interface Barrier { a: XY; b: XY; clearance: number }

export interface Fabric {
  roads: Road[];
  /** Nearest road (by class-aware frontage) to a point, for parcel attributes. */
  nearestRoad(p: XY, r: number): { road: Road; d: number } | null;
  /** Nearest real (spec) road carrying a land value. */
  nearestArterial(p: XY, r: number): { road: Road; d: number } | null;
}

export function growFabric(site: SiteSpec, frame: Frame, rng: Rng, closedRings: XY[][]): Fabric {
  const H = site.extent;
  const roads: Road[] = [];
  const index = new SegmentIndex<{ road: Road; seg: number }>();
  const barriers = new SegmentIndex<Barrier>();
  const addRoad = (r: Omit<Road, 'id' | 'inserts'>): Road => {
    const road: Road = { ...r, id: roads.length, inserts: [] };
    roads.push(road);
    if (road.highway !== 'motorway') for (let i = 1; i < road.pts.length; i++) index.add(road.pts[i - 1], road.pts[i], { road, seg: i - 1 });
    return road;
  };
  for (const rl of site.rail) {
    if (!rl.barrier) continue;
    const pts = rl.path.map(frame.toXY);
    for (let i = 1; i < pts.length; i++) barriers.add(pts[i - 1], pts[i], { a: pts[i - 1], b: pts[i], clearance: 22 }, 30);
  }
  for (const w of site.water) {
    const pts = w.path.map(frame.toXY);
    for (let i = 1; i < pts.length; i++) barriers.add(pts[i - 1], pts[i], { a: pts[i - 1], b: pts[i], clearance: w.width / 2 + 12 }, w.width / 2 + 20);
  }
  for (const ring of closedRings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i], b = ring[(i + 1) % ring.length];
      barriers.add(a, b, { a, b, clearance: 6 }, 10);
    }
  }

  for (const spec of site.roads) addRoad(specRoad(spec, frame));
  joinSpecRoads(roads);

  const blocked = (p: XY): boolean => {
    if (Math.abs(p[0]) > H - 5 || Math.abs(p[1]) > H - 5) return true;
    for (const b of barriers.near(p, 40)) if (closestOnSegment(p, b.a, b.b).d < b.clearance) return true;
    for (const ring of closedRings) if (pointInRing(p, ring)) return true;
    return false;
  };

  interface Seed { host: Road; seg: number; t: number; p: XY; dir: XY; name: string; length: number; depth: number }
  const queue: Seed[] = [];
  const counters = new Map<string, number>();
  const nextNumber = (key: string, parity: number): number => {
    const n = (counters.get(key) ?? (parity ? -1 : 0)) + 2;
    counters.set(key, n);
    return n;
  };
  const soiName = (host: Road, side: number, collector: boolean): string => {
    if (collector && site.rules.soiNaming === 'lane') return `${host.name.replace(/ \(.*\)$/, '')} Link ${nextNumber(`${host.name}:link`, 1) / 2 + 0.5}`;
    if (site.rules.soiNaming === 'thai') {
      if (host.isSoi) return `${host.name} Yaek ${nextNumber(host.name, 1) / 2 + 0.5}`;
      const base = host.name.replace(/ (Rd|Road)$/, '');
      return `Soi ${base} ${nextNumber(`${host.name}:${side}`, side > 0 ? 1 : 0)}`;
    }
    return `${host.name} Lane ${nextNumber(host.name, 1) / 2 + 0.5}`;
  };
  // depth -1: collectors (long, joining the next road they meet); 0: sois; 1: branches of sois.
  const seedsAlong = (host: Road, depth: number) => {
    const [g0, g1] = depth < 0 ? site.rules.collectorGap : site.rules.soiGap;
    for (const side of [1, -1]) {
      let s = rng.range(20, g1);
      let acc = 0;
      for (let i = 1; i < host.pts.length; i++) {
        const a = host.pts[i - 1], b = host.pts[i];
        const l = dist(a, b);
        while (s < acc + l) {
          const t = (s - acc) / l;
          const p: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
          const ux = (b[0] - a[0]) / l, uy = (b[1] - a[1]) / l;
          const ang = rng.range(-0.25, 0.25);
          const nx = -uy * side, ny = ux * side;
          const dir: XY = [nx * Math.cos(ang) - ny * Math.sin(ang), nx * Math.sin(ang) + ny * Math.cos(ang)];
          const length = depth < 0 ? 4000 : depth === 0 ? rng.range(site.rules.soiLength[0], site.rules.soiLength[1]) : rng.range(50, Math.min(260, site.rules.soiLength[1] / 2));
          queue.push({ host, seg: i - 1, t, p, dir, name: '', length, depth });
          s += depth <= 0 ? rng.range(g0, g1) : rng.range(g0 * 1.1, g1 * 1.3);
        }
        acc += l;
      }
    }
  };
  const STEP = 14;
  const grow = () => {
    shuffle(queue, rng);
    for (let qi = 0; qi < queue.length; qi++) {
      const sd = queue[qi];
      const side = sd.dir[0] * (sd.host.pts[sd.seg + 1][1] - sd.host.pts[sd.seg][1]) - sd.dir[1] * (sd.host.pts[sd.seg + 1][0] - sd.host.pts[sd.seg][0]) > 0 ? 1 : -1;
      // A start too close to an existing junction would make slivers.
      let crowded = false;
      for (const { road } of index.near(sd.p, 30)) {
        if (road === sd.host) continue;
        if (distToRoad(sd.p, road) < 25) { crowded = true; break; }
      }
      if (crowded) continue;
      const pts: XY[] = [sd.p];
      let heading = Math.atan2(sd.dir[1], sd.dir[0]);
      let end: { road: Road; seg: number; t: number; p: XY } | null = null;
      let travelled = 0;
      while (travelled < sd.length) {
        heading += sd.depth < 0 ? rng.range(-0.03, 0.03) : rng.range(-0.07, 0.07);
        const cur = pts[pts.length - 1];
        const nxt: XY = [cur[0] + STEP * Math.cos(heading), cur[1] + STEP * Math.sin(heading)];
        if (blocked(nxt)) break;
        let hit: { road: Road; seg: number; t: number; p: XY; d: number } | null = null;
        for (const { road, seg } of index.near(nxt, 24)) {
          if (road === sd.host && travelled < 30) continue;
          const a = road.pts[seg], b = road.pts[seg + 1];
          const x = segmentIntersection(cur, nxt, a, b);
          const c = closestOnSegment(nxt, a, b);
          const d = x ? 0 : c.d;
          const limit = Math.max(10, (ROAD_WIDTH[road.highway] ?? 6) / 2 + 6);
          if ((x || c.d < limit) && (!hit || d < hit.d)) hit = { road, seg, t: x ? x.u : c.t, p: x ? x.point : c.point, d };
        }
        if (hit) {
          if ((sd.depth < 0 || rng.chance(site.rules.joinChance)) && !blockedSegment(cur, hit.p)) {
            end = hit;
            pts.push(hit.p);
          }
          break;
        }
        pts.push(nxt);
        travelled += STEP;
      }
      if (lengthOf(pts) < 35) continue;
      const collector = sd.depth < 0;
      if (collector && lengthOf(pts) < 300) continue;
      const name = soiName(sd.host, side, collector);
      const road = addRoad({
        name, highway: collector ? 'tertiary' : sd.depth === 0 ? 'residential' : rng.chance(0.3) ? 'service' : 'residential', pts, bridge: false, layer: 0,
        walkable: true, value: collector ? sd.host.value * 0.6 : sd.host.value, spawnsSois: collector, isSoi: !collector,
      });
      sd.host.inserts.push({ seg: sd.seg, t: sd.t, p: sd.p });
      if (end) end.road.inserts.push({ seg: end.seg, t: end.t, p: end.p });
      if (sd.depth === 0 && lengthOf(pts) > 140 && rng.chance(site.rules.branchChance)) {
        const start = queue.length;
        seedsAlong(road, 1);
        // Keep branch order deterministic but mixed between sides.
        const added = queue.splice(start);
        shuffle(added, rng);
        queue.push(...added);
      }
    }
    queue.length = 0;
  };
  for (const r of [...roads]) if (r.spawnsSois && r.walkable) seedsAlong(r, -1);
  grow();
  for (const r of [...roads]) if (r.spawnsSois && r.walkable) seedsAlong(r, 0);
  grow();

  function blockedSegment(a: XY, b: XY): boolean {
    const mid: XY = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    return blocked(mid) || blocked(b);
  }

  for (const r of roads) applyInserts(r);
  // Junction vertices renumbered the segments: index them again for the parcel queries.
  const final = new SegmentIndex<{ road: Road; seg: number }>();
  for (const road of roads) for (let i = 1; i < road.pts.length; i++) final.add(road.pts[i - 1], road.pts[i], { road, seg: i - 1 });
  const nearest = (p: XY, r: number) => {
    let best: { road: Road; d: number } | null = null;
    for (const { road, seg } of final.near(p, r)) {
      if (!road.walkable) continue;
      const d = closestOnSegment(p, road.pts[seg], road.pts[seg + 1]).d - (ROAD_WIDTH[road.highway] ?? 6) / 2;
      if (d <= r && (!best || d < best.d)) best = { road, d };
    }
    return best;
  };
  return {
    roads,
    nearestRoad: (p, r) => nearest(p, r),
    nearestArterial: (p, r) => {
      // Few real roads: a scan beats a wide grid query.
      let best: { road: Road; d: number } | null = null;
      for (const road of roads) {
        if (road.isSoi || !road.walkable || !road.value) continue;
        const d = distToRoad(p, road) - (ROAD_WIDTH[road.highway] ?? 6) / 2;
        if (d <= r && (!best || d < best.d)) best = { road, d };
      }
      return best;
    },
  };
}

function distToRoad(p: XY, road: Road): number {
  let best = Infinity;
  for (let i = 1; i < road.pts.length; i++) best = Math.min(best, closestOnSegment(p, road.pts[i - 1], road.pts[i]).d);
  return best;
}

function specRoad(spec: RoadSpec, frame: Frame): Omit<Road, 'id' | 'inserts'> {
  return {
    name: spec.name,
    highway: spec.highway,
    pts: spec.path.map(frame.toXY),
    bridge: !!spec.bridge,
    layer: spec.layer ?? (spec.bridge ? 1 : 0),
    walkable: WALKABLE.has(spec.highway),
    value: spec.value ?? 0,
    spawnsSois: spec.sois !== false && spec.highway !== 'motorway',
    isSoi: false,
  };
}

/** Real roads meet at shared vertices: crossings of two ground-level roads, and ends that stop on another road. */
function joinSpecRoads(roads: Road[]): void {
  for (let i = 0; i < roads.length; i++) {
    const r = roads[i];
    if (r.bridge || !r.walkable) continue;
    for (let j = i + 1; j < roads.length; j++) {
      const s = roads[j];
      if (s.bridge || !s.walkable) continue;
      for (let a = 1; a < r.pts.length; a++) for (let b = 1; b < s.pts.length; b++) {
        const x = segmentIntersection(r.pts[a - 1], r.pts[a], s.pts[b - 1], s.pts[b]);
        if (x) { r.inserts.push({ seg: a - 1, t: x.t, p: x.point }); s.inserts.push({ seg: b - 1, t: x.u, p: x.point }); }
      }
    }
  }
  // Ends within 45 m of another road are snapped onto it (the spec positions are approximate).
  for (const r of roads) {
    if (r.bridge || !r.walkable) continue;
    for (const endIdx of [0, r.pts.length - 1]) {
      const p = r.pts[endIdx];
      let best: { s: Road; seg: number; t: number; q: XY; d: number } | null = null;
      for (const s of roads) {
        if (s === r || s.bridge || !s.walkable) continue;
        for (let k = 1; k < s.pts.length; k++) {
          const c = closestOnSegment(p, s.pts[k - 1], s.pts[k]);
          if (c.d < 45 && (!best || c.d < best.d)) best = { s, seg: k - 1, t: c.t, q: c.point, d: c.d };
        }
      }
      if (best && best.d > 0.01) {
        r.pts[endIdx] = best.q;
        best.s.inserts.push({ seg: best.seg, t: best.t, p: best.q });
      }
    }
  }
}

function applyInserts(r: Road): void {
  const bySeg = new Map<number, Array<{ t: number; p: XY }>>();
  for (const ins of r.inserts) {
    let l = bySeg.get(ins.seg);
    if (!l) bySeg.set(ins.seg, (l = []));
    l.push(ins);
  }
  // Junctions and ends are kept exactly (the other road holds the same coordinate); the wander
  // of a grown soi between them is simplified to 1 m, which keeps the files small.
  const out: XY[] = [r.pts[0]];
  const keep: boolean[] = [true];
  for (let i = 1; i < r.pts.length; i++) {
    const extra = (bySeg.get(i - 1) ?? []).sort((a, b) => a.t - b.t);
    for (const e of extra) {
      if (dist(out[out.length - 1], e.p) > 0.05) { out.push(e.p); keep.push(true); } else { out[out.length - 1] = e.p; keep[keep.length - 1] = true; }
    }
    // A junction within 5 cm of a vertex replaces it, so both roads hold the very same coordinate.
    if (dist(out[out.length - 1], r.pts[i]) > 0.05) { out.push(r.pts[i]); keep.push(i === r.pts.length - 1); }
    else if (i === r.pts.length - 1) keep[keep.length - 1] = true;
  }
  const simplified: XY[] = [out[0]];
  let from = 0;
  for (let i = 1; i < out.length; i++) {
    if (!keep[i]) continue;
    simplified.push(...simplifyLine(out.slice(from, i + 1), 1).slice(1));
    from = i;
  }
  r.pts = simplified;
  r.inserts = [];
}

export function shuffle<T>(a: T[], rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
}
