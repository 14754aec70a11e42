/** Bad input: each gets a clear error code (or a warning) and nothing hangs. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EkimaeError } from '../../../core/api/errors.js';
import { graphFromFile } from '../../../core/network/load.js';
import { buildGraph } from '../../../core/network/build.js';
import { readGeoJsonLines } from '../../../core/network/geojson-lines.js';
import { computeCatchment, type StationInput } from '../../../core/catchment/engine.js';
import { tmpDir } from '../../helpers/tmp.js';

const FIX = resolve(__dirname, '../../fixtures/catchment');
const dir = tmpDir('ekimae-catchment-bad-');
const comb = graphFromFile(join(FIX, 'comb/network.geojson'));
/** Metres east/north of 100.53 E, 13.80 N (as in make-fixtures.mjs, to the metre). */
const ll = (x: number, y: number): [number, number] => [100.53 + x / 108077.5, 13.80 + y / 110630.9];
const st = (x: number, y: number): StationInput[] => [{ id: 'X', points: [ll(x, y)] }];

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof EkimaeError) return `${e.code}: ${e.message}`; throw e; }
  return 'no error';
}

describe('bad input', () => {
  it('a network without walkable lines', () => {
    const p = join(dir, 'motorway.geojson');
    writeFileSync(p, JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { highway: 'motorway' }, geometry: { type: 'LineString', coordinates: [ll(0, 0), ll(500, 0)] } },
    ] }));
    expect(code(() => graphFromFile(p))).toMatch(/^E_NETWORK_EMPTY: motorway\.geojson has no walkable lines/);
  });

  it('a station 5 km from any street', () => {
    expect(code(() => computeCatchment(comb, st(500, 6000), { cutoffM: 800, snap: 'edge' }))).toMatch(/^E_SNAP_TOO_FAR: station X is more than 5 km/);
    expect(code(() => computeCatchment(comb, st(500, 6000), { cutoffM: 800, snap: 'node' }))).toMatch(/^E_SNAP_TOO_FAR/);
  });

  it('a station 400 m from the street: a warning, and the run goes on', () => {
    const c = computeCatchment(comb, st(100, 400), { cutoffM: 800, snap: 'edge' });
    expect(c.warnings.join('\n')).toMatch(/station X is \d+ m from the nearest walkable street \(over 300 m\)/);
  });

  it('a station on a disconnected island: named in a warning, its catchment stays on the island', () => {
    const c = computeCatchment(comb, st(810, 150), { cutoffM: 5000, snap: 'edge' });
    expect(c.warnings.join('\n')).toMatch(/station X snapped onto a disconnected island 1: Soi Island \(2 nodes/);
    expect(c.nodes.length).toBe(2);
  });

  it('cutoff 0 is refused; 1e9 warns and reaches the whole component without hanging', () => {
    expect(code(() => computeCatchment(comb, st(100, 20), { cutoffM: 0, snap: 'edge' }))).toMatch(/^E_INPUT_INVALID: the walking cutoff must be a positive/);
    expect(code(() => computeCatchment(comb, st(100, 20), { cutoffM: NaN, snap: 'edge' }))).toMatch(/^E_INPUT_INVALID/);
    const c = computeCatchment(comb, st(100, 20), { cutoffM: 1e9, snap: 'edge' });
    expect(c.nodes.length).toBe(9);
    expect(c.warnings.join('\n')).toMatch(/beyond any walk/);
  });

  it('NaN coordinates: in the file, in a station, in lines handed to the builder', () => {
    const p = join(dir, 'nan.geojson');
    writeFileSync(p, '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[100.5,13.8],[NaN,13.8]]}}]}');
    expect(code(() => graphFromFile(p))).toMatch(/^E_FORMAT_INVALID: nan\.geojson/);
    expect(code(() => computeCatchment(comb, [{ id: 'N', points: [[NaN, 13.8]] }], { cutoffM: 800, snap: 'edge' }))).toMatch(/^E_COORD_INVALID: station N is at \(NaN, 13.8\)/);
    const src = readGeoJsonLines(Buffer.from('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[100.5,13.8],[100.6,95]]}}]}'), 'lat95.geojson')!;
    expect(code(() => buildGraph(src))).toMatch(/^E_COORD_INVALID: lat95\.geojson: feature 1 has a vertex at \(100\.6, 95\)/);
  });

  it('no stations at all', () => {
    expect(code(() => computeCatchment(comb, [], { cutoffM: 800, snap: 'edge' }))).toMatch(/^E_NO_STATIONS/);
  });
});
