/**
 * Scenario editor: pick a scenario, edit its rules (max FAR by slider or number, max floors), see
 * the indicators, the band chart and the map follow. Each edit is evaluated unsaved and recorded
 * in the undo history; "Save as new version" stores it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { columnLabel, decodeProjection, type ProjectionData } from '../map/projection-colours.js';
import { checkScenarioColumns } from '../map/analysis-colours.js';
import { useT } from '../i18n/index.js';
import { newJobId, UiError, type Client, type Output } from '../api/client.js';
import type { History } from '../state/history.js';
import { ScenarioVersions } from './scenario-versions.js';

export type StoredScenario = Output<'scenario.list'>[number];
export type ScenarioDef = StoredScenario['definition'];
export type Evaluation = Output<'scenario.evaluate'>;
export type Projection = Output<'growth.takeUp'>['scenarios'][number];

export interface ScenarioPanelProps {
  client: Client;
  history: History;
  parcelLayer: string | null;
  hasCatchment: boolean;
  readOnly: boolean;
  onEvaluated(e: Evaluation | null): void;
  /** The projection by horizon of the scenario on screen and the chosen column (a horizon, or capacity after the last). */
  onProjection?(v: { data: ProjectionData; col: number } | null): void;
  /** Whether the definition on screen differs from the scenario's saved version (reported on every change). */
  onUnsaved?(unsaved: boolean): void;
  onError(e: unknown): void;
  onMessage(m: string): void;
}

