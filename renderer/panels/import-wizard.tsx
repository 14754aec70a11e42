/**
 * Import wizard: choose files (native dialog in Electron, upload in browser mode), preview every
 * file (layers, counts, CRS, problems, suggested role and field mapping, all editable), then import
 * with progress. Errors and per-feature problems are shown in plain words with what to do.
 */
import { useEffect, useRef, useState } from 'react';
import { useT, type MessageKey } from '../i18n/index.js';
import { isBrowserBridge } from '../api/bridge.js';
import { newJobId, UiError, type Client } from '../api/client.js';
import { errorView, helpForCode, type ErrorView } from '../api/error-help.js';
import type { ImportIssue, LayerInfo, LayerPreview, LayerRole } from '../state/types.js';
import { LAYER_ROLE_LIST, SEMANTIC_BY_ROLE } from '../state/roles.js';
import { ErrorBanner } from './error-banner.js';

// Sidecar parts travel with their main file (same upload batch) and are not previewed on their own.
const SIDECARS = new Set(['shx', 'dbf', 'prj', 'cpg', 'qix', 'sbn', 'sbx', 'xml', 'qmd', 'fix']);
const ext = (name: string) => (name.includes('.') ? name.slice(name.lastIndexOf('.') + 1).toLowerCase() : '');

interface Candidate {
  path: string;
  fileName: string;
  format: string | null;
  layers: LayerPreview[];
  error: ErrorView | null;
  role: LayerRole | 'auto';
  name: string;
  mapping: Record<string, string>;
  status: 'ready' | 'importing' | 'done' | 'failed';
}

export interface ImportWizardProps {
  client: Client;
  readOnly: boolean;
  onClose(): void;
  onImported(layers: LayerInfo[]): void;
}

function safeLayerName(s: string): string {
  return s.replace(/\.[^.]+$/, '').slice(0, 60) || 'layer';
}

