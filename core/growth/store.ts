/** Growth settings and take-up runs in the project file (tables made by schema migration 5). */
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import type { Project } from '../store/project.js';
import { defaultGrowth } from './defaults.js';
import { validateGrowth, type GrowthSettings } from './settings.js';
import type { TakeUp } from './takeup.js';

export interface GrowthTable { stored: boolean; settings: GrowthSettings }

/** The project's growth settings, or its country's defaults (base year = the price year) until set. */
export function getGrowth(p: Project): GrowthTable {
  const row = p.database.prepare("SELECT settings_json FROM ekimae_growth WHERE key = 'growth'").get() as { settings_json: string } | undefined;
  if (row) return { stored: true, settings: validateGrowth(JSON.parse(row.settings_json)) };
  const s = p.settings() as Record<string, unknown>;
  const priceYear = typeof s.priceYear === 'number' && Number.isInteger(s.priceYear) ? s.priceYear : undefined;
  return { stored: false, settings: defaultGrowth({ country: typeof s.country === 'string' ? s.country : undefined, baseYear: priceYear }) };
}

/** Store settings; a missing market block (or sources) comes from the country's defaults, so a table of control totals is enough. */
export function setGrowth(p: Project, input: unknown): GrowthTable {
  let filled = input;
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const o = input as Record<string, unknown>;
    const def = getGrowth(p).settings;
    filled = { ...o, market: o.market ?? def.market, sources: { ...defaultGrowthSources(p), ...(o.sources as Record<string, string> | undefined ?? {}) } };
  }
  const g = validateGrowth(filled);
  if (g.programmeLayer) p.layer(g.programmeLayer);
  p.action((db) => {
    db.prepare(`INSERT INTO ekimae_growth (key, settings_json, updated_at) VALUES ('growth', ?, ?)
      ON CONFLICT(key) DO UPDATE SET settings_json = excluded.settings_json, updated_at = excluded.updated_at`).run(JSON.stringify(g), nowIso());
  });
  return getGrowth(p);
}

function defaultGrowthSources(p: Project): Record<string, string> {
  const s = p.settings() as Record<string, unknown>;
  return defaultGrowth({ country: typeof s.country === 'string' ? s.country : undefined }).sources;
}

/** The summary a take-up run stores and returns (per-parcel shares stay in the BLOB). */
export type TakeUpSummary = Omit<TakeUp, 'share' | 'fids'>;

export function summaryOf(t: TakeUp): TakeUpSummary {
  const { share: _s, fids: _f, ...rest } = t;
  return rest;
}

export interface StoredTakeUp { runId: number; scenarioId: string; version: number; parcelLayer: string; createdAt: string; settings: GrowthSettings; summary: TakeUpSummary }

export function saveTakeUp(p: Project, a: { scenarioId: string; version: number; parcelLayer: string; settings: GrowthSettings; takeUp: TakeUp }): StoredTakeUp {
  const at = nowIso();
  const summary = summaryOf(a.takeUp);
  const runId = p.action((db) => {
    db.prepare('DELETE FROM ekimae_takeup_runs WHERE scenario_id = ? AND scenario_version = ? AND parcel_layer = ?').run(a.scenarioId, a.version, a.parcelLayer);
    const fids = Buffer.from(a.takeUp.fids.buffer, a.takeUp.fids.byteOffset, a.takeUp.fids.byteLength);
    const share = Buffer.from(a.takeUp.share.buffer, a.takeUp.share.byteOffset, a.takeUp.share.byteLength);
    return Number(db.prepare(`INSERT INTO ekimae_takeup_runs (created_at, scenario_id, scenario_version, parcel_layer, settings_json, result_json, fids, share)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(at, a.scenarioId, a.version, a.parcelLayer, JSON.stringify(a.settings), JSON.stringify(summary), fids, share).lastInsertRowid);
  });
  return { runId, scenarioId: a.scenarioId, version: a.version, parcelLayer: a.parcelLayer, createdAt: at, settings: a.settings, summary };
}

interface Row { fid: number; created_at: string; scenario_id: string; scenario_version: number; parcel_layer: string; settings_json: string; result_json: string; fids: Buffer; share: Buffer }

const toStored = (r: Row): StoredTakeUp => ({
  runId: r.fid, scenarioId: r.scenario_id, version: r.scenario_version, parcelLayer: r.parcel_layer, createdAt: r.created_at,
  settings: JSON.parse(r.settings_json) as GrowthSettings, summary: JSON.parse(r.result_json) as TakeUpSummary,
});

export function listTakeUps(p: Project, scenarioId?: string): StoredTakeUp[] {
  const rows = (scenarioId === undefined
    ? p.database.prepare('SELECT * FROM ekimae_takeup_runs ORDER BY fid').all()
    : p.database.prepare('SELECT * FROM ekimae_takeup_runs WHERE scenario_id = ? ORDER BY fid').all(scenarioId)) as Row[];
  return rows.map(toStored);
}

/** The latest stored take-up of a scenario with its per-parcel shares (for land value capture and maps). */
export function latestTakeUpShares(p: Project, scenarioId: string): { stored: StoredTakeUp; fids: Float64Array; share: Float32Array } | null {
  const r = p.database.prepare('SELECT * FROM ekimae_takeup_runs WHERE scenario_id = ? ORDER BY fid DESC LIMIT 1').get(scenarioId) as Row | undefined;
  if (!r) return null;
  const copy = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  const fids = new Float64Array(copy(r.fids));
  const share = new Float32Array(copy(r.share));
  const stored = toStored(r);
  if (share.length !== fids.length * stored.summary.horizons.length) throw new EkimaeError('E_PROJECT_INVALID', `take-up run ${r.fid} has ${share.length} shares for ${fids.length} parcels × ${stored.summary.horizons.length} horizons`);
  return { stored, fids, share };
}
