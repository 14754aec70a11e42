/**
 * A parcel layer as it arrives from `layers.columns`: typed arrays, never one object per parcel.
 * Here: the checks on receipt, the drawing buffers (zero-copy when no parcel has a hole), the fid
 * index (fids arrive in ascending order, so a binary search replaces a million-entry Map), areas,
 * colourings and heights from the typed columns, and the outline of one parcel for the selection.
 */
import type { Output } from '../api/client.js';
import { UiError } from '../api/client.js';
import type { PolygonBuffers } from './binary-polygons.js';
import { landUseClass, numericColors, singleColor, type LegendEntry, type Rgba } from './palette.js';
import type { ColourBy, Colouring } from './scene-data.js';

export type ParcelColumns = Output<'layers.columns'>;
export type ColumnData = ParcelColumns['columns'][string];

const bad = (m: string): never => { throw new UiError('E_BINARY_BODY_INVALID', `layers.columns: ${m}`); };

function checkStarts(name: string, a: Uint32Array, entries: number, end: number): void {
  if (a.length !== entries + 1) bad(`${name} has ${a.length} entries, expected ${entries + 1}`);
  if (a[0] !== 0) bad(`${name} does not start at 0`);
  for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) bad(`${name} decreases at ${i}`);
  if (a[a.length - 1] !== end) bad(`${name} ends at ${a[a.length - 1]}, expected ${end}`);
}

/** Every length agrees with every other: what the map indexes with cannot run past an array (E_BINARY_BODY_INVALID otherwise). */
export function checkLayerColumns(v: unknown): ParcelColumns {
  const c = v as ParcelColumns;
  if (!c || typeof c !== 'object' || !Number.isSafeInteger(c.count) || c.count < 0) bad('no feature count');
  if (!(c.fids instanceof Int32Array) || c.fids.length !== c.count) bad(`fids hold ${c.fids?.length} ids for ${c.count} features`);
  for (let i = 1; i < c.count; i++) if (c.fids[i] <= c.fids[i - 1]) bad('fids are not in ascending order');
  const g = c.geometry;
  if (g) {
    if (!(g.coords instanceof Float32Array) || g.coords.length % 2 !== 0) bad('coordinates are not x,y pairs of Float32');
    if (![g.ringStarts, g.partStarts, g.featureStarts].every((a) => a instanceof Uint32Array)) bad('start indices are not Uint32Array');
    if (!Array.isArray(g.origin) || g.origin.length !== 2 || !g.origin.every(Number.isFinite)) bad('no origin');
    checkStarts('ringStarts', g.ringStarts, g.ringStarts.length - 1, g.coords.length / 2);
    checkStarts('partStarts', g.partStarts, g.partStarts.length - 1, g.ringStarts.length - 1);
    checkStarts('featureStarts', g.featureStarts, c.count, g.partStarts.length - 1);
  }
  for (const [name, col] of Object.entries(c.columns ?? bad('no columns'))) {
    if (col.kind === 'number' || col.kind === 'boolean') {
      if (col.values.length !== c.count) bad(`column ${name} holds ${col.values.length} values for ${c.count} features`);
    } else if (col.kind === 'text') {
      if (!(col.codes instanceof Int32Array) || col.codes.length !== c.count) bad(`column ${name} holds ${col.codes?.length} codes for ${c.count} features`);
      const n = col.dictionary.length;
      for (let i = 0; i < col.codes.length; i++) if (col.codes[i] < -1 || col.codes[i] >= n) bad(`column ${name} has code ${col.codes[i]} outside its ${n}-word dictionary`);
    } else bad(`column ${name} is of unknown kind`);
  }
  return c;
}

