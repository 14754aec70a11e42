/** Which polygon zone holds each parcel centroid: an R-tree of the zones' outer-ring boxes, then point-in-polygon. */
import Flatbush from 'flatbush';
import { pointInPolygons, type Rings } from './parcel-geometry.js';

/** Zone index per centroid, -1 outside every zone; the first zone (in the given order) wins where zones overlap. */
export function zoneOfCentroids(cx: Float64Array, cy: Float64Array, zones: Rings[][]): Int32Array {
  const out = new Int32Array(cx.length).fill(-1);
  if (!zones.length) return out;
  const idx = new Flatbush(zones.length);
  for (const polys of zones) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const poly of polys) for (const [x, y] of poly[0] ?? []) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
    idx.add(x0, y0, x1, y1);
  }
  idx.finish();
  for (let i = 0; i < cx.length; i++) {
    const x = cx[i], y = cy[i];
    if (!Number.isFinite(x)) continue;
    const hits = idx.search(x, y, x, y).sort((a, b) => a - b);
    for (const k of hits) if (pointInPolygons(x, y, zones[k])) { out[i] = k; break; }
  }
  return out;
}
