/**
 * A council review of a signed plan package. The package is verified while its listed files are
 * written into a private working folder, so the bytes checked are exactly the bytes opened; an
 * unknown or changed signer is refused unless the user accepted that very key; plan.gpkg is opened
 * read-only. The package itself is only ever read. Comments go to a review
 * file beside the package.
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeTempDir } from '../store/temp-dirs.js';
import { EkimaeError } from '../errors.js';
import type { BBox } from '../geo/geometry.js';
import { Project } from '../store/project.js';
import type { Keyring } from '../report/keyring.js';
import { verifyPlanPackage, type Manifest, type SignerInfo } from '../report/verify-package.js';
import { anchorPoint, insideBox, pinArea } from './anchor.js';
import { AUTHOR_MAX, checkText, ReviewFile, TEXT_MAX, type CommentStatus, type ReviewComment } from './comments-file.js';

export interface OpenOptions {
  /** Only accept packages signed by this key id. */
  trustedKeyId?: string;
  /** Default: the user's keyring (trusted-signers.json in EKIMAE_HOME). */
  keyring?: Keyring;
  /**
   * The signer the user was shown and accepted: pinned when unknown, or replacing the key a known
   * name had. Only this fingerprint is accepted, so a different key than the one shown still fails.
   */
  acceptSigner?: { fingerprint: string; name?: string };
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

export class ReviewSession {
  private readonly cleanup = () => rmSync(this.workDir, { recursive: true, force: true });

  private constructor(
    readonly packagePath: string,
    readonly plan: Project,
    readonly comments: ReviewFile,
    readonly manifest: Manifest,
    readonly manifestSha256: string,
    readonly keyId: string,
    readonly signer: SignerInfo,
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
      const accept = opts.acceptSigner;
      const v = verifyPlanPackage(path, {
        trustedKeyId: opts.trustedKeyId, keyring: opts.keyring, extractTo: pkg,
        ...(accept ? { trustNewSigner: true, acceptChangedSigner: true, acceptFingerprint: accept.fingerprint, signerName: accept.name } : {}),
      });
      if (!v.ok) {
        const code = v.code ?? 'E_PACKAGE_INVALID';
        const signerOnly = code === 'E_SIGNER_UNKNOWN' || code === 'E_SIGNER_CHANGED';
        throw new EkimaeError(code, signerOnly ? `${path}: ${v.problems.join('; ')}` : `${path} failed verification, so it cannot be reviewed: ${v.problems.join('; ')}`,
          { path, problems: v.problems, signer: v.signer, keyId: v.keyId });
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
      return new ReviewSession(path, plan, comments, manifest, sha, v.keyId ?? '', v.signer, pinArea(plan.info().bbox), workDir);
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
