/**
 * The light road from a GeoJSON network file to a walk graph: the dedicated line reader and the
 * builder, nothing of the general importer (which loads every format's parser, SQLite included).
 * `ekimae catchment --network f.geojson` starts on this alone; load.ts falls back to the importer
 * when it returns null.
 */
import { basename, extname } from 'node:path';
import { checkSourceFile } from '../io/source.js';
import { defaultClassifier } from './attributes.js';
import { buildGraph } from './build.js';
import { readGeoJsonLinesFile } from './geojson-lines.js';
import { splitCrossings } from './split.js';
import type { LineSource, WalkGraph } from './types.js';

export interface GraphOptions {
  /** Classes to treat as not walkable, on top of the defaults. */
  nonWalkable?: string[];
  /** Node GIS centrelines where ground-level lines cross without a shared vertex (split.ts). */
  splitCrossings?: boolean;
}

export function buildWith(lines: LineSource, opts: GraphOptions): WalkGraph {
  if (!opts.splitCrossings) return buildGraph(lines);
  const { source, crossings } = splitCrossings(lines);
  const g = buildGraph(source);
  g.stats.crossingsSplit = crossings;
  return g;
}

export const isGeoJsonPath = (path: string) => ['.geojson', '.json'].includes(extname(path).toLowerCase());

/** The graph of a WGS84 GeoJSON FeatureCollection file, or null when the general importer must read it. */
export function graphFromGeoJsonFile(path: string, opts: GraphOptions = {}): WalkGraph | null {
  if (!isGeoJsonPath(path)) return null;
  checkSourceFile(path);
  // Read through a window, not whole (geojson-lines.ts says why).
  const lines = readGeoJsonLinesFile(path, basename(path), { classifier: defaultClassifier(opts.nonWalkable) });
  return lines ? buildWith(lines, opts) : null;
}
