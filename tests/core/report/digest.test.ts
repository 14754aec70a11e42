import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { reportDigest } from '../../../core/report/digest.js';
import { tmpDir } from '../../helpers/tmp.js';

describe('report digest cache', () => {
  it('equals a fresh logicalDigest after every kind of change: this connection, another connection, schema, rolled back', async () => {
    const dir = tmpDir();
    const svc = new EkimaeService();
    const path = join(dir, 'p.gpkg');
    writeFileSync(join(dir, 'a.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Point', coordinates: [100.5, 13.8] } },
    ] }));
    await svc.invoke('project.create', { path, settings: { name: 'Digest' } });
    await svc.invoke('layers.import', { path: join(dir, 'a.geojson'), role: 'other' });
    const project = svc.requireProject();
    const seen = new Set<string>();
    const check = () => {
      const d = reportDigest(project);
      expect(d).toBe(project.logicalDigest());
      seen.add(d);
    };
    check();
    check(); // cached
    await svc.invoke('project.updateSettings', { patch: { name: 'Digest 2' } });
    check();
    project.database.prepare("UPDATE a SET land_use = 'commercial'").run();
    check();
    const other = new Database(path);
    other.prepare("UPDATE ekimae_settings SET value_json = '\"Other\"' WHERE key = 'name'").run();
    check();
    other.exec('CREATE TABLE extra (x INTEGER)');
    check();
    other.exec('DROP TABLE extra');
    other.close();
    check();
    // A rolled-back write leaves the content as it was: whatever the cache does, the value must still be right.
    try {
      project.database.transaction(() => { project.database.prepare("UPDATE a SET land_use = 'water'").run(); throw new Error('undo'); })();
    } catch { /* rolled back */ }
    check();
    // Every step but the cached call, the DROP TABLE and the rollback changed the content.
    expect(seen.size).toBe(5);
    svc.close();
  });
});
