/**
 * Static SVG maps for reports: the project's own geometry projected to the site's local metric
 * CRS (so distances and shapes are true), fitted to a page box, simplified to a fraction of a
 * pixel, with a scale bar and a north arrow. No tiles, no fonts fetched: the map is plain SVG
 * that any browser and PDF printer shows offline.
 */
import { bboxOf, forEachPosition, type BBox, type Geometry, type Position } from '../geo/geometry.js';
import Flatbush from 'flatbush';
import { placeLabels, textWidth, type Box, type LabelRequest } from './labels.js';
import { rasterizeLines, rasterizePolygons, type RasterFeature } from './raster-map.js';

export interface MapStyle {
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
  opacity?: number;
  /** Point symbol radius in px. */
  radius?: number;
  dash?: string;
  /**
   * Stroke only when the frame holds at most this many of the layer's features. Outlines of thousands
   * of parcels a few px wide print as texture and double the PDF's drawing; around one station they
   * tell parcels of one class apart.
   */
  strokeUpTo?: number;
}

export interface MapFeature {
  geometry: Geometry | null;
  /** Overrides the layer style (e.g. colour by land use). */
  fill?: string;
  stroke?: string;
  label?: string;
  /** Labels with a higher priority are placed first (an interchange before a single-line stop). */
  priority?: number;
}

export interface MapLayer {
  name: string;
  style: MapStyle;
  features: MapFeature[];
}

export interface LegendItem { label: string; fill?: string; stroke?: string; kind: 'area' | 'line' | 'point' }

export interface MapOptions {
  width: number;
  height: number;
  /** Extent to show (lon/lat); default: all features. */
  bbox?: BBox;
  legend?: LegendItem[];
  title?: string;
  /** Simplification tolerance in px (Douglas–Peucker). */
  tolerance?: number;
  /** Drawn under the layers, inside the frame (the basemap, svg-basemap.ts). */
  underlay?: ((P: ReturnType<typeof makeProjector>, width: number, height: number) => string) | null;
  /** Words of the map furniture in the report's language (`more(n)`: "n more" at the end of a note cut to the map's width). */
  words?: { north: string; notLabelled: string; more?: (n: number) => string };
  /** Labels the figure names elsewhere (in small maps: each cell's title): not listed again when they find no room here. */
  namedElsewhere?: ReadonlySet<string>;
  /** Per layer: its features drawn by the whole figure this map is part of (small maps), for rasterLayer; default this map's. */
  figureCounts?: Record<string, number>;
}

const LABEL_SIZE = 9;
const NOTE_SIZE = 8;

/**
 * The note naming labels that found no room, cut to `room` px: as many names as fit, then how many
 * more (in a small map the whole list ran across the neighbouring cells). At least the count.
 */
export function notLabelledNote(names: readonly string[], room: number, lead: string, more: (n: number) => string): string {
  const text = (k: number) => `${lead}: ${[...names.slice(0, k), ...(k < names.length ? [more(names.length - k)] : [])].join(', ')}`;
  let k = 0;
  while (k < names.length && textWidth(text(k + 1), NOTE_SIZE) <= room) k++;
  return text(k);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const r1 = (v: number) => Math.round(v * 10) / 10;
/** Lines and areas are written in tenths of a px inside a scale(0.1) group. */
const GEO_SCALE = 10;

function simplify(pts: Position[], tol: number, closed: boolean): Position[] {
  if (pts.length <= (closed ? 4 : 2) || tol <= 0) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, pts.length - 1]];
  const t2 = tol * tol;
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const [ax, ay] = pts[a], [bx, by] = pts[b];
    const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    let best = -1, bestD = t2;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = pts[i];
      let d: number;
      if (len2 === 0) d = (px - ax) ** 2 + (py - ay) ** 2;
      else {
        const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
        d = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2;
      }
      if (d > bestD) { bestD = d; best = i; }
    }
    if (best >= 0) { keep[best] = 1; stack.push([a, best], [best, b]); }
  }
  const out = pts.filter((_, i) => keep[i]);
  return closed && out.length < 4 ? pts : out;
}

