// A catchment run's results on the wire at metropolitan scale (issue #15 point 4), browser mode in Node:
//   npm run bench -- catchment-columns               # 100k parcels (scale 0.1), then 1M (scale 1)
//   EKIMAE_CC_BENCH_SCALES=0.1 npm run bench -- catchment-columns
// For each generated metro project (tests/e2e/metro-project.ts): catchment.run once, then over HTTP
// catchment.columns with the reached streets (binary body, read and checked by the renderer's own bridge
// and checks) against the objects it replaces (the named baseline: catchment.parcels as JSON plus the
// run's reached streets through layers.features): bytes and time to a checked value, and the band
// colouring of the parcel layer from the typed answer. Shared 2-core machine: times are upper bounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EkimaeService } from '../../core/api/service.js';
import { startServer } from '../../core/api/transports/http-server.js';
import { STREET_LAYER } from '../../core/catchment/store.js';
import { httpBridge } from '../../renderer/api/bridge.js';
import { checkCatchmentColumns } from '../../renderer/map/catchment-columns.js';
import { checkLayerColumns, columnsIndex } from '../../renderer/map/parcel-columns.js';
import { bandColouringCodes } from '../../renderer/map/analysis-colours.js';
import { metroProject } from './metro-project.js';

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const SCALES = (process.env.EKIMAE_CC_BENCH_SCALES ?? '0.1,1').split(',').map(Number);

/** A call over HTTP: bytes of the body and ms to the decoded value. */
async function timed(origin: string, token: string, bridge: ReturnType<typeof httpBridge>, method: string, input: unknown) {
  const res = await fetch(`${origin}/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ekimae-token': token }, body: JSON.stringify(input) });
  const bytes = (await res.arrayBuffer()).byteLength;
  const t = performance.now();
  const r = await bridge.call(method, input);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return { bytes, value: r.value, ms: performance.now() - t };
}

for (const scale of SCALES) {
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-cc-bench-'));
  const service = new EkimaeService();
  try {
    const { path, counts } = metroProject(scale, join(dir, 'metro.gpkg'));
    await service.invoke('project.open', { path });
    let t = performance.now();
    const run = await service.invoke('catchment.run', {});
    log(`scale ${scale}: ${counts.parcels} parcels; catchment.run ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const srv = await startServer({ service });
    const origin = `http://127.0.0.1:${srv.port}`;
    const bridge = httpBridge({ search: `?token=${srv.token}`, origin });
    try {
      const typed = await timed(origin, srv.token, bridge, 'catchment.columns', { runId: run.runId, streets: true });
      t = performance.now();
      const c = checkCatchmentColumns(typed.value);
      const checkMs = performance.now() - t;
      const parcelsOnly = await timed(origin, srv.token, bridge, 'catchment.columns', { runId: run.runId });
      const objs = await timed(origin, srv.token, bridge, 'catchment.parcels', { runId: run.runId });
      const streets = await timed(origin, srv.token, bridge, 'layers.features', { layer: STREET_LAYER });
      const layer = checkLayerColumns((await bridge.call('layers.columns', { layer: 'parcels', fields: [] }) as { value: unknown }).value);
      t = performance.now();
      const colouring = bandColouringCodes(columnsIndex(layer), layer.fids, c.parcels, c.bandsM, (m) => String(m));
      const colourMs = performance.now() - t;
      log(`scale ${scale}: catchment.columns (${c.parcels.count} parcels, ${c.streets?.count ?? 0} street pieces) ${mb(typed.bytes)}, ${typed.ms.toFixed(0)} ms to a value + ${checkMs.toFixed(0)} ms checks`);
      log(`scale ${scale}: catchment.columns without streets ${mb(parcelsOnly.bytes)}, ${parcelsOnly.ms.toFixed(0)} ms to a value`);
      log(`scale ${scale}: baseline catchment.parcels JSON ${mb(objs.bytes)}, ${objs.ms.toFixed(0)} ms; reached streets (all runs) as GeoJSON ${mb(streets.bytes)}, ${streets.ms.toFixed(0)} ms`);
      log(`scale ${scale}: band colouring from Uint8 codes (${colouring.rgba.length / 4} parcels, fids aligned) ${colourMs.toFixed(0)} ms`);
    } finally {
      await srv.close();
    }
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
