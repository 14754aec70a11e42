/**
 * The stock fitted to the census zone it stands in. One set of stock rules per site gives every
 * block the same intensity, but the census zones around a station range from paddy villages to
 * a municipal town: uniform fabric put 4-7 times the census on the villages and a twentieth of it on
 * Bharuch town. So each census zone's ordinary fabric (not the named land: station precincts, campuses,
 * rail land) is brought to the zone's own density, by a stated rule:
 *   - target residential floor area = census population inside the site x the site's floor area per
 *     resident; target job floor area = census jobs inside the site at the site's floor area per job;
 *   - first the share of the zone's ordinary blocks that are built on (the rest are fields, as
 *     `fieldShare` leaves them) moves with the larger of the two ratios, so a zone denser in the
 *     fabric than in the census gets more fields and a sparser one more built blocks;
 *   - what remains is taken up lot by lot: residential lots for residents, shops, offices, works and
 *     civic lots for jobs (mixed use by both): under 1, that share of lots left unbuilt (a vacant
 *     plot); over 1, more coverage (up to a cap) and more floors (up to a cap), rounded lot by lot;
 *   - eight damped passes from the same seeded streams; each zone keeps the intensity of its best pass.
 * The zone's share inside the site is measured as the calibration measures it
 * (core/scenario/site-cover.ts), and lots join the zone holding their centroid, as there.
 */
import type { Rings } from '../../core/scenario/parcel-geometry.js';
import { zoneCoverShares } from '../../core/scenario/site-cover.js';
import type { XY } from './frame.js';
import type { Lot, ParcelRecord } from './parcels.js';
import { pointInRing } from './planar.js';
import type { Rng } from './prng.js';
import type { CensusFit } from './spec.js';

export interface FitZone { polys: XY[][][]; population: number; jobs: number }

/** Zone index of each point (-1 outside every zone; the first zone wins, as in the calibration). */
export function zoneOfPoints(points: XY[], zones: FitZone[]): Int32Array {
  const boxes = zones.map((z) => {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const poly of z.polys) for (const [x, y] of poly[0] ?? []) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    return [x0, y0, x1, y1];
  });
  const inside = (p: XY, poly: XY[][]) => {
    let c = false;
    for (const ring of poly) if (pointInRing(p, ring)) c = !c;
    return c;
  };
  return Int32Array.from(points, (p) => {
    for (let z = 0; z < zones.length; z++) {
      const b = boxes[z];
      if (p[0] < b[0] || p[0] > b[2] || p[1] < b[1] || p[1] > b[3]) continue;
      if (zones[z].polys.some((poly) => inside(p, poly))) return z;
    }
    return -1;
  });
}

/** Share of each zone inside the site, as core/scenario/calibrate.ts counts it (its default 100 m gap, 10 m cells). */
export function coverShares(zones: FitZone[], lots: Array<{ ring: XY[] }>): Float64Array {
  return zoneCoverShares(zones.map((z) => z.polys as unknown as Rings[]), lots.map((l) => [[l.ring] as unknown as Rings]), { gapM: 100, cellM: 10 });
}

/** Residential floor area and job floor area (in census jobs at the site's m² per job) of one record. */
export function stockOf(p: Pick<ParcelRecord, 'land_use' | 'floor_area'>, fit: CensusFit): { res: number; jobs: number } {
  const fa = p.floor_area;
  switch (p.land_use) {
    case 'residential': return { res: fa, jobs: 0 };
    case 'mixed_use': return { res: fa * fit.mixedResidentialShare, jobs: (fa * (1 - fit.mixedResidentialShare)) / fit.m2PerJob.commercial };
    case 'commercial': return { res: 0, jobs: fa / fit.m2PerJob.commercial };
    case 'office': return { res: 0, jobs: fa / fit.m2PerJob.office };
    case 'civic': case 'transport': return { res: 0, jobs: fa / fit.m2PerJob.civic };
    case 'industrial': return { res: 0, jobs: fa / fit.m2PerJob.industrial };
    default: return { res: 0, jobs: 0 };
  }
}

