/**
 * GTFS import against hand-computed answers (tests/fixtures/gtfs/complete/SOURCE.md): the feed as a
 * folder and as a zip, the same feed without its optional files, the malformed-feed set (each refused
 * with its code, naming file and row, the project unchanged), and the shared Namtang stops file
 * (../shared, skipped when absent) counted and round-tripped against Python's csv reader.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { stationsOf } from '../../../core/catchment/run.js';
import { detectFormat } from '../../../core/io/formats.js';
import { modeOf } from '../../../core/io/gtfs-modes.js';
import { memorySource } from '../../../core/io/source.js';
import { tmpDir } from '../../helpers/tmp.js';

const FIX = new URL('../../fixtures/gtfs/', import.meta.url).pathname;
const FEED = join(FIX, 'complete/mini_feed');
const EXP = JSON.parse(readFileSync(join(FIX, 'complete/expected.json'), 'utf8'));
const dir = tmpDir('ekimae-gtfs-');
const services: EkimaeService[] = [];
afterAll(() => { for (const s of services) s.close(); });

let n = 0;
async function freshProject(withLayer = false) {
  const svc = new EkimaeService({ strictOutputs: true });
  services.push(svc);
  await svc.invoke('project.create', { path: join(dir, `p${++n}.gpkg`), settings: { name: 'gtfs' } });
  if (withLayer) {
    const f = join(dir, `base${n}.geojson`);
    writeFileSync(f, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [100.53, 13.80] }, properties: { name: 'Bang Sue' } }] }));
    await svc.invoke('layers.import', { path: f, role: 'stations', name: 'stations' });
  }
  return svc;
}

/** The fixture feed copied to `to`, less `drop`, with `overlay`'s .txt files put over it. */
function feedCopy(to: string, drop: string[] = [], overlay?: string): string {
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(FEED)) if (!drop.includes(f)) cpSync(join(FEED, f), join(to, f));
  if (overlay) for (const f of readdirSync(overlay)) if (f.endsWith('.txt')) cpSync(join(overlay, f), join(to, f));
  return to;
}

function zipOf(folder: string, out: string, prefix = ''): string {
  const files: Record<string, Uint8Array> = {};
  for (const f of readdirSync(folder)) files[prefix + f] = readFileSync(join(folder, f));
  writeFileSync(out, zipSync(files));
  return out;
}

type Props = Record<string, unknown>;
async function importFeed(path: string) {
  const svc = await freshProject();
  const r = await svc.invoke('layers.import', { path });
  const p = svc.requireProject();
  const byName = Object.fromEntries(r.layers.map((l) => [l.name, l]));
  const feats = (layer: string) => p.readFeatures(layer);
  return { svc, r, p, byName, feats };
}

function checkStations(features: Array<{ properties: Props }>, want: Record<string, Props>) {
  const got = Object.fromEntries(features.map((f) => [f.properties.station_id as string, f.properties]));
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [id, w] of Object.entries(want)) expect(got[id], id).toMatchObject(w);
}

function checkRoutes(features: Array<{ geometry: unknown; properties: Props }>, want: Record<string, Props>) {
  for (const f of features) {
    const w = want[f.properties.route_id as string];
    const { parts, ...attrs } = w;
    expect(f.properties).toMatchObject(attrs);
    expect((f.geometry as { coordinates: unknown[] }).coordinates.length, `${f.properties.route_id} parts`).toBe(parts);
  }
}

