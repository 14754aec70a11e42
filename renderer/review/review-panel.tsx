/**
 * The council reviewer's panel: the comments on the open plan package, numbered like their map
 * pins; write one and pin it to a place or parcel picked on the map; resolve, reopen, delete;
 * export for the consultant (a save dialog in Electron, a download in browser mode). Mount it after
 * `review.open`; it talks to the core only through the client.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { UiError, type Client } from '../api/client.js';
import type { ReviewComment } from './comment-pins.js';

/** What the map hands back when the reviewer clicks: a place, and the feature under it if any. */
export interface PickedPlace { lon: number; lat: number; layer?: string; fid?: number }

export const REVIEW_LABELS = {
  title: 'Review comments',
  author: 'Your name',
  text: 'Comment',
  pin: 'Pin on map and add',
  picking: 'Click the map where the comment belongs…',
  resolve: 'Resolve',
  reopen: 'Reopen',
  remove: 'Delete',
  confirmRemove: 'Delete this comment?',
  showResolved: 'Show resolved',
  export: 'Export for the consultant…',
  exported: 'Exported',
  none: 'No comments yet.',
  notOpen: 'No plan package is open for review.',
  earlier: 'on an earlier version of the package',
  onFeature: 'on',
};
export type ReviewLabels = typeof REVIEW_LABELS;

export interface ReviewPanelProps {
  client: Client;
  /** Let the reviewer pick a place on the map; null when they cancel. */
  onPickLocation(): Promise<PickedPlace | null>;
  selectedId?: string | null;
  onSelect?(id: string | null): void;
  /** Every time the list changes (for the map pins: commentPins(comments)). */
  onCommentsChange?(comments: ReviewComment[]): void;
  onError?(e: unknown): void;
  /** Translated labels from the app's catalogue; English otherwise. */
  labels?: Partial<ReviewLabels>;
}

const AUTHOR_KEY = 'ekimae.review.author';
/** Browser mode has no save dialog to pick the format by extension: the reviewer picks it here. */
const DOWNLOAD_FORMATS = [{ format: 'gpkg', label: 'GeoPackage (.gpkg)' }, { format: 'geojson', label: 'GeoJSON (.geojson)' }] as const;
const DOWNLOAD_NAME = 'review-comments';
const TEXT_MAX = 4000;

function storedAuthor(): string {
  try { return globalThis.localStorage?.getItem(AUTHOR_KEY) ?? ''; } catch { return ''; }
}