/**
 * A projector from lon/lat to page px: a local plane with the WGS 84 radii of curvature at the
 * extent's centre. Over a station area (a few km) it differs from UTM by < 1e-5 relative, and it
 * costs a multiply per coordinate instead of a proj4 call.
 */
export function makeProjector(bbox: BBox, width: number, height: number, margin = 8) {
  const a = 6378137, e2 = 0.0066943799901413165;
  const lat0 = (bbox[1] + bbox[3]) / 2, lon0 = (bbox[0] + bbox[2]) / 2;
  const phi = (lat0 * Math.PI) / 180, w = Math.sqrt(1 - e2 * Math.sin(phi) ** 2);
  const mPerDegY = ((a * (1 - e2)) / w ** 3) * (Math.PI / 180);
  const mPerDegX = (a / w) * Math.cos(phi) * (Math.PI / 180);
  const spanX = (bbox[2] - bbox[0]) * mPerDegX, spanY = (bbox[3] - bbox[1]) * mPerDegY;
  const scale = Math.min((width - 2 * margin) / Math.max(1e-9, spanX), (height - 2 * margin) / Math.max(1e-9, spanY));
  const kx = mPerDegX * scale, ky = mPerDegY * scale;
  const cx = width / 2, cy = height / 2;
  return {
    key: `${bbox.join(',')}|${width}x${height}|${margin}`,
    /** The same projection as coefficients (raster-map.ts paints with them). */
    affine: { cx, cy, lon0, lat0, kx, ky },
    /** metres per px */
    metresPerPx: 1 / scale,
    /** What the map shows (lon/lat): the box fitted, plus what its aspect leaves room for. */
    visible: [lon0 - cx / kx, lat0 - cy / ky, lon0 + cx / kx, lat0 + cy / ky] as BBox,
    project(p: Position): Position {
      return [cx + (p[0] - lon0) * kx, cy - (p[1] - lat0) * ky];
    },
  };
}

/** Each layer's features' boxes in an index, made once per features array (a report draws the same parcels on many maps). */
const frameIndex = new WeakMap<MapFeature[], { index: Flatbush | null; ids: Int32Array; n: number }>();

/**
 * The features that can show in the frame, in their order: a corridor's station map leaves out the
 * parcels of every other station. Through an index: 30 station maps of a 100,000-parcel layer each
 * scanned every parcel's box before.
 */
function inFrame(features: MapFeature[], frame: BBox): MapFeature[] {
  let hit = frameIndex.get(features);
  if (!hit || hit.n !== features.length) {
    const ids: number[] = [];
    const boxes: BBox[] = [];
    features.forEach((f, i) => { if (f.geometry) { const b = bboxOf(f.geometry); if (b.every(Number.isFinite)) { ids.push(i); boxes.push(b); } } });
    const index = ids.length ? new Flatbush(ids.length) : null;
    if (index) { for (const b of boxes) index.add(b[0], b[1], b[2], b[3]); index.finish(); }
    hit = { index, ids: Int32Array.from(ids), n: features.length };
    frameIndex.set(features, hit);
  }
  if (!hit.index) return [];
  const found = Int32Array.from(hit.index.search(frame[0], frame[1], frame[2], frame[3])).sort();
  const out: MapFeature[] = new Array(found.length);
  for (let k = 0; k < found.length; k++) out[k] = features[hit.ids[found[k]]];
  return out;
}

