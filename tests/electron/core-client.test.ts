// The main process's handle on the core host when the host dies: the new host starts on the last
// project, and an open review (a read-only plan package) is reopened before any other call reaches
// it, so the window carries on without a reload. First with a scripted fake host, then end to end
// with real services standing in for the utility processes and a real signed package.
import { EventEmitter } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { serveMessages } from '../../core/api/transports/message-host.js';
import { openStartupProject } from '../../core/api/transports/startup-project.js';
import { REPORT_PAGE } from '../../core/report/render.js';
import { CoreClient, type CoreHostOptions } from '../../electron/core-client.js';
import { tmpDir } from '../helpers/tmp.js';
import { requireToolOrSkip } from '../helpers/tools.js';
import { FakeUtilityProcess } from './electron-mock.js';

const tick = () => new Promise((r) => setImmediate(r));

function withFakeHosts(project: string | null = '/data/start.gpkg') {
  const forks: FakeUtilityProcess[] = [];
  const core = new CoreClient({
    fork: ((modulePath: string, args: string[], options: { env: Record<string, string | undefined> }) => {
      const p = new FakeUtilityProcess(modulePath, args, options);
      forks.push(p);
      return p;
    }) as unknown as CoreHostOptions['fork'],
    hostScript: '/app/dist/electron/core-host.cjs', sqliteBinding: '/app/addon.node', project, onProgress: () => {}, print: async () => ({}),
  });
  const last = () => forks.at(-1)!;
  const calls = (child = last()) => child.posted.map((m) => (m as { method: string }).method);
  const answer = (result: unknown, child = last()) => {
    const m = child.posted.at(-1) as { id: number };
    child.emit('message', { type: 'result', id: m.id, result });
  };
  /** Calls the core and answers at once with `value` (ok) or `error`. */
  const done = async (method: string, input: unknown, result: unknown) => {
    const p = core.call(method, input);
    await tick();
    answer(result);
    return p;
  };
  return { core, forks, last, calls, answer, done };
}

const opened = { ok: true, value: { package: '/pkgs/plan.zip', reviewFile: '/pkgs/plan.review.gpkg', keyId: '0123456789abcdef' } };

