/**
 * WKB and GeoPackage geometry blobs. Expected bytes are the well-known ISO WKB encodings written out
 * by hand (POINT(1 2) is 01 01000000 000000000000F03F 0000000000000040), and decoding accepts what
 * other tools write: big-endian, EWKB Z flags with an SRID, ISO Z (1000+) — Z dropped.
 */
import { describe, expect, it } from 'vitest';
import { decodeGpkg, decodeWkb, encodeGpkg, encodeWkb, gpkgEnvelope, readGpkgHeader } from '../../../core/geo/wkb.js';
import type { Geometry } from '../../../core/geo/geometry.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const f64be = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleBE(v); return b.toString('hex'); };
const f64le = (v: number) => { const b = Buffer.alloc(8); b.writeDoubleLE(v); return b.toString('hex'); };

describe('WKB', () => {
  it('POINT(1 2) encodes to the standard little-endian ISO bytes', () => {
    expect(encodeWkb({ type: 'Point', coordinates: [1, 2] }).toString('hex').toUpperCase()).toBe('0101000000000000000000F03F0000000000000040');
  });

  it('LINESTRING(0 0, 1 1) encodes with a point count', () => {
    expect(encodeWkb({ type: 'LineString', coordinates: [[0, 0], [1, 1]] }).toString('hex')).toBe(`0102000000 02000000 ${f64le(0)}${f64le(0)}${f64le(1)}${f64le(1)}`.replace(/\s/g, ''));
  });

  it('decodes big-endian WKB', () => {
    expect(decodeWkb(hex(`00 00000001 ${f64be(100.5)} ${f64be(13.75)}`))).toEqual({ type: 'Point', coordinates: [100.5, 13.75] });
  });

  it('decodes EWKB with Z flag and SRID, and ISO Z (type 1002), dropping Z', () => {
    const ewkb = hex(`01 010000A0 E6100000 ${f64le(100.5)}${f64le(13.75)}${f64le(5)}`);
    expect(decodeWkb(ewkb)).toEqual({ type: 'Point', coordinates: [100.5, 13.75] });
    const isoZ = hex(`01 EA030000 02000000 ${f64le(1)}${f64le(2)}${f64le(3)}${f64le(4)}${f64le(5)}${f64le(6)}`);
    expect(decodeWkb(isoZ)).toEqual({ type: 'LineString', coordinates: [[1, 2], [4, 5]] });
  });

  it('POINT EMPTY (NaN NaN) decodes to null', () => {
    expect(decodeWkb(hex(`01 01000000 ${f64le(NaN)}${f64le(NaN)}`))).toBeNull();
  });

  it('rejects truncated WKB, GeometryCollections and curves with a code', () => {
    expect(() => decodeWkb(hex('0102000000 05000000'))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_INVALID' }));
    expect(() => decodeWkb(hex('0107000000 00000000'))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_UNSUPPORTED' }));
    expect(() => decodeWkb(hex('0108000000 00000000'))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_UNSUPPORTED' }));
    expect(() => decodeWkb(hex('02'))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_INVALID' }));
  });

  const samples: Geometry[] = [
    { type: 'Point', coordinates: [100.53, 13.8] },
    { type: 'LineString', coordinates: [[0, 0], [1, 2], [3, -1]] },
    { type: 'Polygon', coordinates: [[[0, 0], [4, 0], [4, 4], [0, 0]], [[1, 1], [2, 1], [2, 2], [1, 1]]] },
    { type: 'MultiPoint', coordinates: [[1, 1], [2, 2]] },
    { type: 'MultiLineString', coordinates: [[[0, 0], [1, 1]], [[2, 2], [3, 3]]] },
    { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] },
  ];
  it.each(samples.map((g) => [g.type, g]))('%s round-trips through WKB and the GeoPackage blob', (_t, g) => {
    expect(decodeWkb(encodeWkb(g as Geometry))).toEqual(g);
    expect(decodeGpkg(encodeGpkg(g as Geometry))).toEqual(g);
  });
});

describe('GeoPackage blob header (GPKG 1.3 §2.1.3)', () => {
  it('has magic GP, version 0, little-endian flags, srs id, and an [minx,maxx,miny,maxy] envelope for non-points', () => {
    const b = encodeGpkg({ type: 'LineString', coordinates: [[100, 13], [101, 14.5]] });
    expect([...b.subarray(0, 4)]).toEqual([0x47, 0x50, 0x00, 0b0000_0011]);
    expect(b.readInt32LE(4)).toBe(4326);
    expect([b.readDoubleLE(8), b.readDoubleLE(16), b.readDoubleLE(24), b.readDoubleLE(32)]).toEqual([100, 101, 13, 14.5]);
    expect(gpkgEnvelope(b)).toEqual([100, 101, 13, 14.5]);
  });

  it('points carry no envelope; their box comes from the WKB', () => {
    const b = encodeGpkg({ type: 'Point', coordinates: [100.5, 13.7] });
    expect(b[3]).toBe(0b0000_0001);
    expect(readGpkgHeader(b).envelope).toBeNull();
    expect(gpkgEnvelope(b)).toEqual([100.5, 100.5, 13.7, 13.7]);
  });

  it('reads a big-endian header with an empty flag as no geometry', () => {
    const b = hex(`4750 00 10 000010E6 01 01000000 ${f64le(NaN)}${f64le(NaN)}`);
    expect(readGpkgHeader(b)).toMatchObject({ srsId: 4326, empty: true });
    expect(decodeGpkg(b)).toBeNull();
  });

  it('rejects blobs without the GP magic', () => {
    expect(() => readGpkgHeader(hex('0101000000'))).toThrowError(expect.objectContaining({ code: 'E_GEOMETRY_INVALID' }));
  });
});
