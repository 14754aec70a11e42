// Browser mode's path policy: with no file dialogs, a page may only name paths inside the allowed
// folders (not hidden ones, links resolved); uploads and the start-up project's folder are allowed.
import { request } from 'node:http';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { BrowserPathPolicy } from '../../core/api/transports/browser-paths.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('ekimae-bpaths-');
const allowed = join(dir, 'work');
const outside = join(dir, 'outside');
const service = new EkimaeService();
let srv: RunningServer;

function post(path: string, body: string | Buffer, type = 'application/json'): Promise<{ ok: boolean; value?: any; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: srv.port, method: 'POST', path, headers: { host: `127.0.0.1:${srv.port}`, 'x-ekimae-token': srv.token, 'content-type': type } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const call = (method: string, input: unknown) => post(`/api/call/${method}`, JSON.stringify(input));
const geojson = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [100.5, 13.8] } }] });

beforeAll(async () => {
  for (const d of [allowed, outside, join(allowed, '.ssh'), join(dir, 'up')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(outside, 'secret.geojson'), geojson);
  writeFileSync(join(allowed, '.ssh', 'keys.geojson'), geojson);
  writeFileSync(join(allowed, 'stations.geojson'), geojson);
  symlinkSync(outside, join(allowed, 'link-out'));
  const pathPolicy = new BrowserPathPolicy({ roots: [allowed] });
  srv = await startServer({ service, uploadParent: join(dir, 'up'), pathPolicy });
});
afterAll(async () => {
  await srv?.close();
  service.close();
});

describe('browser mode path policy', () => {
  it('a project and an import inside the allowed folder work', async () => {
    expect((await call('project.create', { path: join(allowed, 'p.gpkg'), settings: { name: 'p' } })).ok).toBe(true);
    expect((await call('layers.import', { path: join(allowed, 'stations.geojson'), name: 'stations' })).ok).toBe(true);
  });

  it('a file outside, a hidden folder inside, and a link inside pointing outside: E_PATH_NOT_GRANTED, project unchanged', async () => {
    const before = service.requireProject().logicalDigest();
    for (const [path, why] of [
      [join(outside, 'secret.geojson'), 'outside the folders'],
      [join(allowed, '.ssh', 'keys.geojson'), 'hidden'],
      [join(allowed, 'link-out', 'secret.geojson'), 'outside the folders'],
      ['/etc/passwd', 'outside the folders'],
      ['stations.geojson', 'not an absolute path'],
    ] as const) {
      const r = await call('layers.import', { path, name: 'x' });
      expect(r.ok, path).toBe(false);
      expect(r.error?.code, path).toBe('E_PATH_NOT_GRANTED');
      expect(r.error?.message, path).toContain(why);
    }
    // An export target is a path field too: nothing written over a file outside.
    const exp = await call('layers.export', { layers: ['stations'], format: 'geojson', path: join(outside, 'over.geojson') });
    expect(exp.error?.code).toBe('E_PATH_NOT_GRANTED');
    expect(service.requireProject().logicalDigest()).toBe(before);
  });

  it('an uploaded file (in the server\'s own folder) imports', async () => {
    const up = await post('/api/upload?name=up.geojson', Buffer.from(geojson), 'application/octet-stream');
    expect(up.ok).toBe(true);
    const r = await call('layers.import', { path: up.value.path, name: 'uploaded' });
    expect(r.ok).toBe(true);
  });

  it('downloads still work: the server places their paths in its own folder', async () => {
    const r = await post('/api/download', JSON.stringify({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'stations.geojson' }));
    expect(r.ok).toBe(true);
    expect(r.value.url).toMatch(/^\/api\/download\//);
  });

  it('default roots: the home folder but not its hidden files; the temp folder; not /etc', () => {
    const p = new BrowserPathPolicy();
    expect(p.refusal(join(homedir(), 'projects', 'bang-sue.gpkg'))).toBe(null);
    expect(p.refusal(join(homedir(), '.ssh', 'id_ed25519'))).toContain('hidden');
    expect(p.refusal(join(homedir(), '.bashrc'))).toContain('hidden');
    expect(p.refusal(join(dir, 'anything.gpkg'))).toBe(null);
    expect(p.refusal('/etc/shadow')).toContain('outside');
  });
});
