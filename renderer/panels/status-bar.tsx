/** Bottom bar: project, job progress with cancel, last message, language. */
import { LANGUAGES, useT, type Lang } from '../i18n/index.js';
import type { BridgeProgress } from '../api/bridge.js';
import type { ReportLangChoice } from '../state/report-lang.js';

export interface StatusBarProps {
  projectName: string | null;
  readOnly: boolean;
  jobs: BridgeProgress[];
  message: string;
  lang: Lang;
  onLang(l: Lang): void;
  onCancel(jobId: string): void;
  /** Reports follow the app's language unless this says otherwise (state/report-lang.ts). */
  reportChoice?: ReportLangChoice;
  onReportChoice?(c: ReportLangChoice): void;
}

export function StatusBar({ projectName, readOnly, jobs, message, lang, onLang, onCancel, reportChoice = 'app', onReportChoice }: StatusBarProps) {
  const t = useT();
  return (
    <footer className="status-bar" role="status" aria-label="status">
      <span className="status-project">
        {projectName ? t('status.project', { name: projectName }) : ''}
        {readOnly && <em> ({t('status.readOnly')})</em>}
      </span>
      <span className="status-jobs">
        {jobs.map((j) => (
          <span key={j.jobId} className="job">
            <span>{j.message}</span>
            <progress max={1} value={j.fraction ?? undefined} aria-label={j.message} />
            <button type="button" onClick={() => onCancel(j.jobId)}>{t('status.cancel')}</button>
          </span>
        ))}
      </span>
      <span className="status-message" aria-live="polite">{message || t('status.ready')}</span>
      <label className="status-lang">
        <span className="sr-only">{t('app.language')}</span>
        <select value={lang} onChange={(e) => onLang(e.target.value as Lang)} aria-label={t('app.language')}>
          {Object.entries(LANGUAGES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </label>
      {onReportChoice && (
        <label className="status-lang">
          <span className="sr-only">{t('files.reportLang')}</span>
          <select value={reportChoice} onChange={(e) => onReportChoice(e.target.value as ReportLangChoice)} aria-label={t('files.reportLang')} title={t('files.reportLang')}>
            <option value="app">{t('files.reportLangApp', { lang: LANGUAGES[lang] })}</option>
            {Object.entries(LANGUAGES).map(([k, v]) => <option key={k} value={k}>{t('files.reportIn', { lang: v })}</option>)}
          </select>
        </label>
      )}
    </footer>
  );
}
