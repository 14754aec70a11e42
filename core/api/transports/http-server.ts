/**
 * Browser mode: the core behind a loopback-only HTTP server, so the built renderer runs in any browser
 * (end-to-end tests here, a reviewer who cannot install software). Protocol in docs/DESKTOP.md.
 *
 * Trust model: the server listens on 127.0.0.1 only, and every /api request must carry the random
 * token: in the header x-ekimae-token (the SSE stream may take it in the query, EventSource cannot
 * send headers), or in the HttpOnly SameSite=Strict cookie set by the one-time sign-in link the browser
 * is started with (loginUrl), so the token itself never appears on a command line. The Host header must name 127.0.0.1 or localhost at our port, so a
 * web page that rebinds its own DNS name to 127.0.0.1 gets nothing, and a foreign Origin is refused.
 * Every /api response body is a JSON Result ({ok:true,value} | {ok:false,error}), whatever its status,
 * except a successful GET /api/download/<token>: the file an export wrote for the browser (downloads.ts),
 * and a successful answer of a `binary` method (layers.columns): application/octet-stream (binary-body.ts).
 */
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { EkimaeError, toErrorData, type ErrorCode, type Result } from '../../errors.js';
import { CONTRACT, isMethodName, type ProgressEvent } from '../contract.js';
import type { EkimaeService } from '../service.js';
import { SECURITY_HEADERS } from './csp.js';
import { contentTypeOf, resolveStaticFile } from './static-files.js';
import { UploadStore } from './uploads.js';
import { contentDisposition, downloadContentType, DownloadStore, parseDownloadRequest } from './downloads.js';
import type { BrowserPathPolicy } from './browser-paths.js';
import { BINARY_CONTENT_TYPE, encodeBinaryBody } from './binary-body.js';

export const LOOPBACK = '127.0.0.1';

export interface ServerOptions {
  service: Pick<EkimaeService, 'call' | 'onProgress'>;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer); without it only /api is served. */
  staticDir?: string;
  /** Largest JSON body of a call. */
  maxBodyBytes?: number;
  /** Largest single uploaded file. */
  maxUploadBytes?: number;
  /** Parent of the per-server upload directory (default: the OS temp dir). */
  uploadParent?: string;
  /** Parent of the per-server downloads directory (default: uploadParent, else the OS temp dir). */
  downloadParent?: string;
  /** How long a prepared download waits for its one GET (default 10 minutes). */
  downloadTtlMs?: number;
  /** Fixed token (tests); default 32 random bytes in hex. */
  token?: string;
  /**
   * Heavy reads (bulk methods such as layers.features, and download preparation) running at once;
   * more wait in a queue of `maxQueued`, beyond which the answer is 503 E_SERVER_BUSY. A slot is held
   * until the response has been handed to the socket, so 200 clients reading slowly cannot make the
   * server hold 200 large bodies (4.3 GB before this).
   */
  maxHeavy?: number;
  maxQueued?: number;
  /**
   * Which paths a page may name (browser-paths.ts); the server's upload and download folders are added
   * to it. Without one every path is passed on (tests of the transport itself).
   */
  pathPolicy?: BrowserPathPolicy;
}

