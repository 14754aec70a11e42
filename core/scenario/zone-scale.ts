/**
 * Per-zone calibration factors on the existing stock (schema table ekimae_calibration_zones): the
 * project-wide calibration matches the census in total; each zone's residual occupancy and staffing
 * (vacancy, household size, informal jobs) is a factor on the residents and jobs of the parcels that
 * keep what stands in that zone. New development takes the new-development figures, unscaled.
 */
import { fromWgs84 } from '../geo/crs.js';
import type { Project } from '../store/project.js';
import { polygonsOf, type Rings } from './parcel-geometry.js';
import { zoneOfCentroids } from './zone-index.js';
import { cached, layerToken, type PreparedParcels } from './prepare.js';

export interface ZoneScale { res: Float64Array; jobs: Float64Array }

interface Row { census_layer: string; zone_fid: number; residents_factor: number; jobs_factor: number }

export function zoneScale(p: Project, prep: PreparedParcels): ZoneScale | null {
  const db = p.database;
  const stamp = db.prepare('SELECT count(*) AS n, max(fid) AS m, max(calibrated_on) AS d FROM ekimae_calibration_zones WHERE parcel_layer = ?').get(prep.layer) as { n: number; m: number | null; d: string | null };
  if (!stamp.n) return null;
  const rows = db.prepare('SELECT census_layer, zone_fid, residents_factor, jobs_factor FROM ekimae_calibration_zones WHERE parcel_layer = ? ORDER BY zone_fid').all(prep.layer) as Row[];
  const layer = rows[0].census_layer;
  if (!p.layers().some((l) => l.name === layer)) return null;
  return cached(p, `zonescale:${prep.layer}`, JSON.stringify([prep.token, layerToken(p, layer), stamp]), () => {
    const fwd = fromWgs84(prep.crs);
    const byFid = new Map(rows.map((r) => [r.zone_fid, r]));
    const zones: Array<{ polys: Rings[]; r: Row }> = [];
    for (const f of p.readFeatures(layer)) {
      const r = f.fid === undefined ? undefined : byFid.get(f.fid);
      if (!r || !f.geometry) continue;
      zones.push({ polys: polygonsOf(f.geometry).map((poly) => poly.map((ring) => ring.map((c) => fwd(c as [number, number])))) as Rings[], r });
    }
    const n = prep.cols.n;
    const out: ZoneScale = { res: new Float64Array(n).fill(1), jobs: new Float64Array(n).fill(1) };
    if (!zones.length) return out;
    const zoneOf = zoneOfCentroids(prep.cx, prep.cy, zones.map((z) => z.polys));
    for (let i = 0; i < n; i++) {
      const k = zoneOf[i];
      if (k >= 0) { out.res[i] = zones[k].r.residents_factor; out.jobs[i] = zones[k].r.jobs_factor; }
    }
    return out;
  });
}