describe('GTFS: the complete hand-made feed', () => {
  it('as a folder: four layers with their roles, stations and service as computed by hand', async () => {
    const { r, byName, feats } = await importFeed(FEED);
    for (const [name, w] of Object.entries(EXP.layers as Record<string, { role: string; count: number }>)) {
      expect(byName[name], name).toMatchObject({ role: w.role, count: w.count });
    }
    expect(r.layers).toHaveLength(4);
    checkStations(feats('mini_feed_stations'), EXP.complete.stations);
    const ent = Object.fromEntries(feats('mini_feed_entrances').map((f) => [f.properties.entrance_id, f.properties.station_id]));
    expect(ent).toEqual(EXP.complete.entrances);
    checkRoutes([...feats('mini_feed_rail_lines'), ...feats('mini_feed_bus_routes')], EXP.complete.routes);
    const bsu = feats('mini_feed_stations').find((f) => f.properties.station_id === 'BSU')!;
    expect(bsu.geometry).toEqual({ type: 'Point', coordinates: [100.53, 13.803] });
    // The stations layer's semantic fields are found for the catchment engine.
    expect(byName.mini_feed_stations.fieldMap).toMatchObject({ station_id: 'station_id', name: 'name', line: 'line' });
    expect(byName.mini_feed_entrances.fieldMap).toMatchObject({ station_id: 'station_id', name: 'name' });
  });

  it('provenance names the feed, its agencies, the reference day, the peak hour and the licence; sha256 is that of the sha256sum listing', async () => {
    const { byName } = await importFeed(FEED);
    const prov = byName.mini_feed_stations.provenance[0];
    expect(prov).toMatchObject({ sourceFile: 'mini_feed', sourceFormat: 'gtfs', sourceLayer: 'stops.txt', crsRead: 'EPSG:4326', featuresRead: 5, featuresWritten: 5 });
    expect(prov.note).toContain('Mini Metro');
    expect(prov.note).toContain('Ekimae test fixture');
    expect(prov.note).toContain(`reference day ${EXP.complete.referenceDay} (Tuesday)`);
    expect(prov.note).toContain(`peak hour ${EXP.complete.peak}`);
    expect(prov.note).toContain('CC0');
    const sh = spawnSync('bash', ['-c', 'cd "$1" && sha256sum $(LC_ALL=C ls *.txt) | sha256sum', '_', FEED], { encoding: 'utf8' });
    expect(sh.status).toBe(0);
    expect(prov.sha256).toBe(sh.stdout.split(' ')[0]);
  });

  it('as a zip (files at the root or in one folder): the same layers and figures; sha256 of the zip', async () => {
    for (const prefix of ['', 'mini_feed/']) {
      const zip = zipOf(FEED, join(dir, `mini_feed${prefix ? '_nested' : ''}.zip`), prefix);
      expect(detectFormat(memorySource('x.zip', readFileSync(zip)))).toBe('gtfs');
      const { r, p } = await importFeed(zip);
      const stem = prefix ? 'mini_feed_nested' : 'mini_feed';
      expect(r.layers.map((l) => [l.name, l.role, l.count])).toEqual([
        [`${stem}_stations`, 'stations', 5], [`${stem}_entrances`, 'entrances', 3], [`${stem}_rail_lines`, 'rail', 2], [`${stem}_bus_routes`, 'other', 1]]);
      checkStations(p.readFeatures(`${stem}_stations`), EXP.complete.stations);
      expect(r.layers[0].provenance[0].sha256).toBe(createHash('sha256').update(readFileSync(zip)).digest('hex'));
    }
  });

  it('a name given for the feed (as the import wizard gives the file stem) prefixes its layers once', async () => {
    const zip = zipOf(FEED, join(dir, 'mini_feed.zip'));
    const svc = await freshProject();
    expect((await svc.invoke('layers.import', { path: zip, name: 'mini_feed' })).layers.map((l) => l.name)).toEqual(['mini_feed_stations', 'mini_feed_entrances', 'mini_feed_rail_lines', 'mini_feed_bus_routes']);
    expect((await svc.invoke('layers.import', { path: zip, name: 'site' })).layers.map((l) => l.name)).toEqual(['site_mini_feed_stations', 'site_mini_feed_entrances', 'site_mini_feed_rail_lines', 'site_mini_feed_bus_routes']);
  });

  it('the imported stations and entrances are what a catchment walks from: entrances for stations that have them', async () => {
    const { p } = await importFeed(FEED);
    const st = Object.fromEntries(stationsOf(p, {}).stations.map((s) => [s.id, s]));
    expect(Object.keys(st).sort()).toEqual(['BSU', 'BUS1', 'BUS2', 'BUS3', 'TPN']);
    expect(st.BSU).toMatchObject({ name: 'Bang Sue', points: [[100.5305, 13.8035], [100.5295, 13.8025]] });
    expect(st.TPN.points).toEqual([[100.5315, 13.8065]]);
    expect(st.BUS1.points).toEqual([[100.535, 13.8]]);
  });

  it('GDAL reads the layers from the project', async () => {
    const { p } = await importFeed(FEED);
    const path = p.path;
    services.pop()!.close();
    const r = spawnSync('ogrinfo', ['-ro', '-so', '-al', path], { encoding: 'utf8' });
    if (r.error) return; // no GDAL on this machine
    expect(r.stdout).toMatch(/Layer name: mini_feed_stations[\s\S]*?Feature Count: 5/);
    expect(r.stdout).toMatch(/Layer name: mini_feed_rail_lines[\s\S]*?Geometry: Multi Line String[\s\S]*?Feature Count: 2/);
  });
});

