/**
 * Which lines a pedestrian may use, and at which vertical level they run, from the network layer's
 * mapped fields (SEMANTIC_FIELDS.network: highway, walkable, bridge, tunnel, layer, name).
 */
import type { Value } from '../io/types.js';

export const NETWORK_SEMANTICS = ['highway', 'walkable', 'bridge', 'tunnel', 'layer', 'name'] as const;
export type NetworkSemantic = (typeof NETWORK_SEMANTICS)[number];

/**
 * Classes no pedestrian uses (OSM highway values and common GIS road-class words). Everything else
 * is walkable unless a mapped `walkable` field says otherwise; Bangkok's trunk roads and sois carry
 * footpaths, so they stay in.
 */
export const NON_WALKABLE_CLASSES = [
  'motorway', 'motorway_link', 'expressway', 'freeway', 'toll', 'tollway', 'construction', 'proposed', 'planned',
  'abandoned', 'disused', 'razed', 'raceway', 'bus_guideway', 'busway', 'escape', 'rail', 'railway',
];

export interface LineClassifier {
  nonWalkable: Set<string>;
}

export function defaultClassifier(extraNonWalkable: string[] = []): LineClassifier {
  return { nonWalkable: new Set([...NON_WALKABLE_CLASSES, ...extraNonWalkable].map((s) => s.toLowerCase())) };
}

function truthy(v: Value | undefined): boolean | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  const s = v.trim().toLowerCase();
  if (['no', 'false', '0', 'n', 'f'].includes(s)) return false;
  return true; // OSM: bridge=yes|viaduct|…, tunnel=yes|building_passage|…
}

/** walkable field wins when it holds a value; otherwise the class decides. */
export function isWalkable(c: LineClassifier, highway: Value | undefined, walkable: Value | undefined): boolean {
  const w = truthy(walkable);
  if (w !== null) return w;
  if (typeof highway === 'string') return !c.nonWalkable.has(highway.trim().toLowerCase());
  return true;
}

/**
 * The OSM convention: a non-zero layer wins; otherwise a bridge is level 1 and a tunnel -1. Layer 0
 * on a bridge is read as "not given" (GIS exports fill the column with 0), never as "at grade".
 */
export function levelOf(bridge: Value | undefined, tunnel: Value | undefined, layer: Value | undefined): number {
  const l = typeof layer === 'number' ? layer : typeof layer === 'string' && layer.trim() !== '' ? Number(layer) : NaN;
  if (Number.isFinite(l) && Math.round(l) !== 0) return Math.max(-5, Math.min(5, Math.round(l)));
  if (truthy(bridge)) return 1;
  if (truthy(tunnel)) return -1;
  return 0;
}
