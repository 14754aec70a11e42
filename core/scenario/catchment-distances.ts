/** Walking distances per parcel from the latest stored catchment run (core/catchment). */
import { EkimaeError } from '../api/errors.js';
import type { Project } from '../store/project.js';
import type { PreparedParcels } from './prepare.js';
import type { DistanceColumns } from './run.js';

export function catchmentDistances(_p: Project, prep: PreparedParcels): DistanceColumns {
  throw new EkimaeError('E_DISTANCES_MISSING', `no stored catchment gives walking distances for parcel layer "${prep.layer}": run a catchment, or pass distances (kind "explicit") or ask for labelled crow-flies distances (kind "crowFlies")`, { layer: prep.layer });
}
