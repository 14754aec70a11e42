/**
 * Look at a sample: draw its layers to SVG and screenshot it with headless Chromium.
 * npx tsx sample-data/tools/render.ts <project.gpkg> <out.png> [lon lat halfSizeMetres]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Project } from '../../core/store/project.js';
import type { Geometry, Position } from '../../core/geo/geometry.js';

const COLORS: Record<string, string> = {
  residential: '#f4d58d', commercial: '#e07a5f', office: '#9b5de5', mixed_use: '#f28482', industrial: '#a5a58d', civic: '#4d96ff',
  open_space: '#6bcb77', transport: '#adb5bd', vacant: '#e9ecef', water: '#90e0ef',
};
const RAIL: Record<string, string> = { operating: '#c1121f', under_construction: '#ff9f1c', planned: '#ff9f1c' };

const [file, out, lonS, latS, halfS] = process.argv.slice(2);
const p = Project.open(file, { readOnly: true });
const s = p.settings();
const [lon0, lat0] = lonS ? [Number(lonS), Number(latS)] : (s.center as [number, number]);
const half = Number(halfS ?? 3400);
const SIZE = 1600;
const kx = 111320 * Math.cos((lat0 * Math.PI) / 180), ky = 110574;
const px = ([lon, lat]: Position) => `${(((lon - lon0) * kx + half) / (2 * half) * SIZE).toFixed(1)},${((1 - ((lat - lat0) * ky + half) / (2 * half)) * SIZE).toFixed(1)}`;
const path = (g: Geometry): string => {
  switch (g.type) {
    case 'Polygon': return g.coordinates.map((r) => `M${r.map(px).join('L')}Z`).join('');
    case 'MultiPolygon': return g.coordinates.map((pl) => pl.map((r) => `M${r.map(px).join('L')}Z`).join('')).join('');
    case 'LineString': return `M${g.coordinates.map(px).join('L')}`;
    case 'MultiLineString': return g.coordinates.map((l) => `M${l.map(px).join('L')}`).join('');
    default: return '';
  }
};
const parts: string[] = [];
const names = p.layers().map((l) => l.name);
const layer = (n: string) => (names.includes(n) ? p.readFeatures(n) : []);
for (const f of layer('parcels')) if (f.geometry) parts.push(`<path d="${path(f.geometry)}" fill="${COLORS[String(f.properties.land_use)] ?? '#fff'}" stroke="#777" stroke-width="0.3"/>`);
for (const f of layer('census')) if (f.geometry) parts.push(`<path d="${path(f.geometry)}" fill="none" stroke="#264653" stroke-width="2" stroke-dasharray="8 6"/>`);
for (const f of layer('network')) {
  if (!f.geometry) continue;
  const h = String(f.properties.highway);
  const w = h === 'motorway' ? 2 : ['trunk', 'primary'].includes(h) ? 4 : h === 'secondary' ? 3 : h === 'tertiary' ? 2.2 : 1.1;
  const c = h === 'motorway' ? '#6c757d' : ['footway', 'pedestrian', 'path'].includes(h) ? '#2a9d8f' : '#333';
  parts.push(`<path d="${path(f.geometry)}" fill="none" stroke="${c}" stroke-width="${w}"${h === 'motorway' ? ' stroke-dasharray="6 3"' : ''}/>`);
}
for (const f of layer('rail')) if (f.geometry) parts.push(`<path d="${path(f.geometry)}" fill="none" stroke="${RAIL[String(f.properties.status)]}" stroke-width="3.5"${f.properties.status !== 'operating' ? ' stroke-dasharray="10 5"' : ''}/>`);
for (const f of layer('entrances')) if (f.geometry?.type === 'Point') { const [x, y] = px(f.geometry.coordinates).split(','); parts.push(`<circle cx="${x}" cy="${y}" r="3" fill="#000"/>`); }
for (const f of layer('stations')) {
  if (f.geometry?.type !== 'Point') continue;
  const [x, y] = px(f.geometry.coordinates).split(',');
  parts.push(`<circle cx="${x}" cy="${y}" r="7" fill="#fff" stroke="#000" stroke-width="2.5"/><text x="${Number(x) + 9}" y="${Number(y) - 6}" font-size="15" font-family="Noto Sans" font-weight="bold">${String(f.properties.name)}</text>`);
}
p.close();
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>`;
const svgFile = out.replace(/\.png$/, '.svg');
writeFileSync(svgFile, svg);
execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', `--window-size=${SIZE},${SIZE}`, `--screenshot=${out}`, `file://${svgFile}`], { stdio: 'ignore' });
console.log(`wrote ${out}`);
