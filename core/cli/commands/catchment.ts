/**
 * `ekimae catchment`: walk catchments on files (no project) or on a project's layers (stored).
 * The file mode is the whole path from files to an answer, so it loads only what it uses: the
 * GeoJSON line reader, the graph builder, the engine, and for the stations the GeoJSON parser and
 * normaliser (the general importer, the service and the project store are imported only when
 * needed). `npm run bench -- catchment-cli` times it against networkx's whole run.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { EkimaeError } from '../../errors.js';
import { graphFromGeoJsonFile } from '../../network/load-geojson.js';
import { computeCatchment, type Catchment, type SnapMode } from '../../catchment/engine.js';
import { stationsFromFeatures } from '../../catchment/inputs.js';
import { detectFieldMap } from '../../io/field-detect.js';
import type { ImportedLayer } from '../../io/types.js';
import type { WalkGraph } from '../../network/types.js';
import { writeFixed } from '../../util/fixed.js';
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';
import type { EkimaeService } from '../../api/service.js';
import type { Output } from '../../api/contract.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function numbers(v: string | undefined, what: string): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isFinite(x) || x <= 0)) throw new UsageError(`${what} takes positive numbers separated by commas`);
  return xs;
}

function writeNodes(path: string, c: Catchment): void {
  writeFileSync(path, nodesCsv(c));
}

/**
 * The reached nodes in node order as CSV bytes: one buffer sized up front, digits written into it
 * (toFixed's exact text: util/fixed.ts), one write. Strings per row and a comparator sort were
 * most of the writer's time at 40k rows.
 */
export function nodesCsv(c: Catchment): Uint8Array {
  const g = c.graph, n = c.nodes.length;
  const byNode = new Float64Array(g.nodeCount);
  for (let i = 0; i < n; i++) byNode[c.nodes[i]] = c.dist[i];
  const order = Int32Array.from(c.nodes).sort();
  const head = 'lon,lat,dist_m\n';
  // Room for the widest row toFixed could give (3 × 40 bytes); trimmed at the end.
  const out = new Uint8Array(head.length + n * 123);
  let p = 0;
  for (let i = 0; i < head.length; i++) out[p++] = head.charCodeAt(i);
  for (let i = 0; i < n; i++) {
    const v = order[i];
    p = writeFixed(out, p, g.nodeLonLat[2 * v], 7); out[p++] = 44;
    p = writeFixed(out, p, g.nodeLonLat[2 * v + 1], 7); out[p++] = 44;
    p = writeFixed(out, p, byNode[v], 6); out[p++] = 10;
  }
  return out.subarray(0, p);
}

function printCatchment(io: Io, c: Catchment): void {
  const g = c.graph;
  io.out(`walk graph: ${g.nodeCount} nodes, ${g.edgeCount} edges, ${g.components.length} connected component(s)`);
  for (const isl of g.components.slice(1, 6)) io.out(`  ${isl.name} (${isl.nodes} nodes, ${(isl.lengthM / 1000).toFixed(2)} km)`);
  for (const s of c.snaps) io.out(`  station ${c.stations[s.station].id}${c.stations[s.station].points.length > 1 ? ` entrance ${s.entrance + 1}` : ''}: snapped ${s.snapM.toFixed(1)} m (${c.options.snap} mode)`);
  io.out(`reached ${c.nodes.length} nodes within ${c.options.cutoffM} m`);
  for (const w of c.warnings) io.out(`warning: ${w}`);
}

