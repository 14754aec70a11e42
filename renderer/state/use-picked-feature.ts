/**
 * The clicked feature for the inspector. A parcel of a typed-array layer has no object in the UI:
 * its properties are fetched on demand by fid (layers.features with fids: [fid]), one parcel at a time.
 */
import { useEffect, useState } from 'react';
import type { Client } from '../api/client.js';
import type { Pick } from '../map/map-view.js';
import type { ParcelColumns } from '../map/parcel-columns.js';
import type { Feature } from './types.js';

export function usePickedFeature(
  client: Client, pick: Pick | null, columns: Record<string, ParcelColumns>, features: Record<string, Feature[]>,
  fidOf: (p: Pick) => number | null, onError: (e: unknown) => void,
): Feature | null {
  const [fetched, setFetched] = useState<{ layer: string; fid: number; feature: Feature } | null>(null);
  const typed = pick ? !!columns[pick.layer] : false;
  const fid = pick && typed ? fidOf(pick) : null;
  useEffect(() => {
    if (!pick || !typed || fid === null) return;
    if (fetched?.layer === pick.layer && fetched.fid === fid) return;
    let live = true;
    client.call('layers.features', { layer: pick.layer, fids: [fid] })
      .then((fc) => { const f = fc.features[0]; if (live && f) setFetched({ layer: pick.layer, fid, feature: f }); }, (e) => { if (live) onError(e); });
    return () => { live = false; };
    // fetched is read only to skip a repeat, so it is not a dependency
  }, [client, pick?.layer, typed, fid]);
  if (!pick) return null;
  if (!typed) return features[pick.layer]?.[pick.index] ?? null;
  return fetched && fetched.layer === pick.layer && fetched.fid === fid ? fetched.feature : null;
}
