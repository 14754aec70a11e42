import { describe, expect, it } from 'vitest';
import { notLabelledNote, renderSvgMap, type MapFeature } from '../../../core/report/svg-map.js';
import { textWidth } from '../../../core/report/labels.js';
import { niceTicks } from '../../../renderer/report/chart.js';

const square = (x: number): MapFeature => ({ geometry: { type: 'Polygon', coordinates: [[[x, 0], [x + 0.001, 0], [x + 0.001, 0.001], [x, 0.001], [x, 0]]] } });
const layerTag = (svg: string) => /<g data-layer="p"[^>]*>/.exec(svg)![0];

describe('report map layers', () => {
  const features = [square(0), square(0.002), square(0.004)];
  const opts = { width: 200, height: 100, bbox: [0, 0, 0.005, 0.001] as [number, number, number, number] };

  it('outlines parcels only up to strokeUpTo of them in the frame', () => {
    const style = { fill: '#eee', stroke: '#fff', strokeWidth: 0.3 };
    expect(layerTag(renderSvgMap([{ name: 'p', style: { ...style, strokeUpTo: 3 }, features }], opts))).toContain('stroke="#fff"');
    expect(layerTag(renderSvgMap([{ name: 'p', style: { ...style, strokeUpTo: 2 }, features }], opts))).toContain('stroke="none"');
    // Two of the three squares in a frame around the first two: they count, and only they are drawn.
    const framed = renderSvgMap([{ name: 'p', style: { ...style, strokeUpTo: 2 }, features }], { ...opts, bbox: [0, 0, 0.003, 0.001] });
    expect(layerTag(framed)).toContain('stroke="#fff"');
    expect(/<g data-layer="p".*?<\/g><\/g>/.exec(framed)![0].match(/M/g)).toHaveLength(2);
  });
});

describe('labels with no room', () => {
  it('the note names as many as fit its width, then how many more (widths by hand: Latin capitals 0.73 em, ":", "," and space 0.35, "+" 0.62)', () => {
    const more = (n: number) => `+${n}`;
    // At 8 px: "X: AA, BB, +1" = 7.10 em = 56.8 px; "X: AA, BB, CC" = 7.21 em = 57.68 px; "X: +3" = 2.78 em.
    expect(notLabelledNote(['AA', 'BB', 'CC'], 58, 'X', more)).toBe('X: AA, BB, CC');
    expect(notLabelledNote(['AA', 'BB', 'CC'], 57, 'X', more)).toBe('X: AA, BB, +1');
    expect(notLabelledNote(['AA', 'BB', 'CC'], 39, 'X', more)).toBe('X: +3');
    // No room for even the count: the count all the same.
    expect(notLabelledNote(['AA', 'BB', 'CC'], 5, 'X', more)).toBe('X: +3');
  });

  // Twelve stations on one spot of a small map: a few labels find room around it, the rest are dropped.
  const names = Array.from({ length: 12 }, (_, i) => `Station number ${i + 1}`);
  const stations = [{ name: 's', style: { fill: '#c00', radius: 3 }, features: names.map((label): MapFeature => ({ geometry: { type: 'Point', coordinates: [0.0025, 0.0005] }, label })) }];
  const small = { width: 260, height: 110, bbox: [0, 0, 0.005, 0.001] as [number, number, number, number] };
  const note = (svg: string) => /data-not-labelled="(\d+)">([^<]*)</.exec(svg);
  const placed = (svg: string) => [...svg.matchAll(/data-label-box="[^"]*">([^<]*)</g)].map((m) => m[1]);

  it('in a small map the note is cut to the map\'s width; names the figure gives elsewhere (a cell\'s title) are left out of it', () => {
    const svg = renderSvgMap(stations, small);
    const dropped = names.filter((n) => !placed(svg).includes(n));
    expect(dropped.length).toBeGreaterThan(2);
    const [, count, text] = note(svg)!;
    expect(Number(count)).toBe(dropped.length);
    expect(textWidth(text, 8)).toBeLessThanOrEqual(small.width - 38);
    const listed = text.replace('Not labelled (no room): ', '').split(', ');
    const rest = Number(/^(\d+) more$/.exec(listed.pop()!)![1]);
    expect(listed.length).toBeGreaterThan(0);
    expect(rest).toBeGreaterThan(0);
    expect(listed).toEqual(dropped.slice(0, listed.length));
    expect(listed.length + rest).toBe(dropped.length);
    // Every dropped name but one named elsewhere: the note names that one alone.
    const one = dropped[dropped.length - 1];
    const elsewhere = renderSvgMap(stations, { ...small, namedElsewhere: new Set(names.filter((n) => n !== one)) });
    expect(placed(elsewhere)).toEqual(placed(svg));
    expect(note(elsewhere)!.slice(1)).toEqual(['1', `Not labelled (no room): ${one}`]);
    // All named elsewhere: no note, and the labels keep the whole map (no strip kept for a note).
    expect(note(renderSvgMap(stations, { ...small, namedElsewhere: new Set(names) }))).toBeNull();
  });
});

describe('chart ticks', () => {
  it('are round steps of 1, 2, 2.5 or 5 times a power of ten covering the values', () => {
    expect(niceTicks(0, 14_500)).toEqual([0, 5000, 10_000, 15_000]);
    expect(niceTicks(-9.2e9, 9.7e9)).toEqual([-10e9, -5e9, 0, 5e9, 10e9]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
