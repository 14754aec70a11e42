/**
 * Verifying a plan package: the entries are exactly the signed manifest's files (no duplicate,
 * unlisted or missing one), each hashes to what the manifest says, the manifest carries a strict
 * Ed25519 signature, and the signer is someone this installation trusts (keyring.ts) — or the
 * user accepts them here, explicitly. With `extractTo`, every listed entry is written there while
 * it is hashed, so a review opens exactly the bytes that were checked.
 */
import { createHash, createPrivateKey, createPublicKey, verify as verifySig } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EkimaeError, type ErrorCode } from '../errors.js';
import { ed25519PublicKey, fingerprintOf, groupFingerprint, Keyring } from './keyring.js';
import { defaultLimits, isSafeName, nameKey, type PackageLimits } from './package-zip.js';
import { openPackageSource } from './package-source.js';
import { ekimaeHome, keyIdOf } from './signing-key.js';

export const PACKAGE_FORMAT = 'ekimae-plan-package/1';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
const MANIFEST_MAX = 4 * 1024 * 1024;
const SIGNATURE_MAX = 1024;

export interface Manifest {
  format: string;
  createdAt: string;
  ekimaeVersion: string;
  project: { name: string; file: string; logicalDigest: string };
  inputs: Array<{ layer: string; file: string; sha256: string }>;
  files: Array<{ path: string; sha256: string; bytes: number }>;
  omittedPersonalFields: Array<{ layer: string; field: string }>;
  /** `signer`: the name the packager gave; only the keyring decides whether it is believed. */
  signature: { algorithm: 'Ed25519'; keyId: string; publicKey: string; signer?: string };
}

export type SignerStatus = 'own' | 'trusted' | 'pinned' | 'unknown' | 'changed';

export interface SignerInfo {
  /** The trusted name from the keyring (null while unknown). */
  name: string | null;
  /** The name the manifest claims (not to be shown as fact). */
  claimedName: string | null;
  fingerprint: string | null;
  status: SignerStatus | null;
  /** For a changed key: the fingerprint the keyring holds for that name. */
  knownFingerprint?: string;
}

export interface VerifyResult {
  ok: boolean;
  keyId: string | null;
  problems: string[];
  files: number;
  signer: SignerInfo;
  /** Why it is not ok, as an error code: E_SIGNER_UNKNOWN, E_SIGNER_CHANGED, E_KEY_UNSUPPORTED or E_PACKAGE_INVALID. */
  code: ErrorCode | null;
}

