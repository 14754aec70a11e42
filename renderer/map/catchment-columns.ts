/**
 * A catchment run as it arrives from `catchment.columns`: per-parcel results as typed arrays (fid,
 * distance, access leg, band code, station code) and the reached streets as a typed line layer. The
 * checks on receipt (every length agrees, every code indexes what it names) and the street paths.
 */
import type { Output } from '../api/client.js';
import { UiError } from '../api/client.js';
import type { LineDraw } from './deck-layers.js';
import { checkLayerColumns, longestArray, pathsFromColumns } from './parcel-columns.js';

export type CatchmentColumns = Output<'catchment.columns'>;

/**
 * The layer the core writes a run's reached streets into (core/catchment/store.ts STREET_LAYER; the
 * renderer takes no values from core/, tests/renderer/catchment-columns.test.ts pins the copy). The map
 * draws it from catchment.columns, never as GeoJSON features.
 */
export const CATCHMENT_STREETS_LAYER = 'ekimae_catchment_streets';

/** Band code of a parcel not reached within the largest band (core/catchment/columns.ts). */
export const UNREACHED_BAND = 255;

const bad = (m: string): never => { throw new UiError('E_BINARY_BODY_INVALID', `catchment.columns: ${m}`); };

export function checkCatchmentColumns(v: unknown): CatchmentColumns {
  const c = v as CatchmentColumns;
  if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.runId)) bad('no run id');
  if (!Array.isArray(c.bandsM) || c.bandsM.length >= UNREACHED_BAND || !c.bandsM.every(Number.isFinite)) bad('no bands');
  const p = c.parcels ?? bad('no parcels');
  const n = p.count;
  if (!Number.isSafeInteger(n) || n < 0) bad('no parcel count');
  if (!(p.fids instanceof Int32Array) || p.fids.length !== n) bad(`fids hold ${p.fids?.length} ids for ${n} parcels`);
  for (let i = 1; i < n; i++) if (p.fids[i] <= p.fids[i - 1]) bad('fids are not in ascending order');
  if (!(p.distM instanceof Float32Array) || p.distM.length !== n) bad(`distM holds ${p.distM?.length} values for ${n} parcels`);
  if (!(p.accessM instanceof Float32Array) || p.accessM.length !== n) bad(`accessM holds ${p.accessM?.length} values for ${n} parcels`);
  if (!(p.band instanceof Uint8Array) || p.band.length !== n) bad(`band holds ${p.band?.length} codes for ${n} parcels`);
  const nb = c.bandsM.length;
  for (let i = 0; i < n; i++) if (p.band[i] >= nb && p.band[i] !== UNREACHED_BAND) bad(`band code ${p.band[i]} names none of the ${nb} bands`);
  const s = p.station;
  if (!s || s.kind !== 'text' || !(s.codes instanceof Int32Array) || s.codes.length !== n || !Array.isArray(s.dictionary)) bad('station codes do not match the parcels');
  for (let i = 0; i < n; i++) if (s.codes[i] < -1 || s.codes[i] >= s.dictionary.length) bad(`station code ${s.codes[i]} is outside its ${s.dictionary.length}-word dictionary`);
  if (c.streets !== null) {
    if (typeof c.streets !== 'object') bad('streets are neither a layer nor null');
    checkLayerColumns(c.streets);
    if (!c.streets.geometry) bad('streets come without geometry');
  }
  return c;
}

// Thin and translucent: at the view of a whole corridor the reached streets are dense, and the band colours of the parcels must show through.
const STREET_COLOUR: [number, number, number, number] = [16, 70, 140, 130];

/** The reached streets as one binary path layer over the wire's own buffers (not pickable: clicks reach the parcels). */
export function streetsDraw(c: CatchmentColumns, label: string): LineDraw | null {
  if (!c.streets?.geometry || c.streets.count === 0) return null;
  return { layer: CATCHMENT_STREETS_LAYER, role: 'other', rows: [], binary: pathsFromColumns(c.streets), color: STREET_COLOUR, width: 1, pickable: false, label };
}

/** What the app holds of a catchment run (a test hook: shapes only, no data). */
export function catchmentShape(c: CatchmentColumns | null): { runId: number; parcels: number; streets: number; bytes: number; longestArray: number } | null {
  if (!c) return null;
  const p = c.parcels;
  const g = c.streets?.geometry;
  const bytes = p.fids.byteLength + p.distM.byteLength + p.accessM.byteLength + p.band.byteLength + p.station.codes.byteLength
    + (g ? g.coords.byteLength + g.ringStarts.byteLength + g.partStarts.byteLength + g.featureStarts.byteLength : 0);
  return { runId: c.runId, parcels: p.count, streets: c.streets?.count ?? 0, bytes, longestArray: longestArray(c) };
}

declare global {
  interface Window {
    /** Test hook: the catchment run the map shows, by shape. */
    __ekimaeCatchmentState?: () => ReturnType<typeof catchmentShape>;
  }
}
