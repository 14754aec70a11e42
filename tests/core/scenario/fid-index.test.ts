// fidIndexOf (core/scenario/prepare.ts): the parcel index of a feature id, answered from the fids
// array itself when the layer's fids ascend, as a Map would answer it.
import { describe, expect, it } from 'vitest';
import { fidIndexOf } from '../../../core/scenario/prepare.js';

describe('fidIndexOf', () => {
  it('dense ascending fids (1..n): each fid gives its position; others give undefined', () => {
    const ix = fidIndexOf(Float64Array.from([1, 2, 3, 4, 5]));
    expect([1, 2, 3, 4, 5].map((f) => ix.get(f))).toEqual([0, 1, 2, 3, 4]);
    expect([0, 6, -1, 2.5, NaN].map((f) => ix.get(f))).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('ascending fids with gaps (deleted features) are found by search', () => {
    const fids = [3, 4, 10, 11, 12, 40, 1000];
    const ix = fidIndexOf(Float64Array.from(fids));
    fids.forEach((f, i) => expect(ix.get(f)).toBe(i));
    for (const f of [1, 2, 5, 9, 13, 39, 41, 999, 1001]) expect(ix.get(f)).toBeUndefined();
  });

  it('fids out of order or repeated: answered as a Map, the last of a repeated fid winning', () => {
    const ix = fidIndexOf(Float64Array.from([5, 2, 9, 2]));
    expect([5, 2, 9, 7].map((f) => ix.get(f))).toEqual([0, 3, 2, undefined]);
  });

  it('no parcels: nothing is found', () => {
    expect(fidIndexOf(new Float64Array(0)).get(1)).toBeUndefined();
  });
});
