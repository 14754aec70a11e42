// catchment.columns (a stored catchment run as typed arrays) against the object answers of the same run:
// catchment.parcels (one object per parcel) and layers.features on the reached-streets layer (GeoJSON
// decoded by core/geo/wkb.ts), on both sample projects, over the three ways the renderer reaches the core:
// the service, a structuredClone transport (Electron's IPC) and browser mode's HTTP server read by the
// renderer's own bridge (binary body). Then the map's band colouring from the typed answer against the
// colouring from the objects, and every refusal.
//
// Tolerances: distances travel as Float32, so each must equal Math.fround of the stored Float64 exactly;
// street coordinates are Float32 offsets from the layer's origin, each within |offset|·2⁻²⁴ of the stored
// value (see tests/contract/layer-columns.test.ts). Bands and station ids must match exactly.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { createCloneTransport } from '../../core/api/transports/clone-transport.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { encodeBinaryBody } from '../../core/api/transports/binary-body.js';
import { STREET_LAYER } from '../../core/catchment/store.js';
import { UNREACHED_BAND } from '../../core/catchment/columns.js';
import { readLayerArrays } from '../../core/store/layer-arrays.js';
import { httpBridge } from '../../renderer/api/bridge.js';
import { CATCHMENT_STREETS_LAYER, checkCatchmentColumns, UNREACHED_BAND as UI_UNREACHED, type CatchmentColumns } from '../../renderer/map/catchment-columns.js';
import { checkLayerColumns, columnsIndex } from '../../renderer/map/parcel-columns.js';
import { bandColouring, bandColouringCodes } from '../../renderer/map/analysis-colours.js';
import { UiError } from '../../renderer/api/client.js';
import { tmpDir } from '../helpers/tmp.js';

const SAMPLES = ['bang-sue', 'mahsr-corridor'] as const;
const F32_REL = 2 ** -24;

interface Row { parcelFid: number; stationId: string | null; distM: number | null; accessM: number | null; bandM: number | null }
interface StreetObj { id?: number; geometry: { type: string; coordinates: number[][] } | null; properties: Record<string, string | number | null> }

function compareParcels(c: CatchmentColumns, rows: Row[]): void {
  const p = c.parcels;
  expect(p.count).toBe(rows.length);
  rows.forEach((r, i) => {
    const at = `parcel ${r.parcelFid}`;
    if (p.fids[i] !== r.parcelFid) throw new Error(`${at}: fid ${p.fids[i]} at ${i}`);
    const d = r.distM === null ? NaN : Math.fround(r.distM);
    if (!Object.is(p.distM[i], d)) throw new Error(`${at}: distM ${p.distM[i]}, object ${r.distM}`);
    const a = r.accessM === null ? NaN : Math.fround(r.accessM);
    if (!Object.is(p.accessM[i], a)) throw new Error(`${at}: accessM ${p.accessM[i]}, object ${r.accessM}`);
    const band = p.band[i] === UNREACHED_BAND ? null : c.bandsM[p.band[i]];
    if (band !== r.bandM) throw new Error(`${at}: band ${band}, object ${r.bandM}`);
    const st = p.station.codes[i] < 0 ? null : p.station.dictionary[p.station.codes[i]];
    if (st !== r.stationId) throw new Error(`${at}: station ${st}, object ${r.stationId}`);
  });
}

/** The run's street pieces against the typed layer: fids, fields, every vertex within Float32 of its offset. */
function compareStreets(c: CatchmentColumns, objs: StreetObj[]): void {
  const s = c.streets!;
  expect(s.layer).toBe(STREET_LAYER);
  expect(s.count).toBe(objs.length);
  expect(Array.from(s.fids)).toEqual(objs.map((o) => o.id));
  const g = s.geometry!;
  objs.forEach((o, i) => {
    const num = (k: string) => { const col = s.columns[k]; return col.kind === 'number' && !Number.isNaN(col.values[i]) ? col.values[i] : null; };
    const sid = s.columns.station_id;
    expect(sid.kind === 'text' && sid.codes[i] >= 0 ? sid.dictionary[sid.codes[i]] : null, `street ${o.id}`).toBe(o.properties.station_id);
    for (const k of ['walk_start_m', 'walk_end_m', 'network_fid']) if (num(k) !== o.properties[k]) throw new Error(`street ${o.id} ${k}: ${num(k)} vs ${o.properties[k]}`);
    expect(o.geometry!.type).toBe('LineString');
    const pts = o.geometry!.coordinates;
    const part = g.featureStarts[i];
    expect(g.featureStarts[i + 1] - part).toBe(1);
    const r = g.partStarts[part];
    expect(g.ringStarts[r + 1] - g.ringStarts[r]).toBe(pts.length);
    pts.forEach((pt, k) => {
      for (let d = 0; d < 2; d++) {
        const err = Math.abs(g.coords[(g.ringStarts[r] + k) * 2 + d] + g.origin[d] - pt[d]);
        if (err > Math.abs(pt[d] - g.origin[d]) * F32_REL + 1e-15) throw new Error(`street ${o.id} vertex ${k}: error ${err}`);
      }
    });
  });
}

