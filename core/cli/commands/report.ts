/** `ekimae report`: the master-plan report as HTML and/or PDF. */
import { EXIT_DATA, EXIT_OK, UsageError, type Command } from '../command.js';
import { openProject } from './project.js';

export const reportCommand: Command = {
  name: 'report',
  usage: 'ekimae report <project.gpkg> --out <dir> [--pdf] [--html] [--station <name>] [--scenarios a,b] [--paper A4|A3] [--landscape] [--title <t>] [--lang en|ja|th]',
  options: {
    lang: { type: 'string' }, out: { type: 'string' }, pdf: { type: 'boolean' }, html: { type: 'boolean' }, station: { type: 'string' }, scenarios: { type: 'string' },
    paper: { type: 'string' }, landscape: { type: 'boolean' }, title: { type: 'string' },
  },
  async run({ values, positionals }, svc, io) {
    if (typeof values.out !== 'string') throw new UsageError('--out <dir> is required');
    const paper = values.paper ?? 'A4';
    if (paper !== 'A4' && paper !== 'A3') throw new UsageError('--paper must be A4 or A3');
    const lang = values.lang;
    if (lang !== undefined && lang !== 'en' && lang !== 'ja' && lang !== 'th') throw new UsageError('--lang must be en, ja or th');
    await openProject(svc, positionals[0], true);
    // Neither flag: both formats; one flag: just that one.
    const both = !values.pdf && !values.html;
    const r = await svc.invoke('report.generate', {
      outDir: values.out, pdf: both || !!values.pdf, html: both || !!values.html, paper, orientation: values.landscape ? 'landscape' : 'portrait',
      lang, station: typeof values.station === 'string' ? values.station : undefined, title: typeof values.title === 'string' ? values.title : undefined,
      scenarios: typeof values.scenarios === 'string' ? values.scenarios.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    });
    for (const f of [r.html, r.pdf]) if (f) io.out(`wrote ${f}`);
    io.out(`${r.sections.length} sections in ${(r.ms / 1000).toFixed(1)} s`);
    for (const o of r.omittedPersonalFields) io.out(`  personal field left out: ${o.layer}.${o.field}`);
    return EXIT_OK;
  },
};

export const packageCommand: Command = {
  name: 'package',
  usage: 'ekimae package <project.gpkg> --out <folder> [--zip] [--include-personal] [--include-field layer.field...] [--exclude-field layer.field...] [--signer "Your name"] [--station <name>] [--paper A4|A3] [--landscape] [--lang en|ja|th]',
  options: { lang: { type: 'string' }, out: { type: 'string' }, signer: { type: 'string' }, zip: { type: 'boolean' }, 'include-personal': { type: 'boolean' }, 'include-field': { type: 'string', multiple: true }, 'exclude-field': { type: 'string', multiple: true }, station: { type: 'string' }, paper: { type: 'string' }, landscape: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    if (typeof values.out !== 'string') throw new UsageError('--out <folder> is required');
    const paper = values.paper ?? 'A4';
    if (paper !== 'A4' && paper !== 'A3') throw new UsageError('--paper must be A4 or A3');
    const lang = values.lang;
    if (lang !== undefined && lang !== 'en' && lang !== 'ja' && lang !== 'th') throw new UsageError('--lang must be en, ja or th');
    await openProject(svc, positionals[0], true);
    const r = await svc.invoke('package.create', { lang,
      out: values.out, zip: !!values.zip, includePersonal: !!values['include-personal'], paper,
      includeFields: values['include-field'] as string[] | undefined, excludeFields: values['exclude-field'] as string[] | undefined, orientation: values.landscape ? 'landscape' : 'portrait',
      station: typeof values.station === 'string' ? values.station : undefined, signer: typeof values.signer === 'string' ? values.signer : undefined,
    });
    io.out(`wrote ${r.path}, signed with key ${r.keyId}`);
    for (const f of r.files) io.out(`  ${f.path}  ${f.bytes} bytes  sha256 ${f.sha256}`);
    for (const o of r.omittedPersonalFields) io.out(`  personal field removed: ${o.layer}.${o.field}`);
    return EXIT_OK;
  },
};

const groupFp = (fp: string | null) => (fp ? fp.replace(/(.{4})(?=.)/g, '$1 ') : 'none');

export const verifyCommand: Command = {
  name: 'verify',
  usage: `ekimae verify <package folder or .zip> [--trust-new-signer [--name "Signer"]] [--accept-changed-signer] [--key <key id>] [--json]
  An unknown signer fails (E_SIGNER_UNKNOWN) unless --trust-new-signer pins it (trust on first use; check the
  fingerprint with the sender). A known name with a different key fails (E_SIGNER_CHANGED) unless --accept-changed-signer.`,
  options: { key: { type: 'string' }, 'trust-new-signer': { type: 'boolean' }, 'accept-changed-signer': { type: 'boolean' }, name: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one package');
    if (values.name !== undefined && !values['trust-new-signer'] && !values['accept-changed-signer']) throw new UsageError('--name goes with --trust-new-signer or --accept-changed-signer');
    const r = await svc.invoke('package.verify', {
      path: positionals[0], trustedKeyId: typeof values.key === 'string' ? values.key : undefined,
      trustNewSigner: !!values['trust-new-signer'], acceptChangedSigner: !!values['accept-changed-signer'], signerName: typeof values.name === 'string' ? values.name : undefined,
    });
    if (values.json) { io.out(JSON.stringify(r)); return r.ok ? EXIT_OK : EXIT_DATA; }
    const s = r.signer;
    if (r.ok) {
      if (s.status === 'pinned') io.out(`now trusting "${s.name}" with key fingerprint ${groupFp(s.fingerprint)} (ekimae keys list shows it)`);
      const who = s.status === 'own' ? `this installation's own key${s.claimedName ? ` ("${s.claimedName}")` : ''}` : `"${s.name}"`;
      io.out(`OK: ${r.files} files match the manifest, signed by ${who}, fingerprint ${groupFp(s.fingerprint)} (key ${r.keyId})`);
      return EXIT_OK;
    }
    io.err(`ekimae verify: ${r.code ?? 'E_PACKAGE_INVALID'}: ${positionals[0]} FAILED`);
    for (const p of r.problems) io.err(`  - ${p}`);
    if (r.code === 'E_SIGNER_UNKNOWN') io.err(`  fingerprint ${groupFp(s.fingerprint)}: if the sender confirms it, run again with --trust-new-signer [--name "…"]`);
    if (r.code === 'E_SIGNER_CHANGED') io.err(`  new fingerprint ${groupFp(s.fingerprint)}, known ${groupFp(s.knownFingerprint ?? null)}: only with the signer's confirmation, run again with --accept-changed-signer`);
    return EXIT_DATA;
  },
};
