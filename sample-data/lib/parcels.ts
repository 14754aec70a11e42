/**
 * Parcels: each block is cut into lots. Seeds sit one lot-depth behind the block edge (so lots
 * front the street, narrow and deep as in the real fabric) plus a few inside deep blocks; each lot
 * is the part of the block nearer its seed than any other (a Voronoi cell on the block's raster).
 * Attributes follow simple, stated rules.
 */
import type { XY } from './frame.js';
import type { Fabric } from './fabric.js';
import type { Block, Grid } from './blocks.js';
import { dist, pointInRing, ringArea, ringCentroid } from './planar.js';
import type { Rng } from './prng.js';
import type { LandUse, SiteSpec, StockRules, ZoneSpec } from './spec.js';

export interface Lot {
  ring: XY[];
  zone: ZoneSpec | null;
  /** In a block left unbuilt: vacant unless it fronts an arterial. */
  field?: boolean;
}

export interface ParcelRecord {
  ring: XY[];
  parcel_id: string;
  land_use: LandUse;
  floors: number;
  floor_area: number;
  land_value: number;
  ownership: 'public' | 'private';
  owner_type: string;
  owner_name: string;
  station: string;
  coverage: number;
}

export function zoneOf(block: Block, zones: Array<{ ring: XY[]; spec: ZoneSpec }>): ZoneSpec | null {
  const p = interiorPoint(block.ring);
  for (const z of zones) if (pointInRing(p, z.ring)) return z.spec;
  return null;
}

function interiorPoint(ring: XY[]): XY {
  const c = ringCentroid(ring);
  if (pointInRing(c, ring)) return c;
  const n = ring.length;
  for (let k = 1; k < n; k++) {
    for (let i = 0; i < n; i++) {
      const a = ring[i], b = ring[(i + k) % n];
      const m: XY = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
      if (pointInRing(m, ring)) return m;
    }
  }
  return c;
}

export function cutLots(block: Block, zone: ZoneSpec | null, site: SiteSpec, rng: Rng, grid: Grid): Lot[] {
  const fr = zone ? [zone.lot * 0.8, zone.lot * 1.25] : site.rules.frontage;
  const dp = zone ? [zone.lot * 0.8, zone.lot * 1.25] : site.rules.depth;
  const lotArea = ((fr[0] + fr[1]) / 2) * ((dp[0] + dp[1]) / 2);
  if (block.area < lotArea * 1.6) return grid.partition(block.cells, [interiorPoint(block.ring)], 3.2).flatMap((r) => (r ? [{ ring: r, zone }] : []));
  const ring = block.ring;
  const seeds: XY[] = [];
  const hashCell = Math.sqrt(lotArea);
  const hash = new Map<number, XY[]>();
  const key = (x: number, y: number) => (Math.floor(x / hashCell) + 20000) * 40000 + Math.floor(y / hashCell) + 20000;
  const nearSeeds = (p: XY, r: number): XY[] => {
    const out: XY[] = [];
    const k = Math.ceil(r / hashCell);
    const cx = Math.floor(p[0] / hashCell), cy = Math.floor(p[1] / hashCell);
    for (let i = cx - k; i <= cx + k; i++) for (let j = cy - k; j <= cy + k; j++) {
      const c = hash.get((i + 20000) * 40000 + j + 20000);
      if (c) for (const q of c) if (dist(p, q) <= r) out.push(q);
    }
    return out;
  };
  const addSeed = (p: XY) => {
    seeds.push(p);
    const k = key(p[0], p[1]);
    const c = hash.get(k);
    if (c) c.push(p); else hash.set(k, [p]);
  };
  const farEnough = (p: XY, d: number) => nearSeeds(p, d).length === 0;
  let s = rng.range(0, fr[1]);
  let acc = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i], b = ring[(i + 1) % ring.length];
    const l = dist(a, b);
    if (l < 1e-6) continue;
    const ux = (b[0] - a[0]) / l, uy = (b[1] - a[1]) / l;
    while (s < acc + l) {
      const t = s - acc;
      const depth = rng.range(dp[0], dp[1]);
      const w = rng.range(fr[0], fr[1]);
      const p: XY = [a[0] + ux * t - uy * depth / 2, a[1] + uy * t + ux * depth / 2];
      if (pointInRing(p, ring) && farEnough(p, w * 0.55)) addSeed(p);
      s += w;
    }
    acc += l;
  }
  const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Lots away from any street are fewer and larger (yards, compounds, campuses).
  const spacing = Math.sqrt(lotArea) * site.rules.interiorLotScale;
  const attempts = Math.ceil(block.area / (spacing * spacing)) * 4;
  for (let k = 0; k < attempts; k++) {
    const p: XY = [rng.range(x0, x1), rng.range(y0, y1)];
    if (pointInRing(p, ring) && farEnough(p, spacing)) addSeed(p);
  }
  if (!seeds.length) seeds.push(interiorPoint(ring));
  return grid.partition(block.cells, seeds, 3.2).flatMap((r) => (r && Math.abs(ringArea(r)) >= 25 ? [{ ring: r, zone }] : []));
}

/**
 * Floors of an ordinary (unzoned) lot. Rows of townhouses and shophouses line the arterials and thin
 * out into the sois, where houses with yards take over (`rowP` falls with distance to the arterial).
 */
