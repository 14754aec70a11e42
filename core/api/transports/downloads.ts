/**
 * Browser mode's save dialog: the core writes an export into a private folder of this server, and the
 * browser fetches the result once from GET /api/download/<token>. The client names the method, its input
 * without the output location, and a file name to suggest; the server alone picks where the core writes
 * (a fresh folder per request, fixed inner names), so no path from the client reaches the filesystem.
 *
 * A token is 32 random bytes: the only handle on a file, usable once, gone after the TTL. The GET carries
 * no page token (a download link cannot send headers, and a page token in the link would sit in the
 * browser's download history), so the download token is the capability; it is handed out only to a
 * caller that showed the page token.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../../store/temp-dirs.js';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { z } from 'zod';
import { EkimaeError, type Result } from '../../errors.js';
import type { Input, MethodName, Output } from '../contract.js';
import type { EkimaeService } from '../service.js';

/** What the core writes is always named this inside its request folder; the user's name goes on the download. */
const INNER = 'out';

interface DownloadSpec<M extends MethodName> {
  /** Input keys the server sets; a client that sends one is refused. */
  placed: readonly (keyof Input<M> & string)[];
  place(input: Record<string, unknown>, dir: string): Input<M>;
}

const EXT_BY_FORMAT: Record<string, string> = { gpkg: 'gpkg', geojson: 'geojson', csv: 'csv', shapefile: 'zip' };
const extOf = (input: Record<string, unknown>) => EXT_BY_FORMAT[String(input.format)] ?? 'bin';

/** The methods that can end in a download, and where each is told to write. */
export const DOWNLOADS = {
  'review.export': {
    placed: ['path', 'overwrite'],
    place: (input, dir) => ({ ...input, path: join(dir, `${INNER}.${extOf(input)}`) }) as Input<'review.export'>,
  } satisfies DownloadSpec<'review.export'>,
  'layers.export': {
    placed: ['path', 'overwrite'],
    place: (input, dir) => ({ ...input, path: join(dir, `${INNER}.${extOf(input)}`) }) as Input<'layers.export'>,
  } satisfies DownloadSpec<'layers.export'>,
  'report.generate': {
    placed: ['outDir', 'name'],
    place: (input, dir) => ({ ...input, outDir: dir, name: INNER }) as Input<'report.generate'>,
  } satisfies DownloadSpec<'report.generate'>,
  'package.create': {
    placed: ['out', 'zip'],
    place: (input, dir) => ({ ...input, out: join(dir, `${INNER}.zip`), zip: true }) as Input<'package.create'>,
  } satisfies DownloadSpec<'package.create'>,
};

export type DownloadMethod = keyof typeof DOWNLOADS;
/** A download method's input without the keys the server places. */
export type DownloadInput<M extends DownloadMethod> = Omit<Input<M>, (typeof DOWNLOADS)[M]['placed'][number]>;
export interface DownloadTicket<M extends DownloadMethod = DownloadMethod> {
  /** Same-origin URL of the file: GET it once, before expiresAt. */
  url: string;
  fileName: string;
  bytes: number;
  expiresAt: string;
  /** The method's own answer (its paths are inside the server's private folder). */
  result: Output<M>;
}

export const DownloadRequestSchema = z.object({
  method: z.enum(Object.keys(DOWNLOADS) as [DownloadMethod, ...DownloadMethod[]]),
  input: z.record(z.string(), z.unknown()),
  fileName: z.string().min(1).max(200),
}).strict();

export const DOWNLOAD_TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const KNOWN_EXT = /\.(gpkg|geojson|json|csv|zip|pdf|html?)$/i;

/**
 * The user's suggested name without a known extension (the format decides it). It only labels the
 * download (the core writes under a fixed name), so it keeps everything but separators, control
 * characters and what Windows forbids in a file name.
 */
export function downloadStem(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop()!.normalize('NFC').replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, '_').replace(KNOWN_EXT, '');
  return [...base.replace(/^[.\s]+|[.\s]+$/g, '')].slice(0, 120).join('') || 'download';
}

/** `attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266 / 8187). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

const TYPES: Record<string, string> = {
  gpkg: 'application/geopackage+sqlite3', geojson: 'application/geo+json', csv: 'text/csv; charset=utf-8',
  zip: 'application/zip', pdf: 'application/pdf',
};
/** HTML goes out as bytes: a download must never be something the page's origin renders. */
export const downloadContentType = (name: string): string => TYPES[name.slice(name.lastIndexOf('.') + 1).toLowerCase()] ?? 'application/octet-stream';

