/**
 * Plan packages for councils: report.pdf, report.html, plan.gpkg (layers and results, personal
 * fields removed) and manifest.json (sha256 of every file, inputs' hashes, Ekimae version, time),
 * signed with the installation's Ed25519 key. `verify` recomputes every hash and checks the
 * signature; any changed, missing or extra byte is reported.
 */
import { createHash, createPublicKey, sign, verify as verifySig } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import Database from 'better-sqlite3';
import { EkimaeError } from '../api/errors.js';
import { nowIso } from '../store/clock.js';
import { q } from '../store/gpkg.js';
import { APP_VERSION, type Project } from '../store/project.js';
import { buildReportModel, type ReportOptions } from './build.js';
import type { ReportModel } from './model.js';
import { renderReport } from './render.js';
import { keyIdOf, loadOrCreateSigningKey } from './signing-key.js';
import { fieldDecisions, requireDecided, type FieldChoice } from '../io/field-choice.js';

export const PACKAGE_FORMAT = 'ekimae-plan-package/1';
const MANIFEST = 'manifest.json';
const SIGNATURE = 'manifest.sig';

export interface Manifest {
  format: string;
  createdAt: string;
  ekimaeVersion: string;
  project: { name: string; file: string; logicalDigest: string };
  inputs: Array<{ layer: string; file: string; sha256: string }>;
  files: Array<{ path: string; sha256: string; bytes: number }>;
  omittedPersonalFields: Array<{ layer: string; field: string }>;
  signature: { algorithm: 'Ed25519'; keyId: string; publicKey: string };
}

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
  if (!drops.length) return omitted;
  const db = new Database(path);
  try {
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
    // Chromium starts and loads the report page while the model is being built.
    await renderReport(() => (model = buildReportModel(project, opts)), { outDir: staging, html: true, pdf: true, name: 'report' });
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
      signature: { algorithm: 'Ed25519', keyId: key.keyId, publicKey: key.publicKeyPem },
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

export interface VerifyResult {
  ok: boolean;
  keyId: string | null;
  problems: string[];
  files: number;
}

function readPackage(path: string): Map<string, Uint8Array> {
  if (!existsSync(path)) throw new EkimaeError('E_FILE_NOT_FOUND', `${path} does not exist`, { path });
  const files = new Map<string, Uint8Array>();
  if (statSync(path).isDirectory()) {
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) walk(p); else files.set(relative(path, p).split('\\').join('/'), readFileSync(p));
      }
    };
    walk(path);
  } else {
    try {
      for (const [k, v] of Object.entries(unzipSync(readFileSync(path)))) if (!k.endsWith('/')) files.set(k, v);
    } catch (e) {
      throw new EkimaeError('E_ZIP_INVALID', `${path} is not a readable zip: ${(e as Error).message}`, { path });
    }
  }
  return files;
}

/** Check a plan package; `trustedKeyId` (optional) also checks who signed it, not only that nothing changed. */
export function verifyPlanPackage(path: string, trustedKeyId?: string): VerifyResult {
  const files = readPackage(path);
  const problems: string[] = [];
  const mBytes = files.get(MANIFEST);
  const sig = files.get(SIGNATURE);
  if (!mBytes) return { ok: false, keyId: null, problems: [`${MANIFEST} is missing`], files: files.size };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(strFromU8(mBytes));
  } catch {
    return { ok: false, keyId: null, problems: [`${MANIFEST} is not valid JSON`], files: files.size };
  }
  if (manifest.format !== PACKAGE_FORMAT) problems.push(`unknown package format ${String(manifest.format)}`);
  let keyId: string | null = null;
  try {
    keyId = keyIdOf(manifest.signature.publicKey);
    if (!sig) problems.push(`${SIGNATURE} is missing`);
    else if (!verifySig(null, mBytes, createPublicKey(manifest.signature.publicKey), Buffer.from(strFromU8(sig).trim(), 'base64'))) {
      problems.push('the signature does not match manifest.json (the manifest was changed after signing)');
    }
    if (keyId !== manifest.signature.keyId) problems.push('the key id in the manifest does not match its public key');
    if (trustedKeyId && keyId !== trustedKeyId) problems.push(`signed by key ${keyId}, not the trusted key ${trustedKeyId}`);
  } catch (e) {
    problems.push(`the signature block cannot be read: ${(e as Error).message}`);
  }
  const listed = new Set<string>();
  for (const f of manifest.files ?? []) {
    listed.add(f.path);
    const b = files.get(f.path);
    if (!b) { problems.push(`${f.path} is missing`); continue; }
    if (b.length !== f.bytes) problems.push(`${f.path} has ${b.length} bytes, the manifest says ${f.bytes}`);
    if (sha256(b) !== f.sha256) problems.push(`${f.path} was changed (sha256 differs)`);
  }
  for (const name of files.keys()) if (!listed.has(name) && name !== MANIFEST && name !== SIGNATURE) problems.push(`${name} is not listed in the manifest`);
  return { ok: problems.length === 0, keyId, problems, files: files.size };
}
