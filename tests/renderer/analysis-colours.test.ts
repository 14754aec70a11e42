// Analysis colours by fid: band legend counts, unreached parcels, a scenario's typed FAR placed on the
// map's features (by fid or aligned) and checked on receipt, and path splitting for the native dialogs.
import { describe, expect, it } from 'vitest';
import { bandColouring, bandColouringCodes, checkScenarioColumns, farColouring, scenarioFarColumns } from '../../renderer/map/analysis-colours.js';
import { splitPath } from '../../renderer/state/file-actions.js';

// A square of 0.001° at the equator: 111.319 m × 110.574 m (WGS84 N·dλ × M·dφ at φ = 0.0005°),
// i.e. a = 6378137 · π/180 · 0.001 = 111.3195 m and M = a(1 − e²) · π/180 · 0.001 = 110.5743 m,
// area = 12 309.0 m² (to 0.1 %).
const sq = { type: 'Polygon', coordinates: [[[0, 0], [0.001, 0], [0.001, 0.001], [0, 0.001], [0, 0]]] };
const features = [{ id: 10, geometry: sq }, { id: 11, geometry: sq }, { id: 12, geometry: sq }, { id: 13, geometry: null }];

describe('analysis colours', () => {
  it('colours by band with counts per band and unreached last', () => {
    const c = bandColouring(features, [
      { parcelFid: 10, bandM: 800 }, { parcelFid: 11, bandM: 400 }, { parcelFid: 12, bandM: 400 }, { parcelFid: 99, bandM: 400 },
    ], (m) => (m === null ? 'none' : `${m}`));
    expect(c.legend.map((e) => [e.label, e.count])).toEqual([['400', 2], ['800', 1], ['none', 1]]);
    expect([...c.rgba.subarray(4, 8)]).toEqual([...c.rgba.subarray(8, 12)]);
    expect([...c.rgba.subarray(0, 4)]).not.toEqual([...c.rgba.subarray(4, 8)]);
  });

  it('colours by band from typed band codes: the same colours and legend as from objects, fid 99 (not on the map) ignored', () => {
    const label = (m: number | null) => (m === null ? 'none' : `${m}`);
    const objects = bandColouring(features, [
      { parcelFid: 10, bandM: 800 }, { parcelFid: 11, bandM: 400 }, { parcelFid: 12, bandM: 400 }, { parcelFid: 99, bandM: 400 },
    ], label);
    // Bands 400, 800, 1200 (codes 0, 1, 2); fid 13 has no row (unreached), 1200 has no parcel (no legend entry, no ramp step).
    const typed = bandColouringCodes(features, null, { fids: Int32Array.from([10, 11, 12, 99]), band: Uint8Array.from([1, 0, 0, 0]) }, [400, 800, 1200], label);
    expect(typed.legend).toEqual(objects.legend);
    expect([...typed.rgba]).toEqual([...objects.rgba]);
    // Results in the layer's own fid order take the aligned path: same answer.
    const aligned = bandColouringCodes(features, Int32Array.from([10, 11, 12, 13]), { fids: Int32Array.from([10, 11, 12, 13]), band: Uint8Array.from([1, 0, 0, 255]) }, [400, 800, 1200], label);
    expect([...aligned.rgba]).toEqual([...objects.rgba]);
    expect(aligned.legend.map((e) => [e.label, e.count])).toEqual([['400', 2], ['800', 1], ['none', 1]]);
  });

  it('places a scenario\'s typed FAR on the map\'s features by fid, and checks it on receipt', () => {
    // The answer's order differs from the map's; fid 12 has no row, fid 99 is not on the map.
    const answer = checkScenarioColumns({ count: 4, fids: Int32Array.from([11, 13, 10, 99]), far: Float32Array.from([2, 0.5, 0, 3]) });
    const far = scenarioFarColumns(features, null, answer);
    expect([...far.subarray(0, 2)]).toEqual([0, 2]);
    expect(Number.isNaN(far[2])).toBe(true);
    expect(far[3]).toBe(0.5);
    // In the layer's own order the aligned path copies: same values.
    const aligned = scenarioFarColumns(features, Int32Array.from([10, 11, 12, 13]), { count: 4, fids: Int32Array.from([10, 11, 12, 13]), far: Float32Array.from([0, 2, NaN, 0.5]) });
    expect([...aligned]).toEqual([...far]);
    // A layer fid list that does not match the answer's order is not taken as aligned.
    expect([...scenarioFarColumns(features, Int32Array.from([10, 11, 12, 13]), answer)]).toEqual([...far]);
    expect(() => checkScenarioColumns({ count: 3, fids: Int32Array.from([1, 2]), far: new Float32Array(3) })).toThrow(/fids hold 2 ids for 3 parcels/);
    expect(() => checkScenarioColumns({ count: 2, fids: Int32Array.from([1, 2]), far: new Float64Array(2) })).toThrow(/far holds 2 values/);
    expect(() => checkScenarioColumns({ count: 2, fids: [1, 2], far: new Float32Array(2) })).toThrow(/fids hold 2 ids/);
    const col = farColouring(far);
    expect(col.legend.map((e) => e.label)).toEqual(['FAR < 0.5', 'FAR 0.5–1', 'FAR 1–2', 'FAR 2–3', 'FAR 3–5', 'FAR ≥ 5']);
  });

  it('splits paths on both separators', () => {
    expect(splitPath('/home/a/plan.v2.pdf')).toEqual({ dir: '/home/a', base: 'plan.v2.pdf', stem: 'plan.v2', ext: 'pdf' });
    expect(splitPath('C:\\x\\Report.PDF')).toEqual({ dir: 'C:\\x', base: 'Report.PDF', stem: 'Report', ext: 'pdf' });
    expect(splitPath('/plan')).toEqual({ dir: '/', base: 'plan', stem: 'plan', ext: '' });
  });
});
