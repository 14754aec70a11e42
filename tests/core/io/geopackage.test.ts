/**
 * GeoPackages written by other tools: GDAL's ogr2ogr writes two layers in EPSG:32647 (UTM 47N); Ekimae
 * imports both and reprojects to EPSG:4326. The expected lon/lat come from gdaltransform on the UTM
 * coordinates GDAL itself stored.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const haveGdal = requireToolOrSkip('ogr2ogr') && requireToolOrSkip('gdaltransform');
const dir = tmpDir('ekimae-gpkg-import-');
const src = join(dir, 'from-gdal.gpkg');

const STATIONS = [[100.5300, 13.8030], [100.5410, 13.8130], [100.5601, 13.7992]];
const RAIL = [[[100.52, 13.79], [100.5300, 13.8030], [100.5410, 13.8130]], [[100.5410, 13.8130], [100.5601, 13.7992], [100.58, 13.79]]];

function sh(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Coordinates as GDAL stored them in the source (UTM metres), read back by GDAL. */
function gdalCoords(layer: string): number[][] {
  const fc = JSON.parse(sh('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', src, layer])) as { features: Array<{ geometry: { coordinates: unknown } }> };
  const out: number[][] = [];
  const walk = (c: unknown): void => { if (Array.isArray(c) && typeof c[0] === 'number') out.push(c as number[]); else if (Array.isArray(c)) c.forEach(walk); };
  fc.features.forEach((f) => walk(f.geometry.coordinates));
  return out;
}

function gdalToWgs84(pts: number[][]): number[][] {
  const out = sh('gdaltransform', ['-s_srs', 'EPSG:32647', '-t_srs', 'EPSG:4326', '-output_xy'], pts.map((p) => `${p[0]} ${p[1]}`).join('\n') + '\n');
  return out.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(0, 2).map(Number));
}

beforeAll(() => {
  if (!haveGdal) return;
  const st = join(dir, 'stations.geojson'), rl = join(dir, 'rail.geojson');
  writeFileSync(st, JSON.stringify({ type: 'FeatureCollection', features: STATIONS.map((c, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: c }, properties: { name: `S${i + 1}`, code: `BL${11 + i}` } })) }));
  writeFileSync(rl, JSON.stringify({ type: 'FeatureCollection', features: RAIL.map((c, i) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: c }, properties: { line: 'Blue', seg: i + 1 } })) }));
  sh('ogr2ogr', ['-f', 'GPKG', src, st, '-t_srs', 'EPSG:32647', '-nln', 'stations']);
  sh('ogr2ogr', ['-update', '-f', 'GPKG', src, rl, '-t_srs', 'EPSG:32647', '-nln', 'rail']);
});

// proj4 and PROJ agree to ~1e-13 deg for plain UTM; 1e-9 deg (0.1 mm) leaves room only for float noise.
const TOL = 1e-9;

