/**
 * The language reports and plan packages are written in: the app's own language unless the user
 * chose another for the reader (a Thai council, a Japanese reviewer) in the status bar or the
 * Download dialog. Sent as `lang` on every report.generate / package.create call, so a report never
 * falls back to the project's stored setting without the user seeing which language they get.
 */
import type { Lang } from '../i18n/index.js';

/** 'app': follow the app's language; otherwise a fixed report language. */
export type ReportLangChoice = 'app' | Lang;

export const reportLangOf = (choice: ReportLangChoice, appLang: Lang): Lang => (choice === 'app' ? appLang : choice);