/**
 * A layer drawn as one image when the figure would draw this many of its features as paths (a map,
 * or all the small maps of one figure together), and they are also this dense where drawn (features
 * per page px²: areas under 20 px² a parcel on average, where no shape can be read and outlines print
 * as texture, so they are left out as strokeUpTo does; lines under 5 px² a segment). Below it a map
 * stays vector, which a reader can zoom into in the PDF: the samples' maps (Bang Sue's 14,827 parcels,
 * MAHSR's 19,656 over its station maps). A metropolitan case's are not (100,000 parcels and 200,000
 * street segments in one map; 30 station maps of 3,000 parcels each).
 */
export const RASTER_MIN_FEATURES = 25_000;
export const RASTER_MIN_DENSITY = { area: 0.05, line: 0.2 };

/**
 * The layer as an <image> when its features are many (`count`: in the whole figure) and dense enough
 * here, all areas or all lines in hex colours; null to draw them as paths.
 */
function rasterLayer(shown: MapFeature[], count: number, s: MapStyle, P: ReturnType<typeof makeProjector>, width: number, height: number): string | null {
  if (!shown.length || count < RASTER_MIN_FEATURES || s.dash) return null;
  const kind = (g: Geometry) => (g.type === 'Polygon' || g.type === 'MultiPolygon' ? 'area' : g.type === 'LineString' || g.type === 'MultiLineString' ? 'line' : null);
  const k = kind(shown[0].geometry!);
  if (!k || shown.length / (width * height) < RASTER_MIN_DENSITY[k]) return null;
  const feats: RasterFeature[] = [];
  for (const f of shown) {
    const g = f.geometry!;
    // An area drawn with its own outline is picked out on purpose: the layer stays vector.
    if (kind(g) !== k || (k === 'area' && f.stroke && f.stroke !== 'none')) return null;
    const colour = k === 'area' ? f.fill ?? s.fill : f.stroke ?? s.stroke;
    if (colour && colour !== 'none') feats.push({ geometry: g, fill: colour });
  }
  const r = k === 'area' ? rasterizePolygons(feats, P.affine, width, height) : rasterizeLines(feats, P.affine, width, height, s.strokeWidth ?? 1);
  if (!r) return null;
  return `<image x="0" y="0" width="${width}" height="${height}" preserveAspectRatio="none" data-raster="${r.w}x${r.h}" href="data:image/png;base64,${r.png.toString('base64')}"/>`;
}

/** Path strings per geometry and projector: the same parcels drawn on ten maps are projected once. */
const pathCache = new WeakMap<Geometry, { key: string; d: string }>();

function pathOf(g: Geometry, proj: (p: Position) => Position, tol: number): string {
  // Tenths of a px as integers, relative after the first point: about half the bytes of absolute decimals.
  const line = (pts: Position[], closed: boolean) => {
    const s = simplify(pts.map(proj), tol, closed);
    let px = Math.round(s[0][0] * GEO_SCALE), py = Math.round(s[0][1] * GEO_SCALE);
    let d = `M${px} ${py}`;
    for (let i = 1; i < s.length - (closed ? 1 : 0); i++) {
      const x = Math.round(s[i][0] * GEO_SCALE), y = Math.round(s[i][1] * GEO_SCALE);
      if (x === px && y === py) continue;
      d += `l${x - px}${y - py < 0 ? '' : ' '}${y - py}`;
      px = x; py = y;
    }
    return closed ? d + 'z' : d;
  };
  switch (g.type) {
    case 'LineString': return line(g.coordinates, false);
    case 'MultiLineString': return g.coordinates.map((l) => line(l, false)).join('');
    case 'Polygon': return g.coordinates.map((r) => line(r, true)).join('');
    case 'MultiPolygon': return g.coordinates.map((p) => p.map((r) => line(r, true)).join('')).join('');
    default: return '';
  }
}

function niceScale(metresPerPx: number, maxPx: number): { metres: number; px: number } {
  const raw = metresPerPx * maxPx;
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const m = [5, 2, 1].map((k) => k * pow).find((v) => v <= raw) ?? pow;
  return { metres: m, px: m / metresPerPx };
}