export interface RunningServer {
  /** The app with the token in its query (tests and API clients; the token is visible wherever the URL is). */
  url: string;
  token: string;
  /**
   * A URL that works once, within a minute: opening it sets the token as an HttpOnly, SameSite=Strict
   * cookie and redirects to the app. What a browser is started with, so the long-lived token never
   * appears on a command line other local users can read. `query` is kept on the app URL (project=…).
   */
  loginUrl(query?: string): string;
  port: number;
  uploadDir: string;
  downloadDir: string;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

class HttpError extends EkimaeError {
  constructor(readonly status: number, code: ErrorCode, message: string) {
    super(code, message);
  }
}

function sameToken(given: string | null | undefined, token: Buffer): boolean {
  const g = Buffer.from(typeof given === 'string' ? given : '', 'utf8');
  // Compare equal lengths only, so the comparison time never depends on where they differ.
  if (g.length !== token.length) {
    timingSafeEqual(token, token);
    return false;
  }
  return timingSafeEqual(g, token);
}

function sendJson(res: ServerResponse, status: number, body: Result<unknown>, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** A binary method's successful answer (binary-body.ts); its errors go as JSON like any other. */
function sendBinary(res: ServerResponse, value: unknown): void {
  const { chunks, bytes } = encodeBinaryBody(value);
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': BINARY_CONTENT_TYPE, 'cache-control': 'no-store', 'content-length': bytes });
  for (const c of chunks) res.write(c);
  res.end();
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new HttpError(413, 'E_FILE_TOO_LARGE', `request body of ${declared} bytes exceeds the limit of ${limit}`));
  }
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.pause();
        reject(new HttpError(413, 'E_FILE_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** At most `max` holders at once; up to `queue` more wait in order; beyond that, refuse. */
export class Gate {
  private running = 0;
  private waiting: Array<() => void> = [];
  constructor(readonly max: number, readonly queue: number) {}
  get active(): number { return this.running; }
  get queued(): number { return this.waiting.length; }
  /** Resolves with a release function once admitted; null when the queue is full. */
  enter(): Promise<() => void> | null {
    const release = () => {
      const next = this.waiting.shift();
      if (next) next(); else this.running--;
    };
    if (this.running < this.max) { this.running++; return Promise.resolve(once(release)); }
    if (this.waiting.length >= this.queue) return null;
    return new Promise((r) => this.waiting.push(() => r(once(release))));
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => { if (!done) { done = true; f(); } };
}

const COOKIE = 'ekimae_token';
const LOGIN_TTL_MS = 60_000;

function cookieToken(req: IncomingMessage): string | null {
  for (const part of String(req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === COOKIE) return part.slice(i + 1).trim();
  }
  return null;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { service, staticDir } = opts;
  const maxBody = opts.maxBodyBytes ?? 64 * MiB;
  const maxUpload = opts.maxUploadBytes ?? 2048 * MiB;
  const tokenText = opts.token ?? randomBytes(32).toString('hex');
  const token = Buffer.from(tokenText, 'utf8');
  const uploads = new UploadStore(opts.uploadParent);
  const downloads = new DownloadStore(opts.downloadParent ?? opts.uploadParent, opts.downloadTtlMs);
  const paths = opts.pathPolicy;
  paths?.addRoot(uploads.dir);
  paths?.addRoot(downloads.dir);
  const streams = new Set<ServerResponse>();
  const heavy = new Gate(opts.maxHeavy ?? 4, opts.maxQueued ?? 256);
  const logins = new Map<string, number>();
  let port = 0;

  /** The token in the x-ekimae-token header, else (a page opened through loginUrl) in the cookie. */
  const authorised = (req: IncomingMessage, query?: string | null) =>
    sameToken((req.headers['x-ekimae-token'] as string | undefined) || query || cookieToken(req), token);

  /** Hold a heavy-read slot until the response is gone; 503 when too many wait already. */
  async function admitHeavy(res: ServerResponse): Promise<void> {
    const entered = heavy.enter();
    if (!entered) throw new HttpError(503, 'E_SERVER_BUSY', `${heavy.active} large requests are running and ${heavy.queued} waiting; try again shortly`);
    const release = await entered;
    res.once('close', release);
    res.once('finish', release);
  }

  const allowedHosts = () => new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!authorised(req, url.searchParams.get('token'))) {
        throw new HttpError(403, 'E_FORBIDDEN', 'missing or wrong token');
      }
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      const off = service.onProgress((e: ProgressEvent) => res.write(`data: ${JSON.stringify(e)}\n\n`));
      // Proxies and browsers drop silent connections; a comment line every 15 s keeps it open.
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      res.on('close', () => {
        off();
        clearInterval(ping);
        streams.delete(res);
      });
      return;
    }
    if (url.pathname.startsWith('/api/download/')) {
      serveDownload(req, res, url.pathname.slice('/api/download/'.length));
      return;
    }
    if (!authorised(req)) {
      throw new HttpError(403, 'E_FORBIDDEN', 'missing or wrong x-ekimae-token header');
    }
    if (req.method !== 'POST') throw new HttpError(405, 'E_INPUT_INVALID', `${req.method} is not allowed on ${url.pathname}; use POST`);

    if (url.pathname === '/api/upload') {
      const name = url.searchParams.get('name');
      if (!name) throw new HttpError(400, 'E_INPUT_INVALID', 'upload needs ?name=<file name>');
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxUpload) {
        throw new HttpError(413, 'E_FILE_TOO_LARGE', `upload of ${declared} bytes exceeds the limit of ${maxUpload}`);
      }
      const path = await uploads.save(req, name, url.searchParams.get('batch'), maxUpload);
      sendJson(res, 200, { ok: true, value: { path } });
      return;
    }

    if (url.pathname === '/api/download') {
      const { method, input, fileName } = parseDownloadRequest(await readJson(req, 'download request'));
      const refused = paths?.check(method, input);
      if (refused) {
        sendJson(res, 200, { ok: false, error: refused });
        return;
      }
      await admitHeavy(res);
      sendJson(res, 200, await downloads.prepare(service, method, input, fileName));
      return;
    }

    const prefix = '/api/call/';
    if (!url.pathname.startsWith(prefix)) throw new HttpError(404, 'E_METHOD_UNKNOWN', `no API endpoint ${url.pathname.slice(0, 100)}`);
    let method: string;
    try {
      method = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      throw new HttpError(400, 'E_INPUT_INVALID', 'method name is not valid percent-encoding');
    }
    if (!isMethodName(method)) throw new HttpError(404, 'E_METHOD_UNKNOWN', `no method "${method.slice(0, 80)}"`);
    const input = await readJson(req, method);
    const refused = paths?.check(method, input);
    if (refused) {
      sendJson(res, 200, { ok: false, error: refused });
      return;
    }
    const def = CONTRACT[method];
    if ('bulk' in def && def.bulk) await admitHeavy(res);
    const result = await service.call(method, input);
    if ('binary' in def && def.binary && result.ok) sendBinary(res, result.value);
    else sendJson(res, 200, result);
  }