export interface Intensity {
  /** Per census zone: share of its ordinary blocks built on, and the lot-level factors on residential and job floor area. */
  built: Float64Array;
  res: Float64Array;
  jobs: Float64Array;
}

/** Two seeded uniforms per lot (vacancy and rounding), drawn once so every pass reads the same ones. */
export function lotDraws(n: number, rng: Rng): { u: Float64Array; v: Float64Array } {
  const u = new Float64Array(n), v = new Float64Array(n);
  for (let i = 0; i < n; i++) { u[i] = rng.next(); v[i] = rng.next(); }
  return { u, v };
}

/** Apply a zone's lot-level factors to the ordinary (unnamed) lots' records, in place. */
export function applyIntensity(records: ParcelRecord[], lots: Lot[], lotZone: Int32Array, it: Intensity, draws: { u: Float64Array; v: Float64Array }, fit: CensusFit): void {
  records.forEach((p, i) => {
    const z = lotZone[i];
    if (z < 0 || lots[i].zone || p.floors <= 0) return;
    const s = p.land_use === 'residential' ? it.res[z] : p.land_use === 'mixed_use' ? Math.sqrt(it.res[z] * it.jobs[z]) : it.jobs[z];
    if (s === 1) return;
    if (s < 1) {
      // A plot left unbuilt: a cleared lot or a yard for sale.
      if (draws.u[i] < 1 - s) { p.land_use = 'vacant'; p.floors = 0; p.floor_area = 0; p.coverage = 0; }
      return;
    }
    const area = p.coverage > 0 && p.floors > 0 ? p.floor_area / (p.coverage * p.floors) : 0;
    const cov = Math.min(fit.maxCoverage, p.coverage * Math.sqrt(s));
    const want = (p.floors * s * p.coverage) / Math.max(cov, 1e-9);
    const floors = Math.max(1, Math.min(fit.maxFloors, Math.floor(want + draws.v[i])));
    if (floors < p.floors) return;
    p.coverage = cov;
    p.floors = floors;
    p.floor_area = Math.round(area * cov * floors);
  });
}

/** Sum each zone's stock (all lots in it, named land too: the calibration counts them). */
export function zoneStock(records: ParcelRecord[], lotZone: Int32Array, nz: number, fit: CensusFit): { res: Float64Array; jobs: Float64Array } {
  const res = new Float64Array(nz), jobs = new Float64Array(nz);
  records.forEach((p, i) => {
    const z = lotZone[i];
    if (z < 0) return;
    const s = stockOf(p, fit);
    res[z] += s.res; jobs[z] += s.jobs;
  });
  return { res, jobs };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Next pass's intensity from this pass's stock against the targets. The built share moves with the
 * larger ratio (fields go where both residents and jobs are too many); the lot factors take the rest.
 */
export function nextIntensity(it: Intensity, stock: { res: Float64Array; jobs: Float64Array }, target: { res: Float64Array; jobs: Float64Array }): Intensity {
  const nz = it.built.length;
  const out: Intensity = { built: new Float64Array(nz), res: new Float64Array(nz), jobs: new Float64Array(nz) };
  for (let z = 0; z < nz; z++) {
    const kr = stock.res[z] > 0 ? target.res[z] / stock.res[z] : 1;
    const kj = stock.jobs[z] > 0 ? target.jobs[z] / stock.jobs[z] : 1;
    // Damped steps: the blocks are few and large, so a full step overshoots.
    const b = clamp(it.built[z] * clamp(Math.max(kr, kj) ** 0.7, 0.5, 2), 0.03, 1);
    const e = it.built[z] > 0 ? b / it.built[z] : 1;
    out.built[z] = b;
    out.res[z] = clamp((it.res[z] * clamp(kr, 0.25, 4) ** 0.8) / e, 0.05, 12);
    out.jobs[z] = clamp((it.jobs[z] * clamp(kj, 0.25, 4) ** 0.8) / e, 0.05, 12);
  }
  return out;
}