describe.each(SAMPLES)('catchment.columns on the %s sample', (sample) => {
  const SAMPLE = join(process.cwd(), 'sample-data', `${sample}.gpkg`);
  const have = existsSync(SAMPLE);
  const dir = tmpDir('ekimae-catchment-columns-');
  const service = new EkimaeService({ strictOutputs: true });
  const clone = createCloneTransport(service);
  let srv: RunningServer;
  let bridge: ReturnType<typeof httpBridge>;
  let runA = 0, runB = 0;
  let rows: Row[];
  let streetObjs: StreetObj[];

  beforeAll(async () => {
    if (!have) return;
    const path = join(dir, 'p.gpkg');
    copyFileSync(SAMPLE, path);
    await service.invoke('project.open', { path });
    // Two runs, so the reached-streets layer holds pieces of both and each answer must keep to its own.
    runA = (await service.invoke('catchment.run', {})).runId;
    runB = (await service.invoke('catchment.run', { bandsM: [300, 600] })).runId;
    rows = (await service.invoke('catchment.parcels', { runId: runA })).parcels;
    streetObjs = ((await service.invoke('layers.features', { layer: STREET_LAYER })).features as StreetObj[]).filter((f) => f.properties.run_id === runA);
    srv = await startServer({ service });
    bridge = httpBridge({ search: `?token=${srv.token}`, origin: `http://127.0.0.1:${srv.port}` });
  }, 300_000);
  afterAll(async () => { await srv?.close(); service.close(); });

  it.skipIf(!have)('has a run with parcels and streets of two runs', async () => {
    expect(rows.length).toBeGreaterThan(10_000);
    expect(rows.some((r) => r.bandM === null)).toBe(true);
    expect(new Set(rows.map((r) => r.bandM)).size).toBe(4); // 400, 800, 1200 m and unreached
    expect(streetObjs.length).toBeGreaterThan(1000);
    const all = (await service.invoke('layers.features', { layer: STREET_LAYER })).features;
    expect(all.length).toBeGreaterThan(streetObjs.length);
  });

  it.skipIf(!have)('service', async () => {
    const c = checkCatchmentColumns(await service.invoke('catchment.columns', { runId: runA, streets: true }));
    expect(c.runId).toBe(runA);
    expect(c.bandsM).toEqual([400, 800, 1200]);
    expect(c.parcelsLayer).toBe('parcels');
    compareParcels(c, rows);
    compareStreets(c, streetObjs);
  });

  it.skipIf(!have)('structuredClone transport (Electron IPC)', async () => {
    const r = await clone.call('catchment.columns', { runId: runA, streets: true });
    if (!r.ok) throw new Error(r.error.code);
    const c = checkCatchmentColumns(r.value);
    compareParcels(c, rows);
    compareStreets(c, streetObjs);
  });

  it.skipIf(!have)('HTTP binary body, read by the renderer bridge', async () => {
    const r = await bridge.call('catchment.columns', { runId: runA, streets: true });
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    const c = checkCatchmentColumns(r.value);
    compareParcels(c, rows);
    compareStreets(c, streetObjs);
    // Zero-copy: every typed array is a view on the one response buffer.
    expect(c.parcels.fids.buffer).toBe(c.streets!.geometry!.coords.buffer);
    // The wire: 17 bytes a parcel plus the streets, against the JSON of the objects.
    const bytes = encodeBinaryBody(c).bytes;
    const json = JSON.stringify(rows).length + JSON.stringify(streetObjs).length;
    console.log(`${sample}: catchment.columns ${bytes} bytes (${c.parcels.count} parcels, ${c.streets!.count} street pieces); catchment.parcels + streets as JSON ${json} bytes`);
    expect(bytes).toBeLessThan(json / 2);
  });

  it.skipIf(!have)('the latest run by default, without streets unless asked; the second run keeps to its own streets', async () => {
    const c = checkCatchmentColumns(await service.invoke('catchment.columns', {}));
    expect(c.runId).toBe(runB);
    expect(c.streets).toBeNull();
    expect(c.bandsM).toEqual([300, 600]);
    compareParcels(c, (await service.invoke('catchment.parcels', { runId: runB })).parcels);
    const withStreets = checkCatchmentColumns(await service.invoke('catchment.columns', { runId: runB, streets: true }));
    compareStreets(withStreets, ((await service.invoke('layers.features', { layer: STREET_LAYER })).features as StreetObj[]).filter((f) => f.properties.run_id === runB));
  });

  it.skipIf(!have)('colours the parcel layer by band exactly as the object results do', async () => {
    const layer = checkLayerColumns(await service.invoke('layers.columns', { layer: 'parcels', geometry: true }));
    const c = checkCatchmentColumns(await service.invoke('catchment.columns', { runId: runA }));
    const label = (m: number | null) => (m === null ? 'out' : `${m}`);
    const ix = columnsIndex(layer);
    const fromObjects = bandColouring(ix, rows, label);
    const aligned = bandColouringCodes(ix, layer.fids, c.parcels, c.bandsM, label);
    const searched = bandColouringCodes(ix, null, c.parcels, c.bandsM, label);
    expect(Buffer.from(aligned.rgba).equals(Buffer.from(fromObjects.rgba))).toBe(true);
    expect(Buffer.from(searched.rgba).equals(Buffer.from(fromObjects.rgba))).toBe(true);
    expect(aligned.legend).toEqual(fromObjects.legend);
    expect(aligned.legend.map((e) => e.label)).toEqual(['400', '800', '1200', 'out']);
    expect(aligned.legend.reduce((a, e) => a + (e.count ?? 0), 0)).toBe(layer.count);
  });
});