/** The same JSON value whatever the key order (a definition from the core against one edited here). */
export function sameDefinition(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameDefinition(x, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined), kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => sameDefinition((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A save refused because a colleague saved the same scenario in the shared database first (E_CONFLICT,
 * core/store/postgis/sync.ts): the core names their version and offers the call that saves this
 * change as a new scenario instead (details.asNew). null for any other error.
 */
export interface SaveConflict {
  /** The scenario both saved. */
  id: string;
  name: string;
  /** Their version now in the project, and who saved it (when the database said). */
  theirVersion: number | null;
  savedBy: string | null;
  /** scenario.save's input that keeps this change as a new scenario (its name ends in "(copy)"). */
  asNew: { scenario: ScenarioDef; note?: string };
}

export function saveConflictOf(e: unknown, id: string, name: string): SaveConflict | null {
  if (!(e instanceof UiError) || e.code !== 'E_CONFLICT') return null;
  const d = (e.details ?? {}) as { currentVersion?: unknown; savedBy?: unknown; asNew?: { method?: unknown; input?: { scenario?: unknown; note?: unknown } } };
  const input = d.asNew?.method === 'scenario.save' ? d.asNew.input : undefined;
  if (!input || typeof input.scenario !== 'object' || input.scenario === null) return null;
  return {
    id, name,
    theirVersion: typeof d.currentVersion === 'number' ? d.currentVersion : null,
    savedBy: typeof d.savedBy === 'string' && d.savedBy ? d.savedBy : null,
    asNew: { scenario: input.scenario as ScenarioDef, ...(typeof input.note === 'string' ? { note: input.note } : {}) },
  };
}

const fmt = (v: number | null | undefined, digits = 0) =>
  v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toLocaleString(undefined, { maximumFractionDigits: digits });

export function ScenarioPanel(p: ScenarioPanelProps) {
  const t = useT();
  const [list, setList] = useState<StoredScenario[] | null>(null);
  const [id, setId] = useState<string | null>(null);
  const [def, setDef] = useState<ScenarioDef | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [evaluating, setEvaluating] = useState(false);
  // The saved version's projected take-up (issue #12): the headline; the cards below are its capacity.
  const [projection, setProjection] = useState<Projection | null>(null);
  const [version, setVersion] = useState(0);
  // Per-parcel projection by horizon (growth.parcels) for the map and the band chart; col = the horizon
  // control's column (horizons, then capacity), the last horizon by default: never capacity unasked.
  const [proj, setProj] = useState<ProjectionData | null>(null);
  const [projecting, setProjecting] = useState(false);
  const [col, setCol] = useState<number | null>(null);
  const projSeq = useRef(0);
  const projRef = useRef<ProjectionData | null>(null);
  const props = useRef(p);
  props.current = p;
  const seq = useRef(0);
  const dragStart = useRef<ScenarioDef | null>(null);
  const [conflict, setConflict] = useState<SaveConflict | null>(null);

  const load = useCallback(async () => {
    try {
      const l = await props.current.client.call('scenario.list', {});
      setList(l);
      const pick = l.find((s) => s.id === 'tod-moderate') ?? l[0];
      if (pick) { setId(pick.id); setDef(pick.definition); }
    } catch (e) { props.current.onError(e); }
  }, []);
  useEffect(() => { void load(); }, [load]);

  // Evaluate the definition on screen; a newer request makes older answers stale.
  useEffect(() => {
    if (!def || !p.hasCatchment) return;
    const my = ++seq.current;
    setEvaluating(true);
    const timer = setTimeout(async () => {
      try {
        const r = await props.current.client.call('scenario.evaluate', {
          scenario: def, parcelColumns: true, jobId: newJobId('scenario'), ...(props.current.parcelLayer ? { parcelLayer: props.current.parcelLayer } : {}),
        });
        if (my !== seq.current) return;
        if (r.columns) checkScenarioColumns(r.columns);
        setEvaluation(r);
        props.current.onEvaluated(r);
      } catch (e) {
        if (my !== seq.current) return;
        if (!(e instanceof UiError && e.code === 'E_DISTANCES_MISSING')) props.current.onError(e);
      } finally {
        if (my === seq.current) setEvaluating(false);
      }
    }, 60);
    return () => clearTimeout(timer);
  }, [def, p.hasCatchment, p.parcelLayer]);

  useEffect(() => {
    if (!id || id === 'existing' || !p.hasCatchment) { setProjection(null); return; }
    let live = true;
    props.current.client.call('growth.takeUp', { ids: [id], store: false, ...(props.current.parcelLayer ? { parcelLayer: props.current.parcelLayer } : {}) })
      .then((r) => { if (live) setProjection(r.scenarios[0] ?? null); })
      .catch(() => { if (live) setProjection(null); });
    return () => { live = false; };
  }, [id, version, p.hasCatchment, p.parcelLayer]);

  // The rules on screen: the saved version (its stored take-up when current) or, once edited, the unsaved definition.
  useEffect(() => {
    if (!def || !id || !p.hasCatchment) { setProj(null); return; }
    const my = ++projSeq.current;
    const saved = list?.find((x) => x.id === id);
    const unedited = saved !== undefined && JSON.stringify(saved.definition) === JSON.stringify(def);
    setProjecting(true);
    const timer = setTimeout(async () => {
      try {
        const layer = props.current.parcelLayer ? { parcelLayer: props.current.parcelLayer } : {};
        const w = await props.current.client.call('growth.parcels', unedited ? { id, ...layer } : { scenario: def, ...layer });
        if (my !== projSeq.current) return;
        const d = decodeProjection(w);
        // The same horizons keep the chosen column; new ones start at the last horizon.
        const same = projRef.current !== null && projRef.current.horizons.join() === d.horizons.join();
        projRef.current = d;
        setProj(d);
        setCol((c) => (same && c !== null ? c : Math.max(0, d.horizons.length - 1)));
      } catch {
        if (my === projSeq.current) { projRef.current = null; setProj(null); }
      } finally {
        if (my === projSeq.current) setProjecting(false);
      }
    }, unedited ? 0 : 250);
    return () => clearTimeout(timer);
  }, [def, id, list, version, p.hasCatchment, p.parcelLayer]);

  useEffect(() => {
    props.current.onProjection?.(proj && col !== null ? { data: proj, col: Math.min(col, proj.horizons.length) } : null);
  }, [proj, col]);

  // Unsaved: the rules on screen are not those of the scenario's saved version (an edit, a version shown, a refused save).
  const saved = list?.find((s) => s.id === id)?.definition;
  // Once per new definition, not per render (a slider drag renders often; overrides may run to 100k).
  const unsaved = useMemo(() => !!def && !!saved && !sameDefinition(def, saved), [def, saved]);
  useEffect(() => { props.current.onUnsaved?.(unsaved); }, [unsaved]);
  useEffect(() => () => props.current.onUnsaved?.(false), []);

  const choose = (sid: string) => {
    const s = list?.find((x) => x.id === sid);
    if (s) { setId(s.id); setDef(s.definition); setConflict(null); }
  };

  async function addDefaults() {
    try {
      await p.client.call('scenario.defaults', {});
      await load();
    } catch (e) { p.onError(e); }
  }

  async function save() {
    if (!def || !id) return;
    setConflict(null);
    try {
      const s = await p.client.call('scenario.save', { id, scenario: def });
      setList((l) => (l ? l.map((x) => (x.id === s.id ? s : x)) : l));
      setVersion((v) => v + 1);
      p.onMessage(t('scenario.saved', { name: s.name, v: s.version }));
    } catch (e) {
      const c = saveConflictOf(e, id, def.name);
      if (!c) { p.onError(e); return; }
      // Their version is in this copy now (the store caught up on the refusal): list it, and keep
      // the edits on screen, unsaved, until the planner chooses.
      try { setList(await p.client.call('scenario.list', {})); } catch { /* the list on screen stays */ }
      setConflict(c);
    }
  }

  /** The refused change kept as a new scenario, with the core's own call for it; the new scenario is then shown. */
  async function saveAsNewScenario() {
    if (!conflict) return;
    try {
      const s = await p.client.call('scenario.save', conflict.asNew);
      setConflict(null);
      const l = await p.client.call('scenario.list', {});
      setList(l);
      setId(s.id);
      setDef(s.definition);
      setVersion((v) => v + 1);
      p.onMessage(t('scenario.savedAsNew', { name: s.name }));
    } catch (e) { p.onError(e); }
  }

  /** Drop the refused change and show the colleague's version (an undoable edit of the definition on screen). */
  function showTheirs() {
    if (!conflict || !def) return;
    const theirs = list?.find((x) => x.id === conflict.id);
    setConflict(null);
    if (theirs) commit(def, theirs.definition, t('scenario.showTheirsLabel', { name: theirs.name }));
  }

  const withRule = (d: ScenarioDef, i: number, patch: Partial<ScenarioDef['rules'][number]>): ScenarioDef =>
    ({ ...d, rules: d.rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });

  /** Record an edit from `before` to `after` (both whole definitions) and show `after`. */
  const commit = (before: ScenarioDef, after: ScenarioDef, label: string) => {
    setDef(after);
    if (before === after) return;
    p.history.push({ label, undo: async () => setDef(before), redo: async () => setDef(after) });
  };

  if (!list) return <section className="analysis-section" aria-label={t('scenario.heading')}><p className="muted">{t('app.loading')}</p></section>;
  if (list.length === 0) {
    return (
      <section className="analysis-section" aria-label={t('scenario.heading')}>
        <p className="muted">{t('scenario.none')}</p>
        <button type="button" onClick={() => void addDefaults()} disabled={p.readOnly}>{t('scenario.defaults')}</button>
      </section>
    );
  }

  const tot = evaluation?.indicators.total;
  const change = evaluation?.changeVsExisting;
  const pct = (k: string) => { const c = change?.[k]?.pct; return c === null || c === undefined ? null : `${c >= 0 ? '+' : ''}${(c * 100).toFixed(0)} %`; };
  // The band chart shows the chosen column of the projection; without one, the evaluation's figures, labelled capacity.
  const c = proj && col !== null ? Math.min(col, proj.horizons.length) : null;
  const colLabel = proj && c !== null ? columnLabel(t, proj, c) : t('horizon.capacity');
  const bands = proj && c !== null
    ? proj.bands.map((b) => { const f = c < proj.horizons.length ? b.horizons[c] : b.capacity; return { band: b.band, residents: Math.round(f.residents), jobs: Math.round(f.jobs), floorArea: Math.round(f.floorAreaM2) }; })
    : evaluation?.indicators.bands.map((b) => ({ band: b.band, residents: Math.round(b.indicators.residents), jobs: Math.round(b.indicators.jobs), floorArea: Math.round(b.indicators.floorAreaM2) })) ?? [];
  const cards: [string, number | null | undefined, string, number][] = tot ? [
    [t('scenario.residents'), tot.residents, 'residents', 0],
    [t('scenario.jobs'), tot.jobs, 'jobs', 0],
    [t('scenario.dwellings'), tot.dwellings, 'dwellings', 0],
    [t('scenario.floorArea'), tot.floorAreaM2, 'floorAreaM2', 0],
    [t('scenario.densityHa'), tot.residentsPerHaGross, 'residentsPerHaGross', 0],
    [t('scenario.jobsHousing'), tot.jobsHousingRatio, 'jobsHousingRatio', 2],
  ] : [];

  return (
    <section className="analysis-section scenario" aria-label={t('scenario.heading')}>
      <div className="analysis-controls">
        <label>
          <span>{t('scenario.select')}</span>
          <select value={id ?? ''} onChange={(e) => choose(e.target.value)} aria-label={t('scenario.select')}>
            {list.map((s) => <option key={s.id} value={s.id}>{s.name} (v{s.version})</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void save()} disabled={p.readOnly || !def}>{t('scenario.save')}</button>
        <span className="muted small" aria-live="polite">{evaluating ? t('scenario.evaluating') : evaluation ? t('scenario.evalMs', { ms: Math.round(evaluation.evalMs) }) : ''}</span>
      </div>
      {conflict && (
        <div className="note conflict" role="alert" aria-label={t('scenario.conflictHeading')}>
          <p>{conflict.savedBy !== null && conflict.theirVersion !== null
            ? t('scenario.conflictBy', { name: conflict.name, who: conflict.savedBy, v: conflict.theirVersion })
            : t('scenario.conflict', { name: conflict.name })}</p>
          <button type="button" onClick={() => void saveAsNewScenario()}>{t('scenario.saveAsNewScenario', { name: conflict.asNew.scenario.name })}</button>
          <button type="button" onClick={showTheirs}>{t('scenario.showTheirs')}</button>
        </div>
      )}
      {id && (
        <ScenarioVersions client={p.client} id={id} refresh={`${version}:${list.find((s) => s.id === id)?.version ?? 0}`} onError={p.onError}
          onShow={(d, v) => { if (def) { commit(def, d, t('versions.showLabel', { name: d.name, v })); p.onMessage(t('versions.shown', { name: d.name, v })); } }} />
      )}
      {!p.hasCatchment && <p className="note">{t('scenario.needsCatchment')}</p>}
      <div className="scenario-grid">
        {def && (
          <table className="data-table rules" aria-label={t('scenario.rulesTable')}>
            <thead><tr><th>#</th><th>{t('scenario.bands')}</th><th>{t('scenario.landUses')}</th><th>{t('scenario.maxFar')}</th><th>{t('scenario.maxFloors')}</th><th>{t('scenario.coverage')}</th></tr></thead>
            <tbody>
              {def.rules.map((r, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td className="nowrap">{r.bands?.join(', ') ?? t('scenario.all')}</td>
                  <td className="uses" title={r.landUses?.join(', ')}>{r.landUses?.join(', ') ?? t('scenario.all')}</td>
                  <td><div className="far">
                    <input type="range" min={0} max={15} step={0.1} value={r.maxFar} disabled={p.readOnly}
                      aria-label={t('scenario.ruleFarSlider', { n: i + 1 })}
                      onPointerDown={() => { dragStart.current = def; }}
                      onChange={(e) => setDef(withRule(def, i, { maxFar: Number(e.target.value) }))}
                      onPointerUp={() => { if (dragStart.current) commit(dragStart.current, def, t('history.rule', { field: t('scenario.maxFar'), n: i + 1 })); dragStart.current = null; }}
                    />
                    <input type="number" min={0} max={50} step={0.1} value={r.maxFar} disabled={p.readOnly} aria-label={t('scenario.ruleFar', { n: i + 1 })}
                      onChange={(e) => { const v = Number(e.target.value); if (Number.isFinite(v) && v >= 0 && v <= 50) commit(def, withRule(def, i, { maxFar: v }), t('history.rule', { field: t('scenario.maxFar'), n: i + 1 })); }} />
                  </div></td>
                  <td>
                    <input type="number" min={0} max={300} step={1} value={r.maxFloors} disabled={p.readOnly} aria-label={t('scenario.ruleFloors', { n: i + 1 })}
                      onChange={(e) => { const v = Number(e.target.value); if (Number.isInteger(v) && v >= 0 && v <= 300) commit(def, withRule(def, i, { maxFloors: v }), t('history.rule', { field: t('scenario.maxFloors'), n: i + 1 })); }} />
                  </td>
                  <td className="num">{Math.round(r.coverage * 100)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {projection && (
          <div className="projection" role="group" aria-label={t('scenario.projected')} data-testid="projection">
            <span className="indicator-label">{t('scenario.projected')}</span>
            <ul className="small">
              {projection.takeUp.horizons.map((h) => (
                <li key={h.year}>{t('scenario.projectedLine', { year: h.year, residents: fmt(h.residents), jobs: fmt(h.jobs) })}</li>
              ))}
            </ul>
            {projection.takeUp.plausibility.map((w) => <p key={w} className="note small">{w}</p>)}
          </div>
        )}
        <p className="muted small">{t('scenario.capacityNote')}</p>
        <div className="indicators" role="group" aria-label={t('scenario.indicators')}>
          {cards.map(([label, v, key, digits]) => (
            <div key={key} className="indicator" role="group" aria-label={label}>
              <span className="indicator-label">{label}</span>
              <span className="indicator-value" data-testid={`indicator-${key}`}>{fmt(v, digits)}</span>
              {/* What the rules allow, not a forecast (issue #12): every card says so, Existing excepted. */}
              {id !== 'existing' && <span className="indicator-kind muted small" data-testid={`indicator-kind-${key}`}>{t('horizon.capacity')}</span>}
              {pct(key) && <span className="indicator-delta">{t('scenario.vsExisting', { pct: pct(key)! })}</span>}
            </div>
          ))}
        </div>
        {p.hasCatchment && (
          <div className="horizon" role="group" aria-label={t('horizon.label')}>
            <label className="inline">
              <span>{t('horizon.label')}</span>
              <input type="range" min={0} max={proj ? proj.horizons.length : 0} step={1} value={c ?? 0} disabled={!proj}
                aria-label={t('horizon.slider')} aria-valuetext={colLabel}
                onChange={(e) => setCol(Number(e.target.value))} />
              <output data-testid="horizon-value">{proj ? colLabel : projecting ? t('horizon.loading') : t('horizon.none')}</output>
            </label>
            {proj && projecting && <span className="muted small" aria-live="polite">{t('horizon.loading')}</span>}
            {proj && <span className="muted small" title={proj.source}>{t('horizon.note')}</span>}
          </div>
        )}
        {bands.length > 0 && (
          <figure className="chart band-chart" aria-label={t('scenario.byBand')} data-column={proj && c !== null ? String(proj.horizons[c] ?? 'capacity') : 'capacity'}>
            <figcaption data-testid="band-chart-caption">{t('horizon.byBand', { label: colLabel })}</figcaption>
            <ResponsiveContainer width="100%" height={170}>
              <BarChart data={bands} margin={{ left: 4, right: 8, top: 4, bottom: 4 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="band" tick={{ fontSize: 11 }} />
                <YAxis yAxisId="people" tick={{ fontSize: 11 }} width={48} />
                <YAxis yAxisId="m2" orientation="right" tick={{ fontSize: 11 }} width={56} />
                <Tooltip />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Bar yAxisId="people" dataKey="residents" name={t('horizon.series', { name: t('scenario.residents'), label: colLabel })} fill="#e0a72e" isAnimationActive={false} />
                <Bar yAxisId="people" dataKey="jobs" name={t('horizon.series', { name: t('scenario.jobs'), label: colLabel })} fill="#4f6d8f" isAnimationActive={false} />
                <Bar yAxisId="m2" dataKey="floorArea" name={t('horizon.series', { name: t('horizon.floorArea'), label: colLabel })} fill="#b8c4b0" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
            <table className="sr-only" data-testid="band-chart-values" aria-label={t('horizon.byBand', { label: colLabel })}>
              <tbody>{bands.map((b) => <tr key={b.band}><th>{b.band}</th><td>{b.residents}</td><td>{b.jobs}</td><td>{b.floorArea}</td></tr>)}</tbody>
            </table>
          </figure>
        )}
      </div>
      {evaluation && <p className="muted small">{t('scenario.massingNote')}</p>}
    </section>
  );
}