describe('GTFS: a feed with only some optional files', () => {
  it('without calendar, calendar_dates, frequencies and shapes: every trip counts once, lines follow the stops', async () => {
    const folder = feedCopy(join(dir, 'partial'), EXP.partial.drop);
    const { byName, feats } = await importFeed(folder);
    checkStations(feats('partial_stations'), Object.fromEntries(Object.entries(EXP.partial.stations as Record<string, Props>).map(([k, v]) => [k, v])));
    checkRoutes([...feats('partial_rail_lines'), ...feats('partial_bus_routes')], EXP.partial.routes);
    const note = byName.partial_stations.provenance[0].note!;
    expect(note).toContain('every trip counted');
    expect(note).toContain(`peak hour ${EXP.partial.peak}`);
  });

  it('stops.txt alone: one stations layer, no service fields, no lines', async () => {
    const folder = feedCopy(join(dir, 'stops_only'), readdirSync(FEED).filter((f) => f !== 'stops.txt'));
    const { r, feats } = await importFeed(folder);
    expect(r.layers.map((l) => l.name)).toEqual(['stops_only_stations', 'stops_only_entrances']);
    expect(r.layers[0].fields.map((f) => f.name)).not.toContain('dep_peak_rail');
    expect(feats('stops_only_stations')).toHaveLength(5);
  });
});

describe('GTFS: route types and formats', () => {
  it('maps basic and extended route types to modes; other numbers are not route types', () => {
    const want: Array<[number, string | null]> = [[0, 'tram'], [1, 'metro'], [2, 'rail'], [3, 'bus'], [4, 'ferry'], [5, 'cable_tram'], [6, 'aerial_lift'],
      [7, 'funicular'], [11, 'trolleybus'], [12, 'monorail'], [101, 'rail'], [109, 'rail'], [200, 'coach'], [401, 'metro'], [405, 'monorail'], [700, 'bus'],
      [800, 'trolleybus'], [900, 'tram'], [1000, 'ferry'], [1100, 'air'], [1200, 'ferry'], [1300, 'aerial_lift'], [1400, 'funicular'], [1500, 'taxi'], [1700, 'other'],
      [8, null], [99, null], [1800, null]];
    for (const [t, m] of want) expect(modeOf(t), String(t)).toBe(m);
  });

  it('a CSV is read as GTFS only when its header has stop_id, stop_lat and stop_lon', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    expect(detectFormat(memorySource('a.csv', enc('"stop_id","stop_name","stop_lat","stop_lon"\n1,a,13.8,100.5\n')))).toBe('gtfs');
    expect(detectFormat(memorySource('a.csv', enc('id,name,lat,lon\n1,a,13.8,100.5\n')))).toBe('csv');
    expect(detectFormat(memorySource('a.zip', zipSync({ 'a.shp': new Uint8Array(4), 'a.dbf': new Uint8Array(4) })))).toBe('shapefile');
  });
});

