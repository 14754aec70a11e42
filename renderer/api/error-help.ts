/** Stable error codes to plain-words help from the message catalogue. */
import { isMessageKey, type Translate } from '../i18n/index.js';
import { UiError } from './client.js';

export interface ErrorView { code: string; help: string; message: string }

export function errorView(err: unknown, t: Translate): ErrorView {
  if (err instanceof UiError) {
    if (err.code === 'E_TRANSPORT') return { code: err.code, help: t('error.transport'), message: err.message };
    const key = `help.${err.code}`;
    return { code: err.code, help: isMessageKey(key) ? t(key) : t('help.unknown'), message: err.message };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'E_INTERNAL', help: t('help.E_INTERNAL'), message };
}

export function helpForCode(code: string, t: Translate): string {
  const key = `help.${code}`;
  return isMessageKey(key) ? t(key) : t('help.unknown');
}
