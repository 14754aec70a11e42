/**
 * The GeoJSON line reader on tricky input, against JSON.parse (the oracle), and its windowed file
 * reading (readGeoJsonLinesFile) against reading the same bytes whole: with windows as small as one
 * byte every token is cut somewhere, and the result (or the error, with its line and column) must
 * not change.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGeoJsonLines, readGeoJsonLinesFile } from '../../../core/network/geojson-lines.js';
import { graphFromGeoJsonFile } from '../../../core/network/load-geojson.js';
import type { EkimaeError } from '../../../core/errors.js';
import type { LineSource } from '../../../core/network/types.js';
import { mulberry32 as rng } from '../../../core/util/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'ekimae-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
function file(text: string | Uint8Array): string {
  const p = join(dir, `f${seq++}.geojson`);
  writeFileSync(p, text);
  return p;
}

/** Every JSON feature a walker of JSON.parse's tree would read as lines: coordinates, part starts, 1-based feature numbers. */
function oracle(text: string): { coords: number[]; starts: number[]; fids: number[] } {
  const doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  const coords: number[] = [], starts: number[] = [], fids: number[] = [];
  doc.features.forEach((f: { geometry: { type: string; coordinates: number[][] | number[][][] } | null }, i: number) => {
    const g = f.geometry;
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) return;
    const parts = (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as number[][][];
    for (const p of parts) { starts.push(coords.length / 2); fids.push(i + 1); for (const q of p) coords.push(q[0], q[1]); }
  });
  return { coords, starts, fids };
}

const plain = (s: LineSource) => ({ coords: Array.from(s.coords), starts: Array.from(s.partStart).slice(0, -1), fids: Array.from(s.partFid) });
const whole = (s: LineSource) => ({ ...plain(s), level: Array.from(s.partLevel), walkable: Array.from(s.partWalkable), names: s.partName, end: s.partStart[s.partStart.length - 1] });

/** Hand-written: exponents, negatives, odd whitespace, nested properties with brackets/quotes/escapes, Multi* geometries, null geometry and properties, foreign members. */
const TRICKY = [
  '{ "type" : "FeatureCollection" ,\r\n "crs": null, "bbox": [-1e2, -0.5E+1, 1.5e2, 4.25e1],',
  '\t"name": "t \\"q\\" ]}[{", "features" :\n[',
  '  {"type":"Feature","id":"a]}","properties":{"highway":"footway","note":"br]}ack{[ets \\\\ \\/ \\u005d \\"","nested":{"a":[1,{"b":"}]"}],"c":{"d":null}},"bridge":"yes"},',
  '   "geometry":{"coordinates":[[100.5e0,-13.75],[1.005E2 , -1375e-2],[ -100.25 ,\t13.5E+0 , 12.5 ]],"type":"LineString"}},',
  ' {"type":"Feature","properties":null,"geometry":null},',
  ' {"type":"Feature","properties":{"highway":"motorway"},"geometry":{"type":"MultiLineString","coordinates":[[[0,0],[0.5,-0.5]],[[1e-7,-1E-7],[-0.0,0]]]}},',
  ' {"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]},"properties":{}},',
  ' {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]]]},"properties":{"name":"x"}},',
  ' {"type":"Feature","geometry":{"type":"Point","coordinates":[5,6]},"properties":{"a":[[[]]]}},',
  ' {"properties":{"name":"tail \\u00e9\\n","layer":"-1","highway":"residential"},"geometry":{"type":"LineString","coordinates":[[10,20],[10.000001,20.000001]]},"type":"Feature"}',
  '\n] , "foreign": {"features": "not these"} }\n',
].join('\n');

