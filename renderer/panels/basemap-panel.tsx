/**
 * The basemap section of the layer panel: on/off, and which local tile archive (MBTiles or PMTiles).
 * The desktop app picks the file with its dialog; browser mode takes a typed path, as it does for projects.
 */
import { useState } from 'react';
import { useT } from '../i18n/index.js';
import type { BasemapControl } from '../state/use-basemap.js';

export interface BasemapPanelProps {
  control: BasemapControl;
  readOnly: boolean;
  /** The desktop file dialog, when there is one. */
  pickFile?: () => Promise<string | null>;
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}

export function BasemapPanel({ control, readOnly, pickFile }: BasemapPanelProps) {
  const t = useT();
  const { state, busy } = control;
  const [typed, setTyped] = useState('');
  const [typing, setTyping] = useState(false);
  const disabled = busy || readOnly;
  const a = state?.archive;
  return (
    <section className="panel basemap-panel" aria-label={t('basemap.heading')}>
      <div className="layer-row">
        <label className="inline toggle">
          <input
            type="checkbox" checked={!!state?.path && state.enabled} disabled={disabled || !state?.path}
            onChange={(e) => void control.setEnabled(e.target.checked)} aria-label={t('basemap.show')}
          />
          <span>{t('basemap.heading')}</span>
        </label>
      </div>
      {state?.path
        ? <p className="muted basemap-file" title={state.path}>{baseName(state.path)}{a ? ` · ${a.kind === 'pmtiles' ? 'PMTiles' : 'MBTiles'} · ${a.format === 'pbf' ? t('basemap.vector') : a.format.toUpperCase()} · z${a.minzoom}–${a.maxzoom}` : ''}</p>
        : <p className="muted">{t('basemap.none')}</p>}
      {state?.problem && <p className="basemap-problem" role="alert">{t('basemap.problem', { message: state.problem.message })}</p>}
      {a?.attribution && <p className="muted basemap-attribution">{a.attribution}</p>}
      {pickFile ? (
        <button type="button" disabled={disabled} onClick={async () => { const p = await pickFile(); if (p) await control.choose(p); }}>{t('basemap.choose')}</button>
      ) : typing ? (
        <span className="field-row">
          <input type="text" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/home/me/bangkok.pmtiles" aria-label={t('basemap.path')} />
          <button type="button" disabled={disabled || !typed} onClick={async () => { await control.choose(typed); setTyping(false); }}>{t('basemap.use')}</button>
        </span>
      ) : (
        <button type="button" disabled={disabled} onClick={() => setTyping(true)}>{t('basemap.choose')}</button>
      )}
    </section>
  );
}
