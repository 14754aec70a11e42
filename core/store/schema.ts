/**
 * Ekimae's own tables inside the GeoPackage, and their forward migrations.
 * Each ekimae_* table is a GeoPackage "attributes" table (registered in gpkg_contents, integer
 * primary key) so GDAL and QGIS list them and keep them on copy.
 * Add a migration to change the schema; never edit a released one.
 */
import { EkimaeError } from '../errors.js';
import type { DB } from './gpkg.js';

export function registerAttributesTable(db: DB, table: string, description: string): void {
  db.prepare(`INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?, 'attributes', ?, ?)`)
    .run(table, table, description);
}

const MIGRATIONS: Array<(db: DB) => void> = [
  // 0 -> 1: project settings, layer roles, field mapping and flags, provenance.
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_meta (fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value TEXT);
      CREATE TABLE ekimae_settings (fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value_json TEXT NOT NULL);
      CREATE TABLE ekimae_layers (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
        role TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE ekimae_field_map (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, semantic TEXT NOT NULL,
        field TEXT NOT NULL, detected BOOLEAN NOT NULL, UNIQUE (table_name, semantic));
      CREATE TABLE ekimae_field_meta (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, field TEXT NOT NULL,
        source_name TEXT NOT NULL, personal BOOLEAN NOT NULL, personal_reason TEXT, UNIQUE (table_name, field));
      CREATE TABLE ekimae_provenance (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, table_name TEXT NOT NULL, source_file TEXT NOT NULL,
        source_format TEXT NOT NULL, source_layer TEXT, sha256 TEXT NOT NULL, imported_at TEXT NOT NULL,
        crs_read TEXT NOT NULL, encoding TEXT, features_read INTEGER NOT NULL, features_written INTEGER NOT NULL,
        features_skipped INTEGER NOT NULL, issues_json TEXT NOT NULL, note TEXT);
    `);
    registerAttributesTable(db, 'ekimae_meta', 'Ekimae: schema version and application facts');
    registerAttributesTable(db, 'ekimae_settings', 'Ekimae: project settings (site, currency, analysis CRS)');
    registerAttributesTable(db, 'ekimae_layers', 'Ekimae: layer titles and roles');
    registerAttributesTable(db, 'ekimae_field_map', 'Ekimae: which field holds land use, floor area, population, …');
    registerAttributesTable(db, 'ekimae_field_meta', 'Ekimae: source field names and personal-data flags');
    registerAttributesTable(db, 'ekimae_provenance', 'Ekimae: where each layer came from (file, sha256, CRS, counts, issues)');
  },
  // Density scenarios: versioned definitions, the assumptions table, evaluated results per parcel.
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_scenarios (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,
        definition_json TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL, UNIQUE (scenario_id, version));
      CREATE TABLE ekimae_assumptions (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, value REAL NOT NULL, unit TEXT NOT NULL,
        source TEXT NOT NULL, country TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE ekimae_scenario_results (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, scenario_id TEXT NOT NULL, version INTEGER NOT NULL, parcel_layer TEXT NOT NULL,
        distance_source TEXT NOT NULL, evaluated_at TEXT NOT NULL, indicators_json TEXT NOT NULL, assumptions_json TEXT NOT NULL,
        UNIQUE (scenario_id, version, parcel_layer));
      CREATE TABLE ekimae_scenario_parcels (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, result_id INTEGER NOT NULL REFERENCES ekimae_scenario_results(fid) ON DELETE CASCADE,
        parcel_fid INTEGER NOT NULL, band TEXT NOT NULL, redeveloped INTEGER NOT NULL, flags INTEGER NOT NULL,
        floor_area REAL NOT NULL, residential REAL NOT NULL, commercial REAL NOT NULL, office REAL NOT NULL, civic REAL NOT NULL,
        industrial REAL NOT NULL, dwellings REAL NOT NULL, residents REAL NOT NULL, jobs REAL NOT NULL, boardings REAL NOT NULL,
        UNIQUE (result_id, parcel_fid));
    `);
    registerAttributesTable(db, 'ekimae_scenarios', 'Ekimae: density scenarios (every saved version)');
    registerAttributesTable(db, 'ekimae_assumptions', 'Ekimae: planning assumptions with units and sources');
    registerAttributesTable(db, 'ekimae_scenario_results', 'Ekimae: evaluated scenario indicators');
    registerAttributesTable(db, 'ekimae_scenario_parcels', 'Ekimae: evaluated scenario results per parcel (by feature id)');
  },
  // Walk catchments: cached walk graphs (versioned BLOBs), runs, per-station band summaries, per-parcel distances.
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_network_cache (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, layer TEXT NOT NULL UNIQUE, fingerprint TEXT NOT NULL, graph_version INTEGER NOT NULL,
        built_at TEXT NOT NULL, nodes INTEGER NOT NULL, edges INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE TABLE ekimae_catchment_runs (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, network_layer TEXT NOT NULL, stations_layer TEXT NOT NULL,
        parcels_layer TEXT, census_layer TEXT, snap TEXT NOT NULL, cutoff_m REAL NOT NULL, params_json TEXT NOT NULL,
        snaps_json TEXT NOT NULL, components_json TEXT NOT NULL, warnings_json TEXT NOT NULL);
      CREATE TABLE ekimae_catchment_bands (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES ekimae_catchment_runs(fid) ON DELETE CASCADE,
        station_id TEXT NOT NULL, station_name TEXT, band_m REAL NOT NULL, nodes INTEGER NOT NULL, network_m REAL NOT NULL,
        area_m2 REAL NOT NULL, circle_m2 REAL NOT NULL, pedshed REAL NOT NULL, parcels INTEGER NOT NULL,
        pop_areal REAL, jobs_areal REAL, pop_dasymetric REAL, jobs_dasymetric REAL, UNIQUE (run_id, station_id, band_m));
      CREATE TABLE ekimae_catchment_parcels (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES ekimae_catchment_runs(fid) ON DELETE CASCADE,
        parcel_fid INTEGER NOT NULL, station_id TEXT, dist_m REAL, access_m REAL, band_m REAL, UNIQUE (run_id, parcel_fid));
    `);
    registerAttributesTable(db, 'ekimae_network_cache', 'Ekimae: walk graphs built from network layers (versioned BLOB, rebuilt when the layer changes)');
    registerAttributesTable(db, 'ekimae_catchment_runs', 'Ekimae: walk catchment runs and their parameters');
    registerAttributesTable(db, 'ekimae_catchment_bands', 'Ekimae: per station and distance band: area, pedshed ratio, population and jobs');
    registerAttributesTable(db, 'ekimae_catchment_parcels', 'Ekimae: walking distance from each parcel (by feature id) to its nearest station');
  },
  // Land value capture: the project's parameters, runs per scenario (cash flows, NPV, sensitivity), uplift per parcel.
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_lvc_params (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, params_json TEXT NOT NULL, sources_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE ekimae_lvc_runs (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_version INTEGER NOT NULL,
        baseline TEXT NOT NULL, base_entitlement TEXT NOT NULL, parcel_layer TEXT NOT NULL, distance_source TEXT NOT NULL,
        params_json TEXT NOT NULL, sources_json TEXT NOT NULL, result_json TEXT NOT NULL);
      CREATE TABLE ekimae_lvc_parcels (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES ekimae_lvc_runs(fid) ON DELETE CASCADE,
        parcel_fid INTEGER NOT NULL, proximity REAL NOT NULL, development REAL NOT NULL, UNIQUE (run_id, parcel_fid));
    `);
    registerAttributesTable(db, 'ekimae_lvc_params', 'Ekimae: land value capture parameters of the project, with sources');
    registerAttributesTable(db, 'ekimae_lvc_runs', 'Ekimae: land value capture runs per scenario (cash flows, NPV, IRR, sensitivity) with the parameters used');
    registerAttributesTable(db, 'ekimae_lvc_parcels', 'Ekimae: land value uplift per parcel (by feature id): proximity and development parts');
  },
  // Growth over horizons: the project's growth settings, and projected take-up per scenario (summary JSON,
  // per-parcel built share by horizon as a Float32 BLOB aligned with a Float64 BLOB of feature ids).
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_growth (fid INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, settings_json TEXT NOT NULL, updated_at TEXT NOT NULL);
      CREATE TABLE ekimae_takeup_runs (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_version INTEGER NOT NULL,
        parcel_layer TEXT NOT NULL, settings_json TEXT NOT NULL, result_json TEXT NOT NULL, fids BLOB NOT NULL, share BLOB NOT NULL,
        UNIQUE (scenario_id, scenario_version, parcel_layer));
      CREATE TABLE ekimae_calibration_zones (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, census_layer TEXT NOT NULL, parcel_layer TEXT NOT NULL, zone_fid INTEGER NOT NULL, zone_id TEXT NOT NULL,
        census_residents REAL NOT NULL, census_jobs REAL, modelled_residents REAL NOT NULL, modelled_jobs REAL,
        residents_factor REAL NOT NULL, jobs_factor REAL NOT NULL, calibrated_on TEXT NOT NULL, UNIQUE (census_layer, parcel_layer, zone_fid));
    `);
    registerAttributesTable(db, 'ekimae_calibration_zones', 'Ekimae: base-year calibration per census zone: census vs modelled (project-wide figures) and the zone factor on the existing stock');
    registerAttributesTable(db, 'ekimae_growth', 'Ekimae: growth settings (horizons, control totals, absorption, market, public-land programme) with sources');
    registerAttributesTable(db, 'ekimae_takeup_runs', 'Ekimae: projected take-up per scenario and horizon, with capacity beside it; per-parcel built share by horizon');
  },
  // Accessibility at every node and parcel: residents and jobs within each walk band (per-node sums as a BLOB for the map, one row per parcel and band).
  (db) => {
    db.exec(`
      CREATE TABLE ekimae_access_runs (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, network_layer TEXT NOT NULL, parcels_layer TEXT NOT NULL, census_layer TEXT,
        bands_json TEXT NOT NULL, summary_json TEXT NOT NULL, warnings_json TEXT NOT NULL, node_count INTEGER NOT NULL, node_lonlat BLOB NOT NULL, node_sums BLOB NOT NULL);
      CREATE TABLE ekimae_access_parcels (
        fid INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES ekimae_access_runs(fid) ON DELETE CASCADE,
        parcel_fid INTEGER NOT NULL, node INTEGER NOT NULL, snap_m REAL NOT NULL, band_m REAL NOT NULL, residents REAL NOT NULL, jobs REAL NOT NULL,
        UNIQUE (run_id, parcel_fid, band_m));
    `);
    registerAttributesTable(db, 'ekimae_access_runs', 'Ekimae: accessibility runs (residents and jobs within walk bands of every network node) and their parameters');
    registerAttributesTable(db, 'ekimae_access_parcels', 'Ekimae: residents and jobs within each walk band of each parcel (by feature id), from its nearest network node');
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function hasEkimaeSchema(db: DB): boolean {
  return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name='ekimae_meta'").get();
}

export function schemaVersion(db: DB): number {
  if (!hasEkimaeSchema(db)) return 0;
  const row = db.prepare("SELECT value FROM ekimae_meta WHERE key='schema_version'").get() as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

/** Bring the project's schema up to SCHEMA_VERSION, one transaction per step. */
export function migrate(db: DB): { from: number; to: number } {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new EkimaeError('E_PROJECT_INVALID', `this project was written by a newer Ekimae (schema ${from}, this version reads up to ${SCHEMA_VERSION})`, { schema: from });
  }
  for (let v = from; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db);
      db.prepare("INSERT INTO ekimae_meta (key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(String(v + 1));
    })();
  }
  return { from, to: SCHEMA_VERSION };
}
