/**
 * The one way the UI reaches the core. In Electron the preload exposes `window.ekimae`;
 * in browser mode the same interface is built here over the loopback HTTP server.
 */
import { BinaryBodyError, decodeBinaryBody } from './binary-body.js';

export type CallResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string; details?: unknown } };

export interface BridgeProgress { jobId: string; method: string; fraction: number | null; message: string }

export interface FileFilter { name: string; extensions: string[] }

export interface EkimaeBridge {
  kind: 'electron' | 'browser';
  call(method: string, input: unknown): Promise<CallResult>;
  onProgress(cb: (e: BridgeProgress) => void): () => void;
  onMenu(cb: (action: string) => void): () => void;
  pickFile?(opts: { title: string; filters?: FileFilter[]; save?: boolean }): Promise<string | null>;
  /**
   * Browser mode's save dialog: the server runs an export method (its input without the output path)
   * into its own folder, and the browser downloads the file as `fileName` (the format sets the extension).
   * The value is the server's ticket: { url, fileName, bytes, expiresAt, result }.
   */
  download?(method: string, input: unknown, fileName: string): Promise<CallResult>;
}

declare global {
  interface Window { ekimae?: EkimaeBridge }
}

/** Hands a same-origin file URL to the browser's download manager (the server sends it as an attachment). */
export function saveByLink(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Browser mode: the token is an HttpOnly cookie the server set when the browser opened its one-time
 * sign-in link (sent by the browser itself), or, for a page opened with ?token=…, a header on every call.
 */
export function httpBridge(
  location: { search: string; origin: string },
  save: (url: string, fileName: string) => void = saveByLink,
): EkimaeBridge & { upload(file: File, batch: string): Promise<CallResult> } {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const auth: Record<string, string> = token ? { 'x-ekimae-token': token } : {};
  const headers = { 'content-type': 'application/json', ...auth };
  const progressListeners = new Set<(e: BridgeProgress) => void>();
  let source: EventSource | null = null;

  const transportError = (e: unknown): CallResult => ({
    ok: false,
    error: { code: 'E_TRANSPORT', message: e instanceof Error ? e.message : String(e) },
  });

  async function readResult(res: Response): Promise<CallResult> {
    // A binary method's answer (layers.columns): typed arrays as bytes, checked before use.
    if (res.ok && (res.headers.get('content-type') ?? '').split(';')[0].trim() === 'application/octet-stream') {
      try {
        return { ok: true, value: decodeBinaryBody(await res.arrayBuffer()) };
      } catch (e) {
        if (e instanceof BinaryBodyError) return { ok: false, error: { code: e.code, message: e.message } };
        throw e;
      }
    }
    const text = await res.text();
    try {
      const body = JSON.parse(text) as CallResult;
      if (body && typeof body === 'object' && 'ok' in body) return body;
    } catch { /* fall through: the server answered something that is not a result */ }
    return { ok: false, error: { code: 'E_TRANSPORT', message: `HTTP ${res.status}: ${text.slice(0, 200)}` } };
  }

  function ensureEvents(): void {
    if (source || typeof EventSource === 'undefined') return;
    source = new EventSource(`${location.origin}/api/events${token ? `?token=${encodeURIComponent(token)}` : ''}`);
    source.onmessage = (m) => {
      try {
        const e = JSON.parse(m.data as string) as BridgeProgress;
        for (const l of progressListeners) l(e);
      } catch { /* a keep-alive or malformed event carries no progress */ }
    };
  }

  return {
    kind: 'browser',
    async call(method, input) {
      try {
        const res = await fetch(`${location.origin}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST', headers, body: JSON.stringify(input ?? {}),
        });
        return await readResult(res);
      } catch (e) {
        return transportError(e);
      }
    },
    onProgress(cb) {
      ensureEvents();
      progressListeners.add(cb);
      return () => { progressListeners.delete(cb); };
    },
    async download(method, input, fileName) {
      try {
        const res = await fetch(`${location.origin}/api/download`, {
          method: 'POST', headers, body: JSON.stringify({ method, input: input ?? {}, fileName }),
        });
        const r = await readResult(res);
        if (r.ok) {
          const t = r.value as { url: string; fileName: string };
          save(`${location.origin}${t.url}`, t.fileName);
        }
        return r;
      } catch (e) {
        return transportError(e);
      }
    },
    // Browser mode has no native menus: the in-page toolbar and shortcuts do the same.
    onMenu() { return () => {}; },
    async upload(file, batch) {
      try {
        const res = await fetch(`${location.origin}/api/upload?name=${encodeURIComponent(file.name)}&batch=${encodeURIComponent(batch)}`, {
          method: 'POST', headers: { ...auth, 'content-type': 'application/octet-stream' }, body: file,
        });
        return await readResult(res);
      } catch (e) {
        return transportError(e);
      }
    },
  };
}

export type BrowserBridge = ReturnType<typeof httpBridge>;

export function getBridge(): EkimaeBridge | BrowserBridge {
  return window.ekimae ?? httpBridge(window.location);
}

export function isBrowserBridge(b: EkimaeBridge): b is BrowserBridge {
  return b.kind === 'browser' && 'upload' in b;
}
