/**
 * All-stations summary on a corridor: sites hundreds of km apart are each measured at the full cell
 * size (one grid over the corridor was coarsened to cells wider than a catchment, and its area was
 * then multiplied by the fine cell size: 0.8 ha for twelve MAHSR stations). Expected areas are worked
 * by hand: a straight street reached for L metres and buffered by b metres covers the capsule
 * L·2b + πb² (10 m cells: within a few per cent).
 */
import { describe, expect, it } from 'vitest';
import { analyze, ALL_STATIONS } from '../../../core/catchment/analyze.js';
import { buildGraph } from '../../../core/network/build.js';
import { readGeoJsonLines } from '../../../core/network/geojson-lines.js';

const M_PER_DEG_LAT = 110_574; // near 20° N; only needs to be roughly right: the streets are long enough either way
const lonPerM = (lat: number) => 1 / (111_320 * Math.cos((lat * Math.PI) / 180));

/** An east–west street 2 km long centred on (lon, lat). */
function street(lon: number, lat: number): number[][] {
  const d = 1000 * lonPerM(lat);
  return [[lon - d, lat], [lon + d, lat]];
}

const capsule = (lengthM: number, bufferM: number) => lengthM * 2 * bufferM + Math.PI * bufferM * bufferM;

describe('all-stations catchment over a corridor', () => {
  // Mumbai-like and Ahmedabad-like sites, ~440 km apart; a second station 300 m east of the first.
  const A: [number, number] = [72.86, 19.06], B: [number, number] = [72.58, 23.02];
  const A2: [number, number] = [A[0] + 300 * lonPerM(A[1]), A[1]];
  const lines = { type: 'FeatureCollection', features: [street(...A), street(...B)].map((coordinates, i) => ({ type: 'Feature', properties: { highway: 'footway', name: `street ${i}` }, geometry: { type: 'LineString', coordinates } })) };
  const g = buildGraph(readGeoJsonLines(Buffer.from(JSON.stringify(lines)), 'corridor.geojson')!);
  const opts = { snap: 'edge' as const, bandsM: [400], cellM: 10, bufferM: 50 };

  it('adds up the separate sites at full resolution', async () => {
    const a = await analyze(g, [{ id: 'A', points: [A] }, { id: 'B', points: [B] }], null, null, opts);
    const row = (id: string) => a.bands.find((b) => b.stationId === id)!;
    const one = capsule(800, 50); // 400 m each way along the street
    expect(row('A').areaM2).toBeGreaterThan(one * 0.95);
    expect(row('A').areaM2).toBeLessThan(one * 1.05);
    expect(row(ALL_STATIONS).areaM2).toBeCloseTo(row('A').areaM2 + row('B').areaM2, 6);
    expect(row(ALL_STATIONS).circleM2).toBeCloseTo(row('A').circleM2 + row('B').circleM2, 6);
    expect(row(ALL_STATIONS).circleM2 / (2 * Math.PI * 400 * 400)).toBeCloseTo(1, 1);
    expect(row(ALL_STATIONS).pedshed).toBeCloseTo((row('A').areaM2 + row('B').areaM2) / (row('A').circleM2 + row('B').circleM2), 9);
    expect(a.polygons.find((p) => p.stationId === ALL_STATIONS)!.polygons).toHaveLength(2);
    expect(M_PER_DEG_LAT * Math.abs(B[1] - A[1])).toBeGreaterThan(400_000);
  });

  it('takes the union, not the sum, where two stations share streets', async () => {
    const a = await analyze(g, [{ id: 'A', points: [A] }, { id: 'A2', points: [A2] }, { id: 'B', points: [B] }], null, null, opts);
    const all = a.bands.find((b) => b.stationId === ALL_STATIONS)!;
    // A and A2 together reach from 400 m west of A to 400 m east of A2: 1100 m of street; B its own 800 m.
    const expected = capsule(1100, 50) + capsule(800, 50);
    expect(all.areaM2).toBeGreaterThan(expected * 0.95);
    expect(all.areaM2).toBeLessThan(expected * 1.05);
    expect(a.polygons.find((p) => p.stationId === ALL_STATIONS)!.polygons).toHaveLength(2);
  });
});
