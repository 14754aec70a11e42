/**
 * A stored catchment run as typed arrays for the map (`catchment.columns`): per parcel its fid, walking
 * distance, access leg, band and nearest station; and the run's reached streets as a line layer in
 * layers.columns' shape. A 1M-parcel run is then a few flat buffers (17 bytes a parcel) instead of a
 * million objects, and travels like layers.columns (structured clone over IPC, the binary body over HTTP).
 *
 * Distances go as Float32: within 2⁻²⁴ relative of the stored metres, 0.07 mm at 1.2 km, far below
 * anything a band or a colour depends on; the band is the exact stored band, as an index into the run's
 * bands (no rounding can move a parcel across a band edge). NaN and 255 mean unreached.
 */
import { EkimaeError } from '../errors.js';
import { getFeatureTable } from '../store/gpkg.js';
import { readLayerColumns, type ColumnData, type LayerColumns } from '../store/layer-columns.js';
import type { Project } from '../store/project.js';
import { readRun, STREET_LAYER } from './store.js';

/** Band code of a parcel not reached within the largest band. */
export const UNREACHED_BAND = 255;

export interface CatchmentParcelColumns {
  count: number;
  /** Parcel fids, ascending (the order layers.columns gives the parcel layer). */
  fids: Int32Array;
  /** Walking distance in metres; NaN = unreached. */
  distM: Float32Array;
  /** Access leg (parcel → street) in metres; NaN where the parcel snapped to no street. */
  accessM: Float32Array;
  /** Index into bandsM; 255 = unreached. */
  band: Uint8Array;
  /** Nearest station: index into the dictionary of station ids, -1 where unreached. */
  station: Extract<ColumnData, { kind: 'text' }>;
}

export interface CatchmentColumns {
  runId: number;
  parcelsLayer: string | null;
  /** The run's bands in metres, ascending: what band codes index. */
  bandsM: number[];
  parcels: CatchmentParcelColumns;
  /** The run's reached street pieces (fields station_id, walk_start_m, walk_end_m, network_fid); null when not asked for or not stored. */
  streets: (LayerColumns & { layer: string }) | null;
}

const STREET_FIELDS = ['station_id', 'walk_start_m', 'walk_end_m', 'network_fid'];

export function readCatchmentColumns(project: Project, runId: number | undefined, opts: { streets: boolean }): CatchmentColumns {
  const run = readRun(project, runId);
  const id = run.runId;
  const bandsM = [...run.params.bandsM].sort((a, b) => a - b);
  const code = new Map(bandsM.map((b, k) => [b, k]));
  const db = project.database;
  const n = Number(db.prepare('SELECT count(*) FROM ekimae_catchment_parcels WHERE run_id = ?').pluck().get(id));
  const fids = new Int32Array(n), distM = new Float32Array(n), accessM = new Float32Array(n), band = new Uint8Array(n), codes = new Int32Array(n);
  const dictionary: string[] = [];
  const stationCode = new Map<string, number>();
  const invalid = (m: string, details: Record<string, unknown>): never => { throw new EkimaeError('E_CATCHMENT_RESULT_INVALID', `catchment run ${id}: ${m}`, { runId: id, ...details }); };
  let i = 0;
  const rows = db.prepare('SELECT parcel_fid, dist_m, access_m, band_m, station_id FROM ekimae_catchment_parcels WHERE run_id = ? ORDER BY parcel_fid').raw(true);
  for (const [fid, d, a, b, s] of rows.iterate(id) as Iterable<[number, number | null, number | null, number | null, string | null]>) {
    if (i >= n) break; // rows added by another process between the count and the read
    if (!Number.isInteger(fid) || fid < -0x80000000 || fid > 0x7fffffff) invalid(`parcel id ${fid} is beyond the 32-bit ids the map uses`, { fid });
    fids[i] = fid;
    distM[i] = d ?? NaN;
    accessM[i] = a ?? NaN;
    if (b === null) band[i] = UNREACHED_BAND;
    else {
      const k = code.get(b);
      if (k === undefined) invalid(`parcel ${fid} is in band ${b} m, which is not one of the run's bands (${bandsM.join(', ')} m)`, { fid, bandM: b, bandsM });
      band[i] = k!;
    }
    if (s === null) codes[i] = -1;
    else {
      let c = stationCode.get(s);
      if (c === undefined) { c = dictionary.length; dictionary.push(s); stationCode.set(s, c); }
      codes[i] = c;
    }
    i++;
  }
  // Fewer rows than counted (another process deleted some meanwhile): copies, since a clone carries a view's whole buffer.
  const cut = <T extends Int32Array | Float32Array | Uint8Array>(a: T): T => (i === n ? a : a.slice(0, i) as T);
  const parcels: CatchmentParcelColumns = {
    count: i, fids: cut(fids), distM: cut(distM), accessM: cut(accessM), band: cut(band), station: { kind: 'text', codes: cut(codes), dictionary },
  };
  let streets: CatchmentColumns['streets'] = null;
  const table = opts.streets ? getFeatureTable(db, STREET_LAYER) : null;
  if (table) streets = { layer: STREET_LAYER, ...readLayerColumns(db, table, { fields: STREET_FIELDS, geometry: true, where: { field: 'run_id', equals: id } }) };
  return { runId: id, parcelsLayer: run.parcelsLayer, bandsM, parcels, streets };
}
