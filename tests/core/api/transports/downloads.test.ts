// Browser-mode downloads: the core writes an export into the server's private folder and the browser
// fetches it once by an unguessable token. Checked here: the files are what the core exported (read back
// by GDAL for the GeoPackage), the client never chooses a path, tokens are single-use, expire and cannot be
// guessed or walked out of, the Host/Origin/fetch-site checks and the CSP apply, and nothing is left behind.
import { request } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../../core/api/service.js';
import { APP_CSP } from '../../../../core/api/transports/csp.js';
import { startServer, type RunningServer } from '../../../../core/api/transports/http-server.js';
import { contentDisposition, DOWNLOAD_TOKEN_RE, DownloadStore, downloadStem } from '../../../../core/api/transports/downloads.js';
import { hasTool } from '../../../helpers/tools.js';
import { tmpDir } from '../../../helpers/tmp.js';

const FIXTURE = 'tests/fixtures/downloads/three-stations/in.geojson';
const NAMES = ['Bang Sue Grand', 'Chatuchak Park', 'Kamphaeng Phet'];

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = (r: Reply) => JSON.parse(r.body.toString('utf8')) as { ok: boolean; value?: any; error?: { code: string; message: string } };

const dir = tmpDir('ekimae-downloads-');
const service = new EkimaeService();
let srv: RunningServer;

function prepare(body: unknown, headers: Record<string, string> = {}, s: RunningServer = srv): Promise<Reply> {
  return send(s.port, {
    method: 'POST', path: '/api/download', body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-ekimae-token': s.token, ...headers },
  });
}

const get = (path: string, headers: Record<string, string> = {}, s: RunningServer = srv) => send(s.port, { path, headers });

/** Jobs still held in the downloads folder (each prepared download owns one). */
const jobsIn = (d: string) => (existsSync(d) ? readdirSync(d) : []);

