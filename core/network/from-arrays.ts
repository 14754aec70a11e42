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
  let nc = 0;
  const partStart: number[] = [], partFid: number[] = [], partLevel: number[] = [], partWalkable: number[] = [];
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
      partStart.push(nc / 2);
      // A line part is one ring of vertices.
      const r = g.partStart[p];
      for (let v = g.ringStart[r]; v < g.ringStart[r + 1]; v++) { coords[nc++] = g.coords[2 * v]; coords[nc++] = g.coords[2 * v + 1]; }
      partFid.push(a.fids[i]); partLevel.push(lev); partWalkable.push(walk); partName.push(typeof nm === 'string' ? nm : null);
    }
  }
  partStart.push(nc / 2);
  return {
    name, coords: coords.slice(0, nc), partStart: Int32Array.from(partStart), partFid: Float64Array.from(partFid),
    partLevel: Int8Array.from(partLevel), partWalkable: Uint8Array.from(partWalkable), partName,
  };
}
