/**
 * The typed-array layer reader on the metropolitan bench files (issue #15): the 2M-edge network and
 * the 1M parcels are read at the start of every catchment and scenario run. Reads the network and
 * parcels layers of the cached metro-0.1 and metro-0.3 projects (skipped when absent; built by
 * `npm run bench -- metro`), read-only, with the fields catchment.run asks for, and prints CPU per
 * layer (median of EKIMAE_LAYER_READS runs, default 3) and rows per CPU second.
 */
import { existsSync } from 'node:fs';
import { getFeatureTable, openDatabase } from './gpkg.js';
import { readLayerArraysDb } from './layer-arrays.js';

const DIR = process.env.EKIMAE_METRO_DIR ?? '/tmp/ekimae-metro-bench';
const RUNS = Number(process.env.EKIMAE_LAYER_READS ?? 3);
const SCALES = (process.env.EKIMAE_LAYER_SCALES ?? '0.1,0.3').split(',');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = (globalThis as { gc?: () => void }).gc;

let ran = 0;
for (const scale of SCALES) {
  const path = `${DIR}/metro-${scale}-20261206.gpkg`;
  if (!existsSync(path)) { console.log(`metro-${scale}: ${path} absent, skipped (npm run bench -- metro builds it)`); continue; }
  // Read-only: the cached bench projects stay as they were built.
  const db = openDatabase(path, { readonly: true, mustExist: true });
  try {
    for (const layer of ['network', 'parcels']) {
      const info = getFeatureTable(db, layer);
      if (!info) { console.log(`metro-${scale}: no layer ${layer}`); continue; }
      const mapped = (db.prepare('SELECT DISTINCT field FROM ekimae_field_map WHERE table_name = ?').pluck().all(layer) as string[])
        .filter((f) => info.fields.some((x) => x.name === f));
      const cpu: number[] = [], wall: number[] = [];
      let rows = 0;
      for (let r = 0; r < RUNS; r++) {
        gc?.();
        const t0 = performance.now(), c0 = process.cpuUsage();
        const a = readLayerArraysDb(db, info, { fields: mapped });
        const c = process.cpuUsage(c0);
        wall.push(performance.now() - t0);
        cpu.push((c.user + c.system) / 1000);
        rows = a.count;
      }
      const m = median(cpu);
      console.log(`metro-${scale} ${layer.padEnd(8)} ${String(rows).padStart(8)} rows, ${mapped.length} fields: CPU ${m.toFixed(0)} ms (runs ${cpu.map((x) => x.toFixed(0)).join(' / ')}), wall ${median(wall).toFixed(0)} ms, ${(rows / m * 1000 / 1e6).toFixed(2)} M rows/CPU-s`);
      ran++;
    }
  } finally { db.close(); }
}
if (!ran) console.log('no metro bench file found: nothing measured');
