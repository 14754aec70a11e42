/** The open project and its features, fetched through the client; one source of truth for the UI. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { UiError, type Client } from '../api/client.js';
import type { Feature, LayerInfo, ProjectInfo } from './types.js';
import { checkLayerColumns, longestArray, type ParcelColumns } from '../map/parcel-columns.js';
import { CATCHMENT_STREETS_LAYER } from '../map/catchment-columns.js';

export interface ProjectState {
  project: ProjectInfo | null;
  /** Whether the first project.info answered (so the UI knows whether to show the welcome page). */
  booted: boolean;
  /** Small layers (stations, lines, zones) as GeoJSON features. */
  features: Record<string, Feature[]>;
  /** Parcel layers as typed arrays (layers.columns): no object per parcel anywhere in state. */
  columns: Record<string, ParcelColumns>;
  /** Fetch columns of a typed-array layer that it does not hold yet (a colour-by field, say). */
  ensureColumns(layer: string, fields: string[]): void;
  loadingLayers: ReadonlySet<string>;
  open(path: string): Promise<void>;
  /** Open a project shared in PostgreSQL/PostGIS by its postgresql:// address. */
  openDatabase(url: string): Promise<void>;
  /** A database project: a fresh working copy with colleagues' saves since it was opened (project.reload). */
  reload(): Promise<void>;
  /**
   * Counts the projects put on screen (open, open database, create, reload, adopt): whatever the
   * app holds of the one before (undo history, panels' lists, catchment) belongs to that one only.
   */
  generation: number;
  create(path: string, name: string): Promise<void>;
  refresh(): Promise<void>;
  replaceLayer(info: LayerInfo): void;
  /** Show a project the core opened by another route (a review's plan), or none. */
  adopt(info: ProjectInfo | null): void;
}

/** Parcel polygons and the walk network come as typed arrays (the layers that grow to millions); everything else as GeoJSON. */
export const asColumns = (l: LayerInfo) => (l.role === 'parcels' && /POLYGON/i.test(l.geometryType)) || (l.role === 'network' && /LINE/i.test(l.geometryType));
const layerKey = (l: LayerInfo) => `${l.name}\u0000${l.count}\u0000${l.provenance.length}\u0000${asColumns(l)}`;

/** The columns a parcel layer is drawn with at first: its mapped land use and floors (never a personal field). */
function firstFields(l: LayerInfo): string[] {
  const personal = new Set(l.fields.filter((f) => f.personal).map((f) => f.name));
  const have = new Set(l.fields.map((f) => f.name));
  return [...new Set([l.fieldMap.land_use, l.fieldMap.floors])].filter((f): f is string => !!f && have.has(f) && !personal.has(f));
}

declare global {
  interface Window {
    /** Test hook: what the project state holds, by layer (no data, only shapes). */
    __ekimaeLayerState?: () => { features: Record<string, number>; columns: Record<string, { count: number; fields: string[]; bytes: number }>; longestArray: number };
  }
}

/**
 * `resume` runs first at boot: when it answers a project (a review the page was showing before a
 * reload), that is shown and initialPath is not opened, since opening it would end the review.
 */
