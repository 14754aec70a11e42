/**
 * Dense polygon layers of a report map as one image instead of one vector path per parcel. A
 * metropolitan map (100,000 parcels in a page-wide frame, a few px² each) written as SVG paths was
 * 77 MB of HTML that the browser took a minute to lay out, and at a million parcels it would not be
 * written at all; painted into pixels at print resolution it is a PNG of a few hundred kB that looks
 * the same, since no parcel there is large enough to be read as a shape.
 *
 * Painting follows SVG's own rules for what the vector map drew: the even-odd fill rule, a pixel
 * painted when its centre lies inside, and the same drawing order (the paths of one fill in order of
 * their first feature, features in order within each). The image is a palette PNG (one byte a pixel,
 * index 0 transparent), deflated by node:zlib.
 */
import { deflateSync } from 'node:zlib';
import type { Geometry } from '../geo/geometry.js';

/** lon/lat to page px: x = cx + (lon − lon0)·kx, y = cy − (lat − lat0)·ky (svg-map.ts makeProjector). */
export interface Affine { cx: number; cy: number; lon0: number; lat0: number; kx: number; ky: number }

/** Pixels per page px: ~290 dpi at the report's 96 px per inch, the resolution of print. */
export const RASTER_SCALE = 3;

/** A polygon with its fill, or a line with its stroke colour: `fill` is the colour either way. */
export interface RasterFeature { geometry: Geometry; fill: string }

/** '#rgb' or '#rrggbb' as 0xRRGGBB; null for anything else (the caller then keeps the vector map). */
export function parseHex(c: string): number | null {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c.trim());
  if (!m) return null;
  const h = m[1].length === 3 ? m[1].split('').map((x) => x + x).join('') : m[1];
  return parseInt(h, 16);
}

const xs: number[] = [];

/**
 * The features' polygons painted at `scale` pixels per page px, `proj` taking lon/lat to page px.
 * Null when a fill is not a hex colour or there are more than 255 fills (a palette image holds
 * 255 colours beside the transparent one).
 */
export function rasterizePolygons(features: RasterFeature[], proj: Affine, width: number, height: number, scale = RASTER_SCALE): { png: Buffer; w: number; h: number } | null {
  return rasterize(features, width, height, scale, (f, w, h, value, px) => paint(f.geometry, proj, scale, w, h, value, px));
}

/**
 * Lines stroked `strokeWidth` page px wide with round ends and joins (SVG's stroke-linecap and
 * -linejoin round): every pixel whose centre lies within half the width of a segment. Null as for
 * rasterizePolygons.
 */
export function rasterizeLines(features: RasterFeature[], proj: Affine, width: number, height: number, strokeWidth: number, scale = RASTER_SCALE): { png: Buffer; w: number; h: number } | null {
  const half = (strokeWidth * scale) / 2;
  const { cx, cy, lon0, lat0 } = proj, kx = proj.kx * scale, ky = proj.ky * scale, ox = cx * scale, oy = cy * scale;
  return rasterize(features, width, height, scale, (f, w, h, value, px) => {
    const g = f.geometry;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
    for (const line of lines) {
      if (!line.length) continue;
      let ax = ox + (line[0][0] - lon0) * kx, ay = oy - (line[0][1] - lat0) * ky;
      if (line.length === 1) stroke(ax, ay, ax, ay, half, w, h, value, px);
      for (let i = 1; i < line.length; i++) {
        const bx = ox + (line[i][0] - lon0) * kx, by = oy - (line[i][1] - lat0) * ky;
        stroke(ax, ay, bx, by, half, w, h, value, px);
        ax = bx; ay = by;
      }
    }
  });
}

/** The features painted group by group (a colour's group in order of its first feature, as the vector map writes one path per colour). */
function rasterize(features: RasterFeature[], width: number, height: number, scale: number,
  draw: (f: RasterFeature, w: number, h: number, value: number, px: Uint8Array) => void): { png: Buffer; w: number; h: number } | null {
  const w = Math.max(1, Math.round(width * scale)), h = Math.max(1, Math.round(height * scale));
  const order = new Map<string, RasterFeature[]>();
  for (const f of features) {
    const list = order.get(f.fill);
    if (list) list.push(f); else order.set(f.fill, [f]);
  }
  if (order.size > 255) return null;
  const palette: number[] = [];
  for (const fill of order.keys()) {
    const rgb = parseHex(fill);
    if (rgb === null) return null;
    palette.push(rgb);
  }
  const px = new Uint8Array(w * h);
  let index = 0;
  for (const list of order.values()) {
    index++;
    for (const f of list) draw(f, w, h, index, px);
  }
  return { png: encodePng(px, w, h, palette), w, h };
}

