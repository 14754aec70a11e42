/**
 * Scenarios, assumptions and results in the project file. Every save of a scenario is a new version
 * row (nothing is overwritten), so any two versions can be compared; results are keyed by scenario,
 * version and parcel layer, with one row per parcel by feature id.
 */
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import type { Project } from '../store/project.js';
import { ASSUMPTION_KEYS, defaultAssumptions, EXISTING_STOCK_FALLBACK, normaliseCountry, type AssumptionEntry, type AssumptionKey, type Country } from './assumptions.js';
import { compileRules } from './compile.js';
import { defaultScenarios } from './defaults.js';
import type { ParcelResult } from './evaluate.js';
import type { IndicatorSet } from './indicators.js';
import { ScenarioDefSchema, type ScenarioDef, type ScenarioDefInput } from './model.js';
import { insertRows } from '../store/bulk-insert.js';

export interface StoredScenario {
  id: string;
  version: number;
  name: string;
  note: string | null;
  createdAt: string;
  versions: number[];
  definition: ScenarioDef;
}

interface Row { scenario_id: string; version: number; name: string; definition_json: string; note: string | null; created_at: string }

function slug(name: string): string {
  const s = name.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50);
  return s || 'scenario';
}

function toStored(p: Project, r: Row): StoredScenario {
  const versions = (p.database.prepare('SELECT version FROM ekimae_scenarios WHERE scenario_id = ? ORDER BY version').all(r.scenario_id) as Array<{ version: number }>).map((x) => x.version);
  return { id: r.scenario_id, version: r.version, name: r.name, note: r.note, createdAt: r.created_at, versions, definition: ScenarioDefSchema.parse(JSON.parse(r.definition_json)) };
}

export function listScenarios(p: Project): StoredScenario[] {
  // In the order the scenarios were first saved: a new version does not move one to the end of every list and report.
  const rows = p.database.prepare(`SELECT s.* FROM ekimae_scenarios s
    JOIN (SELECT scenario_id, max(version) AS v, min(fid) AS first FROM ekimae_scenarios GROUP BY scenario_id) m ON m.scenario_id = s.scenario_id AND m.v = s.version
    ORDER BY m.first`).all() as Row[];
  return rows.map((r) => toStored(p, r));
}

export function getScenario(p: Project, id: string, version?: number): StoredScenario {
  const row = (version === undefined
    ? p.database.prepare('SELECT * FROM ekimae_scenarios WHERE scenario_id = ? ORDER BY version DESC LIMIT 1').get(id)
    : p.database.prepare('SELECT * FROM ekimae_scenarios WHERE scenario_id = ? AND version = ?').get(id, version)) as Row | undefined;
  if (!row) {
    const known = (p.database.prepare('SELECT DISTINCT scenario_id FROM ekimae_scenarios ORDER BY scenario_id').all() as Array<{ scenario_id: string }>).map((r) => r.scenario_id);
    throw new EkimaeError('E_SCENARIO_NOT_FOUND', `no scenario "${id}"${version === undefined ? '' : ` version ${version}`} in the project (scenarios: ${known.join(', ') || 'none'})`, { id, version, known });
  }
  return toStored(p, row);
}

