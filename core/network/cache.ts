/**
 * The walk graph as one versioned BLOB: a JSON header (counts, components, stats) followed by the
 * typed arrays, each 8-byte aligned. The CSR adjacency is rebuilt on load (tens of ms at 1M edges)
 * rather than stored, which halves the BLOB.
 */
import { EkimaeError } from '../errors.js';
import { assemble, GRAPH_VERSION } from './build.js';
import type { WalkGraph } from './types.js';

const MAGIC = 0x454b5747; // 'EKWG'
const ARRAYS = ['nodeLonLat', 'edgeU', 'edgeV', 'edgeLength', 'edgeFid', 'edgeVStart', 'edgeVEnd', 'vertices'] as const;
type ArrayKey = (typeof ARRAYS)[number];

export function serializeGraph(g: WalkGraph): Buffer {
  const header = Buffer.from(JSON.stringify({
    version: GRAPH_VERSION, components: g.components, stats: g.stats,
    arrays: ARRAYS.map((k) => ({ k, type: g[k].constructor.name, n: g[k].length })),
  }));
  const pad8 = (n: number) => (n + 7) & ~7;
  let size = pad8(12 + header.length);
  for (const k of ARRAYS) size += pad8(g[k].byteLength);
  const out = Buffer.alloc(size);
  out.writeUInt32LE(MAGIC, 0); out.writeUInt32LE(GRAPH_VERSION, 4); out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let off = pad8(12 + header.length);
  for (const k of ARRAYS) {
    const a = g[k];
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += pad8(a.byteLength);
  }
  return out;
}

/** The graph, or null when the BLOB was written by another graph version (then it is rebuilt). */
export function deserializeGraph(blob: Uint8Array): WalkGraph | null {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 12 || buf.readUInt32LE(0) !== MAGIC) throw new EkimaeError('E_PROJECT_INVALID', 'the cached walk graph is damaged');
  if (buf.readUInt32LE(4) !== GRAPH_VERSION) return null;
  const hlen = buf.readUInt32LE(8);
  const h = JSON.parse(buf.subarray(12, 12 + hlen).toString('utf8'));
  const ctor: Record<string, Float64ArrayConstructor | Int32ArrayConstructor> = { Float64Array, Int32Array };
  const arrays = {} as Record<ArrayKey, Float64Array | Int32Array>;
  let off = (12 + hlen + 7) & ~7;
  for (const a of h.arrays as Array<{ k: ArrayKey; type: string; n: number }>) {
    const C = ctor[a.type];
    const bytes = a.n * C.BYTES_PER_ELEMENT;
    // Copy: SQLite's buffer need not be aligned for the typed array.
    const copy = new Uint8Array(bytes);
    copy.set(buf.subarray(off, off + bytes));
    arrays[a.k] = new C(copy.buffer);
    off += (bytes + 7) & ~7;
  }
  return assemble({
    nodeLonLat: arrays.nodeLonLat as Float64Array, edgeU: arrays.edgeU as Int32Array, edgeV: arrays.edgeV as Int32Array,
    edgeLength: arrays.edgeLength as Float64Array, edgeFid: arrays.edgeFid as Float64Array, edgeVStart: arrays.edgeVStart as Int32Array,
    edgeVEnd: arrays.edgeVEnd as Int32Array, vertices: arrays.vertices as Float64Array, stats: h.stats,
  }, h.components);
}
