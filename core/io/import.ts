/** Read a file of any supported format into clean layers, without touching any project. */
import { createHash } from 'node:crypto';
import { EkimaeError } from '../api/errors.js';
import { detectFormat, parserFor, type ImportFormat } from './formats.js';
import { normalizeLayer } from './normalize.js';
import { readSource, type SourceFile } from './source.js';
import type { ImportedLayer, ImportOptions } from './types.js';

export interface ReadResult {
  format: ImportFormat;
  sha256: string;
  layers: ImportedLayer[];
}

export function readLayersFrom(src: SourceFile, opts: ImportOptions = {}): ReadResult {
  const format = detectFormat(src);
  const sha256 = createHash('sha256').update(src.bytes).digest('hex');
  let raws;
  try {
    raws = parserFor(format, src.name)(src, opts);
  } catch (e) {
    if (e instanceof EkimaeError) throw e;
    // Parsers throw plain errors on input no GIS would write; the user needs the file name and a code.
    throw new EkimaeError('E_FORMAT_INVALID', `${src.name} could not be read as ${format}: ${(e as Error).message}`, { file: src.name, format });
  }
  const layers = raws.map((r) => normalizeLayer(r, opts));
  return { format, sha256, layers };
}

export function readLayersFromFile(path: string, opts: ImportOptions = {}): ReadResult {
  return readLayersFrom(readSource(path), opts);
}
