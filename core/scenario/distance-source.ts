/** Where an evaluation takes walking distances from: the stored catchment (default), explicit values, or labelled crow-flies. */
import type { Project } from '../store/project.js';
import { catchmentDistances } from './catchment-distances.js';
import type { PreparedParcels } from './prepare.js';
import { alignDistances, crowFliesDistances, type DistanceColumns } from './run.js';

export type DistanceSpec =
  | { kind: 'catchment' }
  | { kind: 'explicit'; fids: number[]; distM: Array<number | null>; station?: Array<string | null>; source?: string }
  | { kind: 'crowFlies'; stationsLayer: string; detourFactor: number };

/** A memoised distance provider for one request (several scenarios evaluated on the same parcels share it). */
export function distanceSource(p: Project, d: DistanceSpec | undefined): (prep: PreparedParcels) => DistanceColumns {
  let memo: { prep: PreparedParcels; cols: DistanceColumns } | null = null;
  return (prep) => {
    if (memo && memo.prep === prep) return memo.cols;
    let cols: DistanceColumns;
    if (!d || d.kind === 'catchment') cols = catchmentDistances(p, prep);
    else if (d.kind === 'explicit') cols = alignDistances(prep, d, d.source ?? 'distances given with the request');
    else cols = crowFliesDistances(p, prep, d.stationsLayer, d.detourFactor);
    memo = { prep, cols };
    return cols;
  };
}