export interface VerifyOptions {
  /** Only this key id will do (older option, kept for scripts). */
  trustedKeyId?: string;
  keyring?: Keyring;
  /** Pin an unknown signer (trust on first use). With `acceptFingerprint`, only that key. */
  trustNewSigner?: boolean;
  /** Accept a new key for a name the keyring knows with another key. */
  acceptChangedSigner?: boolean;
  /** The key the user was shown and accepted: acceptance applies to it alone. */
  acceptFingerprint?: string;
  /** The name to pin an unknown signer under (default: the name the manifest claims). */
  signerName?: string;
  limits?: PackageLimits;
  extractTo?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
// Exactly 64 bytes in canonical base64: 85 characters plus one alphabet character whose low bits are zero, then '=='.
const SIG_B64 = /^[A-Za-z0-9+/]{85}[AQgw]==$/;

/** The installation's own key's fingerprint, if it has one (verify never creates it). */
function ownFingerprint(): string | null {
  const p = join(ekimaeHome(), 'signing-key.pem');
  if (!existsSync(p)) return null;
  try { return fingerprintOf(createPublicKey(createPrivateKey(readFileSync(p)))); } catch { return null; }
}

function checkManifestShape(m: unknown): string[] {
  const p: string[] = [];
  const o = m as Partial<Manifest> | null;
  if (!o || typeof o !== 'object') return ['manifest.json is not an object'];
  if (o.format !== PACKAGE_FORMAT) p.push(`unknown package format ${String(o.format).slice(0, 100)}`);
  if (!Array.isArray(o.files) || o.files.length === 0 || o.files.length > 60) return [...p, 'the manifest lists no files (or too many)'];
  const keys = new Set<string>();
  for (const f of o.files) {
    if (!f || typeof f.path !== 'string' || !isSafeName(f.path) || typeof f.sha256 !== 'string' || !HEX64.test(f.sha256) || !Number.isSafeInteger(f.bytes) || f.bytes < 0) {
      p.push(`the manifest has a malformed file entry ${JSON.stringify(f).slice(0, 200)}`);
      continue;
    }
    const k = nameKey(f.path);
    if (keys.has(k) || k === nameKey(MANIFEST) || k === nameKey(SIGNATURE)) p.push(`the manifest lists ${f.path} twice`);
    keys.add(k);
  }
  const s = o.signature;
  if (!s || s.algorithm !== 'Ed25519' || typeof s.publicKey !== 'string' || typeof s.keyId !== 'string') p.push('the signature block is not Ed25519 with a public key');
  else if (s.signer !== undefined && (typeof s.signer !== 'string' || s.signer.length > 200 || /[\u0000-\u001f]/.test(s.signer))) p.push('the signer name in the manifest is malformed');
  return p;
}

export function verifyPlanPackage(path: string, opts: VerifyOptions = {}): VerifyResult {
  const src = openPackageSource(path, opts.limits ?? defaultLimits());
  const problems: string[] = [];
  let code: ErrorCode | null = null;
  const signer: SignerInfo = { name: null, claimedName: null, fingerprint: null, status: null };
  const fail = (r: Partial<VerifyResult> = {}): VerifyResult => ({ ok: false, keyId: null, problems, files: src.names.length, signer, code: code ?? 'E_PACKAGE_INVALID', ...r });
  try {
    const present = new Set(src.names);
    if (!present.has(MANIFEST)) { problems.push(`${MANIFEST} is missing`); return fail(); }
    let manifest: Manifest;
    const mBytes = src.read(MANIFEST, MANIFEST_MAX);
    try {
      manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(mBytes)) as Manifest;
    } catch {
      problems.push(`${MANIFEST} is not valid JSON`);
      return fail();
    }
    problems.push(...checkManifestShape(manifest));
    if (problems.length) return fail();
    signer.claimedName = manifest.signature.signer ?? null;

    // Strict signature: an Ed25519 key, canonical base64 of exactly 64 bytes, one line.
    let keyId: string | null = null;
    try {
      const key = ed25519PublicKey(manifest.signature.publicKey);
      signer.fingerprint = fingerprintOf(key);
      if (manifest.signature.publicKey.trim() !== key.export({ type: 'spki', format: 'pem' }).toString().trim()) problems.push('the public key in the manifest is not in canonical SPKI PEM form');
      keyId = keyIdOf(manifest.signature.publicKey);
      if (keyId !== manifest.signature.keyId) problems.push('the key id in the manifest does not match its public key');
      if (!present.has(SIGNATURE)) problems.push(`${SIGNATURE} is missing`);
      else {
        const text = src.read(SIGNATURE, SIGNATURE_MAX).toString('latin1').replace(/\r?\n$/, '');
        if (!SIG_B64.test(text)) problems.push(`${SIGNATURE} is not one Ed25519 signature in base64 (exactly 64 bytes)`);
        else if (!verifySig(null, mBytes, key, Buffer.from(text, 'base64'))) problems.push('the signature does not match manifest.json (the manifest was changed after signing)');
      }
    } catch (e) {
      if (e instanceof EkimaeError && e.code === 'E_KEY_UNSUPPORTED') code = 'E_KEY_UNSUPPORTED';
      problems.push(`the signature block cannot be used: ${(e as Error).message}`);
    }
    if (opts.trustedKeyId && keyId !== opts.trustedKeyId) problems.push(`signed by key ${keyId}, not the trusted key ${opts.trustedKeyId}`);

    // The entries are exactly the listed files: anything unlisted is refused before being read.
    const listed = new Set(manifest.files.map((f) => f.path));
    for (const n of src.names) if (!listed.has(n) && n !== MANIFEST && n !== SIGNATURE) problems.push(`${n} is not listed in the manifest`);
    for (const f of manifest.files) {
      if (!present.has(f.path)) { problems.push(`${f.path} is missing`); continue; }
      if (src.size(f.path) !== f.bytes) { problems.push(`${f.path} has ${src.size(f.path)} bytes, the manifest says ${f.bytes}`); continue; }
    }
    if (problems.some((p) => p.endsWith('is not listed in the manifest'))) return fail({ keyId });
    const writeTo = (name: string) => {
      if (!opts.extractTo) return null;
      const target = join(opts.extractTo, name);
      mkdirSync(dirname(target), { recursive: true });
      return openSync(target, 'wx');
    };
    for (const name of [MANIFEST, SIGNATURE]) {
      if (!present.has(name) || !opts.extractTo) continue;
      const fd = writeTo(name)!;
      try { src.stream(name, (b) => writeSync(fd, b)); } finally { closeSync(fd); }
    }
    for (const f of manifest.files) {
      if (!present.has(f.path) || src.size(f.path) !== f.bytes) continue;
      const h = createHash('sha256');
      const fd = writeTo(f.path);
      try {
        src.stream(f.path, (b) => { h.update(b); if (fd !== null) writeSync(fd, b); });
      } finally {
        if (fd !== null) closeSync(fd);
      }
      if (h.digest('hex') !== f.sha256) problems.push(`${f.path} was changed (sha256 differs)`);
    }
    if (problems.length) return fail({ keyId });

    decideSigner(signer, opts, manifest.signature.publicKey);
    if (signer.status === 'unknown') {
      code = 'E_SIGNER_UNKNOWN';
      problems.push(`signed by an unknown key ${groupFingerprint(signer.fingerprint!)}${signer.claimedName ? ` (claims to be "${signer.claimedName}")` : ''}; trust it explicitly to accept it`);
    } else if (signer.status === 'changed') {
      code = 'E_SIGNER_CHANGED';
      problems.push(`"${signer.claimedName}" is trusted with another key (${groupFingerprint(signer.knownFingerprint!)}); this package is signed by ${groupFingerprint(signer.fingerprint!)}. Accept the key change explicitly only if ${signer.claimedName} confirms it`);
    }
    return problems.length ? fail({ keyId }) : { ok: true, keyId, problems, files: src.names.length, signer, code: null };
  } finally {
    src.close();
  }
}

