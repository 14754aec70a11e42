/**
 * A scenario's projection by horizon (growth.parcels, typed arrays on the wire), and the FAR of one column
 * (a horizon year or capacity) per map feature. The packed columns arrive once per scenario; moving
 * the horizon control only picks another column, so no request is made per move.
 */
import { UiError, type Output } from '../api/client.js';
import type { Translate } from '../i18n/index.js';
import { farColouring, parcelIndex, type Parcels } from './analysis-colours.js';
import type { Colouring } from './scene-data.js';

type Wire = Output<'growth.parcels'>;

export interface ProjectionData {
  /** Bumped per answer: keys colour caches. */
  seq: number;
  scenarioId: string | null;
  version: number | null;
  parcelLayer: string;
  source: string;
  n: number;
  horizons: number[];
  fids: Float64Array;
  /** FAR, column-major: far[col * n + i]; columns = horizons, then capacity. */
  far: Float32Array;
  bands: Wire['bands'];
  total: Wire['total'];
}

let seq = 0;
/** The answer checked on receipt (typed arrays of matching lengths: a binary body over HTTP, a clone over IPC). */
export function decodeProjection(w: Wire): ProjectionData {
  const { fids, far } = w;
  if (!(fids instanceof Float64Array) || !(far instanceof Float32Array)) throw new UiError('E_BINARY_BODY_INVALID', 'growth.parcels: fids and FAR do not arrive as typed arrays');
  if (!Number.isSafeInteger(w.n) || fids.length !== w.n || far.length !== w.n * (w.horizons.length + 1)) throw new UiError('E_BINARY_BODY_INVALID', `growth.parcels: ${fids.length} fids and ${far.length} FAR values for ${w.n} parcels × ${w.horizons.length + 1} columns`);
  return {
    seq: ++seq, scenarioId: w.scenarioId, version: w.version, parcelLayer: w.parcelLayer, source: w.source, n: w.n, horizons: w.horizons,
    fids, far, bands: w.bands, total: w.total,
  };
}

/** Column index of capacity (after the horizons). */
export const capacityColumn = (d: { horizons: number[] }) => d.horizons.length;

/** "projected 2045" or "capacity": the words shown wherever a figure of that column appears. */
export function columnLabel(t: Translate, d: { horizons: number[] }, col: number): string {
  return col >= d.horizons.length ? t('horizon.capacity') : t('horizon.projected', { year: d.horizons[col] });
}

/** For each projection parcel, its map feature index (-1 when the map does not hold it). */
export function featureOrder(features: Parcels, fids: Float64Array): Int32Array {
  const ix = parcelIndex(features);
  const out = new Int32Array(fids.length);
  for (let k = 0; k < fids.length; k++) out[k] = ix.indexOf(fids[k]);
  return out;
}

/** FAR of one column per map feature (NaN where the projection has none). */
export function farAtColumn(d: ProjectionData, order: Int32Array, nFeatures: number, col: number): Float64Array {
  const out = new Float64Array(nFeatures).fill(NaN);
  const o = col * d.n;
  for (let k = 0; k < d.n; k++) { const i = order[k]; if (i >= 0) out[i] = d.far[o + k]; }
  return out;
}

/** The FAR colouring of one column, every legend entry saying which figure it is. */
export function projectionColouring(far: Float64Array, label: string): Colouring {
  const c = farColouring(far);
  return { rgba: c.rgba, legend: c.legend.map((e) => ({ ...e, label: `${e.label} (${label})` })) };
}

/** Massing floors from FAR (one storey where there is none); a plain loop: Float32Array.from with a callback costs 100+ ms at 100k. */
export function floorsOfFar(far: Float64Array): Float32Array {
  const out = new Float32Array(far.length);
  for (let i = 0; i < far.length; i++) { const v = far[i]; out[i] = Number.isFinite(v) && v > 0 ? v : 1; }
  return out;
}