/** Save a new version (or a new scenario when id is absent). The definition must compile. */
export function saveScenario(p: Project, def: ScenarioDefInput, opts: { id?: string; note?: string } = {}): StoredScenario {
  const parsed = ScenarioDefSchema.parse(def);
  compileRules(parsed);
  const db = p.database;
  const out = p.action(() => {
    let id = opts.id;
    if (id === undefined) {
      const base = slug(parsed.name);
      id = base;
      for (let k = 2; db.prepare('SELECT 1 FROM ekimae_scenarios WHERE scenario_id = ?').get(id); k++) id = `${base}-${k}`;
    }
    const v = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM ekimae_scenarios WHERE scenario_id = ?').get(id) as { v: number }).v + 1;
    db.prepare('INSERT INTO ekimae_scenarios (scenario_id, version, name, definition_json, note, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, v, parsed.name, JSON.stringify(parsed), opts.note ?? null, nowIso());
    return { id, v };
  });
  return getScenario(p, out.id, out.v);
}

/** Every saved version of a scenario, oldest first (E_SCENARIO_NOT_FOUND when there is none). */
export function scenarioVersions(p: Project, id: string): Array<Omit<StoredScenario, 'versions'>> {
  const rows = p.database.prepare('SELECT * FROM ekimae_scenarios WHERE scenario_id = ? ORDER BY version').all(id) as Row[];
  if (!rows.length) getScenario(p, id);
  return rows.map((r) => ({ id: r.scenario_id, version: r.version, name: r.name, note: r.note, createdAt: r.created_at, definition: ScenarioDefSchema.parse(JSON.parse(r.definition_json)) }));
}

export function copyScenario(p: Project, id: string, name: string, version?: number): StoredScenario {
  const src = getScenario(p, id, version);
  return saveScenario(p, { ...src.definition, name }, { note: `copied from ${id} v${src.version}` });
}

export function deleteScenario(p: Project, id: string): number {
  getScenario(p, id);
  return p.action((db) => {
    const ids = (db.prepare('SELECT fid FROM ekimae_scenario_results WHERE scenario_id = ?').all(id) as Array<{ fid: number }>).map((r) => r.fid);
    for (const r of ids) db.prepare('DELETE FROM ekimae_scenario_parcels WHERE result_id = ?').run(r);
    db.prepare('DELETE FROM ekimae_scenario_results WHERE scenario_id = ?').run(id);
    return db.prepare('DELETE FROM ekimae_scenarios WHERE scenario_id = ?').run(id).changes;
  });
}

/** Add any default scenario (for the project's country and zones layer) the project does not have yet; returns the ids added. */
export function ensureDefaultScenarios(p: Project): string[] {
  const added: string[] = [];
  const zones = p.database.prepare("SELECT l.table_name AS t FROM ekimae_layers l JOIN gpkg_contents c ON c.table_name = l.table_name WHERE l.role = 'zones' ORDER BY l.table_name LIMIT 1").get() as { t: string } | undefined;
  const country = p.settings().country;
  p.action(() => {
    for (const d of defaultScenarios(typeof country === 'string' ? country : undefined, zones?.t ?? null)) {
      if (p.database.prepare('SELECT 1 FROM ekimae_scenarios WHERE scenario_id = ?').get(d.id)) continue;
      saveScenario(p, d.def, { id: d.id, note: 'Ekimae default' });
      added.push(d.id);
    }
  });
  return added;
}

export interface AssumptionTable { country: Country; stored: boolean; entries: AssumptionEntry[] }

/** The project's assumptions, or the defaults for its country when none are stored yet. */
export function getAssumptions(p: Project): AssumptionTable {
  const rows = p.database.prepare('SELECT key, value, unit, source, country FROM ekimae_assumptions ORDER BY fid').all() as Array<{ key: string; value: number; unit: string; source: string; country: string }>;
  const defaults = defaultAssumptions(rows[0]?.country ?? p.settings().country);
  if (!rows.length) return { country: defaults.country, stored: false, entries: defaults.entries };
  const by = new Map(rows.map((r) => [r.key, r]));
  // Keys added in a later Ekimae version fall back to the defaults of the stored country.
  const entries = defaults.entries.map((d) => {
    const r = by.get(d.key);
    return r ? { key: d.key, value: r.value, unit: r.unit, source: r.source } : d;
  });
  // Existing-stock figures exist only once calibrated or set (otherwise the new-development figure applies).
  for (const r of rows) {
    if (r.key in EXISTING_STOCK_FALLBACK) entries.push({ key: r.key as AssumptionKey, value: r.value, unit: r.unit, source: r.source });
  }
  return { country: normaliseCountry(rows[0].country), stored: true, entries };
}

/** Reset to a country's defaults (when country is given), then apply the changed entries; one transaction. */
export function setAssumptions(p: Project, change: { country?: string; entries?: Array<{ key: AssumptionKey; value: number; source: string; unit?: string }> }): AssumptionTable {
  const base = change.country !== undefined ? defaultAssumptions(change.country) : getAssumptions(p);
  const by = new Map(base.entries.map((e) => [e.key, { ...e }]));
  for (const e of change.entries ?? []) {
    if (!Number.isFinite(e.value) || e.value < 0) throw new EkimaeError('E_ASSUMPTION_INVALID', `assumption ${e.key}: ${e.value} is not a non-negative number`, { key: e.key });
    by.set(e.key, { key: e.key, value: e.value, unit: e.unit ?? ASSUMPTION_KEYS[e.key].unit, source: e.source });
  }
  const entries = [...by.values()];
  p.action((db) => {
    db.prepare('DELETE FROM ekimae_assumptions').run();
    const ins = db.prepare('INSERT INTO ekimae_assumptions (key, value, unit, source, country, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
    const t = nowIso();
    for (const e of entries) ins.run(e.key, e.value, e.unit, e.source, base.country, t);
  });
  return getAssumptions(p);
}

export interface StoredResultSummary { resultId: number; scenarioId: string; version: number; parcelLayer: string; distanceSource: string; evaluatedAt: string }

/** Store an evaluation (indicators and one row per parcel), replacing an earlier one of the same scenario version and layer. */
export function saveResult(p: Project, a: {
  scenarioId: string; version: number; parcelLayer: string; distanceSource: string; indicators: IndicatorSet;
  assumptions: AssumptionEntry[]; fids: Float64Array; bandNames: string[]; result: ParcelResult;
}): StoredResultSummary {
  const at = nowIso();
  const id = p.action((db) => {
    const old = db.prepare('SELECT fid FROM ekimae_scenario_results WHERE scenario_id = ? AND version = ? AND parcel_layer = ?').get(a.scenarioId, a.version, a.parcelLayer) as { fid: number } | undefined;
    if (old) {
      db.prepare('DELETE FROM ekimae_scenario_parcels WHERE result_id = ?').run(old.fid);
      db.prepare('DELETE FROM ekimae_scenario_results WHERE fid = ?').run(old.fid);
    }
    const rid = Number(db.prepare(`INSERT INTO ekimae_scenario_results (scenario_id, version, parcel_layer, distance_source, evaluated_at, indicators_json, assumptions_json)
      VALUES (?, ?, ?, ?, ?, ?, ?)`).run(a.scenarioId, a.version, a.parcelLayer, a.distanceSource, at, JSON.stringify(a.indicators), JSON.stringify(a.assumptions)).lastInsertRowid);
    const r = a.result;
    insertRows(db, 'ekimae_scenario_parcels', ['result_id', 'parcel_fid', 'band', 'redeveloped', 'flags', 'floor_area', 'residential', 'commercial', 'office', 'civic',
      'industrial', 'dwellings', 'residents', 'jobs', 'boardings'], r.n, (i, o, k) => {
      o[k] = rid; o[k + 1] = a.fids[i]; o[k + 2] = a.bandNames[r.band[i]]; o[k + 3] = r.redeveloped[i]; o[k + 4] = r.flags[i]; o[k + 5] = r.floorArea[i];
      o[k + 6] = r.residential[i]; o[k + 7] = r.commercial[i]; o[k + 8] = r.office[i]; o[k + 9] = r.civic[i]; o[k + 10] = r.industrial[i];
      o[k + 11] = r.dwellings[i]; o[k + 12] = r.residents[i]; o[k + 13] = r.jobs[i]; o[k + 14] = r.boardings[i];
    });
    return rid;
  });
  return { resultId: id, scenarioId: a.scenarioId, version: a.version, parcelLayer: a.parcelLayer, distanceSource: a.distanceSource, evaluatedAt: at };
}

export function listResults(p: Project, scenarioId?: string): Array<StoredResultSummary & { indicators: IndicatorSet }> {
  const rows = (scenarioId === undefined
    ? p.database.prepare('SELECT * FROM ekimae_scenario_results ORDER BY fid').all()
    : p.database.prepare('SELECT * FROM ekimae_scenario_results WHERE scenario_id = ? ORDER BY fid').all(scenarioId)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    resultId: Number(r.fid), scenarioId: String(r.scenario_id), version: Number(r.version), parcelLayer: String(r.parcel_layer),
    distanceSource: String(r.distance_source), evaluatedAt: String(r.evaluated_at), indicators: JSON.parse(String(r.indicators_json)) as IndicatorSet,
  }));
}
