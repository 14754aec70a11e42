// The browser-mode HTTP server: the trust checks (token, Host, Origin, loopback), limits, the call
// protocol, uploads that the importer can read, progress over SSE, and static files without traversal.
import { request } from 'node:http';
import { mkdirSync, writeFileSync, readFileSync, existsSync, symlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { APP_CSP } from '../../core/api/transports/csp.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { sanitizeFileName } from '../../core/api/transports/uploads.js';
import { tmpDir } from '../helpers/tmp.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let replied = false;
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      replied = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server cuts an oversized body short after answering: the write side may fail while the reply is read.
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ECONNRESET') setTimeout(() => replied || reject(e), 1000);
      else reject(e);
    });
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

const dir = tmpDir('ekimae-http-');
const staticDir = join(dir, 'static');
const service = new EkimaeService();
let srv: RunningServer;

function call(method: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send(srv.port, {
    method: 'POST', path: `/api/call/${method}`, body: JSON.stringify(input),
    headers: { 'content-type': 'application/json', 'x-ekimae-token': srv.token, ...headers },
  });
}

function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.on('connect', () => { s.destroy(); resolve('connected'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}

const json = (r: Reply) => JSON.parse(r.body) as { ok: boolean; value?: any; error?: { code: string; message: string } };

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Ekimae</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the static root');
  symlinkSync(join(dir, 'secret.txt'), join(staticDir, 'link.txt'));
  srv = await startServer({ service, staticDir, maxBodyBytes: 1024, maxUploadBytes: 4096, uploadParent: dir });
  await service.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'HTTP test' } });
});

afterAll(async () => {
  await srv.close();
  service.close();
});

