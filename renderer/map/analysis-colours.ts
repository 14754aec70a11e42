/** Parcel colours and heights from analysis results (catchment bands, scenario floor area), by fid. */
import type { Geometry } from 'geojson';
import { UiError, type Output } from '../api/client.js';
import { longestArray } from './parcel-columns.js';
import { geometryArea } from './geodesic-area.js';
import { numericColors, type Rgba } from './palette.js';
import type { Colouring } from './scene-data.js';

interface FeatureLike { id?: number; geometry: unknown }

// Near = dark green, far = pale; unreached parcels stay neutral grey.
const BAND_RAMP: Rgba[] = [[0, 104, 55, 255], [49, 163, 84, 255], [120, 198, 121, 255], [194, 230, 153, 255], [255, 255, 204, 255]];
const UNREACHED: Rgba = [205, 205, 212, 255];

export function indexByFid(features: readonly FeatureLike[]): Map<number, number> {
  const m = new Map<number, number>();
  features.forEach((f, i) => { if (typeof f.id === 'number') m.set(f.id, i); });
  return m;
}

/**
 * The parcels of the map by fid: a GeoJSON feature array, or a typed-array layer (layers.columns,
 * parcel-columns.ts) that answers by binary search and precomputed areas.
 */
export interface ParcelIndex { n: number; indexOf(fid: number): number; area(i: number): number }
export type Parcels = readonly FeatureLike[] | ParcelIndex;

export function parcelIndex(p: Parcels): ParcelIndex {
  if (!Array.isArray(p)) return p as ParcelIndex;
  const features = p as readonly FeatureLike[];
  const byFid = indexByFid(features);
  return { n: features.length, indexOf: (fid) => byFid.get(fid) ?? -1, area: (i) => geometryArea(features[i].geometry as Geometry | null) };
}

export function bandColouring(
  features: Parcels, parcels: ReadonlyArray<{ parcelFid: number; bandM: number | null }>,
  label: (bandM: number | null) => string,
): Colouring {
  const ix = parcelIndex(features);
  const bandOf = new Array<number | null>(ix.n).fill(null);
  for (const p of parcels) {
    const i = ix.indexOf(p.parcelFid);
    if (i >= 0) bandOf[i] = p.bandM;
  }
  const bands = [...new Set(bandOf.filter((b): b is number => b !== null))].sort((a, b) => a - b);
  const colourOf = new Map(bands.map((b, k) => [b, BAND_RAMP[Math.min(k, BAND_RAMP.length - 1)]]));
  const rgba = new Uint8Array(ix.n * 4);
  const counts = new Map<number | null, number>();
  bandOf.forEach((b, i) => {
    rgba.set(b === null ? UNREACHED : colourOf.get(b)!, i * 4);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  });
  const legend = [...bands, null].filter((b) => counts.has(b)).map((b) => ({ label: label(b), color: b === null ? UNREACHED : colourOf.get(b)!, count: counts.get(b) }));
  return { rgba, legend };
}

/** Whether results come in the layer's own fid order, so result k is map feature k (no fid search). */
function sameFids(layerFids: Int32Array | null, fids: Int32Array): boolean {
  return layerFids !== null && layerFids.length === fids.length && layerFids.every((f, i) => f === fids[i]);
}

/**
 * bandColouring over typed results (catchment.columns): a band code per result parcel (an index into
 * the run's bandsM, 255 unreached), written straight into the Uint8Array colour buffer; the same
 * colours and legend as bandColouring gives for the same results. `layerFids`, when the results come
 * in the layer's own fid order (the usual case), skips the per-parcel fid search.
 */
export function bandColouringCodes(
  features: Parcels, layerFids: Int32Array | null,
  results: { fids: Int32Array; band: Uint8Array }, bandsM: readonly number[],
  label: (bandM: number | null) => string,
): Colouring {
  const ix = parcelIndex(features);
  const n = ix.n;
  const nb = bandsM.length;
  // Code per map parcel; nb stands for unreached (and for parcels the run has no row for).
  const code = new Uint8Array(n).fill(nb);
  const { fids, band } = results;
  const aligned = sameFids(layerFids, fids);
  for (let k = 0; k < fids.length; k++) {
    const i = aligned ? k : ix.indexOf(fids[k]);
    if (i >= 0) code[i] = band[k] < nb ? band[k] : nb;
  }
  const counts = new Uint32Array(nb + 1);
  for (let i = 0; i < n; i++) counts[code[i]]++;
  // A ramp step per band that has parcels, nearest first (as bandColouring numbers the bands it sees).
  const palette: Rgba[] = new Array(nb + 1);
  let rank = 0;
  for (let b = 0; b < nb; b++) if (counts[b]) palette[b] = BAND_RAMP[Math.min(rank++, BAND_RAMP.length - 1)];
  palette[nb] = UNREACHED;
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) rgba.set(palette[code[i]], i * 4);
  const legend = [];
  for (let b = 0; b <= nb; b++) if (counts[b]) legend.push({ label: label(b === nb ? null : bandsM[b]), color: palette[b], count: counts[b] });
  return { rgba, legend };
}

