/** What an accessibility run sums per parcel and node: shared by the run and its store (no cycle between them). */
export const ACCESS_QUANTITIES = ['residents', 'jobs'] as const;

export interface ParcelWeights {
  fids: Float64Array;
  /** Nearest node per parcel (-1 when none within MAX_SNAP_M) and the straight distance to it. */
  node: Int32Array;
  snapM: Float64Array;
  /** Per quantity, per parcel. */
  values: Float64Array[];
  /** Per quantity, per node: the parcels' values summed at their nodes. */
  nodeWeights: Float64Array[];
}
