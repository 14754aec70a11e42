/**
 * Accessibility results in the project: one run row (parameters, summary, per-node sums and node
 * positions as BLOBs for the map), and one row per parcel and band in ekimae_access_parcels, the
 * table QGIS joins to the parcel layer by feature id. One run = one transaction.
 */
import { EkimaeError } from '../errors.js';
import { insertRows } from '../store/bulk-insert.js';
import { nowIso } from '../store/clock.js';
import type { Project } from '../store/project.js';
import type { WalkGraph } from '../network/types.js';
import type { NodeAccess } from './engine.js';
import { ACCESS_QUANTITIES, type ParcelWeights } from './weights.js';

export type AccessQuantity = (typeof ACCESS_QUANTITIES)[number];

export interface AccessParams { networkLayer: string; parcelsLayer: string; censusLayer: string | null; bandsM: number[] }

export interface BandStats {
  bandM: number; quantity: AccessQuantity;
  /** Over parcels with a node: mean, median and largest reachable count; and over nodes. */
  parcelMean: number; parcelMedian: number; parcelMax: number; nodeMean: number; nodeMax: number;
}

export interface AccessSummary {
  runId: number; createdAt: string; networkLayer: string; parcelsLayer: string; censusLayer: string | null; bandsM: number[];
  nodes: number; edges: number; parcels: number; parcelsOnNetwork: number; totals: Record<AccessQuantity, number>;
  meanReachedNodes: number; stats: BandStats[]; warnings: string[];
}

