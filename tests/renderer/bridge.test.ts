// The browser-mode bridge against the real browser-mode server (Node's fetch stands in for the
// page's): the token travels in the header, errors come back as data with their stable code, an
// upload lands where layers.preview can read it, and a dead server is a transport error, not a throw.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { startServer, type RunningServer } from '../../core/api/transports/http-server.js';
import { httpBridge } from '../../renderer/api/bridge.js';
import { makeClient, UiError } from '../../renderer/api/client.js';
import { tmpDir } from '../helpers/tmp.js';

describe('httpBridge', () => {
  const dir = tmpDir('ekimae-bridge-');
  const service = new EkimaeService();
  let server: RunningServer;
  let origin: string;

  beforeAll(async () => {
    server = await startServer({ service, uploadParent: dir });
    origin = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    service.close();
  });

  it('calls a method with the token from the page URL', async () => {
    const b = httpBridge({ origin, search: `?token=${server.token}` });
    const r = await b.call('app.version', {});
    expect(r.ok).toBe(true);
    expect((r as { value: { exportFormats: string[] } }).value.exportFormats).toContain('gpkg');
  });

  it('returns the stable code of a refused call, and the client throws it as UiError', async () => {
    const wrong = await httpBridge({ origin, search: '?token=nope' }).call('app.version', {});
    expect(wrong).toMatchObject({ ok: false, error: { code: 'E_FORBIDDEN' } });
    const client = makeClient(httpBridge({ origin, search: `?token=${server.token}` }));
    const err = await client.call('project.info', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UiError);
    expect((err as UiError).code).toBe('E_PROJECT_NOT_OPEN');
  });

  it('uploads a file that the core can then preview', async () => {
    const b = httpBridge({ origin, search: `?token=${server.token}` });
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'A' }, geometry: { type: 'Point', coordinates: [100.5, 13.8] } }] });
    const up = await b.upload(new File([text], 'stations.geojson'), 'batch1');
    expect(up.ok).toBe(true);
    const path = (up as { value: { path: string } }).value.path;
    const pre = await makeClient(b).call('layers.preview', { path });
    expect(pre.layers[0]!.count).toBe(1);
    expect(pre.layers[0]!.geometryType).toBe('POINT');
  });

  it('reports a stopped server as E_TRANSPORT instead of throwing', async () => {
    const r = await httpBridge({ origin: 'http://127.0.0.1:9', search: '?token=x' }).call('app.version', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'E_TRANSPORT' } });
  });

  it('tells job listeners when a call with a jobId settles, failed or not', async () => {
    const client = makeClient(httpBridge({ origin, search: `?token=${server.token}` }));
    const ended: string[] = [];
    client.onJobEnd((id) => ended.push(id));
    await client.call('layers.preview', { path: `${dir}/missing.geojson`, jobId: 'job-1' }).catch(() => undefined);
    expect(ended).toEqual(['job-1']);
  });
});
