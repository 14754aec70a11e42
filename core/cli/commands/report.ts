/** `ekimae report`: the master-plan report as HTML and/or PDF. */
import { EXIT_DATA, EXIT_OK, UsageError, type Command } from '../command.js';
import { openProject } from './project.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the master-plan report (self-contained HTML, PDF)',
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
  summary: 'make a signed plan package for a council (report.pdf, report.html, plan.gpkg, manifest)',
  usage: 'ekimae package <project.gpkg> --out <folder> [--zip] [--include-personal] [--station <name>] [--paper A4|A3] [--landscape] [--lang en|ja|th]',
  options: { lang: { type: 'string' }, out: { type: 'string' }, zip: { type: 'boolean' }, 'include-personal': { type: 'boolean' }, station: { type: 'string' }, paper: { type: 'string' }, landscape: { type: 'boolean' } },
  async run({ values, positionals }, svc, io) {
    if (typeof values.out !== 'string') throw new UsageError('--out <folder> is required');
    const paper = values.paper ?? 'A4';
    if (paper !== 'A4' && paper !== 'A3') throw new UsageError('--paper must be A4 or A3');
    const lang = values.lang;
    if (lang !== undefined && lang !== 'en' && lang !== 'ja' && lang !== 'th') throw new UsageError('--lang must be en, ja or th');
    await openProject(svc, positionals[0], true);
    const r = await svc.invoke('package.create', { lang,
      out: values.out, zip: !!values.zip, includePersonal: !!values['include-personal'], paper, orientation: values.landscape ? 'landscape' : 'portrait',
      station: typeof values.station === 'string' ? values.station : undefined,
    });
    io.out(`wrote ${r.path}, signed with key ${r.keyId}`);
    for (const f of r.files) io.out(`  ${f.path}  ${f.bytes} bytes  sha256 ${f.sha256}`);
    for (const o of r.omittedPersonalFields) io.out(`  personal field removed: ${o.layer}.${o.field}`);
    return EXIT_OK;
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check a plan package: file hashes and the Ed25519 signature',
  usage: 'ekimae verify <package folder or .zip> [--key <key id>]',
  options: { key: { type: 'string' } },
  async run({ values, positionals }, svc, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one package');
    const r = await svc.invoke('package.verify', { path: positionals[0], trustedKeyId: typeof values.key === 'string' ? values.key : undefined });
    if (r.ok) { io.out(`OK: ${r.files} files match the manifest, signed by key ${r.keyId}`); return EXIT_OK; }
    io.err(`FAILED: ${positionals[0]}`);
    for (const p of r.problems) io.err(`  - ${p}`);
    return EXIT_DATA;
  },
};
