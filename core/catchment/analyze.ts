/**
 * A full catchment analysis: nearest-station distances for every reached node and parcel, then per
 * station (and for all stations merged) and per band: reached nodes and street length, the band
 * polygon, its area and pedshed ratio, and census population and jobs (areal and dasymetric).
 */
import type { Position } from '../geo/geometry.js';
import { DijkstraRunner } from '../network/dijkstra.js';
import { Snapper } from '../network/snap.js';
import type { WalkGraph } from '../network/types.js';
import { computeCatchment, type Catchment, type SnapMode, type StationInput } from './engine.js';
import { LocalFrame } from './frame.js';
import { bandCounts, buildZoneModel, zoneCells, type ParcelInput, type ZoneInput } from './interpolate.js';
import { rasterizeReach, cellsWithin, circlesUnionArea, releaseRasterBuffers, traceBand } from './raster.js';
import { cutEdge, distAlong, reachedIntervals, reachedLength, seedsByEdge, touchedEdges, type Reach } from './reach.js';

export interface AnalysisOptions {
  snap: SnapMode;
  /** Band limits in metres, ascending; the largest is the search cutoff. */
  bandsM: number[];
  cellM?: number;
  bufferM?: number;
  /** Parcels further than this from any walkable street are left unreached. */
  parcelMaxSnapM?: number;
  warnSnapM?: number;
  maxSnapM?: number;
}

export interface BandSummary {
  stationId: string; stationName: string | null; bandM: number; nodes: number; networkM: number; areaM2: number; circleM2: number;
  pedshed: number; parcels: number; popAreal: number | null; jobsAreal: number | null; popDasy: number | null; jobsDasy: number | null;
}
export interface ParcelDistance { fid: number; stationId: string | null; distM: number; accessM: number; bandM: number | null }
export interface BandPolygon { stationId: string; bandM: number; polygons: Position[][][] | null; areaM2: number; pedshed: number }
/** A reached piece of street (partial edges cut at the cutoff): nearest station (at its middle) and the walk at its two ends. */
export interface ReachedStreet { coords: Position[]; stationId: string; startM: number; endM: number; edgeFid: number }

export interface Analysis {
  catchment: Catchment;
  bands: BandSummary[];
  parcels: ParcelDistance[];
  polygons: BandPolygon[];
  streets: ReachedStreet[];
  dasymetricFallbackZones: { population: string[]; jobs: string[] };
  warnings: string[];
}

export const ALL_STATIONS = '*';

/** Stations whose walks share streets, with those streets (null = every street the walk touched). */
interface ReachGroup { centres: Array<[number, number]>; edges: Int32Array | null }

/** The stations (indices) whose walk reaches a piece of edge e: the nearest station at each reached end, and any station seeded on it. */
function stationsOnEdge(r: Reach, e: number, cutoff: number, label: Int32Array): number[] {
  const g = r.g, out: number[] = [];
  for (const v of [g.edgeU[e], g.edgeV[e]]) if (r.dist[v] <= cutoff && label[v] >= 0) out.push(label[v]);
  for (const sd of r.seeds.get(e) ?? []) out.push(sd.station);
  return out;
}

/**
 * Stations grouped so that no street is reached from two groups (union-find over the stations
 * meeting on each edge); each group's streets are the edges its stations reach.
 */
export function reachGroups(centres: Array<[number, number] | null>, edges: Int32Array, stationsOn: (e: number) => number[]): ReachGroup[] {
  const parent = centres.map((_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]]; return i; };
  const owner = new Int32Array(edges.length).fill(-1);
  edges.forEach((e, k) => {
    const on = stationsOn(e);
    for (const st of on) parent[find(st)] = find(on[0]);
    if (on.length) owner[k] = on[0];
  });
  const byRoot = new Map<number, { centres: Array<[number, number]>; edges: number[] }>();
  centres.forEach((c, i) => {
    if (!c) return;
    const root = find(i);
    if (!byRoot.has(root)) byRoot.set(root, { centres: [], edges: [] });
    byRoot.get(root)!.centres.push(c);
  });
  edges.forEach((e, k) => { if (owner[k] >= 0) byRoot.get(find(owner[k]))?.edges.push(e); });
  return [...byRoot.values()].map((gr) => ({ centres: gr.centres, edges: Int32Array.from(gr.edges) }));
}

