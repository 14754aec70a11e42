// Browser mode, issue #16: the browser is started with a one-time sign-in link (the long-lived token
// never on a command line) exchanged for an HttpOnly SameSite=Strict cookie; heavy reads are capped
// (a slot per large response until it has been sent), beyond a queue the answer is 503 E_SERVER_BUSY.
import { request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../core/api/errors.js';
import { Gate, startServer, type RunningServer } from '../../core/api/transports/http-server.js';

interface Reply { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function send(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** A service whose layers.features answers only when the test says so (no timing involved). */
function stubService() {
  const pending: Array<() => void> = [];
  const started: Array<() => void> = [];
  let calls = 0;
  return {
    pending, calls: () => calls,
    nextStart: () => new Promise<void>((r) => started.push(r)),
    service: {
      onProgress: () => () => {},
      call: async (method: string): Promise<Result<unknown>> => {
        calls++;
        started.shift()?.();
        if (method === 'layers.features') await new Promise<void>((r) => pending.push(r));
        return { ok: true, value: { method } };
      },
    },
  };
}

const servers: RunningServer[] = [];
afterAll(async () => { for (const s of servers) await s.close(); });

describe('one-time sign-in link', () => {
  it('sets the token as an HttpOnly SameSite=Strict cookie once, then the cookie authorises calls', async () => {
    const stub = stubService();
    const srv = await startServer({ service: stub.service as never });
    servers.push(srv);
    const login = srv.loginUrl('project=%2Ftmp%2Fp.gpkg');
    expect(login).not.toContain(srv.token);
    const path = login.slice(login.indexOf('/login'));
    const r = await send(srv.port, { path });
    expect(r.status).toBe(303);
    expect(r.headers.location).toBe('/?project=%2Ftmp%2Fp.gpkg');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain(`ekimae_token=${srv.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const again = await send(srv.port, { path });
    expect(again.status).toBe(403);
    expect(JSON.parse(again.body).error.code).toBe('E_FORBIDDEN');

    const post = (headers: Record<string, string>) => send(srv.port, { method: 'POST', path: '/api/call/app.version', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await post({ cookie: `ekimae_token=${srv.token}` })).status).toBe(200);
    expect((await post({ cookie: 'ekimae_token=wrong' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    // A wrong header is not rescued by a right cookie.
    expect((await post({ cookie: `ekimae_token=${srv.token}`, 'x-ekimae-token': 'wrong' })).status).toBe(403);
    // Still refused from a foreign Origin, cookie or not.
    expect((await post({ cookie: `ekimae_token=${srv.token}`, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('an unknown code is refused', async () => {
    const srv = await startServer({ service: stubService().service as never });
    servers.push(srv);
    expect((await send(srv.port, { path: '/login?code=00' })).status).toBe(403);
    expect((await send(srv.port, { path: '/login' })).status).toBe(403);
  });
});

describe('heavy reads are capped', () => {
  it('Gate: admits max, queues up to queue, refuses beyond; a release admits the next in order', async () => {
    const g = new Gate(2, 1);
    const a = await g.enter()!;
    await g.enter()!;
    const third = g.enter()!;
    expect(g.enter()).toBe(null);
    expect([g.active, g.queued]).toEqual([2, 1]);
    a();
    a(); // a second release of the same slot changes nothing
    await third;
    expect([g.active, g.queued]).toEqual([2, 0]);
  });

  it('with 1 slot and no queue, a second layers.features while one runs is 503 E_SERVER_BUSY; light calls still pass; the slot frees when the answer is sent', async () => {
    const stub = stubService();
    const srv = await startServer({ service: stub.service as never, maxHeavy: 1, maxQueued: 0 });
    servers.push(srv);
    const post = (method: string) => send(srv.port, { method: 'POST', path: `/api/call/${method}`, headers: { 'content-type': 'application/json', 'x-ekimae-token': srv.token }, body: '{}' });
    const started = stub.nextStart();
    const first = post('layers.features');
    await started;
    const second = await post('layers.features');
    expect(second.status).toBe(503);
    expect(JSON.parse(second.body).error.code).toBe('E_SERVER_BUSY');
    expect((await post('app.version')).status).toBe(200);
    stub.pending.shift()!();
    expect((await first).status).toBe(200);
    const startedAgain = stub.nextStart();
    const third = post('layers.features');
    await startedAgain;
    stub.pending.shift()!();
    expect((await third).status).toBe(200);
  });
});
