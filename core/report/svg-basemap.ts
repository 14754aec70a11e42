/**
 * The report map's basemap: the tiles of the user's local archive that cover the map frame, drawn as
 * SVG under the project's layers. Vector tiles become paths (decoded here, projected with the map's
 * own projector, styled like the app's default basemap style); raster tiles become data: images placed
 * at their projected corners. Either way the report stays one self-contained file: nothing is linked,
 * nothing fetched, and it prints the same in any browser or PDF printer.
 */
import type { BBox, Position } from '../geo/geometry.js';
import { readTile, type TileArchive } from '../basemap/archive.js';
import { decodeMvt } from '../basemap/mvt.js';
import { basemapKind, BASEMAP_COLOURS as C, KIND_ORDER, type BasemapKind } from '../basemap/kinds.js';

export interface Projector { project(p: Position): Position; visible: BBox; metresPerPx: number }
export type MapUnderlay = (P: Projector, width: number, height: number) => string;

/** Most tiles one map draws; past it the zoom steps down (a corridor-wide frame). */
const MAX_TILES = 36;
const r1 = (v: number) => Math.round(v * 10) / 10;

const lon2x = (lon: number, n: number) => ((lon + 180) / 360) * n;
const lat2y = (lat: number, n: number) => {
  const r = (Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n;
};
const x2lon = (x: number, n: number) => (x / n) * 360 - 180;
const y2lat = (y: number, n: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;

/** The zoom whose 256 px tiles match the map's scale, within the archive's zooms and the tile budget. */
export function pickZoom(P: Projector, minzoom: number, maxzoom: number): number {
  const lat = (P.visible[1] + P.visible[3]) / 2;
  const ideal = Math.round(Math.log2((156543.03392804097 * Math.cos((lat * Math.PI) / 180)) / P.metresPerPx));
  let z = Math.max(minzoom, Math.min(maxzoom, ideal));
  while (z > minzoom && tilesAt(P.visible, z).length > MAX_TILES) z--;
  return z;
}

export function tilesAt(b: BBox, z: number): Array<[number, number]> {
  const n = 2 ** z;
  const x0 = Math.max(0, Math.floor(lon2x(b[0], n))), x1 = Math.min(n - 1, Math.floor(lon2x(b[2], n)));
  const y0 = Math.max(0, Math.floor(lat2y(b[3], n))), y1 = Math.min(n - 1, Math.floor(lat2y(b[1], n)));
  const out: Array<[number, number]> = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push([x, y]);
  return out;
}

type Paint = { fill?: string; stroke?: string; width?: number; dash?: string };
function paintsOf(kind: BasemapKind | null, type: 1 | 2 | 3): Paint[] {
  if (type === 3) {
    const fill = kind === 'earth' ? C.earth : kind === 'landcover' ? C.landcover : kind === 'park' ? C.park : kind === 'water' ? C.water
      : kind === 'building' ? C.building : kind === null ? C.otherFill : null;
    if (!fill) return [];
    return [{ fill, ...(kind === 'building' ? { stroke: C.buildingLine, width: 0.4 } : kind === null ? { stroke: C.otherLine, width: 0.5 } : {}) }];
  }
  if (type === 2) {
    if (kind === 'road') return [{ stroke: C.roadCasing, width: 2.6 }, { stroke: C.road, width: 1.6 }];
    if (kind === 'water' || kind === 'waterway') return [{ stroke: C.water, width: 1.2 }];
    if (kind === 'rail') return [{ stroke: C.rail, width: 1, dash: '3 2' }];
    if (kind === 'boundary') return [{ stroke: C.boundary, width: 0.8, dash: '4 2' }];
    if (kind === null) return [{ stroke: C.otherLine, width: 0.7 }];
    return [];
  }
  return kind === null ? [{ fill: C.otherPoint }] : [];
}

/** The underlay for one archive (an empty string where the archive has no tile). */
export function basemapUnderlay(archive: TileArchive): MapUnderlay {
  return (P) => {
    const { minzoom, maxzoom, format } = archive.info;
    const z = pickZoom(P, minzoom, maxzoom);
    const n = 2 ** z;
    const tiles = tilesAt(P.visible, z);
    const parts: string[] = [];
    if (format !== 'pbf') {
      const mime = format === 'jpg' ? 'image/jpeg' : `image/${format}`;
      for (const [x, y] of tiles) {
        const b = readTile(archive, z, x, y);
        if (!b) continue;
        const [ax, ay] = P.project([x2lon(x, n), y2lat(y, n)]), [bx, by] = P.project([x2lon(x + 1, n), y2lat(y + 1, n)]);
        parts.push(`<image x="${r1(ax)}" y="${r1(ay)}" width="${r1(bx - ax)}" height="${r1(by - ay)}" preserveAspectRatio="none" href="data:${mime};base64,${b.toString('base64')}"/>`);
      }
      return parts.length ? `<g data-layer="basemap">${parts.join('')}</g>` : '';
    }
    // Paths of one kind and paint become one <path>, drawn in KIND_ORDER.
    const groups = new Map<string, { order: number; type: 1 | 2 | 3; paint: Paint; d: string[] }>();
    for (const [x, y] of tiles) {
      const b = readTile(archive, z, x, y);
      if (!b) continue;
      let layers: ReturnType<typeof decodeMvt>;
      try {
        layers = decodeMvt(b);
      } catch {
        continue; // a damaged tile leaves a gap in the basemap, not a failed report
      }
      for (const layer of layers) {
        const kind = basemapKind(layer.name);
        const order = KIND_ORDER.indexOf(kind);
        const to = ([px, py]: [number, number]): Position => P.project([x2lon(x + px / layer.extent, n), y2lat(y + py / layer.extent, n)]);
        for (const f of layer.features) {
          const paints = paintsOf(kind, f.type);
          if (!paints.length) continue;
          let d = '';
          if (f.type === 1) {
            for (const part of f.parts) for (const p of part) { const [sx, sy] = to(p); d += `M${r1(sx)} ${r1(sy)}h0`; }
          } else {
            for (const part of f.parts) {
              if (part.length < 2) continue;
              d += part.map((p, i) => { const [sx, sy] = to(p); return `${i ? 'L' : 'M'}${r1(sx)} ${r1(sy)}`; }).join('') + (f.type === 3 ? 'Z' : '');
            }
          }
          if (!d) continue;
          paints.forEach((paint, i) => {
            const key = `${order}|${f.type}|${i}|${JSON.stringify(paint)}`;
            const g = groups.get(key);
            if (g) g.d.push(d); else groups.set(key, { order: order * 10 + i + (f.type === 3 ? 0 : 5), type: f.type, paint, d: [d] });
          });
        }
      }
    }
    for (const g of [...groups.values()].sort((a, b) => a.order - b.order)) {
      const p = g.paint;
      const isPoint = g.type === 1;
      const attrs = isPoint
        ? `fill="none" stroke="${p.fill}" stroke-width="3" stroke-linecap="round"`
        : `fill="${p.fill ?? 'none'}" fill-rule="evenodd" stroke="${p.stroke ?? 'none'}" stroke-width="${p.width ?? 1}"${p.dash ? ` stroke-dasharray="${p.dash}"` : ''} stroke-linejoin="round" stroke-linecap="round"`;
      parts.push(`<path d="${g.d.join('')}" ${attrs}/>`);
    }
    return parts.length ? `<g data-layer="basemap">${parts.join('')}</g>` : '';
  };
}
