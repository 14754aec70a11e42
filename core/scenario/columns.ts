/**
 * A scenario's evaluation per parcel as typed arrays for the map (`scenario.evaluate` with
 * `parcelColumns`): the fid and the FAR the scenario gives each parcel. The scenario panel asks for
 * this after every edit; as JSON (`includeParcels`: ten arrays of one value per parcel) a 100k-parcel
 * answer was megabytes of numbers and strings to parse on each slider move, and a 1M-parcel one ten
 * million values. Here it is 8 bytes a parcel, carried as bytes over HTTP (binary-body.ts) and
 * cloned as is over IPC.
 *
 * FAR is the scenario's floor area over the parcel's area in the local metric projection (the area
 * every indicator uses), as growth.parcels' capacity column computes it; Float32 is within 2⁻²⁴
 * relative of it, far below any class break. NaN where the parcel has no valid area.
 */
import { EkimaeError } from '../errors.js';
import type { ParcelResult } from './evaluate.js';
import type { PreparedParcels } from './prepare.js';

export interface ScenarioParcelColumns {
  count: number;
  /** Parcel fids in the order the parcel layer is read (ascending fid for a layer read by rowid). */
  fids: Int32Array;
  /** Scenario floor area / parcel area; NaN without a valid area. */
  far: Float32Array;
}

/** Copies out of the result (its buffers are reused by the next evaluation). */
export function scenarioColumns(prep: PreparedParcels, r: ParcelResult): ScenarioParcelColumns {
  const n = prep.cols.n, fid = prep.cols.fid, area = prep.cols.area, fa = r.floorArea;
  const fids = new Int32Array(n), far = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const f = fid[i];
    if (!Number.isInteger(f) || f < -0x80000000 || f > 0x7fffffff) {
      throw new EkimaeError('E_INPUT_INVALID', `layer "${prep.layer}" has feature id ${f}, beyond the 32-bit ids the map uses`, { layer: prep.layer, fid: f });
    }
    fids[i] = f;
    const A = area[i];
    far[i] = A > 0 ? fa[i] / A : NaN;
  }
  return { count: n, fids, far };
}
