/** LVC parameters and results in the project (ekimae_lvc_* tables). */
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import { insertRows } from '../store/bulk-insert.js';
import type { Project } from '../store/project.js';
import { defaultLvcParams, LvcParamsSchema, type LvcParams } from './params.js';
import type { LvcResult } from './run.js';
import type { MonteCarlo, TornadoBar } from './sensitivity.js';
import type { ParcelUplift } from './uplift.js';

export interface StoredParams { params: LvcParams; sources: Record<string, string>; stored: boolean }

export function getLvcParams(p: Project): StoredParams {
  const row = p.database.prepare("SELECT params_json, sources_json FROM ekimae_lvc_params WHERE key = 'current'").get() as { params_json: string; sources_json: string } | undefined;
  if (row) return { params: LvcParamsSchema.parse(JSON.parse(row.params_json)), sources: JSON.parse(row.sources_json), stored: true };
  return { ...defaultLvcParams(p.settings().country as string | undefined), stored: false };
}

export function setLvcParams(p: Project, params: LvcParams, sources: Record<string, string>): StoredParams {
  p.action((db) => {
    db.prepare(`INSERT INTO ekimae_lvc_params (key, params_json, sources_json, updated_at) VALUES ('current', ?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET params_json = excluded.params_json, sources_json = excluded.sources_json, updated_at = excluded.updated_at`)
      .run(JSON.stringify(params), JSON.stringify(sources), nowIso());
  });
  return getLvcParams(p);
}

export interface RunRecord {
  runId: number;
  createdAt: string;
  scenario: { id: string; version: number; name: string };
  baseline: string;
  baseEntitlement: string;
  parcelLayer: string;
  distanceSource: string;
  params: LvcParams;
  sources: Record<string, string>;
  result: Omit<LvcResult, 'params'> & { tornado: { baseNpv: number; baseShare: number | null; bars: TornadoBar[] }; monteCarlo: MonteCarlo; warnings: string[] };
}

export function saveLvcRun(p: Project, rec: Omit<RunRecord, 'runId' | 'createdAt'>, fids: Float64Array, uplift: ParcelUplift): number {
  return p.action((db) => {
    const info = db.prepare(`INSERT INTO ekimae_lvc_runs (created_at, scenario_id, scenario_version, baseline, base_entitlement, parcel_layer, distance_source, params_json, sources_json, result_json)
      VALUES (?,?,?,?,?,?,?,?,?,?)`).run(nowIso(), rec.scenario.id, rec.scenario.version, rec.baseline, rec.baseEntitlement, rec.parcelLayer, rec.distanceSource,
      JSON.stringify(rec.params), JSON.stringify(rec.sources), JSON.stringify({ ...rec.result, scenarioName: rec.scenario.name }));
    const runId = Number(info.lastInsertRowid);
    insertRows(db, 'ekimae_lvc_parcels', ['run_id', 'parcel_fid', 'proximity', 'development'], fids.length, (i, o, k) => {
      o[k] = runId; o[k + 1] = fids[i]; o[k + 2] = uplift.proximity[i]; o[k + 3] = uplift.development[i];
    });
    return runId;
  });
}

function toRecord(r: Record<string, unknown>): RunRecord {
  const result = JSON.parse(String(r.result_json));
  const { scenarioName, ...rest } = result;
  return {
    runId: Number(r.fid), createdAt: String(r.created_at), scenario: { id: String(r.scenario_id), version: Number(r.scenario_version), name: String(scenarioName ?? r.scenario_id) },
    baseline: String(r.baseline), baseEntitlement: String(r.base_entitlement), parcelLayer: String(r.parcel_layer), distanceSource: String(r.distance_source),
    params: JSON.parse(String(r.params_json)), sources: JSON.parse(String(r.sources_json)), result: rest,
  };
}

/** The latest run per scenario (or of one scenario), newest first. */
export function latestLvcRuns(p: Project, scenarioId?: string): RunRecord[] {
  const rows = p.database.prepare(`SELECT * FROM ekimae_lvc_runs r WHERE fid = (SELECT max(fid) FROM ekimae_lvc_runs WHERE scenario_id = r.scenario_id)
    ${scenarioId ? 'AND scenario_id = ?' : ''} ORDER BY fid DESC`).all(...(scenarioId ? [scenarioId] : [])) as Array<Record<string, unknown>>;
  return rows.map(toRecord);
}

export function lvcRun(p: Project, runId: number): RunRecord {
  const r = p.database.prepare('SELECT * FROM ekimae_lvc_runs WHERE fid = ?').get(runId) as Record<string, unknown> | undefined;
  if (!r) throw new EkimaeError('E_INPUT_INVALID', `no land value capture run ${runId}`, { runId });
  return toRecord(r);
}

export function lvcParcelUplift(p: Project, runId: number): Array<{ fid: number; proximity: number; development: number }> {
  return (p.database.prepare('SELECT parcel_fid AS fid, proximity, development FROM ekimae_lvc_parcels WHERE run_id = ? ORDER BY parcel_fid').all(runId) as Array<{ fid: number; proximity: number; development: number }>);
}
