/** Says plainly that the plan is a signed package under review (read-only), and ends the review. */
import { useT } from '../i18n/index.js';
import { formatKeyId, type ReviewSessionInfo } from './use-review.js';

export function ReviewBanner({ session, busy, onClose }: { session: ReviewSessionInfo; busy: boolean; onClose(): void }) {
  const t = useT();
  return (
    <div className="review-banner" role="region" aria-label={t('review.bannerLabel')}>
      <span className="review-badge">{t('review.readOnly')}</span>
      <p>
        {session.signerName && session.fingerprint
          ? t('review.bannerSigner', { name: session.name, signer: session.signerName, fingerprint: formatKeyId(session.fingerprint) })
          : t('review.banner', { name: session.name, key: formatKeyId(session.keyId) })}
        {session.packageCreatedAt && <span className="muted"> · {t('review.made', { date: session.packageCreatedAt.slice(0, 16).replace('T', ' ') })}</span>}
      </p>
      <button type="button" onClick={onClose} disabled={busy}>{t('review.close')}</button>
    </div>
  );
}
