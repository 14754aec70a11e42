// Review pins: numbering by creation order (shared with the panel's list), filters, colours by
// status and package version, selection drawn last and larger, picks and bounds.
import { describe, expect, it } from 'vitest';
import { commentPins, pickedCommentId, pinLayerProps, pinsBounds, PIN_COLORS, type ReviewComment } from '../../renderer/review/comment-pins.js';

const c = (id: string, createdAt: string, over: Partial<ReviewComment> = {}): ReviewComment => ({
  id, author: 'A', text: `comment ${id}`, status: 'open', createdAt, updatedAt: null, layer: null, fid: null,
  lon: 100.53, lat: 13.8, packageManifestSha256: 'abc', currentPackage: true, ...over,
});

const list = [
  c('b', '2026-11-25T10:00:02.000Z', { lon: 100.532, lat: 13.801 }),
  c('a', '2026-11-25T10:00:01.000Z', { lon: 100.531, lat: 13.802, status: 'resolved' }),
  c('d', '2026-11-25T10:00:03.000Z', { lon: 100.5, lat: 13.79, currentPackage: false }),
  c('e', '2026-11-25T10:00:04.000Z', { lon: Number.NaN }),
];

describe('review pins', () => {
  it('numbers by creation time and hides resolved ones unless asked, keeping their numbers', () => {
    expect(commentPins(list).map((r) => [r.id, r.n])).toEqual([['b', 2], ['d', 3]]);
    expect(commentPins(list, { showResolved: true }).map((r) => [r.id, r.label])).toEqual([['a', '1'], ['b', '2'], ['d', '3']]);
    expect(commentPins(list, { currentOnly: true }).map((r) => r.id)).toEqual(['b']);
  });

  it('colours open, resolved and earlier-version comments apart', () => {
    const by = Object.fromEntries(commentPins(list, { showResolved: true }).map((r) => [r.id, r.fillColor]));
    expect(by).toEqual({ a: PIN_COLORS.resolved, b: PIN_COLORS.open, d: PIN_COLORS.earlier });
  });

  it('draws the selected pin last, larger and outlined dark', () => {
    const rows = commentPins(list, { selectedId: 'b' });
    expect(rows.map((r) => r.id)).toEqual(['d', 'b']);
    expect(rows[1]).toMatchObject({ radius: 11, lineColor: PIN_COLORS.selected, position: [100.532, 13.801] });
    expect(rows[0]).toMatchObject({ radius: 8, lineColor: PIN_COLORS.outline });
  });

  it('gives ScatterplotLayer accessors that read the rows', () => {
    const rows = commentPins(list);
    const p = pinLayerProps(rows, 'b');
    expect(p.data).toBe(rows);
    expect(rows.map(p.getPosition)).toEqual([[100.532, 13.801], [100.5, 13.79]]);
    expect(p.updateTriggers.getLineColor).toBe('b');
    expect(pickedCommentId({ layer: { id: 'review-pins' }, object: rows[1] })).toBe('d');
    expect(pickedCommentId({ layer: { id: 'parcels' }, object: rows[1] })).toBeNull();
    expect(pickedCommentId({ layer: null })).toBeNull();
  });

  it('bounds the visible pins', () => {
    expect(pinsBounds(commentPins(list, { showResolved: true }))).toEqual([100.5, 13.79, 100.532, 13.802]);
    expect(pinsBounds([])).toBeNull();
  });
});