describe.skipIf(!haveGdal)('importing a GDAL-written GeoPackage in EPSG:32647 with two layers', () => {
  it('imports both layers, reprojected to lon/lat as GDAL reprojects them', async () => {
    const svc = new EkimaeService({ strictOutputs: true });
    try {
      await svc.invoke('project.create', { path: join(dir, 'a.gpkg'), settings: { name: 'gpkg import' } });
      const r = await svc.invoke('layers.import', { path: src });
      expect(r.layers.map((l) => l.name).sort()).toEqual(['rail', 'stations']);
      for (const l of r.layers) {
        expect(l.provenance[0].crsRead).toBe('EPSG:32647');
        expect(l.provenance[0].sourceFormat).toBe('geopackage');
        expect(l.provenance[0].sourceLayer).toBe(l.name);
      }
      for (const layer of ['stations', 'rail']) {
        const want = gdalToWgs84(gdalCoords(layer));
        const fc = await svc.invoke('layers.features', { layer });
        const got: number[][] = [];
        const walk = (c: unknown): void => { if (Array.isArray(c) && typeof c[0] === 'number') got.push(c as number[]); else if (Array.isArray(c)) c.forEach(walk); };
        fc.features.forEach((f) => walk(f.geometry!.coordinates));
        expect(got.length).toBe(want.length);
        got.forEach((p, i) => {
          expect(Math.abs(p[0] - want[i][0]), `${layer} lon ${i}`).toBeLessThan(TOL);
          expect(Math.abs(p[1] - want[i][1]), `${layer} lat ${i}`).toBeLessThan(TOL);
        });
      }
      const st = await svc.invoke('layers.features', { layer: 'stations' });
      expect(st.features.map((f) => f.properties)).toEqual([{ name: 'S1', code: 'BL11' }, { name: 'S2', code: 'BL12' }, { name: 'S3', code: 'BL13' }]);
      const rail = await svc.invoke('layers.list', {});
      expect(rail.find((l) => l.name === 'rail')!.fields.map((f) => [f.name, f.type])).toEqual([['line', 'TEXT'], ['seg', 'INTEGER']]);
    } finally { svc.close(); }
  });

  it('options.layers imports only the named layer, with the name prefix given', async () => {
    const svc = new EkimaeService();
    try {
      await svc.invoke('project.create', { path: join(dir, 'b.gpkg'), settings: { name: 'gpkg import' } });
      const r = await svc.invoke('layers.import', { path: src, options: { layers: ['rail'] }, name: 'bts' });
      expect(r.layers.map((l) => [l.name, l.count, l.geometryType])).toEqual([['bts', 2, 'LINESTRING']]);
    } finally { svc.close(); }
  });

  it('a foreign column named __proto__ keeps its values (renamed __proto___2)', async () => {
    const gj = join(dir, 'proto.geojson'), gp = join(dir, 'proto.gpkg');
    writeFileSync(gj, '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[100.5,13.8]},"properties":{"__proto__":"kept","n":1}}]}');
    sh('ogr2ogr', ['-f', 'GPKG', gp, gj, '-nln', 'odd']);
    const svc = new EkimaeService();
    try {
      await svc.invoke('project.create', { path: join(dir, 'd.gpkg'), settings: { name: 'proto' } });
      await svc.invoke('layers.import', { path: gp });
      const fc = await svc.invoke('layers.features', { layer: 'odd' });
      expect(Object.entries(fc.features[0].properties)).toEqual([['__proto___2', 'kept'], ['n', 1]]);
    } finally { svc.close(); }
  });

  it('3D points (GDAL writes EPSG:4979), a CRS Ekimae does not list (EPSG:3395, read from the file\'s WKT), and a curve layer', async () => {
    const z = join(dir, 'z.geojson'), gp = join(dir, 'various.gpkg');
    writeFileSync(z, JSON.stringify({ type: 'FeatureCollection', features: STATIONS.map((c, i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [...c, 10 + i] }, properties: { i } })) }));
    sh('ogr2ogr', ['-f', 'GPKG', gp, z, '-nln', 'gps']);
    sh('ogr2ogr', ['-update', '-f', 'GPKG', gp, join(dir, 'stations.geojson'), '-t_srs', 'EPSG:3395', '-nln', 'mercator']);
    sh('ogr2ogr', ['-update', '-f', 'GPKG', gp, join(dir, 'stations.geojson'), '-nln', 'curvy', '-nlt', 'CURVEPOLYGON', '-dialect', 'SQLite', '-sql', 'SELECT ST_Buffer(geometry, 0.001) AS geometry FROM stations']);
    const svc = new EkimaeService();
    try {
      await svc.invoke('project.create', { path: join(dir, 'e.gpkg'), settings: { name: 'various' } });
      const bad = await svc.call('layers.import', { path: gp });
      expect(!bad.ok && bad.error.code).toBe('E_NO_FEATURES');
      expect(!bad.ok && bad.error.message).toMatch(/^various\.gpkg, layer curvy: no usable features \(3× E_GEOMETRY_UNSUPPORTED:skipped\)/);
      const r = await svc.invoke('layers.import', { path: gp, options: { layers: ['gps', 'mercator'] } });
      expect(r.layers.map((l) => [l.name, l.provenance[0].crsRead])).toEqual([['gps', 'EPSG:4979'], ['mercator', expect.stringMatching(/Mercator/)]]);
      const gps = await svc.invoke('layers.features', { layer: 'gps' });
      expect(gps.features.map((f) => f.geometry!.coordinates)).toEqual(STATIONS);
      const merc = await svc.invoke('layers.features', { layer: 'mercator' });
      const want = JSON.parse(sh('ogr2ogr', ['-f', 'GeoJSON', '-t_srs', 'EPSG:4326', '-lco', 'COORDINATE_PRECISION=15', '/vsistdout/', gp, 'mercator'])).features.map((f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates);
      merc.features.forEach((f, i) => {
        const [x, y] = f.geometry!.coordinates as number[];
        expect(Math.abs(x - want[i][0])).toBeLessThan(1e-8);
        expect(Math.abs(y - want[i][1])).toBeLessThan(1e-8);
      });
    } finally { svc.close(); }
  });

  it('a layer the file does not have is E_LAYER_NOT_FOUND naming the file and its layers', async () => {
    const svc = new EkimaeService();
    try {
      await svc.invoke('project.create', { path: join(dir, 'c.gpkg'), settings: { name: 'gpkg import' } });
      const r = await svc.call('layers.import', { path: src, options: { layers: ['buses'] } });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('E_LAYER_NOT_FOUND');
        expect(r.error.message).toContain('from-gdal.gpkg');
        expect(r.error.message).toContain('rail');
      }
    } finally { svc.close(); }
  });
});
