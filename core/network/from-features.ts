/** Line features (from a project layer or any importer) -> columnar LineSource. */
import type { Feature } from '../io/types.js';
import { defaultClassifier, isWalkable, levelOf, type LineClassifier, type NetworkSemantic } from './attributes.js';
import type { LineSource } from './types.js';

export function lineSourceFromFeatures(
  name: string, features: Feature[], fieldMap: Partial<Record<NetworkSemantic, string>>, classifier: LineClassifier = defaultClassifier(),
): LineSource {
  const coords: number[] = [], partStart: number[] = [], partFid: number[] = [], partLevel: number[] = [], partWalkable: number[] = [];
  const partName: Array<string | null> = [];
  const get = (f: Feature, s: NetworkSemantic) => (fieldMap[s] ? f.properties[fieldMap[s]!] : undefined);
  features.forEach((f, idx) => {
    const g = f.geometry;
    if (!g || (g.type !== 'LineString' && g.type !== 'MultiLineString')) return;
    const lines = g.type === 'LineString' ? [g.coordinates] : g.coordinates;
    const walk = isWalkable(classifier, get(f, 'highway'), get(f, 'walkable')) ? 1 : 0;
    const lev = levelOf(get(f, 'bridge'), get(f, 'tunnel'), get(f, 'layer'));
    const nm = get(f, 'name');
    for (const line of lines) {
      partStart.push(coords.length / 2);
      for (const p of line) coords.push(p[0], p[1]);
      partFid.push(f.fid ?? idx + 1); partLevel.push(lev); partWalkable.push(walk); partName.push(typeof nm === 'string' ? nm : null);
    }
  });
  partStart.push(coords.length / 2);
  return {
    name, coords: Float64Array.from(coords), partStart: Int32Array.from(partStart), partFid: Float64Array.from(partFid),
    partLevel: Int8Array.from(partLevel), partWalkable: Uint8Array.from(partWalkable), partName,
  };
}
