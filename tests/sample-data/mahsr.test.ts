import { describe, expect, it, afterAll } from 'vitest';
import { statSync } from 'node:fs';
import { Project } from '../../core/store/project.js';
import type { LineString, Position } from '../../core/geo/geometry.js';
import { requireToolOrSkip, run } from '../helpers/tools.js';
import { LAND_USES, SAMPLE_DIR, SOURCES, invalidCount, lineMetres, metres, stationPositionProblems, structureProblems, walkComponents } from './checks.js';

const FILE = `${SAMPLE_DIR}mahsr-corridor.gpkg`;
const src = SOURCES.mahsr;
const p = Project.open(FILE, { readOnly: true });
afterAll(() => p.close());

describe('mahsr-corridor.gpkg', () => {
  it('is a valid GeoPackage for GDAL with the same layers and counts', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    const out = run('ogrinfo', ['-ro', '-al', '-so', FILE]);
    for (const l of p.layers()) expect(out.split(/\nLayer name: /).find((b) => b.startsWith(l.name + '\n')), l.name).toContain(`Feature Count: ${l.count}`);
  });

  it('has only valid polygons (GEOS)', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    for (const l of ['parcels', 'buildings', 'census']) expect(invalidCount(FILE, l, run), l).toBe(0);
  });

  it('has one connected walk network per station site', () => {
    const walk = p.readFeatures('network').filter((f) => f.properties.walkable === true || f.properties.walkable === 1);
    expect(walkComponents(walk.map((f) => (f.geometry as LineString).coordinates)).length).toBe(src.stations.length);
  });

  it('has the layers, roles and fields the engines use, with provenance notes', () => {
    expect(structureProblems(p)).toEqual([]);
    const s = p.settings();
    expect([s.country, s.currency]).toEqual(['IN', 'INR']);
  });

  it('has the 12 stations in corridor order, every cited or derived one within 150 m of its source position', () => {
    const st = p.readFeatures('stations');
    expect(st.map((f) => f.properties.name)).toEqual(src.stations.map((s: { name: string }) => s.name));
    for (const s of src.stations) expect(st.find((x) => x.properties.station_id === s.id)!.properties.name_local).toBe(s.name_local);
    const got = new Map(st.map((f) => [f.properties.station_id, (f.geometry as { coordinates: Position }).coordinates]));
    expect(stationPositionProblems(got, src.stations)).toEqual([]);
  });

  it('has the alignment within 3 % of its cited length, passing through every station', () => {
    const c = src.lengths[0];
    const f = p.readFeatures('rail').find((r) => r.properties.name === c.name)!;
    const pts = (f.geometry as LineString).coordinates;
    expect(Math.abs(lineMetres(pts) / c.metres - 1)).toBeLessThan(0.03);
    for (const s of src.stations) expect(Math.min(...pts.map((q) => metres(q, [s.lon, s.lat]))), s.name).toBeLessThan(150);
  });

  it('carries the cited census figures and totals', () => {
    const zones = p.readFeatures('census');
    expect(zones.length).toBe(src.census.zones.length);
    for (const c of src.census.zones) {
      const z = zones.find((f) => f.properties.zone_id === c.zone_id)!;
      expect([z.properties.name, z.properties.population, z.properties.households, z.properties.jobs]).toEqual([c.name, c.population, c.households, c.jobs]);
    }
    for (const k of ['population', 'households', 'jobs'] as const) expect(zones.reduce((s, z) => s + Number(z.properties[k]), 0)).toBe(src.census.totals[k]);
  });

  it('gives every station a site of at least 2 km radius with parcels that name it', () => {
    const parcels = p.readFeatures('parcels');
    const [lo, hi] = src.land_value.range;
    for (const s of src.stations) {
      const mine = parcels.filter((f) => f.properties.station === s.name);
      expect(mine.length, s.name).toBeGreaterThan(300);
      // The farthest parcel vertex from the station reaches the 2 km radius.
      let far = 0;
      for (const f of mine.filter((_, i) => i % 7 === 0)) {
        const ring = (f.geometry as { coordinates: Position[][][] }).coordinates[0][0];
        for (const q of ring) far = Math.max(far, metres(q, [s.lon, s.lat]));
      }
      expect(far, s.name).toBeGreaterThan(1900);
    }
    for (const f of parcels) {
      expect(LAND_USES).toContain(f.properties.land_use);
      if (f.properties.land_use !== 'water') {
        expect(Number(f.properties.land_value)).toBeGreaterThanOrEqual(lo);
        expect(Number(f.properties.land_value)).toBeLessThanOrEqual(hi);
      }
    }
    expect(p.layer('parcels').fields.find((f) => f.name === 'owner_name')!.personal).toBe(true);
  });

  it('keeps both samples under 25 MB together', () => {
    expect(statSync(FILE).size + statSync(`${SAMPLE_DIR}bang-sue.gpkg`).size).toBeLessThan(25 * 1024 * 1024);
  });
});
