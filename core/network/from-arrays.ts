/** A network layer read as typed arrays (core/store/layer-arrays.ts) -> columnar LineSource, as lineSourceFromFeatures makes it. */
import type { LayerArrays } from '../store/layer-arrays.js';
import { valueAt } from '../store/layer-arrays.js';
import type { Value } from '../io/types.js';
import { defaultClassifier, isWalkable, levelOf, NETWORK_SEMANTICS, type LineClassifier, type NetworkSemantic } from './attributes.js';
import type { LineSource } from './types.js';

/** The layer's fields that a network field map names (what lineSourceFromArrays reads). */
export function networkFields(fieldMap: Partial<Record<NetworkSemantic, string>>, have: string[]): string[] {
  return [...new Set(NETWORK_SEMANTICS.map((s) => fieldMap[s]).filter((f): f is string => !!f && have.includes(f)))];
}

export function lineSourceFromArrays(
  name: string, a: LayerArrays, fieldMap: Partial<Record<NetworkSemantic, string>>, classifier: LineClassifier = defaultClassifier(),
): LineSource {
  const g = a.geometry!;
  const coords = new Float64Array(g.coords.length);
  let nc = 0, np = 0;
  // Sized to every part of the layer (lines are most of a network layer), cut to the line parts at the end.
  const parts = g.featureStart[a.count];
  const partStart = new Int32Array(parts + 1), partFid = new Float64Array(parts), partLevel = new Int8Array(parts), partWalkable = new Uint8Array(parts);
  const partName: Array<string | null> = [];
  const col = (s: NetworkSemantic) => (fieldMap[s] ? a.columns[fieldMap[s]!] : undefined);
  const get = (s: NetworkSemantic, i: number): Value | undefined => { const c = col(s); return c ? valueAt(c, i) : undefined; };
  for (let i = 0; i < a.count; i++) {
    const t = g.types[i];
    if (t !== 2 && t !== 5) continue;
    const walk = isWalkable(classifier, get('highway', i), get('walkable', i)) ? 1 : 0;
    const lev = levelOf(get('bridge', i), get('tunnel', i), get('layer', i));
    const nm = get('name', i);
    for (let p = g.featureStart[i]; p < g.featureStart[i + 1]; p++) {
      partStart[np] = nc / 2;
      // A line part is one ring of vertices.
      const r = g.partStart[p];
      for (let v = g.ringStart[r]; v < g.ringStart[r + 1]; v++) { coords[nc++] = g.coords[2 * v]; coords[nc++] = g.coords[2 * v + 1]; }
      partFid[np] = a.fids[i]; partLevel[np] = lev; partWalkable[np] = walk; partName.push(typeof nm === 'string' ? nm : null);
      np++;
    }
  }
  partStart[np] = nc / 2;
  return {
    name, coords: coords.slice(0, nc), partStart: partStart.slice(0, np + 1), partFid: partFid.slice(0, np),
    partLevel: partLevel.slice(0, np), partWalkable: partWalkable.slice(0, np), partName,
  };
}
