/**
 * Help for errors from the review methods. Some codes mean something narrower during a review than
 * in general (E_COORD_INVALID is "outside the plan's area", not "broken coordinates"), so a
 * review-specific text (review.help.<code>) wins when the catalogue has one.
 */
import { errorView, type ErrorView } from '../api/error-help.js';
import { UiError } from '../api/client.js';
import { isMessageKey, type Translate } from '../i18n/index.js';

/** The codes the review methods throw (docs/REVIEW.md, core/review, the package reader), plus the upload's. */
export const REVIEW_ERROR_CODES = [
  'E_INPUT_INVALID', 'E_COORD_INVALID', 'E_LAYER_NOT_FOUND', 'E_FEATURE_NOT_FOUND', 'E_GEOMETRY_EMPTY',
  'E_COMMENT_NOT_FOUND', 'E_PROJECT_NOT_OPEN', 'E_PACKAGE_INVALID', 'E_PROJECT_READONLY', 'E_PROJECT_INVALID',
  'E_FILE_NOT_FOUND', 'E_ZIP_INVALID', 'E_FILE_TOO_LARGE', 'E_EXPORT_FAILED',
  'E_SIGNER_UNKNOWN', 'E_SIGNER_CHANGED', 'E_KEY_UNSUPPORTED', 'E_KEYRING_INVALID', 'E_PACKAGE_TOO_LARGE', 'E_PATH_NOT_GRANTED',
] as const;

export function reviewErrorView(err: unknown, t: Translate): ErrorView {
  const v = errorView(err, t);
  const key = `review.help.${v.code}`;
  const help = isMessageKey(key) ? t(key) : v.help;
  // A package that fails verification says which files (the reviewer forwards that); the core's message may already hold them.
  const problems = err instanceof UiError ? (err.details as { problems?: unknown } | undefined)?.problems : undefined;
  const extra = Array.isArray(problems) ? problems.slice(0, 20).map(String).filter((p) => !v.message.includes(p)) : [];
  const message = extra.length ? `${v.message}\n${extra.join('\n')}` : v.message;
  return { ...v, help, message };
}
