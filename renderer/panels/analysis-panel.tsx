/** The analysis drawer under the map: walk catchment and scenario editor as tabs. */
import { useState } from 'react';
import { useT } from '../i18n/index.js';
import type { Client } from '../api/client.js';
import type { History } from '../state/history.js';
import { CatchmentPanel, type CatchmentRun } from './catchment-panel.js';
import type { CatchmentColumns } from '../map/catchment-columns.js';
import { ScenarioPanel, type Evaluation } from './scenario-panel.js';
import { LvcPanel } from './lvc-panel.js';
import type { ProjectionData } from '../map/projection-colours.js';

export interface AnalysisPanelProps {
  client: Client;
  history: History;
  parcelLayer: string | null;
  readOnly: boolean;
  hasCatchment: boolean;
  currency: string;
  onCatchment(run: CatchmentRun, results: CatchmentColumns): void;
  onEvaluated(e: Evaluation | null): void;
  onProjection?(v: { data: ProjectionData; col: number } | null): void;
  /** Whether the scenario on screen differs from its saved version (a reload would drop it). */
  onScenarioUnsaved?(unsaved: boolean): void;
  onError(e: unknown): void;
  onMessage(m: string): void;
}

type Tab = 'catchment' | 'scenario' | 'lvc';

export function AnalysisPanel(p: AnalysisPanelProps) {
  const t = useT();
  const [tab, setTab] = useState<Tab>('catchment');
  const [open, setOpen] = useState(true);
  const tabs: [Tab, string][] = [['catchment', t('catchment.heading')], ['scenario', t('scenario.heading')], ['lvc', t('lvc.heading')]];
  return (
    <section className={open ? 'analysis open' : 'analysis'} aria-label={t('analysis.heading')}>
      <div className="tabs" role="tablist" aria-label={t('analysis.heading')}>
        {tabs.map(([k, label]) => (
          <button key={k} type="button" role="tab" aria-selected={tab === k && open} onClick={() => { setTab(k); setOpen(true); }}>{label}</button>
        ))}
        <span className="grow" />
        <button type="button" className="icon" onClick={() => setOpen((o) => !o)} aria-label={open ? '▾' : '▴'} aria-expanded={open}>{open ? '▾' : '▴'}</button>
      </div>
      {/* Collapsed, the drawer is hidden, not unmounted: an unsaved scenario edit and the catchment run shown stay. */}
      <div className="tab-body" role="tabpanel" hidden={!open}>
        {/* Both stay mounted so switching tabs keeps the catchment run and the scenario being edited. */}
        <div hidden={tab !== 'catchment'}>
          <CatchmentPanel client={p.client} parcelLayer={p.parcelLayer} readOnly={p.readOnly} onResult={p.onCatchment} onError={p.onError} />
        </div>
        <div hidden={tab !== 'scenario'}>
          <ScenarioPanel client={p.client} history={p.history} parcelLayer={p.parcelLayer} hasCatchment={p.hasCatchment} readOnly={p.readOnly}
            onEvaluated={p.onEvaluated} onProjection={p.onProjection} onUnsaved={p.onScenarioUnsaved} onError={p.onError} onMessage={p.onMessage} />
        </div>
        {open && tab === 'lvc' && (
          <LvcPanel client={p.client} parcelLayer={p.parcelLayer} hasCatchment={p.hasCatchment} readOnly={p.readOnly} currency={p.currency} onError={p.onError} />
        )}
      </div>
    </section>
  );
}
