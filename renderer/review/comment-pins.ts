/**
 * Review comments as map pins: plain rows and accessors for a deck.gl ScatterplotLayer (and a
 * TextLayer for the numbers), so the map needs no knowledge of comments. Numbers follow creation
 * order, the same as the review panel's list, so "pin 3" means the same comment in both.
 */
import type { Output } from '../api/client.js';

export type ReviewComment = Output<'review.list'>[number];
export type Rgba = [number, number, number, number];

export interface PinRow {
  id: string;
  /** 1-based number shown on the pin and in the list. */
  n: number;
  position: [number, number];
  fillColor: Rgba;
  lineColor: Rgba;
  /** Pixels. */
  radius: number;
  label: string;
  status: ReviewComment['status'];
}

export const PIN_COLORS = {
  open: [214, 69, 40, 255] as Rgba,
  resolved: [120, 150, 120, 200] as Rgba,
  /** Made on an earlier version of the package: kept, drawn faded. */
  earlier: [150, 150, 150, 160] as Rgba,
  outline: [255, 255, 255, 255] as Rgba,
  selected: [20, 20, 20, 255] as Rgba,
};

export interface PinOptions {
  selectedId?: string | null;
  showResolved?: boolean;
  /** Hide comments made on earlier package versions. */
  currentOnly?: boolean;
}

/** Sort key: creation time, then id, so numbering is stable however the list arrives. */
function byCreation(a: ReviewComment, b: ReviewComment): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Number every comment (hidden ones keep their number), then keep the visible ones with finite positions. */
export function commentPins(comments: readonly ReviewComment[], opts: PinOptions = {}): PinRow[] {
  const rows: PinRow[] = [];
  [...comments].sort(byCreation).forEach((c, i) => {
    if (!opts.showResolved && c.status === 'resolved') return;
    if (opts.currentOnly && !c.currentPackage) return;
    if (!Number.isFinite(c.lon) || !Number.isFinite(c.lat)) return;
    const selected = c.id === opts.selectedId;
    const fill = !c.currentPackage ? PIN_COLORS.earlier : c.status === 'resolved' ? PIN_COLORS.resolved : PIN_COLORS.open;
    rows.push({
      id: c.id, n: i + 1, position: [c.lon, c.lat], fillColor: fill,
      lineColor: selected ? PIN_COLORS.selected : PIN_COLORS.outline, radius: selected ? 11 : 8,
      label: `${i + 1}`, status: c.status,
    });
  });
  // Selected last so deck.gl draws it on top of its neighbours.
  return rows.sort((a, b) => Number(a.id === opts.selectedId) - Number(b.id === opts.selectedId));
}

/** Props for `new ScatterplotLayer(...)`; `updateTriggers` key on the selection so only colours and sizes refresh. */
export function pinLayerProps(rows: PinRow[], selectedId: string | null = null) {
  return {
    id: 'review-pins',
    data: rows,
    pickable: true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels' as const,
    lineWidthUnits: 'pixels' as const,
    getPosition: (r: PinRow) => r.position,
    getRadius: (r: PinRow) => r.radius,
    getFillColor: (r: PinRow) => r.fillColor,
    getLineColor: (r: PinRow) => r.lineColor,
    getLineWidth: 2,
    updateTriggers: { getRadius: selectedId, getLineColor: selectedId },
  };
}

/** Props for `new TextLayer(...)`: the pin numbers. */
export function pinLabelProps(rows: PinRow[]) {
  return {
    id: 'review-pin-labels',
    data: rows,
    getPosition: (r: PinRow) => r.position,
    getText: (r: PinRow) => r.label,
    getSize: 11,
    getColor: [255, 255, 255, 255] as Rgba,
    getTextAnchor: 'middle' as const,
    getAlignmentBaseline: 'center' as const,
    fontWeight: 700,
  };
}

/** The comment id under a deck.gl pick (an object from this layer), or null. */
export function pickedCommentId(info: { layer?: { id: string } | null; object?: unknown }): string | null {
  if (info.layer?.id !== 'review-pins' || !info.object) return null;
  return (info.object as PinRow).id;
}

/** [minLon, minLat, maxLon, maxLat] around the pins, to fit the map to them; null when there are none. */
export function pinsBounds(rows: readonly PinRow[]): [number, number, number, number] | null {
  if (!rows.length) return null;
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const { position: [x, y] } of rows) {
    a = Math.min(a, x); b = Math.min(b, y); c = Math.max(c, x); d = Math.max(d, y);
  }
  return [a, b, c, d];
}
