/**
 * A small station-area project for browser tests when sample-data/bang-sue.gpkg is absent:
 * a grid of parcel blocks around Bang Sue Grand Station with land use, floors and a personal
 * owner field, the street grid as a walking network, a rail line and two stations.
 * Deterministic (no randomness), so screenshots are comparable run to run.
 */
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EkimaeService } from '../../core/api/service.js';

export const CENTRE: [number, number] = [100.5403, 13.8047];
const M_LON = 1 / 108_100; // degrees of longitude per metre at 13.8° N
const M_LAT = 1 / 110_600;
export const LAND_USES = ['residential', 'commercial', 'mixed_use', 'civic', 'open_space', 'industrial'] as const;

export interface ParcelGrid { cols: number; rows: number; block: number; street: number }

/** Parcel (i, j) of the grid: its ring and attributes. Parcel ids are P-<i>-<j>. */
export function parcelAt(g: ParcelGrid, i: number, j: number) {
  const w = g.cols * (g.block + g.street);
  const h = g.rows * (g.block + g.street);
  const x0 = -w / 2 + i * (g.block + g.street);
  const y0 = -h / 2 + j * (g.block + g.street);
  const pt = (x: number, y: number): [number, number] => [CENTRE[0] + x * M_LON, CENTRE[1] + y * M_LAT];
  const ring = [pt(x0, y0), pt(x0 + g.block, y0), pt(x0 + g.block, y0 + g.block), pt(x0, y0 + g.block), pt(x0, y0)];
  const centre = pt(x0 + g.block / 2, y0 + g.block / 2);
  return {
    ring, centre,
    properties: {
      parcel_id: `P-${i}-${j}`,
      land_use: LAND_USES[(i * 7 + j * 3) % LAND_USES.length],
      floors: 1 + ((i * 5 + j * 11) % 24),
      far: Math.round((1 + ((i + j) % 8) * 0.75) * 100) / 100,
      land_value: 40_000 + ((i * 13 + j * 17) % 50) * 2_000,
      owner_name: `Owner ${i}-${j}`,
    },
  };
}

export function parcelsGeoJson(g: ParcelGrid): string {
  const features = [];
  for (let j = 0; j < g.rows; j++) {
    for (let i = 0; i < g.cols; i++) {
      const p = parcelAt(g, i, j);
      features.push({ type: 'Feature', properties: p.properties, geometry: { type: 'Polygon', coordinates: [p.ring] } });
    }
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

/** Streets between the blocks, sharing a vertex at every crossing so the walk graph is connected. */
function networkGeoJson(g: ParcelGrid): string {
  const w = g.cols * (g.block + g.street);
  const h = g.rows * (g.block + g.street);
  const pt = (x: number, y: number) => [CENTRE[0] + x * M_LON, CENTRE[1] + y * M_LAT];
  const xs = Array.from({ length: g.cols + 1 }, (_, i) => -w / 2 + i * (g.block + g.street) - g.street / 2);
  const ys = Array.from({ length: g.rows + 1 }, (_, j) => -h / 2 + j * (g.block + g.street) - g.street / 2);
  const features = [];
  for (const [i, x] of xs.entries()) {
    features.push({ type: 'Feature', properties: { highway: i % 4 === 0 ? 'secondary' : 'residential', name: `Soi ${i}` }, geometry: { type: 'LineString', coordinates: ys.map((y) => pt(x, y)) } });
  }
  for (const [j, y] of ys.entries()) {
    features.push({ type: 'Feature', properties: { highway: j % 4 === 0 ? 'secondary' : 'residential', name: `Road ${j}` }, geometry: { type: 'LineString', coordinates: xs.map((x) => pt(x, y)) } });
  }
  return JSON.stringify({ type: 'FeatureCollection', features });
}

function railGeoJson(): string {
  const pt = (x: number, y: number) => [CENTRE[0] + x * M_LON, CENTRE[1] + y * M_LAT];
  return JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { line: 'SRT Dark Red Line', name: 'Dark Red Line' }, geometry: { type: 'LineString', coordinates: [pt(-900, -1400), pt(-300, -400), pt(0, 0), pt(250, 500), pt(700, 1500)] } },
  ] });
}

function stationsGeoJson(): string {
  const pt = (x: number, y: number) => [CENTRE[0] + x * M_LON, CENTRE[1] + y * M_LAT];
  return JSON.stringify({ type: 'FeatureCollection', features: [
    { type: 'Feature', properties: { station_id: 'RN01', name: 'Krung Thep Aphiwat' }, geometry: { type: 'Point', coordinates: pt(0, 0) } },
    { type: 'Feature', properties: { station_id: 'RN02', name: 'Chatuchak' }, geometry: { type: 'Point', coordinates: pt(250, 500) } },
  ] });
}

export const DEFAULT_GRID: ParcelGrid = { cols: 14, rows: 12, block: 70, street: 16 };

/**
 * The project the e2e tests open: the Bang Sue sample when it exists, else the grid above,
 * imported through the service (files written to dir first, as a user would import them).
 */
export async function makeProject(dir: string, opts: { grid?: ParcelGrid; preferSample?: boolean } = {}): Promise<{ path: string; sample: boolean }> {
  const sample = join(process.cwd(), 'sample-data', 'bang-sue.gpkg');
  const path = join(dir, 'bang-sue.gpkg');
  if ((opts.preferSample ?? true) && existsSync(sample)) {
    copyFileSync(sample, path);
    return { path, sample: true };
  }
  const grid = opts.grid ?? DEFAULT_GRID;
  const files: [string, string, string][] = [
    ['parcels.geojson', parcelsGeoJson(grid), 'parcels'],
    ['streets.geojson', networkGeoJson(grid), 'network'],
    ['rail_lines.geojson', railGeoJson(), 'rail'],
    ['stations.geojson', stationsGeoJson(), 'stations'],
  ];
  const svc = new EkimaeService();
  try {
    await svc.invoke('project.create', { path, settings: { name: 'Bang Sue (test)', country: 'TH', currency: 'THB', center: CENTRE } });
    for (const [file, text, role] of files) {
      writeFileSync(join(dir, file), text);
      await svc.invoke('layers.import', { path: join(dir, file), role: role as 'parcels', name: file.replace('.geojson', '') });
    }
  } finally {
    svc.close();
  }
  return { path, sample: false };
}