export interface PendingDownload { file: string; name: string; bytes: number; dir: string }

interface Entry extends PendingDownload { timer: NodeJS.Timeout }

export class DownloadStore {
  readonly dir: string;
  private readonly pending = new Map<string, Entry>();

  constructor(parent = tmpdir(), private readonly ttlMs = 10 * 60_000, private readonly maxPending = 32) {
    this.dir = makeTempDir('downloads', parent);
  }

  /** Runs `method` writing into a fresh folder and holds its file (several files: one zip) for one download. */
  async prepare<M extends DownloadMethod>(service: Pick<EkimaeService, 'call'>, method: M, input: Record<string, unknown>, fileName: string): Promise<Result<DownloadTicket<M>>> {
    const spec: { placed: readonly string[]; place(input: Record<string, unknown>, dir: string): unknown } = DOWNLOADS[method];
    const given = spec.placed.filter((k) => k in input);
    if (given.length) {
      throw new EkimaeError('E_INPUT_INVALID', `${method} as a download: ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} chosen by the server, not the client`);
    }
    const work = mkdtempSync(join(this.dir, 'job-'));
    try {
      const r = await service.call(method, spec.place(input, work));
      if (!r.ok) {
        rmSync(work, { recursive: true, force: true });
        return r;
      }
      const stem = downloadStem(fileName);
      const made = readdirSync(work).filter((f) => !f.startsWith('.') && statSync(join(work, f)).isFile()).sort();
      if (made.length === 0) throw new EkimaeError('E_EXPORT_FAILED', `${method} wrote no file to download`);
      const named = made.map((f) => ({ file: join(work, f), name: f.startsWith(INNER) ? `${stem}${f.slice(INNER.length)}` : f }));
      let one = named[0]!;
      if (named.length > 1) {
        // A report's PDF and HTML, or a CSV with its sidecars: one download, because browsers ask before a second.
        const zipPath = join(work, '.bundle.zip');
        writeFileSync(zipPath, zipSync(Object.fromEntries(named.map((n) => [n.name, readFileSync(n.file)])), { level: 6 }));
        one = { file: zipPath, name: `${stem}.zip` };
      }
      const bytes = statSync(one.file).size;
      const token = this.issue({ file: one.file, name: one.name, bytes, dir: work });
      return { ok: true, value: { url: `/api/download/${token}`, fileName: one.name, bytes, expiresAt: new Date(Date.now() + this.ttlMs).toISOString(), result: r.value as Output<M> } };
    } catch (e) {
      rmSync(work, { recursive: true, force: true });
      throw e;
    }
  }

  private issue(d: PendingDownload): string {
    while (this.pending.size >= this.maxPending) this.drop(this.pending.keys().next().value!);
    const token = randomBytes(32).toString('base64url');
    const timer = setTimeout(() => this.drop(token), this.ttlMs);
    timer.unref();
    this.pending.set(token, { ...d, timer });
    return token;
  }

  /** The download behind `token`, which stops being valid now; the caller streams it, then calls finish(). */
  take(token: string): PendingDownload | null {
    if (!DOWNLOAD_TOKEN_RE.test(token)) return null;
    const e = this.pending.get(token);
    if (!e) return null;
    clearTimeout(e.timer);
    this.pending.delete(token);
    return { file: e.file, name: e.name, bytes: e.bytes, dir: e.dir };
  }

  finish(d: PendingDownload): void {
    rmSync(d.dir, { recursive: true, force: true });
  }

  get size(): number {
    return this.pending.size;
  }

  private drop(token: string): void {
    const e = this.pending.get(token);
    if (!e) return;
    clearTimeout(e.timer);
    this.pending.delete(token);
    this.finish(e);
  }

  dispose(): void {
    for (const e of this.pending.values()) clearTimeout(e.timer);
    this.pending.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Reads a download request's JSON body: which method, its input, the suggested name. */
export function parseDownloadRequest(body: unknown): z.infer<typeof DownloadRequestSchema> {
  const r = DownloadRequestSchema.safeParse(body);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new EkimaeError('E_INPUT_INVALID', `download request: ${where}${issue?.message ?? 'invalid'} (methods: ${Object.keys(DOWNLOADS).join(', ')})`);
  }
  return r.data;
}
