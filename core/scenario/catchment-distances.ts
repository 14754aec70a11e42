/** Walking distances per parcel from the latest stored catchment run (core/catchment). */
import { EkimaeError } from '../errors.js';
import { latestParcelDistances, readRun } from '../catchment/store.js';
import type { Project } from '../store/project.js';
import { cached, type PreparedParcels } from './prepare.js';
import { alignDistances, type DistanceColumns } from './run.js';

/** Cached per parcel layer and catchment run: a rule change does not re-read 200k distance rows. */
export function catchmentDistances(p: Project, prep: PreparedParcels): DistanceColumns {
  const latest = p.database.prepare('SELECT max(fid) AS id FROM ekimae_catchment_runs WHERE parcels_layer IS NOT NULL').get() as { id: number | null };
  return cached(p, `distances:${prep.layer}`, `${prep.token}|${latest.id}`, () => read(p, prep));
}

function read(p: Project, prep: PreparedParcels): DistanceColumns {
  const d = latestParcelDistances(p);
  if (!d) {
    throw new EkimaeError('E_DISTANCES_MISSING', `no stored catchment gives walking distances for parcel layer "${prep.layer}": run a catchment with the parcels, or pass distances (kind "explicit"), or ask for labelled crow-flies distances (kind "crowFlies")`, { layer: prep.layer });
  }
  if (d.parcelLayer !== prep.layer) {
    throw new EkimaeError('E_DISTANCES_MISSING', `the latest catchment run (${d.runId}) measured parcel layer "${d.parcelLayer}", not "${prep.layer}"; run a catchment for "${prep.layer}"`, { layer: prep.layer, runId: d.runId });
  }
  // Stations are reported by name where the run recorded one, so tables read "Bang Sue", not "S1".
  const names = new Map<string, string>();
  for (const b of readRun(p, d.runId).bands) if (b.stationName) names.set(b.stationId, b.stationName);
  // Typed columns straight through (unreached: NaN), not a million-element array of numbers or null.
  const distM = d.distM.map((x) => (Number.isFinite(x) ? x : NaN));
  const station = d.station.map((s) => (s ? names.get(s) ?? s : null));
  return alignDistances(prep, { fids: d.fids, distM, station }, `catchment run ${d.runId} (walking distance)`);
}