function printRun(io: Io, r: Output<'catchment.results'>): void {
  io.out(`catchment run ${r.runId} (${r.createdAt}): network ${r.networkLayer}, stations ${r.stationsLayer}, ${r.snap} snapping, bands ${r.params.bandsM.join('/')} m at ${r.params.speedMPerMin} m/min`);
  io.out(`graph: ${r.graph.nodes} nodes, ${r.graph.edges} edges, ${r.graph.components} component(s)`);
  for (const isl of r.graph.islands.slice(0, 5)) io.out(`  ${isl.name}`);
  const f = (x: number | null, d = 0) => (x === null ? '-' : x.toFixed(d));
  const diff = (a: number | null, b: number | null) => (a === null || b === null ? '-' : `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(0)}`);
  io.out('station         band_m  nodes  street_km  area_ha  pedshed  parcels  pop_areal  pop_dasy  (diff)  jobs_areal  jobs_dasy  (diff)');
  for (const b of r.bands) {
    io.out(`${(b.stationId === '*' ? 'ALL' : b.stationName ? `${b.stationId} ${b.stationName}` : b.stationId).slice(0, 15).padEnd(15)} ${String(b.bandM).padStart(6)} ${String(b.nodes).padStart(6)} ${(b.networkM / 1000).toFixed(2).padStart(10)} ${(b.areaM2 / 1e4).toFixed(1).padStart(8)} ${b.pedshed.toFixed(3).padStart(8)} ${String(b.parcels).padStart(8)} ${f(b.popAreal).padStart(10)} ${f(b.popDasy).padStart(9)} ${diff(b.popAreal, b.popDasy).padStart(7)} ${f(b.jobsAreal).padStart(11)} ${f(b.jobsDasy).padStart(10)} ${diff(b.jobsAreal, b.jobsDasy).padStart(7)}`);
  }
  for (const w of r.warnings) io.out(`warning: ${w}`);
}

/** The snap mode and cutoff as given (usage errors for bad ones). */
function checked(values: Record<string, unknown>): [number | undefined, SnapMode] {
  const snap = str(values.snap) ?? 'edge';
  if (snap !== 'node' && snap !== 'edge') throw new UsageError('--snap must be node or edge');
  const cutoff = str(values.cutoff) === undefined ? undefined : Number(values.cutoff);
  if (cutoff !== undefined && !Number.isFinite(cutoff)) throw new UsageError('--cutoff takes metres');
  return [cutoff, snap];
}

async function networkGraph(path: string, splitCrossings: boolean): Promise<WalkGraph> {
  const fast = graphFromGeoJsonFile(path, { splitCrossings });
  if (fast) return fast;
  return (await import('../../network/load.js')).graphFromFile(path, { splitCrossings });
}

/** The point layer of a stations file: a GeoJSON file through its own parser and the normaliser, anything else through the importer (the same layers either way). */
async function stationLayer(path: string): Promise<ImportedLayer | undefined> {
  const { readSource } = await import('../../io/source.js');
  const src = readSource(path);
  let layers: ImportedLayer[];
  if (/\.(geo)?json$/i.test(src.name) && !(src.bytes[0] === 0x50 && src.bytes[1] === 0x4b) && Buffer.from(src.bytes.subarray(0, 15)).toString('latin1') !== 'SQLite format 3') {
    const [{ parseGeoJson }, { normalizeLayer }] = await Promise.all([import('../../io/geojson.js'), import('../../io/normalize.js')]);
    let raws;
    try { raws = parseGeoJson(src); } catch (e) {
      // As io/import.ts's asReadError words it.
      throw e instanceof EkimaeError ? e : new EkimaeError('E_FORMAT_INVALID', `${src.name} could not be read as geojson: ${(e as Error).message}`, { file: src.name, format: 'geojson' });
    }
    layers = raws.map((r) => normalizeLayer(r));
  } else {
    layers = (await import('../../io/import.js')).readLayersFrom(src).layers;
  }
  return layers.find((l) => l.geometryType.endsWith('POINT'));
}

async function filesRun(values: Record<string, unknown>, cutoff: number | undefined, snap: SnapMode, io: Io): Promise<number> {
  if (!str(values.network) || !str(values.stations)) throw new UsageError('--network and --stations are required');
  if (cutoff === undefined) throw new UsageError('--cutoff is required without --project');
  const graph = await networkGraph(str(values.network)!, !!values['split-crossings']);
  const layer = await stationLayer(str(values.stations)!);
  if (!layer) throw new UsageError(`${values.stations} holds no point layer of stations or entrances`);
  const fm = { ...detectFieldMap('entrances', layer.fields), ...detectFieldMap('stations', layer.fields) };
  const c = computeCatchment(graph, stationsFromFeatures(layer.name, layer.features, fm), { cutoffM: cutoff, snap });
  if (str(values['nodes-out'])) writeNodes(str(values['nodes-out'])!, c);
  if (values.json) io.out(JSON.stringify({ nodes: c.nodes.length, snaps: c.snaps, warnings: c.warnings }, null, 2)); else printCatchment(io, c);
  return EXIT_OK;
}

