/**
 * Asks the reviewer, explicitly, whether to trust a plan package's signer the first time (or when a
 * known consultant's key changed). Shows the key's fingerprint to compare with what the sender reads
 * out; accepting pins that exact key in the keyring (docs/REVIEW.md, "Who signed it").
 */
import { useEffect, useRef, useState } from 'react';
import { UiError } from '../api/client.js';
import { useT } from '../i18n/index.js';

export interface PendingSigner {
  code: 'E_SIGNER_UNKNOWN' | 'E_SIGNER_CHANGED';
  fingerprint: string;
  claimedName: string | null;
  knownFingerprint: string | null;
}

/** The signer a review.open refusal asks about, or null for any other error. */
export function pendingSignerOf(e: unknown): PendingSigner | null {
  if (!(e instanceof UiError) || (e.code !== 'E_SIGNER_UNKNOWN' && e.code !== 'E_SIGNER_CHANGED')) return null;
  const s = (e.details as { signer?: { fingerprint?: unknown; claimedName?: unknown; knownFingerprint?: unknown } } | undefined)?.signer;
  if (typeof s?.fingerprint !== 'string' || !/^[0-9a-f]{64}$/.test(s.fingerprint)) return null;
  return {
    code: e.code, fingerprint: s.fingerprint, claimedName: typeof s.claimedName === 'string' ? s.claimedName : null,
    knownFingerprint: typeof s.knownFingerprint === 'string' ? s.knownFingerprint : null,
  };
}

/** Sixteen groups of four hex digits. */
export function groupFingerprint(fp: string): string {
  return fp.replace(/(.{4})(?=.)/g, '$1 ');
}

export function SignerDialog({ pending, packageName, busy, onAccept, onCancel }: {
  pending: PendingSigner; packageName: string; busy: boolean; onAccept(name: string): void; onCancel(): void;
}) {
  const t = useT();
  const [name, setName] = useState(pending.claimedName ?? '');
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Cancel is the default: accepting a key must be a deliberate act.
  useEffect(() => { cancelRef.current?.focus(); }, []);
  const changed = pending.code === 'E_SIGNER_CHANGED';
  const ok = name.trim().length >= 1 && name.trim().length <= 200;
  return (
    <div className="modal-backdrop">
      <div className="modal signer-dialog" role="alertdialog" aria-modal="true" aria-labelledby="signer-title" aria-describedby="signer-body"
        onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
        <h2 id="signer-title">{changed ? t('review.signer.changedTitle') : t('review.signer.unknownTitle')}</h2>
        <p id="signer-body">{changed ? t('review.signer.changedBody', { name: pending.claimedName ?? '', file: packageName }) : t('review.signer.unknownBody', { file: packageName })}</p>
        <dl className="signer-facts">
          <dt>{t('review.signer.fingerprint')}</dt>
          <dd><code data-testid="signer-fingerprint">{groupFingerprint(pending.fingerprint)}</code></dd>
          {changed && pending.knownFingerprint && (<>
            <dt>{t('review.signer.knownFingerprint')}</dt>
            <dd><code>{groupFingerprint(pending.knownFingerprint)}</code></dd>
          </>)}
        </dl>
        <p className="muted">{t('review.signer.check')}</p>
        {!changed && (
          <label>{t('review.signer.name')}{' '}
            <input type="text" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} aria-label={t('review.signer.name')} />
          </label>
        )}
        <div className="actions">
          <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>{t('review.signer.cancel')}</button>
          <button type="button" className="danger" disabled={busy || (!changed && !ok)} onClick={() => onAccept(changed ? (pending.claimedName ?? name) : name.trim())}>
            {changed ? t('review.signer.acceptChange') : t('review.signer.trust')}
          </button>
        </div>
      </div>
    </div>
  );
}
