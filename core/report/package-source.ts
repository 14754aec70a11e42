/**
 * A plan package as a set of named entries, whether a folder or a zip, read under the same rules:
 * names unique and safe (checkNames), total size capped, entries streamed in chunks rather than
 * loaded whole.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EkimaeError } from '../errors.js';
import { checkNames, defaultLimits, PackageZip, type PackageLimits, type ZipEntry } from './package-zip.js';

export interface PackageSource {
  readonly names: string[];
  size(name: string): number;
  /** A small entry whole; over `max` bytes is refused unread. */
  read(name: string, max: number): Buffer;
  stream(name: string, onChunk: (b: Uint8Array) => void): void;
  close(): void;
}

class ZipSource implements PackageSource {
  private byName: Map<string, ZipEntry>;
  constructor(private zip: PackageZip) {
    this.byName = new Map(zip.entries.filter((e) => !e.name.endsWith('/')).map((e) => [e.name, e]));
  }
  get names() { return [...this.byName.keys()]; }
  size(name: string) { return this.byName.get(name)!.size; }
  read(name: string, max: number) { return this.zip.read(this.byName.get(name)!, max); }
  stream(name: string, onChunk: (b: Uint8Array) => void) { this.zip.stream(this.byName.get(name)!, onChunk); }
  close() { this.zip.close(); }
}

class FolderSource implements PackageSource {
  readonly names: string[] = [];
  private sizes = new Map<string, number>();
  constructor(readonly root: string, limits: PackageLimits) {
    let total = 0;
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        const st = statSync(p);
        const name = relative(root, p).split('\\').join('/');
        if (st.isDirectory()) { walk(p); continue; }
        if (!st.isFile() && !lstatSync(p).isFile()) continue;
        total += st.size;
        if (total > limits.maxTotalBytes) throw new EkimaeError('E_PACKAGE_TOO_LARGE', `${root} was refused: more than ${limits.maxTotalBytes} bytes`, { path: root, problems: [`more than ${limits.maxTotalBytes} bytes`] });
        this.names.push(name);
        this.sizes.set(name, st.size);
      }
    };
    walk(root);
    checkNames(root, this.names);
  }
  size(name: string) { return this.sizes.get(name)!; }
  read(name: string, max: number) {
    if (this.size(name) > max) throw new EkimaeError('E_PACKAGE_INVALID', `${name} is ${this.size(name)} bytes (at most ${max} expected)`, { path: this.root, problems: [`${name} is too large`] });
    const parts: Uint8Array[] = [];
    this.stream(name, (b) => parts.push(b.slice()));
    return Buffer.concat(parts);
  }
  stream(name: string, onChunk: (b: Uint8Array) => void) {
    const fd = openSync(join(this.root, name), 'r');
    try {
      const buf = Buffer.alloc(1 << 20);
      // Never more than the size listed: a file growing while it is read does not change what was checked.
      let left = this.size(name);
      while (left > 0) {
        const n = readSync(fd, buf, 0, Math.min(buf.length, left), null);
        if (n === 0) break;
        left -= n;
        onChunk(buf.subarray(0, n));
      }
    } finally {
      closeSync(fd);
    }
  }
  close() {}
}

export function openPackageSource(path: string, limits: PackageLimits = defaultLimits()): PackageSource {
  if (!existsSync(path)) throw new EkimaeError('E_FILE_NOT_FOUND', `${path} does not exist`, { path });
  return statSync(path).isDirectory() ? new FolderSource(path, limits) : new ZipSource(PackageZip.open(path, limits));
}