async function settled(d: string): Promise<string[]> {
  // The server deletes a sent file when the response closes, just after the client has read it.
  for (let i = 0; i < 50 && jobsIn(d).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  return jobsIn(d);
}

beforeAll(async () => {
  srv = await startServer({ service, uploadParent: dir });
  await service.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Downloads' } });
  await service.invoke('layers.import', { path: FIXTURE, name: 'stations' });
  await service.invoke('layers.setPersonal', { layer: 'stations', field: 'owner_name', personal: true });
});

afterAll(async () => {
  await srv.close();
  service.close();
});

describe('browser-mode downloads: the files', () => {
  it('hands out a GeoJSON export once, named as asked, without the personal field', async () => {
    const p = await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'Bang Sue stations' });
    expect(p.status).toBe(200);
    const t = json(p).value;
    expect(t.url).toMatch(/^\/api\/download\/[A-Za-z0-9_-]{43}$/);
    expect(t.fileName).toBe('Bang Sue stations.geojson');
    expect(t.result.omittedFields).toEqual([{ layer: 'stations', field: 'owner_name', reason: expect.any(String) }]);
    expect(Date.parse(t.expiresAt)).toBeGreaterThan(Date.now());

    const r = await get(t.url);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/geo+json');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="Bang Sue stations.geojson"; filename*=UTF-8''Bang%20Sue%20stations.geojson`);
    expect(r.headers['content-security-policy']).toBe(APP_CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['cache-control']).toBe('no-store');
    expect(Number(r.headers['content-length'])).toBe(t.bytes);
    const fc = JSON.parse(r.body.toString('utf8')) as { features: Array<{ properties: Record<string, unknown> }> };
    expect(fc.features.map((f) => f.properties.name).sort()).toEqual(NAMES);
    expect(fc.features.reduce((s, f) => s + Number(f.properties.lines), 0)).toBe(5);
    expect(fc.features.some((f) => 'owner_name' in f.properties)).toBe(false);

    const again = await get(t.url);
    expect(again.status).toBe(404);
    expect(json(again).error?.code).toBe('E_FILE_NOT_FOUND');
    expect(await settled(srv.downloadDir)).toEqual([]);
  });

  it.skipIf(!hasTool('ogrinfo'))('hands out a GeoPackage that GDAL reads: three features, no personal field', async () => {
    const t = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'gpkg' }, fileName: 'plan.gpkg' })).value;
    expect(t.fileName).toBe('plan.gpkg');
    const r = await get(t.url);
    expect(r.headers['content-type']).toBe('application/geopackage+sqlite3');
    const file = join(dir, 'got.gpkg');
    writeFileSync(file, r.body);
    const info = execFileSync('ogrinfo', ['-so', file, 'stations'], { encoding: 'utf8' });
    expect(info).toMatch(/Feature Count: 3\b/);
    expect(info).toMatch(/^name: String/m);
    expect(info).not.toMatch(/owner_name/);
  });

  it('bundles a CSV and its sidecars into one zip named after the request', async () => {
    const t = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'csv' }, fileName: 'stations.csv' })).value;
    expect(t.fileName).toBe('stations.zip');
    const r = await get(t.url);
    expect(r.headers['content-type']).toBe('application/zip');
    const files = unzipSync(new Uint8Array(r.body));
    expect(Object.keys(files).sort()).toEqual(['stations.csv', 'stations.csvt', 'stations.provenance.json']);
    const csv = strFromU8(files['stations.csv']!);
    for (const n of NAMES) expect(csv).toContain(n);
    expect(csv).not.toContain('owner_name');
    expect(csv).not.toContain('Bangkok Metro');
  });

  it('reduces a hostile file name to a safe base name and quotes a non-ASCII one exactly', async () => {
    const a = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: '../../../etc/passwd' })).value;
    expect(a.fileName).toBe('passwd.geojson');
    const b = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'a"b\r\nSet-Cookie: x=1' })).value;
    expect(b.fileName).not.toMatch(/["\r\n:]/);
    const rb = await get(b.url);
    expect(rb.headers['set-cookie']).toBeUndefined();
    const c = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'สถานี บางซื่อ' })).value;
    const rc = await get(c.url);
    expect(rc.headers['content-disposition']).toBe(`attachment; filename="_____ _______.geojson"; filename*=UTF-8''${encodeURIComponent('สถานี บางซื่อ')}.geojson`);
    await get(a.url);
    expect(await settled(srv.downloadDir)).toEqual([]);
  });
});

