/**
 * One site, end to end: real features from the spec, the grown street fabric, blocks, lots and
 * their attributes, footprints and census zones, returned as features in lon/lat.
 */
import type { Feature } from '../../core/io/types.js';
import type { Position } from '../../core/geo/geometry.js';
import { CELL, Grid } from './blocks.js';
import { discRing, voronoiZones } from './census.js';
import { growFabric, ROAD_WIDTH } from './fabric.js';
import { createFrame, type Frame, type XY } from './frame.js';
import { applyIntensity, coverShares, lotDraws, nextIntensity, zoneOfPoints, zoneStock, type FitZone, type Intensity } from './census-fit.js';
import { attributeLots, cutLots, footprint, zoneOf, type Lot, type ParcelRecord, type Place } from './parcels.js';
import { clipHalfPlane, offsetLine, ringArea, ringCentroid } from './planar.js';
import { realCensusGeometry } from './real-census.js';
import type { Rng } from './prng.js';
import type { SiteSpec } from './spec.js';

export interface SiteFeatures {
  stations: Feature[];
  entrances: Feature[];
  rail: Feature[];
  network: Feature[];
  parcels: Feature[];
  buildings: Feature[];
  census: Feature[];
  zones: Feature[];
}

const polygon = (frame: Frame, ring: XY[]) => {
  const r = ringArea(ring) < 0 ? [...ring].reverse() : ring;
  const ll = r.map(frame.toLonLat);
  return { type: 'MultiPolygon' as const, coordinates: [[[...ll, ll[0]]]] };
};