/** Index of a fid (binary search over the ascending fids), -1 when absent. */
export function indexOfFid(fids: Int32Array, fid: number): number {
  let lo = 0, hi = fids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = fids[mid];
    if (v === fid) return mid;
    if (v < fid) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/**
 * Drawing rows (one per outer ring) over the wire's own coordinate buffer. When a parcel has a hole
 * or an unclosed ring, the outer rings are copied into a buffer of their own (holes are not cut out
 * of the fill, as for GeoJSON layers: binary-polygons.ts).
 */
export function buffersFromColumns(c: ParcelColumns): PolygonBuffers {
  const g = c.geometry ?? bad('no geometry');
  const { coords, ringStarts: rs, partStarts: ps, featureStarts: fs } = g!;
  const polygons = ps.length - 1;
  let simple = rs.length - 1 === polygons;
  for (let r = 0; simple && r < rs.length - 1; r++) {
    const a = rs[r], b = rs[r + 1] - 1;
    if (b - a < 2 || coords[a * 2] !== coords[b * 2] || coords[a * 2 + 1] !== coords[b * 2 + 1]) simple = false;
  }
  const rowFeature = new Uint32Array(polygons);
  for (let f = 0; f < c.count; f++) rowFeature.fill(f, fs[f], fs[f + 1]);
  if (simple) {
    return { length: polygons, startIndices: rs, positions: coords, vertexCount: coords.length / 2, rowFeature, featureRowStart: fs, featureCount: c.count, origin: g!.origin };
  }
  // Outer rings only, closed, rings under 3 vertices dropped (as buildPolygonBuffers does).
  let verts = 0;
  let rows = 0;
  for (let p = 0; p < polygons; p++) {
    const a = rs[ps[p]], n = rs[ps[p] + 1] - a;
    if (ps[p + 1] === ps[p] || n < 3) continue;
    rows += 1;
    verts += n + (coords[a * 2] === coords[(a + n - 1) * 2] && coords[a * 2 + 1] === coords[(a + n - 1) * 2 + 1] ? 0 : 1);
  }
  const positions = new Float32Array(verts * 2);
  const startIndices = new Uint32Array(rows + 1);
  const rowF = new Uint32Array(rows);
  const featureRowStart = new Uint32Array(c.count + 1);
  let row = 0, v = 0;
  for (let f = 0; f < c.count; f++) {
    featureRowStart[f] = row;
    for (let p = fs[f]; p < fs[f + 1]; p++) {
      const a = rs[ps[p]], n = rs[ps[p] + 1] - a;
      if (ps[p + 1] === ps[p] || n < 3) continue;
      startIndices[row] = v;
      rowF[row] = f;
      positions.set(coords.subarray(a * 2, (a + n) * 2), v * 2);
      v += n;
      if (coords[a * 2] !== coords[(a + n - 1) * 2] || coords[a * 2 + 1] !== coords[(a + n - 1) * 2 + 1]) {
        positions[v * 2] = coords[a * 2];
        positions[v * 2 + 1] = coords[a * 2 + 1];
        v += 1;
      }
      row += 1;
    }
  }
  featureRowStart[c.count] = row;
  startIndices[rows] = v;
  return { length: rows, startIndices, positions, vertexCount: v, rowFeature: rowF, featureRowStart, featureCount: c.count, origin: g!.origin };
}

const A = 6378137;
const E2 = 0.00669437999014;
const RAD = Math.PI / 180;

/** Area of ring r in m², as geodesic-area.ts ringArea computes it (tangent plane at the ring's mean latitude). */
function ringAreaAt(coords: Float32Array, origin: [number, number], a: number, b: number): number {
  const n = b - a;
  if (n < 3) return 0;
  let lat0 = 0;
  for (let i = a; i < b; i++) lat0 += coords[i * 2 + 1] + origin[1];
  lat0 = (lat0 / n) * RAD;
  const w = 1 - E2 * Math.sin(lat0) ** 2;
  const kx = (A / Math.sqrt(w)) * Math.cos(lat0) * RAD;
  const ky = ((A * (1 - E2)) / (w * Math.sqrt(w))) * RAD;
  // Offsets from the origin: the shoelace sum does not depend on where x is measured from.
  let sum = 0;
  for (let i = a; i < b; i++) {
    const j = i + 1 < b ? i + 1 : a;
    sum += coords[i * 2] * kx * (coords[j * 2 + 1] * ky) - coords[j * 2] * kx * (coords[i * 2 + 1] * ky);
  }
  return Math.abs(sum / 2);
}

/** Area per feature in m² (outer rings less holes), computed once per layer. */
export function featureAreas(c: ParcelColumns): Float64Array {
  const out = new Float64Array(c.count);
  const g = c.geometry;
  if (!g) return out;
  const { coords, ringStarts: rs, partStarts: ps, featureStarts: fs, origin } = g;
  for (let f = 0; f < c.count; f++) {
    let s = 0;
    for (let p = fs[f]; p < fs[f + 1]; p++) {
      for (let r = ps[p]; r < ps[p + 1]; r++) {
        const ar = ringAreaAt(coords, origin as [number, number], rs[r], rs[r + 1]);
        s += r === ps[p] ? ar : -ar;
      }
    }
    out[f] = s;
  }
  return out;
}

/** Every ring of feature i in lon/lat (the selection outline). */
export function featureRings(c: ParcelColumns, i: number): number[][][] {
  const g = c.geometry;
  if (!g || i < 0 || i >= c.count) return [];
  const out: number[][][] = [];
  for (let p = g.featureStarts[i]; p < g.featureStarts[i + 1]; p++) {
    for (let r = g.partStarts[p]; r < g.partStarts[p + 1]; r++) {
      const ring: number[][] = [];
      for (let v = g.ringStarts[r]; v < g.ringStarts[r + 1]; v++) ring.push([g.coords[v * 2] + g.origin[0], g.coords[v * 2 + 1] + g.origin[1]]);
      out.push(ring);
    }
  }
  return out;
}

/** A column as numbers (text parsed as numbers, like scene-data.ts numericValues; NaN where none). */
export function numberColumn(col: ColumnData | undefined, n: number): Float64Array {
  if (!col) return new Float64Array(n).fill(NaN);
  if (col.kind === 'number') return col.values;
  const out = new Float64Array(n);
  if (col.kind === 'boolean') { for (let i = 0; i < n; i++) out[i] = NaN; return out; }
  const parsed = col.dictionary.map((s) => (s.trim() !== '' ? Number(s) : NaN));
  for (let i = 0; i < n; i++) out[i] = col.codes[i] < 0 ? NaN : parsed[col.codes[i]];
  return out;
}

const NO_DATA: Rgba = [225, 225, 230, 255];
const OTHER: Rgba = [190, 190, 200, 255];
const EXTRA: Rgba[] = [
  [77, 175, 150, 255], [200, 120, 160, 255], [120, 120, 200, 255], [180, 160, 90, 255], [100, 160, 190, 255], [210, 150, 110, 255],
];

/** Display label of each parcel's value, by code: the dictionary for text, the numbers' text otherwise. */
function labelsOf(col: ColumnData, n: number): { codes: Int32Array; words: string[] } {
  if (col.kind === 'text') return { codes: col.codes, words: col.dictionary };
  const words: string[] = [];
  const index = new Map<string, number>();
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = col.values[i];
    const empty = col.kind === 'number' ? Number.isNaN(v) : v === 255;
    if (empty) { codes[i] = -1; continue; }
    const s = col.kind === 'number' ? String(v) : String(v === 1);
    let k = index.get(s);
    if (k === undefined) { k = words.length; words.push(s); index.set(s, k); }
    codes[i] = k;
  }
  return { codes, words };
}

