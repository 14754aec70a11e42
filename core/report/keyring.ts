/**
 * Trusted signers: the consultants whose plan packages this installation accepts, by name and by
 * the SHA-256 fingerprint of their raw 32-byte Ed25519 public key. Kept as a small JSON file beside
 * the installation's own signing key (EKIMAE_HOME). A signature only says "someone with this key";
 * the keyring is what turns a key into a name the reviewer recognises. Unknown keys are pinned only
 * when the user says so (trust on first use, fingerprint shown); a new key under a known name always
 * needs explicit acceptance, since that is exactly what an impostor's package looks like.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import { ekimaeHome } from './signing-key.js';

export interface TrustedSigner {
  name: string;
  /** 64 lower-case hex digits: sha256 of the raw public key. */
  fingerprint: string;
  /** SPKI PEM, when the key itself was seen (a fingerprint typed in has none). */
  publicKey: string | null;
  firstSeen: string;
  /** How it came in: imported key or fingerprint, pinned on first use, or an accepted key change. */
  source: 'import' | 'first-use' | 'key-change';
  /** The fingerprint this one replaced (a key change accepted by the user). */
  replaces?: string;
}

interface KeyringFile { format: 'ekimae-keyring/1'; signers: TrustedSigner[] }

const KEYRING_FORMAT = 'ekimae-keyring/1';
export const NAME_MAX = 200;
// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw key is the 32 bytes after it.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function keyringPath(): string {
  return join(ekimaeHome(), 'trusted-signers.json');
}

/**
 * Parses a public key and refuses anything but Ed25519 (RSA, ECDSA, DSA, X25519…) with
 * E_KEY_UNSUPPORTED, so a package or an import can never slip in a weaker or different scheme.
 */
export function ed25519PublicKey(pem: string): KeyObject {
  let key: KeyObject;
  // createPublicKey would also derive a public key from a private one or a certificate: only an SPKI public key is a public key here.
  if (!/^-----BEGIN PUBLIC KEY-----\r?\n/.test(pem.trimStart())) throw new EkimaeError('E_KEY_UNSUPPORTED', 'not a PEM public key (-----BEGIN PUBLIC KEY-----)');
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw new EkimaeError('E_KEY_UNSUPPORTED', `not a readable public key: ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new EkimaeError('E_KEY_UNSUPPORTED', `the key is ${String(key.asymmetricKeyType).toUpperCase()}; plan packages are signed with Ed25519 only`, { keyType: key.asymmetricKeyType });
  return key;
}

export function fingerprintOf(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  if (der.length !== 44 || !der.subarray(0, 12).equals(ED25519_SPKI_PREFIX)) throw new EkimaeError('E_KEY_UNSUPPORTED', 'not an Ed25519 public key');
  return createHash('sha256').update(der.subarray(12)).digest('hex');
}

/** "ab12 cd34 …": sixteen groups of four, easy to read out over the phone. */
export function groupFingerprint(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A fingerprint as typed (spaces, colons, upper case) to its 64-hex form, or null. */
export function parseFingerprint(s: string): string | null {
  const hex = s.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

function checkName(name: string): string {
  const n = name.trim();
  if (n.length < 1 || n.length > NAME_MAX || /[\u0000-\u001f]/.test(n)) throw new EkimaeError('E_INPUT_INVALID', `a signer's name must be 1 to ${NAME_MAX} printable characters`);
  return n;
}

export class Keyring {
  constructor(readonly path: string = keyringPath()) {}

  list(): TrustedSigner[] {
    if (!existsSync(this.path)) return [];
    let f: KeyringFile;
    try {
      f = JSON.parse(readFileSync(this.path, 'utf8')) as KeyringFile;
    } catch (e) {
      throw new EkimaeError('E_KEYRING_INVALID', `${this.path} is not a readable keyring: ${(e as Error).message}`, { path: this.path });
    }
    if (f?.format !== KEYRING_FORMAT || !Array.isArray(f.signers) || !f.signers.every((s) => typeof s?.name === 'string' && typeof s.fingerprint === 'string' && parseFingerprint(s.fingerprint) === s.fingerprint)) {
      throw new EkimaeError('E_KEYRING_INVALID', `${this.path} is not an Ekimae keyring (${KEYRING_FORMAT})`, { path: this.path });
    }
    return f.signers;
  }

  byFingerprint(fp: string): TrustedSigner | undefined {
    return this.list().find((s) => s.fingerprint === fp);
  }

  byName(name: string): TrustedSigner | undefined {
    const k = name.trim().normalize('NFC').toLowerCase();
    return this.list().find((s) => s.name.normalize('NFC').toLowerCase() === k);
  }

  private write(signers: TrustedSigner[]): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ format: KEYRING_FORMAT, signers } satisfies KeyringFile, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /**
   * Pins a key (PEM) or a bare fingerprint under a name. A name already held by another key is
   * refused with E_SIGNER_CHANGED unless `replace` says the user accepted the change.
   */
  add(key: { publicKey?: string; fingerprint?: string }, name: string, opts: { source?: TrustedSigner['source']; replace?: boolean } = {}): TrustedSigner {
    const n = checkName(name);
    let fp: string, pem: string | null = null;
    if (key.publicKey !== undefined) {
      const k = ed25519PublicKey(key.publicKey);
      fp = fingerprintOf(k);
      pem = k.export({ type: 'spki', format: 'pem' }).toString();
    } else {
      const parsed = parseFingerprint(key.fingerprint ?? '');
      if (!parsed) throw new EkimaeError('E_INPUT_INVALID', 'a fingerprint is 64 hex digits (spaces and colons allowed)');
      fp = parsed;
    }
    const signers = this.list();
    const same = signers.find((s) => s.fingerprint === fp);
    if (same) {
      if (same.name === n) return same;
      throw new EkimaeError('E_INPUT_INVALID', `that key is already trusted as "${same.name}"; remove it first to rename it`, { fingerprint: fp, name: same.name });
    }
    const holder = this.byName(n);
    if (holder && !opts.replace) {
      throw new EkimaeError('E_SIGNER_CHANGED', `"${holder.name}" is trusted with another key (${groupFingerprint(holder.fingerprint)}); accept the new key explicitly to replace it`, { name: holder.name, knownFingerprint: holder.fingerprint, fingerprint: fp });
    }
    const entry: TrustedSigner = { name: n, fingerprint: fp, publicKey: pem, firstSeen: nowIso(), source: opts.source ?? 'import', ...(holder ? { replaces: holder.fingerprint } : {}) };
    this.write([...signers.filter((s) => s.fingerprint !== holder?.fingerprint), entry]);
    return entry;
  }

  /** Removes by name or fingerprint; returns what was removed. */
  remove(nameOrFingerprint: string): TrustedSigner {
    const fp = parseFingerprint(nameOrFingerprint);
    const signers = this.list();
    const hit = signers.find((s) => s.fingerprint === fp) ?? this.byName(nameOrFingerprint);
    if (!hit) throw new EkimaeError('E_SIGNER_UNKNOWN', `no trusted signer "${nameOrFingerprint.slice(0, 200)}"`);
    this.write(signers.filter((s) => s.fingerprint !== hit.fingerprint));
    return hit;
  }
}
