/**
 * Accessibility against the open project: the walk graph of its network layer (cached), residents
 * and jobs per parcel (the census zones' counts spread over parcels by floor area, as the catchment's
 * dasymetric estimate does), each parcel's counts added to its nearest node, then every node's
 * sums within each band; every parcel takes its node's values (the access leg from parcel to node
 * is not walked, as in the peers' node snapping).
 */
import { EkimaeError } from '../errors.js';
import type { Project } from '../store/project.js';
import { graphFromLayer } from '../network/load.js';
import { Snapper } from '../network/snap.js';
import type { WalkGraph } from '../network/types.js';
import { parcelsFromArrays, zonesFromFeatures } from '../catchment/inputs.js';
import { buildZoneModel, type ParcelInput } from '../catchment/interpolate.js';
import { layerArraysShared } from '../store/layer-arrays.js';
import type { NodeAccess } from './engine.js';
import { AccessCancelled, nodeAccessParallel } from './parallel.js';
import { saveAccess } from './store.js';
import { ACCESS_QUANTITIES, type ParcelWeights } from './weights.js';

export { ACCESS_QUANTITIES, type ParcelWeights } from './weights.js';

export const DEFAULT_ACCESS_BANDS_M = [400, 800, 1200];
/** A parcel further than this from any node is left out (reported), as a station would be refused. */
const MAX_SNAP_M = 5000;

export interface AccessRequest {
  network?: string; parcels?: string; census?: string; bandsM?: number[]; nonWalkable?: string[]; splitCrossings?: boolean;
  /** Worker threads (default: the machine's cores for large networks). */
  threads?: number;
}


function layerWithRole(project: Project, role: string, given: string | undefined, required: boolean): string | null {
  if (given) return project.layer(given).name;
  const hits = project.layers().filter((l) => l.role === role);
  if (hits.length > 1) throw new EkimaeError('E_INPUT_INVALID', `the project has ${hits.length} ${role} layers (${hits.map((l) => l.name).join(', ')}); say which one to use`, { role });
  if (!hits.length && required) throw new EkimaeError('E_LAYER_NOT_FOUND', `the project has no layer with the role "${role}"; import one or set a layer's role`, { role });
  return hits[0]?.name ?? null;
}

export function checkBands(bands: number[] | undefined): number[] {
  const b = [...new Set(bands ?? DEFAULT_ACCESS_BANDS_M)].sort((x, y) => x - y);
  if (!b.length || b.some((x) => !(x > 0) || !Number.isFinite(x) || x > 100_000)) {
    throw new EkimaeError('E_INPUT_INVALID', `walk bands must be positive metres up to 100 km (got ${(bands ?? []).join(', ')})`, { bands });
  }
  return b;
}

/** Parcels' residents and jobs and their nodes; warnings for what is left out. */
export function parcelWeights(g: WalkGraph, parcels: ParcelInput[], pop: Map<number, number>, jobs: Map<number, number>, warnings: string[]): ParcelWeights {
  const P = parcels.length, N = g.nodeCount;
  const out: ParcelWeights = {
    fids: new Float64Array(P), node: new Int32Array(P), snapM: new Float64Array(P),
    values: ACCESS_QUANTITIES.map(() => new Float64Array(P)), nodeWeights: ACCESS_QUANTITIES.map(() => new Float64Array(N)),
  };
  const snapper = new Snapper(g);
  let far = 0;
  parcels.forEach((p, i) => {
    out.fids[i] = p.fid;
    out.values[0][i] = pop.get(p.fid) ?? 0;
    out.values[1][i] = jobs.get(p.fid) ?? 0;
    const s = snapper.nearestNode(p.lon, p.lat, MAX_SNAP_M);
    out.node[i] = s ? s.node : -1;
    out.snapM[i] = s ? s.distM : NaN;
    if (!s) { far++; return; }
    for (let q = 0; q < ACCESS_QUANTITIES.length; q++) out.nodeWeights[q][s.node] += out.values[q][i];
  });
  if (far) warnings.push(`${far} parcel(s) lie more than ${MAX_SNAP_M / 1000} km from the walk network: their residents and jobs are not counted and they get no values`);
  return out;
}

export interface AccessRun { runId: number; access: NodeAccess; weights: ParcelWeights; warnings: string[]; cached: boolean }

/** Yields to the event loop between slices of nodes, so progress and a cancel request get through. */
export async function runAccess(project: Project, req: AccessRequest, progress: (f: number | null, msg: string) => void = () => {}): Promise<AccessRun> {
  const bandsM = checkBands(req.bandsM);
  const network = layerWithRole(project, 'network', req.network, true)!;
  const parcels = layerWithRole(project, 'parcels', req.parcels, true)!;
  const census = layerWithRole(project, 'census', req.census, false);
  const step = async (f: number, m: string) => { await new Promise((r) => setImmediate(r)); progress(f, m); };
  await step(0, 'building the walk graph');
  const { graph, cached } = graphFromLayer(project, network, { nonWalkable: req.nonWalkable, splitCrossings: req.splitCrossings });
  const warnings: string[] = [];
  // Typed arrays, shared with the other engines of an analysis (no GeoJSON object per parcel at a million parcels).
  const parcelInput = parcelsFromArrays(layerArraysShared(project, parcels, []), project.layer(parcels).fieldMap);
  if (!parcelInput.length) throw new EkimaeError('E_INPUT_INVALID', `layer "${parcels}" has no parcel with a geometry`, { layer: parcels });
  let pop = new Map<number, number>(), jobs = new Map<number, number>();
  if (!census) warnings.push('no census layer: residents and jobs are zero (import census zones with population and jobs)');
  else {
    const model = buildZoneModel(zonesFromFeatures(project.readFeatures(census), project.layer(census).fieldMap), parcelInput);
    if (!model.dasymetricAvailable) warnings.push(`parcels of "${parcels}" carry no floor area: census counts cannot be spread over them, residents and jobs are zero`);
    const popLeft = model.zones.filter((z, i) => model.popFallback[i] && (z.population ?? 0) > 0).length;
    const jobsLeft = model.zones.filter((z, i) => model.jobsFallback[i] && (z.jobs ?? 0) > 0).length;
    if (model.dasymetricAvailable && (popLeft || jobsLeft)) warnings.push(`${popLeft} zone(s) without residential floor area and ${jobsLeft} without other floor area: their residents / jobs sit on no parcel and are not counted`);
    pop = model.parcelPop; jobs = model.parcelJobs;
  }
  await step(0.1, 'snapping parcels to the network');
  const weights = parcelWeights(graph, parcelInput, pop, jobs, warnings);
  // Progress from the workers' shared counter; a cancel (progress throws) stops them at their next slice.
  let cancel: unknown = null;
  let access: NodeAccess;
  try {
    access = await nodeAccessParallel(graph, weights.nodeWeights, {
      bandsM, threads: req.threads,
      progress: (f) => { try { progress(0.15 + 0.8 * f, `walking from every node (${Math.round(f * 100)} %)`); } catch (e) { cancel = e; return false; } },
    });
  } catch (e) {
    if (e instanceof AccessCancelled && cancel) throw cancel;
    throw e;
  }
  await step(0.95, 'saving');
  const runId = saveAccess(project, { networkLayer: network, parcelsLayer: parcels, censusLayer: census, bandsM }, graph, access, weights, warnings);
  progress(1, 'done');
  return { runId, access, weights, warnings, cached };
}
