/**
 * A strict reader for plan-package zips. fflate's unzipSync inflates every entry into memory and
 * keeps the last of two entries with the same name, while GDAL and QGIS read the first one: a
 * tampered plan could hide behind an untouched copy, and a 4 MB zip could inflate to 4 GB. So the
 * central directory is read here, every name must be unique (also after case folding, Unicode
 * normalisation and './' tricks), sizes and ratios are capped before anything is inflated, and
 * entries are inflated in small chunks that are hashed (or written) and dropped.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';
import { EkimaeError } from '../errors.js';

export interface PackageLimits {
  /** Sum of every entry's uncompressed size (default 2 GiB; EKIMAE_PACKAGE_MAX_BYTES overrides). */
  maxTotalBytes: number;
  /** Uncompressed : compressed above this is refused for entries over `ratioFloorBytes` (default 200). */
  maxRatio: number;
  /** Small entries (manifest, signature, tiny files) may compress well without being bombs. */
  ratioFloorBytes: number;
  /** More entries than this is not a plan package (default 64). */
  maxEntries: number;
}

export function defaultLimits(): PackageLimits {
  const env = Number(process.env.EKIMAE_PACKAGE_MAX_BYTES);
  return { maxTotalBytes: Number.isFinite(env) && env > 0 ? env : 2 * 1024 ** 3, maxRatio: 200, ratioFloorBytes: 1024 * 1024, maxEntries: 64 };
}

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the entry's data starts (after its local header). */
  dataOffset: number;
}

const refuse = (path: string, problem: string, code: 'E_PACKAGE_INVALID' | 'E_PACKAGE_TOO_LARGE' | 'E_ZIP_INVALID' = 'E_PACKAGE_INVALID'): never => {
  throw new EkimaeError(code, `${path} was refused: ${problem}`, { path, problems: [problem] });
};

/**
 * The key two names collide on: Unicode NFC, case-folded, './' segments and repeated slashes
 * dropped, backslashes as slashes. Windows, macOS and zip readers each forgive some of these.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\\/g, '/').split('/').filter((s) => s !== '' && s !== '.').join('/');
}

/** A package entry name: relative, forward slashes, no '.', '..', empty segments, controls or drive letters. */
export function isSafeName(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name.includes('\\') || /[\u0000-\u001f:]/.test(name)) return false;
  return name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Throws E_PACKAGE_INVALID for an unsafe name or two names that collide. */
export function checkNames(path: string, names: string[]): void {
  const seen = new Map<string, string>();
  for (const n of names) {
    if (!isSafeName(n)) refuse(path, `unsafe entry name "${n.slice(0, 200)}"`);
    const k = nameKey(n);
    const prior = seen.get(k);
    if (prior !== undefined) refuse(path, prior === n ? `the entry "${n.slice(0, 200)}" appears twice` : `the entries "${prior.slice(0, 200)}" and "${n.slice(0, 200)}" are the same name to some readers`);
    seen.set(k, n);
  }
}

function readAt(fd: number, pos: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, b, got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got === len ? b : b.subarray(0, got);
}

export class PackageZip {
  private constructor(readonly path: string, private fd: number, readonly entries: ZipEntry[]) {}

