/**
 * Importing a file into the open project. A GeoJSON FeatureCollection (the format large files
 * come in) is streamed in two passes over its bytes, so no more than one batch of features is
 * ever parsed at a time: pass 1 takes the layer's decisions (LayerSurvey), pass 2 normalizes each
 * batch with them fixed and writes it, all in one transaction. Between batches the import reports
 * progress and yields to the event loop, so a cancel arriving through a transport stops it (and
 * rolls it back). Every other format (Shapefile, GeoPackage, KML/KMZ, CSV, OSM, and GeoJSON that
 * is not a plain FeatureCollection) is read whole into memory as before, then written.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { EkimaeError } from '../errors.js';
import { bboxOf, emptyBBox, extendBBox, type BBox } from '../geo/geometry.js';
import type { AddLayerOptions, LayerHead, LayerInfo, Project } from '../store/project.js';
import { crsOf, geoJsonLayerName, geoJsonSource, scanFeatureCollection, type ByteSource, type ScanEvent } from './geojson.js';
import { asReadError, readLayersFromFile, type ReadResult } from './import.js';
import { detectFormat, type ImportFormat } from './formats.js';
import { buildFeature, keptGeometry, layerSource, LayerSurvey, planIssues, type LayerPlan, type RawFeature } from './normalize.js';
import { decodeUtf8Strict, looksBinary, MAX_FILE_BYTES } from './source.js';
import type { Feature, ImportedLayer, ImportIssue, ImportOptions } from './types.js';
import { EvenSample, evenSample } from './field-detect.js';

export interface ImportSteps {
  /** Report progress (0…1); throws (E_CANCELLED) when the job should stop. */
  progress(fraction: number, message: string): void;
  signal?: AbortSignal;
}

/** The last report comes after the commit: a cancel arriving then is too late and must not turn the result into an error. */
function finished<T>(steps: ImportSteps, out: T): T {
  if (!steps.signal?.aborted) steps.progress(1, 'done');
  return out;
}

/** How each layer is stored: name, title and role, decided once its fields and geometry type are known. */
export type LayerNaming = (layer: LayerHead & Pick<ImportedLayer, 'role'>, index: number, count: number) => Omit<AddLayerOptions, 'sha256'>;

export interface ImportResult {
  layers: LayerInfo[];
  issues: ImportIssue[];
}

/** Pieces pass 0 reads: big enough that reading costs nothing (1 MiB reads as fast as 4), small beside the layer's memory. */
const CHUNK = 1 << 20;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Pieces of a file read from disk as the scanner asks for them: the file is never in memory whole. */
class FileBytes implements ByteSource {
  private constructor(private fd: number, readonly size: number, readonly name: string) {}

  /** Null when the path is not a readable regular file of a size we import (readSource then says why). */
  static open(path: string): FileBytes | null {
    let fd: number;
    try { fd = openSync(path, 'r'); } catch { return null; }
    const st = fstatSync(fd);
    if (!st.isFile() || st.size === 0 || st.size > MAX_FILE_BYTES) { closeSync(fd); return null; }
    return new FileBytes(fd, st.size, basename(path));
  }

  readInto(buf: Buffer, offset: number, pos: number): number {
    const n = readSync(this.fd, buf, offset, Math.min(buf.length - offset, this.size - pos), pos);
    if (n === 0) throw new EkimaeError('E_FORMAT_INVALID', `${this.name} became shorter while it was read`, { file: this.name });
    return n;
  }

  /** The first bytes (format detection, the binary check). */
  head(n: number): Buffer {
    const buf = Buffer.alloc(Math.min(n, this.size));
    for (let got = 0; got < buf.length;) got += this.readInto(buf, got, got);
    return buf;
  }

  close(): void { closeSync(this.fd); }