/** Who signed it, and whether this installation trusts them (pinning when the options accept it). */
function decideSigner(signer: SignerInfo, opts: VerifyOptions, publicKey: string): void {
  const fp = signer.fingerprint!;
  const keyring = opts.keyring ?? new Keyring();
  const known = keyring.byFingerprint(fp);
  if (known) { signer.name = known.name; signer.status = 'trusted'; return; }
  if (fp === ownFingerprint()) { signer.name = signer.claimedName ?? 'this installation'; signer.status = 'own'; return; }
  const name = (opts.signerName ?? signer.claimedName ?? '').trim() || `signer ${fp.slice(0, 8)}`;
  const holder = keyring.byName(name);
  const accepted = opts.acceptFingerprint === undefined || opts.acceptFingerprint === fp;
  if (holder) {
    signer.knownFingerprint = holder.fingerprint;
    signer.claimedName = name;
    if (!(opts.acceptChangedSigner && accepted)) { signer.status = 'changed'; return; }
    signer.name = keyring.add({ publicKey }, name, { source: 'key-change', replace: true }).name;
    signer.status = 'pinned';
    return;
  }
  if (!(opts.trustNewSigner && accepted)) { signer.status = 'unknown'; return; }
  signer.name = keyring.add({ publicKey }, name, { source: 'first-use' }).name;
  signer.status = 'pinned';
}
