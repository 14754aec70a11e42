/** The application shell: toolbar, layer panel, map, inspector and charts, status bar, dialogs. */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { I18nContext, isMessageKey, pickLanguage, translator, type Lang } from './i18n/index.js';
import { UiError, type Client } from './api/client.js';
import type { BridgeProgress } from './api/bridge.js';
import { errorView, type ErrorView } from './api/error-help.js';
import { History } from './state/history.js';
import { useProject } from './state/use-project.js';
import type { LayerRole } from './state/types.js';
import { useMapScene } from './map/use-map-scene.js';
import { numericFields } from './map/scene-data.js';
import { MapView, type Pick } from './map/map-view.js';
import { LayerPanel } from './panels/layer-panel.js';
import { Inspector } from './panels/inspector.js';
import { StatusBar } from './panels/status-bar.js';
import { ErrorBanner } from './panels/error-banner.js';
import { Welcome } from './panels/welcome.js';
import { ImportWizard } from './panels/import-wizard.js';
import { ShortcutsDialog } from './panels/shortcuts-dialog.js';
import { OverviewCharts } from './charts/overview-charts.js';
import { useEditActions } from './state/use-edit-actions.js';
import { useShortcuts } from './state/use-shortcuts.js';
import { runFileAction } from './state/file-actions.js';
import { reportLangOf, type ReportLangChoice } from './state/report-lang.js';
import { AnalysisPanel } from './panels/analysis-panel.js';
import { catchmentShape, streetsDraw, type CatchmentColumns } from './map/catchment-columns.js';
import type { Evaluation } from './panels/scenario-panel.js';
import { accessColouring, bandColouringCodes, evaluationShape, scenarioFarColumns } from './map/analysis-colours.js';
import { columnLabel, farAtColumn, featureOrder, floorsOfFar, projectionColouring, type ProjectionData } from './map/projection-colours.js';
import type { MapClick } from './map/map-view.js';
import { ReviewPanel, type PickedPlace, type ReviewLabels } from './review/review-panel.js';
import { commentPins, pickedCommentId, type ReviewComment } from './review/comment-pins.js';
import { reviewPinLayers } from './review/pin-layers.js';
import { useReview } from './review/use-review.js';
import { isDatabaseAddress } from './panels/open-database-dialog.js';
import { pickPackage, ReviewOpener, type ChosenPackage } from './review/review-opener.js';
import { ReviewBanner } from './review/review-banner.js';
import { reviewErrorView } from './review/review-errors.js';
import { pendingSignerOf, SignerDialog, type PendingSigner } from './review/signer-dialog.js';
import { BrowserDownloads } from './panels/browser-downloads.js';
import { BasemapPanel } from './panels/basemap-panel.js';
import { useBasemap } from './state/use-basemap.js';
import { columnsIndex } from './map/parcel-columns.js';
import { usePickedFeature } from './state/use-picked-feature.js';

