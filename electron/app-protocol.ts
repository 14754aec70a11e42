/**
 * The renderer is served from app://ekimae/ rather than file://, so it has a real origin for the CSP
 * and the sender check, and cannot read any other file on disk: requests resolve strictly inside
 * dist/renderer (the same resolver as the browser-mode server).
 */
import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { SECURITY_HEADERS } from '../core/api/transports/csp.js';
import { contentTypeOf, resolveStaticFile } from '../core/api/transports/static-files.js';
import { APP_HOST, APP_SCHEME } from './security.js';

/** Must run before app 'ready'. */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

export async function respondFromRenderer(rendererDir: string, requestUrl: string): Promise<Response> {
  const url = new URL(requestUrl);
  const file = url.host === APP_HOST ? resolveStaticFile(rendererDir, url.pathname) : null;
  if (!file) return new Response('Not found', { status: 404, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain' } });
  return new Response(await readFile(file), { status: 200, headers: { ...SECURITY_HEADERS, 'content-type': contentTypeOf(file) } });
}

export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => respondFromRenderer(rendererDir, request.url));
}