export function ImportWizard({ client, readOnly, onClose, onImported }: ImportWizardProps) {
  const t = useT();
  const [candidates, setCandidates] = useState<Candidate[]>([]);
  const [reading, setReading] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorView | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const jobRef = useRef<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  useEffect(() => client.bridge.onProgress((e) => { if (e.jobId === jobRef.current) setProgress(e.fraction); }), [client]);
  useEffect(() => { dialogRef.current?.querySelector<HTMLElement>('input, button')?.focus(); }, []);
  // Refs, not dependencies: a listener removed mid-dispatch (the parent re-rendering on the same
  // Escape) would never see the key.
  const busyRef = useRef(busy);
  busyRef.current = busy;
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !busyRef.current) closeRef.current(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function previewPaths(files: { path: string; fileName: string }[]) {
    const next: Candidate[] = [];
    for (const f of files) {
      setReading(f.fileName);
      try {
        const r = await client.call('layers.preview', { path: f.path, jobId: newJobId('preview') });
        const first = r.layers[0];
        next.push({
          path: f.path, fileName: f.fileName, format: r.format, layers: r.layers, error: null,
          role: r.layers.length === 1 && first ? first.suggestedRole : 'auto',
          name: safeLayerName(r.layers.length === 1 && first ? first.name : f.fileName),
          mapping: r.layers.length === 1 && first ? { ...first.suggestedFieldMap } : {},
          status: 'ready',
        });
      } catch (e) {
        next.push({ path: f.path, fileName: f.fileName, format: null, layers: [], error: errorView(e, t), role: 'auto', name: safeLayerName(f.fileName), mapping: {}, status: 'failed' });
      }
    }
    setReading(null);
    setCandidates((c) => [...c, ...next]);
  }

  async function onFiles(list: FileList | null) {
    if (!list || list.length === 0) return;
    setError(null);
    const bridge = client.bridge;
    if (!isBrowserBridge(bridge)) return;
    const batch = `b${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const uploaded: { path: string; fileName: string }[] = [];
    setBusy(true);
    try {
      for (const file of Array.from(list)) {
        setReading(file.name);
        const r = await bridge.upload(file, batch);
        if (!r.ok) throw new UiError(r.error.code, r.error.message, r.error.details);
        if (!SIDECARS.has(ext(file.name))) uploaded.push({ path: (r.value as { path: string }).path, fileName: file.name });
      }
      await previewPaths(uploaded);
    } catch (e) {
      setError(errorView(e, t));
    } finally {
      setReading(null);
      setBusy(false);
    }
  }

  async function onPick() {
    const path = await client.bridge.pickFile?.({
      title: t('import.heading'),
      filters: [{ name: 'GIS', extensions: ['geojson', 'json', 'gpkg', 'shp', 'zip', 'kml', 'kmz', 'csv', 'osm'] }],
    });
    if (!path) return;
    setBusy(true);
    await previewPaths([{ path, fileName: path.split(/[\\/]/).pop() ?? path }]);
    setBusy(false);
  }

  const update = (i: number, patch: Partial<Candidate>) => setCandidates((cs) => cs.map((c, k) => (k === i ? { ...c, ...patch } : c)));

  async function runImport() {
    setBusy(true);
    setError(null);
    const imported: LayerInfo[] = [];
    let failed = false;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      if (c.status !== 'ready') continue;
      update(i, { status: 'importing' });
      const jobId = newJobId('import');
      jobRef.current = jobId;
      setProgress(0);
      try {
        const r = await client.call('layers.import', {
          path: c.path, jobId, name: c.name, ...(c.role === 'auto' ? {} : { role: c.role }),
        });
        const single = r.layers.length === 1 ? r.layers[0] : null;
        const suggested = c.layers[0]?.suggestedFieldMap ?? {};
        if (single && c.role !== 'auto') {
          const changes: Record<string, string | null> = {};
          for (const s of SEMANTIC_BY_ROLE[c.role]) {
            const want = c.mapping[s] ?? null;
            if (want !== (single.fieldMap[s] ?? null) && want !== (suggested[s] ?? null)) changes[s] = want;
          }
          imported.push(Object.keys(changes).length ? await client.call('layers.setFieldMap', { layer: single.name, mapping: changes }) : single);
        } else {
          imported.push(...r.layers);
        }
        update(i, { status: 'done' });
      } catch (e) {
        failed = true;
        update(i, { status: 'failed', error: errorView(e, t) });
      }
    }
    jobRef.current = null;
    setProgress(null);
    setBusy(false);
    if (imported.length) onImported(imported);
    if (!failed) setDone(imported.length);
  }

  const ready = candidates.some((c) => c.status === 'ready');
  return (
    <div className="modal-backdrop">
      <div className="modal import-wizard" role="dialog" aria-modal="true" aria-label={t('import.heading')} ref={dialogRef}>
        <div className="panel-head">
          <h2>{t('import.heading')}</h2>
          <button type="button" className="icon" onClick={onClose} disabled={busy} aria-label={t('import.close')}>×</button>
        </div>
        <p className="muted">{t('import.chooseHelp')}</p>
        {isBrowserBridge(client.bridge) ? (
          <label className="file-pick">
            <span>{t('import.choose')}</span>
            <input type="file" multiple disabled={busy || readOnly} aria-label={t('import.choose')} onChange={(e) => { void onFiles(e.target.files); e.target.value = ''; }} />
          </label>
        ) : (
          <button type="button" onClick={() => void onPick()} disabled={busy || readOnly}>{t('import.pick')}</button>
        )}
        {readOnly && <ErrorBanner error={{ code: 'E_PROJECT_READONLY', help: helpForCode('E_PROJECT_READONLY', t), message: '' }} />}
        {reading && <p className="muted">{t('import.reading', { name: reading })}</p>}
        {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
        {candidates.map((c, i) => (
          <CandidateCard key={`${c.path}-${i}`} c={c} busy={busy} onChange={(p) => update(i, p)} />
        ))}
        {progress !== null && <progress className="wide" max={1} value={progress ?? undefined} aria-label={t('import.importing')} />}
        {done !== null && <p className="success" role="status">{t('import.done', { n: done })}</p>}
        <div className="actions">
          <button type="button" onClick={onClose} disabled={busy}>{done !== null ? t('import.close') : t('import.cancel')}</button>
          <button type="button" className="primary" onClick={() => void runImport()} disabled={busy || !ready || readOnly}>
            {busy && progress !== null ? t('import.importing') : t('import.import')}
          </button>
        </div>
      </div>
    </div>
  );
}

function CandidateCard({ c, busy, onChange }: { c: Candidate; busy: boolean; onChange(p: Partial<Candidate>): void }) {
  const t = useT();
  const single = c.layers.length === 1 ? c.layers[0] : null;
  const issues = c.layers.flatMap((l) => l.issues);
  const personal = c.layers.flatMap((l) => Object.keys(l.personalFields));
  const editable = c.status === 'ready' && !busy;
  return (
    <article className={`candidate ${c.status}`} aria-label={c.fileName}>
      <h3>{c.fileName} {c.format && <span className="badge">{c.format}</span>} {c.status === 'done' && <span className="badge ok">✓</span>}</h3>
      {c.error && <ErrorBanner error={c.error} />}
      {c.layers.length > 0 && (
        <table className="preview-table">
          <thead><tr><th>{t('import.layer')}</th><th>{t('import.geometry')}</th><th>{t('import.count')}</th><th>{t('import.crs')}</th></tr></thead>
          <tbody>
            {c.layers.map((l) => <tr key={l.name}><td>{l.name}</td><td>{l.geometryType}</td><td>{l.count.toLocaleString()}{l.read !== l.count ? ` / ${l.read.toLocaleString()}` : ''}</td><td>{l.crs}</td></tr>)}
          </tbody>
        </table>
      )}
      {c.layers.length > 0 && (
        <div className="candidate-options">
          <label>
            <span>{t('import.role', { name: c.fileName })}</span>
            <select value={c.role} disabled={!editable} aria-label={t('import.role', { name: c.fileName })} onChange={(e) => onChange({ role: e.target.value as Candidate['role'] })}>
              {c.layers.length > 1 && <option value="auto">auto</option>}
              {LAYER_ROLE_LIST.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
            </select>
          </label>
          <label>
            <span>{t('import.layerName', { name: c.fileName })}</span>
            <input type="text" value={c.name} maxLength={60} disabled={!editable} aria-label={t('import.layerName', { name: c.fileName })} onChange={(e) => onChange({ name: e.target.value })} />
          </label>
        </div>
      )}
      {single && c.role !== 'auto' && SEMANTIC_BY_ROLE[c.role].length > 0 && (
        <fieldset className="field-map">
          <legend>{t('import.mapping')}</legend>
          {SEMANTIC_BY_ROLE[c.role].map((s) => (
            <label key={s} className="field-map-row">
              <span>{t(`semantic.${s}` as MessageKey)}</span>
              <select value={c.mapping[s] ?? ''} disabled={!editable} aria-label={t('layers.fieldFor', { semantic: t(`semantic.${s}` as MessageKey), name: c.fileName })}
                onChange={(e) => onChange({ mapping: { ...c.mapping, [s]: e.target.value } })}>
                <option value="">{t('layers.noField')}</option>
                {single.fields.map((f) => <option key={f.name} value={f.name}>{f.name}</option>)}
              </select>
            </label>
          ))}
        </fieldset>
      )}
      {personal.length > 0 && <p className="note">{t('import.personal', { fields: personal.join(', ') })}</p>}
      {c.layers.length > 0 && <IssueList issues={issues} />}
    </article>
  );
}

function IssueList({ issues }: { issues: ImportIssue[] }) {
  const t = useT();
  if (issues.length === 0) return <p className="muted small">{t('import.noIssues')}</p>;
  const byCode = new Map<string, ImportIssue[]>();
  for (const i of issues) byCode.set(i.code, [...(byCode.get(i.code) ?? []), i]);
  const actionLabel = { skipped: t('import.issueSkipped'), repaired: t('import.issueRepaired'), flagged: t('import.issueFlagged') };
  return (
    <section className="issues" aria-label={t('import.issues')}>
      <h4>{t('import.issues')} ({issues.length})</h4>
      {[...byCode.entries()].map(([code, list]) => (
        <div key={code} className="issue-group">
          <p className="issue-help">{helpForCode(code, t)}</p>
          <ul>
            {list.slice(0, 8).map((i, k) => <li key={k}><span className={`tag ${i.action}`}>{actionLabel[i.action]}</span> {i.message}</li>)}
            {list.length > 8 && <li className="muted">… +{list.length - 8}</li>}
          </ul>
        </div>
      ))}
    </section>
  );
}