/** The pixels whose centre lies within `half` of the segment (ax, ay)–(bx, by), in raster px. */
function stroke(ax: number, ay: number, bx: number, by: number, half: number, w: number, h: number, value: number, px: Uint8Array): void {
  const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, h2 = half * half;
  const j0 = Math.max(0, Math.ceil(Math.min(ay, by) - half - 0.5)), j1 = Math.min(h - 1, Math.floor(Math.max(ay, by) + half - 0.5));
  const i0 = Math.max(0, Math.ceil(Math.min(ax, bx) - half - 0.5)), i1 = Math.min(w - 1, Math.floor(Math.max(ax, bx) + half - 0.5));
  for (let j = j0; j <= j1; j++) {
    const y = j + 0.5;
    for (let i = i0; i <= i1; i++) {
      const x = i + 0.5;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2)) : 0;
      const ex = x - ax - t * dx, ey = y - ay - t * dy;
      if (ex * ex + ey * ey <= h2) px[j * w + i] = value;
    }
  }
}

/** Ring coordinates in raster px, reused between polygons. */
let ringBuf = new Float64Array(1024);

/** One feature's polygons (each polygon's rings together, even-odd) into px with `value`. */
function paint(g: Geometry, proj: Affine, scale: number, w: number, h: number, value: number, px: Uint8Array): void {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  const { lon0, lat0 } = proj, kx = proj.kx * scale, ky = proj.ky * scale, ox = proj.cx * scale, oy = proj.cy * scale;
  for (const poly of polys) {
    // Every ring of the polygon in one buffer: ring k at starts[k] .. starts[k + 1].
    let n = 0;
    for (const ring of poly) n += 2 * ring.length;
    if (ringBuf.length < n) ringBuf = new Float64Array(2 * n);
    const r = ringBuf, starts = [0];
    let o = 0;
    for (const ring of poly) {
      for (const p of ring) { r[o++] = ox + (p[0] - lon0) * kx; r[o++] = oy - (p[1] - lat0) * ky; }
      starts.push(o);
    }
    const rings = starts.slice(0, -1).map((s0, k) => r.subarray(s0, starts[k + 1]));
    let y0 = Infinity, y1 = -Infinity;
    for (const r of rings) for (let i = 1; i < r.length; i += 2) { if (r[i] < y0) y0 = r[i]; if (r[i] > y1) y1 = r[i]; }
    // Rows whose centre (j + 0.5) lies within the polygon's extent.
    const j0 = Math.max(0, Math.ceil(y0 - 0.5)), j1 = Math.min(h - 1, Math.floor(y1 - 0.5));
    for (let j = j0; j <= j1; j++) {
      const y = j + 0.5;
      xs.length = 0;
      for (const r of rings) {
        const n = r.length / 2;
        for (let i = 0, k = n - 1; i < n; k = i++) {
          const yi = r[2 * i + 1], yk = r[2 * k + 1];
          if ((yi > y) !== (yk > y)) xs.push(r[2 * i] + ((y - yi) * (r[2 * k] - r[2 * i])) / (yk - yi));
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil(xs[k] - 0.5)), i1 = Math.min(w - 1, Math.floor(xs[k + 1] - 0.5));
        if (i1 >= i0) px.fill(value, j * w + i0, j * w + i1 + 1);
      }
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit palette PNG (PNG 1.2 §4.1): index 0 transparent, index i the colour palette[i − 1]. */
export function encodePng(px: Uint8Array, w: number, h: number, palette: number[]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 3; // bit depth 8, colour type 3 (indexed); compression, filter and interlace 0
  const plte = new Uint8Array(3 * (palette.length + 1));
  palette.forEach((c, i) => { plte[3 * (i + 1)] = c >> 16; plte[3 * (i + 1) + 1] = (c >> 8) & 0xff; plte[3 * (i + 1) + 2] = c & 0xff; });
  const trns = new Uint8Array([0]); // index 0 fully transparent; the others opaque
  // Each row: filter type 0 (none), then its indices.
  const raw = new Uint8Array(h * (w + 1));
  for (let j = 0; j < h; j++) raw.set(px.subarray(j * w, (j + 1) * w), j * (w + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('PLTE', plte), chunk('tRNS', trns),
    chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0)),
  ]);
}
