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
import { EkimaeError } from '../errors.js';
import { nowIso } from '../store/clock.js';
import { q } from '../store/gpkg.js';
import { APP_VERSION, type Project } from '../store/project.js';
import { buildReportModel, type ReportOptions } from './build.js';
import { reportAuthors } from './scenario-authors.js';
import type { ReportModel } from './model.js';
import { renderReport } from './render.js';
import { loadOrCreateSigningKey } from './signing-key.js';
import { MANIFEST, PACKAGE_FORMAT, SIGNATURE, type Manifest } from './verify-package.js';
import { fieldDecisions, requireDecided, type FieldChoice } from '../io/field-choice.js';

export { PACKAGE_FORMAT, verifyPlanPackage, type Manifest, type VerifyOptions, type VerifyResult, type SignerInfo } from './verify-package.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/**
 * Copy the project with personal fields dropped (unless included): the plan.gpkg councils receive.
 * The dropped fields' values are also scrubbed from the import provenance (issue messages written by
 * an older Ekimae could quote them) and the list of what was left out is kept.
 */
function writePlanGeoPackage(project: Project, path: string, choice: FieldChoice): Array<{ layer: string; field: string }> {
  const drops = project.layers().flatMap((l) => fieldDecisions(l, choice).drop);
  const values = new Set<string>();
  for (const d of drops) {
    const stmt = project.database.prepare(`SELECT DISTINCT CAST(${q(d.field)} AS TEXT) FROM ${q(d.layer)} WHERE ${q(d.field)} IS NOT NULL`).pluck();
    for (const v of stmt.iterate() as Iterable<string>) if (v.trim().length >= 3) values.add(v.trim());
  }
  project.database.prepare('VACUUM INTO ?').run(path);
  const omitted: Array<{ layer: string; field: string }> = [];
  const db = new Database(path);
  try {
    // The basemap setting is a path on the sender's machine (it names their folders) and opens nothing
    // on the council's: the report in the package already carries the basemap as drawn.
    db.prepare("DELETE FROM ekimae_settings WHERE key = 'basemap'").run();
    // Longest first, so a value that contains another is removed whole.
    const sorted = [...values].sort((a, b) => b.length - a.length);
    const scrub = (s: string | null) => {
      if (!s) return s;
      let out = s;
      for (const v of sorted) if (out.includes(v)) out = out.split(v).join('[removed]');
      return out;
    };
    db.transaction(() => {
      for (const r of drops) {
        db.exec(`ALTER TABLE ${q(r.layer)} DROP COLUMN ${q(r.field)}`);
        db.prepare("INSERT INTO ekimae_field_meta (table_name, field, source_name, personal, personal_reason) VALUES (?, ?, ?, 1, 'removed from this package') ON CONFLICT(table_name, field) DO UPDATE SET personal = 1, personal_reason = 'removed from this package'").run(r.layer, r.field, r.field);
        db.prepare('DELETE FROM ekimae_field_map WHERE table_name = ? AND field = ?').run(r.layer, r.field);
        omitted.push({ layer: r.layer, field: r.field });
      }
      if (sorted.length) {
        const rows = db.prepare('SELECT fid, issues_json, note FROM ekimae_provenance').all() as Array<{ fid: number; issues_json: string; note: string | null }>;
        const upd = db.prepare('UPDATE ekimae_provenance SET issues_json = ?, note = ? WHERE fid = ?');
        for (const r of rows) {
          const issues = (JSON.parse(r.issues_json) as Array<{ message: string }>).map((i) => ({ ...i, message: scrub(i.message) }));
          upd.run(JSON.stringify(issues), scrub(r.note), r.fid);
        }
      }
    })();
    db.exec('VACUUM');
  } finally {
    db.close();
  }
  return omitted;
}

export interface PackageOptions extends ReportOptions, FieldChoice {
  out: string;
  zip?: boolean;
  /** The name the package says it is signed by (the reviewer's keyring decides whether to believe it). */
  signer?: string;
}

export async function makePlanPackage(project: Project, opts: PackageOptions): Promise<{ path: string; manifest: Manifest }> {
  const target = opts.zip ? (opts.out.endsWith('.zip') ? opts.out : `${opts.out}.zip`) : opts.out;
  if (existsSync(target)) throw new EkimaeError('E_PROJECT_EXISTS', `${target} already exists`, { path: target });
  requireDecided(project.layers(), opts);
  const staging = `${opts.out}.staging`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    let model!: ReportModel;
    const authors = await reportAuthors(project);
    // Chromium starts and loads the report page while the model is being built.
    await renderReport(() => (model = buildReportModel(project, opts, authors)), { outDir: staging, html: true, pdf: true, name: 'report' });
    const omitted = writePlanGeoPackage(project, join(staging, 'plan.gpkg'), opts);
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
