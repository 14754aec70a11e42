// A scenario edit's answer on the wire at metropolitan scale (issue #15 point 4), browser mode in Node:
//   npm run bench -- scenario-columns               # 100k parcels (scale 0.1), then 1M (scale 1)
//   EKIMAE_SC_BENCH_SCALES=0.1 npm run bench -- scenario-columns
// The scenario panel evaluates the definition on screen after every edit and colours the map by the
// answer's FAR. For each generated metro project (tests/e2e/metro-project.ts): catchment.run once, then
// over HTTP scenario.evaluate of TOD moderate's definition with `parcelColumns` (typed arrays in a binary
// body, read by the renderer's own bridge and checks) against the named baseline it replaces,
// `includeParcels` (ten JSON arrays of one value per parcel); bytes, time to a checked value, the FAR
// per map feature from each, and the engine's own time (evalMs) beside them. Medians of 5 calls each,
// alternating. Shared 2-core machine: times are upper bounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EkimaeService } from '../../core/api/service.js';
import { startServer } from '../../core/api/transports/http-server.js';
import { httpBridge } from '../../renderer/api/bridge.js';
import { checkLayerColumns, columnsIndex } from '../../renderer/map/parcel-columns.js';
import { scenarioFarColumns, checkScenarioColumns, type ParcelIndex } from '../../renderer/map/analysis-colours.js';
import { decodeProjection } from '../../renderer/map/projection-colours.js';
import { metroProject } from './metro-project.js';

const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const SCALES = (process.env.EKIMAE_SC_BENCH_SCALES ?? '0.1,1').split(',').map(Number);
const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The baseline's FAR per feature, as the app made it before (removed from renderer/map/analysis-colours.ts): floor area over the map's own parcel area, by fid. */
function farFromJson(ix: ParcelIndex, fids: readonly number[], floorArea: readonly number[]): Float64Array {
  const far = new Float64Array(ix.n).fill(NaN);
  for (let k = 0; k < fids.length; k++) {
    const i = ix.indexOf(fids[k]);
    if (i < 0) continue;
    const area = ix.area(i);
    if (area > 0) far[i] = floorArea[k] / area;
  }
  return far;
}

for (const scale of SCALES) {
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-sc-bench-'));
  const service = new EkimaeService();
  try {
    const { path, counts } = metroProject(scale, join(dir, 'metro.gpkg'));
    await service.invoke('project.open', { path });
    let t = performance.now();
    await service.invoke('catchment.run', {});
    log(`scale ${scale}: ${counts.parcels} parcels; catchment.run ${((performance.now() - t) / 1000).toFixed(1)} s`);
    const { scenarios } = await service.invoke('scenario.defaults', {});
    const def = (scenarios.find((s) => s.id === 'tod-moderate') ?? scenarios[0]).definition;
    const srv = await startServer({ service });
    const origin = `http://127.0.0.1:${srv.port}`;
    const bridge = httpBridge({ search: `?token=${srv.token}`, origin });
    try {
      const layer = checkLayerColumns((await bridge.call('layers.columns', { layer: 'parcels', fields: [] }) as { value: unknown }).value);
      const features = columnsIndex(layer);
      const call = async (extra: Record<string, boolean>) => {
        const input = { scenario: def, ...extra };
        const res = await fetch(`${origin}/api/call/scenario.evaluate`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ekimae-token': srv.token }, body: JSON.stringify(input) });
        const bytes = (await res.arrayBuffer()).byteLength;
        const t0 = performance.now();
        const r = await bridge.call('scenario.evaluate', input);
        if (!r.ok) throw new Error(`scenario.evaluate: ${r.error.code} ${r.error.message}`);
        const value = r.value as { evalMs: number; parcels?: { fids: number[]; floorArea: number[] }; columns?: unknown };
        const wire = performance.now() - t0;
        const t1 = performance.now();
        const far = value.columns ? scenarioFarColumns(features, layer.fids, checkScenarioColumns(value.columns)) : farFromJson(features, value.parcels!.fids, value.parcels!.floorArea);
        return { bytes, wire, map: performance.now() - t1, evalMs: value.evalMs, far };
      };
      const runs: Record<'json' | 'typed', Array<Awaited<ReturnType<typeof call>>>> = { json: [], typed: [] };
      for (let i = 0; i < RUNS; i++) {
        runs.json.push(await call({ includeParcels: true }));
        runs.typed.push(await call({ parcelColumns: true }));
      }
      // Same parcels coloured: the engine's FAR (metric area) against the map's own area, within 0.5 %.
      const a = runs.json[0].far, b = runs.typed[0].far;
      let both = 0, off = 0;
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) off++;
        else if (!Number.isNaN(a[i])) { both++; if (Math.abs(a[i] - b[i]) > 0.005 * Math.max(Math.abs(a[i]), 1e-9)) off++; }
      }
      for (const [k, rs] of Object.entries(runs)) {
        log(`scale ${scale}: ${k === 'json' ? 'baseline includeParcels (JSON)' : 'parcelColumns (binary)    '} ${mb(rs[0].bytes)}, ${median(rs.map((r) => r.wire)).toFixed(0)} ms to a value, FAR per feature ${median(rs.map((r) => r.map)).toFixed(0)} ms; engine ${median(rs.map((r) => r.evalMs)).toFixed(0)} ms (medians of ${RUNS})`);
      }
      log(`scale ${scale}: FAR per feature from the two answers: ${both} parcels with a value in both, ${off} differ by more than 0.5 %`);
      // The panel's other per-edit call: the projection by horizon (take-up computed, not stored).
      const proj: Array<{ bytes: number; ms: number; decode: number }> = [];
      for (let i = 0; i < 3; i++) {
        const input = { scenario: def };
        const res = await fetch(`${origin}/api/call/growth.parcels`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ekimae-token': srv.token }, body: JSON.stringify(input) });
        const bytes = (await res.arrayBuffer()).byteLength;
        const t0 = performance.now();
        const r = await bridge.call('growth.parcels', input);
        if (!r.ok) throw new Error(`growth.parcels: ${r.error.code} ${r.error.message}`);
        const ms = performance.now() - t0;
        const t1 = performance.now();
        decodeProjection(r.value as Parameters<typeof decodeProjection>[0]);
        proj.push({ bytes, ms, decode: performance.now() - t1 });
      }
      log(`scale ${scale}: growth.parcels ${mb(proj[0].bytes)}, ${median(proj.map((p) => p.ms)).toFixed(0)} ms to a value (take-up computed), checked in ${median(proj.map((p) => p.decode)).toFixed(0)} ms (medians of 3)`);
    } finally {
      await srv.close();
    }
  } finally {
    service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
