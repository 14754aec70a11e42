/**
 * Writing a sample project: layers as ImportedLayer objects through Project.create/addLayer (the
 * same path an import takes), then the file is made byte-stable: the one SQLite-side time stamp
 * (gpkg_contents.last_change) is set to the fixed clock and the file is VACUUMed.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Project, type ProjectSettings } from '../../core/store/project.js';
import type { LayerRole } from '../../core/store/layer-roles.js';
import type { LayerData } from '../../core/io/types.js';

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

export function writeSample(path: string, settings: ProjectSettings, layers: SampleLayer[], clockIso: string): void {
  rmSync(path, { force: true });
  const project = Project.create(path, settings);
  try {
    for (const l of layers) {
      project.addLayer(
        { ...l.data, source: { file: 'sample-data/generate.ts', format: 'ekimae', crs: 'EPSG:4326' }, read: l.data.features.length, issues: [] },
        { name: l.data.name, role: l.role, title: l.title, sha256: canonicalSha256(l.data), note: l.note },
      );
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
