/** Edits to layer roles and field mapping, each recorded in the undo history with its inverse. */
import { useCallback, useRef, useState } from 'react';
import type { Client } from '../api/client.js';
import type { Translate } from '../i18n/index.js';
import type { History } from './history.js';
import type { LayerInfo, LayerRole } from './types.js';

export interface EditDeps {
  client: Client;
  history: History;
  t: Translate;
  layers: LayerInfo[];
  replaceLayer(info: LayerInfo): void;
  onError(e: unknown): void;
  onMessage(m: string): void;
}

/** The mapping call that turns `from` into `want` (keys absent from want are cleared). */
export function mappingPatch(from: Record<string, string>, want: Record<string, string>): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(want)])) {
    if ((from[k] ?? null) !== (want[k] ?? null)) patch[k] = want[k] ?? null;
  }
  return patch;
}

export function useEditActions(d: EditDeps) {
  const [busy, setBusy] = useState(false);
  const deps = useRef(d);
  deps.current = d;

  // Setting a role re-detects mapping the user has not set, so undo restores the mapping too.
  const applyRole = useCallback(async (layer: string, role: LayerRole, mapping: Record<string, string> | null) => {
    const { client, replaceLayer } = deps.current;
    let info = await client.call('layers.setRole', { layer, role });
    if (mapping) {
      const patch = mappingPatch(info.fieldMap, mapping);
      if (Object.keys(patch).length) info = await client.call('layers.setFieldMap', { layer, mapping: patch });
    }
    replaceLayer(info);
  }, []);

  const setRole = useCallback(async (layer: string, role: LayerRole) => {
    const { layers, history, t, onError } = deps.current;
    const before = layers.find((l) => l.name === layer);
    if (!before || before.role === role) return;
    const oldRole = before.role;
    const oldMap = { ...before.fieldMap };
    setBusy(true);
    try {
      await applyRole(layer, role, null);
      history.push({
        label: t('history.role', { name: before.title || layer }),
        undo: () => applyRole(layer, oldRole, oldMap),
        redo: () => applyRole(layer, role, null),
      });
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }, [applyRole]);

  const setField = useCallback(async (layer: string, semantic: string, field: string | null) => {
    const { layers, history, t, client, replaceLayer, onError } = deps.current;
    const before = layers.find((l) => l.name === layer);
    if (!before) return;
    const old = before.fieldMap[semantic] ?? null;
    if (old === field) return;
    const apply = async (v: string | null) => replaceLayer(await client.call('layers.setFieldMap', { layer, mapping: { [semantic]: v } }));
    setBusy(true);
    try {
      await apply(field);
      history.push({ label: t('history.fieldMap', { name: before.title || layer }), undo: () => apply(old), redo: () => apply(field) });
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }, []);

  return { busy, setRole, setField };
}
