/**
 * Browser-mode server memory under 200 concurrent feature requests (npm run bench -- server-memory),
 * issue #16: peak resident memory (VmHWM) of a server process answering 200 simultaneous
 * layers.features calls for a 20 000-parcel layer, uncapped (every request served at once, as before)
 * and with the default cap on heavy reads (4 at a time, the rest queued). Loopback only; 200 requests,
 * each answered once. Prints figures; asserts nothing.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const N_REQ = 200;

async function child(): Promise<void> {
  const { EkimaeService } = await import('../service.js');
  const { startServer } = await import('./http-server.js');
  const service = new EkimaeService();
  await service.invoke('project.open', { path: process.env.BENCH_PROJECT! });
  const heavy = Number(process.env.BENCH_MAX_HEAVY);
  const srv = await startServer({ service, ...(heavy ? { maxHeavy: heavy, maxQueued: 100_000 } : {}) });
  process.stdout.write(`${JSON.stringify({ port: srv.port, token: srv.token })}\n`);
}

function vmHwm(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function post(port: number, token: string, body: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/call/layers.features', agent: false,
      headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'x-ekimae-token': token } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => { bytes += c.length; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(project: string, label: string, maxHeavy: number | null): Promise<void> {
  const p = spawn('npx', ['tsx', HERE], { env: { ...process.env, BENCH_CHILD: '1', BENCH_PROJECT: project, BENCH_MAX_HEAVY: maxHeavy ? String(maxHeavy) : '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((r, reject) => {
    p.stdout.once('data', (d: Buffer) => r(d.toString()));
    p.once('exit', (code) => reject(new Error(`server process exited (${code}) before listening`)));
  });
  const { port, token } = JSON.parse(line) as { port: number; token: string };
  // npx → tsx → node: the server is the deepest process whose command line names this file.
  const pids = execFileSync('pgrep', ['-f', HERE], { encoding: 'utf8' }).trim().split('\n').map(Number);
  const server = Math.max(...pids.filter((x) => x !== process.pid));
  const before = vmHwm(server);
  const body = JSON.stringify({ layer: 'parcels' });
  const t0 = Date.now();
  const replies = await Promise.all(Array.from({ length: N_REQ }, () => post(port, token, body)));
  const peak = vmHwm(server);
  const ok = replies.filter((r) => r.status === 200).length;
  console.log(`${label.padEnd(28)} ${ok}/${N_REQ} answered 200, ${(replies[0].bytes / 1e6).toFixed(1)} MB each; server peak RSS ${peak.toFixed(0)} MB (idle ${before.toFixed(0)} MB), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  p.kill('SIGTERM');
  spawn('kill', [String(server)]);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-bench-mem-'));
  try {
    const { EkimaeService } = await import('../service.js');
    const svc = new EkimaeService();
    const features = Array.from({ length: 20_000 }, (_, k) => {
      const x = 100.5 + (k % 200) * 0.0003, y = 13.78 + Math.floor(k / 200) * 0.0003;
      return { type: 'Feature', properties: { parcel_id: `P${k}`, land_use: ['residential', 'commercial', 'mixed'][k % 3], far: 1 + (k % 7) / 2, land_value: 40_000 + k },
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.00025, y], [x + 0.00025, y + 0.00025], [x, y + 0.00025], [x, y]]] } };
    });
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'bench' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), name: 'parcels', role: 'parcels' });
    svc.close();
    // BENCH_ONLY=uncapped|capped runs one of the two (the uncapped run takes minutes on two shared cores).
    const only = process.env.BENCH_ONLY;
    if (only !== 'capped') await run(join(dir, 'p.gpkg'), 'uncapped (as before)', 1_000_000);
    if (only !== 'uncapped') await run(join(dir, 'p.gpkg'), 'default cap (4 at a time)', null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.env.BENCH_CHILD) child().catch((e) => { console.error(e); process.exit(1); });
else main().catch((e) => { console.error(e); process.exit(1); });
