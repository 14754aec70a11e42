/** Hand-built fixtures: expected values are the arithmetic in tests/fixtures/catchment/<case>/SOURCE.md. */
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { graphFromFile } from '../../../core/network/load.js';
import { readLayersFromFile } from '../../../core/io/import.js';
import { detectFieldMap } from '../../../core/io/field-detect.js';
import { computeCatchment } from '../../../core/catchment/engine.js';
import { analyze, type Analysis, type BandSummary } from '../../../core/catchment/analyze.js';
import { parcelsFromFeatures, stationsFromFeatures, zonesFromFeatures } from '../../../core/catchment/inputs.js';
import type { WalkGraph } from '../../../core/network/types.js';
import { distanceM } from '../../../core/network/geodesic.js';

const FIX = resolve(__dirname, '../../fixtures/catchment');
const LAT0 = 13.80, LON0 = 100.53, A = 6378137, F = 1 / 298.257223563, E2 = F * (2 - F);
const phi = (LAT0 * Math.PI) / 180, w = Math.sqrt(1 - E2 * Math.sin(phi) ** 2);
const M = (A * (1 - E2)) / w ** 3, N = A / w;
/** lon/lat -> the fixture's metre layout (inverse of make-fixtures.mjs), rounded to the metre grid used there. */
const xy = (lon: number, lat: number) => `${Math.round(((lon - LON0) * Math.PI / 180) * N * Math.cos(phi))},${Math.round(((lat - LAT0) * Math.PI / 180) * M)}`;

function layer(file: string) {
  const l = readLayersFromFile(file).layers[0];
  return { l, fm: detectFieldMap(l.geometryType.endsWith('POINT') ? 'entrances' : l.geometryType.endsWith('POLYGON') ? (file.includes('census') ? 'census' : 'parcels') : 'network', l.fields) };
}

function nodeDistances(g: WalkGraph, c: ReturnType<typeof computeCatchment>): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < c.nodes.length; i++) out[xy(g.nodeLonLat[2 * c.nodes[i]], g.nodeLonLat[2 * c.nodes[i] + 1])] = c.dist[i];
  return out;
}

describe('comb: noding, bridge, island, two entrances', () => {
  const g = graphFromFile(join(FIX, 'comb/network.geojson'));
  const ent = layer(join(FIX, 'comb/entrances.geojson'));
  const stations = stationsFromFeatures('entrances', ent.l.features, ent.fm);

  it('nodes where lines end or share a same-level vertex; the bridge and the touching soi stay apart', () => {
    expect(g.nodeCount).toBe(11);
    expect(g.edgeCount).toBe(9);
    expect(g.components.map((c) => c.nodes)).toEqual([9, 2]);
    expect(g.components[1].name).toBe('island 1: Soi Island');
    expect(g.stats.nonWalkableParts).toBe(1);
    expect(stations).toHaveLength(1);
    expect(stations[0].points).toHaveLength(2);
  });

  it('edge mode: both entrances snap onto their street, access legs added', () => {
    const c = computeCatchment(g, stations, { cutoffM: 2000, snap: 'edge' });
    expect(c.snaps.map((s) => s.snapM)).toEqual([expect.closeTo(20, 2), expect.closeTo(20, 2)]);
    const want: Record<string, number> = { '0,0': 120, '500,300': 160, '500,0': 180, '700,0': 380, '700,-100': 480, '700,100': 480, '1000,0': 680, '300,100': 442.843, '300,-100': 642.843 };
    const got = nodeDistances(g, c);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(got[k], k).toBeCloseTo(v, 2);
  });

  it('node mode reproduces the peers\' rule (nearest node, no access leg)', () => {
    const c = computeCatchment(g, stations, { cutoffM: 2000, snap: 'node' });
    const want: Record<string, number> = { '0,0': 0, '500,300': 0, '500,0': 300, '700,0': 500, '700,-100': 600, '700,100': 600, '1000,0': 800, '300,100': 282.843, '300,-100': 482.843 };
    const got = nodeDistances(g, c);
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(got[k], k).toBeCloseTo(v, 2);
    expect(c.snaps.map((s) => s.snapM)).toEqual([expect.closeTo(Math.hypot(100, 20), 2), expect.closeTo(Math.hypot(20, 140), 2)]);
  });

  it('bands: nodes and street length (partial edges) per band; parcel skips the motorway', async () => {
    const par = layer(join(FIX, 'comb/parcels.geojson'));
    const a = await analyze(g, stations, parcelsFromFeatures(par.l.features, par.fm), null, { snap: 'edge', bandsM: [200, 500, 700], cellM: 5, bufferM: 25 });
    const st = a.bands.filter((b) => b.stationId === 'ST1');
    expect(st.map((b) => b.nodes)).toEqual([3, 7, 9]);
    expect(st[0].networkM).toBeCloseTo(660, 2);
    expect(st[1].networkM).toBeCloseTo(1660, 2);
    expect(st[2].networkM).toBeCloseTo(1982.843, 2);
    const pieces = a.streets.reduce((s, x) => s + x.coords.slice(1).reduce((t, p, i) => t + distanceM(x.coords[i][0], x.coords[i][1], p[0], p[1]), 0), 0);
    expect(pieces).toBeCloseTo(1982.843, 2);
    expect(a.streets.every((x) => x.stationId === 'ST1')).toBe(true);
    expect(a.parcels).toHaveLength(1);
    expect(a.parcels[0].distM).toBeCloseTo(620, 2);
    expect(a.parcels[0].accessM).toBeCloseTo(40, 2);
    expect(a.parcels[0].bandM).toBe(700);
    expect(a.parcels[0].stationId).toBe('ST1');
    const merged = a.bands.filter((b) => b.stationId === '*');
    expect(merged.map((b) => b.nodes)).toEqual([3, 7, 9]);
  });
});

