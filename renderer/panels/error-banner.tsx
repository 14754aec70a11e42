/** An error in plain words: what happened, what to do, and the code and raw message for support. */
import { useT } from '../i18n/index.js';
import type { ErrorView } from '../api/error-help.js';

export function ErrorBanner({ error, onDismiss }: { error: ErrorView; onDismiss?: () => void }) {
  const t = useT();
  return (
    <div className="error-banner" role="alert">
      <div className="error-text">
        <strong>{t('error.heading')}</strong>
        <p className="error-help">{error.help}</p>
        <details>
          <summary>{t('error.details')}</summary>
          <p><span className="muted">{t('error.code')}:</span> <code>{error.code}</code></p>
          <p className="error-message">{error.message}</p>
        </details>
      </div>
      {onDismiss && <button type="button" onClick={onDismiss}>{t('error.dismiss')}</button>}
    </div>
  );
}