export function ReviewPanel({ client, onPickLocation, selectedId = null, onSelect, onCommentsChange, onError, labels }: ReviewPanelProps) {
  const L = useMemo(() => ({ ...REVIEW_LABELS, ...labels }), [labels]);
  const [comments, setComments] = useState<ReviewComment[] | null>(null);
  const [author, setAuthor] = useState(storedAuthor);
  const [text, setText] = useState('');
  const [showResolved, setShowResolved] = useState(false);
  const [busy, setBusy] = useState<'picking' | 'saving' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [choosingFormat, setChoosingFormat] = useState(false);
  const canSave = !!client.bridge.pickFile;
  const canDownload = !canSave && !!client.bridge.download;

  const fail = useCallback((e: unknown) => {
    setProblem(e instanceof UiError ? `${e.code}: ${e.message}` : String(e));
    onError?.(e);
  }, [onError]);

  const reload = useCallback(async () => {
    try {
      const list = await client.call('review.list', {});
      setComments(list);
      onCommentsChange?.(list);
    } catch (e) {
      if (e instanceof UiError && e.code === 'E_PROJECT_NOT_OPEN') setComments(null);
      else fail(e);
    }
  }, [client, onCommentsChange, fail]);

  useEffect(() => { void reload(); }, [reload]);

  const act = async (fn: () => Promise<unknown>) => {
    setProblem(null); setNotice(null); setBusy('saving');
    try { await fn(); await reload(); } catch (e) { fail(e); } finally { setBusy(null); }
  };

  async function pinAndAdd() {
    setProblem(null); setNotice(null); setBusy('picking');
    let place: PickedPlace | null = null;
    try { place = await onPickLocation(); } catch (e) { fail(e); }
    setBusy(null);
    if (!place) return;
    const at = place;
    try { globalThis.localStorage?.setItem(AUTHOR_KEY, author.trim()); } catch { /* private mode: the name is asked again next time */ }
    await act(async () => {
      const c = await client.call('review.addComment', {
        text, author, lon: at.lon, lat: at.lat, ...(at.layer !== undefined && at.fid !== undefined ? { layer: at.layer, fid: at.fid } : {}),
      });
      setText('');
      onSelect?.(c.id);
    });
  }

  async function downloadComments(format: 'gpkg' | 'geojson') {
    setChoosingFormat(false);
    await act(async () => {
      const r = await client.download('review.export', { format }, DOWNLOAD_NAME);
      setNotice(`${L.exported}: ${r.fileName}`);
    });
  }

  async function exportComments() {
    if (canDownload) {
      setChoosingFormat((c) => !c);
      return;
    }
    const path = await client.bridge.pickFile?.({ title: L.export, save: true, filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }, { name: 'GeoJSON', extensions: ['geojson'] }] });
    if (!path) return;
    await act(async () => {
      const r = await client.call('review.export', { format: /\.geo(json)?$|\.json$/i.test(path) ? 'geojson' : 'gpkg', path, overwrite: true });
      setNotice(`${L.exported}: ${r.path}`);
    });
  }

  if (comments === null) return <section className="panel review-panel"><h2>{L.title}</h2><p>{L.notOpen}</p></section>;

  const numbered = [...comments].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1)).map((c, i) => ({ c, n: i + 1 }));
  const shown = numbered.filter(({ c }) => showResolved || c.status === 'open');
  const canAdd = !busy && author.trim().length > 0 && text.trim().length > 0 && text.trim().length <= TEXT_MAX;

  return (
    <section className="panel review-panel" aria-busy={!!busy}>
      <h2>{L.title} ({comments.filter((c) => c.status === 'open').length})</h2>
      <label>{L.author}<input value={author} maxLength={200} onChange={(e) => setAuthor(e.target.value)} /></label>
      <label>{L.text}<textarea value={text} maxLength={TEXT_MAX} rows={3} onChange={(e) => setText(e.target.value)} /></label>
      <button type="button" disabled={!canAdd} onClick={() => void pinAndAdd()}>{busy === 'picking' ? L.picking : L.pin}</button>
      {problem && <p className="error" role="alert">{problem}</p>}
      {notice && <p className="notice" role="status">{notice}</p>}
      <label className="inline"><input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />{L.showResolved}</label>
      {shown.length === 0 ? <p>{L.none}</p> : (
        <ol className="review-comments">
          {shown.map(({ c, n }) => (
            <li key={c.id} value={n} className={`${c.status}${c.id === selectedId ? ' selected' : ''}${c.currentPackage ? '' : ' earlier'}`}
              onClick={() => onSelect?.(c.id === selectedId ? null : c.id)}>
              <p className="comment-text">{c.text}</p>
              <p className="comment-meta">
                {c.author} · {c.createdAt.slice(0, 16).replace('T', ' ')}
                {c.layer !== null && <> · {L.onFeature} {c.layer}{c.fid !== null ? ` #${c.fid}` : ''}</>}
                {!c.currentPackage && <> · {L.earlier}</>}
              </p>
              <button type="button" disabled={!!busy} onClick={(e) => { e.stopPropagation(); void act(() => client.call('review.updateComment', { id: c.id, status: c.status === 'open' ? 'resolved' : 'open' })); }}>
                {c.status === 'open' ? L.resolve : L.reopen}
              </button>
              <button type="button" disabled={!!busy} onClick={(e) => {
                e.stopPropagation();
                if (globalThis.confirm?.(L.confirmRemove) === false) return;
                void act(async () => { await client.call('review.removeComment', { id: c.id }); if (c.id === selectedId) onSelect?.(null); });
              }}>{L.remove}</button>
            </li>
          ))}
        </ol>
      )}
      {(canSave || canDownload) && (
        <button type="button" aria-expanded={canDownload ? choosingFormat : undefined} disabled={!!busy || comments.length === 0} onClick={() => void exportComments()}>{L.export}</button>
      )}
      {canDownload && choosingFormat && (
        <div className="actions" role="group" aria-label={L.export}>
          {DOWNLOAD_FORMATS.map((f) => (
            <button key={f.format} type="button" disabled={!!busy} onClick={() => void downloadComments(f.format)}>{f.label}</button>
          ))}
        </div>
      )}
    </section>
  );
}
