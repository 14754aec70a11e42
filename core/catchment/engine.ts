/**
 * Catchments on a walk graph: snap every entrance of every station, then one multi-source Dijkstra
 * with a cutoff gives each reached node its distance to the nearest entrance and that station.
 */
import { EkimaeError } from '../errors.js';
import { DijkstraRunner, type Source } from '../network/dijkstra.js';
import { Snapper } from '../network/snap.js';
import type { WalkGraph } from '../network/types.js';

export type SnapMode = 'node' | 'edge';

export interface StationInput {
  id: string;
  name?: string | null;
  /** Entrances (or the station point itself) as lon/lat. */
  points: Array<[number, number]>;
}

export interface CatchmentOptions {
  cutoffM: number;
  snap: SnapMode;
  /** A warning is raised for an entrance further than this from the network (default 300 m). */
  warnSnapM?: number;
  /** An entrance further than this is an error (default 5 km). */
  maxSnapM?: number;
}

export interface SnapInfo {
  station: number;
  entrance: number;
  lon: number;
  lat: number;
  snappedLon: number;
  snappedLat: number;
  /** Entrance to network; added to every distance in edge mode, not in node mode (the peers' rule). */
  snapM: number;
  node: number | null;
  edge: number | null;
  component: number;
}

/** A start position on an edge: points of that edge are also reached straight along it from here. */
export interface EdgeSeed { station: number; edge: number; posM: number; dist0: number }

export interface Catchment {
  graph: WalkGraph;
  stations: StationInput[];
  options: Required<CatchmentOptions>;
  snaps: SnapInfo[];
  seeds: EdgeSeed[];
  sources: Source[];
  /** Reached nodes with their distance (<= cutoff) and nearest station index. */
  nodes: Int32Array;
  dist: Float64Array;
  station: Int32Array;
  warnings: string[];
}

/** Beyond this a "walk" covers a metropolis; allowed, but the user should know. */
export const LONG_CUTOFF_M = 20_000;

export function validateCutoff(cutoffM: number): string[] {
  if (!(cutoffM > 0) || !Number.isFinite(cutoffM)) {
    throw new EkimaeError('E_INPUT_INVALID', `the walking cutoff must be a positive number of metres (got ${cutoffM})`, { cutoffM });
  }
  return cutoffM > LONG_CUTOFF_M
    ? [`cutoff ${cutoffM} m is beyond any walk (over ${LONG_CUTOFF_M / 1000} km): the whole connected network around each station is reached`]
    : [];
}

export function snapStations(g: WalkGraph, stations: StationInput[], opts: Required<CatchmentOptions>, snapper = new Snapper(g)) {
  if (!stations.length || !stations.some((s) => s.points.length)) throw new EkimaeError('E_NO_STATIONS', 'no station or entrance points were given');
  const snaps: SnapInfo[] = [], seeds: EdgeSeed[] = [], sources: Source[] = [], warnings: string[] = [];
  stations.forEach((st, si) => {
    st.points.forEach(([lon, lat], ei) => {
      const where = `station ${st.id}${st.points.length > 1 ? ` entrance ${ei + 1}` : ''}`;
      if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90)) {
        throw new EkimaeError('E_COORD_INVALID', `${where} is at (${lon}, ${lat}), which is not a valid longitude/latitude`, { station: st.id });
      }
      let info: SnapInfo;
      if (opts.snap === 'node') {
        const s = snapper.nearestNode(lon, lat, opts.maxSnapM);
        if (!s) throw tooFar(where, opts.maxSnapM, st.id);
        info = { station: si, entrance: ei, lon, lat, snappedLon: g.nodeLonLat[2 * s.node], snappedLat: g.nodeLonLat[2 * s.node + 1], snapM: s.distM, node: s.node, edge: null, component: g.component[s.node] };
        sources.push({ node: s.node, dist: 0, label: si });
      } else {
        const s = snapper.nearestEdge(lon, lat, opts.maxSnapM);
        if (!s) throw tooFar(where, opts.maxSnapM, st.id);
        info = { station: si, entrance: ei, lon, lat, snappedLon: s.lon, snappedLat: s.lat, snapM: s.accessM, node: null, edge: s.edge, component: g.component[g.edgeU[s.edge]] };
        sources.push({ node: g.edgeU[s.edge], dist: s.accessM + s.alongM, label: si }, { node: g.edgeV[s.edge], dist: s.accessM + s.restM, label: si });
        seeds.push({ station: si, edge: s.edge, posM: s.alongM, dist0: s.accessM });
      }
      if (info.snapM > opts.warnSnapM) warnings.push(`${where} is ${info.snapM.toFixed(0)} m from the nearest walkable street (over ${opts.warnSnapM} m); check its position or the network's coverage`);
      if (info.component > 0) {
        const c = g.components[info.component];
        warnings.push(`${where} snapped onto a disconnected ${c.name} (${c.nodes} nodes, ${(c.lengthM / 1000).toFixed(2)} km of street): its catchment cannot leave that island`);
      }
      snaps.push(info);
    });
  });
  return { snaps, seeds, sources, warnings };
}

function tooFar(where: string, maxM: number, id: string): EkimaeError {
  return new EkimaeError('E_SNAP_TOO_FAR', `${where} is more than ${maxM / 1000} km from any walkable street; it is outside the network's area (or its coordinates are wrong)`, { station: id, maxSnapM: maxM });
}

export function withDefaults(o: CatchmentOptions): Required<CatchmentOptions> {
  return { cutoffM: o.cutoffM, snap: o.snap, warnSnapM: o.warnSnapM ?? 300, maxSnapM: o.maxSnapM ?? 5000 };
}

export function computeCatchment(g: WalkGraph, stations: StationInput[], o: CatchmentOptions, ctx: { runner?: DijkstraRunner; snapper?: Snapper } = {}): Catchment {
  const options = withDefaults(o);
  const warnings = validateCutoff(options.cutoffM);
  const snapped = snapStations(g, stations, options, ctx.snapper);
  const runner = ctx.runner ?? new DijkstraRunner(g);
  const n = runner.run(snapped.sources, options.cutoffM);
  const nodes = new Int32Array(n), dist = new Float64Array(n), station = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = runner.reachedNode(i);
    nodes[i] = v; dist[i] = runner.dist[v]; station[i] = runner.label[v];
  }
  return { graph: g, stations, options, ...snapped, nodes, dist, station, warnings: [...warnings, ...snapped.warnings] };
}
