import { describe, expect, it } from 'vitest';
import { renderSvgMap, type MapFeature } from '../../../core/report/svg-map.js';
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

describe('chart ticks', () => {
  it('are round steps of 1, 2, 2.5 or 5 times a power of ten covering the values', () => {
    expect(niceTicks(0, 14_500)).toEqual([0, 5000, 10_000, 15_000]);
    expect(niceTicks(-9.2e9, 9.7e9)).toEqual([-10e9, -5e9, 0, 5e9, 10e9]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });
});