const MAL = join(FIX, 'malformed');
describe('GTFS: malformed feeds are refused with a coded error and change nothing', () => {
  for (const c of readdirSync(MAL).filter((d) => existsSync(join(MAL, d, 'expected.json'))).sort()) {
    const exp = JSON.parse(readFileSync(join(MAL, c, 'expected.json'), 'utf8')) as { code: string; note: string; contains: string[]; drop?: string[] };
    it(`${c}: ${exp.code} — ${exp.note}`, async () => {
      const folder = feedCopy(join(dir, 'mal', c, 'feed'), exp.drop, join(MAL, c));
      const zip = zipOf(folder, join(dir, 'mal', c, 'in.zip'));
      for (const path of [zip, folder]) {
        const svc = await freshProject(true);
        const p = svc.requireProject();
        const before = p.logicalDigest();
        const layersBefore = p.layers().map((l) => l.name);
        const r = await svc.call('layers.import', { path });
        expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
        if (r.ok) return;
        expect(r.error.code).toBe(exp.code);
        expect(r.error.message).toContain(path === zip ? 'in.zip' : 'feed');
        for (const s of exp.contains) expect(r.error.message).toContain(s);
        expect(p.logicalDigest(), 'nothing written').toBe(before);
        expect(p.layers().map((l) => l.name)).toEqual(layersBefore);
      }
    });
  }
});

const SHARED = join(resolve(new URL('../../..', import.meta.url).pathname, '../shared'), 'realdata');
const STOPS = join(SHARED, 'bang-sue/namtang_gtfs_stops_5km.csv');
const haveShared = existsSync(STOPS) && existsSync('/usr/bin/python3');
if (!haveShared) console.warn(`skipping the shared GTFS stops test: ${STOPS} (or python3) is absent`);

describe.skipIf(!haveShared)('GTFS: the shared Namtang stops file (../shared/realdata)', () => {
  it('imports one station per stop, as Python\'s csv module reads the file, and exports them back unchanged', async () => {
    const py = spawnSync('python3', ['-c', `import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding='utf-8')))
print(json.dumps([[r['stop_id'], float(r['stop_lon']), float(r['stop_lat']), r['stop_name'], r['zone_id']] for r in rows]))`, STOPS], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const want = JSON.parse(py.stdout) as Array<[string, number, number, string, string]>;
    expect(want.length).toBeGreaterThan(500);

    const { svc, r, feats } = await importFeed(STOPS);
    expect(r.layers.map((l) => [l.name, l.role, l.count])).toEqual([['namtang_gtfs_stops_5km_stations', 'stations', want.length]]);
    const prov = r.layers[0].provenance[0];
    expect(prov.sourceFormat).toBe('gtfs');
    expect(prov.sha256).toBe(createHash('sha256').update(readFileSync(STOPS)).digest('hex'));
    expect(prov.note).toContain('asiripanich/bangkok-gtfs');
    expect(prov.note).toContain('no licence stated');
    const got = feats('namtang_gtfs_stops_5km_stations').map((f) => [f.properties.station_id, ...(f.geometry as { coordinates: number[] }).coordinates, f.properties.name, f.properties.zone_id]);
    expect(got).toEqual(want);

    const out = join(dir, 'namtang-stations.geojson');
    await svc.invoke('layers.export', { layers: ['namtang_gtfs_stops_5km_stations'], format: 'geojson', path: out });
    const back = JSON.parse(readFileSync(out, 'utf8')) as { features: Array<{ geometry: { coordinates: number[] }; properties: Props }> };
    const round = back.features.map((f) => [f.properties.station_id, f.geometry.coordinates[0], f.geometry.coordinates[1]]);
    expect(round.length).toBe(want.length);
    round.forEach((g, i) => {
      expect(g[0]).toBe(want[i][0]);
      expect(Math.abs((g[1] as number) - want[i][1])).toBeLessThanOrEqual(1e-9);
      expect(Math.abs((g[2] as number) - want[i][2])).toBeLessThanOrEqual(1e-9);
    });
    rmSync(out);
  });
});
