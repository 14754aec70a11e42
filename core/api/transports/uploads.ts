/**
 * Where browser-mode uploads land: a private temp directory per server, one sub-directory per batch so
 * the parts of a shapefile (.shp/.shx/.dbf/.prj) uploaded one by one sit together and the importer
 * finds its siblings. Names are reduced to a safe base name; a failed or oversized upload leaves nothing.
 */
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { makeTempDir } from '../../store/temp-dirs.js';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { EkimaeError } from '../../errors.js';

const BATCH_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** A file name safe to create anywhere: letters (any script), digits, dot, dash, underscore, space. */
export function sanitizeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}._ -]/gu, '_').replace(/^[.\s]+/, '').trim().slice(0, 200);
  return cleaned === '' ? 'upload' : cleaned;
}

export class UploadStore {
  readonly dir: string;

  constructor(parent = tmpdir()) {
    this.dir = makeTempDir('uploads', parent);
  }

  /** Streams `body` to <dir>/<batch>/<name>, refusing more than maxBytes; resolves to the file's path. */
  async save(body: Readable, rawName: string, batch: string | null, maxBytes: number): Promise<string> {
    if (batch !== null && !BATCH_RE.test(batch)) {
      throw new EkimaeError('E_INPUT_INVALID', 'upload batch id must be 1-64 letters, digits, "-" or "_"');
    }
    const folder = join(this.dir, batch ?? randomBytes(8).toString('hex'));
    mkdirSync(folder, { recursive: true });
    const name = sanitizeFileName(rawName);
    const final = join(folder, name);
    const partial = join(folder, `.${name}.${randomBytes(4).toString('hex')}.part`);
    const out = createWriteStream(partial, { flags: 'wx' });
    let bytes = 0;
    try {
      await new Promise<void>((resolvePromise, reject) => {
        body.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes > maxBytes) {
            body.pause();
            reject(new EkimaeError('E_FILE_TOO_LARGE', `upload ${name} is larger than ${maxBytes} bytes`, { limit: maxBytes }));
            return;
          }
          if (!out.write(chunk)) {
            body.pause();
            out.once('drain', () => body.resume());
          }
        });
        body.on('end', () => resolvePromise());
        body.on('error', reject);
        body.on('aborted', () => reject(new EkimaeError('E_INPUT_INVALID', `upload ${name} was interrupted`)));
        out.on('error', reject);
      });
      await new Promise<void>((resolvePromise, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolvePromise())));
      renameSync(partial, final);
      return final;
    } catch (e) {
      out.destroy();
      rmSync(partial, { force: true });
      throw e;
    }
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