describe('catchment.columns refusals', () => {
  const SAMPLE = join(process.cwd(), 'sample-data', 'bang-sue.gpkg');
  const have = existsSync(SAMPLE);
  const dir = tmpDir('ekimae-catchment-columns-err-');
  const service = new EkimaeService({ strictOutputs: true });
  afterAll(() => service.close());

  it('a project without a run is E_CATCHMENT_NOT_FOUND', async () => {
    await service.invoke('project.create', { path: join(dir, 'empty.gpkg'), settings: { name: 'empty' } });
    const r = await service.call('catchment.columns', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'E_CATCHMENT_NOT_FOUND' } });
  });

  it('an unknown input key is E_INPUT_INVALID', async () => {
    const r = await service.call('catchment.columns', { runId: 1, parcels: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_INPUT_INVALID' } });
  });

  describe.skipIf(!have)('on a run', () => {
    let runId = 0;
    beforeAll(async () => {
      const path = join(dir, 'p.gpkg');
      copyFileSync(SAMPLE, path);
      await service.invoke('project.open', { path });
      runId = (await service.invoke('catchment.run', { bandsM: [400, 800] })).runId;
    }, 300_000);

    it('an unknown run is E_CATCHMENT_NOT_FOUND', async () => {
      const r = await service.call('catchment.columns', { runId: runId + 7 });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_CATCHMENT_NOT_FOUND' } });
    });

    it('a stored band that is not one of the run\'s bands (edited outside Ekimae) is E_CATCHMENT_RESULT_INVALID, and the project is unchanged', async () => {
      const db = service.requireProject();
      const fid = Number(db.database.prepare('SELECT parcel_fid FROM ekimae_catchment_parcels WHERE run_id = ? AND band_m = 400 LIMIT 1').pluck().get(runId));
      db.action((d) => d.prepare('UPDATE ekimae_catchment_parcels SET band_m = 500 WHERE run_id = ? AND parcel_fid = ?').run(runId, fid));
      const r = await service.call('catchment.columns', { runId });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_CATCHMENT_RESULT_INVALID', details: { fid, bandM: 500 } } });
      expect(db.database.prepare('SELECT band_m FROM ekimae_catchment_parcels WHERE run_id = ? AND parcel_fid = ?').pluck().get(runId, fid)).toBe(500);
      db.action((d) => d.prepare('UPDATE ekimae_catchment_parcels SET band_m = 400 WHERE run_id = ? AND parcel_fid = ?').run(runId, fid));
      expect((await service.call('catchment.columns', { runId })).ok).toBe(true);
    });

    it('the typed reader\'s row filter on a field the layer lacks is E_FIELD_NOT_FOUND', () => {
      expect(() => readLayerArrays(service.requireProject(), STREET_LAYER, { where: { field: 'nope', equals: runId } }))
        .toThrow(expect.objectContaining({ code: 'E_FIELD_NOT_FOUND' }));
      // The filter itself: only the run's rows.
      const mine = readLayerArrays(service.requireProject(), STREET_LAYER, { geometry: false, fields: ['run_id'], where: { field: 'run_id', equals: runId } });
      expect(mine.count).toBeGreaterThan(0);
      expect(readLayerArrays(service.requireProject(), STREET_LAYER, { geometry: false, where: { field: 'run_id', equals: runId + 1 } }).count).toBe(0);
    });

    it('a parcel id beyond 32 bits is E_CATCHMENT_RESULT_INVALID', async () => {
      const db = service.requireProject();
      db.action((d) => d.prepare("INSERT INTO ekimae_catchment_parcels (run_id, parcel_fid, station_id, dist_m, access_m, band_m) VALUES (?, 4294967296, NULL, NULL, NULL, NULL)").run(runId));
      const r = await service.call('catchment.columns', { runId });
      expect(r).toMatchObject({ ok: false, error: { code: 'E_CATCHMENT_RESULT_INVALID', details: { fid: 4294967296 } } });
      db.action((d) => d.prepare('DELETE FROM ekimae_catchment_parcels WHERE run_id = ? AND parcel_fid = 4294967296').run(runId));
    });
  });
});

