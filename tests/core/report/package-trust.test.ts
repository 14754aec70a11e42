/**
 * Attacks on plan packages (issue #16): re-signing with another key, RSA/ECDSA keys, sloppy
 * signatures, duplicate / case-variant / './' / unlisted / missing entries, and zip bombs. Every
 * package here is crafted by tests/helpers/craft-package.ts (see tests/fixtures/package/SOURCE.md);
 * fingerprints are computed there independently of the core.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { Keyring } from '../../../core/report/keyring.js';
import { verifyPlanPackage } from '../../../core/report/verify-package.js';
import { craftZip, newSigner, rawFingerprint, signManifest, zerosDeflated, type CraftEntry } from '../../helpers/craft-package.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const dir = tmpDir();
const enc = (s: string) => Buffer.from(s);
const FILES = { 'report.pdf': enc('%PDF-1.7 council report'), 'report.html': enc('<html>report</html>'), 'plan.gpkg': enc('SQLite format 3\0 the real plan') };
const consultant = newSigner();
let n = 0;
const home = () => { const h = join(dir, `home${n++}`); process.env.EKIMAE_HOME = h; return h; };

/** A zip of `entries` (name → bytes) in order; returns its path. */
function zipOf(entries: Array<[string, Uint8Array]> | Record<string, Uint8Array>, name = `p${n++}.zip`): string {
  const list = Array.isArray(entries) ? entries : Object.entries(entries);
  const p = join(dir, name);
  craftZip(p, list.map(([k, v]) => ({ name: k, data: v })));
  return p;
}
const refusal = (f: () => unknown) => {
  try { f(); } catch (e) { return e as { code: string; message: string; details?: { problems?: string[] } }; }
  throw new Error('expected a refusal');
};

