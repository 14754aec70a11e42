/**
 * Plan packages for councils: report.pdf, report.html, plan.gpkg (layers and results, personal
 * fields removed) and manifest.json (sha256 of every file, inputs' hashes, Ekimae version, time),
 * signed with the installation's Ed25519 key. Verification (and who is trusted as a signer) is in
 * verify-package.ts.
 */
import { createHash, sign } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import Database from 'better-sqlite3';
import { EkimaeError } from '../api/errors.js';
import { nowIso } from '../store/clock.js';
import { q } from '../store/gpkg.js';
import { APP_VERSION, type Project } from '../store/project.js';
import { buildReportModel, type ReportOptions } from './build.js';
import type { ReportModel } from './model.js';
import { renderReport } from './render.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import { MANIFEST, PACKAGE_FORMAT, SIGNATURE, type Manifest } from './verify-package.js';

export { PACKAGE_FORMAT, verifyPlanPackage, type Manifest, type VerifyOptions, type VerifyResult, type SignerInfo } from './verify-package.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Copy the project with personal fields dropped (unless included): the plan.gpkg councils receive. */
function writePlanGeoPackage(project: Project, path: string, includePersonal: boolean): Array<{ layer: string; field: string }> {
  project.database.prepare('VACUUM INTO ?').run(path);
  const omitted: Array<{ layer: string; field: string }> = [];
  const db = new Database(path);
  try {
    // The basemap setting is a path on the sender's machine (it names their folders) and opens nothing
    // on the council's: the report in the package already carries the basemap as drawn.
    db.prepare("DELETE FROM ekimae_settings WHERE key = 'basemap'").run();
    if (includePersonal) {
      db.exec('VACUUM');
      return omitted;
    }
    const rows = db.prepare('SELECT table_name, field FROM ekimae_field_meta WHERE personal = 1').all() as Array<{ table_name: string; field: string }>;
    db.transaction(() => {
      for (const r of rows) {
        db.exec(`ALTER TABLE ${q(r.table_name)} DROP COLUMN ${q(r.field)}`);
        db.prepare("UPDATE ekimae_field_meta SET personal_reason = 'removed from this package' WHERE table_name = ? AND field = ?").run(r.table_name, r.field);
        db.prepare('DELETE FROM ekimae_field_map WHERE table_name = ? AND field = ?').run(r.table_name, r.field);
        omitted.push({ layer: r.table_name, field: r.field });
      }
    })();
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return omitted;
}

export interface PackageOptions extends ReportOptions {
  out: string;
  zip?: boolean;
  includePersonal?: boolean;
  /** The name the package says it is signed by (the reviewer's keyring decides whether to believe it). */
  signer?: string;
}

export async function makePlanPackage(project: Project, opts: PackageOptions): Promise<{ path: string; manifest: Manifest }> {
  const target = opts.zip ? (opts.out.endsWith('.zip') ? opts.out : `${opts.out}.zip`) : opts.out;
  if (existsSync(target)) throw new EkimaeError('E_PROJECT_EXISTS', `${target} already exists`, { path: target });
  const staging = `${opts.out}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    let model!: ReportModel;
    // Chromium starts and loads the report page while the model is being built.
    await renderReport(() => (model = buildReportModel(project, opts)), { outDir: staging, html: true, pdf: true, name: 'report' });
    const omitted = writePlanGeoPackage(project, join(staging, 'plan.gpkg'), !!opts.includePersonal);
    const key = loadOrCreateSigningKey();
    const files = ['report.pdf', 'report.html', 'plan.gpkg'].map((f) => {
      const b = readFileSync(join(staging, f));
      return { path: f, sha256: sha256(b), bytes: b.length };
    });
    const manifest: Manifest = {
      format: PACKAGE_FORMAT,
      createdAt: nowIso(),
      ekimaeVersion: APP_VERSION,
      project: { name: String(project.settings().name), file: model.meta.projectFile, logicalDigest: model.meta.projectDigest },
      inputs: project.layers().flatMap((l) => l.provenance.map((p) => ({ layer: l.name, file: p.sourceFile, sha256: p.sha256 }))),
      files,
      omittedPersonalFields: omitted,
      signature: { algorithm: 'Ed25519', keyId: key.keyId, publicKey: key.publicKeyPem, ...(opts.signer ? { signer: opts.signer } : {}) },
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    writeFileSync(join(staging, MANIFEST), manifestBytes);
    writeFileSync(join(staging, SIGNATURE), sign(null, manifestBytes, key.privateKey).toString('base64') + '\n');
    if (opts.zip) {
      const entries: Record<string, Uint8Array> = {};
      for (const f of readdirSync(staging)) entries[f] = readFileSync(join(staging, f));
      writeFileSync(`${target}.part`, zipSync(entries, { level: 6 }));
      renameSync(`${target}.part`, target);
      rmSync(staging, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    return { path: target, manifest };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
