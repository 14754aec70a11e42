/**
 * Field names made safe for a GeoPackage table and values made storable: the per-value rules
 * every importer's attributes pass through (normalize.ts decides the layer's fields with them).
 */
import type { FieldType, Value } from './types.js';

export const MAX_VALUE_BYTES = 1 << 20;
/** SQLite's default SQLITE_MAX_COLUMN (2000) less the fid and geom columns. */
export const MAX_FIELDS = 1998;
// fid and geom are the table's own columns; __proto__ cannot be a plain object's key (assigning it
// changes the object's prototype, and the value would be lost).
const RESERVED = new Set(['fid', 'geom', '__proto__']);

export function safeFieldNames(raw: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  raw.forEach((name, i) => {
    let base = name.trim().replace(/[\u0000-\u001f]/g, '');
    if (!base) base = `field_${i + 1}`;
    if (base.length > 63) base = base.slice(0, 63);
    let candidate = base;
    let n = 2;
    while (used.has(candidate.toLowerCase()) || RESERVED.has(candidate.toLowerCase())) candidate = `${base}_${n++}`;
    used.add(candidate.toLowerCase());
    out.set(name, candidate);
  });
  return out;
}

export function toValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  return JSON.stringify(v);
}

export function coerce(v: Value, t: FieldType): Value {
  if (v === null) return null;
  if (t === 'TEXT' && typeof v !== 'string') return String(v);
  return v;
}

/** Merge one more value into a field's inferred type: integers and reals make REAL, anything else mixed makes TEXT. */
export function mergeType(t: FieldType | null, v: Value): FieldType | null {
  if (v === null) return t;
  const vt: FieldType = typeof v === 'boolean' ? 'BOOLEAN' : typeof v === 'number' ? (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? 'INTEGER' : 'REAL') : 'TEXT';
  if (t === null || t === vt) return vt;
  return (t === 'INTEGER' && vt === 'REAL') || (t === 'REAL' && vt === 'INTEGER') ? 'REAL' : 'TEXT';
}

export function tooLarge(v: Value): v is string {
  return typeof v === 'string' && v.length > MAX_VALUE_BYTES / 4 && Buffer.byteLength(v) > MAX_VALUE_BYTES;
}
