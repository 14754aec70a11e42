/**
 * The builder's point tables when they must grow: lines that share no end make two nodes a line,
 * past what the line-end table is first sized for (0.75 a line), so it rehashes while nodes are
 * numbered. Known answer by construction: n disjoint segments are 2n nodes, n edges, n components
 * of two nodes each; n segments chained end to end are n + 1 nodes in one component.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../core/network/build.js';
import type { LineSource } from '../../../core/network/types.js';

function source(lines: number[][]): LineSource {
  const coords: number[] = [], partStart: number[] = [];
  for (const l of lines) { partStart.push(coords.length / 2); coords.push(...l); }
  partStart.push(coords.length / 2);
  const n = lines.length;
  return {
    name: 't', coords: Float64Array.from(coords), partStart: Int32Array.from(partStart), partFid: Float64Array.from(lines.map((_, i) => i + 1)),
    partLevel: new Int8Array(n), partWalkable: new Uint8Array(n).fill(1),
  };
}

describe('walk graph point tables', () => {
  it('3,000 disjoint segments: 6,000 nodes, 3,000 edges, 3,000 two-node components (the line-end table grows)', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => [100 + (i % 60) * 0.001, 13 + Math.floor(i / 60) * 0.001, 100 + (i % 60) * 0.001 + 0.0004, 13 + Math.floor(i / 60) * 0.001]);
    const g = buildGraph(source(lines));
    expect(g.nodeCount).toBe(6000);
    expect(g.edgeCount).toBe(3000);
    expect(g.components.length).toBe(3000);
    expect(g.components.every((c) => c.nodes === 2 && c.edges === 1)).toBe(true);
    // Every node keeps its own coordinates: the 6,000 distinct line ends, once each.
    const ends = new Set(lines.flatMap((l) => [`${l[0]},${l[1]}`, `${l[2]},${l[3]}`]));
    const nodes = new Set(Array.from({ length: g.nodeCount }, (_, n) => `${g.nodeLonLat[2 * n]},${g.nodeLonLat[2 * n + 1]}`));
    expect(nodes).toEqual(ends);
  });

  it('3,000 segments chained end to end: 3,001 nodes in one component', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => [100 + i * 0.0001, 13, 100 + (i + 1) * 0.0001, 13]);
    const g = buildGraph(source(lines));
    expect(g.nodeCount).toBe(3001);
    expect(g.edgeCount).toBe(3000);
    expect(g.components.length).toBe(1);
  });
});