describe('strip: polygon area, pedshed, areal and dasymetric counts', () => {
  const g = graphFromFile(join(FIX, 'strip/network.geojson'));
  const st = layer(join(FIX, 'strip/stations.geojson'));
  const par = layer(join(FIX, 'strip/parcels.geojson'));
  const cen = layer(join(FIX, 'strip/census.geojson'));
  let a!: Analysis, b!: BandSummary;
  beforeAll(async () => {
    a = await analyze(g, stationsFromFeatures('stations', st.l.features, st.fm), parcelsFromFeatures(par.l.features, par.fm),
      zonesFromFeatures(cen.l.features, cen.fm), { snap: 'edge', bandsM: [100], cellM: 1, bufferM: 20 });
    b = a.bands.find((x) => x.stationId === 'S')!;
  });

  it('band polygon area = capsule around the reached 200 m (within 2 %), pedshed ratio from it', () => {
    expect(Math.abs(b.areaM2 - 9256.64) / 9256.64).toBeLessThan(0.02);
    expect(Math.abs(b.pedshed - 0.29465) / 0.29465).toBeLessThan(0.02);
    const poly = a.polygons.find((p) => p.stationId === 'S')!.polygons!;
    expect(poly).toHaveLength(1);
    expect(poly[0]).toHaveLength(1);
  });

  it('areal weighting', () => {
    expect(Math.abs(b.popAreal! - 185.13) / 185.13).toBeLessThan(0.02);
    expect(Math.abs(b.jobsAreal! - 6.942) / 6.942).toBeLessThan(0.02);
  });

  it('dasymetric through floor area, with the jobs fallback for zone A', () => {
    expect(b.popDasy).toBeCloseTo(2000, 6);
    expect(Math.abs(b.jobsDasy! - 102.314)).toBeLessThan(0.05);
    expect(a.dasymetricFallbackZones.jobs).toEqual(['A']);
    expect(b.parcels).toBe(3);
    const d = Object.fromEntries(a.parcels.map((p) => [p.fid, p.distM]));
    expect(d[1]).toBeCloseTo(80, 2);
    expect(d[3]).toBeCloseTo(80, 2);
    expect(d[4]).toBeCloseTo(95, 2);
    expect(d[2]).toBe(Infinity);
  });
});

describe('crossing: optional centreline splitting', () => {
  const st = layer(join(FIX, 'crossing/stations.geojson'));
  const stations = stationsFromFeatures('stations', st.l.features, st.fm);

  it('off (OSM rule): lines crossing without a shared vertex stay apart', () => {
    const g = graphFromFile(join(FIX, 'crossing/network.geojson'));
    expect(g.components).toHaveLength(4);
    const got = nodeDistances(g, computeCatchment(g, stations, { cutoffM: 1000, snap: 'edge' }));
    expect(Object.keys(got).sort()).toEqual(['-100,0', '100,0']);
    expect(got['100,0']).toBeCloseTo(205, 2);
  });

  it('on: ground crossings and T-ends are noded, the bridge is not', () => {
    const g = graphFromFile(join(FIX, 'crossing/network.geojson'), { splitCrossings: true });
    expect(g.stats.crossingsSplit).toBe(2);
    expect(g.components.map((c) => c.nodes)).toEqual([7, 2]);
    const want: Record<string, number> = { '-100,0': 5, '-50,0': 55, '-50,-80': 135, '0,0': 105, '0,100': 205, '0,-100': 205, '100,0': 205 };
    const got = nodeDistances(g, computeCatchment(g, stations, { cutoffM: 1000, snap: 'edge' }));
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(got[k], k).toBeCloseTo(v, 2);
  });
});
