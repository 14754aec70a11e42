/**
 * The contract suite, run twice: against EkimaeService directly and through the clone transport
 * (every input and result passes structuredClone, as over Electron IPC). Every project/layer
 * method, its error paths with their stable codes, progress and cancellation, and the promise that
 * a failed action leaves the project's logical content unchanged.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { createCloneTransport } from '../../core/api/transports/clone-transport.js';
import { CONTRACT, METHOD_NAMES, type ProgressEvent } from '../../core/api/contract.js';
import type { ErrorData, Result } from '../../core/api/errors.js';
import { Project } from '../../core/store/project.js';
import { readLayersFromFile } from '../../core/io/import.js';
import { tmpDir } from '../helpers/tmp.js';

type Call = (method: string, input: unknown) => Promise<Result<unknown>>;
const dir = tmpDir('ekimae-contract-');

// Four 100 m-ish parcels on a 2 x 2 grid near Bang Sue; their boxes are known by construction.
const cell = (i: number, j: number) => {
  const x = 100.530 + i * 0.001, y = 13.800 + j * 0.001;
  return [[[x, y], [x + 0.0009, y], [x + 0.0009, y + 0.0009], [x, y + 0.0009], [x, y]]];
};
const PARCELS = {
  type: 'FeatureCollection',
  features: [[0, 0], [1, 0], [0, 1], [1, 1]].map(([i, j], k) => ({
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: cell(i, j) },
    properties: { plot_no: `P-${k + 1}`, zone_code: ['R', 'C', 'R', 'I'][k], landuse: ['res', 'com', 'res', 'ind'][k], far: [1.5, 3, 1.2, 0.8][k], owner_name: ['Somchai', 'Suda', 'Anan', 'Mali'][k] },
  })),
};

// The layer's extent, from the corner coordinates above (x + 0.0009 is not exactly 100.5319 in binary).
const EXTENT = [cell(0, 0)[0][0][0], cell(0, 0)[0][0][1], cell(1, 1)[0][2][0], cell(1, 1)[0][2][1]];

let fileNo = 0;
function parcelsFile(): string {
  const p = join(dir, `parcels-${++fileNo}.geojson`);
  writeFileSync(p, JSON.stringify(PARCELS));
  return p;
}

const transports: Array<[string, (svc: EkimaeService) => Call]> = [
  ['EkimaeService directly', (svc) => (m, i) => svc.call(m, i)],
  ['the structuredClone transport', (svc) => { const t = createCloneTransport(svc); return (m, i) => t.call(m, i); }],
];

describe.each(transports)('contract through %s', (label, make) => {
  const services: EkimaeService[] = [];
  afterEach(() => { while (services.length) services.pop()!.close(); });

  function setup() {
    const svc = new EkimaeService({ strictOutputs: true });
    services.push(svc);
    const call = make(svc);
    const ok = async <T = any>(m: string, i: unknown): Promise<T> => {
      const r = await call(m, i);
      if (!r.ok) throw new Error(`${m} failed: ${r.error.code} ${r.error.message}`);
      return r.value as T;
    };
    const fail = async (m: string, i: unknown): Promise<ErrorData> => {
      const r = await call(m, i);
      if (r.ok) throw new Error(`${m} should have failed but returned ${JSON.stringify(r.value).slice(0, 200)}`);
      // Errors cross as plain data: exactly code, message and (optional) details.
      expect(Object.keys(r.error).sort().filter((k) => k !== 'details')).toEqual(['code', 'message']);
      return r.error;
    };
    const path = (name: string) => join(dir, `${label.split(' ')[0]}-${name}-${++fileNo}.gpkg`);
    return { svc, call, ok, fail, path };
  }

  async function withParcels() {
    const s = setup();
    await s.ok('project.create', { path: s.path('p'), settings: { name: 'Bang Sue TOD', country: 'TH', currency: 'THB', priceYear: 2025, center: [100.53, 13.80] } });
    await s.ok('layers.import', { path: parcelsFile(), name: 'parcels', role: 'parcels' });
    return s;
  }

  it('app.version reports the version, schema and formats', async () => {
    const { ok } = setup();
    const v = await ok('app.version', {});
    expect(v.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(v.schemaVersion).toBeGreaterThanOrEqual(1);
    expect(v.importFormats).toEqual(expect.arrayContaining(['geojson', 'geopackage']));
    expect(v.exportFormats).toEqual(expect.arrayContaining(['geojson', 'gpkg']));
  });

  it('project.create, info, updateSettings, close, open', async () => {
    const { ok, fail, path } = setup();
    const p = path('create');
    const info = await ok('project.create', { path: p, settings: { name: 'Bang Sue TOD', currency: 'THB' } });
    expect(info).toMatchObject({ path: p, readOnly: false, settings: { name: 'Bang Sue TOD', currency: 'THB' }, layers: [], bbox: null });
    expect((await ok('project.info', {})).settings.name).toBe('Bang Sue TOD');
    expect((await ok('project.updateSettings', { patch: { priceYear: 2026, client: 'SRT' } })).settings).toMatchObject({ name: 'Bang Sue TOD', priceYear: 2026, client: 'SRT' });
    expect(await ok('project.close', {})).toEqual({ closed: true });
    expect(await ok('project.close', {})).toEqual({ closed: false });
    expect((await fail('project.info', {})).code).toBe('E_PROJECT_NOT_OPEN');
    const reopened = await ok('project.open', { path: p });
    expect(reopened.settings).toMatchObject({ name: 'Bang Sue TOD', priceYear: 2026, client: 'SRT' });
    expect(existsSync(`${p}-wal`)).toBe(true);
    await ok('project.close', {});
    expect(existsSync(`${p}-wal`), 'no -wal file after close').toBe(false);
  });

  it('project.create on an existing file is E_PROJECT_EXISTS', async () => {
    const { ok, fail, path } = setup();
    const p = path('exists');
    await ok('project.create', { path: p, settings: { name: 'a' } });
    const e = await fail('project.create', { path: p, settings: { name: 'b' } });
    expect(e.code).toBe('E_PROJECT_EXISTS');
    expect(e.message).toContain(p);
  });

  it('project.open of a missing file is E_PROJECT_NOT_FOUND', async () => {
    const { fail } = setup();
    expect((await fail('project.open', { path: join(dir, 'nope.gpkg') })).code).toBe('E_PROJECT_NOT_FOUND');
  });

  it('project.saveAs writes a copy and continues in it; refuses to overwrite unless asked', async () => {
    const s = await withParcels();
    const target = s.path('saved');
    const info = await s.ok('project.saveAs', { path: target });
    expect(info.path).toBe(target);
    expect(info.layers.map((l: { name: string; count: number }) => [l.name, l.count])).toEqual([['parcels', 4]]);
    await s.ok('layers.remove', { layer: 'parcels' });
    expect((await s.fail('project.saveAs', { path: target })).code).toBe('E_PROJECT_EXISTS');
    await s.ok('project.saveAs', { path: target, overwrite: true });
    await s.ok('project.close', {});
    expect(existsSync(`${target}.saving`)).toBe(false);
  });

  it('layers.preview reads a file without touching the project', async () => {
    const s = await withParcels();
    const before = s.svc.requireProject().logicalDigest();
    const pv = await s.ok('layers.preview', { path: parcelsFile() });
    expect(pv.format).toBe('geojson');
    expect(pv.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pv.layers).toHaveLength(1);
    expect(pv.layers[0]).toMatchObject({ geometryType: 'POLYGON', count: 4, read: 4, crs: 'EPSG:4326 (assumed)', bbox: EXTENT });
    expect(pv.layers[0].personalFields).toHaveProperty('owner_name');
    expect(s.svc.requireProject().logicalDigest()).toBe(before);
  });

  it('layers.import writes the layer with counts, extent, provenance and detected mapping; layers.list lists it', async () => {
    const s = await withParcels();
    const [l] = await s.ok('layers.list', {});
    expect(l).toMatchObject({ name: 'parcels', role: 'parcels', geometryType: 'POLYGON', count: 4, bbox: EXTENT });
    expect(l.fieldMap).toMatchObject({ parcel_id: 'plot_no', far: 'far', owner_name: 'owner_name' });
    expect(l.fields.find((f: { name: string }) => f.name === 'owner_name')).toMatchObject({ personal: true });
    const sha = createHash('sha256').update(JSON.stringify(PARCELS)).digest('hex');
    expect(l.provenance[0]).toMatchObject({ sourceFormat: 'geojson', featuresRead: 4, featuresWritten: 4, featuresSkipped: 0 });
    expect(l.provenance[0].sha256).toBe(sha);
    expect((await s.ok('project.info', {})).bbox).toEqual(EXTENT);
  });

  it('layers.setRole re-detects the mapping but keeps what the user set; setFieldMap null clears', async () => {
    const s = setup();
    await s.ok('project.create', { path: s.path('roles'), settings: { name: 'roles' } });
    await s.ok('layers.import', { path: parcelsFile(), name: 'plots', role: 'other' });
    expect((await s.ok('layers.list', {}))[0].fieldMap).toEqual({});
    const set = await s.ok('layers.setFieldMap', { layer: 'plots', mapping: { land_use: 'zone_code' } });
    expect(set.fieldMap).toEqual({ land_use: 'zone_code' });
    const role = await s.ok('layers.setRole', { layer: 'plots', role: 'parcels' });
    expect(role.role).toBe('parcels');
    // landuse would be detected for land_use; the user's zone_code survives, far and plot_no are detected.
    expect(role.fieldMap).toMatchObject({ land_use: 'zone_code', far: 'far', parcel_id: 'plot_no' });
    const again = await s.ok('layers.setRole', { layer: 'plots', role: 'parcels' });
    expect(again.fieldMap.land_use).toBe('zone_code');
    const cleared = await s.ok('layers.setFieldMap', { layer: 'plots', mapping: { land_use: null } });
    expect(cleared.fieldMap).not.toHaveProperty('land_use');
    expect((await s.fail('layers.setFieldMap', { layer: 'plots', mapping: { land_use: 'no_such_field' } })).code).toBe('E_FIELD_NOT_FOUND');
    expect((await s.fail('layers.setRole', { layer: 'plots', role: 'airport' })).code).toBe('E_INPUT_INVALID');
  });

  it('layers.setPersonal marks and unmarks a field; features and export leave personal fields out', async () => {
    const s = await withParcels();
    const fc = await s.ok('layers.features', { layer: 'parcels' });
    expect(Object.keys(fc.features[0].properties)).not.toContain('owner_name');
    const withP = await s.ok('layers.features', { layer: 'parcels', includePersonal: true });
    expect(withP.features.map((f: { properties: Record<string, unknown> }) => f.properties.owner_name)).toEqual(['Somchai', 'Suda', 'Anan', 'Mali']);
    const unmarked = await s.ok('layers.setPersonal', { layer: 'parcels', field: 'owner_name', personal: false });
    expect(unmarked.fields.find((f: { name: string }) => f.name === 'owner_name').personal).toBe(false);
    expect(Object.keys((await s.ok('layers.features', { layer: 'parcels' })).features[0].properties)).toContain('owner_name');
    const marked = await s.ok('layers.setPersonal', { layer: 'parcels', field: 'zone_code', personal: true });
    expect(marked.fields.find((f: { name: string }) => f.name === 'zone_code')).toMatchObject({ personal: true, personalReason: 'set by user' });
    expect((await s.fail('layers.setPersonal', { layer: 'parcels', field: 'nope', personal: true })).code).toBe('E_FIELD_NOT_FOUND');
  });

  it('layers.features: bbox through the R-tree, paging, fids', async () => {
    const s = await withParcels();
    const all = await s.ok('layers.features', { layer: 'parcels' });
    expect(all.type).toBe('FeatureCollection');
    expect(all.features.map((f: { id: number }) => f.id)).toEqual([1, 2, 3, 4]);
    // A box over the eastern column (x >= 100.5312) holds parcels 2 and 4 only.
    const east = await s.ok('layers.features', { layer: 'parcels', bbox: [100.5312, 13.7, 100.6, 13.9] });
    expect(east.features.map((f: { properties: { plot_no: string } }) => f.properties.plot_no)).toEqual(['P-2', 'P-4']);
    const none = await s.ok('layers.features', { layer: 'parcels', bbox: [101, 14, 102, 15] });
    expect(none.features).toEqual([]);
    const page = await s.ok('layers.features', { layer: 'parcels', limit: 2, offset: 1 });
    expect(page.features.map((f: { id: number }) => f.id)).toEqual([2, 3]);
    const tail = await s.ok('layers.features', { layer: 'parcels', offset: 3 });
    expect(tail.features.map((f: { id: number }) => f.id)).toEqual([4]);
    const byFid = await s.ok('layers.features', { layer: 'parcels', fids: [4, 1] });
    expect(byFid.features.map((f: { id: number }) => f.id)).toEqual([1, 4]);
    expect(all.features[0].geometry).toEqual({ type: 'Polygon', coordinates: cell(0, 0) });
  });

  it('layers.export writes GeoJSON and GeoPackage with the personal field left out and listed', async () => {
    const s = await withParcels();
    const out = join(dir, `export-${++fileNo}.geojson`);
    const r = await s.ok('layers.export', { layers: ['parcels'], format: 'geojson', path: out });
    expect(r).toMatchObject({ path: out, format: 'geojson', layers: [{ name: 'parcels', count: 4 }] });
    expect(r.omittedFields).toEqual([expect.objectContaining({ layer: 'parcels', field: 'owner_name' })]);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('Somchai');
    expect(r.bytes).toBe(Buffer.byteLength(text));
    const gp = join(dir, `export-${++fileNo}.gpkg`);
    expect((await s.ok('layers.export', { layers: ['parcels'], format: 'gpkg', path: gp, includePersonal: true })).omittedFields).toEqual([]);
    expect((await s.fail('layers.export', { layers: ['parcels'], format: 'geojson', path: out })).code).toBe('E_PROJECT_EXISTS');
    expect((await s.fail('layers.export', { layers: ['nope'], format: 'gpkg', path: join(dir, 'x.gpkg') })).code).toBe('E_LAYER_NOT_FOUND');
  });

  it('layers.remove removes the layer and its metadata', async () => {
    const s = await withParcels();
    expect(await s.ok('layers.remove', { layer: 'parcels' })).toEqual({ removed: 'parcels' });
    expect(await s.ok('layers.list', {})).toEqual([]);
    const db = s.svc.requireProject().database;
    for (const t of ['ekimae_layers', 'ekimae_field_map', 'ekimae_field_meta', 'ekimae_provenance', 'gpkg_contents', 'gpkg_geometry_columns', 'gpkg_extensions']) {
      expect(db.prepare(`SELECT count(*) FROM ${t} WHERE table_name = 'parcels'`).pluck().get(), t).toBe(0);
    }
    expect((await s.fail('layers.remove', { layer: 'parcels' })).code).toBe('E_LAYER_NOT_FOUND');
  });

  describe('error paths', () => {
    it('E_INPUT_INVALID: an extra key', async () => {
      const { fail } = setup();
      const e = await fail('project.create', { path: join(dir, 'x.gpkg'), settings: { name: 'x' }, colour: 'red' });
      expect(e.code).toBe('E_INPUT_INVALID');
      expect(e.message).toContain('project.create');
    });

    it('E_INPUT_INVALID: a wrong type, with the path of the bad field in details', async () => {
      const { fail } = setup();
      const e = await fail('layers.features', { layer: 'parcels', limit: 'ten' });
      expect(e.code).toBe('E_INPUT_INVALID');
      expect((e.details as { issues: Array<{ path: string[] }> }).issues[0].path).toEqual(['limit']);
    });

    it('E_INPUT_INVALID: every method in the contract (of every engine) rejects an unknown key', async () => {
      const { fail } = setup();
      expect(METHOD_NAMES).toEqual(expect.arrayContaining(['app.version', 'project.create', 'project.open', 'project.info', 'project.updateSettings',
        'project.saveAs', 'project.close', 'layers.preview', 'layers.import', 'layers.list', 'layers.remove', 'layers.setRole', 'layers.setFieldMap',
        'layers.setPersonal', 'layers.features', 'layers.export', 'jobs.cancel']));
      for (const m of METHOD_NAMES) expect((await fail(m, { __unexpected: 1 })).code, m).toBe('E_INPUT_INVALID');
    });

    it('E_METHOD_UNKNOWN', async () => {
      const { fail } = setup();
      const e = await fail('project.explode', {});
      expect(e.code).toBe('E_METHOD_UNKNOWN');
      expect(e.message).toContain('project.explode');
      expect((await fail('__proto__', {})).code).toBe('E_METHOD_UNKNOWN');
      expect((await fail('toString', {})).code).toBe('E_METHOD_UNKNOWN');
    });

    it('E_PROJECT_NOT_OPEN for every method that needs a project', async () => {
      const { fail } = setup();
      for (const [m, i] of [['project.info', {}], ['layers.list', {}], ['layers.import', { path: parcelsFile() }], ['layers.features', { layer: 'x' }],
        ['layers.export', { layers: ['x'], format: 'gpkg', path: join(dir, 'y.gpkg') }], ['project.saveAs', { path: join(dir, 'z.gpkg') }]] as const) {
        expect((await fail(m, i)).code, m).toBe('E_PROJECT_NOT_OPEN');
      }
    });

    it('E_LAYER_NOT_FOUND names the layer', async () => {
      const s = await withParcels();
      const e = await s.fail('layers.features', { layer: 'buildings' });
      expect(e.code).toBe('E_LAYER_NOT_FOUND');
      expect(e.message).toContain('buildings');
    });

    it('E_FIELD_NOT_FOUND names the field', async () => {
      const s = await withParcels();
      const e = await s.fail('layers.setFieldMap', { layer: 'parcels', mapping: { far: 'FSI' } });
      expect(e.code).toBe('E_FIELD_NOT_FOUND');
      expect(e.message).toContain('FSI');
    });

    it('E_PROJECT_READONLY: import into a project opened read-only changes nothing', async () => {
      const s = setup();
      const p = s.path('ro');
      await s.ok('project.create', { path: p, settings: { name: 'ro' } });
      await s.ok('project.close', {});
      const info = await s.ok('project.open', { path: p, readOnly: true });
      expect(info.readOnly).toBe(true);
      const before = s.svc.requireProject().logicalDigest();
      expect((await s.fail('layers.import', { path: parcelsFile() })).code).toBe('E_PROJECT_READONLY');
      expect((await s.fail('project.updateSettings', { patch: { name: 'x' } })).code).toBe('E_PROJECT_READONLY');
      expect(s.svc.requireProject().logicalDigest()).toBe(before);
    });

    it('E_PROJECT_INVALID: a project from a newer schema version', async () => {
      const s = setup();
      const p = s.path('newer');
      await s.ok('project.create', { path: p, settings: { name: 'newer' } });
      await s.ok('project.close', {});
      const db = new Database(p);
      db.prepare("UPDATE ekimae_meta SET value = '999' WHERE key = 'schema_version'").run();
      db.close();
      const e = await s.fail('project.open', { path: p });
      expect(e.code).toBe('E_PROJECT_INVALID');
      expect(e.message).toMatch(/newer/);
      expect((await s.fail('project.open', { path: p, readOnly: true })).code).toBe('E_PROJECT_INVALID');
    });

    it('E_PROJECT_INVALID: a plain GeoPackage (not an Ekimae project), and a file that is no GeoPackage', async () => {
      const s = await withParcels();
      const plain = join(dir, `plain-${++fileNo}.gpkg`);
      await s.ok('layers.export', { layers: ['parcels'], format: 'gpkg', path: plain });
      const e = await s.fail('project.open', { path: plain });
      expect(e.code).toBe('E_PROJECT_INVALID');
      expect(e.message).toContain(plain);
      const text = join(dir, `text-${++fileNo}.gpkg`);
      writeFileSync(text, 'hello, not a database at all '.repeat(10));
      expect((await s.fail('project.open', { path: text })).code).toBe('E_PROJECT_INVALID');
    });
  });

  describe('jobs: progress and cancellation', () => {
    it('progress events arrive for a jobId, in order, ending at 1', async () => {
      const s = setup();
      await s.ok('project.create', { path: s.path('progress'), settings: { name: 'progress' } });
      const events: ProgressEvent[] = [];
      const off = s.svc.onProgress((e) => events.push(structuredClone(e)));
      await s.ok('layers.import', { path: parcelsFile(), jobId: 'job-1' });
      await s.ok('layers.import', { path: parcelsFile() }); // no jobId: no events
      off();
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(new Set(events.map((e) => e.jobId))).toEqual(new Set(['job-1']));
      expect(events.every((e) => e.method === 'layers.import')).toBe(true);
      const fr = events.map((e) => e.fraction ?? 0);
      expect(fr).toEqual([...fr].sort((a, b) => a - b));
      expect(fr[fr.length - 1]).toBe(1);
    });

    it('cancelling on the first progress event stops the import before it writes: E_CANCELLED, project unchanged', async () => {
      const s = setup();
      await s.ok('project.create', { path: s.path('cancel'), settings: { name: 'cancel' } });
      await s.ok('layers.import', { path: parcelsFile(), name: 'existing' });
      const before = s.svc.requireProject().logicalDigest();
      const cancels: Array<Promise<Result<unknown>>> = [];
      const off = s.svc.onProgress((e) => { if (e.jobId === 'job-c') cancels.push(s.call('jobs.cancel', { jobId: 'job-c' })); });
      const e = await s.fail('layers.import', { path: parcelsFile(), jobId: 'job-c' });
      off();
      expect(e.code).toBe('E_CANCELLED');
      expect((await cancels[0])).toEqual({ ok: true, value: { cancelled: true } });
      expect(s.svc.requireProject().logicalDigest()).toBe(before);
      // The job is gone once it ended.
      expect(await s.ok('jobs.cancel', { jobId: 'job-c' })).toEqual({ cancelled: false });
    });
  });

  it('a crash inside an action after rows were inserted leaves the project as it was', async () => {
    const s = await withParcels();
    const project = s.svc.requireProject();
    const before = project.logicalDigest();
    const layer = readLayersFromFile(parcelsFile()).layers[0];
    expect(() => project.action(() => {
      project.addLayer(layer, { name: 'doomed', role: 'parcels', sha256: 'x' });
      expect(project.database.prepare('SELECT count(*) FROM doomed').pluck().get()).toBe(4);
      throw new Error('power cut');
    })).toThrow('power cut');
    expect(project.logicalDigest()).toBe(before);
    expect((await s.ok('layers.list', {})).map((l: { name: string }) => l.name)).toEqual(['parcels']);
  });

  it('Project.close leaves no -wal file and the digest survives reopening', async () => {
    const s = await withParcels();
    const project = s.svc.requireProject();
    const p = project.path;
    const digest = project.logicalDigest();
    await s.ok('project.close', {});
    expect(existsSync(`${p}-wal`)).toBe(false);
    expect(existsSync(`${p}-shm`)).toBe(false);
    const again = Project.open(p, { readOnly: true });
    expect(again.logicalDigest()).toBe(digest);
    again.close();
  });
});

describe('the contract map itself', () => {
  it('every method has a description and zod input/output schemas', () => {
    for (const m of METHOD_NAMES) {
      const d = CONTRACT[m] as { description: string; input: { safeParse: unknown }; output: { safeParse: unknown } };
      expect(d.description.length, m).toBeGreaterThan(10);
      expect(typeof d.input.safeParse, m).toBe('function');
      expect(typeof d.output.safeParse, m).toBe('function');
    }
  });
});