/**
 * Categorical colours from codes, with palette.ts categoricalColors' rules: known land-use classes
 * get their convention colour, others the next extra colour in order of first appearance; legend by count.
 */
export function categoricalFromColumn(col: ColumnData | undefined, n: number, noData: string): Colouring {
  if (!col) return { rgba: singleColor(n, NO_DATA), legend: n ? [{ label: noData, color: NO_DATA, count: n }] : [] };
  const { codes, words } = labelsOf(col, n);
  // Per word, then per label: "" and null share the no-data entry.
  const entryOfWord: Array<LegendEntry | undefined> = new Array(words.length);
  const byLabel = new Map<string, LegendEntry>();
  let extra = 0;
  const entryFor = (label: string): LegendEntry => {
    let e = byLabel.get(label);
    if (!e) {
      const cls = label === '' ? null : landUseClass(label);
      const color = label === '' ? NO_DATA : cls ? cls.color : extra < EXTRA.length ? EXTRA[extra++] : OTHER;
      e = { label, color, count: 0 };
      byLabel.set(label, e);
    }
    return e;
  };
  const rgba = new Uint8Array(n * 4);
  for (let i = 0; i < n; i++) {
    const k = codes[i];
    let e: LegendEntry;
    if (k < 0) e = entryFor('');
    else e = entryOfWord[k] ?? (entryOfWord[k] = entryFor(words[k]));
    e.count += 1;
    const o = i * 4;
    rgba[o] = e.color[0]; rgba[o + 1] = e.color[1]; rgba[o + 2] = e.color[2]; rgba[o + 3] = e.color[3];
  }
  const legend = [...byLabel.values()].sort((a, b) => b.count - a.count).map((e) => ({ ...e, label: e.label || noData }));
  return { rgba, legend };
}

const fmt = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 2 });

