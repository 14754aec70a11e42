/**
 * Which filesystem paths the renderer may hand to the core. A compromised renderer could otherwise
 * ask the core to read or overwrite any file the user can (export over ~/.bashrc, import ~/.ssh).
 * So the main process grants only paths its own dialogs returned, the app's data folders, the
 * project it started with and the projects in Open Recent (which it keeps itself), and paths the
 * core reported opening; every contract input field that is a path (PathSchema) must be one of
 * these, or the folder holding one (a picked manifest.json's package folder, the folder of a report
 * named in a save dialog). No Electron import, so it is tested as is.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { CONTRACT, type MethodName } from '../core/api/contract.js';
import { PathSchema } from '../core/api/schemas/common.js';
import type { ErrorData } from '../core/api/errors.js';

type Key = string | number;

/** The keys (paths into the input) whose schema is PathSchema, found by walking the method's input schema. */
export function pathFields(schema: z.ZodType, at: Key[] = []): Key[][] {
  if (schema === PathSchema) return [at];
  const def = (schema as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType>; element?: z.ZodType } } })._zod.def;
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') return pathFields(def.innerType!, at);
  if (def.type === 'object') return Object.entries(def.shape!).flatMap(([k, v]) => pathFields(v, [...at, k]));
  if (def.type === 'array') return pathFields(def.element!, [...at, '*']);
  return [];
}

const FIELDS = new Map<MethodName, Key[][]>(Object.entries(CONTRACT).map(([m, d]) => [m as MethodName, pathFields(d.input)]));

export function methodPathFields(method: MethodName): Key[][] {
  return FIELDS.get(method) ?? [];
}

function valuesAt(input: unknown, key: Key[]): string[] {
  if (key.length === 0) return typeof input === 'string' ? [input] : [];
  if (input === null || typeof input !== 'object') return [];
  const [k, ...rest] = key;
  if (k === '*') return Array.isArray(input) ? input.flatMap((v) => valuesAt(v, rest)) : [];
  return valuesAt((input as Record<Key, unknown>)[k!], rest);
}

const norm = (p: string) => resolve(p);
/** Fields that name a folder: report.generate's outDir, a folder package (picked by its manifest.json). */
const FOLDER_FIELDS = new Set(['outDir', 'package']);

export class PathGrants {
  private granted = new Set<string>();
  private roots: string[];

  constructor(roots: string[]) {
    this.roots = roots.filter(Boolean).map(norm);
  }

  /** A path the user chose (dialog), the app started with, or the core reported opening. */
  grant(p: string | null | undefined): void {
    if (typeof p === 'string' && p.length > 0 && isAbsolute(p)) this.granted.add(norm(p));
  }

  /** `folder`: the field names a folder, so the folder holding a granted file will do. */
  allows(p: string, folder = false): boolean {
    if (!isAbsolute(p)) return false;
    const r = norm(p);
    if (this.granted.has(r)) return true;
    if (folder) for (const g of this.granted) if (dirname(g) === r) return true;
    return this.roots.some((root) => {
      const rel = relative(root, r);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`));
    });
  }

  /** E_PATH_NOT_GRANTED naming the field, or null when every path in the input is allowed. */
  check(method: MethodName, input: unknown): ErrorData | null {
    for (const key of methodPathFields(method)) {
      const folder = FOLDER_FIELDS.has(String(key.at(-1)));
      for (const p of valuesAt(input, key)) {
        if (!this.allows(p, folder)) {
          return { code: 'E_PATH_NOT_GRANTED', message: `${method}: ${key.join('.')} "${p.slice(0, 300)}" was not chosen in a file dialog`, details: { field: key.join('.'), path: p.slice(0, 4096) } };
        }
      }
    }
    return null;
  }

  /** Paths in a core answer: the project it opened, the package and review file of a review. */
  grantFromResult(method: MethodName, value: unknown): void {
    if (!value || typeof value !== 'object') return;
    const v = value as { path?: unknown; package?: unknown; reviewFile?: unknown; project?: { path?: unknown } };
    if (method.startsWith('project.')) this.grant(typeof v.path === 'string' ? v.path : null);
    if (method === 'review.open') {
      for (const p of [v.package, v.reviewFile, v.project?.path]) this.grant(typeof p === 'string' ? p : null);
    }
  }
}
