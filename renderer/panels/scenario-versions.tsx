/**
 * A scenario's saved versions under the scenario editor: when each was saved, by whom (the database
 * role, in a shared database project), its note and what changed from the version before, in the
 * core's words in the app's language (scenario.history). Read when opened, again after every save
 * or reload and when the language changes, so a team lead or a council reviewer sees how the rules
 * came to be what they are. Any earlier version
 * can be put on screen as an unsaved edit; saving it makes it the latest version (nothing is lost:
 * every version stays).
 */
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/index.js';
import type { Client, Output } from '../api/client.js';

type History = Output<'scenario.history'>;
type ScenarioDef = Output<'scenario.get'>['definition'];

export interface ScenarioVersionsProps {
  client: Client;
  id: string;
  /** Changes whenever the scenario's versions may have changed (a save, a conflict, a reload). */
  refresh: unknown;
  onShow(def: ScenarioDef, version: number): void;
  onError(e: unknown): void;
}

const when = (iso: string, lang: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' });
};

export function ScenarioVersions(p: ScenarioVersionsProps) {
  const t = useT();
  // The change lines are written by the core, in the app's language.
  const lang = t.lang ?? 'en';
  const [open, setOpen] = useState(false);
  const [history, setHistory] = useState<History | null>(null);
  const seq = useRef(0);
  const props = useRef(p);
  props.current = p;

  useEffect(() => {
    if (!open) return;
    const my = ++seq.current;
    setHistory((h) => (h && h.id === p.id ? h : null));
    props.current.client.call('scenario.history', { id: p.id, lang })
      .then((h) => { if (my === seq.current) setHistory(h); })
      .catch((e) => { if (my === seq.current) props.current.onError(e); });
  }, [open, p.id, p.refresh, lang]);

  async function show(version: number) {
    try {
      const s = await props.current.client.call('scenario.get', { id: props.current.id, version });
      props.current.onShow(s.definition, version);
    } catch (e) { props.current.onError(e); }
  }

  const latest = history?.versions[0]?.version;
  return (
    <details className="versions" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>{t('versions.heading')}</summary>
      {!history ? <p className="muted small">{t('app.loading')}</p> : (
        <>
          {history.authors === 'file' && <p className="muted small">{t('versions.fileNote')}</p>}
          {history.warnings.map((w) => <p key={w} className="note small">{w}</p>)}
          <ol className="version-list" aria-label={t('versions.list', { name: history.name })}>
            {history.versions.map((v, i) => (
              <li key={v.version} data-testid={`version-${v.version}`}>
                <div className="version-head">
                  <strong>{t('versions.version', { v: v.version })}</strong>
                  <span className="muted small">{when(v.savedAt ?? v.createdAt, lang)}</span>
                  {v.savedBy && <span className="small" data-testid={`version-${v.version}-by`}>{t('versions.by', { who: v.savedBy })}</span>}
                  {v.version === latest
                    ? <span className="muted small">{t('versions.latest')}</span>
                    : <button type="button" className="small" onClick={() => void show(v.version)}>{t('versions.show', { v: v.version })}</button>}
                </div>
                {v.note && <p className="small version-note">{v.note}</p>}
                {v.changes === null
                  ? <p className="muted small">{t('versions.first')}</p>
                  : v.changes.length === 0
                    ? <p className="muted small">{t('versions.same', { v: history.versions[i + 1]?.version ?? v.version - 1 })}</p>
                    : <ul className="small version-changes">{v.changes.map((c) => <li key={c}>{c}</li>)}</ul>}
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
}