describe('GeoJSON line reader on tricky input', () => {
  it('reads what JSON.parse reads: exponents, negatives, whitespace, nested properties, Multi* and null geometries', () => {
    const src = readGeoJsonLines(Buffer.from(TRICKY), 't.geojson')!;
    const want = oracle(TRICKY);
    expect(want.coords).toEqual([100.5, -13.75, 100.5, -13.75, -100.25, 13.5, 0, 0, 0.5, -0.5, 1e-7, -1e-7, -0, 0, 10, 20, 10.000001, 20.000001]);
    expect(plain(src)).toEqual(want);
    expect(Object.is(src.coords[12], -0)).toBe(true);
    // The motorway's two parts are not walkable; the tunnel layer and the decoded name are kept.
    expect(Array.from(src.partWalkable)).toEqual([1, 0, 0, 1]);
    expect(Array.from(src.partLevel)).toEqual([1, 0, 0, -1]);
    expect(src.partName).toEqual([null, null, null, 'tail é\n']);
  });

  it('reads a file the same through every window size, down to one byte', () => {
    const p = file(TRICKY);
    const want = whole(readGeoJsonLines(Buffer.from(TRICKY), 't.geojson')!);
    for (const w of [1, 2, 3, 5, 8, 13, 64, 100, 1000, 1 << 20]) {
      expect(whole(readGeoJsonLinesFile(p, 't.geojson', { windowBytes: w })!), `window ${w}`).toEqual(want);
    }
  });

  it('reads a many-window file the same as whole (3,000 features, 4 KB window)', () => {
    const r = rng(11);
    const feats = Array.from({ length: 3000 }, (_, i) => {
      const n = 2 + Math.floor(r() * 5);
      const pts = Array.from({ length: n }, () => `[${(100 + r()).toFixed(7)},${(13 + r()).toExponential(9)}]`).join(',');
      return `{"type":"Feature","properties":{"id":${i},"class":"${r() < 0.1 ? 'motorway' : 'local'}","s":"${'x]'.repeat(Math.floor(r() * 40))}"},"geometry":{"type":"LineString","coordinates":[${pts}]}}`;
    });
    const text = `{"type":"FeatureCollection","features":[\n${feats.join('\n,')}\n]}`;
    const want = whole(readGeoJsonLines(Buffer.from(text), 'm.geojson')!);
    expect(want.coords).toEqual(oracle(text).coords);
    expect(whole(readGeoJsonLinesFile(file(text), 'm.geojson', { windowBytes: 4096 })!)).toEqual(want);
  });

  it('skips a UTF-8 byte order mark (as the general importer does)', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TRICKY)]);
    const want = plain(readGeoJsonLines(Buffer.from(TRICKY), 't.geojson')!);
    expect(plain(readGeoJsonLines(bom, 'bom.geojson')!)).toEqual(want);
    expect(plain(readGeoJsonLinesFile(file(bom), 'bom.geojson', { windowBytes: 2 })!)).toEqual(want);
  });

  it('refuses invalid JSON with E_FORMAT_INVALID at the line and column of the offending byte', () => {
    // Line 3, column 32 (1-based, in bytes): the second number of the position is missing.
    const text = '{"type":"FeatureCollection",\n"features":[\n{"geometry":{"coordinates":[[1,],[2,3]],"type":"LineString"}}]}';
    const offset = text.indexOf(',]') + 1;
    for (const read of [() => readGeoJsonLines(Buffer.from(text), 'bad.geojson'), () => readGeoJsonLinesFile(file(text), 'bad.geojson', { windowBytes: 7 })]) {
      let err: EkimaeError | null = null;
      try { read(); } catch (e) { err = e as EkimaeError; }
      expect(err?.code).toBe('E_FORMAT_INVALID');
      expect(err?.details).toMatchObject({ line: 3, column: 32, offset });
      expect(err?.message).toContain("line 3, column 32");
    }
    expect(text.split('\n')[2][31]).toBe(']');
  });

  it('a file cut short is an error, not a shorter network, through any window', () => {
    const text = TRICKY.slice(0, TRICKY.indexOf('[10.000001'));
    for (const w of [1, 4, 1 << 20]) {
      expect(() => readGeoJsonLinesFile(file(text), 'cut.geojson', { windowBytes: w }), `window ${w}`).toThrow(expect.objectContaining({ code: 'E_FORMAT_INVALID' }) as unknown as EkimaeError);
    }
  });

  it('gives the same answer or the same error (same line and column) through a small window on damaged files (fuzz, seeded)', () => {
    const base = TRICKY;
    const r = rng(99);
    const alphabet = ',[]{}":0-.e\\ \n';
    const outcome = (f: () => LineSource | null) => {
      try { const s = f(); return s ? whole(s) : null; } catch (e) {
        const x = e as EkimaeError;
        expect(x.code).toBe('E_FORMAT_INVALID');
        return { code: x.code, details: x.details };
      }
    };
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const i = Math.floor(r() * base.length), op = Math.floor(r() * 3), ch = alphabet[Math.floor(r() * alphabet.length)];
      const text = op === 0 ? base.slice(0, i) + base.slice(i + 1) : op === 1 ? base.slice(0, i) + ch + base.slice(i) : base.slice(0, i) + ch + base.slice(i + 1);
      const p = file(text);
      const want = outcome(() => readGeoJsonLines(Buffer.from(text), 'f.geojson'));
      if (want && 'code' in want) errors++;
      for (const w of [1, 6, 50]) expect(outcome(() => readGeoJsonLinesFile(p, 'f.geojson', { windowBytes: w })), `window ${w}: ${JSON.stringify(text.slice(Math.max(0, i - 15), i + 15))}`).toEqual(want);
    }
    expect(errors).toBeGreaterThan(100);
  });

  it('a missing or empty network file is the same coded error as before (E_FILE_NOT_FOUND, E_FILE_EMPTY)', () => {
    expect(() => graphFromGeoJsonFile(join(dir, 'absent.geojson'))).toThrow(expect.objectContaining({ code: 'E_FILE_NOT_FOUND' }) as unknown as EkimaeError);
    expect(() => graphFromGeoJsonFile(file(''))).toThrow(expect.objectContaining({ code: 'E_FILE_EMPTY' }) as unknown as EkimaeError);
  });
});