describe('browser-mode downloads: what is refused', () => {
  const input = { layers: ['stations'], format: 'geojson' };

  it('refuses to prepare without the page token in the header', async () => {
    const none = await send(srv.port, { method: 'POST', path: '/api/download', body: JSON.stringify({ method: 'layers.export', input, fileName: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(403);
    const query = await send(srv.port, { method: 'POST', path: `/api/download?token=${srv.token}`, body: JSON.stringify({ method: 'layers.export', input, fileName: 'x' }), headers: { 'content-type': 'application/json' } });
    expect(query.status).toBe(403);
    const foreign = await prepare({ method: 'layers.export', input, fileName: 'x' }, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(jobsIn(srv.downloadDir)).toEqual([]);
  });

  it('never lets the client choose where the core writes', async () => {
    const target = join(dir, 'chosen.geojson');
    for (const body of [
      { method: 'layers.export', input: { ...input, path: target }, fileName: 'x' },
      { method: 'layers.export', input: { ...input, overwrite: true }, fileName: 'x' },
      { method: 'review.export', input: { format: 'gpkg', path: target }, fileName: 'x' },
      { method: 'report.generate', input: { outDir: dir }, fileName: 'x' },
      { method: 'report.generate', input: { name: 'r' }, fileName: 'x' },
      { method: 'package.create', input: { out: target }, fileName: 'x' },
      { method: 'package.create', input: { zip: false }, fileName: 'x' },
    ]) {
      const r = await prepare(body);
      expect(r.status, JSON.stringify(body.input)).toBe(400);
      expect(json(r).error?.code).toBe('E_INPUT_INVALID');
      expect(json(r).error?.message).toMatch(/chosen by the server/);
    }
    expect(existsSync(target)).toBe(false);
    expect(jobsIn(srv.downloadDir)).toEqual([]);
  });

  it('offers only the export methods, and checks the request shape', async () => {
    for (const body of [
      { method: 'project.saveAs', input: { path: join(dir, 'copy.gpkg') }, fileName: 'x' },
      { method: 'project.create', input: {}, fileName: 'x' },
      { method: 'layers.export', input, fileName: '' },
      { method: 'layers.export', input, fileName: 'x'.repeat(201) },
      { method: 'layers.export', input: [1], fileName: 'x' },
      { method: 'layers.export', input, fileName: 'x', path: '/tmp/x' },
    ]) {
      const r = await prepare(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(json(r).error?.code).toBe('E_INPUT_INVALID');
    }
    expect(existsSync(join(dir, 'copy.gpkg'))).toBe(false);
    const text = await send(srv.port, { method: 'POST', path: '/api/download', body: 'method=layers.export', headers: { 'content-type': 'text/plain', 'x-ekimae-token': srv.token } });
    expect(text.status).toBe(415);
  });

  it('returns the method\'s own error and keeps nothing when the export fails', async () => {
    const missing = json(await prepare({ method: 'layers.export', input: { layers: ['nope'], format: 'geojson' }, fileName: 'x' }));
    expect(missing).toMatchObject({ ok: false, error: { code: 'E_LAYER_NOT_FOUND' } });
    const badFormat = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'kml' }, fileName: 'x' }));
    expect(badFormat).toMatchObject({ ok: false, error: { code: 'E_INPUT_INVALID' } });
    const noReview = json(await prepare({ method: 'review.export', input: { format: 'geojson' }, fileName: 'x' }));
    expect(noReview).toMatchObject({ ok: false, error: { code: 'E_PROJECT_NOT_OPEN' } });
    expect(jobsIn(srv.downloadDir)).toEqual([]);
  });

  it('answers 404 to a guessed, altered or path-like token, and the real one still works', async () => {
    const t = json(await prepare({ method: 'layers.export', input, fileName: 'x' })).value;
    const real = t.url.slice('/api/download/'.length) as string;
    const flipped = real.slice(0, -1) + (real.endsWith('A') ? 'B' : 'A');
    for (const path of [
      `/api/download/${flipped}`, `/api/download/${'A'.repeat(43)}`, `/api/download/${real.slice(0, -1)}`, `/api/download/${real}x`,
      `/api/download/${real}/`, `/api/download/..%2F..%2F..%2Fetc%2Fpasswd`, `/api/download/%2e%2e`, `/api/download/`,
      `/api/download/../../etc/passwd`,
    ]) {
      const r = await get(path);
      // URL parsing folds %2e%2e into "..": that one lands on /api/ itself and needs the page token (403).
      expect(r.status, path).toBe(path.endsWith('%2e%2e') ? 403 : 404);
      expect(r.headers['content-disposition']).toBeUndefined();
      expect(r.body.toString('utf8')).not.toMatch(/root:/);
    }
    const ok = await get(t.url);
    expect(ok.status).toBe(200);
  });

  it('refuses a download by another Host, Origin or site without spending the token', async () => {
    const t = json(await prepare({ method: 'layers.export', input, fileName: 'x' })).value;
    for (const headers of <Record<string, string>[]>[
      { host: `evil.example:${srv.port}` }, { origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' },
    ]) {
      const r = await get(t.url, headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(json(r).error?.code).toBe('E_FORBIDDEN');
    }
    const head = await send(srv.port, { method: 'HEAD', path: t.url });
    expect(head.status).toBe(405);
    const post = await send(srv.port, { method: 'POST', path: t.url, headers: { 'x-ekimae-token': srv.token } });
    expect(post.status).toBe(405);
    const own = await get(t.url, { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${srv.port}` });
    expect(own.status).toBe(200);
    expect(await settled(srv.downloadDir)).toEqual([]);
  });

  it('gives every download a fresh 256-bit token', async () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const t = json(await prepare({ method: 'layers.export', input, fileName: 'x' })).value;
      tokens.add(t.url);
      await get(t.url);
    }
    expect(tokens.size).toBe(5);
    for (const u of tokens) expect(u.slice('/api/download/'.length)).toMatch(DOWNLOAD_TOKEN_RE);
  });
});

describe('browser-mode downloads: lifetime', () => {
  it('forgets a download that is not fetched in time, and deletes its file', async () => {
    const s = await startServer({ service, uploadParent: dir, downloadTtlMs: 150 });
    try {
      const t = json(await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'x' }, {}, s)).value;
      expect(jobsIn(s.downloadDir)).toHaveLength(1);
      await new Promise((r) => setTimeout(r, 400));
      expect(jobsIn(s.downloadDir)).toEqual([]);
      expect((await get(t.url, {}, s)).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('deletes the downloads folder, fetched or not, when the server stops', async () => {
    const s = await startServer({ service, uploadParent: dir });
    await prepare({ method: 'layers.export', input: { layers: ['stations'], format: 'geojson' }, fileName: 'x' }, {}, s);
    expect(existsSync(s.downloadDir)).toBe(true);
    await s.close();
    expect(existsSync(s.downloadDir)).toBe(false);
  });

  it('holds a bounded number of unfetched downloads, dropping the oldest', async () => {
    const store = new DownloadStore(dir, 60_000, 2);
    // A stand-in core that writes what it is asked to, where it is told.
    const fake = { call: async (_m: string, i: unknown) => { writeFileSync((i as { path: string }).path, 'x'); return { ok: true as const, value: {} }; } };
    try {
      const urls: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await store.prepare(fake, 'review.export', { format: 'geojson' }, `c${i}`);
        if (!r.ok) throw new Error(r.error.message);
        urls.push(r.value.url);
      }
      expect(store.size).toBe(2);
      expect(readdirSync(store.dir)).toHaveLength(2);
      const tokenOf = (u: string) => u.slice('/api/download/'.length);
      expect(store.take(tokenOf(urls[0]!))).toBeNull();
      const last = store.take(tokenOf(urls[2]!))!;
      expect(last.name).toBe('c2.geojson');
      expect(store.take(tokenOf(urls[2]!))).toBeNull();
      store.finish(last);
      expect(readdirSync(store.dir)).toHaveLength(1);
    } finally {
      store.dispose();
    }
    expect(existsSync(store.dir)).toBe(false);
  });

  it('fails with E_EXPORT_FAILED, keeping nothing, when the method wrote no file', async () => {
    const store = new DownloadStore(dir);
    const none = { call: async () => ({ ok: true as const, value: {} }) };
    try {
      await expect(store.prepare(none, 'review.export', { format: 'gpkg' }, 'x')).rejects.toMatchObject({ code: 'E_EXPORT_FAILED' });
      expect(readdirSync(store.dir)).toEqual([]);
    } finally {
      store.dispose();
    }
  });
});

describe('download names', () => {
  it('strips a known extension (the format decides it) and anything unsafe', () => {
    expect(downloadStem('report.pdf')).toBe('report');
    expect(downloadStem('plan.v2')).toBe('plan.v2');
    expect(downloadStem('C:\\Users\\me\\comments.geojson')).toBe('comments');
    expect(downloadStem('...')).toBe('download');
    expect(downloadStem('Bang Sue (test) report')).toBe('Bang Sue (test) report');
    expect(downloadStem('駅'.repeat(130))).toBe('駅'.repeat(120));
    expect(downloadStem('a<b>|c?.zip')).toBe('a_b__c_');
  });

  it('writes Content-Disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('駅前 (1).zip')).toBe(`attachment; filename="__ (1).zip"; filename*=UTF-8''%E9%A7%85%E5%89%8D%20%281%29.zip`);
    expect(contentDisposition('50%.csv')).toBe(`attachment; filename="50_.csv"; filename*=UTF-8''50%25.csv`);
  });
});
