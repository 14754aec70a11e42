import { describe, expect, it, afterAll } from 'vitest';
import { Project } from '../../core/store/project.js';
import type { Position, LineString } from '../../core/geo/geometry.js';
import { requireToolOrSkip, run } from '../helpers/tools.js';
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { parseStops } from '../../sample-data/lib/realdata.js';
import { LAND_USES, OSM_HIGHWAYS, REALDATA, SAMPLE_DIR, SOURCES, geometryArea, invalidCount, lineMetres, metres, readGeoJson, stationPositionProblems, structureProblems, walkComponents } from './checks.js';

const FILE = `${SAMPLE_DIR}bang-sue.gpkg`;
const src = SOURCES['bang-sue'];
const p = Project.open(FILE, { readOnly: true });
afterAll(() => p.close());

describe('bang-sue.gpkg', () => {
  it('is a valid GeoPackage for GDAL with the same layers and counts', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    const out = run('ogrinfo', ['-ro', '-al', '-so', FILE]);
    for (const l of p.layers()) {
      const block = out.split(/\nLayer name: /).find((b) => b.startsWith(l.name + '\n'));
      expect(block, l.name).toBeDefined();
      expect(block).toContain(`Feature Count: ${l.count}`);
    }
  });

  it('has only valid polygons (GEOS)', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    for (const l of ['parcels', 'buildings', 'census', 'development_zones']) expect(invalidCount(FILE, l, run), l).toBe(0);
  });

  it('has the layers, roles and fields the engines use, with provenance notes', () => {
    expect(structureProblems(p)).toEqual([]);
    const s = p.settings();
    expect([s.country, s.currency]).toEqual(['TH', 'THB']);
    expect(s.center).toEqual([100.54167, 13.805]);
  });

  it('puts every cited or derived station within 150 m of its source position', () => {
    const got = new Map(p.readFeatures('stations').map((f) => [f.properties.station_id, (f.geometry as { coordinates: Position }).coordinates]));
    expect(stationPositionProblems(got, src.stations)).toEqual([]);
  });

  it('puts every station within 100 m of its stop in the published GTFS feed (Namtang)', () => {
    const stops = parseStops(readFileSync(`${REALDATA}bang-sue/namtang_gtfs_stops.csv`, 'utf8'));
    const far: string[] = [];
    for (const f of p.readFeatures('stations')) {
      const s = src.stations.find((x: { id: string }) => x.id === f.properties.station_id);
      const stop = stops.get(s.published.stop_id);
      expect(stop, s.id).toBeDefined();
      // The stop's name carries the station's Thai name: the right stop, not just a near one.
      expect(stop!.stop_name, s.id).toContain(s.name_local);
      const d = metres((f.geometry as { coordinates: Position }).coordinates, [Number(stop!.stop_lon), Number(stop!.stop_lat)]);
      if (!(d <= 100)) far.push(`${s.id} ${Math.round(d)} m`);
    }
    expect(far).toEqual([]);
  });

  it('has the cited line lengths within 3 %', () => {
    const rail = p.readFeatures('rail');
    for (const c of src.lengths) {
      const f = rail.find((r) => r.properties.name === c.name);
      expect(f, c.name).toBeDefined();
      expect(Math.abs(lineMetres((f!.geometry as LineString).coordinates) / c.metres - 1), c.name).toBeLessThan(0.03);
    }
  });

  it('carries the census figures of sources.json and their totals', () => {
    const zones = p.readFeatures('census');
    expect(zones.map((z) => z.properties.zone_id).sort()).toEqual(src.census.zones.map((z: { zone_id: string }) => z.zone_id).sort());
    for (const c of src.census.zones) {
      const z = zones.find((f) => f.properties.zone_id === c.zone_id)!;
      expect([z.properties.population, z.properties.households, z.properties.jobs], c.name).toEqual([c.population, c.households, c.jobs]);
      expect(z.properties.name_local).toBe(c.name_local);
    }
    for (const k of ['population', 'households', 'jobs'] as const) {
      expect(zones.reduce((s, z) => s + Number(z.properties[k]), 0)).toBe(src.census.totals[k]);
    }
  });

  it('has as census zones the real khwaeng polygons touching the site, whole', () => {
    // The OCHA/RTSD khwaeng (copy in sample-data/realdata, checked against ../shared in realdata.test.ts)
    // overlapping the 3.2 km disc around the terminal by 1,000 m² or more (turf, independent of the generator's frame).
    const disc = turf.circle([100.54167, 13.805], 3.2, { steps: 256, units: 'kilometers' });
    const khwaeng = readGeoJson('bang-sue/ocha_rtsd_adm3_khwaeng.geojson');
    const touching = khwaeng.filter((k) => { const x = turf.intersect(turf.featureCollection([k as never, disc])); return x !== null && turf.area(x) >= 1000; });
    const zones = p.readFeatures('census');
    expect(zones.map((z) => `TH${z.properties.zone_id}`).sort()).toEqual(touching.map((k) => String(k.properties.adm3_pcode)).sort());
    expect(zones.length).toBeGreaterThanOrEqual(8);
    for (const z of zones) {
      const k = touching.find((f) => f.properties.adm3_pcode === `TH${z.properties.zone_id}`)!;
      expect(z.geometry, String(z.properties.name)).toEqual(k.geometry);
      expect(z.properties.name_local).toBe(k.properties.adm3_th);
    }
    // Whole polygons reach beyond the site: the zones cover more than the disc's 32.2 km².
    expect(zones.reduce((s, z) => s + geometryArea(z.geometry as never), 0) / 1e6).toBeGreaterThan(40);
  });

  it("gives each khwaeng its cited population, or its khet's cited population times its share of the khet's area", () => {
    // Independent of the generator: geodesic areas of the polygons in the file and of the khet in the
    // realdata copy, and the figures sources.json quotes (checked against the quote in sources.test.ts).
    const khet = readGeoJson('bang-sue/ocha_rtsd_adm2_khet.geojson');
    for (const z of p.readFeatures('census')) {
      const c = src.census.zones.find((s: { zone_id: string }) => s.zone_id === z.properties.zone_id)!;
      const fact = c.facts.population;
      if (fact.confidence === 'cited') {
        expect(fact.quote.replace(/\D/g, ''), c.name).toContain(String(z.properties.population));
        continue;
      }
      expect(fact.confidence, c.name).toBe('derived');
      const k = khet.find((f) => f.properties.ADM2_PCODE === fact.inputs.khet_pcode)!;
      const share = Math.min(1, geometryArea(z.geometry as never) / geometryArea(k.geometry));
      expect(Math.abs(Number(z.properties.population) - fact.inputs.population * share), c.name).toBeLessThanOrEqual(1);
    }
  });

  it('has 5,000-20,000 parcels with vocabulary values, cited value range and flagged fake owners', () => {
    const parcels = p.readFeatures('parcels');
    expect(parcels.length).toBeGreaterThanOrEqual(5000);
    expect(parcels.length).toBeLessThanOrEqual(20000);
    const [lo, hi] = src.land_value.range;
    const ids = new Set<string>();
    for (const f of parcels) {
      const a = f.properties;
      ids.add(String(a.parcel_id));
      expect(LAND_USES).toContain(a.land_use);
      expect(['public', 'private']).toContain(a.ownership);
      expect(['SRT', 'state', 'private']).toContain(a.owner_type);
      if (a.land_use !== 'water') {
        expect(Number(a.land_value)).toBeGreaterThanOrEqual(lo);
        expect(Number(a.land_value)).toBeLessThanOrEqual(hi);
      }
      if (a.ownership === 'private') expect(a.owner_name).toMatch(/^Owner \d{6}$/);
      expect(Number(a.floor_area)).toBeGreaterThanOrEqual(0);
    }
    expect(ids.size).toBe(parcels.length);
    expect(p.layer('parcels').fields.find((f) => f.name === 'owner_name')!.personal).toBe(true);
    // SRT land is public: the terminal and the development zones.
    expect(parcels.filter((f) => f.properties.owner_type === 'SRT').every((f) => f.properties.ownership === 'public')).toBe(true);
    expect(parcels.filter((f) => f.properties.owner_type === 'SRT').length).toBeGreaterThan(20);
  });

  it('has a soi fabric with dead ends, and crosses the rail corridors only on named arterials', () => {
    const net = p.readFeatures('network');
    for (const f of net) expect(OSM_HIGHWAYS).toContain(f.properties.highway);
    const named = ['Phahonyothin Rd', 'Vibhavadi Rangsit Rd', 'Kamphaeng Phet 2 Rd', 'Thoet Damri Rd', 'Pradipat Rd', 'Pracha Chuen Rd', 'Krungthep–Nonthaburi Rd'];
    for (const n of named) expect(net.some((f) => f.properties.name === n), n).toBe(true);
    const walk = net.filter((f) => f.properties.walkable === true || f.properties.walkable === 1);
    // Dead ends: line ends that no other walkable line touches.
    const key = (c: Position) => `${c[0].toFixed(7)},${c[1].toFixed(7)}`;
    const degree = new Map<string, number>();
    for (const f of walk) for (const c of (f.geometry as LineString).coordinates) degree.set(key(c), (degree.get(key(c)) ?? 0) + 1);
    const deadEnds = walk.filter((f) => { const cs = (f.geometry as LineString).coordinates; return degree.get(key(cs[cs.length - 1])) === 1; }).length;
    expect(deadEnds).toBeGreaterThan(500);
    // One walkable network: every soi reaches the arterials through shared junction vertices.
    expect(walkComponents(walk.map((f) => (f.geometry as LineString).coordinates))).toEqual([walk.length]);
    // Barrier rail: every crossing by a walkable line is a real road (not a generated soi).
    const barriers = p.readFeatures('rail').filter((r) => r.properties.grade === 'at_grade').map((r) => (r.geometry as LineString).coordinates);
    const crossers = new Set<string>();
    for (const f of walk) {
      const cs = (f.geometry as LineString).coordinates;
      for (const b of barriers) if (crosses(cs, b)) crossers.add(String(f.properties.name));
    }
    for (const n of crossers) expect(n, n).not.toMatch(/^Soi /);
    expect(crossers.size).toBeGreaterThan(0);
  });
});

function crosses(a: Position[], b: Position[]): boolean {
  for (let i = 1; i < a.length; i++) for (let j = 1; j < b.length; j++) if (segmentsCross(a[i - 1], a[i], b[j - 1], b[j])) return true;
  return false;
}

function segmentsCross(p1: Position, p2: Position, p3: Position, p4: Position): boolean {
  const d = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  const d1 = d(p3, p4, p1), d2 = d(p3, p4, p2), d3 = d(p1, p2, p3), d4 = d(p1, p2, p4);
  return d1 * d2 < 0 && d3 * d4 < 0;
}
