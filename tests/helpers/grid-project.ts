/**
 * A small but complete station-area project for engine and report tests: a 9 × 9 street grid
 * (~100 m blocks) around one station, a parcel in every block with land use, floor area, land value
 * and ownership, and a census zone over the whole grid.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EkimaeService } from '../../core/api/service.js';

export const GRID = { LON0: 100.54, LAT0: 13.8, DLON: 0.000925, DLAT: 0.0009 };

export function gridLayers(stationCount: 1 | 2 = 1) {
  const { LON0, LAT0, DLON, DLAT } = GRID;
  const lines = [];
  for (let i = 0; i <= 8; i++) {
    lines.push({ type: 'Feature', properties: { highway: 'residential', name: `Soi ${i}` }, geometry: { type: 'LineString', coordinates: Array.from({ length: 9 }, (_, j) => [LON0 + j * DLON, LAT0 + i * DLAT]) } });
    lines.push({ type: 'Feature', properties: { highway: 'residential', name: `Road ${i}` }, geometry: { type: 'LineString', coordinates: Array.from({ length: 9 }, (_, j) => [LON0 + i * DLON, LAT0 + j * DLAT]) } });
  }
  const parcels = [];
  for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) {
    const x = LON0 + i * DLON + DLON * 0.15, y = LAT0 + j * DLAT + DLAT * 0.15, w = DLON * 0.7, h = DLAT * 0.7;
    parcels.push({ type: 'Feature', properties: {
      parcel_id: `P${i}-${j}`, land_use: (i + j) % 3 === 0 ? 'commercial' : 'residential', floor_area: 2000, floors: 2,
      land_value: 40_000 + 1000 * i, ownership: i === 4 && j === 4 ? 'public' : 'private', owner_name: `Owner ${i * 8 + j}`,
    }, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]] } });
  }
  const census = [{ type: 'Feature', properties: { zone_id: 'Z1', name: 'Grid khwaeng', population: 12_000, households: 4_800, jobs: 6_000 },
    geometry: { type: 'Polygon', coordinates: [[[LON0, LAT0], [LON0 + 8 * DLON, LAT0], [LON0 + 8 * DLON, LAT0 + 8 * DLAT], [LON0, LAT0 + 8 * DLAT], [LON0, LAT0]]] } }];
  const stations = [{ type: 'Feature', properties: { station_id: 'S1', name: 'Central' }, geometry: { type: 'Point', coordinates: [LON0 + 4 * DLON + 0.00005, LAT0 + 4 * DLAT] } }];
  if (stationCount === 2) stations.push({ type: 'Feature', properties: { station_id: 'S2', name: 'West' }, geometry: { type: 'Point', coordinates: [LON0 + 0.00005, LAT0 + 1 * DLAT] } });
  return { lines, parcels, census, stations };
}

/** Create the project in `dir`, import its layers, run the catchment and store the default scenarios. */
export async function makeGridProject(svc: EkimaeService, dir: string, stationCount: 1 | 2 = 1): Promise<string> {
  const l = gridLayers(stationCount);
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  writeFileSync(join(dir, 'streets.geojson'), fc(l.lines));
  writeFileSync(join(dir, 'parcels.geojson'), fc(l.parcels));
  writeFileSync(join(dir, 'census.geojson'), fc(l.census));
  writeFileSync(join(dir, 'stations.geojson'), fc(l.stations));
  const path = join(dir, 'grid.gpkg');
  await svc.invoke('project.create', { path, settings: { name: 'Grid', country: 'TH', currency: 'THB', client: 'Test Client' } });
  await svc.invoke('layers.import', { path: join(dir, 'streets.geojson'), role: 'network' });
  await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
  await svc.invoke('layers.import', { path: join(dir, 'census.geojson'), role: 'census' });
  await svc.invoke('layers.import', { path: join(dir, 'stations.geojson'), role: 'stations' });
  await svc.invoke('catchment.run', {});
  await svc.invoke('scenario.defaults', {});
  return path;
}