describe('signers: the keyring decides who a package is from', () => {
  beforeEach(() => { home(); });

  it('a package signed by a key nobody pinned is refused with E_SIGNER_UNKNOWN, showing the fingerprint', () => {
    const r = verifyPlanPackage(zipOf(signManifest(FILES, consultant, 'Nippon Koei')));
    expect(r.ok).toBe(false);
    expect(r.code).toBe('E_SIGNER_UNKNOWN');
    expect(r.signer).toMatchObject({ status: 'unknown', name: null, claimedName: 'Nippon Koei', fingerprint: rawFingerprint(consultant) });
  });

  it('trust on first use pins the key under its name; the next package from it is trusted by name', () => {
    const pkg = zipOf(signManifest(FILES, consultant, 'Nippon Koei'));
    const first = verifyPlanPackage(pkg, { trustNewSigner: true });
    expect(first).toMatchObject({ ok: true, signer: { status: 'pinned', name: 'Nippon Koei' } });
    expect(new Keyring().list()).toEqual([expect.objectContaining({ name: 'Nippon Koei', fingerprint: rawFingerprint(consultant), source: 'first-use' })]);
    expect(verifyPlanPackage(pkg)).toMatchObject({ ok: true, signer: { status: 'trusted', name: 'Nippon Koei' } });
  });

  it('a re-signed plan (tampered plan.gpkg, new key, same claimed name) is refused with E_SIGNER_CHANGED even with trustNewSigner', () => {
    new Keyring().add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei');
    const forged = signManifest({ ...FILES, 'plan.gpkg': enc('SQLite format 3\0 the tampered plan') }, newSigner(), 'Nippon Koei');
    const r = verifyPlanPackage(zipOf(forged), { trustNewSigner: true });
    expect(r.ok).toBe(false);
    expect(r.code).toBe('E_SIGNER_CHANGED');
    expect(r.signer.knownFingerprint).toBe(rawFingerprint(consultant));
    expect(new Keyring().list()).toHaveLength(1);
  });

  it('re-signed without a name is an unknown signer, not the trusted one', () => {
    new Keyring().add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei');
    const r = verifyPlanPackage(zipOf(signManifest(FILES, newSigner())));
    expect(r).toMatchObject({ ok: false, code: 'E_SIGNER_UNKNOWN' });
  });

  it('a key change is accepted only explicitly, and only for the key shown', () => {
    new Keyring().add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei');
    const next = newSigner();
    const pkg = zipOf(signManifest(FILES, next, 'Nippon Koei'));
    expect(verifyPlanPackage(pkg, { acceptChangedSigner: true, acceptFingerprint: rawFingerprint(consultant) }).code).toBe('E_SIGNER_CHANGED');
    const r = verifyPlanPackage(pkg, { acceptChangedSigner: true, acceptFingerprint: rawFingerprint(next) });
    expect(r).toMatchObject({ ok: true, signer: { status: 'pinned', name: 'Nippon Koei' } });
    expect(new Keyring().list()).toEqual([expect.objectContaining({ fingerprint: rawFingerprint(next), source: 'key-change', replaces: rawFingerprint(consultant) })]);
  });

  it('a key added by fingerprint (as read out by the consultant, grouped, upper case) is trusted', () => {
    const grouped = rawFingerprint(consultant).toUpperCase().replace(/(.{4})(?=.)/g, '$1 ');
    new Keyring().add({ fingerprint: grouped }, 'OCG');
    expect(verifyPlanPackage(zipOf(signManifest(FILES, consultant))).signer).toMatchObject({ status: 'trusted', name: 'OCG' });
  });

  it('RSA and ECDSA keys are refused with E_KEY_UNSUPPORTED, in the keyring and in a package', () => {
    for (const kind of ['rsa', 'ec'] as const) {
      const { publicKey } = kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(refusal(() => new Keyring().add({ publicKey: pem }, 'x')).code, kind).toBe('E_KEY_UNSUPPORTED');
      const r = verifyPlanPackage(zipOf(signManifest(FILES, consultant, undefined, (m) => { m.signature.publicKey = pem; })));
      expect(r.code, kind).toBe('E_KEY_UNSUPPORTED');
      expect(r.problems.join('\n')).toMatch(new RegExp(kind === 'rsa' ? 'RSA' : 'EC'));
    }
  });

  it('a private key or a non-canonical PEM in place of the public key is refused', () => {
    const priv = consultant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const a = verifyPlanPackage(zipOf(signManifest(FILES, consultant, undefined, (m) => { m.signature.publicKey = priv; })));
    expect(a).toMatchObject({ ok: false, code: 'E_KEY_UNSUPPORTED' });
    const b = verifyPlanPackage(zipOf(signManifest(FILES, consultant, undefined, (m) => { m.signature.publicKey = m.signature.publicKey.replace(/\n(?!-)/, '\n\n'); })));
    expect(b.ok).toBe(false);
  });

  it('a signature that is not exactly 64 bytes of canonical base64 is refused', () => {
    const good = signManifest(FILES, consultant);
    const sig = good['manifest.sig']!.toString().trim();
    const bad = [`${sig}AAAA`, sig.slice(0, -4), ` ${sig}`, sig.replace(/==$/, ''), sig.replace(/.==$/, (m) => (m[0] === 'A' ? 'B' : 'A') + '==')];
    for (const s of bad) {
      const r = verifyPlanPackage(zipOf({ ...good, 'manifest.sig': enc(s + '\n') }));
      expect(r.ok, s).toBe(false);
      expect(r.problems.join('\n'), s).toMatch(/manifest\.sig is not one Ed25519 signature|signature does not match/);
    }
  });

  it('the installation\'s own packages are trusted by its own installation (and only there)', () => {
    const h = process.env.EKIMAE_HOME!;
    mkdirSync(h, { recursive: true });
    writeFileSync(join(h, 'signing-key.pem'), consultant.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const pkg = zipOf(signManifest(FILES, consultant));
    expect(verifyPlanPackage(pkg)).toMatchObject({ ok: true, signer: { status: 'own' } });
    home();
    expect(verifyPlanPackage(pkg).code).toBe('E_SIGNER_UNKNOWN');
  });
});

describe('entries: exactly the signed files, each once', () => {
  let trusted: Keyring;
  beforeEach(() => { home(); trusted = new Keyring(); trusted.add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei'); });
  const signed = () => signManifest(FILES, consultant, 'Nippon Koei');

  it('the genuine package verifies (the control case)', () => {
    expect(verifyPlanPackage(zipOf(signed()))).toMatchObject({ ok: true, problems: [], files: 5, signer: { name: 'Nippon Koei' } });
  });

  it('two plan.gpkg entries, tampered first and original last, are refused', () => {
    const s = signed();
    const e = refusal(() => verifyPlanPackage(zipOf([['plan.gpkg', enc('SQLite format 3\0 tampered')], ...Object.entries(s)])));
    expect(e.code).toBe('E_PACKAGE_INVALID');
    expect(e.message).toMatch(/"plan\.gpkg" appears twice/);
  });

  it('names that collide for some reader (case, Unicode normalisation, ./, //) are refused', () => {
    const s = signed();
    for (const alias of ['PLAN.gpkg', './plan.gpkg', 'x//../plan.gpkg', 'report.html'.normalize('NFD')]) {
      const entries: Array<[string, Uint8Array]> = [...Object.entries(s), [alias, enc('tampered')]];
      const e = refusal(() => verifyPlanPackage(zipOf(entries)));
      expect(e.code, alias).toBe('E_PACKAGE_INVALID');
    }
    // NFC vs NFD: "é" written two ways is one name on macOS.
    const e = refusal(() => verifyPlanPackage(zipOf([...Object.entries(signManifest({ ...FILES, 'café.txt': enc('a') }, consultant)), ['cafe\u0301.txt', enc('b')]])));
    expect(e.message).toMatch(/same name to some readers/);
  });

  it('a local header naming another file than the central directory is refused (readers that go by local headers would see it)', () => {
    const p = zipOf(signed());
    const b = readFileSync(p);
    // The first entry's local header name starts at byte 30 (APPNOTE 4.3.7): "report.pdf" becomes "Report.pdf" there only.
    expect(b.subarray(30, 40).toString()).toBe('report.pdf');
    b[30] = 'R'.charCodeAt(0);
    writeFileSync(p, b);
    const e = refusal(() => verifyPlanPackage(p));
    expect(e.message).toMatch(/local header of "report\.pdf" does not match the central directory/);
  });

  it('an entry not listed in the signed manifest is refused before it is read', () => {
    const r = verifyPlanPackage(zipOf({ ...signed(), 'macro.js': enc('alert(1)') }));
    expect(r).toMatchObject({ ok: false, code: 'E_PACKAGE_INVALID' });
    expect(r.problems).toContain('macro.js is not listed in the manifest');
  });

  it('a listed file that is missing is refused', () => {
    const { 'report.html': _drop, ...rest } = signed();
    expect(verifyPlanPackage(zipOf(rest)).problems).toContain('report.html is missing');
  });

  it('a changed plan.gpkg with the original signature is refused', () => {
    const s = signed();
    const r = verifyPlanPackage(zipOf({ ...s, 'plan.gpkg': enc('SQLite format 3\0 the real plaN') }));
    expect(r.problems).toContain('plan.gpkg was changed (sha256 differs)');
  });

  it('GDAL reads the first of two same-named entries, which is why duplicates are refused', () => {
    if (!requireToolOrSkip('ogrinfo')) return;
    const gj = (v: string) => enc(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { who: v }, geometry: { type: 'Point', coordinates: [100.5, 13.8] } }] }));
    const p = zipOf([['a.geojson', gj('tampered')], ['a.geojson', gj('original')]]);
    expect(execFileSync('ogrinfo', ['-al', '-q', `/vsizip/${p}/a.geojson`], { encoding: 'utf8' })).toContain('tampered');
  });
});

