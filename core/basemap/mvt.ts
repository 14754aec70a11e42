/**
 * Mapbox Vector Tile 2.1 geometry, decoded for the report's SVG basemap (the app's map hands tiles
 * to maplibre as they are). Only what drawing needs: layer names, geometry type and tile-space rings
 * and lines; attributes are read just for `class`/`kind`-like keys a style may use.
 */
import { PbfReader as Pbf } from 'pbf';

export type MvtGeomType = 1 | 2 | 3; // point, line, polygon

export interface MvtFeature {
  type: MvtGeomType;
  /** Parts in tile coordinates (0…extent): points, lines or rings. */
  parts: Array<Array<[number, number]>>;
  props: Record<string, string | number | boolean>;
}

export interface MvtLayer { name: string; extent: number; features: MvtFeature[] }

interface RawFeature { type: number; geometry: number[]; tags: number[] }
interface RawLayer { name: string; extent: number; keys: string[]; values: Array<string | number | boolean>; features: RawFeature[] }

function readValue(pbf: Pbf): string | number | boolean {
  const end = fieldEnd(pbf);
  let v: string | number | boolean = '';
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    const tag = val >> 3;
    if (tag === 1) v = pbf.readString();
    else if (tag === 2) v = pbf.readFloat();
    else if (tag === 3) v = pbf.readDouble();
    else if (tag === 4) v = pbf.readVarint(true);
    else if (tag === 5) v = pbf.readVarint();
    else if (tag === 6) v = pbf.readSVarint();
    else if (tag === 7) v = pbf.readBoolean();
    else pbf.skip(val);
  }
  return v;
}

/** End of a length-delimited field; a length past the tile's end is a damaged tile, not a long loop. */
function fieldEnd(pbf: Pbf): number {
  const end = pbf.readVarint() + pbf.pos;
  if (!Number.isFinite(end) || end > pbf.length) throw new Error('a field runs past the end of the tile');
  return end;
}

/** Packed varints read by hand: pbf's readPackedVarint relies on the wire type its own field loop sets. */
function readPacked(pbf: Pbf, out: number[]): void {
  const end = fieldEnd(pbf);
  while (pbf.pos < end) out.push(pbf.readVarint());
}

function readLayer(pbf: Pbf, end: number): RawLayer {
  const l: RawLayer = { name: '', extent: 4096, keys: [], values: [], features: [] };
  while (pbf.pos < end) {
    const val = pbf.readVarint();
    const tag = val >> 3;
    if (tag === 1) l.name = pbf.readString();
    else if (tag === 2) {
      const fEnd = fieldEnd(pbf);
      const f: RawFeature = { type: 0, geometry: [], tags: [] };
      while (pbf.pos < fEnd) {
        const fv = pbf.readVarint();
        const ft = fv >> 3;
        if (ft === 2) readPacked(pbf, f.tags);
        else if (ft === 3) f.type = pbf.readVarint();
        else if (ft === 4) readPacked(pbf, f.geometry);
        else pbf.skip(fv);
      }
      l.features.push(f);
    } else if (tag === 3) l.keys.push(pbf.readString());
    else if (tag === 4) l.values.push(readValue(pbf));
    else if (tag === 5) l.extent = pbf.readVarint();
    else pbf.skip(val);
  }
  return l;
}

function decodeGeometry(cmds: number[]): Array<Array<[number, number]>> {
  const parts: Array<Array<[number, number]>> = [];
  let x = 0, y = 0, i = 0;
  let cur: Array<[number, number]> | null = null;
  const zz = (n: number) => (n >>> 1) ^ -(n & 1);
  while (i < cmds.length) {
    const c = cmds[i++];
    const id = c & 7, count = c >> 3;
    if (id === 1 || id === 2) {
      for (let k = 0; k < count && i + 1 < cmds.length; k++) {
        x += zz(cmds[i++]); y += zz(cmds[i++]);
        if (id === 1) { cur = [[x, y]]; parts.push(cur); } else cur?.push([x, y]);
      }
    } else if (id === 7) {
      if (cur && cur.length) cur.push([cur[0][0], cur[0][1]]);
    } else break;
  }
  return parts;
}

export function decodeMvt(bytes: Uint8Array): MvtLayer[] {
  const pbf = new Pbf(bytes);
  const layers: MvtLayer[] = [];
  while (pbf.pos < pbf.length) {
    const val = pbf.readVarint();
    if (val >> 3 === 3) {
      const end = fieldEnd(pbf);
      const raw = readLayer(pbf, end);
      layers.push({
        name: raw.name, extent: raw.extent || 4096,
        features: raw.features.filter((f) => f.type >= 1 && f.type <= 3).map((f) => {
          const props: Record<string, string | number | boolean> = {};
          for (let t = 0; t + 1 < f.tags.length; t += 2) {
            const k = raw.keys[f.tags[t]], v = raw.values[f.tags[t + 1]];
            if (k !== undefined && v !== undefined) props[k] = v;
          }
          return { type: f.type as MvtGeomType, parts: decodeGeometry(f.geometry), props };
        }),
      });
    } else pbf.skip(val);
  }
  return layers;
}