function floorsFor(use: LandUse, st: StockRules, onArterial: boolean, rowP: number, rng: Rng): number {
  const pick = ([lo, hi]: [number, number]) => rng.int(lo, hi);
  switch (use) {
    case 'residential':
      if (rng.chance(st.walkUp[0])) return rng.int(st.walkUp[1], st.walkUp[2]);
      return pick(rng.chance(rowP) ? st.row : st.house);
    case 'commercial': return pick(onArterial ? st.row : st.shop);
    case 'mixed_use': return pick(st.row);
    case 'office': return pick(st.office);
    case 'industrial': return pick(st.industrial);
    case 'civic': return pick(st.civic);
    case 'transport': return pick(st.transport);
    default: return 0;
  }
}

export interface AttributeContext {
  site: SiteSpec;
  fabric: Fabric;
  stations: Array<{ name: string; xy: XY }>;
  idPrefix: string;
  rng: Rng;
  /** Each lot's position against the stations and roads, kept between the census fit's passes (it does not change). */
  memo?: Place[];
}

export interface Place {
  c: XY; area: number; nearest: { name: string; xy: XY }; sd: number;
  road: ReturnType<Fabric['nearestRoad']>; arterial: ReturnType<Fabric['nearestArterial']>;
}

function placeOf(lot: Lot, fabric: Fabric, stations: Array<{ name: string; xy: XY }>): Place {
  const c = ringCentroid(lot.ring);
  let nearest = stations[0], sd = Infinity;
  for (const s of stations) { const d = dist(s.xy, c); if (d < sd) { sd = d; nearest = s; } }
  return { c, area: Math.abs(ringArea(lot.ring)), nearest, sd, road: lot.zone ? null : fabric.nearestRoad(c, 60), arterial: lot.zone ? null : fabric.nearestArterial(c, 900) };
}

export function attributeLots(lots: Lot[], ctx: AttributeContext): ParcelRecord[] {
  const { site, fabric, stations } = ctx;
  return lots.map((lot, i) => {
    // Each lot's own stream: a lot's attributes depend on its own state only, so the census fit's
    // passes (lib/census-fit.ts) change the lots they touch and no other.
    const rng = ctx.rng.fork(`lot ${i}`);
    const g = ctx.memo?.[i] ?? placeOf(lot, fabric, stations);
    if (ctx.memo) ctx.memo[i] = g;
    const { area, nearest, sd } = g;
    const z = lot.zone;
    const st = site.stock;
    let use: LandUse;
    let floors: number;
    let value: number;
    let cover: number | undefined;
    if (z) {
      use = rng.weighted(z.landUse);
      floors = use === 'vacant' || use === 'open_space' || use === 'water' ? 0 : rng.int(z.floors[0], z.floors[1]);
      value = rng.range(z.value[0], z.value[1]);
    } else {
      const { road, arterial } = g;
      const onArterial = !!road && !road.road.isSoi && road.d < 45;
      const da = onArterial ? 0 : arterial ? arterial.d : 900;
      use = rng.weighted(onArterial ? site.frontageUse : site.interiorUse);
      if (lot.field && !onArterial) use = 'vacant';
      const [near, far] = st.rowShare;
      floors = floorsFor(use, st, onArterial, far + (near - far) * Math.exp(-da / 250), rng);
      if (sd < 800 && area > st.tower.minArea && (use === 'residential' || use === 'office' || use === 'mixed_use') && rng.chance(st.tower.chance * (onArterial ? 1.6 : 0.6))) {
        floors = rng.int(st.tower.floors[0], st.tower.floors[1]);
        cover = st.tower.coverage;
      }
      const [lo, hi] = site.rules.soiValue;
      if (onArterial && road) value = road.road.value * rng.range(0.85, 1.1);
      else {
        const base = arterial ? Math.max(lo, Math.min(hi, arterial.road.value * 0.35)) : lo;
        value = (lo + (base - lo) * Math.exp(-da / 350)) * rng.range(0.9, 1.1);
      }
      value *= 1 + 0.3 * Math.exp(-sd / 450);
    }
    const coverage = floors > 0 ? (cover ?? st.coverage[use] ?? 0) * rng.range(0.85, 1.1) : 0;
    const isPublic = z ? z.ownership === 'public' : use === 'civic' ? rng.chance(0.6) : rng.chance(0.02);
    const ownerType = z ? z.ownerType : isPublic ? 'state' : 'private';
    const ownerName = z?.ownerName && isPublic ? z.ownerName
      : isPublic ? site.publicOwner
      : `Owner ${String(rng.int(1, 999999)).padStart(6, '0')}`;
    return {
      ring: lot.ring,
      parcel_id: `${ctx.idPrefix}-${String(i + 1).padStart(6, '0')}`,
      land_use: use,
      floors,
      floor_area: Math.round(area * coverage * floors),
      land_value: Math.round(Math.min(site.valueRange[1], Math.max(site.valueRange[0], value)) / 100) * 100,
      ownership: isPublic ? 'public' : 'private',
      owner_type: ownerType,
      owner_name: ownerName,
      station: nearest.name,
      coverage,
    };
  });
}

/** A footprint inside the lot: the lot shrunk towards its centroid to the lot's site coverage. */
export function footprint(p: ParcelRecord): XY[] | null {
  if (p.floors <= 0 || p.coverage <= 0) return null;
  const c = ringCentroid(p.ring);
  const k = Math.sqrt(p.coverage) * 0.97;
  const ring = p.ring.map(([x, y]): XY => [c[0] + (x - c[0]) * k, c[1] + (y - c[1]) * k]);
  return Math.abs(ringArea(ring)) >= 12 ? ring : null;
}
