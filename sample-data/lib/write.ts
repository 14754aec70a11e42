/**
 * Writing a sample project: layers as ImportedLayer objects through Project.create/addLayer (the
 * same path an import takes), then the file is made byte-stable: the one SQLite-side time stamp
 * (gpkg_contents.last_change) is set to the fixed clock and the file is VACUUMed.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Project, type ProjectSettings } from '../../core/store/project.js';
import type { LayerRole } from '../../core/store/layer-roles.js';
import type { LayerData } from '../../core/io/types.js';
import { getLvcParams, setLvcParams } from '../../core/lvc/store.js';
import { getGrowth, setGrowth } from '../../core/growth/store.js';
import { lvcStationValues, marketStationValues, premiumFsiSource, sampleFigures, type Sample } from './station-values.js';

export interface SampleLayer {
  data: LayerData;
  role: LayerRole;
  title: string;
  /** Provenance: what is real (and its public source) and what is synthetic (and the rule). */
  note: string;
}

export function canonicalSha256(layer: LayerData): string {
  return createHash('sha256').update(JSON.stringify({ name: layer.name, geometryType: layer.geometryType, fields: layer.fields, features: layer.features })).digest('hex');
}

/** The station and station-area infrastructure cost the land value capture is set against (a project input). */
export interface SampleCosts { station: number; infrastructure: number; startYear: number; years: number; source: string }

/**
 * growth: the sample's growth settings (sample-data/growth/<sample>.json: horizons, control totals per market area, programme), stored in the project.
 * values: the sample whose per-station sale values and land prices (core/lvc/sample-figures.json) go into both the land value
 * capture parameters and the growth market, so capture and take-up price each station alike.
 */
export function writeSample(path: string, settings: ProjectSettings, layers: SampleLayer[], clockIso: string, costs?: SampleCosts, growth?: unknown, values?: Sample): void {
  rmSync(path, { force: true });
  const project = Project.create(path, settings);
  try {
    for (const l of layers) {
      project.addLayer(
        { ...l.data, source: { file: 'sample-data/generate.ts', format: 'ekimae', crs: 'EPSG:4326' }, read: l.data.features.length, issues: [] },
        { name: l.data.name, role: l.role, title: l.title, sha256: canonicalSha256(l.data), note: l.note },
      );
    }
    if (costs || values) {
      const { params, sources } = getLvcParams(project);
      const next = { ...params }, src = { ...sources };
      if (costs) { const { source, ...c } = costs; next.costs = c; src.costs = source; }
      if (values) {
        next.stationValues = lvcStationValues(values); src.stationValues = sampleFigures(values).note;
        const pf = premiumFsiSource(values);
        if (pf) src['stationValues.premiumFsiPricePerM2'] = pf;
      }
      setLvcParams(project, next, src);
    }
    if (growth !== undefined) setGrowth(project, growth);
    if (values) {
      const g = getGrowth(project).settings;
      // The premium FSI charge from the capture's own price and take-up, as stored just above (one source).
      const pf = premiumFsiSource(values);
      const rights = getLvcParams(project).params.instruments.developmentRights;
      setGrowth(project, { ...g, market: { ...g.market, stationValues: marketStationValues(values, rights) },
        sources: { ...g.sources, stationValues: sampleFigures(values).note, ...(pf && rights.enabled ? { premiumFsiChargePerM2: `${g.sources.premiumFsiChargePerM2 ?? ''} ${pf}`.trim() } : {}) } });
    }
  } finally {
    project.close();
  }
  const db = new Database(path);
  try {
    db.prepare('UPDATE gpkg_contents SET last_change = ?').run(clockIso);
    db.exec('VACUUM');
  } finally {
    db.close();
  }
}

/** The sample's growth settings as data (sample-data/growth/<sample>.json), with their sources. */
export function growthSettings(sample: 'bang-sue' | 'mahsr-corridor'): unknown {
  return JSON.parse(readFileSync(new URL(`../growth/${sample}.json`, import.meta.url), 'utf8'));
}