/** A scenario evaluation's typed per-parcel answer (scenario.evaluate with parcelColumns). */
export type ScenarioColumns = NonNullable<Output<'scenario.evaluate'>['columns']>;

/** The checks on receipt: every length agrees with the count. */
export function checkScenarioColumns(v: unknown): ScenarioColumns {
  const bad = (m: string): never => { throw new UiError('E_BINARY_BODY_INVALID', `scenario.evaluate columns: ${m}`); };
  const c = v as ScenarioColumns;
  if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.count) || c.count < 0) bad('no parcel count');
  if (!(c.fids instanceof Int32Array) || c.fids.length !== c.count) bad(`fids hold ${c.fids?.length} ids for ${c.count} parcels`);
  if (!(c.far instanceof Float32Array) || c.far.length !== c.count) bad(`far holds ${c.far?.length} values for ${c.count} parcels`);
  return c;
}

/** What the app holds of a scenario evaluation (a test hook: shapes only, no data). */
export function evaluationShape(e: { columns?: ScenarioColumns } | null): { parcels: number; typed: boolean; longestArray: number } | null {
  if (!e) return null;
  return { parcels: e.columns?.count ?? 0, typed: e.columns?.fids instanceof Int32Array && e.columns.far instanceof Float32Array, longestArray: longestArray(e) };
}

declare global {
  interface Window {
    /** Test hook: the scenario evaluation the map colours by, by shape. */
    __ekimaeEvaluationState?: () => ReturnType<typeof evaluationShape>;
  }
}

/**
 * The scenario's FAR per map feature from its typed answer (the engine's floor area over its metric
 * area); NaN where the answer has no value. `layerFids`, when the answer comes in the layer's own fid
 * order (the usual case: both read the layer by rowid), skips the per-parcel fid search.
 */
export function scenarioFarColumns(features: Parcels, layerFids: Int32Array | null, c: ScenarioColumns): Float64Array {
  const ix = parcelIndex(features);
  const far = new Float64Array(ix.n).fill(NaN);
  const { fids } = c;
  const aligned = sameFids(layerFids, fids);
  for (let k = 0; k < fids.length; k++) {
    const i = aligned ? k : ix.indexOf(fids[k]);
    if (i >= 0) far[i] = c.far[k];
  }
  return far;
}

export const FAR_BREAKS = [0.5, 1, 2, 3, 5];

export function farColouring(far: Float64Array): Colouring {
  const { rgba, breaks, colors } = numericColors(far, undefined, FAR_BREAKS);
  const legend = colors.map((color, k) => ({
    color, label: k === 0 ? `FAR < ${breaks[0]}` : k === breaks.length ? `FAR ≥ ${breaks[k - 1]}` : `FAR ${breaks[k - 1]}–${breaks[k]}`,
  }));
  return { rgba, legend };
}

/**
 * Residents or jobs within a walk band per parcel (an accessibility run), by fid, in quantile
 * classes; parcels the run has no value for stay grey. Values arrive as typed arrays.
 */
export function accessColouring(features: Parcels, fids: Float64Array, values: Float64Array, noData: string): Colouring {
  const ix = parcelIndex(features);
  const v = new Float64Array(ix.n).fill(NaN);
  for (let k = 0; k < fids.length; k++) {
    const i = ix.indexOf(fids[k]);
    if (i >= 0) v[i] = values[k];
  }
  const { rgba, breaks, colors } = numericColors(v);
  const fmt = (n: number) => Math.round(n).toLocaleString();
  const legend = colors.map((color, k) => ({
    color, label: breaks.length === 0 ? noData : k === 0 ? `< ${fmt(breaks[0])}` : k === breaks.length ? `≥ ${fmt(breaks[k - 1])}` : `${fmt(breaks[k - 1])} – ${fmt(breaks[k])}`,
  }));
  return { rgba, legend };
}