export function useProject(client: Client, onError: (e: unknown) => void, initialPath: string | null, resume?: () => Promise<ProjectInfo | null>): ProjectState {
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [generation, setGeneration] = useState(0);
  const [booted, setBooted] = useState(false);
  const [features, setFeatures] = useState<Record<string, Feature[]>>({});
  const [columns, setColumns] = useState<Record<string, ParcelColumns>>({});
  const columnsRef = useRef(columns);
  columnsRef.current = columns;
  const pendingColumns = useRef(new Set<string>());
  const [loadingLayers, setLoading] = useState<ReadonlySet<string>>(new Set());
  const loadedKeys = useRef(new Map<string, string>());
  const errRef = useRef(onError);
  errRef.current = onError;
  const resumeRef = useRef(resume);
  resumeRef.current = resume;

  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const resumed = await resumeRef.current?.().catch((e: unknown) => { errRef.current(e); return null; });
        if (resumed) {
          if (live) setProject(resumed);
          return;
        }
        const info = await client.call('project.info', {});
        if (live) setProject(info);
      } catch (e) {
        if (!(e instanceof UiError && e.code === 'E_PROJECT_NOT_OPEN')) errRef.current(e);
        else if (initialPath) {
          try {
            const info = await client.call('project.open', { path: initialPath });
            if (live) setProject(info);
          } catch (e2) { errRef.current(e2); }
        }
      } finally {
        if (live) setBooted(true);
      }
    })();
    return () => { live = false; };
  }, [client, initialPath]);

  // Fetch every layer whose content changed; all layers in parallel so the map fills at once.
  useEffect(() => {
    if (!project) return;
    const wanted = new Map(project.layers.map((l) => [l.name, layerKey(l)]));
    for (const name of [...loadedKeys.current.keys()]) {
      if (!wanted.has(name)) loadedKeys.current.delete(name);
    }
    const kindOf = new Map(project.layers.map((l) => [l.name, asColumns(l)]));
    setFeatures((f) => Object.fromEntries(Object.entries(f).filter(([k]) => kindOf.get(k) === false)));
    setColumns((c) => Object.fromEntries(Object.entries(c).filter(([k]) => kindOf.get(k) === true)));
    // A catchment's reached streets (tens of thousands of pieces) come typed with the run (catchment.columns), not as features.
    const todo = project.layers.filter((l) => l.name !== CATCHMENT_STREETS_LAYER && loadedKeys.current.get(l.name) !== layerKey(l));
    if (todo.length === 0) return;
    for (const l of todo) loadedKeys.current.set(l.name, layerKey(l));
    setLoading((s) => new Set([...s, ...todo.map((l) => l.name)]));
    for (const l of todo) {
      const load = asColumns(l)
        ? client.call('layers.columns', { layer: l.name, fields: firstFields(l) }).then((v) => {
          const cols = checkLayerColumns(v);
          setColumns((c) => ({ ...c, [l.name]: cols }));
        })
        : client.call('layers.features', { layer: l.name }).then((fc) => setFeatures((f) => ({ ...f, [l.name]: fc.features })));
      load
        .catch((e) => { loadedKeys.current.delete(l.name); errRef.current(e); })
        .finally(() => setLoading((s) => { const n = new Set(s); n.delete(l.name); return n; }));
    }
  }, [client, project]);

  const ensureColumns = useCallback((layer: string, fields: string[]) => {
    const have = columnsRef.current[layer];
    if (!have) return;
    const missing = fields.filter((f) => !(f in have.columns) && !pendingColumns.current.has(`${layer}\u0000${f}`));
    if (missing.length === 0) return;
    for (const f of missing) pendingColumns.current.add(`${layer}\u0000${f}`);
    client.call('layers.columns', { layer, fields: missing, geometry: false })
      .then((v) => {
        const more = checkLayerColumns(v);
        setColumns((c) => {
          const cur = c[layer];
          // The layer was reloaded meanwhile (another import): these values belong to the old one.
          if (!cur || cur.fids.length !== more.fids.length || cur.fids[0] !== more.fids[0] || cur.fids[cur.count - 1] !== more.fids[more.count - 1]) return c;
          return { ...c, [layer]: { ...cur, columns: { ...cur.columns, ...more.columns } } };
        });
      })
      .catch((e) => errRef.current(e))
      .finally(() => { for (const f of missing) pendingColumns.current.delete(`${layer}\u0000${f}`); });
  }, [client]);

  useEffect(() => {
    window.__ekimaeLayerState = () => ({
      features: Object.fromEntries(Object.entries(features).map(([k, v]) => [k, v.length])),
      columns: Object.fromEntries(Object.entries(columns).map(([k, c]) => [k, {
        count: c.count, fields: Object.keys(c.columns),
        bytes: c.fids.byteLength + (c.geometry ? c.geometry.coords.byteLength + c.geometry.ringStarts.byteLength + c.geometry.partStarts.byteLength + c.geometry.featureStarts.byteLength : 0),
      }])),
      longestArray: Math.max(longestArray(features), longestArray(columns)),
    });
    return () => { delete window.__ekimaeLayerState; };
  }, [features, columns]);

  /** Show a project the core now has open: nothing drawn or loaded for the one before is kept. */
  const adopt = useCallback((info: ProjectInfo | null) => {
    loadedKeys.current.clear();
    setFeatures({});
    setColumns({});
    setProject(info);
    setGeneration((g) => g + 1);
  }, []);

  const open = useCallback(async (path: string) => adopt(await client.call('project.open', { path })), [client, adopt]);

  /** A project shared in PostgreSQL/PostGIS (File ▸ Open database…): an address, not a path. */
  const openDatabase = useCallback(async (url: string) => adopt(await client.call('project.openDatabase', { url })), [client, adopt]);

  const reload = useCallback(async () => adopt(await client.call('project.reload', {})), [client, adopt]);

  const create = useCallback(async (path: string, name: string) => adopt(await client.call('project.create', { path, settings: { name } })), [client, adopt]);

  const refresh = useCallback(async () => {
    setProject(await client.call('project.info', {}));
  }, [client]);

  const replaceLayer = useCallback((info: LayerInfo) => {
    setProject((p) => (p ? { ...p, layers: p.layers.map((l) => (l.name === info.name ? info : l)) } : p));
  }, []);

  return { project, booted, features, columns, ensureColumns, loadingLayers, open, openDatabase, reload, generation, create, refresh, replaceLayer, adopt };
}