describe('core host restart (scripted host)', () => {
  it('reopens the open review first, with its package, review file and trusted key; other calls wait for it', async () => {
    const h = withFakeHosts();
    await h.done('review.open', { package: 'plan.zip', trustedKeyId: '0123456789abcdef' }, opened);
    h.last().emit('exit', 1);
    expect(h.forks).toHaveLength(2);
    expect(h.last().args).toEqual(['--project=/data/start.gpkg']);
    expect(h.last().options.env).toMatchObject({ EKIMAE_SQLITE_BINDING: '/app/addon.node', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' });
    expect(h.last().posted).toEqual([{ type: 'call', id: expect.any(Number), method: 'review.open', input: { package: '/pkgs/plan.zip', reviewFile: '/pkgs/plan.review.gpkg', trustedKeyId: '0123456789abcdef' } }]);

    const list = h.core.call('review.list', {});
    await tick();
    expect(h.calls()).toEqual(['review.open']);
    h.answer(opened);
    await tick();
    expect(h.calls()).toEqual(['review.open', 'review.list']);
    h.answer({ ok: true, value: [] });
    expect(await list).toEqual({ ok: true, value: [] });
  });

  it('does not reopen a review that was closed, nor one ended by opening another project', async () => {
    const h = withFakeHosts();
    await h.done('review.open', { package: 'plan.zip' }, opened);
    await h.done('review.close', {}, { ok: true, value: { closed: true } });
    h.last().emit('exit', 1);
    expect(h.last().posted).toEqual([]);

    await h.done('review.open', { package: 'plan.zip' }, opened);
    await h.done('project.open', { path: '/data/other.gpkg' }, { ok: true, value: { path: '/data/other.gpkg' } });
    h.last().emit('exit', 1);
    expect(h.last().args).toEqual(['--project=/data/other.gpkg']);
    expect(h.last().posted).toEqual([]);
  });

  it('a failed review.open keeps the review that was open', async () => {
    const h = withFakeHosts();
    await h.done('review.open', { package: 'plan.zip' }, opened);
    await h.done('review.open', { package: 'forged.zip' }, { ok: false, error: { code: 'E_PACKAGE_INVALID', message: 'forged' } });
    h.last().emit('exit', 1);
    expect((h.last().posted[0] as { input: unknown }).input).toEqual({ package: '/pkgs/plan.zip', reviewFile: '/pkgs/plan.review.gpkg' });
  });

  it('when the review cannot be reopened, says so, lets calls through and does not try again', async () => {
    const h = withFakeHosts();
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await h.done('review.open', { package: 'plan.zip' }, opened);
      h.last().emit('exit', 1);
      const info = h.core.call('project.info', {});
      h.answer({ ok: false, error: { code: 'E_FILE_NOT_FOUND', message: '/pkgs/plan.zip does not exist' } });
      await tick();
      expect(h.calls()).toEqual(['review.open', 'project.info']);
      h.answer({ ok: true, value: { path: '/data/start.gpkg' } });
      expect(await info).toMatchObject({ ok: true });
      expect(log).toHaveBeenCalledWith(expect.stringContaining('could not reopen the review of /pkgs/plan.zip'));
      h.last().emit('exit', 1);
      expect(h.last().posted).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });

  it('a host that dies while reopening the review fails the waiting calls and tries again on the next host', async () => {
    const h = withFakeHosts();
    await h.done('review.open', { package: 'plan.zip' }, opened);
    h.last().emit('exit', 1);
    const info = h.core.call('project.info', {});
    h.last().emit('exit', 1);
    expect(h.forks).toHaveLength(3);
    expect(h.calls()).toEqual(['review.open']);
    h.answer(opened);
    await tick();
    h.answer({ ok: true, value: { path: '/tmp/ekimae-review-x/package/plan.gpkg' } });
    expect(await info).toMatchObject({ ok: true });
    // The review is still the one to reopen: the host that died mid-reopen did not make it forget.
    h.last().emit('exit', 1);
    expect(h.calls()).toEqual(['review.open']);
  });
});

/** A utility process stand-in running a real EkimaeService in this process, messages structured-cloned. */
class InProcessHost extends EventEmitter {
  readonly service = new EkimaeService();
  private host;
  constructor(readonly args: string[]) {
    super();
    const project = args.find((a) => a.startsWith('--project='))?.slice('--project='.length);
    const ready = project ? openStartupProject(this.service, project) : Promise.resolve();
    this.host = serveMessages(this.service, (m) => setImmediate(() => this.emit('message', structuredClone(m))), ready);
  }
  postMessage(m: unknown) {
    setImmediate(() => this.host.receive(structuredClone(m)));
  }
  crash() {
    this.service.close();
    this.emit('exit', 1);
  }
  kill() {
    this.service.close();
    return true;
  }
}

const canPackage = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

describe.skipIf(!canPackage)('core host restart with a real review', () => {
  const dir = tmpDir('ekimae-core-client-');
  const hosts: InProcessHost[] = [];
  const plan = join(dir, 'plan.gpkg');
  let core: CoreClient;
  let zip: string;
  const home = process.env.EKIMAE_HOME;

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    core = new CoreClient({
      fork: ((_m: string, args: string[]) => {
        const h = new InProcessHost(args);
        hosts.push(h);
        return h;
      }) as unknown as CoreHostOptions['fork'],
      hostScript: 'core-host.cjs', sqliteBinding: 'unused', project: plan, onProgress: () => {},
      print: async () => { throw new Error('in-process hosts print with Chromium themselves'); },
    });
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.532, 13.8], [100.532, 13.802], [100.53, 13.802], [100.53, 13.8]]] } },
    ] }));
    const imported = await core.call('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    expect(imported.ok).toBe(true);
    const pkg = await core.call('package.create', { out: join(dir, 'pkg'), zip: true });
    if (!pkg.ok) throw new Error(pkg.error.message);
    zip = (pkg.value as { path: string }).path;
  }, 120_000);

  afterAll(() => {
    core.stop();
    if (home === undefined) delete process.env.EKIMAE_HOME;
    else process.env.EKIMAE_HOME = home;
  });

  it('the restarted host has the same review open, read-only, with the comments made before', async () => {
    const r = await core.call('review.open', { package: zip });
    expect(r.ok).toBe(true);
    const added = await core.call('review.addComment', { text: 'Too tall next to the school', author: 'Council', lon: 100.531, lat: 13.801 });
    expect(added.ok).toBe(true);

    hosts.at(-1)!.crash();
    expect(hosts).toHaveLength(2);
    const list = await core.call('review.list', {});
    expect(list).toMatchObject({ ok: true, value: [{ text: 'Too tall next to the school', author: 'Council', currentPackage: true }] });
    const info = await core.call('project.info', {});
    expect(info.ok && (info.value as { path: string }).path).not.toBe(plan);
    const write = await core.call('layers.remove', { layer: 'parcels' });
    expect(write).toMatchObject({ ok: false, error: { code: 'E_PROJECT_READONLY' } });
  });

  it('after the review is closed, a restarted host is back on the project', async () => {
    expect(await core.call('review.close', {})).toMatchObject({ ok: true, value: { closed: true } });
    hosts.at(-1)!.crash();
    expect(await core.call('review.list', {})).toMatchObject({ ok: false, error: { code: 'E_PROJECT_NOT_OPEN' } });
    expect(await core.call('project.info', {})).toMatchObject({ ok: true, value: { path: plan } });
  });
});
