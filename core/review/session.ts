/**
 * A council review of a signed plan package. The package is copied (or unzipped) into a private
 * working folder and that copy is verified, so the bytes checked are exactly the bytes opened; its
 * plan.gpkg is opened read-only. The package itself is only ever read. Comments go to a review
 * file beside the package.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../store/temp-dirs.js';
import { dirname, join, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import { EkimaeError } from '../api/errors.js';
import type { BBox } from '../geo/geometry.js';
import { Project } from '../store/project.js';
import { verifyPlanPackage, type Manifest } from '../report/plan-package.js';
import { anchorPoint, insideBox, pinArea } from './anchor.js';
import { AUTHOR_MAX, checkText, ReviewFile, TEXT_MAX, type CommentStatus, type ReviewComment } from './comments-file.js';

export interface OpenOptions {
  /** Only accept packages signed by this key id. */
  trustedKeyId?: string;
  /** Where comments are kept; default `<package without .zip>.review.gpkg` beside the package. */
  reviewFile?: string;
}

export interface CommentRequest {
  text: string;
  author: string;
  lon?: number;
  lat?: number;
  layer?: string;
  fid?: number;
}

export function defaultReviewFile(packagePath: string): string {
  return `${resolve(packagePath).replace(/[\\/]+$/, '').replace(/\.zip$/i, '')}.review.gpkg`;
}

/** Copy a package folder or unzip a package into `dest` (entry names that would escape it are refused). */
function copyPackage(src: string, dest: string): void {
  if (!existsSync(src)) throw new EkimaeError('E_FILE_NOT_FOUND', `${src} does not exist`, { path: src });
  if (statSync(src).isDirectory()) {
    cpSync(src, dest, { recursive: true, dereference: true });
    return;
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(readFileSync(src));
  } catch (e) {
    throw new EkimaeError('E_ZIP_INVALID', `${src} is not a readable zip: ${(e as Error).message}`, { path: src });
  }
  mkdirSync(dest, { recursive: true });
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    const target = resolve(dest, name);
    if (!target.startsWith(dest + sep) || name.includes('\\')) {
      throw new EkimaeError('E_PACKAGE_INVALID', `${src} holds an entry "${name.slice(0, 200)}" outside the package folder`, { path: src, problems: [`unsafe entry name ${name.slice(0, 200)}`] });
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
}

export class ReviewSession {
  private readonly cleanup = () => rmSync(this.workDir, { recursive: true, force: true });

  private constructor(
    readonly packagePath: string,
    readonly plan: Project,
    readonly comments: ReviewFile,
    readonly manifest: Manifest,
    readonly manifestSha256: string,
    readonly keyId: string,
    /** Where pins may go: the plan's extent plus a margin (null for a plan without layers). */
    readonly pinArea: BBox | null,
    private readonly workDir: string,
  ) {
    process.once('exit', this.cleanup);
  }

  static open(packagePath: string, opts: OpenOptions = {}): ReviewSession {
    const path = resolve(packagePath);
    const workDir = makeTempDir('review');
    let plan: Project | null = null;
    try {
      const pkg = join(workDir, 'package');
      copyPackage(path, pkg);
      const v = verifyPlanPackage(pkg, opts.trustedKeyId);
      if (!v.ok) {
        throw new EkimaeError('E_PACKAGE_INVALID', `${path} failed verification, so it cannot be reviewed: ${v.problems.join('; ')}`, { path, problems: v.problems });
      }
      const manifestBytes = readFileSync(join(pkg, 'manifest.json'));
      const manifest = JSON.parse(manifestBytes.toString('utf8')) as Manifest;
      if (!manifest.files.some((f) => f.path === 'plan.gpkg')) {
        throw new EkimaeError('E_PACKAGE_INVALID', `${path} has no plan.gpkg to review`, { path, problems: ['plan.gpkg is not in the manifest'] });
      }
      plan = Project.open(join(pkg, 'plan.gpkg'), { readOnly: true });
      const sha = createHash('sha256').update(manifestBytes).digest('hex');
      const comments = new ReviewFile(resolve(opts.reviewFile ?? defaultReviewFile(path)), sha, `Review of ${manifest.project?.name ?? 'a plan package'}`);
      comments.ensure();
      return new ReviewSession(path, plan, comments, manifest, sha, v.keyId ?? '', pinArea(plan.info().bbox), workDir);
    } catch (e) {
      plan?.close();
      rmSync(workDir, { recursive: true, force: true });
      throw e;
    }
  }

  get isOpen(): boolean { return this.plan.isOpen; }

  list(status?: CommentStatus): Array<ReviewComment & { currentPackage: boolean }> {
    return this.comments.list(status).map((c) => ({ ...c, currentPackage: c.packageManifestSha256 === this.manifestSha256 }));
  }

  add(req: CommentRequest): ReviewComment & { currentPackage: boolean } {
    const text = checkText(req.text, 'text', TEXT_MAX);
    const author = checkText(req.author, 'author', AUTHOR_MAX);
    if ((req.lon === undefined) !== (req.lat === undefined)) throw new EkimaeError('E_INPUT_INVALID', 'give both lon and lat, or neither (with a layer and fid)');
    if (req.fid !== undefined && req.layer === undefined) throw new EkimaeError('E_INPUT_INVALID', `fid ${req.fid} needs the layer it belongs to`);
    let lon = req.lon, lat = req.lat;
    if (req.layer !== undefined) {
      this.plan.layer(req.layer); // E_LAYER_NOT_FOUND names the layers there are
      if (req.fid !== undefined) {
        const [f] = this.plan.readFeatures(req.layer, { fids: [req.fid] });
        if (!f) throw new EkimaeError('E_FEATURE_NOT_FOUND', `layer "${req.layer}" has no feature with fid ${req.fid}`, { layer: req.layer, fid: req.fid });
        if (lon === undefined) {
          const at = f.geometry ? anchorPoint(f.geometry) : null;
          if (!at) throw new EkimaeError('E_GEOMETRY_EMPTY', `feature ${req.fid} of "${req.layer}" has no geometry to pin to; give lon and lat`, { layer: req.layer, fid: req.fid });
          [lon, lat] = at;
        }
      }
    }
    if (lon === undefined || lat === undefined) throw new EkimaeError('E_INPUT_INVALID', 'say where the comment is: lon and lat, or a layer and fid');
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new EkimaeError('E_COORD_INVALID', `the comment's position (${lon}, ${lat}) is not a valid longitude/latitude`, { lon, lat });
    }
    if (this.pinArea && !insideBox(this.pinArea, lon, lat)) {
      throw new EkimaeError('E_COORD_INVALID', `the comment's position (${lon}, ${lat}) is outside the plan's area [${this.pinArea.map((x) => x.toFixed(5)).join(', ')}]`, { lon, lat, area: this.pinArea });
    }
    const c = this.comments.add({ text, author, lon, lat, layer: req.layer ?? null, fid: req.fid ?? null });
    return { ...c, currentPackage: true };
  }

  update(id: string, patch: { text?: string; status?: CommentStatus }): ReviewComment & { currentPackage: boolean } {
    const text = patch.text === undefined ? undefined : checkText(patch.text, 'text', TEXT_MAX);
    const c = this.comments.update(id, { text, status: patch.status });
    return { ...c, currentPackage: c.packageManifestSha256 === this.manifestSha256 };
  }

  remove(id: string): void {
    this.comments.remove(id);
  }

  /** Close the plan and delete the working copy; the review file is already closed between actions. */
  close(): void {
    this.plan.close();
    this.cleanup();
    process.removeListener('exit', this.cleanup);
  }
}