  /**
   * Pass 0: the whole file's sha256, and the text checks parseGeoJson makes (not binary, valid UTF-8),
   * a piece at a time. A character cut by a piece's end is carried over and checked with the next piece.
   */
  survey(): string {
    const hash = createHash('sha256');
    if (looksBinary(this.head(4096))) throw new EkimaeError('E_FORMAT_INVALID', `${this.name} is binary data, not GeoJSON text`, { file: this.name });
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, this.size) + 3);
    let carry = 0;
    for (let pos = 0; pos < this.size;) {
      const n = this.readInto(buf.subarray(0, carry + CHUNK), carry, pos);
      hash.update(buf.subarray(carry, carry + n));
      pos += n;
      const len = carry + n;
      let cut = len;
      if (pos < this.size) {
        for (let k = 0; k < 3 && cut > 0 && (buf[cut - 1] & 0xc0) === 0x80; k++) cut--;
        if (cut > 0 && buf[cut - 1] >= 0xc0) cut--;
      }
      if (!isUtf8(buf.subarray(0, cut))) decodeUtf8Strict(buf.subarray(0, len), this.name); // throws E_ENCODING naming the file
      buf.copyWithin(0, cut, len);
      carry = len - cut;
    }
    return hash.digest('hex');
  }
}

/** The batches of a streamed FeatureCollection, with the byte offset reached; returns the document, or null if it is not the plain shape. */
async function* batches(src: FileBytes): AsyncGenerator<{ features: RawFeature[]; end: number } | { head: Record<string, unknown> | null }, Record<string, unknown> | null> {
  const it = scanFeatureCollection(src.name, src);
  for (;;) {
    let r: IteratorResult<ScanEvent, Record<string, unknown> | null>;
    try { r = it.next(); } catch (e) { throw asReadError(e, src.name, 'geojson'); }
    if (r.done) return r.value;
    const ev = r.value;
    if (ev.kind === 'head') yield { head: ev.doc };
    else yield { features: ev.features, end: ev.end };
  }
}

/**
 * Pass 1: the layer's decisions, or null when the file is not a plain FeatureCollection. The CRS is
 * read from the members before "features"; a crs member after them is only seen at the end, and
 * then pass 1 runs again with it (GDAL writes it first).
 */
async function survey(src: FileBytes, opts: ImportOptions, steps: ImportSteps): Promise<LayerPlan | null> {
  let declared: string | undefined;
  const head = (crs: string | undefined) => ({ name: geoJsonLayerName(src.name), crs, source: geoJsonSource(src.name) });
  for (let attempt = 0; attempt < 2; attempt++) {
    let s: LayerSurvey | null = null;
    const it = batches(src);
    let r = await it.next();
    for (; !r.done; r = await it.next()) {
      const ev = r.value;
      if ('head' in ev) {
        // A crs member that cannot be read is reported once the whole file is read, as before.
        if (attempt === 0) try { declared = ev.head ? crsOf(ev.head, src.name) : undefined; } catch { declared = undefined; }
        continue;
      }
      s ??= new LayerSurvey(head(declared), opts);
      for (const f of ev.features) s.add(f);
      steps.progress(0.5 * ev.end / src.size, 'checking features');
      await tick();
    }
    if (!r.value) return null;
    const crs = crsOf(r.value, src.name);
    if (crs !== declared) { declared = crs; continue; }
    return (s ?? new LayerSurvey(head(crs), opts)).finish();
  }
  throw new EkimaeError('E_INTERNAL', `${src.name}: its crs member changed between two reads`);
}

/**
 * Pass 2: each batch normalized with the plan's decisions and handed to `use`, progress reported
 * from `from` to 1 and the event loop given a turn between batches.
 */
async function keptBatches(src: FileBytes, plan: LayerPlan, steps: ImportSteps, from: number, message: string, use: (features: Feature[]) => void): Promise<void> {
  let index = 0, kept = 0;
  const it = batches(src);
  let r = await it.next();
  for (; !r.done; r = await it.next()) {
    const ev = r.value;
    if ('head' in ev) continue;
    const out: Feature[] = [];
    for (const f of ev.features) {
      const g = keptGeometry(plan, f, index);
      if (g) out.push(buildFeature(plan, f, index, g));
      index++;
    }
    kept += out.length;
    use(out);
    steps.progress(from + (1 - from) * ev.end / src.size, message);
    await tick();
  }
  if (!r.value || index !== plan.read || kept !== plan.kept) {
    throw new EkimaeError('E_INTERNAL', `${src.name} read differently the second time (${index} features, ${kept} kept; first ${plan.read}, ${plan.kept})`);
  }
}

function headOf(plan: LayerPlan): LayerHead {
  return { name: plan.head.name, geometryType: plan.geometryType, fields: plan.fields, source: layerSource(plan) };
}