describe('the renderer refuses a malformed catchment answer (E_BINARY_BODY_INVALID)', () => {
  const good = (): CatchmentColumns => ({
    runId: 3, parcelsLayer: 'parcels', bandsM: [400, 800],
    parcels: {
      count: 3, fids: Int32Array.from([2, 5, 9]), distM: Float32Array.from([120, NaN, 790]), accessM: Float32Array.from([3, NaN, 8]),
      band: Uint8Array.from([0, UI_UNREACHED, 1]), station: { kind: 'text', codes: Int32Array.from([0, -1, 1]), dictionary: ['A', 'B'] },
    },
    streets: null,
  });
  const refused = (edit: (c: CatchmentColumns) => void) => {
    const c = good();
    edit(c);
    try { checkCatchmentColumns(c); } catch (e) { return e instanceof UiError ? e.code : String(e); }
    return 'accepted';
  };

  it('accepts the well-formed one, and pins the streets layer name and unreached code to core\'s', () => {
    expect(checkCatchmentColumns(good()).parcels.count).toBe(3);
    expect(CATCHMENT_STREETS_LAYER).toBe(STREET_LAYER);
    expect(UI_UNREACHED).toBe(UNREACHED_BAND);
  });
  it.each<[string, (c: CatchmentColumns) => void]>([
    ['a short distance column', (c) => { c.parcels.distM = c.parcels.distM.subarray(0, 2); }],
    ['fids out of order', (c) => { c.parcels.fids = Int32Array.from([2, 9, 5]); }],
    ['a band code naming no band', (c) => { c.parcels.band[0] = 2; }],
    ['a station code outside the dictionary', (c) => { c.parcels.station.codes[2] = 2; }],
    ['bands as Float64 instead of Uint8', (c) => { (c.parcels as unknown as { band: Float64Array }).band = Float64Array.from([0, 255, 1]); }],
    ['streets without geometry', (c) => { c.streets = { layer: 'x', count: 0, fids: new Int32Array(0), geometry: null, columns: {} }; }],
  ])('%s', (_name, edit) => {
    expect(refused(edit)).toBe('E_BINARY_BODY_INVALID');
  });
});
