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
import type { MethodName } from '../core/api/contract.js';
import { FOLDER_FIELDS, methodPathFields, valuesAt } from '../core/api/path-fields.js';
import type { ErrorData } from '../core/api/errors.js';

export { methodPathFields, pathFields } from '../core/api/path-fields.js';

const norm = (p: string) => resolve(p);

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
