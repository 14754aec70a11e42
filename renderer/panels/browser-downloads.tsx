/**
 * File › Export and File › Report (and a signed plan package) for browser mode, where there is no menu and no save dialog: the
 * server runs the same core methods into its own folder and the browser downloads the result. Renders
 * nothing in Electron (its menu does this through file dialogs). Personal fields stay out, as there.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { newJobId, type Client } from '../api/client.js';
import type { BridgeProgress } from '../api/bridge.js';
import { LANGUAGES, useT, type Lang } from '../i18n/index.js';
import type { ReportLangChoice } from '../state/report-lang.js';
import type { LayerInfo } from '../state/types.js';

type Format = 'gpkg' | 'geojson' | 'csv' | 'shapefile';
const FORMATS: ReadonlyArray<{ format: Format; label: string }> = [
  { format: 'gpkg', label: 'GeoPackage (.gpkg)' }, { format: 'geojson', label: 'GeoJSON (.geojson)' },
  { format: 'csv', label: 'CSV (.zip with its sidecars)' }, { format: 'shapefile', label: 'Shapefile (.zip)' },
];
/** The layer select's value for "every layer": only a GeoPackage holds more than one. */
const ALL = '';

export interface BrowserDownloadsProps {
  client: Client;
  projectName?: string | null;
  layers: readonly LayerInfo[];
  onError(e: unknown): void;
  onMessage(m: string): void;
  /** The language the report and the package are written in (the app's, unless overridden). */
  reportLang?: Lang;
  /** The override, shown as a choice in the dialog; no choice shown without onReportChoice. */
  reportChoice?: ReportLangChoice;
  onReportChoice?(c: ReportLangChoice): void;
  appLang?: Lang;
}

export function BrowserDownloads({ client, projectName, layers, onError, onMessage, reportLang, reportChoice = 'app', onReportChoice, appLang }: BrowserDownloadsProps) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [layer, setLayer] = useState(ALL);
  const [format, setFormat] = useState<Format>('gpkg');
  const [job, setJob] = useState<{ id: string; what: string; progress: BridgeProgress | null } | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  useEffect(() => { if (open) closeRef.current?.focus(); }, [open]);
  useEffect(() => {
    if (!job) return undefined;
    return client.bridge.onProgress((e) => { if (e.jobId === job.id) setJob((j) => (j && j.id === e.jobId ? { ...j, progress: e } : j)); });
  }, [client, job?.id]);
  // A layer removed meanwhile falls back to all layers.
  useEffect(() => { if (layer !== ALL && !layers.some((l) => l.name === layer)) setLayer(ALL); }, [layers, layer]);

  if (!client.bridge.download) return null;

  const stem = (projectName ?? '').trim() || 'ekimae';
  const chosen = layer === ALL ? layers.map((l) => l.name) : [layer];
  const fmt = layer === ALL ? 'gpkg' : format;
  const langArg = reportLang ? { lang: reportLang } : {};

  async function run(what: string, start: (jobId: string) => Promise<{ fileName: string }>) {
    const id = newJobId('download');
    setJob({ id, what, progress: null });
    try {
      const r = await start(id);
      onMessage(t('files.downloaded', { name: r.fileName }));
      setOpen(false);
    } catch (e) {
      onError(e);
    } finally {
      setJob(null);
    }
  }

  const downloadLayers = () => run(t('files.layers'), (jobId) => client.download(
    'layers.export', { layers: chosen, format: fmt, jobId }, layer === ALL ? `${stem} layers` : `${stem} ${layer}`,
  ));
  const downloadReport = () => run(t('files.report'), (jobId) => client.download(
    'report.generate', { html: true, pdf: true, jobId, ...langArg }, `${stem} report`,
  ));

  const downloadPackage = () => run(t('files.package'), (jobId) => client.download('package.create', { jobId, ...langArg }, `${stem} plan package`));

  const fraction = job?.progress?.fraction;
  return (
    <>
      <button type="button" onClick={() => setOpen(true)} disabled={layers.length === 0}>{t('files.download')}</button>
      {/* The button sits in the toolbar; the dialog must not take the toolbar's colours and scrolling. */}
      {open && createPortal(
        <div className="modal-backdrop" onClick={() => { if (!job) setOpen(false); }}>
          <div className="modal" role="dialog" aria-modal="true" aria-label={t('files.heading')} aria-busy={!!job} onClick={(e) => e.stopPropagation()}>
            <h2>{t('files.heading')}</h2>
            <section aria-label={t('files.layers')}>
              <h3>{t('files.layers')}</h3>
              <div className="candidate-options">
                <label>{t('files.layer')}
                  <select aria-label={t('files.layer')} value={layer} disabled={!!job} onChange={(e) => setLayer(e.target.value)}>
                    <option value={ALL}>{t('files.allLayers')}</option>
                    {layers.map((l) => <option key={l.name} value={l.name}>{l.title && l.title !== l.name ? `${l.title} (${l.name})` : l.name}</option>)}
                  </select>
                </label>
                <label>{t('files.format')}
                  <select aria-label={t('files.format')} value={fmt} disabled={!!job || layer === ALL} onChange={(e) => setFormat(e.target.value as Format)}>
                    {FORMATS.map((f) => <option key={f.format} value={f.format}>{f.label}</option>)}
                  </select>
                </label>
              </div>
              <button type="button" className="primary" disabled={!!job || chosen.length === 0} onClick={() => void downloadLayers()}>{t('files.downloadLayers')}</button>
            </section>
            <section aria-label={t('files.report')}>
              <h3>{t('files.report')}</h3>
              <p className="muted">{t('files.reportBody')}</p>
              {onReportChoice && (
                <label>{t('files.reportLang')}
                  <select aria-label={t('files.reportLang')} value={reportChoice} disabled={!!job} onChange={(e) => onReportChoice(e.target.value as ReportLangChoice)}>
                    <option value="app">{t('files.reportLangApp', { lang: LANGUAGES[appLang ?? reportLang ?? 'en'] })}</option>
                    {Object.entries(LANGUAGES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
                  </select>
                </label>
              )}
              <button type="button" className="primary" disabled={!!job} onClick={() => void downloadReport()}>{t('files.downloadReport')}</button>
            </section>
            <section aria-label={t('files.package')}>
              <h3>{t('files.package')}</h3>
              <p className="muted">{t('files.packageBody')}</p>
              <button type="button" className="primary" disabled={!!job} onClick={() => void downloadPackage()}>{t('files.downloadPackage')}</button>
            </section>
            <p className="muted small">{t('files.personal')}</p>
            {job && (
              <p role="status" aria-label={t('files.preparing', { what: job.what })}>
                {t('files.preparing', { what: job.what })}{' '}
                <progress max={1} {...(typeof fraction === 'number' ? { value: fraction } : {})} />{' '}
                {job.progress?.message ?? ''}{' '}
                <button type="button" onClick={() => { client.call('jobs.cancel', { jobId: job.id }).catch(onError); }}>{t('files.cancel')}</button>
              </p>
            )}
            <div className="actions"><button type="button" ref={closeRef} disabled={!!job} onClick={() => setOpen(false)}>{t('import.close')}</button></div>
          </div>
        </div>,
        document.body,
      )}
    </>
  );
}