/** Parcels (positions, ascending) with their walking distances. */
interface ParcelDists { idx: Int32Array; dist: Float64Array }

/** The parcels, each fid once: at its first position with its last values (as a map by fid keeps them). */
function uniqueFids(ps: ParcelInput[]): ParcelInput[] {
  let ascending = true;
  for (let i = 1; i < ps.length && ascending; i++) ascending = ps[i].fid > ps[i - 1].fid;
  if (ascending) return ps;
  const m = new Map<number, ParcelInput>();
  for (const p of ps) m.set(p.fid, p);
  return [...m.values()];
}

export function bandOf(bandsM: number[], d: number): number | null {
  for (const b of bandsM) if (d <= b) return b;
  return null;
}

export async function analyze(g: WalkGraph, stations: StationInput[], parcels: ParcelInput[] | null, zones: ZoneInput[] | null, o: AnalysisOptions,
  progress: (f: number, msg: string) => void | Promise<void> = () => {}): Promise<Analysis> {
  const bands = [...o.bandsM].sort((a, b) => a - b);
  const cutoff = bands[bands.length - 1];
  const cellM = o.cellM ?? 10, bufferM = o.bufferM ?? 50;
  const snapper = new Snapper(g), runner = new DijkstraRunner(g);
  const cat = computeCatchment(g, stations, { cutoffM: cutoff, snap: o.snap, warnSnapM: o.warnSnapM, maxSnapM: o.maxSnapM }, { runner, snapper });
  const warnings = [...cat.warnings];

  // Parcels onto the nearest walkable edge (access leg from their representative point), kept in
  // typed arrays by parcel position (one object and two map entries per parcel were most of the
  // garbage at a million parcels). A fid given twice counts once, at its first position with its last
  // point, as the map by fid this replaces kept it.
  const ps = uniqueFids(parcels ?? []);
  const P = ps.length;
  const pFid = new Float64Array(P), pEdge = new Int32Array(P).fill(-1), pAlong = new Float64Array(P), pAccess = new Float64Array(P);
  let far = 0;
  for (let k = 0; k < P; k++) {
    const p = ps[k], s = snapper.nearestEdge(p.lon, p.lat, o.parcelMaxSnapM ?? 1000);
    pFid[k] = p.fid;
    if (s) { pEdge[k] = s.edge; pAlong[k] = s.alongM; pAccess[k] = s.accessM; } else far++;
  }
  if (far) warnings.push(`${far} parcels are more than ${o.parcelMaxSnapM ?? 1000} m from any walkable street and count as unreached`);

  // Parcels by the edge they snap to (CSR, parcel order kept within an edge), so one station's walk
  // visits the parcels on the streets it touched instead of every parcel of the project: 300
  // stations x 1M parcels was the catchment's quadratic term at metropolitan scale.
  const byEdgeStart = new Int32Array(g.edgeCount + 1);
  for (let k = 0; k < P; k++) if (pEdge[k] >= 0) byEdgeStart[pEdge[k] + 1]++;
  for (let e = 0; e < g.edgeCount; e++) byEdgeStart[e + 1] += byEdgeStart[e];
  const byEdge = new Int32Array(byEdgeStart[g.edgeCount]);
  {
    const fill = byEdgeStart.slice(0, g.edgeCount);
    for (let k = 0; k < P; k++) if (pEdge[k] >= 0) byEdge[fill[pEdge[k]]++] = k;
  }
  /** The parcels within the cutoff of one station's walk with their distances, in parcel order. */
  const hd = new Float64Array(P);
  const reachedParcelDist = (r: Reach, edges: Int32Array): ParcelDists => {
    let n = 0;
    for (let i = 0; i < edges.length; i++) n += byEdgeStart[edges[i] + 1] - byEdgeStart[edges[i]];
    const hit = new Int32Array(n);
    n = 0;
    for (let i = 0; i < edges.length; i++) {
      const e = edges[i];
      for (let j = byEdgeStart[e]; j < byEdgeStart[e + 1]; j++) {
        const k = byEdge[j];
        const d = distAlong(r, pEdge[k], pAlong[k]) + pAccess[k];
        if (d <= cutoff) { hit[n++] = k; hd[k] = d; }
      }
    }
    const idx = hit.slice(0, n).sort(), dist = new Float64Array(n);
    for (let j = 0; j < n; j++) dist[j] = hd[idx[j]];
    return { idx, dist };
  };

  // Merged (nearest station) reach, straight from the runner's full-size arrays.
  const mergedReach: Reach = { g, dist: runner.dist, seeds: seedsByEdge(cat.seeds) };
  const labelAt = (e: number, along: number) => {
    const du = runner.dist[g.edgeU[e]] + along, dv = runner.dist[g.edgeV[e]] + (g.edgeLength[e] - along);
    let best = du <= dv ? runner.label[g.edgeU[e]] : runner.label[g.edgeV[e]], bd = Math.min(du, dv);
    for (const sd of mergedReach.seeds.get(e) ?? []) {
      const d = sd.dist0 + Math.abs(along - sd.posM);
      if (d < bd) { bd = d; best = sd.station; }
    }
    return best;
  };
  // Every parcel's distance to its nearest station (Infinity beyond the cutoff or off the network).
  const merged: ParcelDists = { idx: new Int32Array(P), dist: new Float64Array(P) };
  const parcelOut: ParcelDistance[] = new Array(P);
  for (let k = 0; k < P; k++) {
    merged.idx[k] = k;
    let d = Infinity, label = -1;
    if (pEdge[k] >= 0) {
      const dd = distAlong(mergedReach, pEdge[k], pAlong[k]) + pAccess[k];
      if (dd <= cutoff) d = dd;
      label = labelAt(pEdge[k], pAlong[k]);
    }
    merged.dist[k] = d;
    parcelOut[k] = {
      fid: pFid[k], distM: d, accessM: pEdge[k] >= 0 ? pAccess[k] : Infinity, bandM: bandOf(bands, d),
      stationId: Number.isFinite(d) ? stations[label]?.id ?? null : null,
    };
  }

  const model = zones?.length ? buildZoneModel(zones, parcels) : null;
  // Each parcel's dasymetric population and jobs by position (0 where it has none).
  const parcelPop = new Float64Array(P), parcelJobs = new Float64Array(P);
  if (model && ps === parcels) { parcelPop.set(model.popAt); parcelJobs.set(model.jobsAt); } else if (model) {
    for (let k = 0; k < P; k++) { parcelPop[k] = model.parcelPop.get(pFid[k]) ?? 0; parcelJobs[k] = model.parcelJobs.get(pFid[k]) ?? 0; }
  }
  const summaries: BandSummary[] = [], polygons: BandPolygon[] = [];
  const centre = (pts: Array<[number, number]>): [number, number] => [pts.reduce((a, p) => a + p[0], 0) / pts.length, pts.reduce((a, p) => a + p[1], 0) / pts.length];
  /**
   * Each group (stations whose reach shares streets, with those streets) is rasterized in its own
   * frame at the full cell size; areas, circles and census areal shares add up over groups. One grid
   * over a corridor of sites hundreds of km apart would have been coarsened to cells wider than the
   * catchments themselves.
   */
  const summarise = (stationId: string, stationName: string | null, reach: Reach, reachedNodes: ArrayLike<number>, groups: ReachGroup[], pdist: ParcelDists) => {
    const edges = touchedEdges(reach, reachedNodes);
    const rasters = groups.map((gr) => {
      const [lon, lat] = centre(gr.centres);
      const frame = new LocalFrame(lon, lat);
      const grid = rasterizeReach(reach, gr.edges ?? edges, cutoff, frame, cellM, bufferM);
      return { frame, centres: gr.centres, grid, cells: grid && model ? zoneCells(model, grid) : null };
    });
    for (const b of bands) {
      let nodes = 0;
      for (let i = 0; i < reachedNodes.length; i++) if (reach.dist[reachedNodes[i]] <= b) nodes++;
      let area = 0, circle = 0;
      const traced: Position[][][] = [];
      for (const r of rasters) {
        circle += circlesUnionArea(r.frame, r.centres, b, cellM);
        if (!r.grid) continue;
        area += cellsWithin(r.grid, b) * r.grid.cell * r.grid.cell;
        traced.push(...(traceBand(r.grid, b) ?? []));
      }
      let np = 0;
      for (let j = 0; j < pdist.dist.length; j++) if (pdist.dist[j] <= b) np++;
      const counts = model ? bandCounts(model, rasters, b, pdist, parcelPop, parcelJobs) : { popAreal: null, jobsAreal: null, popDasy: null, jobsDasy: null };
      summaries.push({ stationId, stationName, bandM: b, nodes, networkM: reachedLength(reach, edges, b), areaM2: area, circleM2: circle, pedshed: area / circle, parcels: np, ...counts });
      polygons.push({ stationId, bandM: b, polygons: traced.length ? traced : null, areaM2: area, pedshed: area / circle });
    }
  };

  const mergedNodes = Int32Array.from(cat.nodes);
  const streets: ReachedStreet[] = [];
  for (const e of touchedEdges(mergedReach, mergedNodes)) {
    for (const [a, b] of reachedIntervals(mergedReach, e, cutoff)) {
      if (b <= a) continue;
      streets.push({ coords: cutEdge(g, e, a, b), stationId: stations[labelAt(e, (a + b) / 2)]?.id ?? '', startM: distAlong(mergedReach, e, a), endM: distAlong(mergedReach, e, b), edgeFid: g.edgeFid[e] });
    }
  }
  for (const [si, st] of stations.entries()) {
    await progress(si / (stations.length + 1), `station ${st.id}`);
    if (!st.points.length) continue;
    const sources = cat.sources.filter((s) => s.label === si);
    runner.run(sources, cutoff);
    const nodes = new Int32Array(runner.reachedCount);
    for (let i = 0; i < nodes.length; i++) nodes[i] = runner.reachedNode(i);
    const reach: Reach = { g, dist: runner.dist, seeds: seedsByEdge(cat.seeds, si) };
    summarise(st.id, st.name ?? null, reach, nodes, [{ centres: [centre(st.points)], edges: null }], reachedParcelDist(reach, touchedEdges(reach, nodes)));
  }
  await progress(stations.length / (stations.length + 1), 'all stations');
  runner.run(cat.sources, cutoff);
  const groups = reachGroups(stations.map((s) => (s.points.length ? centre(s.points) : null)), touchedEdges(mergedReach, mergedNodes), (e) => stationsOnEdge(mergedReach, e, cutoff, runner.label));
  summarise(ALL_STATIONS, 'all stations', mergedReach, mergedNodes, groups, merged);

  const fallback = { population: [] as string[], jobs: [] as string[] };
  if (model?.dasymetricAvailable) model.zones.forEach((z, i) => {
    if (model.popFallback[i] && z.population) fallback.population.push(z.id);
    if (model.jobsFallback[i] && z.jobs) fallback.jobs.push(z.id);
  });
  if (fallback.population.length) warnings.push(`dasymetric population: ${fallback.population.length} census zones have no residential floor area in parcels and were area-weighted (${fallback.population.slice(0, 5).join(', ')})`);
  if (fallback.jobs.length) warnings.push(`dasymetric jobs: ${fallback.jobs.length} census zones have no non-residential floor area in parcels and were area-weighted (${fallback.jobs.slice(0, 5).join(', ')})`);
  releaseRasterBuffers();
  return { catchment: cat, bands: summaries, parcels: parcelOut, polygons, streets, dasymetricFallbackZones: fallback, warnings };
}
