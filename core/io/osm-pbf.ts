/**
 * OpenStreetMap PBF (.osm.pbf) import, per https://wiki.openstreetmap.org/wiki/PBF_Format:
 * [4-byte length][BlobHeader][Blob] repeated; an OSMHeader blob first, then OSMData blobs holding
 * PrimitiveBlocks (string table, granularity, offsets, DenseNodes or Nodes, Ways; Relations skipped).
 */
import { inflateSync } from 'node:zlib';
import { PbfReader } from 'pbf';
import { EkimaeError } from '../errors.js';
import type { RawLayer } from './normalize.js';
import { highwayLayer, NodeStore, type OsmWay } from './osm-walkable.js';
import type { SourceFile } from './source.js';
import type { ImportOptions } from './types.js';

/** Limits from the format specification. */
const MAX_HEADER = 64 * 1024;
const MAX_BLOB = 32 * 1024 * 1024;
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

class PbfFileError extends Error {}

interface BlobHeader { type: string; datasize: number }
interface Blob { raw?: Uint8Array; rawSize: number; zlib?: Uint8Array; other?: string }

function readBlobHeader(bytes: Uint8Array): BlobHeader {
  return new PbfReader(bytes).readFields<BlobHeader>((tag, h, p) => {
    if (tag === 1) h.type = p.readString();
    else if (tag === 3) h.datasize = p.readVarint();
  }, { type: '', datasize: -1 });
}

const COMPRESSIONS: Record<number, string> = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' };

function blobData(bytes: Uint8Array): Uint8Array {
  const b = new PbfReader(bytes).readFields<Blob>((tag, o, p) => {
    if (tag === 1) o.raw = p.readBytes();
    else if (tag === 2) o.rawSize = p.readVarint();
    else if (tag === 3) o.zlib = p.readBytes();
    else if (COMPRESSIONS[tag]) o.other = COMPRESSIONS[tag];
  }, { rawSize: 0 });
  if (b.raw) return b.raw;
  if (b.zlib) {
    if (b.rawSize > MAX_BLOB) throw new PbfFileError(`a block claims ${b.rawSize} bytes uncompressed (limit ${MAX_BLOB})`);
    const out = inflateSync(b.zlib, { maxOutputLength: MAX_BLOB });
    if (out.length !== b.rawSize) throw new PbfFileError(`a block inflated to ${out.length} bytes, not the ${b.rawSize} it declares`);
    return out;
  }
  if (b.other) throw new PbfFileError(`it uses ${b.other} compression; Ekimae reads zlib-compressed PBF (re-save it with: osmium cat in.osm.pbf -o out.osm.pbf -f pbf,pbf_compression=zlib)`);
  throw new PbfFileError('a block holds no data');
}

function requiredFeatures(bytes: Uint8Array): string[] {
  return new PbfReader(bytes).readFields<string[]>((tag, list, p) => { if (tag === 4) list.push(p.readString()); }, []);
}

interface Block {
  strings: string[];
  granularity: number;
  latOffset: number;
  lonOffset: number;
  groups: Array<[start: number, end: number]>;
}

/** The block header fields come after the groups in the encoding, so groups are located first and decoded once the scale is known. */
function readBlock(bytes: Uint8Array): Block {
  const pbf = new PbfReader(bytes);
  return pbf.readFields<Block>((tag, b, p) => {
    if (tag === 1) {
      const end = p.readVarint() + p.pos;
      p.readFields((t, s: string[], q) => { if (t === 1) s.push(q.readString()); }, b.strings, end);
    } else if (tag === 2) {
      const len = p.readVarint();
      b.groups.push([p.pos, p.pos + len]);
      p.pos += len;
    } else if (tag === 17) b.granularity = p.readVarint();
    else if (tag === 19) b.latOffset = p.readVarint(true);
    else if (tag === 20) b.lonOffset = p.readVarint(true);
  }, { strings: [], granularity: 100, latOffset: 0, lonOffset: 0, groups: [] });
}