export const catchmentCommand: Command = {
  name: 'catchment',
  usage: `ekimae catchment --network <file|layer> --stations <file|layer> --cutoff <m> [--snap node|edge] [--nodes-out nodes.csv] [--project p.gpkg]
       [--entrances <layer>] [--parcels <layer>] [--census <layer>] [--bands 400,800,1200 | --minutes 5,10,15] [--speed 80] [--split-crossings] [--json]
       ekimae catchment --project p.gpkg --show [--run <id>] [--json]`,
  options: {
    network: { type: 'string' }, stations: { type: 'string' }, cutoff: { type: 'string' }, snap: { type: 'string' }, 'nodes-out': { type: 'string' },
    project: { type: 'string' }, entrances: { type: 'string' }, parcels: { type: 'string' }, census: { type: 'string' }, bands: { type: 'string' },
    minutes: { type: 'string' }, speed: { type: 'string' }, 'split-crossings': { type: 'boolean' }, show: { type: 'boolean' }, run: { type: 'string' }, json: { type: 'boolean' },
  },
  async direct({ values, positionals }, io) {
    if (positionals.length || values.show || str(values.project)) return undefined;
    return filesRun(values, ...checked(values), io);
  },
  async run({ values, positionals }, svc: EkimaeService, io) {
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const [cutoff, snap] = checked(values);
    const project = str(values.project);
    if (values.show) {
      if (!project) throw new UsageError('--show needs --project');
      await svc.invoke('project.open', { path: project, readOnly: true });
      const r = await svc.invoke('catchment.results', { runId: str(values.run) ? Number(values.run) : undefined });
      if (values.json) io.out(JSON.stringify(r, null, 2)); else printRun(io, r);
      return EXIT_OK;
    }
    if (!project) {
      return filesRun(values, cutoff, snap, io);
    }
    const { graphFromLayer } = await import('../../network/load.js');
    const { stationsOf, DEFAULT_BANDS_M } = await import('../../catchment/run.js');
    const info = await svc.invoke('project.open', { path: project });
    // A file given where a layer is expected is imported first (with the role it plays here).
    const asLayer = async (v: string | undefined, role: 'network' | 'stations' | 'entrances') => {
      if (!v || info.layers.some((l) => l.name === v) || !existsSync(v)) return v;
      const r = await svc.invoke('layers.import', { path: v, role });
      io.out(`imported ${v} as layer ${r.layers[0].name} (${role})`);
      return r.layers[0].name;
    };
    const network = await asLayer(str(values.network), 'network');
    const stationsLayer = await asLayer(str(values.stations), 'stations');
    const entrancesLayer = await asLayer(str(values.entrances), 'entrances');
    const minutes = numbers(str(values.minutes), '--minutes');
    let bandsM = numbers(str(values.bands), '--bands');
    if (!bandsM && !minutes && cutoff !== undefined) bandsM = [...DEFAULT_BANDS_M.filter((b) => b < cutoff), cutoff];
    const r = await svc.invoke('catchment.run', {
      network, stations: stationsLayer, entrances: entrancesLayer, parcels: str(values.parcels), census: str(values.census),
      snap: snap as SnapMode, bandsM, bandsMin: minutes, splitCrossings: !!values['split-crossings'], speedMPerMin: str(values.speed) ? Number(values.speed) : undefined,
    });
    if (str(values['nodes-out'])) {
      const p = svc.requireProject();
      const { graph } = graphFromLayer(p, r.networkLayer, { splitCrossings: !!values['split-crossings'] });
      const { stations } = stationsOf(p, { stations: stationsLayer, entrances: entrancesLayer });
      writeNodes(str(values['nodes-out'])!, computeCatchment(graph, stations, { cutoffM: r.cutoffM, snap: snap as SnapMode }));
    }
    if (values.json) io.out(JSON.stringify(r, null, 2)); else { io.out(`stored as catchment run ${r.runId}${r.cachedGraph ? ' (walk graph from the project cache)' : ''}`); printRun(io, r); }
    return EXIT_OK;
  },
};