export function buildSite(site: SiteSpec, rng: Rng, idPrefix: string): SiteFeatures {
  const frame = createFrame(site.center[0], site.center[1]);
  const zoneRings = site.zones.map((z) => ({ ring: z.polygon.map(frame.toXY), spec: z }));
  const fabric = growFabric(site, frame, rng.fork('fabric'), zoneRings.filter((z) => z.spec.closed).map((z) => z.ring));

  const grid = new Grid(site.extent);
  grid.burnOutside(site.radius);
  for (const r of fabric.roads) if (!r.bridge && r.highway !== 'motorway') grid.burnLine(r.pts, (ROAD_WIDTH[r.highway] ?? 6) / 2);
  for (const r of site.rail) if (r.barrier) grid.burnLine(r.path.map(frame.toXY), 14);
  for (const w of site.water) grid.burnLine(w.path.map(frame.toXY), w.width / 2);
  for (const z of zoneRings) grid.burnLine([...z.ring, z.ring[0]], CELL / 2);
  const blocks = grid.blocks(60, site.rules.blockTolerance);

  const lotRng = rng.fork('lots');
  const lots: Lot[] = [];
  const lotBlock: number[] = [];
  const blockZoned: boolean[] = [];
  blocks.forEach((b, k) => {
    const zone = zoneOf(b, zoneRings);
    blockZoned.push(!!zone);
    for (const lot of cutLots(b, zone, site, lotRng, grid)) { lots.push(lot); lotBlock.push(k); }
  });
  const stationsXY = site.stations.map((s) => ({ name: s.name, xy: frame.toXY(s.lonLat) }));
  const census = censusFeatures(site, frame);
  const memo: Place[] = [];
  const records = intensity(site, rng, lots, lotBlock, blockZoned, census,
    (r) => attributeLots(lots, { site, fabric, stations: stationsXY, idPrefix, rng: r, memo }));

  const parcels: Feature[] = records.map((p) => ({
    geometry: polygon(frame, p.ring),
    properties: {
      parcel_id: p.parcel_id, land_use: p.land_use, floors: p.floors, floor_area: p.floor_area, land_value: p.land_value,
      ownership: p.ownership, owner_type: p.owner_type, owner_name: p.owner_name, station: p.station,
    },
  }));
  for (const w of site.water) {
    // The water body itself, as one public parcel inside the site disc.
    const pts = w.path.map(frame.toXY);
    const ring = clipToConvex([...offsetLine(pts, w.width / 2), ...offsetLine(pts, -w.width / 2).reverse()], discRing(site.radius));
    if (ring.length >= 3) {
      parcels.push({ geometry: polygon(frame, ring), properties: {
        parcel_id: `${idPrefix}-W${parcels.length + 1}`, land_use: 'water', floors: 0, floor_area: 0, land_value: 0,
        ownership: 'public', owner_type: 'state', owner_name: site.publicOwner, station: nearestName(stationsXY, ring[0]),
      } });
    }
  }
  const buildings: Feature[] = [];
  for (const p of records) {
    const fp = footprint(p);
    if (!fp || Math.hypot(...ringCentroid(fp)) > site.buildingRadius) continue;
    buildings.push({ geometry: polygon(frame, fp), properties: { parcel_id: p.parcel_id, floors: p.floors, height: Math.round((p.floors * 3.3 + 1.2) * 10) / 10, use: p.land_use } });
  }

  const network: Feature[] = fabric.roads.map((r) => ({
    geometry: { type: 'LineString' as const, coordinates: r.pts.map(frame.toLonLat) },
    properties: { highway: r.highway, name: r.name, bridge: r.bridge ? 1 : 0, tunnel: 0, layer: r.layer, walkable: r.walkable },
  }));
  const rail: Feature[] = site.rail.map((r) => ({
    geometry: { type: 'LineString' as const, coordinates: r.path.map((p) => frame.toLonLat(frame.toXY(p))) },
    properties: { line: r.line, name: r.name, status: r.status, grade: r.grade },
  }));
  const stations: Feature[] = site.stations.map((s) => ({
    geometry: { type: 'Point' as const, coordinates: s.lonLat },
    properties: { station_id: s.id, name: s.name, name_local: s.nameLocal, line: s.line },
  }));
  const entrances: Feature[] = site.stations.flatMap((s) => s.entrances.map((e) => {
    const xy = frame.toXY(s.lonLat);
    return { geometry: { type: 'Point' as const, coordinates: frame.toLonLat([xy[0] + e.dx, xy[1] + e.dy]) }, properties: { station_id: s.id, name: e.name } };
  }));
  const zones: Feature[] = zoneRings.filter((z) => z.spec.plannedFar !== undefined).map((z) => ({
    geometry: polygon(frame, z.ring),
    properties: { name: z.spec.name, land_use: z.spec.plannedUse ?? 'mixed_use', far: z.spec.plannedFar ?? null, area_m2: Math.round(Math.abs(ringArea(z.ring))), ownership: z.spec.ownership, owner_type: z.spec.ownerType },
  }));
  return { stations, entrances, rail, network, parcels, buildings, census, zones };
}

/**
 * Census zones: real boundaries where the site has them (whole, or clipped to the site when the
 * figures are for the part inside); else Voronoi cells of the units' seeds clipped to the site disc,
 * each zone's figures those of the part of its unit inside the site.
 */
function censusFeatures(site: SiteSpec, frame: Frame): Feature[] {
  const seeded = site.census.filter((c) => !c.polygon);
  const cells = voronoiZones(seeded.map((c) => frame.toXY(c.seed!)), discRing(site.radius));
  const props = (c: SiteSpec['census'][number]) => ({ zone_id: c.id, name: c.name, name_local: c.nameLocal, population: c.population, households: c.households, jobs: c.jobs });
  // A unit outside a shrunken site (the --radius test build) is left out.
  return site.census.flatMap((c) => {
    if (c.polygon) {
      const geometry = realCensusGeometry(c, site.center, site.radius);
      return geometry ? [{ geometry, properties: props(c) }] : [];
    }
    const cell = cells[seeded.indexOf(c)];
    return cell.length < 3 ? [] : [{ geometry: polygon(frame, cell), properties: props(c) }];
  });
}

/**
 * Lot attributes with the fabric's intensity fitted to each census zone (lib/census-fit.ts); without
 * a fit rule, one pass with the site's own built share. Unbuilt land comes in whole blocks (fields,
 * scrub, cleared land between the lanes), not lot by lot: one seeded draw per block, compared with
 * its zone's built share, so a higher share adds blocks and never reshuffles them.
 */
