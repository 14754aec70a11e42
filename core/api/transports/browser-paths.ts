/**
 * Which paths browser mode lets a page hand to the core. There are no file dialogs in a browser (files
 * come in as uploads, results go out as downloads, a project or basemap path is typed), so the desktop's
 * "only what a dialog returned" cannot apply. Instead every path field of a call (PathSchema, found from
 * the contract) must lie inside an allowed folder: by default the user's home folder, the temp folder,
 * the folder of the project the server started with, the server's own upload and download folders, and
 * any folder given with `--allow`; and no part of it below that folder may be hidden (a name starting
 * with "."). So a script injected into the page, or a page that learnt the token, can still open a
 * planner's projects but cannot read ~/.ssh/id_ed25519, export over ~/.bashrc or touch /etc.
 * Symbolic links are resolved before the check (a link in the home folder pointing at /etc is /etc).
 */
import { existsSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { MethodName } from '../contract.js';
import type { ErrorData } from '../../errors.js';
import { methodPathFields, valuesAt } from '../path-fields.js';

/** The real path of `p`: its deepest existing ancestor resolved through links, the rest appended. */
function realish(p: string): string {
  let head = resolve(p);
  const tail: string[] = [];
  while (!existsSync(head)) {
    const up = dirname(head);
    if (up === head) break;
    tail.unshift(basename(head));
    head = up;
  }
  let real = head;
  try { real = realpathSync(head); } catch { /* unreadable: keep as typed */ }
  return tail.length ? join(real, ...tail) : real;
}

function realRoot(p: string): string {
  try { return realpathSync(resolve(p)); } catch { return resolve(p); }
}

export interface BrowserPathOptions {
  /** Folders besides the defaults (`npm run serve -- --allow DIR`). */
  allow?: string[];
  /** Replace the defaults (home and temp folders) entirely: tests, or a locked-down reviewer machine. */
  roots?: string[];
}

export class BrowserPathPolicy {
  private roots: string[];

  constructor(opts: BrowserPathOptions = {}) {
    const base = opts.roots ?? [homedir(), tmpdir(), process.env.EKIMAE_DATA_DIR ?? ''];
    this.roots = [...new Set([...base, ...(opts.allow ?? [])].filter(Boolean).map(realRoot))];
  }

  /** The server's own folders and the start-up project's folder. */
  addRoot(p: string | null | undefined): void {
    if (typeof p === 'string' && p && isAbsolute(p)) {
      const r = realRoot(p);
      if (!this.roots.includes(r)) this.roots.push(r);
    }
  }

  get allowedRoots(): readonly string[] { return this.roots; }

  /** Why `p` is refused, or null when allowed. */
  refusal(p: string): string | null {
    if (!isAbsolute(p)) return 'is not an absolute path';
    const r = realish(p);
    let inside = false;
    for (const root of this.roots) {
      const rel = relative(root, r);
      if (rel === '') return null;
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      inside = true;
      if (!rel.split(sep).some((part) => part.startsWith('.'))) return null;
    }
    return inside ? 'is a hidden file or inside a hidden folder' : `is outside the folders browser mode may use (${this.roots.join(', ')}; add one with --allow)`;
  }

  /** E_PATH_NOT_GRANTED naming the field, or null when every path in the input is allowed. */
  check(method: MethodName, input: unknown): ErrorData | null {
    for (const key of methodPathFields(method)) {
      for (const p of valuesAt(input, key)) {
        const why = this.refusal(p);
        if (why) {
          return {
            code: 'E_PATH_NOT_GRANTED',
            message: `${method}: ${key.join('.')} "${p.slice(0, 300)}" ${why}`,
            details: { field: key.join('.'), path: p.slice(0, 4096) },
          };
        }
      }
    }
    return null;
  }
}