function readGroup(pbf: PbfReader, end: number, b: Block, nodes: NodeStore, ways: OsmWay[]): void {
  // Dividing the exact integer by 1e9 gives the double nearest the decimal, the same one the XML text parses to.
  const lat = (v: number) => (b.latOffset + b.granularity * v) / 1e9;
  const lon = (v: number) => (b.lonOffset + b.granularity * v) / 1e9;
  pbf.readFields((tag, _: null, p) => {
    if (tag === 1) {
      const n = p.readMessage((t, o: { id: number; lat: number; lon: number }, q) => {
        if (t === 1) o.id = q.readSVarint();
        else if (t === 8) o.lat = q.readSVarint();
        else if (t === 9) o.lon = q.readSVarint();
      }, { id: 0, lat: 0, lon: 0 });
      nodes.add(n.id, lon(n.lon), lat(n.lat));
    } else if (tag === 2) {
      const d = p.readMessage((t, o: { ids: number[]; lats: number[]; lons: number[] }, q) => {
        if (t === 1) q.readPackedSVarint(o.ids);
        else if (t === 8) q.readPackedSVarint(o.lats);
        else if (t === 9) q.readPackedSVarint(o.lons);
      }, { ids: [], lats: [], lons: [] });
      if (d.lats.length !== d.ids.length || d.lons.length !== d.ids.length) throw new PbfFileError('DenseNodes has id, lat and lon lists of different lengths');
      let id = 0, la = 0, lo = 0;
      for (let i = 0; i < d.ids.length; i++) {
        id += d.ids[i]; la += d.lats[i]; lo += d.lons[i];
        nodes.add(id, lon(lo), lat(la));
      }
    } else if (tag === 3) {
      const w = p.readMessage((t, o: { id: number; keys: number[]; vals: number[]; refs: number[] }, q) => {
        if (t === 1) o.id = q.readVarint();
        else if (t === 2) q.readPackedVarint(o.keys);
        else if (t === 3) q.readPackedVarint(o.vals);
        else if (t === 8) q.readPackedSVarint(o.refs);
      }, { id: 0, keys: [], vals: [], refs: [] });
      const tags: Record<string, string> = {};
      for (let i = 0; i < w.keys.length; i++) {
        const k = b.strings[w.keys[i]], v = b.strings[w.vals[i]];
        if (k === undefined || v === undefined) throw new PbfFileError(`way ${w.id} refers to a string the block's table does not have`);
        tags[k] = v;
      }
      if (!tags.highway) return;
      let ref = 0;
      ways.push({ id: w.id, refs: w.refs.map((r) => (ref += r)), tags });
    }
  }, null, end);
}

/** Node coordinates and highway ways from PBF bytes. */
export function scanOsmPbf(bytes: Uint8Array, file: string): { nodes: NodeStore; ways: OsmWay[] } {
  const nodes = new NodeStore();
  const ways: OsmWay[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let sawHeader = false;
  try {
    while (pos < bytes.length) {
      if (pos + 4 > bytes.length) throw new PbfFileError(`it ends inside a block length at byte ${pos} (truncated)`);
      const headerLen = view.getUint32(pos);
      pos += 4;
      if (headerLen > MAX_HEADER) throw new PbfFileError(`a block header of ${headerLen} bytes at byte ${pos - 4} exceeds the format's limit (is this really a PBF file?)`);
      if (pos + headerLen > bytes.length) throw new PbfFileError(`it ends inside a block header at byte ${pos} (truncated)`);
      const h = readBlobHeader(bytes.subarray(pos, pos + headerLen));
      pos += headerLen;
      if (h.datasize < 0 || h.datasize > MAX_BLOB) throw new PbfFileError(`a block at byte ${pos} has an impossible size ${h.datasize}`);
      if (pos + h.datasize > bytes.length) throw new PbfFileError(`it ends inside a data block (${h.type || "untyped"}) at byte ${pos} (truncated: ${pos + h.datasize - bytes.length} bytes missing)`);
      const blob = bytes.subarray(pos, pos + h.datasize);
      pos += h.datasize;
      if (h.type === 'OSMHeader') {
        const unsupported = requiredFeatures(blobData(blob)).filter((f) => !SUPPORTED_FEATURES.has(f));
        if (unsupported.length) {
          throw new EkimaeError('E_FORMAT_INVALID', `${file} needs PBF features Ekimae does not read: ${unsupported.join(', ')} (it reads OsmSchema-V0.6 and DenseNodes; history and change files are not supported)`, { file, unsupported });
        }
        sawHeader = true;
      } else if (h.type === 'OSMData') {
        if (!sawHeader) throw new PbfFileError('the first block is not an OSMHeader');
        const data = blobData(blob);
        const block = readBlock(data);
        const pbf = new PbfReader(data);
        for (const [start, end] of block.groups) { pbf.pos = start; readGroup(pbf, end, block, nodes, ways); }
      }
      // Unknown block types are skipped, as the specification asks.
    }
  } catch (e) {
    if (e instanceof EkimaeError) throw e;
    const why = e instanceof PbfFileError ? e.message : `its contents are damaged (${(e as Error).message})`;
    throw new EkimaeError('E_FORMAT_INVALID', `${file} cannot be read as OpenStreetMap PBF: ${why}`, { file });
  }
  if (!sawHeader) throw new EkimaeError('E_FORMAT_INVALID', `${file} cannot be read as OpenStreetMap PBF: it has no OSMHeader block`, { file });
  return { nodes, ways };
}

export function parseOsmPbf(src: SourceFile, opts: ImportOptions): RawLayer[] {
  const { nodes, ways } = scanOsmPbf(src.bytes, src.name);
  if (!ways.length) throw new EkimaeError('E_NO_FEATURES', `${src.name} has no highway ways (${nodes.size} nodes read)`, { file: src.name });
  return [highwayLayer(nodes, ways, src.name, 'osm-pbf', opts)];
}