/** scene-data.ts colourParcels over typed columns. */
export function colourColumns(c: ParcelColumns, by: ColourBy, noData: string): Colouring {
  if (by.kind === 'landUse') return categoricalFromColumn(c.columns[by.field], c.count, noData);
  if (by.kind === 'numeric') {
    const { rgba, breaks, colors } = numericColors(numberColumn(c.columns[by.field], c.count));
    const legend = colors.map((color, k) => ({
      color,
      label: breaks.length === 0 ? noData : k === 0 ? `< ${fmt(breaks[0])}` : k === breaks.length ? `≥ ${fmt(breaks[k - 1])}` : `${fmt(breaks[k - 1])} – ${fmt(breaks[k])}`,
    }));
    return { rgba, legend };
  }
  return { rgba: singleColor(c.count), legend: [] };
}

/** Massing height per parcel: floors × storey height; one storey where there is no floor count. */
export function columnHeights(c: ParcelColumns, floorsField: string | undefined, storeyHeight: number): Float32Array {
  const out = new Float32Array(c.count);
  const floors = floorsField ? numberColumn(c.columns[floorsField], c.count) : null;
  for (let i = 0; i < c.count; i++) {
    const v = floors ? floors[i] : NaN;
    out[i] = (Number.isFinite(v) && v > 0 ? v : 1) * storeyHeight;
  }
  return out;
}

/** Hectares per land-use label (the overview chart), from the codes and the areas. */
export function landUseHectares(c: ParcelColumns, field: string, areas: Float64Array, noData: string): Array<{ label: string; hectares: number; color: Rgba }> {
  const col = c.columns[field];
  const colouring = categoricalFromColumn(col, c.count, noData);
  const byLabel = new Map<string, number>();
  const { codes, words } = col ? labelsOf(col, c.count) : { codes: new Int32Array(c.count).fill(-1), words: [] as string[] };
  const perCode = new Float64Array(words.length);
  let none = 0;
  for (let i = 0; i < c.count; i++) { const k = codes[i]; if (k < 0) none += areas[i]; else perCode[k] += areas[i]; }
  words.forEach((w, k) => { const label = w || noData; byLabel.set(label, (byLabel.get(label) ?? 0) + perCode[k]); });
  if (none > 0 || codes.includes(-1)) byLabel.set(noData, (byLabel.get(noData) ?? 0) + none);
  const colourOf = new Map(colouring.legend.map((e) => [e.label, e.color]));
  return [...byLabel.entries()]
    .map(([label, m2]) => ({ label, hectares: m2 / 10_000, color: colourOf.get(label) ?? OTHER }))
    .sort((x, y) => y.hectares - x.hectares);
}

const areaCache = new WeakMap<object, Float64Array>();
/** featureAreas, once per geometry buffer. */
export function areasOf(c: ParcelColumns): Float64Array {
  const key = c.geometry ?? c;
  let a = areaCache.get(key);
  if (!a) { a = featureAreas(c); areaCache.set(key, a); }
  return a;
}

/** The typed-array layer as analysis-colours' ParcelIndex (by fid, with areas). */
export function columnsIndex(c: ParcelColumns): { n: number; indexOf(fid: number): number; area(i: number): number } {
  return { n: c.count, indexOf: (fid) => indexOfFid(c.fids, fid), area: (i) => areasOf(c)[i] };
}

/** A line layer's paths (one per part; each part of a line layer is one ring) over the wire's buffers. */
export function pathsFromColumns(c: ParcelColumns): { length: number; startIndices: Uint32Array; positions: Float32Array; origin: [number, number]; rowFeature: Uint32Array } {
  const g = c.geometry ?? bad('no geometry');
  const { ringStarts: rs, featureStarts: fs } = g!;
  if (rs.length !== g!.partStarts.length) bad('a line layer has one ring per part');
  const rowFeature = new Uint32Array(rs.length - 1);
  for (let f = 0; f < c.count; f++) rowFeature.fill(f, fs[f], fs[f + 1]);
  return { length: rs.length - 1, startIndices: rs, positions: g!.coords, origin: g!.origin as [number, number], rowFeature };
}

/** The longest plain array anywhere in a value, typed arrays not counted (tests: no per-parcel array may be one). */
export function longestArray(v: unknown, depth = 0): number {
  if (depth > 6 || !v || typeof v !== 'object' || ArrayBuffer.isView(v)) return 0;
  if (Array.isArray(v)) return v.length;
  let m = 0;
  for (const x of Object.values(v)) m = Math.max(m, longestArray(x, depth + 1));
  return m;
}
