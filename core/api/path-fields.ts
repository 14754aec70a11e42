/**
 * Which fields of a method's input name filesystem paths: every field whose schema is PathSchema,
 * found by walking the contract's zod schemas, so a new method's path fields are covered without a
 * list. Both path policies use it: the desktop's granted paths (electron/path-grants.ts) and browser
 * mode's allowed folders (transports/browser-paths.ts).
 */
import type { z } from 'zod';
import { CONTRACT, type MethodName } from './contract.js';
import { PathSchema } from './schemas/common.js';

export type Key = string | number;

/** The keys (paths into the input) whose schema is PathSchema. */
export function pathFields(schema: z.ZodType, at: Key[] = []): Key[][] {
  if (schema === PathSchema) return [at];
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType } } })._zod.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return pathFields(def.innerType!, at);
  if (def.type === 'object') return Object.entries(def.shape!).flatMap(([k, v]) => pathFields(v, [...at, k]));
  if (def.type === 'array') return pathFields(def.element!, [...at, '*']);
  return [];
}

let FIELDS: Map<MethodName, Key[][]> | null = null;

export function methodPathFields(method: MethodName): Key[][] {
  FIELDS ??= new Map(Object.entries(CONTRACT).map(([m, d]) => [m as MethodName, pathFields(d.input)]));
  return FIELDS.get(method) ?? [];
}

/** The string values at a key (`*` walks an array). */
export function valuesAt(input: unknown, key: Key[]): string[] {
  if (key.length === 0) return typeof input === 'string' ? [input] : [];
  if (input === null || typeof input !== 'object') return [];
  const [k, ...rest] = key;
  if (k === '*') return Array.isArray(input) ? input.flatMap((v) => valuesAt(v, rest)) : [];
  return valuesAt((input as Record<Key, unknown>)[k!], rest);
}

/** Fields that name a folder: report.generate's outDir, a folder package (picked by its manifest.json). */
export const FOLDER_FIELDS: ReadonlySet<string> = new Set(['outDir', 'package']);
