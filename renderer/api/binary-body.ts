/**
 * Reads the binary body of a `binary` method's HTTP answer (format: core/api/transports/binary-body.ts,
 * written there; the renderer takes no values from core/, so the reader lives here). Typed arrays are
 * views on the response's own ArrayBuffer: nothing is copied. Every length and offset is checked
 * before a view is made; anything off is E_BINARY_BODY_INVALID, never a partial value.
 */
export const BINARY_MAGIC = 'EKB1';

const CTORS = {
  Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array,
} as const;
type TypedName = keyof typeof CTORS;

export class BinaryBodyError extends Error {
  readonly code = 'E_BINARY_BODY_INVALID';
  constructor(message: string) {
    super(`binary answer: ${message}`);
    this.name = 'BinaryBodyError';
  }
}

const fail = (m: string): never => { throw new BinaryBodyError(m); };
const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

export function decodeBinaryBody(body: ArrayBuffer): unknown {
  const total = body.byteLength;
  if (total < 8) fail(`${total} bytes, shorter than the 8-byte preamble`);
  const bytes = new Uint8Array(body);
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== BINARY_MAGIC) fail(`starts with ${JSON.stringify(magic)}, not ${BINARY_MAGIC}`);
  const headerLen = new DataView(body).getUint32(4, true);
  if (8 + headerLen > total) fail(`header of ${headerLen} bytes runs past the end of a ${total}-byte body`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch {
    fail('the header is not UTF-8 JSON');
  }
  const h = header as { value?: unknown; buffers?: unknown } | null;
  if (!h || typeof h !== 'object' || !('value' in h) || !Array.isArray(h.buffers)) fail('the header has no value and buffers');
  let end = 8 + headerLen;
  const views = (h!.buffers as unknown[]).map((e, i) => {
    const { type, offset, length } = (e ?? {}) as { type?: unknown; offset?: unknown; length?: unknown };
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(CTORS, type)) fail(`buffer ${i} has unknown type ${JSON.stringify(type)}`);
    if (!isInt(offset) || !isInt(length)) fail(`buffer ${i} has no valid offset and length`);
    const ctor = CTORS[type as TypedName];
    const off = offset as number, len = length as number;
    if (off < end) fail(`buffer ${i} at byte ${off} overlaps what comes before it (which ends at ${end})`);
    if (off % ctor.BYTES_PER_ELEMENT !== 0) fail(`buffer ${i} (${type}) at byte ${off} is not aligned`);
    const stop = off + len * ctor.BYTES_PER_ELEMENT;
    if (stop > total) fail(`buffer ${i} (${len} × ${type}) ends at byte ${stop}, past the end of a ${total}-byte body`);
    end = stop;
    return new ctor(body, off, len);
  });
  const used = new Uint8Array(views.length);
  const revive = (v: unknown, depth: number): unknown => {
    if (depth > 32) fail('the value nests too deep');
    if (Array.isArray(v)) return v.map((x) => revive(x, depth + 1));
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$typed') {
        const i = (v as { $typed: unknown }).$typed;
        if (!isInt(i) || i >= views.length) fail(`a value refers to buffer ${JSON.stringify(i)} of ${views.length}`);
        if (used[i as number]) fail(`buffer ${i} is referred to twice`);
        used[i as number] = 1;
        return views[i as number];
      }
      const out: Record<string, unknown> = {};
      for (const k of keys) Object.defineProperty(out, k, { value: revive((v as Record<string, unknown>)[k], depth + 1), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return v;
  };
  const value = revive(h!.value, 0);
  const unused = used.indexOf(0);
  if (unused >= 0) fail(`buffer ${unused} is not referred to`);
  return value;
}
