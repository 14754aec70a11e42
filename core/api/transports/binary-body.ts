/**
 * The binary body of a `binary` method's answer over HTTP (browser mode): typed arrays travel as raw
 * bytes instead of JSON numbers (a 1M-parcel layer is ~60 MB of bytes, where JSON would be ~400 MB and
 * a minute of parsing). Electron's IPC needs none of this: structured clone carries typed arrays as they are.
 *
 *   bytes 0–3   "EKB1"
 *   bytes 4–7   H, the header's length in bytes (uint32, little-endian)
 *   bytes 8…    the header, UTF-8 JSON: { value, buffers: [{ type, offset, length }] } where value is the
 *               answer with each typed array replaced by { "$typed": <index into buffers> }
 *   then        each buffer's bytes (little-endian, as the machine holds them), at `offset` from the
 *               start of the body, 8-byte aligned, in order, without overlap.
 *
 * The reader is renderer/api/binary-body.ts (the renderer takes no values from core/); it checks every
 * length and offset and answers a malformed body with E_BINARY_BODY_INVALID.
 */
export const BINARY_MAGIC = 'EKB1';
export const BINARY_CONTENT_TYPE = 'application/octet-stream';

const TYPES = ['Int8Array', 'Uint8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array'] as const;
type TypedName = (typeof TYPES)[number];

export interface BufferEntry { type: TypedName; offset: number; length: number }

const align8 = (n: number) => (n + 7) & ~7;

/** The body as chunks (written one after the other) and its total length. */
export function encodeBinaryBody(value: unknown): { chunks: Uint8Array[]; bytes: number } {
  const arrays: ArrayBufferView[] = [];
  const json = JSON.stringify(value, (_k, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const type = v.constructor.name as TypedName;
      if (!TYPES.includes(type)) throw new Error(`binary body: cannot carry a ${type}`);
      arrays.push(v);
      return { $typed: arrays.length - 1 };
    }
    return v;
  });
  // Offsets depend on the header's length, which depends on the offsets: fix the width by padding the
  // header with spaces to a length that leaves room for the largest offsets written.
  const entries: BufferEntry[] = arrays.map((a) => ({ type: a.constructor.name as TypedName, offset: 0, length: (a as unknown as { length: number }).length }));
  let headerLen = Buffer.byteLength(JSON.stringify({ value: JSON.parse(json) as unknown, buffers: entries })) + 16 * entries.length + 64;
  for (;;) {
    let at = align8(8 + headerLen);
    for (let i = 0; i < arrays.length; i++) { entries[i].offset = at; at = align8(at + arrays[i].byteLength); }
    const header = Buffer.from(`{"value":${json},"buffers":${JSON.stringify(entries)}}`, 'utf8');
    if (header.length > headerLen) { headerLen = header.length + 64; continue; }
    const head = Buffer.alloc(align8(8 + headerLen), 0x20);
    head.write(BINARY_MAGIC, 0, 'latin1');
    head.writeUInt32LE(headerLen, 4);
    header.copy(head, 8);
    const chunks: Uint8Array[] = [head];
    let pos = head.length;
    for (let i = 0; i < arrays.length; i++) {
      const a = arrays[i];
      chunks.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      pos += a.byteLength;
      const pad = align8(pos) - pos;
      if (pad) { chunks.push(new Uint8Array(pad)); pos += pad; }
    }
    return { chunks, bytes: pos };
  }
}