describe('browser-mode HTTP server', () => {
  it('prints a loopback URL with a 32-byte hex token', () => {
    expect(srv.token).toMatch(/^[0-9a-f]{64}$/);
    expect(srv.url).toBe(`http://127.0.0.1:${srv.port}/?token=${srv.token}`);
  });

  it('answers a call with the service result', async () => {
    const r = await call('project.info', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    const body = json(r);
    expect(body.ok).toBe(true);
    expect(body.value.settings.name).toBe('HTTP test');
  });

  it('refuses an API call without the token, or with a wrong one (403)', async () => {
    const none = await send(srv.port, { method: 'POST', path: '/api/call/project.info', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(403);
    expect(json(none).error?.code).toBe('E_FORBIDDEN');
    const wrong = await call('project.info', {}, { 'x-ekimae-token': srv.token.slice(0, -1) + (srv.token.endsWith('0') ? '1' : '0') });
    expect(wrong.status).toBe(403);
    const short = await call('project.info', {}, { 'x-ekimae-token': 'abc' });
    expect(short.status).toBe(403);
    // The token in the query is only for the event stream.
    const query = await send(srv.port, { method: 'POST', path: `/api/call/project.info?token=${srv.token}`, body: '{}', headers: { 'content-type': 'application/json' } });
    expect(query.status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    for (const host of ['evil.example:' + srv.port, `127.0.0.1:${srv.port + 1}`, '127.0.0.1']) {
      const r = await call('project.info', {}, { host });
      expect(r.status, host).toBe(403);
      expect(json(r).error?.code).toBe('E_FORBIDDEN');
    }
    const page = await send(srv.port, { path: '/', headers: { host: 'rebound.example.com' } });
    expect(page.status).toBe(403);
    const local = await call('project.info', {}, { host: `localhost:${srv.port}` });
    expect(local.status).toBe(200);
  });

  it('refuses a request from a foreign Origin', async () => {
    const r = await call('project.info', {}, { origin: 'http://evil.example' });
    expect(r.status).toBe(403);
    const own = await call('project.info', {}, { origin: `http://127.0.0.1:${srv.port}` });
    expect(own.status).toBe(200);
  });

  it('rejects a body over the limit with a JSON error (413), declared or streamed', async () => {
    const big = JSON.stringify({ patch: { name: 'x'.repeat(2000) } });
    const r = await call('project.updateSettings', JSON.parse(big));
    expect(r.status).toBe(413);
    expect(json(r).error?.code).toBe('E_FILE_TOO_LARGE');
    const streamed = await new Promise<Reply>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv.port, method: 'POST', path: '/api/call/project.updateSettings',
        headers: { host: `127.0.0.1:${srv.port}`, 'content-type': 'application/json', 'x-ekimae-token': srv.token, 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e)));
      req.write(big.slice(0, 700));
      setTimeout(() => req.end(big.slice(700)), 20);
    });
    expect(streamed.status).toBe(413);
    expect((await call('project.info', {})).status).toBe(200);
    expect(json(await call('project.info', {})).value.settings.name).toBe('HTTP test');
  });

  it('rejects non-JSON bodies and wrong content types', async () => {
    const bad = await send(srv.port, { method: 'POST', path: '/api/call/project.info', body: '{nope', headers: { 'content-type': 'application/json', 'x-ekimae-token': srv.token } });
    expect(bad.status).toBe(400);
    expect(json(bad).error?.code).toBe('E_INPUT_INVALID');
    const text = await send(srv.port, { method: 'POST', path: '/api/call/project.info', body: '{}', headers: { 'content-type': 'text/plain', 'x-ekimae-token': srv.token } });
    expect(text.status).toBe(415);
    expect(json(text).error?.code).toBe('E_INPUT_INVALID');
    const get = await send(srv.port, { path: '/api/call/project.info', headers: { 'x-ekimae-token': srv.token } });
    expect(get.status).toBe(405);
  });

  it('answers an unknown method with E_METHOD_UNKNOWN, invalid input with E_INPUT_INVALID', async () => {
    const r = await call('project.explode', {});
    expect(r.status).toBe(404);
    expect(json(r).error?.code).toBe('E_METHOD_UNKNOWN');
    const proto = await call('__proto__', {});
    expect(json(proto).error?.code).toBe('E_METHOD_UNKNOWN');
    const invalid = await call('layers.remove', { layer: 42 });
    expect(invalid.status).toBe(200);
    expect(json(invalid).error?.code).toBe('E_INPUT_INVALID');
  });

  it('uploads files into one batch folder and imports from the returned path, with progress over SSE', async () => {
    const events: string[] = [];
    const sse = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: srv.port, path: `/api/events?token=${srv.token}`, headers: { host: `127.0.0.1:${srv.port}` } }, resolve);
      req.on('error', reject);
      req.end();
    });
    expect(sse.statusCode).toBe(200);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    sse.setEncoding('utf8');
    let buffered = '';
    sse.on('data', (c: string) => {
      buffered += c;
      const parts = buffered.split('\n\n');
      buffered = parts.pop()!;
      for (const p of parts) if (p.startsWith('data: ')) events.push(p.slice(6));
    });

    const geojson = JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [100.54, 13.80] } },
      { type: 'Feature', properties: { name: 'B' }, geometry: { type: 'Point', coordinates: [100.55, 13.81] } },
    ] });
    const up = await send(srv.port, { method: 'POST', path: `/api/upload?name=${encodeURIComponent('../../stations.geojson')}&batch=b1`, body: geojson, headers: { 'x-ekimae-token': srv.token } });
    expect(up.status).toBe(200);
    const path = json(up).value.path as string;
    expect(path).toBe(join(srv.uploadDir, 'b1', 'stations.geojson'));
    expect(readFileSync(path, 'utf8')).toBe(geojson);
    const sibling = await send(srv.port, { method: 'POST', path: '/api/upload?name=notes.txt&batch=b1', body: 'n', headers: { 'x-ekimae-token': srv.token } });
    expect(dirname(json(sibling).value.path)).toBe(dirname(path));

    const imported = json(await call('layers.import', { path, jobId: 'job-1' }));
    expect(imported.ok).toBe(true);
    expect(imported.value.layers[0].count).toBe(2);

    await new Promise((r) => setTimeout(r, 100));
    sse.destroy();
    const progress = events.map((e) => JSON.parse(e));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((e) => e.jobId === 'job-1' && e.method === 'layers.import')).toBe(true);
    expect(progress.at(-1).fraction).toBe(1);
  });

  it('refuses the event stream without the token', async () => {
    const r = await send(srv.port, { path: '/api/events' });
    expect(r.status).toBe(403);
    const wrong = await send(srv.port, { path: '/api/events?token=00' });
    expect(wrong.status).toBe(403);
  });

  it('refuses uploads without a token, with a bad batch id, or over the size limit (leaving nothing)', async () => {
    expect((await send(srv.port, { method: 'POST', path: '/api/upload?name=a.geojson', body: '{}' })).status).toBe(403);
    const badBatch = await send(srv.port, { method: 'POST', path: '/api/upload?name=a.geojson&batch=../x', body: '{}', headers: { 'x-ekimae-token': srv.token } });
    expect(badBatch.status).toBe(400);
    expect(json(badBatch).error?.code).toBe('E_INPUT_INVALID');
    const big = await send(srv.port, { method: 'POST', path: '/api/upload?name=big.bin&batch=b2', body: Buffer.alloc(5000), headers: { 'x-ekimae-token': srv.token } });
    expect(big.status).toBe(413);
    expect(json(big).error?.code).toBe('E_FILE_TOO_LARGE');
    expect(existsSync(join(srv.uploadDir, 'b2', 'big.bin'))).toBe(false);
  });

  it('sanitizes upload names to a base name', () => {
    expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitizeFileName('C:\\x\\parcels.shp')).toBe('parcels.shp');
    expect(sanitizeFileName('..')).toBe('upload');
    expect(sanitizeFileName('.bashrc')).toBe('bashrc');
    expect(sanitizeFileName('ที่ดิน<1>.geojson')).toBe('ที่ดิน_1_.geojson');
  });

  it('serves the built renderer with the strict CSP, and nothing outside it', async () => {
    const index = await send(srv.port, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Ekimae</title>');
    expect(index.headers['content-security-policy']).toBe(APP_CSP);
    expect(APP_CSP).toContain("default-src 'self'");
    expect(APP_CSP).not.toMatch(/https?:|unsafe-eval|\*/);
    expect(index.headers['x-content-type-options']).toBe('nosniff');
    const js = await send(srv.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/assets/..%5c..%5csecret.txt', '/link.txt', '/assets/', '/index.html%00.js', '/%E0%A4%A']) {
      const r = await send(srv.port, { path: p });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('outside the static root');
    }
  });

  it('closes promptly with an event stream still open, and removes its uploads', async () => {
    const other = await startServer({ service, uploadParent: dir });
    await send(other.port, { method: 'POST', path: '/api/upload?name=a.txt', body: 'a', headers: { 'x-ekimae-token': other.token } });
    expect(existsSync(other.uploadDir)).toBe(true);
    const stream = await new Promise<import('node:http').IncomingMessage>((resolve) => {
      request({ host: '127.0.0.1', port: other.port, path: `/api/events?token=${other.token}`, headers: { host: `127.0.0.1:${other.port}` } }, resolve).end();
    });
    const ended = new Promise((resolve) => stream.on('close', resolve));
    stream.resume();
    await other.close();
    await ended;
    expect(existsSync(other.uploadDir)).toBe(false);
    expect(await tryConnect('127.0.0.1', other.port)).toBe('ECONNREFUSED');
  });

  it('listens on 127.0.0.1 only', async () => {
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal).map((a) => a!.address);
    expect(await tryConnect('127.0.0.1', srv.port)).toBe('connected');
    for (const address of ['::1', ...others]) expect(await tryConnect(address, srv.port), address).not.toBe('connected');
  });
});
