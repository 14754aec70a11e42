/**
 * Shapefile benchmark (npm run bench -- shapefile): a seeded layer of 100 000 parcels (one hole in
 * every tenth, Thai names, five attributes) written by Ekimae's exporter, then
 *   read:  parseShapefile + normalize of the zip   vs  GDAL `ogr2ogr -f GeoJSON /vsistdout/` of the same .shp
 *   write: writeShapefileZip                       vs  GDAL `ogr2ogr -f "ESRI Shapefile"` from a GeoJSON of it
 * GDAL's times include its process start and its GeoJSON side, so the ratios flatter GDAL a little
 * (named baseline, not a target). Prints medians of BENCH_RUNS runs (default 3); asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Position } from '../geo/geometry.js';
import { normalizeLayer } from './normalize.js';
import { parseShapefile, writeShapefileZip } from './shapefile.js';
import { memorySource } from './source.js';
import type { LayerData } from './types.js';
import { mulberry32 as rng } from '../util/prng.js';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const N = 100_000;


function makeLayer(): LayerData {
  const r = rng(20251125);
  const cols = 400, step = 0.00025;
  const names = ['บางซื่อ', 'เตาปูน', 'จตุจักร', 'ประชาชื่น', 'Bang Sue Grand'];
  const uses = ['residential', 'commercial', 'mixed', 'industrial', 'public'];
  const features: LayerData['features'] = [];
  for (let k = 0; k < N; k++) {
    const x0 = 100.48 + (k % cols) * step, y0 = 13.75 + Math.floor(k / cols) * step;
    const j = () => (r() - 0.5) * step * 0.1;
    const sq = (x: number, y: number, s: number): Position[] => [[x + j(), y + j()], [x + s, y], [x + s, y + s], [x, y + s]];
    const outer = sq(x0, y0, step * 0.9);
    const rings = [[...outer, outer[0]]];
    if (k % 10 === 0) {
      const h = sq(x0 + step * 0.3, y0 + step * 0.3, step * 0.2).reverse();
      rings.push([...h, h[0]]);
    }
    features.push({
      geometry: { type: 'MultiPolygon', coordinates: [rings] },
      properties: {
        parcel_id: `BS-${String(k + 1).padStart(6, '0')}`, name_th: names[k % names.length], land_use: uses[Math.floor(r() * uses.length)],
        far: Math.round(r() * 80) / 10, floors: 1 + Math.floor(r() * 30),
      },
    });
  }
  return {
    name: 'parcels', geometryType: 'MULTIPOLYGON', features,
    fields: [{ name: 'parcel_id', type: 'TEXT' }, { name: 'name_th', type: 'TEXT' }, { name: 'land_use', type: 'TEXT' }, { name: 'far', type: 'REAL' }, { name: 'floors', type: 'INTEGER' }],
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
function gdal(args: string[]): void {
  const p = spawnSync('ogr2ogr', args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (p.status !== 0) throw new Error(`ogr2ogr ${args.join(' ')}: ${p.stderr}`);
}

const dir = mkdtempSync(join(tmpdir(), 'ekimae-shp-bench-'));
try {
  const layer = makeLayer();
  const meta = { exportedAt: '2025-11-25T00:00:00.000Z' };
  let zip: Uint8Array = new Uint8Array();
  const write = Array.from({ length: RUNS }, () => time(() => { zip = writeShapefileZip(layer, meta); }));
  const files = unzipSync(zip);
  for (const [n, b] of Object.entries(files)) writeFileSync(join(dir, n), b);
  let count = 0;
  const read = Array.from({ length: RUNS }, () => time(() => {
    const [raw] = parseShapefile(memorySource('parcels.zip', zip));
    count = normalizeLayer(raw).features.length;
  }));
  const hasGdal = spawnSync('sh', ['-c', 'command -v ogr2ogr']).status === 0;
  console.log(`shapefile benchmark: ${N} parcels (${(zip.length / 1e6).toFixed(1)} MB zip, .shp ${(files['parcels.shp'].length / 1e6).toFixed(1)} MB), ${RUNS} run(s), medians`);
  const tw = median(write), tr = median(read);
  if (!hasGdal) {
    console.log(`  write  ekimae ${(tw / 1000).toFixed(2)} s   (GDAL not installed: no baseline)`);
    console.log(`  read   ekimae ${(tr / 1000).toFixed(2)} s   features ${count}`);
  } else {
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: layer.features.map((f) => ({ type: 'Feature', ...f })) }));
    const gw = median(Array.from({ length: RUNS }, (_, i) => time(() => gdal(['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', join(dir, `g${i}.shp`), join(dir, 'parcels.geojson')]))));
    const gr = median(Array.from({ length: RUNS }, () => time(() => gdal(['-f', 'GeoJSON', '/vsistdout/', join(dir, 'parcels.shp')]))));
    console.log(`  write  ekimae ${(tw / 1000).toFixed(2)} s   ogr2ogr ${(gw / 1000).toFixed(2)} s   ratio ${(tw / gw).toFixed(2)}`);
    console.log(`  read   ekimae ${(tr / 1000).toFixed(2)} s   ogr2ogr ${(gr / 1000).toFixed(2)} s   ratio ${(tr / gr).toFixed(2)}   features ${count}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
