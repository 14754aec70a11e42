/**
 * Builds plan packages and zips by hand for the attack tests: a signed manifest in the format
 * makePlanPackage writes (core/report/verify-package.ts), signed by any key, and a zip writer that
 * does what a tamperer would (two entries with one name, a declared size that lies, a high-ratio
 * entry). Written from the zip specification (PKWARE APPNOTE 6.3.10, sections 4.3.7, 4.3.12, 4.3.16)
 * rather than with a zip library, because libraries refuse to write most of these.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

export interface Signer { privateKey: KeyObject; publicKeyPem: string; keyId: string }

export function newSigner(): Signer {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
  return { privateKey, publicKeyPem, keyId };
}

/** SHA-256 of the raw 32-byte key: what `ekimae keys` shows, computed here independently of the core. */
export function rawFingerprint(s: Signer): string {
  const der = Buffer.from(s.publicKeyPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha256').update(der.subarray(der.length - 32)).digest('hex');
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** manifest.json and manifest.sig for `files`, signed by `signer` (optionally naming itself). */
export function signManifest(files: Record<string, Uint8Array>, signer: Signer, claimedName?: string, edit?: (m: any) => void): Record<string, Uint8Array> {
  const manifest: any = {
    format: 'ekimae-plan-package/1', createdAt: '2026-12-06T12:00:00.000Z', ekimaeVersion: '0.1.0',
    project: { name: 'Crafted', file: 'crafted.gpkg', logicalDigest: '0'.repeat(64) }, inputs: [],
    files: Object.entries(files).map(([path, b]) => ({ path, sha256: sha256(b), bytes: b.length })),
    omittedPersonalFields: [],
    signature: { algorithm: 'Ed25519', keyId: signer.keyId, publicKey: signer.publicKeyPem, ...(claimedName ? { signer: claimedName } : {}) },
  };
  edit?.(manifest);
  const m = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  return { ...files, 'manifest.json': m, 'manifest.sig': Buffer.from(sign(null, m, signer.privateKey).toString('base64') + '\n') };
}

export interface CraftEntry {
  name: string;
  data?: Uint8Array;
  /** Pre-compressed deflate data with the sizes to declare (they may lie). */
  deflated?: { bytes: Uint8Array; size: number; crc: number };
  store?: boolean;
}

/** A zip with exactly these entries, in this order, duplicates and all. */
export function craftZip(path: string, entries: CraftEntry[]): void {
  const parts: Buffer[] = [], central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let method = 8, crc: number, size: number, body: Uint8Array;
    if (e.deflated) ({ bytes: body, size, crc } = e.deflated);
    else {
      const d = e.data!;
      crc = crc32(d); size = d.length;
      if (e.store) { method = 0; body = d; } else body = deflateRawSync(d);
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x800, 6); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(size, 22); local.writeUInt16LE(name.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(0x800, 8); cd.writeUInt16LE(method, 10);
    cd.writeUInt32LE(crc >>> 0, 16); cd.writeUInt32LE(body.length, 20); cd.writeUInt32LE(size, 24); cd.writeUInt16LE(name.length, 28); cd.writeUInt32LE(offset, 42);
    parts.push(local, name, Buffer.from(body));
    central.push(cd, name);
    offset += 30 + name.length + body.length;
  }
  const cdBuf = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0); eocd.writeUInt16LE(entries.length, 8); eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cdBuf.length, 12); eocd.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...parts, cdBuf, eocd]));
}

/**
 * A deflate stream of `mib` MiB of zeros built without compressing them all: one MiB of zeros
 * compressed with a full flush (which resets the compressor) gives the same block every time, so
 * the block is repeated and an empty final block closes the stream. About 1 KB per MiB (1032:1).
 */
export async function zerosDeflated(mib: number): Promise<{ bytes: Buffer; size: number; crc: number }> {
  const d = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  d.on('data', (b: Buffer) => out.push(b));
  const flush = () => new Promise<Buffer>((r) => d.flush(constants.Z_FULL_FLUSH, () => { const b = Buffer.concat(out); out.length = 0; r(b); }));
  const zeros = Buffer.alloc(1024 * 1024);
  d.write(zeros); const a = await flush();
  d.write(zeros); const b = await flush();
  if (!a.equals(b)) throw new Error('the full-flush block is not repeatable');
  const end = await new Promise<Buffer>((r) => d.end(() => r(Buffer.concat(out))));
  // CRC-32 of N MiB of zeros, folded one MiB at a time (cheap: zeros are never materialised beyond 1 MiB).
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(zeros, crc);
  return { bytes: Buffer.concat([...Array<Buffer>(mib).fill(a), end]), size: mib * 1024 * 1024, crc };
}