export function App({ client, initialProject }: { client: Client; initialProject: string | null }) {
  const [lang, setLang] = useState<Lang>(() => pickLanguage(navigator.languages ?? [navigator.language]));
  const t = useMemo(() => translator(lang), [lang]);
  const [reportChoice, setReportChoice] = useState<ReportLangChoice>('app');
  const reportLang = reportLangOf(reportChoice, lang);
  const [error, setError] = useState<ErrorView | null>(null);
  const [message, setMessage] = useState('');
  const onError = useCallback((e: unknown) => setError(errorView(e, t)), [t]);
  const review = useReview(client);
  const proj = useProject(client, onError, initialProject, review.resume);
  const { project, features, columns } = proj;
  const basemap = useBasemap(client, project?.path ?? null, onError);
  const reviewing = review.session !== null && project !== null;

  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [selectedLayer, setSelectedLayer] = useState<string | null>(null);
  const [colourBy, setColourBy] = useState('landUse');
  const [massing, setMassing] = useState(false);
  const [storey, setStorey] = useState(3.5);
  const [pick, setPick] = useState<Pick | null>(null);
  const [fitKey, setFitKey] = useState(0);
  const [importOpen, setImportOpen] = useState(false);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [jobs, setJobs] = useState<Record<string, BridgeProgress>>({});

  const history = useMemo(() => new History(), []);
  const hist = useSyncExternalStore((cb) => history.subscribe(cb), () => `${history.canUndo}:${history.canRedo}:${history.undoLabel}`);
  void hist;

  // Council review: the comments (for the pins), the selected one, and a pending "click the map" request.
  const [comments, setComments] = useState<ReviewComment[]>([]);
  const [selectedComment, setSelectedComment] = useState<string | null>(null);
  const [placing, setPlacing] = useState(false);
  const [reviewBusy, setReviewBusy] = useState(false);
  const pendingPlace = useRef<((p: PickedPlace | null) => void) | null>(null);
  const onReviewError = useCallback((e: unknown) => setError(reviewErrorView(e, t)), [t]);

  // Progress arrives over its own stream and can trail the call's answer: a finished job stays finished.
  const endedJobs = useRef(new Set<string>());
  useEffect(() => client.bridge.onProgress((e) => {
    if (endedJobs.current.has(e.jobId)) return;
    setJobs((j) => {
      const n = { ...j };
      if (e.fraction !== null && e.fraction >= 1) delete n[e.jobId];
      else n[e.jobId] = e;
      return n;
    });
  }), [client]);

  useEffect(() => client.onJobEnd((id) => setJobs((j) => {
    endedJobs.current.add(id);
    if (!(id in j)) return j;
    const n = { ...j };
    delete n[id];
    return n;
  })), [client]);

  useEffect(() => { document.documentElement.lang = lang; }, [lang]);

  const layers = useMemo(() => project?.layers ?? [], [project]);
  const roleLabel = useCallback((r: string) => { const k = `role.${r}`; return isMessageKey(k) ? t(k) : r; }, [t]);

  // Analysis results, drawn on the main (largest) parcel layer.
  // A catchment run's results as typed arrays (catchment.columns): per-parcel band codes and the reached streets.
  const [catchment, setCatchment] = useState<CatchmentColumns | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [scenarioUnsaved, setScenarioUnsaved] = useState(false);
  const [projection, setProjection] = useState<{ data: ProjectionData; col: number } | null>(null);
  const mainParcels = layers.filter((l) => l.role === 'parcels').reduce<(typeof layers)[number] | null>((a, l) => (!a || l.count > a.count ? l : a), null);
  // The main parcel layer by fid: typed arrays (layers.columns) or, for a parcel layer that is not polygons, features.
  const mainColumns = mainParcels ? columns[mainParcels.name] : undefined;
  const mainFeatureArray = mainParcels && !mainColumns ? features[mainParcels.name] : undefined;
  const mainFeatures = useMemo(() => (mainColumns ? columnsIndex(mainColumns) : mainFeatureArray),
    // a column added to the layer (ensureColumns) changes neither its fids nor its geometry: no rebuild
    [mainColumns?.fids, mainColumns?.geometry, mainFeatureArray]);
  const mainCount = mainColumns ? mainColumns.count : mainFeatureArray?.length ?? 0;
  useEffect(() => {
    window.__ekimaeCatchmentState = () => catchmentShape(catchment);
    return () => { delete window.__ekimaeCatchmentState; };
  }, [catchment]);
  useEffect(() => {
    window.__ekimaeEvaluationState = () => evaluationShape(evaluation);
    return () => { delete window.__ekimaeEvaluationState; };
  }, [evaluation]);
  // Results keyed by the fids of the layer the run read: only that layer is coloured by them.
  const bandCol = useMemo(() => (catchment && mainFeatures && catchment.parcelsLayer === mainParcels?.name
    ? { key: `band:${catchment.runId}:${lang}`, colouring: bandColouringCodes(mainFeatures, mainColumns?.fids ?? null, catchment.parcels, catchment.bandsM, (m) => (m === null ? t('catchment.unreached') : t('catchment.within', { m: Math.round(m) }))) }
    : null), [catchment, mainFeatures, mainColumns?.fids, mainParcels?.name, t, lang]);
  const streetLines = useMemo(() => {
    const d = catchment ? streetsDraw(catchment, t('catchment.streets')) : null;
    return d ? [d] : [];
  }, [catchment, t]);
  const far = useMemo(() => (evaluation?.columns && mainFeatures && evaluation.parcelLayer === mainParcels?.name
    ? scenarioFarColumns(mainFeatures, mainColumns?.fids ?? null, evaluation.columns) : null), [evaluation, mainFeatures, mainColumns?.fids, mainParcels?.name]);
  const evalKey = useRef(0);
  // Without a projection the scenario's evaluation is capacity, and its legend says so.
  const capacityCol = useMemo(() => (far ? { key: `far:${++evalKey.current}:${lang}`, label: t('horizon.capacity'), colouring: projectionColouring(far, t('horizon.capacity')), floors: floorsOfFar(far) } : null), [far, t, lang]);
  // The projection by horizon: feature order once per answer, then one column per horizon move (cached, so
  // moving back is a buffer swap); no request per move.
  const projData = projection && mainFeatures && projection.data.parcelLayer === mainParcels?.name ? projection.data : null;
  const projOrder = useMemo(() => (projData && mainFeatures ? featureOrder(mainFeatures, projData.fids) : null), [projData, mainFeatures]);
  const projCache = useRef<{ seq: number; lang: string; cols: Map<number, NonNullable<typeof capacityCol>> }>({ seq: -1, lang: '', cols: new Map() });
  const projCol = useMemo(() => {
    if (!projData || !projOrder || !mainFeatures || !projection) return null;
    const cache = projCache.current;
    if (cache.seq !== projData.seq || cache.lang !== lang) { cache.seq = projData.seq; cache.lang = lang; cache.cols = new Map(); }
    let hit = cache.cols.get(projection.col);
    if (!hit) {
      const farCol = farAtColumn(projData, projOrder, mainCount, projection.col);
      const label = columnLabel(t, projData, projection.col);
      hit = { key: `proj:${projData.seq}:${projection.col}:${lang}`, label, colouring: projectionColouring(farCol, label), floors: floorsOfFar(farCol) };
      cache.cols.set(projection.col, hit);
    }
    return hit;
  }, [projData, projOrder, mainFeatures, mainCount, projection, t, lang]);
  const farCol = projCol ?? capacityCol;
  // Accessibility (ekimae access): the latest run's bands as colourings; values fetched for the chosen one only, kept as typed arrays.
  const [accessRun, setAccessRun] = useState<{ runId: number; bandsM: number[]; parcelsLayer: string } | null>(null);
  const [accessVals, setAccessVals] = useState<{ key: string; fids: Float64Array; values: Float64Array } | null>(null);
  useEffect(() => {
    let live = true;
    setAccessRun(null); setAccessVals(null);
    if (!project) return;
    client.call('access.results', {}).then((r) => { if (live) setAccessRun({ runId: r.runId, bandsM: r.bandsM, parcelsLayer: r.parcelsLayer }); }, () => {});
    return () => { live = false; };
    // By generation too: a reload from the database keeps the address but may bring a colleague's newer run.
  }, [client, project?.path, proj.generation]);
  useEffect(() => {
    const m = /^access:(residents|jobs):(\d+(?:\.\d+)?)$/.exec(colourBy);
    if (!m || !accessRun) return;
    const key = `${accessRun.runId}:${colourBy}`;
    if (accessVals?.key === key) return;
    let live = true;
    client.call('access.values', { runId: accessRun.runId, of: 'parcels', quantity: m[1] as 'residents' | 'jobs', bandM: Number(m[2]) })
      .then((v) => {
        // Typed on the wire (binary body over HTTP, cloned over IPC): checked, not copied.
        if (!(v.ids instanceof Float64Array) || !(v.values instanceof Float64Array) || v.ids.length !== v.values.length) throw new UiError('E_BINARY_BODY_INVALID', `access.values: ${v.ids?.length} ids for ${v.values?.length} values`);
        if (live) setAccessVals({ key, fids: v.ids, values: v.values });
      }).catch((e: unknown) => { if (live) onError(e); });
    return () => { live = false; };
  }, [client, colourBy, accessRun, accessVals?.key, onError]);
  const accessCol = useMemo(() => (accessVals && mainFeatures && accessRun?.parcelsLayer === mainParcels?.name && accessVals.key === `${accessRun?.runId}:${colourBy}`
    ? { key: `access:${accessVals.key}:${lang}`, colouring: accessColouring(mainFeatures, accessVals.fids, accessVals.values, t('layers.noData')) } : null),
  [accessVals, mainFeatures, accessRun, mainParcels?.name, colourBy, lang, t]);
  const custom = colourBy === 'band' ? bandCol : colourBy === 'scenarioFar' && farCol ? { key: farCol.key, colouring: farCol.colouring } : colourBy.startsWith('access:') ? accessCol : null;

  const { scene, context, legends, landUseAreas, parcelLayer } = useMapScene({
    layers, features, columns, hidden, colourBy: custom ? 'custom' : colourBy, massing, storeyHeight: storey, selection: pick, noDataLabel: t('layers.noData'), roleLabel,
    custom, floorsOverride: farCol ? { key: farCol.key, floors: farCol.floors } : null, analysisLines: streetLines,
  });

  /** The fid of a picked feature: from the typed fids of a parcel layer, else the feature's id. */
  const fidOf = useCallback((p: Pick): number | null => {
    const cols = columns[p.layer];
    if (cols) return p.index >= 0 && p.index < cols.count ? cols.fids[p.index] : null;
    const id = features[p.layer]?.[p.index]?.id;
    return typeof id === 'number' ? id : null;
  }, [columns, features]);

  const endPlacing = useCallback((p: PickedPlace | null) => {
    pendingPlace.current?.(p);
    pendingPlace.current = null;
    setPlacing(false);
  }, []);
  const onPickLocation = useCallback(() => new Promise<PickedPlace | null>((resolve) => {
    pendingPlace.current?.(null);
    pendingPlace.current = resolve;
    setPlacing(true);
  }), []);
  const onMapClick = useCallback((c: MapClick) => {
    if (pendingPlace.current) {
      // On a plan feature the comment is about it, pinned where the reviewer clicked.
      const fid = c.pick ? fidOf(c.pick) : null;
      endPlacing({ lon: c.lon, lat: c.lat, ...(c.pick && fid !== null ? { layer: c.pick.layer, fid } : {}) });
      return;
    }
    const id = pickedCommentId({ layer: c.layerId ? { id: c.layerId } : null, object: c.object });
    if (id) setSelectedComment(id);
  }, [fidOf, endPlacing]);
  const pinRows = useMemo(() => (reviewing ? commentPins(comments, { selectedId: selectedComment }) : []), [reviewing, comments, selectedComment]);
  const overlays = useMemo(() => reviewPinLayers(pinRows, selectedComment), [pinRows, selectedComment]);
  const reviewLabels = useMemo((): ReviewLabels => ({
    title: t('review.panel.title'), author: t('review.panel.author'), text: t('review.panel.text'), pin: t('review.panel.pin'),
    picking: t('review.panel.picking'), resolve: t('review.panel.resolve'), reopen: t('review.panel.reopen'), remove: t('review.panel.remove'),
    confirmRemove: t('review.panel.confirmRemove'), showResolved: t('review.panel.showResolved'), export: t('review.panel.export'),
    exported: t('review.panel.exported'), none: t('review.panel.none'), notOpen: t('review.panel.notOpen'), earlier: t('review.panel.earlier'),
    onFeature: t('review.panel.onFeature'),
  }), [t]);

  const resetView = useCallback(() => {
    history.clear();
    setPick(null);
    setSelectedLayer(null);
    setHidden(new Set());
    setCatchment(null);
    setEvaluation(null);
    setProjection(null);
    setColourBy('landUse');
    setSelectedComment(null);
    endPlacing(null);
  }, [history, endPlacing]);

  // A package whose signer is unknown (or whose key changed) waits here for the reviewer's explicit answer.
  const [signerAsk, setSignerAsk] = useState<{ chosen: ChosenPackage; pending: PendingSigner } | null>(null);
  const openReview = useCallback(async (chosen: Promise<ChosenPackage | null>, acceptSigner?: { fingerprint: string; name?: string }) => {
    setError(null);
    setReviewBusy(true);
    let c: ChosenPackage | null = null;
    try {
      c = await chosen;
      if (!c) return;
      const r = await review.open(c.path, { name: c.name, reviewFile: c.reviewFile, previousPath: project && !review.session ? project.path : null, acceptSigner });
      resetView();
      setComments(r.comments);
      proj.adopt(r.project);
      setMessage(t('review.opened', { name: c.name }));
    } catch (e) {
      const pending = acceptSigner ? null : pendingSignerOf(e);
      if (pending && c) setSignerAsk({ chosen: c, pending });
      else onReviewError(e);
    } finally {
      setReviewBusy(false);
    }
  }, [review, project, proj, resetView, onReviewError, t]);

  const closeReview = useCallback(async () => {
    setReviewBusy(true);
    try {
      const back = await review.close();
      resetView();
      setComments([]);
      setMessage(t('review.closed'));
      // The previous project may have moved meanwhile: then the welcome page, with the reason.
      if (back) await proj.open(back).catch((e: unknown) => { proj.adopt(null); throw e; });
      else proj.adopt(null);
    } catch (e) {
      onReviewError(e);
    } finally {
      setReviewBusy(false);
    }
  }, [review, proj, resetView, onReviewError, t]);

  // Opening or creating a project by any route ends a review in the core; the UI follows. What the
  // view holds (undo history, catchment, colouring) belonged to the project before: an undo there must
  // never run on the one now open, so the view starts afresh (the analysis panels remount by generation).
  const projForFiles = useMemo(() => {
    const after = () => { if (review.session) review.forget(); resetView(); };
    return {
      ...proj,
      open: async (p: string) => { await proj.open(p); after(); },
      openDatabase: async (url: string) => { await proj.openDatabase(url); after(); },
      create: async (p: string, n: string) => { await proj.create(p, n); after(); },
      reload: async () => { await proj.reload(); after(); },
    };
  }, [proj, review, resetView]);

  const edits = useEditActions({ client, history, t, layers, replaceLayer: proj.replaceLayer, onError, onMessage: setMessage });

  const undo = useCallback(() => {
    history.undo().then((l) => setMessage(l ? t('status.undone', { label: l }) : t('status.nothingToUndo')), onError);
  }, [history, t, onError]);
  const redo = useCallback(() => {
    history.redo().then((l) => setMessage(l ? t('status.redone', { label: l }) : t('status.nothingToRedo')), onError);
  }, [history, t, onError]);

  const actions = useMemo(() => ({
    undo, redo,
    import: () => { if (project) setImportOpen(true); },
    massing: () => setMassing((m) => !m),
    fit: () => setFitKey((k) => k + 1),
    help: () => setShortcutsOpen(true),
    escape: () => { setShortcutsOpen(false); setPick(null); endPlacing(null); },
  }), [undo, redo, project, endPlacing]);
  useShortcuts(actions, importOpen);
  // What a reload from the database would drop: the scenario edit on screen, if it is not saved (everything else is saved as it is made).
  const menuDeps = useRef({ client, proj: projForFiles, t, onError, onMessage: setMessage, reportLang, hasEdits: scenarioUnsaved });
  menuDeps.current = { client, proj: projForFiles, t, onError, onMessage: setMessage, reportLang, hasEdits: scenarioUnsaved };
  const openReviewRef = useRef(openReview);
  openReviewRef.current = openReview;
  useEffect(() => client.bridge.onMenu((a) => {
    const local: Record<string, (() => void) | undefined> = {
      'edit.undo': actions.undo, 'edit.redo': actions.redo, 'file.import': actions.import, 'help.shortcuts': actions.help,
      'file.review': () => void openReviewRef.current(pickPackage(client.bridge, menuDeps.current.t('review.open'))),
    };
    const fn = local[a];
    if (fn) fn();
    else void runFileAction(a, menuDeps.current);
  }), [client, actions]);

  const bbox = project?.bbox ?? null;
  // Fit once when the project first has an extent.
  useEffect(() => { if (bbox) setFitKey((k) => k + 1); }, [project?.path, bbox === null]);

  const pickedLayer = pick ? layers.find((l) => l.name === pick.layer) ?? null : null;
  const pickedFeature = usePickedFeature(client, pick, columns, features, fidOf, onError);
  const numeric = parcelLayer ? numericFields(columns[parcelLayer.name] ? [] : features[parcelLayer.name] ?? [], parcelLayer.fields.filter((f) => !f.personal)) : [];
  // A colour-by field of a typed-array layer is fetched when first chosen (only land use and floors come with the geometry).
  const ensureColumns = proj.ensureColumns;
  useEffect(() => {
    if (parcelLayer && columns[parcelLayer.name] && colourBy.startsWith('num:')) ensureColumns(parcelLayer.name, [colourBy.slice(4)]);
  }, [parcelLayer, columns, colourBy, ensureColumns]);
  const counts = useMemo(() => layers.map((l) => {
    const name = l.title || l.name;
    return { name: name.length > 18 ? `${name.slice(0, 17)}…` : name, count: l.count };
  }), [layers]);

  if (!proj.booted) {
    return <I18nContext.Provider value={t}><div className="boot" role="progressbar" aria-label={t('app.loading')}>{t('app.loading')}</div></I18nContext.Provider>;
  }

  return (
    <I18nContext.Provider value={t}>
      {signerAsk && (
        <SignerDialog pending={signerAsk.pending} packageName={signerAsk.chosen.name} busy={reviewBusy}
          onCancel={() => setSignerAsk(null)}
          onAccept={(name) => { const { chosen, pending } = signerAsk; setSignerAsk(null); void openReview(Promise.resolve(chosen), { fingerprint: pending.fingerprint, name }); }} />
      )}
      {!project ? (
        <div className="welcome-page">
          {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
          <Welcome
            busy={false}
            canBrowse={!!client.bridge.pickFile}
            onOpen={(p) => { setError(null); projForFiles.open(p).catch(onError); }}
            onCreate={(p, n) => { setError(null); projForFiles.create(p, n).catch(onError); }}
            onBrowse={async () => (await client.bridge.pickFile?.({ title: t('welcome.open'), filters: [{ name: 'GeoPackage', extensions: ['gpkg'] }] })) ?? null}
          >
            <div className="welcome-review">
              <h2>{t('review.welcomeHeading')}</h2>
              <p className="muted">{t('review.welcomeBody')}</p>
              <div className="actions"><ReviewOpener bridge={client.bridge} busy={reviewBusy} onChosen={(c) => void openReview(c)} /></div>
            </div>
          </Welcome>
        </div>
      ) : (
        <div className="app">
          <header className="toolbar" role="toolbar" aria-label="toolbar">
            <div className="brand"><span className="logo">駅</span><span>{t('app.title')}</span><span className="project-name">{project.settings.name}</span></div>
            {!reviewing && (
              <>
                <button type="button" onClick={actions.import} disabled={project.readOnly}>{t('toolbar.import')}</button>
                <span className="sep" />
                <button type="button" onClick={undo} disabled={!history.canUndo} title={history.undoLabel ?? ''} aria-label={t('toolbar.undo')}>↶ {t('toolbar.undo')}</button>
                <button type="button" onClick={redo} disabled={!history.canRedo} title={history.redoLabel ?? ''} aria-label={t('toolbar.redo')}>↷ {t('toolbar.redo')}</button>
                <span className="sep" />
                <ReviewOpener bridge={client.bridge} busy={reviewBusy} onChosen={(c) => void openReview(c)} />
                <span className="sep" />
                <BrowserDownloads client={client} projectName={project.settings.name} layers={layers} onError={onError} onMessage={setMessage} reportLang={reportLang} reportChoice={reportChoice} onReportChoice={setReportChoice} appLang={lang} />
                {isDatabaseAddress(project.path) && (
                  <>
                    <span className="sep" />
                    <button type="button" onClick={() => { setError(null); void runFileAction('file.reloadDatabase', menuDeps.current); }} title={t('toolbar.reloadTitle')}>↻ {t('toolbar.reload')}</button>
                  </>
                )}
              </>
            )}
            <label className="inline">
              <span>{t('layers.colourBy')}</span>
              <select value={colourBy} onChange={(e) => setColourBy(e.target.value)} aria-label={t('layers.colourBy')}>
                <option value="landUse">{t('layers.colourLandUse')}</option>
                <option value="single">{t('layers.colourNone')}</option>
                {bandCol && <option value="band">{t('layers.colourBand')}</option>}
                {farCol && <option value="scenarioFar">{t('layers.colourScenarioAt', { label: farCol.label })}</option>}
                {accessRun && accessRun.parcelsLayer === mainParcels?.name && accessRun.bandsM.flatMap((b) => [
                  <option key={`r${b}`} value={`access:residents:${b}`}>{t('layers.colourResidents', { m: Math.round(b) })}</option>,
                  <option key={`j${b}`} value={`access:jobs:${b}`}>{t('layers.colourJobs', { m: Math.round(b) })}</option>,
                ])}
                {numeric.map((f) => <option key={f} value={`num:${f}`}>{f}</option>)}
              </select>
            </label>
            <label className="inline toggle">
              <input type="checkbox" checked={massing} onChange={() => setMassing((m) => !m)} aria-label={t('toolbar.massing')} />
              <span>{t('toolbar.massing')}</span>
            </label>
            {massing && (
              <label className="inline">
                <span>{t('toolbar.storey')}</span>
                <input type="range" min={2.5} max={6} step={0.1} value={storey} onChange={(e) => setStorey(Number(e.target.value))} aria-label={t('toolbar.storey')} />
                <output>{storey.toFixed(1)}</output>
              </label>
            )}
            <span className="grow" />
            <button type="button" onClick={actions.fit} aria-label={t('toolbar.fit')}>⤢</button>
            <button type="button" onClick={actions.help} aria-label={t('toolbar.shortcuts')}>?</button>
          </header>
          {reviewing && review.session && <ReviewBanner session={review.session} busy={reviewBusy} onClose={() => void closeReview()} />}
          {error && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
          <aside className="left">
            <LayerPanel
              layers={layers} hidden={hidden} selected={selectedLayer} legends={legends} busy={edits.busy || project.readOnly}
              onToggle={(n) => setHidden((h) => { const s = new Set(h); if (s.has(n)) s.delete(n); else s.add(n); return s; })}
              onSelect={(n) => setSelectedLayer((s) => (s === n ? null : n))}
              onRole={(n, r: LayerRole) => void edits.setRole(n, r)}
              onFieldMap={(n, s, f) => void edits.setField(n, s, f)}
            />
            <BasemapPanel
              control={basemap} readOnly={project.readOnly}
              pickFile={client.bridge.pickFile ? async () => (await client.bridge.pickFile?.({ title: t('basemap.choose'), filters: [{ name: 'PMTiles / MBTiles', extensions: ['pmtiles', 'mbtiles'] }] })) ?? null : undefined}
            />
          </aside>
          <main className="centre">
            <div className="map-wrap">
              <MapView scene={scene} context={context} bbox={bbox} fitKey={fitKey} onPick={setPick} overlays={overlays} onClick={onMapClick} placing={placing} basemap={basemap.view} loadTile={basemap.loadTile} />
              {placing && <div className="map-hint" role="status" aria-label={t('review.placingLabel')}>{t('review.placingHint')}</div>}
              {proj.loadingLayers.size > 0 && <div className="map-loading" role="progressbar" aria-label={t('app.loading')}>{t('app.loading')}</div>}
            </div>
            <AnalysisPanel
              key={proj.generation}
              client={client} history={history} parcelLayer={mainParcels?.name ?? null} readOnly={project.readOnly} hasCatchment={!!catchment} currency={project.settings.currency ?? ''}
              onCatchment={(_run, results) => { setCatchment(results); setColourBy('band'); }}
              onEvaluated={setEvaluation} onProjection={setProjection} onScenarioUnsaved={setScenarioUnsaved} onError={onError} onMessage={setMessage}
            />
          </main>
          <aside className="right">
            {reviewing && review.session && (
              <ReviewPanel
                key={`${review.session.package}|${review.session.manifestSha256}`}
                client={client} onPickLocation={onPickLocation} selectedId={selectedComment} onSelect={setSelectedComment}
                onCommentsChange={setComments} onError={onReviewError} labels={reviewLabels}
              />
            )}
            <Inspector layer={pickedLayer} feature={pickedFeature} onClose={() => setPick(null)} />
            <OverviewCharts counts={counts} areas={landUseAreas} />
          </aside>
          <StatusBar
            projectName={project.settings.name} readOnly={project.readOnly} jobs={Object.values(jobs)} message={message}
            lang={lang} onLang={setLang} reportChoice={reportChoice} onReportChoice={setReportChoice}
            onCancel={(jobId) => { client.call('jobs.cancel', { jobId }).catch(onError); }}
          />
        </div>
      )}
      {importOpen && project && (
        <ImportWizard
          client={client} readOnly={project.readOnly}
          onClose={() => setImportOpen(false)}
          onImported={() => { proj.refresh().catch(onError); }}
        />
      )}
      {shortcutsOpen && <ShortcutsDialog onClose={() => setShortcutsOpen(false)} />}
    </I18nContext.Provider>
  );
}

