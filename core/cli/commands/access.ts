/** `ekimae access`: residents and jobs within walk bands of every network node and parcel of a project (stored). */
import { EXIT_OK, UsageError, type Command, type Io } from '../command.js';
import type { EkimaeService } from '../../api/service.js';
import type { Output } from '../../api/contract.js';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function printAccess(io: Io, r: Output<'access.results'>): void {
  io.out(`accessibility run ${r.runId} (${r.createdAt}): network ${r.networkLayer}, parcels ${r.parcelsLayer}${r.censusLayer ? `, census ${r.censusLayer}` : ''}, bands ${r.bandsM.join('/')} m`);
  io.out(`graph: ${r.nodes} nodes, ${r.edges} edges; ${r.parcelsOnNetwork} of ${r.parcels} parcels on the network; ${r.totals.residents.toFixed(0)} residents, ${r.totals.jobs.toFixed(0)} jobs in all`);
  io.out(`a node's search reaches ${r.meanReachedNodes.toFixed(0)} nodes on average within ${Math.max(...r.bandsM)} m`);
  io.out('quantity   band_m  parcel_mean  parcel_median  parcel_max   node_mean    node_max');
  for (const s of r.stats) {
    io.out(`${s.quantity.padEnd(9)} ${String(s.bandM).padStart(7)} ${s.parcelMean.toFixed(0).padStart(12)} ${s.parcelMedian.toFixed(0).padStart(14)} ${s.parcelMax.toFixed(0).padStart(11)} ${s.nodeMean.toFixed(0).padStart(11)} ${s.nodeMax.toFixed(0).padStart(11)}`);
  }
  for (const w of r.warnings) io.out(`warning: ${w}`);
}

function bands(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isFinite(x) || x <= 0)) throw new UsageError('--bands takes positive metres separated by commas');
  return xs;
}

export const accessCommand: Command = {
  name: 'access',
  usage: `ekimae access <project.gpkg> [--bands 400,800,1200 | --minutes 5,10,15 [--speed 80]] [--network <layer>] [--parcels <layer>] [--census <layer>] [--split-crossings] [--json]
       ekimae access <project.gpkg> --show [--run <id>] [--json]`,
  options: {
    bands: { type: 'string' }, minutes: { type: 'string' }, speed: { type: 'string' }, network: { type: 'string' }, parcels: { type: 'string' }, census: { type: 'string' },
    'split-crossings': { type: 'boolean' }, show: { type: 'boolean' }, run: { type: 'string' }, json: { type: 'boolean' },
  },
  async run({ values, positionals }, svc: EkimaeService, io) {
    if (positionals.length !== 1) throw new UsageError(positionals.length ? `unexpected argument "${positionals[1]}"` : 'the project file is required');
    if (values.show) {
      await svc.invoke('project.open', { path: positionals[0], readOnly: true });
      const r = await svc.invoke('access.results', { runId: str(values.run) ? Number(values.run) : undefined });
      if (values.json) io.out(JSON.stringify(r, null, 2)); else printAccess(io, r);
      return EXIT_OK;
    }
    let bandsM = bands(str(values.bands));
    const minutes = bands(str(values.minutes));
    if (bandsM && minutes) throw new UsageError('give --bands or --minutes, not both');
    if (minutes) {
      const speed = str(values.speed) ? Number(values.speed) : 80;
      if (!(speed > 0)) throw new UsageError('--speed takes metres per minute');
      bandsM = minutes.map((m) => m * speed);
    }
    await svc.invoke('project.open', { path: positionals[0] });
    const r = await svc.invoke('access.run', {
      bandsM, network: str(values.network), parcels: str(values.parcels), census: str(values.census), splitCrossings: !!values['split-crossings'],
    });
    if (values.json) io.out(JSON.stringify(r, null, 2)); else { io.out(`stored as accessibility run ${r.runId}${r.cachedGraph ? ' (walk graph from the project cache)' : ''}`); printAccess(io, r); }
    return EXIT_OK;
  },
};
