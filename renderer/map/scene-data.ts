/** Per-layer drawing data derived from features: paths, points, parcel colours and heights. */
import type { Geometry } from 'geojson';
import type { PathRow, PointRow } from './deck-layers.js';
import { categoricalColors, numericColors, singleColor, type LegendEntry, type Rgba } from './palette.js';

type Props = Record<string, string | number | boolean | null>;
interface FeatureLike { geometry: Geometry | null | unknown; properties: Props }

export function pathRows(features: readonly FeatureLike[]): PathRow[] {
  const rows: PathRow[] = [];
  features.forEach((f, fi) => {
    const g = f.geometry as Geometry | null;
    if (!g) return;
    if (g.type === 'LineString') rows.push({ path: g.coordinates, fi });
    else if (g.type === 'MultiLineString') for (const p of g.coordinates) rows.push({ path: p, fi });
    else if (g.type === 'Polygon') for (const r of g.coordinates) rows.push({ path: r, fi });
    else if (g.type === 'MultiPolygon') for (const p of g.coordinates) for (const r of p) rows.push({ path: r, fi });
  });
  return rows;
}

export function pointRows(features: readonly FeatureLike[], labelField: string | undefined): PointRow[] {
  const rows: PointRow[] = [];
  features.forEach((f, fi) => {
    const g = f.geometry as Geometry | null;
    const label = labelField ? String(f.properties[labelField] ?? '') : '';
    if (!g) return;
    if (g.type === 'Point') rows.push({ position: [g.coordinates[0], g.coordinates[1]], label, fi });
    else if (g.type === 'MultiPoint') for (const c of g.coordinates) rows.push({ position: [c[0], c[1]], label, fi });
  });
  return rows;
}

export type ColourBy = { kind: 'landUse'; field: string } | { kind: 'numeric'; field: string } | { kind: 'single' };

export interface Colouring { rgba: Uint8Array; legend: { label: string; color: Rgba; count?: number }[] }

export function numericValues(features: readonly FeatureLike[], field: string): Float64Array {
  const out = new Float64Array(features.length);
  features.forEach((f, i) => {
    const v = f.properties[field];
    out[i] = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  });
  return out;
}

const fmt = (n: number) => n.toLocaleString(undefined, { maximumFractionDigits: 2 });

export function colourParcels(features: readonly FeatureLike[], by: ColourBy, noData: string): Colouring {
  if (by.kind === 'landUse') {
    const { rgba, legend } = categoricalColors(features.map((f) => f.properties[by.field]));
    return { rgba, legend: legend.map((e: LegendEntry) => ({ ...e, label: e.label || noData })) };
  }
  if (by.kind === 'numeric') {
    const { rgba, breaks, colors } = numericColors(numericValues(features, by.field));
    const legend = colors.map((color, k) => ({
      color,
      label: breaks.length === 0 ? noData : k === 0 ? `< ${fmt(breaks[0])}` : k === breaks.length ? `≥ ${fmt(breaks[k - 1])}` : `${fmt(breaks[k - 1])} – ${fmt(breaks[k])}`,
    }));
    return { rgba, legend };
  }
  return { rgba: singleColor(features.length), legend: [] };
}

/** Massing height per parcel: floors × storey height; parcels without a floor count stand one storey. */
export function parcelHeights(features: readonly FeatureLike[], floorsField: string | undefined, storeyHeight: number): Float32Array {
  const out = new Float32Array(features.length);
  const floors = floorsField ? numericValues(features, floorsField) : null;
  for (let i = 0; i < features.length; i++) {
    const n = floors && Number.isFinite(floors[i]) && floors[i] > 0 ? floors[i] : 1;
    out[i] = n * storeyHeight;
  }
  return out;
}

export function numericFields(features: readonly FeatureLike[], fields: readonly { name: string; type: string }[]): string[] {
  return fields.filter((f) => /INT|REAL|DOUBLE|FLOAT|NUMERIC/i.test(f.type) || (features.length > 0 && typeof features[0].properties[f.name] === 'number')).map((f) => f.name);
}
