/** Trusted signers of plan packages: the keyring in the user's Ekimae folder (core/report/keyring.ts). */
import { z } from 'zod';
import { NAME_MAX } from '../../report/keyring.js';

const SignerNameSchema = z.string().max(NAME_MAX * 2).refine((s) => s.trim().length >= 1 && s.trim().length <= NAME_MAX, `name must be 1 to ${NAME_MAX} characters`);
/** 64 hex digits; spaces and colons as people copy them are allowed. */
export const FingerprintSchema = z.string().max(200).refine((s) => /^[0-9a-f]{64}$/.test(s.replace(/[\s:]/g, '').toLowerCase()), 'a fingerprint is 64 hex digits');

export const TrustedSignerSchema = z.object({
  name: z.string(), fingerprint: z.string(), publicKey: z.string().nullable(), firstSeen: z.string(),
  source: z.enum(['import', 'first-use', 'key-change']), replaces: z.string().optional(),
});

export const SignerInfoSchema = z.object({
  name: z.string().nullable(), claimedName: z.string().nullable(), fingerprint: z.string().nullable(),
  status: z.enum(['own', 'trusted', 'pinned', 'unknown', 'changed']).nullable(), knownFingerprint: z.string().optional(),
});

export const KEYS_METHODS = {
  'keys.list': {
    description: 'The trusted signers of plan packages: name, SHA-256 fingerprint of the Ed25519 key, when first seen.',
    input: z.object({}).strict(),
    output: z.array(TrustedSignerSchema),
  },
  'keys.add': {
    description: 'Trust a signer: an Ed25519 public key (SPKI PEM text) or its fingerprint, under a name. A name that has another key needs replace: true.',
    input: z.object({ name: SignerNameSchema, publicKey: z.string().max(10_000).optional(), fingerprint: FingerprintSchema.optional(), replace: z.boolean().optional() }).strict()
      .refine((v) => (v.publicKey === undefined) !== (v.fingerprint === undefined), 'give a publicKey or a fingerprint (one of them)'),
    output: TrustedSignerSchema,
  },
  'keys.remove': {
    description: 'Stop trusting a signer (by name or fingerprint).',
    input: z.object({ signer: z.string().min(1).max(NAME_MAX * 2) }).strict(),
    output: TrustedSignerSchema,
  },
} as const;