  async function readJson(req: IncomingMessage, what: string): Promise<unknown> {
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new HttpError(415, 'E_INPUT_INVALID', 'request body must be application/json');
    const body = await readBody(req, maxBody);
    try {
      return body.length === 0 ? undefined : JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'E_INPUT_INVALID', `${what}: request body is not valid JSON`);
    }
  }

  /** One GET per token; the file and its folder are deleted once sent (or the transfer broke off). */
  function serveDownload(req: IncomingMessage, res: ServerResponse, tokenPart: string): void {
    if (req.method !== 'GET') throw new HttpError(405, 'E_INPUT_INVALID', `${req.method} is not allowed on a download; use GET`);
    // A link on another site cannot know a token, but browsers say where a request came from: refuse all but our own pages.
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') throw new HttpError(403, 'E_FORBIDDEN', 'downloads are only handed to the app\'s own pages');
    const d = downloads.take(tokenPart);
    if (!d) throw new HttpError(404, 'E_FILE_NOT_FOUND', 'no such download: the link was already used, has expired, or never existed');
    const stream = createReadStream(d.file);
    stream.once('error', () => res.destroy());
    res.once('close', () => {
      stream.destroy();
      downloads.finish(d);
    });
    res.writeHead(200, {
      ...SECURITY_HEADERS, 'content-type': downloadContentType(d.name), 'content-length': d.bytes,
      'content-disposition': contentDisposition(d.name), 'cache-control': 'no-store',
    });
    stream.pipe(res);
  }

  /** GET /login?code=…: a one-time code for the token cookie, then the app. */
  function handleLogin(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') throw new HttpError(405, 'E_INPUT_INVALID', `${req.method} is not allowed on /login`);
    const code = url.searchParams.get('code') ?? '';
    const issued = logins.get(code);
    logins.delete(code);
    if (issued === undefined || Date.now() - issued > LOGIN_TTL_MS) throw new HttpError(403, 'E_FORBIDDEN', 'this sign-in link was already used or has expired; start the app again');
    url.searchParams.delete('code');
    res.writeHead(303, {
      ...SECURITY_HEADERS, location: `/${url.search}`, 'cache-control': 'no-store',
      'set-cookie': `${COOKIE}=${tokenText}; HttpOnly; SameSite=Strict; Path=/`,
    });
    res.end();
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'E_INPUT_INVALID', `${req.method} is not allowed`);
    const file = staticDir ? resolveStaticFile(staticDir, url.pathname) : null;
    if (!file) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
      res.end(staticDir ? 'Not found\n' : 'The renderer is not built: run `npx vite build` (npm run serve does it).\n');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': contentTypeOf(file),
      // Vite fingerprints assets; index.html must always be fresh so a rebuild is picked up.
      'cache-control': file.endsWith('index.html') ? 'no-store' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    void (async () => {
      const host = String(req.headers.host ?? '').toLowerCase();
      if (!allowedHosts().has(host)) throw new HttpError(403, 'E_FORBIDDEN', 'Host header must be 127.0.0.1 or localhost at this port');
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//i, '').toLowerCase())) {
        throw new HttpError(403, 'E_FORBIDDEN', 'requests from other origins are refused');
      }
      const url = new URL(req.url ?? '/', `http://${host}`);
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) await handleApi(req, res, url);
      else if (url.pathname === '/login') handleLogin(req, res, url);
      else handleStatic(req, res, url);
    })().catch((e: unknown) => {
      const status = e instanceof HttpError ? e.status : e instanceof EkimaeError ? 400 : 500;
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A refused body may still be arriving: answer, then drop the connection rather than drain
      // gigabytes or leave a half-read request on a kept-alive socket.
      const unread = !req.complete;
      sendJson(res, status, { ok: false, error: toErrorData(e) }, unread);
      if (unread) res.on('finish', () => req.socket.destroySoon());
    });
  });
  server.requestTimeout = 0; // uploads of large files take their time; the idle socket timeout still applies

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, LOOPBACK, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${tokenText}`,
    token: tokenText,
    loginUrl: (query = '') => {
      const now = Date.now();
      for (const [c, t] of logins) if (now - t > LOGIN_TTL_MS) logins.delete(c);
      const code = randomBytes(16).toString('hex');
      logins.set(code, now);
      return `http://${LOOPBACK}:${port}/login?code=${code}${query ? `&${query.replace(/^[?&]/, '')}` : ''}`;
    },
    port,
    uploadDir: uploads.dir,
    downloadDir: downloads.dir,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const s of streams) s.end();
        server.close(() => {
          uploads.dispose();
          downloads.dispose();
          resolvePromise();
        });
        server.closeAllConnections();
      }),
  };
}
