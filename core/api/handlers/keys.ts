/** Handlers for the keyring of trusted plan-package signers. */
import type { Handlers } from '../service.js';
import type { KEYS_METHODS } from '../schemas/keys.js';
import { Keyring } from '../../report/keyring.js';

export const keysHandlers: Handlers<keyof typeof KEYS_METHODS> = {
  'keys.list': () => new Keyring().list(),
  'keys.add': ({ name, publicKey, fingerprint, replace }) =>
    new Keyring().add(publicKey !== undefined ? { publicKey } : { fingerprint }, name, { source: replace ? 'key-change' : 'import', replace }),
  'keys.remove': ({ signer }) => new Keyring().remove(signer),
};