/** A legend swatch (area, line or point) and its label, top left at (x, y). */
function legendEntry(it: LegendItem, x: number, y: number): string {
  const swatch = it.kind === 'area' ? `<rect x="${x}" y="${y}" width="10" height="9" fill="${it.fill ?? 'none'}" stroke="${it.stroke ?? '#555'}" stroke-width="0.6"/>`
    : it.kind === 'line' ? `<path d="M${x} ${y + 5}h10" stroke="${it.stroke ?? '#555'}" stroke-width="2"/>`
      : `<circle cx="${x + 5}" cy="${y + 5}" r="3.5" fill="${it.fill ?? '#555'}"/>`;
  return `${swatch}<text x="${x + 15}" y="${y + 8}" fill="#222">${esc(it.label)}</text>`;
}

export function renderSvgMap(layers: MapLayer[], opts: MapOptions): string {
  const { width, height } = opts;
  let box = opts.bbox;
  if (!box) {
    box = [Infinity, Infinity, -Infinity, -Infinity];
    for (const l of layers) for (const f of l.features) if (f.geometry) forEachPosition(f.geometry, (x, y) => {
      if (x < box![0]) box![0] = x; if (y < box![1]) box![1] = y; if (x > box![2]) box![2] = x; if (y > box![3]) box![3] = y;
    });
    if (!Number.isFinite(box[0])) box = [0, 0, 1, 1];
  }
  const P = makeProjector(box, width, height);
  const tol = opts.tolerance ?? 0.4;
  const parts: string[] = [];
  const labels: LabelRequest[] = [];
  const labelled = new Set<string>();
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(opts.title ?? 'map')}" font-family="'Noto Sans', 'Noto Sans Thai', 'Noto Sans CJK JP', sans-serif">`);
  parts.push(`<rect width="${width}" height="${height}" fill="#f7f6f2"/>`);
  // Ids are document-wide once maps are inlined: maps of one size share one (identical) clip rectangle.
  const clip = `frame-${width}x${height}`;
  parts.push(`<clipPath id="${clip}"><rect width="${width}" height="${height}"/></clipPath><g clip-path="url(#${clip})">`);
  if (opts.underlay) parts.push(opts.underlay(P, width, height));
  for (const l of layers) {
    const shown = inFrame(l.features, P.visible);
    const s = l.style.strokeUpTo !== undefined && shown.length > l.style.strokeUpTo ? { ...l.style, stroke: undefined } : l.style;
    parts.push(`<g data-layer="${esc(l.name)}" fill="${s.fill ?? 'none'}" stroke="${s.stroke ?? 'none'}" stroke-width="${s.strokeWidth ?? 1}"${s.opacity !== undefined ? ` opacity="${s.opacity}"` : ''}${s.dash ? ` stroke-dasharray="${s.dash}"` : ''} stroke-linejoin="round" stroke-linecap="round">`);
    const raster = rasterLayer(shown, opts.figureCounts?.[l.name] ?? shown.length, s, P, width, height);
    if (raster) { parts.push(raster, '</g>'); continue; }
    const paths: string[] = [];
    // Lines and areas of one style become one <path>: a 16k-parcel map is a dozen elements, not 16k.
    const groups = new Map<string, string[]>();
    for (const f of shown) {
      const g = f.geometry!;
      const attrs = `${f.fill ? ` fill="${f.fill}"` : ''}${f.stroke ? ` stroke="${f.stroke}"` : ''}`;
      if (g.type === 'Point' || g.type === 'MultiPoint') {
        const pts = g.type === 'Point' ? [g.coordinates] : g.coordinates;
        for (const p of pts) {
          const [x, y] = P.project(p);
          parts.push(`<circle cx="${r1(x)}" cy="${r1(y)}" r="${s.radius ?? 3}"${attrs}/>`);
          // One label per name (a station's entrances share it), placed once every point is known.
          if (f.label && !labelled.has(f.label) && x >= 0 && y >= 0 && x <= width && y <= height) {
            labelled.add(f.label);
            labels.push({ text: f.label, x, y, r: s.radius ?? 3, priority: f.priority ?? 0 });
          }
        }
        continue;
      }
      let hit = pathCache.get(g);
      if (!hit || hit.key !== P.key) { hit = { key: P.key, d: pathOf(g, P.project, tol) }; pathCache.set(g, hit); }
      if (!hit.d) continue;
      const k = `${attrs}${g.type.endsWith('Polygon') ? ' fill-rule="evenodd"' : ''}`;
      const list = groups.get(k);
      if (list) list.push(hit.d); else groups.set(k, [hit.d]);
    }
    for (const [k, ds] of groups) paths.push(`<path d="${ds.join('')}"${k}/>`);
    if (paths.length) parts.push(`<g transform="scale(${1 / GEO_SCALE})" stroke-width="${(s.strokeWidth ?? 1) * GEO_SCALE}">${paths.join('')}</g>`);
    parts.push('</g>');
  }
  parts.push('</g>');
  // Scale bar (bottom left) and north arrow (top right): UTM grid north ≈ true north within the zone.
  const sb = niceScale(P.metresPerPx, width / 4);
  const sy = height - 14;
  const lh = 13, lw = Math.min(width / 2, Math.max(150, ...(opts.legend ?? []).map((it) => 23 + textWidth(it.label, 9)))), lx = width - lw - 8, ly = height - (opts.legend?.length ?? 0) * lh - 12;
  const reserved: Box[] = [{ x: 6, y: sy - 14, w: sb.px + 30, h: 20 }, { x: width - 28, y: 0, w: 28, h: 34 }];
  if (opts.legend?.length) reserved.push({ x: lx - 4, y: ly - 4, w: lw, h: opts.legend.length * lh + 6 });
  const unnamed = (d: string[]) => (opts.namedElsewhere ? d.filter((t) => !opts.namedElsewhere!.has(t)) : d);
  let { placed, dropped } = placeLabels(labels, { width, height, size: LABEL_SIZE, reserved });
  // The note naming what found no room takes the top left strip: place again without it.
  if (unnamed(dropped).length) ({ placed, dropped } = placeLabels(labels, { width, height, size: LABEL_SIZE, reserved: [...reserved, { x: 0, y: 0, w: width - 30, h: 16 }] }));
  dropped = unnamed(dropped);
  for (const l of placed) {
    if (l.leader) parts.push(`<path d="M${r1(l.leader[0])} ${r1(l.leader[1])}L${r1(l.leader[2])} ${r1(l.leader[3])}" stroke="#444" stroke-width="0.6"/>`);
    parts.push(`<text x="${r1(l.tx)}" y="${r1(l.ty)}" font-size="${LABEL_SIZE}" fill="#222" stroke="#fff" stroke-width="2.5" paint-order="stroke" data-label-box="${[l.box.x, l.box.y, l.box.w, l.box.h].map(r1).join(' ')}">${esc(l.text)}</text>`);
  }
  if (dropped.length) {
    // Nowhere to write them without covering another: named here, never overprinted.
    const note = notLabelledNote(dropped, width - 38, opts.words?.notLabelled ?? 'Not labelled (no room)', opts.words?.more ?? ((n) => `${n} more`));
    parts.push(`<text x="8" y="12" font-size="${NOTE_SIZE}" fill="#444" stroke="#fff" stroke-width="2.5" paint-order="stroke" data-not-labelled="${dropped.length}">${esc(note)}</text>`);
  }
  parts.push(`<g font-size="9" fill="#222"><rect x="10" y="${sy}" width="${r1(sb.px)}" height="4" fill="#222"/><text x="10" y="${sy - 3}">${sb.metres >= 1000 ? `${sb.metres / 1000} km` : `${sb.metres} m`}</text></g>`);
  parts.push(`<g transform="translate(${width - 18} 14)"><path d="M0 -10L5 6L0 3L-5 6Z" fill="#222"/><text y="16" font-size="9" text-anchor="middle">${esc(opts.words?.north ?? 'N')}</text></g>`);
  if (opts.legend?.length) {
    parts.push(`<g font-size="9"><rect x="${lx - 4}" y="${ly - 4}" width="${lw}" height="${opts.legend.length * lh + 6}" fill="#fff" opacity="0.85"/>`);
    opts.legend.forEach((it, i) => {
      parts.push(legendEntry(it, lx, ly + i * lh));
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('');
}

export interface SmallMap { title: string; bbox: BBox }

/**
 * One map per frame, side by side in a grid with a title each and one shared legend below: the sites
 * of a corridor, each at a scale where its parcels can be read. The cells are nested <svg> elements.
 * Columns: at least minColumns, more (up to 6) until the grid is no taller than maxHeight, so that it
 * fits on a page below a chapter's opening text.
 */
export function renderSmallMultiples(layers: MapLayer[], maps: SmallMap[], opts: { width: number; maxHeight: number; minColumns: number; legend?: LegendItem[]; title?: string; words?: MapOptions['words'] }): string {
  const gap = 6, titleH = 13, lh = 13;
  const legend = opts.legend ?? [];
  // Columns as wide as the longest entry (Japanese and Thai class labels run longer than English ones).
  const colW = Math.max(170, ...legend.map((it) => 23 + textWidth(it.label, 9)));
  const legendCols = Math.max(1, Math.floor(opts.width / colW));
  const legendH = legend.length ? Math.ceil(legend.length / legendCols) * lh + 8 : 0;
  const layout = (c: number) => {
    const cols = Math.max(1, Math.min(c, maps.length));
    const cellW = Math.floor((opts.width - gap * (cols - 1)) / cols), cellH = Math.round(cellW * 0.8);
    const rows = Math.ceil(maps.length / cols);
    return { cols, cellW, cellH, rows, height: rows * (titleH + cellH + gap) + legendH };
  };
  let L = layout(opts.minColumns);
  for (let c = opts.minColumns + 1; c <= 6 && L.height > opts.maxHeight && c <= maps.length; c++) L = layout(c);
  const { cols, cellW, cellH, rows, height } = L;
  // Each layer's features over all the cells: many small maps of a few thousand parcels each are as
  // heavy as one map of them all.
  const figureCounts: Record<string, number> = {};
  for (const l of layers) figureCounts[l.name] = maps.reduce((n, m) => n + inFrame(l.features, makeProjector(m.bbox, cellW, cellH).visible).length, 0);
  // A station that finds no room for its label in a neighbour's cell is named by its own cell's title.
  const titles = new Set(maps.map((m) => m.title));
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${opts.width} ${height}" width="${opts.width}" height="${height}" role="img" aria-label="${esc(opts.title ?? 'maps')}" font-family="'Noto Sans', 'Noto Sans Thai', 'Noto Sans CJK JP', sans-serif">`];
  maps.forEach((m, i) => {
    const x = (i % cols) * (cellW + gap), y = Math.floor(i / cols) * (titleH + cellH + gap);
    parts.push(`<text x="${x}" y="${y + 10}" font-size="9.5" font-weight="600" fill="#222">${esc(m.title)}</text>`);
    parts.push(renderSvgMap(layers, { width: cellW, height: cellH, bbox: m.bbox, title: m.title, words: opts.words, figureCounts, namedElsewhere: titles }).replace('<svg ', `<svg x="${x}" y="${y + titleH}" `));
  });
  const ly = rows * (titleH + cellH + gap) + 4;
  legend.forEach((it, i) => {
    parts.push(`<g font-size="9">${legendEntry(it, (i % legendCols) * colW, ly + Math.floor(i / legendCols) * lh)}</g>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