const blob = (a: Float64Array | Float32Array | Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const copy = (b: Buffer) => { const u = new Uint8Array(b.length); u.set(b); return u.buffer; };

function median(xs: Float64Array): number {
  if (!xs.length) return 0;
  const s = Float64Array.from(xs).sort();
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function saveAccess(project: Project, p: AccessParams, g: WalkGraph, a: NodeAccess, w: ParcelWeights, warnings: string[]): number {
  const N = g.nodeCount, B = p.bandsM.length, P = w.fids.length;
  const on: number[] = [];
  for (let i = 0; i < P; i++) if (w.node[i] >= 0) on.push(i);
  const stats: BandStats[] = [];
  ACCESS_QUANTITIES.forEach((quantity, q) => p.bandsM.forEach((bandM, b) => {
    const sums = a.sums[q].subarray(b * N, (b + 1) * N);
    const per = Float64Array.from(on, (i) => sums[w.node[i]]);
    let nodeSum = 0, nodeMax = 0;
    for (let n = 0; n < N; n++) { nodeSum += sums[n]; if (sums[n] > nodeMax) nodeMax = sums[n]; }
    stats.push({ bandM, quantity, parcelMean: per.length ? per.reduce((x, y) => x + y, 0) / per.length : 0, parcelMedian: median(per), parcelMax: per.reduce((x, y) => Math.max(x, y), 0), nodeMean: nodeSum / N, nodeMax });
  }));
  let reached = 0;
  for (let n = 0; n < N; n++) reached += a.reached[n];
  const totals = Object.fromEntries(ACCESS_QUANTITIES.map((k, q) => [k, w.values[q].reduce((x, y) => x + y, 0)])) as Record<AccessQuantity, number>;
  const summary = { nodes: N, edges: g.edgeCount, parcels: P, parcelsOnNetwork: on.length, totals, meanReachedNodes: reached / N, stats };
  const nodeSums = new Float64Array(ACCESS_QUANTITIES.length * B * N);
  a.sums.forEach((s, q) => nodeSums.set(s, q * B * N));
  return project.action((db) => {
    const runId = Number(db.prepare(`INSERT INTO ekimae_access_runs (created_at, network_layer, parcels_layer, census_layer, bands_json, summary_json, warnings_json,
        node_count, node_lonlat, node_sums) VALUES (?,?,?,?,?,?,?,?,?,?)`).run(nowIso(), p.networkLayer, p.parcelsLayer, p.censusLayer, JSON.stringify(p.bandsM),
      JSON.stringify(summary), JSON.stringify(warnings), N, blob(g.nodeLonLat), blob(nodeSums)).lastInsertRowid);
    // Multi-row statements (bulk-insert.ts): the same rows in the same order as one INSERT per row.
    insertRows(db, 'ekimae_access_parcels', ['run_id', 'parcel_fid', 'node', 'snap_m', 'band_m', 'residents', 'jobs'], on.length * B, (j, out, o) => {
      const i = on[Math.floor(j / B)], b = j % B, n = w.node[i];
      out[o] = runId; out[o + 1] = w.fids[i]; out[o + 2] = n; out[o + 3] = w.snapM[i]; out[o + 4] = p.bandsM[b];
      out[o + 5] = a.sums[0][b * N + n]; out[o + 6] = a.sums[1][b * N + n];
    });
    return runId;
  });
}

interface RunRow { fid: number; created_at: string; network_layer: string; parcels_layer: string; census_layer: string | null; bands_json: string; summary_json: string; warnings_json: string; node_count: number }

export function latestAccessRunId(project: Project): number | null {
  const r = project.database.prepare('SELECT MAX(fid) AS id FROM ekimae_access_runs').get() as { id: number | null };
  return r.id;
}

function row(project: Project, runId: number | undefined): RunRow {
  const id = runId ?? latestAccessRunId(project);
  if (id === null) throw new EkimaeError('E_ACCESS_NOT_FOUND', 'no accessibility has been computed in this project yet (ekimae access, or Analysis ▸ Accessibility)');
  const r = project.database.prepare('SELECT fid, created_at, network_layer, parcels_layer, census_layer, bands_json, summary_json, warnings_json, node_count FROM ekimae_access_runs WHERE fid = ?').get(id) as RunRow | undefined;
  if (!r) throw new EkimaeError('E_ACCESS_NOT_FOUND', `accessibility run ${id} is not in the project`, { runId: id });
  return r;
}

export function readAccess(project: Project, runId?: number): AccessSummary {
  const r = row(project, runId);
  return {
    runId: r.fid, createdAt: r.created_at, networkLayer: r.network_layer, parcelsLayer: r.parcels_layer, censusLayer: r.census_layer,
    bandsM: JSON.parse(r.bands_json), ...JSON.parse(r.summary_json), warnings: JSON.parse(r.warnings_json),
  };
}

/** Typed arrays: a million parcels' values travel as 16 MB of bytes (binary over HTTP, cloned over IPC), not two million JSON numbers. */
export interface AccessValues { runId: number; bandM: number; quantity: AccessQuantity; ids: Float64Array; values: Float64Array; lonLat?: Float64Array }

/** One quantity in one band: per parcel (fid, value) or per node (index, lon/lat, value), for map colouring. */
export function readAccessValues(project: Project, o: { runId?: number; of: 'parcels' | 'nodes'; quantity: AccessQuantity; bandM: number }): AccessValues {
  const r = row(project, o.runId);
  const bands: number[] = JSON.parse(r.bands_json);
  const b = bands.indexOf(o.bandM);
  if (b < 0) throw new EkimaeError('E_INPUT_INVALID', `accessibility run ${r.fid} has bands ${bands.join(', ')} m, not ${o.bandM} m`, { bands });
  if (o.of === 'parcels') {
    const db = project.database;
    const n = Number(db.prepare('SELECT count(*) FROM ekimae_access_parcels WHERE run_id = ? AND band_m = ?').pluck().get(r.fid, o.bandM));
    const ids = new Float64Array(n), values = new Float64Array(n);
    let i = 0;
    // Iterated into the arrays, no row array per parcel; rows another process adds between the count and the read are left out.
    const rows = db.prepare(`SELECT parcel_fid, ${o.quantity === 'jobs' ? 'jobs' : 'residents'} AS v FROM ekimae_access_parcels WHERE run_id = ? AND band_m = ? ORDER BY parcel_fid`).raw(true);
    for (const [fid, v] of rows.iterate(r.fid, o.bandM) as Iterable<[number, number | null]>) {
      if (i >= n) break;
      ids[i] = fid; values[i] = v ?? NaN; i++;
    }
    return { runId: r.fid, bandM: o.bandM, quantity: o.quantity, ids: i === n ? ids : ids.slice(0, i), values: i === n ? values : values.slice(0, i) };
  }
  const blobs = project.database.prepare('SELECT node_lonlat, node_sums FROM ekimae_access_runs WHERE fid = ?').get(r.fid) as { node_lonlat: Buffer; node_sums: Buffer };
  const N = r.node_count, q = o.quantity === 'jobs' ? 1 : 0;
  const sums = new Float64Array(copy(blobs.node_sums)), ll = new Float64Array(copy(blobs.node_lonlat));
  if (sums.length !== 2 * bands.length * N || ll.length !== 2 * N) throw new EkimaeError('E_PROJECT_INVALID', `accessibility run ${r.fid} is damaged (node arrays of the wrong size)`);
  const base = (q * bands.length + b) * N;
  return { runId: r.fid, bandM: o.bandM, quantity: o.quantity, ids: Float64Array.from({ length: N }, (_, i) => i), values: sums.slice(base, base + N), lonLat: ll };
}
