/** The project's basemap as the UI sees it: state from the core, choose a file, switch it on or off. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Client } from '../api/client.js';
import type { BasemapState, BasemapView } from '../map/basemap-style.js';
import type { TileLoader } from '../map/map-view.js';

export interface BasemapControl {
  state: BasemapState | null;
  /** What the map draws: null when none is set, it is off, or its file cannot be read. */
  view: BasemapView | null;
  loadTile: TileLoader;
  busy: boolean;
  choose(path: string): Promise<void>;
  setEnabled(on: boolean): Promise<void>;
}

export function useBasemap(client: Client, projectPath: string | null, onError: (e: unknown) => void): BasemapControl {
  const [state, setState] = useState<BasemapState | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped on every change, so the tile URLs change and maplibre drops tiles of a previous file.
  const [version, setVersion] = useState(0);
  // The error sink changes with the language; that must not reload the basemap.
  const errorRef = useRef(onError);
  errorRef.current = onError;

  useEffect(() => {
    setState(null);
    if (!projectPath) return;
    let live = true;
    client.call('basemap.info', {}).then((s) => { if (live) { setState(s); setVersion((v) => v + 1); } }, (e) => errorRef.current(e));
    return () => { live = false; };
  }, [client, projectPath]);

  const run = useCallback(async (input: { path?: string; enabled?: boolean }) => {
    setBusy(true);
    const before = state;
    // The switch answers at once; the core's answer (or the old state, on error) follows.
    if (input.enabled !== undefined && before) setState({ ...before, enabled: input.enabled });
    try {
      setState(await client.call('basemap.set', input));
      setVersion((v) => v + 1);
    } catch (e) {
      setState(before);
      errorRef.current(e);
    } finally {
      setBusy(false);
    }
  }, [client, state]);

  const view = useMemo(() => (state?.enabled && state.archive && state.path
    ? { key: `${version}`, archive: state.archive } : null), [state, version]);
  const loadTile = useCallback<TileLoader>((z, x, y) => client.call('basemap.tile', { z, x, y }), [client]);

  return {
    state, view, loadTile, busy,
    choose: (path) => run({ path }),
    setEnabled: (enabled) => run({ enabled }),
  };
}
