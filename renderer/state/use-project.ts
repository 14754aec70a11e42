/** The open project and its features, fetched through the client; one source of truth for the UI. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { UiError, type Client } from '../api/client.js';
import type { Feature, LayerInfo, ProjectInfo } from './types.js';

export interface ProjectState {
  project: ProjectInfo | null;
  /** Whether the first project.info answered (so the UI knows whether to show the welcome page). */
  booted: boolean;
  features: Record<string, Feature[]>;
  loadingLayers: ReadonlySet<string>;
  open(path: string): Promise<void>;
  /** Open a project shared in PostgreSQL/PostGIS by its postgresql:// address. */
  openDatabase(url: string): Promise<void>;
  create(path: string, name: string): Promise<void>;
  refresh(): Promise<void>;
  replaceLayer(info: LayerInfo): void;
  /** Show a project the core opened by another route (a review's plan), or none. */
  adopt(info: ProjectInfo | null): void;
}

const layerKey = (l: LayerInfo) => `${l.name}\u0000${l.count}\u0000${l.provenance.length}`;

/**
 * `resume` runs first at boot: when it answers a project (a review the page was showing before a
 * reload), that is shown and initialPath is not opened, since opening it would end the review.
 */
export function useProject(client: Client, onError: (e: unknown) => void, initialPath: string | null, resume?: () => Promise<ProjectInfo | null>): ProjectState {
  const [project, setProject] = useState<ProjectInfo | null>(null);
  const [booted, setBooted] = useState(false);
  const [features, setFeatures] = useState<Record<string, Feature[]>>({});
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
    setFeatures((f) => Object.fromEntries(Object.entries(f).filter(([k]) => wanted.has(k))));
    const todo = project.layers.filter((l) => loadedKeys.current.get(l.name) !== layerKey(l));
    if (todo.length === 0) return;
    for (const l of todo) loadedKeys.current.set(l.name, layerKey(l));
    setLoading((s) => new Set([...s, ...todo.map((l) => l.name)]));
    for (const l of todo) {
      client.call('layers.features', { layer: l.name })
        .then((fc) => setFeatures((f) => ({ ...f, [l.name]: fc.features })))
        .catch((e) => { loadedKeys.current.delete(l.name); errRef.current(e); })
        .finally(() => setLoading((s) => { const n = new Set(s); n.delete(l.name); return n; }));
    }
  }, [client, project]);

  const open = useCallback(async (path: string) => {
    loadedKeys.current.clear();
    setFeatures({});
    setProject(await client.call('project.open', { path }));
  }, [client]);

  /** A project shared in PostgreSQL/PostGIS (File ▸ Open database…): an address, not a path. */
  const openDatabase = useCallback(async (url: string) => {
    loadedKeys.current.clear();
    setFeatures({});
    setProject(await client.call('project.openDatabase', { url }));
  }, [client]);

  const create = useCallback(async (path: string, name: string) => {
    loadedKeys.current.clear();
    setFeatures({});
    setProject(await client.call('project.create', { path, settings: { name } }));
  }, [client]);

  const refresh = useCallback(async () => {
    setProject(await client.call('project.info', {}));
  }, [client]);

  const replaceLayer = useCallback((info: LayerInfo) => {
    setProject((p) => (p ? { ...p, layers: p.layers.map((l) => (l.name === info.name ? info : l)) } : p));
  }, []);

  const adopt = useCallback((info: ProjectInfo | null) => {
    loadedKeys.current.clear();
    setFeatures({});
    setProject(info);
  }, []);

  return { project, booted, features, loadingLayers, open, openDatabase, create, refresh, replaceLayer, adopt };
}
