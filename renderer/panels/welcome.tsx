/** Shown when no project is open: open an existing .gpkg or create a new one. */
import { useState, type ReactNode } from 'react';
import { useT } from '../i18n/index.js';

export interface WelcomeProps {
  busy: boolean;
  canBrowse: boolean;
  onOpen(path: string): void;
  onCreate(path: string, name: string): void;
  onBrowse(): Promise<string | null>;
  /** Further ways in, below open and create (reviewing a plan package). */
  children?: ReactNode;
}

export function Welcome({ busy, canBrowse, onOpen, onCreate, onBrowse, children }: WelcomeProps) {
  const t = useT();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  return (
    <section className="welcome" aria-label={t('welcome.heading')}>
      <h1>{t('app.title')}</h1>
      <p className="tagline">{t('app.tagline')}</p>
      <h2>{t('welcome.heading')}</h2>
      <p className="muted">{t('welcome.body')}</p>
      <label className="field">
        <span>{t('welcome.path')}</span>
        <span className="field-row">
          <input type="text" value={path} onChange={(e) => setPath(e.target.value)} placeholder="/home/me/bang-sue.gpkg" />
          {canBrowse && <button type="button" onClick={async () => { const p = await onBrowse(); if (p) setPath(p); }}>{t('welcome.browse')}</button>}
        </span>
      </label>
      <div className="actions">
        <button type="button" className="primary" disabled={busy || !path} onClick={() => onOpen(path)}>{t('welcome.open')}</button>
      </div>
      <label className="field">
        <span>{t('welcome.name')}</span>
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <div className="actions">
        <button type="button" disabled={busy || !path || !name} onClick={() => onCreate(path, name)}>{t('welcome.create')}</button>
      </div>
      {children}
    </section>
  );
}
