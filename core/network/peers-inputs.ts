/**
 * The peers' generated networks for benchmarks (../shared/peers/gen_network.py), made once into
 * $EKIMAE_BENCH_DIR/peers and checked against their published sha256. Returns null (the benchmark
 * says it skipped) when ../shared/peers or /usr/bin/python3 is absent.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
export const PEERS = join(resolve(BENCH_ROOT, '../shared'), 'peers');

export interface PeersFiles { dir: string; network: string; stations: (n: 1 | 10 | 100) => string }

export function peersInputs(size: '10k' | '100k' | '1m'): PeersFiles | null {
  if (!existsSync(join(PEERS, 'gen_network.py')) || !existsSync('/usr/bin/python3')) return null;
  const dir = resolve(process.env.EKIMAE_BENCH_DIR ?? join(BENCH_ROOT, '.cache/bench'), 'peers');
  const sha = JSON.parse(readFileSync(join(PEERS, 'expected/inputs.json'), 'utf8'))[size].sha256 as Record<string, string>;
  const network = join(dir, `network_${size}.geojson`);
  const stations = (n: 1 | 10 | 100) => join(dir, `stations_${size}_${n}.geojson`);
  const ok = () => existsSync(network) && createHash('sha256').update(readFileSync(network)).digest('hex') === sha.network
    && existsSync(stations(100)) && createHash('sha256').update(readFileSync(stations(100))).digest('hex') === sha.stations_100;
  if (!ok()) {
    mkdirSync(dir, { recursive: true });
    console.log(`generating the peers' ${size} network (once)…`);
    const r = spawnSync('/usr/bin/python3', [join(PEERS, 'gen_network.py'), '--size', size, '--out', dir], { stdio: 'inherit' });
    if (r.status !== 0 || !ok()) throw new Error(`could not generate the ${size} network matching expected/inputs.json`);
  }
  return { dir, network, stations };
}