function intensity(site: SiteSpec, rng: Rng, lots: Lot[], lotBlock: number[], blockZoned: boolean[], census: Feature[],
  attribute: (rng: Rng) => ParcelRecord[]): ParcelRecord[] {
  const fieldRng = rng.fork('fields');
  const blockDraw = blockZoned.map((zoned) => (zoned ? 1 : fieldRng.next()));
  const fit = site.censusFit;
  // built(i): the built share that applies to lot i (its census zone's: a block across a zone edge is
  // built on one side and a field on the other when the two zones' shares differ).
  const setFields = (built: (i: number) => number) => lots.forEach((l, i) => { l.field = !l.zone && blockDraw[lotBlock[i]] < 1 - built(i); });
  if (!fit) {
    setFields(() => 1 - site.fieldShare);
    return attribute(rng.fork('attributes'));
  }
  const frame = createFrame(site.center[0], site.center[1]);
  const zones: FitZone[] = census.map((f) => ({
    polys: (f.geometry as { coordinates: Position[][][] }).coordinates.map((poly) => poly.map((ring) => ring.map((c) => frame.toXY(c)))),
    population: Number(f.properties.population), jobs: Number(f.properties.jobs),
  }));
  const nz = zones.length;
  const share = coverShares(zones, lots);
  const target = { res: Float64Array.from(zones, (z, k) => z.population * share[k] * fit.m2PerResident), jobs: Float64Array.from(zones, (z, k) => z.jobs * share[k]) };
  const lotZone = zoneOfPoints(lots.map((l) => ringCentroid(l.ring)), zones);
  const draws = lotDraws(lots.length, rng.fork('intensity'));
  let it: Intensity = { built: new Float64Array(nz).fill(1 - site.fieldShare), res: new Float64Array(nz).fill(1), jobs: new Float64Array(nz).fill(1) };
  // Zones are independent (a lot's attributes depend on its own zone's intensity and its own seeded
  // draws), so the last pass takes each zone's best intensity of the passes before it.
  const best = { it: { built: new Float64Array(nz), res: new Float64Array(nz), jobs: new Float64Array(nz) } as Intensity, miss: new Float64Array(nz).fill(Infinity) };
  let records: ParcelRecord[] = [];
  for (let pass = 0; pass <= FIT_PASSES; pass++) {
    if (pass === FIT_PASSES) it = best.it;
    setFields((i) => (lotZone[i] >= 0 ? it.built[lotZone[i]] : 1 - site.fieldShare));
    records = attribute(rng.fork('attributes'));
    applyIntensity(records, lots, lotZone, it, draws, fit);
    if (pass === FIT_PASSES) break;
    const stock = zoneStock(records, lotZone, nz, fit);
    for (let z = 0; z < nz; z++) {
      const miss = Math.abs(Math.log((stock.res[z] + 1) / (target.res[z] + 1))) + Math.abs(Math.log((stock.jobs[z] + 1) / (target.jobs[z] + 1)));
      if (miss < best.miss[z]) { best.miss[z] = miss; best.it.built[z] = it.built[z]; best.it.res[z] = it.res[z]; best.it.jobs[z] = it.jobs[z]; }
    }
    it = nextIntensity(it, stock, target);
  }
  return records;
}
const FIT_PASSES = 8;

function nearestName(stations: Array<{ name: string; xy: XY }>, p: XY): string {
  let best = stations[0];
  for (const s of stations) if (Math.hypot(s.xy[0] - p[0], s.xy[1] - p[1]) < Math.hypot(best.xy[0] - p[0], best.xy[1] - p[1])) best = s;
  return best.name;
}

/** Clip any ring to a counter-clockwise convex polygon (one half-plane per edge). */
function clipToConvex(ring: XY[], convex: XY[]): XY[] {
  let out = ring;
  for (let i = 0; i < convex.length && out.length >= 3; i++) {
    const a = convex[i], b = convex[(i + 1) % convex.length];
    const nx = b[1] - a[1], ny = -(b[0] - a[0]);
    out = clipHalfPlane(out, nx, ny, nx * a[0] + ny * a[1]);
  }
  return out;
}
