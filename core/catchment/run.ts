/** A catchment run against the open project: layers -> graph (cached) -> analysis -> stored results. */
import { EkimaeError } from '../errors.js';
import type { Project } from '../store/project.js';
import { graphFromLayer } from '../network/load.js';
import { analyze, type Analysis } from './analyze.js';
import type { SnapMode, StationInput } from './engine.js';
import { parcelsFromArrays, stationsFromFeatures, zonesFromFeatures } from './inputs.js';
import { layerArraysShared } from '../store/layer-arrays.js';
import { saveRun, type RunParams } from './store.js';

export const DEFAULT_SPEED_M_PER_MIN = 80;
export const DEFAULT_BANDS_M = [400, 800, 1200];

export interface RunRequest {
  network?: string; stations?: string; entrances?: string; parcels?: string; census?: string;
  snap?: SnapMode;
  /** Band limits in metres, or in minutes at speedMPerMin. */
  bandsM?: number[]; bandsMin?: number[]; speedMPerMin?: number;
  cellM?: number; bufferM?: number; nonWalkable?: string[]; splitCrossings?: boolean;
}

function layerWithRole(project: Project, role: string, given: string | undefined, required: boolean): string | null {
  if (given) return project.layer(given).name;
  const hits = project.layers().filter((l) => l.role === role);
  if (hits.length > 1) throw new EkimaeError('E_INPUT_INVALID', `the project has ${hits.length} ${role} layers (${hits.map((l) => l.name).join(', ')}); say which one to use`, { role });
  if (!hits.length && required) throw new EkimaeError('E_LAYER_NOT_FOUND', `the project has no layer with the role "${role}"; import one or set a layer's role`, { role });
  return hits[0]?.name ?? null;
}

export function resolveBands(r: RunRequest): { bandsM: number[]; speed: number } {
  const speed = r.speedMPerMin ?? DEFAULT_SPEED_M_PER_MIN;
  const bands = r.bandsM ?? r.bandsMin?.map((m) => m * speed) ?? DEFAULT_BANDS_M;
  const sorted = [...new Set(bands)].sort((a, b) => a - b);
  if (!sorted.length || sorted.some((b) => !(b > 0) || !Number.isFinite(b))) {
    throw new EkimaeError('E_INPUT_INVALID', `distance bands must be positive (got ${bands.join(', ')})`, { bands });
  }
  return { bandsM: sorted, speed };
}

/** The stations to walk from: entrances grouped by station_id (named from the stations layer), plus stations without entrances. */
export function stationsOf(project: Project, req: Pick<RunRequest, 'stations' | 'entrances'>): { stations: StationInput[]; stationsLayer: string | null; entrances: string | null } {
  const entrances = req.entrances ? project.layer(req.entrances).name : req.stations ? null : layerWithRole(project, 'entrances', undefined, false);
  const stationsLayer = req.stations ? project.layer(req.stations).name : layerWithRole(project, 'stations', undefined, !entrances);
  let stations: StationInput[] = [];
  const names = new Map<string, string>();
  if (stationsLayer) {
    const info = project.layer(stationsLayer);
    stations = stationsFromFeatures(stationsLayer, project.readFeatures(stationsLayer), info.fieldMap, info.role === 'entrances' ? new Map() : undefined);
    for (const s of stations) if (s.name) names.set(s.id, s.name);
  }
  if (entrances) {
    const ent = stationsFromFeatures(entrances, project.readFeatures(entrances), project.layer(entrances).fieldMap, names);
    const have = new Set(ent.map((s) => s.id));
    // Stations with entrances walk from their entrances; the others from their own point.
    stations = [...ent, ...stations.filter((s) => !have.has(s.id))];
  }
  return { stations, stationsLayer, entrances };
}

/**
 * Yields to the event loop at every progress step (a cancel request can then arrive); a cancelled run
 * stops before anything is written.
 */
export async function runCatchment(project: Project, req: RunRequest, progress: (f: number | null, msg: string) => void = () => {}): Promise<{ runId: number; analysis: Analysis; cached: boolean }> {
  const step = async (f: number, m: string) => { await new Promise((r) => setImmediate(r)); progress(f, m); };
  const network = layerWithRole(project, 'network', req.network, true)!;
  const { stations, stationsLayer, entrances } = stationsOf(project, req);
  const parcels = layerWithRole(project, 'parcels', req.parcels, false);
  const census = layerWithRole(project, 'census', req.census, false);
  const { bandsM, speed } = resolveBands(req);
  await step(0, 'building the walk graph');
  const { graph, cached } = graphFromLayer(project, network, { nonWalkable: req.nonWalkable, splitCrossings: req.splitCrossings });
  // Read as typed arrays and kept for the scenario engines that follow (one read of the parcels per analysis).
  const parcelMap = parcels ? project.layer(parcels).fieldMap : {};
  const parcelInput = parcels ? parcelsFromArrays(layerArraysShared(project, parcels, []), parcelMap) : null;
  const zones = census ? zonesFromFeatures(project.readFeatures(census), project.layer(census).fieldMap) : null;
  const cellM = req.cellM ?? 10, bufferM = req.bufferM ?? 50;
  const analysis = await analyze(graph, stations, parcelInput, zones, { snap: req.snap ?? 'edge', bandsM, cellM, bufferM }, (f, m) => step(0.1 + 0.85 * f, m));
  const params: RunParams = { networkLayer: network, stationsLayer: stationsLayer ?? entrances!, entrancesLayer: entrances, parcelsLayer: parcels, censusLayer: census, snap: req.snap ?? 'edge', bandsM, speedMPerMin: speed, cellM, bufferM };
  await step(0.95, 'saving');
  const runId = saveRun(project, params, analysis, graph);
  progress(1, 'done');
  return { runId, analysis, cached };
}
