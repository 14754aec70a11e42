/**
 * core/geo/crs.ts against GDAL: every planning CRS the issue names, a custom PROJ string and ESRI
 * .prj WKT, transformed by us and compared with gdaltransform's answers stored in
 * tests/fixtures/crs/expected.json (regenerated only by make_expected.py, which calls GDAL).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromWgs84, resolveCrs, toWgs84 } from '../../../core/geo/crs.js';
import { EkimaeError } from '../../../core/api/errors.js';

interface Case { name: string; crs: string; where: string; points: Array<[number, number]>; lonlat: Array<[number, number]> }
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/crs/expected.json', import.meta.url), 'utf8')) as { cases: Case[] };

// 1e-8 degrees is about 1 mm on the ground: proj4 and PROJ agree far better than that when they use the
// same operation, and any wrong datum shift, ellipsoid or projection parameter misses it by metres.
const DEG_TOL = 1e-8;
// The inverse (lon/lat back to the source grid) is held to 1 mm, except where a 7-parameter datum shift
// with rotations is undone: proj4 inverts it with the transposed rotation matrix (first order), which is
// off by about rotation² × R = (2.8″ ≈ 1.4e-5 rad)² × 6.4e6 m ≈ 1–2 mm for Indian 1975; 5 mm there.
const M_TOL = 1e-3;
const M_TOL_ROTATED_SHIFT = 5e-3;
const hasRotatedShift = (proj: string) => /\+towgs84=([^ ]+)/.exec(proj)?.[1].split(',').slice(3, 6).some((v) => Number(v) !== 0) ?? false;

describe('CRS transforms agree with GDAL (gdaltransform)', () => {
  it('the fixture covers every CRS the issue names', () => {
    const names = fixture.cases.map((c) => c.name);
    for (const code of [4326, 3857, 32643, 32644, 32647, 32648, 24047, 24048, 7755, 3414, 6677]) expect(names).toContain(`EPSG:${code}`);
    expect(names.some((n) => n.startsWith('custom PROJ'))).toBe(true);
    expect(names.some((n) => n.startsWith('ESRI WKT'))).toBe(true);
  });

  for (const c of fixture.cases) {
    it(`${c.name} (${c.where}) -> EPSG:4326 within ${DEG_TOL} deg`, () => {
      const crs = resolveCrs(c.crs);
      const t = toWgs84(crs);
      c.points.forEach((p, i) => {
        const [lon, lat] = t(p);
        const [elon, elat] = c.lonlat[i];
        expect(Math.abs(lon - elon), `lon of point ${i} ${JSON.stringify(p)}`).toBeLessThan(DEG_TOL);
        expect(Math.abs(lat - elat), `lat of point ${i} ${JSON.stringify(p)}`).toBeLessThan(DEG_TOL);
      });
    });

    it(`${c.name}: EPSG:4326 -> source grid inverts GDAL's answer`, () => {
      const crs = resolveCrs(c.crs);
      const back = fromWgs84(crs);
      const tol = crs.geographic ? DEG_TOL : hasRotatedShift(crs.proj4) ? M_TOL_ROTATED_SHIFT : M_TOL;
      c.lonlat.forEach((q, i) => {
        const [x, y] = back(q);
        expect(Math.abs(x - c.points[i][0]), `x of point ${i}`).toBeLessThan(tol);
        expect(Math.abs(y - c.points[i][1]), `y of point ${i}`).toBeLessThan(tol);
      });
    });
  }
});

describe('resolveCrs accepts the ways files spell a CRS', () => {
  it.each([
    ['EPSG:32647', 'EPSG:32647'], ['epsg:32647', 'EPSG:32647'], ['32647', 'EPSG:32647'],
    ['urn:ogc:def:crs:EPSG::32647', 'EPSG:32647'], ['urn:ogc:def:crs:EPSG:6.6:24047', 'EPSG:24047'],
    ['http://www.opengis.net/def/crs/EPSG/0/3414', 'EPSG:3414'], ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
    ['CRS84', 'EPSG:4326'],
  ])('%s -> %s', (given, id) => {
    expect(resolveCrs(given).id).toBe(id);
  });

  it('numbers are EPSG codes', () => {
    expect(resolveCrs(6677).id).toBe('EPSG:6677');
  });

  it('an unknown EPSG code is E_CRS_UNKNOWN naming the code', () => {
    try { resolveCrs('EPSG:99999'); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(EkimaeError);
      expect((e as EkimaeError).code).toBe('E_CRS_UNKNOWN');
      expect((e as EkimaeError).message).toContain('99999');
    }
  });

  it.each(['not a crs', '+proj=nonsense +foo', 'PROJCS["broken"'])('unreadable text %j is E_CRS_UNKNOWN', (s) => {
    expect(() => resolveCrs(s)).toThrowError(expect.objectContaining({ code: 'E_CRS_UNKNOWN' }));
  });
});
