/** The issues of one imported layer, counted per code and listed in the order of the step that found them. */
import type { ImportIssue } from './types.js';

const MAX_ISSUES = 1000;

/**
 * Issues are reported grouped by the step that found them, in this order, whatever order a
 * streamed layer finds them in (one pass over a stream interleaves checking and reprojection).
 */
export const PHASES = ['check', 'project', 'mixed', 'selfx', 'dupid', 'value', 'layer'] as const;
export type Phase = (typeof PHASES)[number];

export class Bucket {
  list: ImportIssue[] = [];
  counts = new Map<string, number>();
  add(i: ImportIssue) {
    const k = `${i.code}:${i.action}`;
    this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    if (this.list.length < MAX_ISSUES) this.list.push(i);
  }
}

/** Issues of one layer: every one counted, the first MAX_ISSUES (in phase order) listed. */
export class LayerIssues {
  private buckets = new Map<Phase, Bucket>(PHASES.map((p) => [p, new Bucket()]));
  add(phase: Phase, i: ImportIssue): void { this.buckets.get(phase)!.add(i); }
  /** Take over issues gathered aside (per geometry family) once the layer's decisions are known. */
  absorb(phase: Phase, b: Bucket): void {
    const mine = this.buckets.get(phase)!;
    for (const [k, n] of b.counts) mine.counts.set(k, (mine.counts.get(k) ?? 0) + n);
    for (const i of b.list) if (mine.list.length < MAX_ISSUES) mine.list.push(i);
  }
  counts(): Map<string, number> {
    const out = new Map<string, number>();
    for (const b of this.buckets.values()) for (const [k, n] of b.counts) out.set(k, (out.get(k) ?? 0) + n);
    return out;
  }
  list(): ImportIssue[] {
    const out: ImportIssue[] = [];
    for (const b of this.buckets.values()) for (const i of b.list) if (out.length < MAX_ISSUES) out.push(i);
    return out;
  }
}
