/**
 * The installation's Ed25519 signing key for plan packages: made once, kept in the user's
 * Ekimae folder (EKIMAE_HOME, else ~/.config/ekimae) with owner-only permissions.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function ekimaeHome(): string {
  return process.env.EKIMAE_HOME ?? join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'ekimae');
}

export interface SigningKey { privateKey: KeyObject; publicKeyPem: string; keyId: string }

export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function loadOrCreateSigningKey(): SigningKey {
  const dir = ekimaeHome();
  const path = join(dir, 'signing-key.pem');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const privateKey = createPrivateKey(readFileSync(path));
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem, keyId: keyIdOf(publicKeyPem) };
}