/** Pass 2 inside the import's transaction: each batch written as it is normalized. */
async function writeStreamed(project: Project, src: FileBytes, plan: LayerPlan, naming: LayerNaming, sha256: string, steps: ImportSteps): Promise<ImportResult> {
  const layer = headOf(plan);
  const addOpts = { ...naming(layer, 0, 1), sha256 };
  return project.actionAsync(`the import of ${src.name}`, async () => {
    const info = await project.addLayerStreamed(layer, addOpts, src.size, async (write) => {
      await keptBatches(src, plan, steps, 0.5, 'writing to project', write);
      return { read: plan.read, issues: planIssues(plan) };
    });
    return { layers: [info], issues: planIssues(plan) };
  });
}

function writeInMemory(project: Project, r: ReadResult, naming: LayerNaming, steps: ImportSteps): ImportResult {
  steps.progress(0.6, 'writing to project');
  // All layers of one file land in one transaction: a failure in the third leaves none of them.
  const layers = project.action(() => r.layers.map((l, i) => project.addLayer(l, { note: l.note, ...naming(l, i, r.layers.length), sha256: r.sha256 })));
  return { layers, issues: r.layers.flatMap((l) => l.issues) };
}

/**
 * Run `streamed` on a plain GeoJSON FeatureCollection (after pass 0 and pass 1), or `inMemory` on
 * the file read whole (any other format or shape). The file is closed either way.
 */
async function withGeoJsonStream<T>(
  path: string, opts: ImportOptions, steps: ImportSteps,
  streamed: (file: FileBytes, plan: LayerPlan, sha256: string) => Promise<T>, inMemory: () => T,
): Promise<T> {
  steps.progress(0, 'reading file');
  if (!/\.(geo)?json$/i.test(path)) return finished(steps, inMemory());
  const file = FileBytes.open(path);
  if (!file) return finished(steps, inMemory());
  try {
    if (detectFormat({ path, name: file.name, bytes: file.head(64), sibling: () => null }) !== 'geojson') return finished(steps, inMemory());
    const sha256 = file.survey();
    const plan = await survey(file, opts, steps);
    return finished(steps, plan ? await streamed(file, plan, sha256) : inMemory());
  } finally {
    file.close();
  }
}

/** Import every layer of the file at `path` into the project: all of them or (on any error or cancel) nothing. */
export function importFile(project: Project, path: string, opts: ImportOptions, naming: LayerNaming, steps: ImportSteps): Promise<ImportResult> {
  return withGeoJsonStream(path, opts, steps,
    (file, plan, sha256) => writeStreamed(project, file, plan, naming, sha256, steps),
    () => writeInMemory(project, readLayersFromFile(path, opts), naming, steps));
}

/** What a preview shows of one layer: no more of its features than personal-data detection samples. */
export interface PreviewLayer {
  layer: LayerHead & Pick<ImportedLayer, 'role'>;
  read: number;
  count: number;
  bbox: BBox | null;
  sample: Feature[];
  issues: ImportIssue[];
}

export interface PreviewResult {
  format: ImportFormat;
  sha256: string;
  layers: PreviewLayer[];
}


/** Read a file as an import would, without a project: counts, extent, fields, issues. */
export function previewFile(path: string, opts: ImportOptions, steps: ImportSteps): Promise<PreviewResult> {
  return withGeoJsonStream<PreviewResult>(path, opts, steps,
    async (file, plan, sha256) => {
      const box = emptyBBox();
      const sample = new EvenSample<Feature>();
      let count = 0;
      await keptBatches(file, plan, steps, 0.5, 'checking features', (features) => {
        count += features.length;
        for (const f of features) {
          if (f.geometry) extendBBox(box, bboxOf(f.geometry));
          sample.add({ geometry: null, properties: f.properties });
        }
      });
      const layer: PreviewLayer = { layer: headOf(plan), read: plan.read, count, bbox: Number.isFinite(box[0]) ? box : null, sample: sample.items, issues: planIssues(plan) };
      return { format: 'geojson', sha256, layers: [layer] };
    },
    () => {
      const r = readLayersFromFile(path, opts);
      return {
        format: r.format, sha256: r.sha256, layers: r.layers.map((l) => {
          const box = emptyBBox();
          for (const f of l.features) if (f.geometry) extendBBox(box, bboxOf(f.geometry));
          return { layer: l, read: l.read, count: l.features.length, bbox: Number.isFinite(box[0]) ? box : null, sample: evenSample(l.features), issues: l.issues };
        }),
      };
    });
}