describe('size: zip bombs are refused without inflating them', () => {
  beforeEach(() => { home(); new Keyring().add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei'); });

  it('a 4 MB package declaring 4 GB (4095 MiB of zeros as plan.gpkg) is refused by ratio and total before inflating', async () => {
    const z = await zerosDeflated(4095);
    expect(z.bytes.length).toBeLessThan(5 * 1024 * 1024);
    const s = signManifest({ ...FILES, 'plan.gpkg': Buffer.alloc(0) }, consultant, 'Nippon Koei', (m) => {
      const f = m.files.find((x: { path: string }) => x.path === 'plan.gpkg'); f.bytes = z.size;
    });
    const p = join(dir, 'bomb.zip');
    const entries: CraftEntry[] = Object.entries(s).map(([name, data]) => (name === 'plan.gpkg' ? { name, deflated: z } : { name, data }));
    craftZip(p, entries);
    const rss0 = process.memoryUsage().rss;
    const e = refusal(() => verifyPlanPackage(p));
    expect(e.code).toBe('E_PACKAGE_TOO_LARGE');
    expect(e.message).toMatch(/more than 2147483648 bytes|inflate \d+:1/);
    // Nothing was inflated: the process grew by well under the 4 GB the entry holds.
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024);
  });

  it('an entry over 200:1 is refused even under the total cap', async () => {
    const z = await zerosDeflated(64);
    const s = signManifest({ ...FILES, 'plan.gpkg': Buffer.alloc(0) }, consultant, 'Nippon Koei', (m) => { m.files.find((x: { path: string }) => x.path === 'plan.gpkg').bytes = z.size; });
    const p = join(dir, 'ratio.zip');
    craftZip(p, Object.entries(s).map(([name, data]) => (name === 'plan.gpkg' ? { name, deflated: z } : { name, data })));
    const e = refusal(() => verifyPlanPackage(p));
    expect(e.code).toBe('E_PACKAGE_TOO_LARGE');
    expect(e.message).toMatch(/would inflate 10\d\d:1 \(over 200:1/);
  });

  it('an entry that lies about its size (declares 1 KiB, inflates to 256 MiB) is stopped at the lie, in small memory', async () => {
    const z = await zerosDeflated(256);
    // The sizes in the manifest and the zip agree on the lie, so only inflating shows it.
    const s = signManifest({ ...FILES, 'plan.gpkg': Buffer.alloc(1024) }, consultant, 'Nippon Koei');
    const p = join(dir, 'liar.zip');
    craftZip(p, Object.entries(s).map(([name, data]) => (name === 'plan.gpkg' ? { name, deflated: { ...z, size: 1024 } } : { name, data })));
    const rss0 = process.memoryUsage().rss;
    const e = refusal(() => verifyPlanPackage(p));
    expect(e.code).toBe('E_PACKAGE_TOO_LARGE');
    expect(e.message).toMatch(/inflates past the 1024 bytes it declares/);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(64 * 1024 * 1024);
  });

  it('the total cap is configurable (EKIMAE_PACKAGE_MAX_BYTES)', () => {
    process.env.EKIMAE_PACKAGE_MAX_BYTES = '50';
    try {
      expect(refusal(() => verifyPlanPackage(zipOf(signManifest(FILES, consultant)))).code).toBe('E_PACKAGE_TOO_LARGE');
    } finally {
      delete process.env.EKIMAE_PACKAGE_MAX_BYTES;
    }
  });
});

describe('the CLI refuses them too (exit 1 with the code)', () => {
  const cli = (args: string[], env: Record<string, string>) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['bin/ekimae.mjs', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, stdio: 'pipe' }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it('verify: unknown signer exit 1 E_SIGNER_UNKNOWN; --trust-new-signer pins and prints the fingerprint; keys list shows it; re-signed exit 1', () => {
    const env = { EKIMAE_HOME: join(dir, 'cli-home') };
    const pkg = zipOf(signManifest(FILES, consultant, 'Nippon Koei'));
    const fp = rawFingerprint(consultant).replace(/(.{4})(?=.)/g, '$1 ');
    const a = cli(['verify', pkg], env);
    expect(a.code).toBe(1);
    expect(a.err).toContain('E_SIGNER_UNKNOWN');
    expect(a.err).toContain(fp);
    const b = cli(['verify', pkg, '--trust-new-signer'], env);
    expect(b.code).toBe(0);
    expect(b.out).toContain(`now trusting "Nippon Koei" with key fingerprint ${fp}`);
    expect(cli(['verify', pkg], env).out).toMatch(/^OK: 5 files match the manifest, signed by "Nippon Koei"/);
    expect(cli(['keys', 'list'], env).out).toContain(fp);
    const forged = zipOf(signManifest({ ...FILES, 'plan.gpkg': enc('tampered') }, newSigner(), 'Nippon Koei'));
    const c = cli(['verify', forged, '--trust-new-signer'], env);
    expect(c.code).toBe(1);
    expect(c.err).toContain('E_SIGNER_CHANGED');
    const dup = zipOf([['plan.gpkg', enc('tampered')], ...Object.entries(signManifest(FILES, consultant, 'Nippon Koei'))]);
    const d = cli(['verify', dup], env);
    expect(d.code).toBe(1);
    expect(d.err).toContain('E_PACKAGE_INVALID');
  }, 60_000);

  it('keys add refuses an RSA public key file with E_KEY_UNSUPPORTED; remove forgets a signer', () => {
    const env = { EKIMAE_HOME: join(dir, 'cli-home2') };
    const pem = join(dir, 'rsa.pub.pem');
    writeFileSync(pem, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const r = cli(['keys', 'add', pem, '--name', 'X'], env);
    expect(r.code).toBe(1);
    expect(r.err).toContain('E_KEY_UNSUPPORTED');
    const ed = join(dir, 'ed.pub.pem');
    writeFileSync(ed, consultant.publicKeyPem);
    expect(cli(['keys', 'add', ed, '--name', 'OCG'], env).code).toBe(0);
    expect(cli(['keys', 'remove', 'OCG'], env).code).toBe(0);
    expect(cli(['keys', 'list'], env).out).toMatch(/no trusted signers/);
  }, 60_000);
});

describe('the app\'s review (service) refuses them and asks for explicit acceptance', () => {
  const svc = new EkimaeService({ strictOutputs: true });
  let plan: Uint8Array;

  it('prepares a real plan.gpkg', async () => {
    home();
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential' }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.531, 13.8], [100.531, 13.801], [100.53, 13.8]]] } }] }));
    await svc.invoke('project.create', { path: join(dir, 'src.gpkg'), settings: { name: 'Crafted' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    await svc.invoke('project.close', {});
    plan = readFileSync(join(dir, 'src.gpkg'));
    expect(existsSync(join(dir, 'src.gpkg'))).toBe(true);
  });

  it('unknown signer: E_SIGNER_UNKNOWN with the fingerprint; accepted that key: opens, pinned, banner shows the name', async () => {
    home();
    const pkg = zipOf(signManifest({ ...FILES, 'plan.gpkg': plan }, consultant, 'Nippon Koei'));
    const r = await svc.call('review.open', { package: pkg });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('E_SIGNER_UNKNOWN');
    expect((r.error.details as { signer: { fingerprint: string } }).signer.fingerprint).toBe(rawFingerprint(consultant));
    const wrong = await svc.call('review.open', { package: pkg, acceptSigner: { fingerprint: rawFingerprint(newSigner()) } });
    expect(!wrong.ok && wrong.error.code).toBe('E_SIGNER_UNKNOWN');
    const ok = await svc.invoke('review.open', { package: pkg, acceptSigner: { fingerprint: rawFingerprint(consultant), name: 'Nippon Koei Bangkok' } });
    expect(ok.signer).toMatchObject({ status: 'pinned', name: 'Nippon Koei Bangkok', fingerprint: rawFingerprint(consultant) });
    await svc.invoke('review.close', {});
    expect((await svc.invoke('review.open', { package: pkg })).signer.status).toBe('trusted');
    await svc.invoke('review.close', {});
  });

  it('a re-signed, duplicated-entry or oversized package is refused by review.open', async () => {
    home();
    new Keyring().add({ publicKey: consultant.publicKeyPem }, 'Nippon Koei');
    const resigned = zipOf(signManifest({ ...FILES, 'plan.gpkg': plan }, newSigner(), 'Nippon Koei'));
    const dup = zipOf([['plan.gpkg', enc('tampered')], ...Object.entries(signManifest({ ...FILES, 'plan.gpkg': plan }, consultant, 'Nippon Koei'))]);
    const z = await zerosDeflated(64);
    const bomb = join(dir, 'review-bomb.zip');
    craftZip(bomb, Object.entries(signManifest({ ...FILES, 'plan.gpkg': Buffer.alloc(0) }, consultant, 'Nippon Koei', (m) => { m.files.find((x: { path: string }) => x.path === 'plan.gpkg').bytes = z.size; }))
      .map(([name, data]) => (name === 'plan.gpkg' ? { name, deflated: z } : { name, data })));
    const codes: string[] = [];
    for (const p of [resigned, dup, bomb]) {
      const r = await svc.call('review.open', { package: p });
      codes.push(r.ok ? 'opened' : r.error.code);
    }
    expect(codes).toEqual(['E_SIGNER_CHANGED', 'E_PACKAGE_INVALID', 'E_PACKAGE_TOO_LARGE']);
  });
});