  /** Reads and checks the central directory; nothing is inflated. */
  static open(path: string, limits: PackageLimits = defaultLimits()): PackageZip {
    const fd = openSync(path, 'r');
    try {
      return new PackageZip(path, fd, PackageZip.directory(path, fd, limits));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private static directory(path: string, fd: number, limits: PackageLimits): ZipEntry[] {
    const fileSize = fstatSync(fd).size;
    const tailLen = Math.min(fileSize, 22 + 0xffff);
    const tail = readAt(fd, fileSize - tailLen, tailLen);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
    if (eocd < 0) refuse(path, 'no zip end-of-central-directory record (not a zip, or truncated)', 'E_ZIP_INVALID');
    const disk = tail.readUInt16LE(eocd + 4), cdDisk = tail.readUInt16LE(eocd + 6);
    const countHere = tail.readUInt16LE(eocd + 8), count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12), cdOffset = tail.readUInt32LE(eocd + 16);
    if (disk !== 0 || cdDisk !== 0 || countHere !== count) refuse(path, 'multi-volume zips are not plan packages');
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) refuse(path, 'zip64 archives are not plan packages');
    if (count > limits.maxEntries) refuse(path, `${count} entries (a plan package has a handful)`);
    if (cdOffset + cdSize > fileSize - tailLen + eocd) refuse(path, 'the central directory lies outside the file', 'E_ZIP_INVALID');
    const cd = readAt(fd, cdOffset, cdSize);
    const entries: ZipEntry[] = [];
    let p = 0, total = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) refuse(path, 'the central directory is damaged', 'E_ZIP_INVALID');
      const flags = cd.readUInt16LE(p + 8), method = cd.readUInt16LE(p + 10), crc = cd.readUInt32LE(p + 16);
      const compressedSize = cd.readUInt32LE(p + 20), size = cd.readUInt32LE(p + 24);
      const nameLen = cd.readUInt16LE(p + 28), extraLen = cd.readUInt16LE(p + 30), commentLen = cd.readUInt16LE(p + 32);
      const localOffset = cd.readUInt32LE(p + 42);
      if (p + 46 + nameLen > cd.length) refuse(path, 'the central directory is damaged', 'E_ZIP_INVALID');
      const rawName = cd.subarray(p + 46, p + 46 + nameLen);
      // Bit 11 says UTF-8; without it the name is CP437, which for the ASCII names a package uses is the same.
      const name = (flags & 0x800) ? new TextDecoder('utf-8', { fatal: true }).decode(rawName) : rawName.toString('latin1');
      p += 46 + nameLen + extraLen + commentLen;
      if (flags & 0x41) refuse(path, `"${name.slice(0, 200)}" is encrypted`);
      if (method !== 0 && method !== 8) refuse(path, `"${name.slice(0, 200)}" uses compression method ${method} (only stored and deflate)`);
      if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) refuse(path, 'zip64 entries are not plan packages');
      total += size;
      if (total > limits.maxTotalBytes) refuse(path, `more than ${limits.maxTotalBytes} bytes uncompressed (the limit; EKIMAE_PACKAGE_MAX_BYTES raises it)`, 'E_PACKAGE_TOO_LARGE');
      if (method === 0 && size !== compressedSize) refuse(path, `"${name.slice(0, 200)}" is stored with two different sizes`, 'E_ZIP_INVALID');
      if (size > limits.ratioFloorBytes && size > limits.maxRatio * Math.max(compressedSize, 1)) {
        refuse(path, `"${name.slice(0, 200)}" would inflate ${Math.round(size / Math.max(compressedSize, 1))}:1 (over ${limits.maxRatio}:1, a zip bomb)`, 'E_PACKAGE_TOO_LARGE');
      }
      // The local header must name the same file: some readers go by it, not by the directory.
      const local = readAt(fd, localOffset, 30);
      if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50) refuse(path, `"${name.slice(0, 200)}" has no local header where the directory says`, 'E_ZIP_INVALID');
      const lNameLen = local.readUInt16LE(26), lExtraLen = local.readUInt16LE(28);
      if (!readAt(fd, localOffset + 30, lNameLen).equals(rawName) || local.readUInt16LE(8) !== method) {
        refuse(path, `the local header of "${name.slice(0, 200)}" does not match the central directory`);
      }
      const dataOffset = localOffset + 30 + lNameLen + lExtraLen;
      if (dataOffset + compressedSize > cdOffset) refuse(path, `"${name.slice(0, 200)}" runs into the central directory`, 'E_ZIP_INVALID');
      entries.push({ name, method: method as 0 | 8, crc, compressedSize, size, dataOffset });
    }
    // Overlapping entries are how the densest zip bombs reuse one compressed stream many times.
    const byOffset = [...entries].sort((a, b) => a.dataOffset - b.dataOffset);
    for (let i = 1; i < byOffset.length; i++) {
      const a = byOffset[i - 1]!;
      if (a.dataOffset + a.compressedSize > byOffset[i]!.dataOffset - 30) refuse(path, `the entries "${a.name.slice(0, 200)}" and "${byOffset[i]!.name.slice(0, 200)}" overlap`);
    }
    checkNames(path, entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name));
    return entries;
  }

  /**
   * Streams one entry's bytes to `onChunk` in pieces of at most a few MB, and refuses an entry that
   * inflates past its declared size or whose CRC-32 differs: memory stays small whatever the zip says.
   */
  stream(entry: ZipEntry, onChunk: (b: Uint8Array) => void): void {
    const IN = 16 * 1024;
    let out = 0, crc = 0;
    const take = (b: Uint8Array) => {
      out += b.length;
      if (out > entry.size) refuse(this.path, `"${entry.name}" inflates past the ${entry.size} bytes it declares`, 'E_PACKAGE_TOO_LARGE');
      crc = crc32(b, crc);
      onChunk(b);
    };
    const inflater = entry.method === 8 ? new Inflate((b) => take(b)) : null;
    try {
      for (let pos = 0; pos < entry.compressedSize; pos += IN) {
        const n = Math.min(IN, entry.compressedSize - pos);
        const chunk = readAt(this.fd, entry.dataOffset + pos, n);
        if (chunk.length !== n) refuse(this.path, `"${entry.name}" is truncated`, 'E_ZIP_INVALID');
        if (inflater) inflater.push(chunk, pos + n >= entry.compressedSize); else take(chunk);
      }
      if (inflater && entry.compressedSize === 0) inflater.push(new Uint8Array(0), true);
    } catch (e) {
      if (e instanceof EkimaeError) throw e;
      refuse(this.path, `"${entry.name}" cannot be inflated: ${(e as Error).message}`, 'E_ZIP_INVALID');
    }
    if (out !== entry.size) refuse(this.path, `"${entry.name}" inflates to ${out} bytes, not the ${entry.size} it declares`, 'E_ZIP_INVALID');
    if ((crc >>> 0) !== entry.crc) refuse(this.path, `"${entry.name}" fails its CRC-32`, 'E_ZIP_INVALID');
  }

  /** A small entry (manifest, signature) as bytes; anything over `max` is refused unread. */
  read(entry: ZipEntry, max: number): Buffer {
    if (entry.size > max) refuse(this.path, `"${entry.name}" is ${entry.size} bytes (at most ${max} expected)`);
    const parts: Uint8Array[] = [];
    this.stream(entry, (b) => parts.push(b.slice()));
    return Buffer.concat(parts);
  }

  close(): void {
    closeSync(this.fd);
  }
}
