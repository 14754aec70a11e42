/** `ekimae report`: the master-plan report as HTML and/or PDF. */
import { EXIT_OK, UsageError, type Command } from '../command.js';
import { openProject } from './project.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'write the master-plan report (self-contained HTML, PDF)',
  usage: 'ekimae report <project.gpkg> --out <dir> [--pdf] [--html] [--station <name>] [--scenarios a,b] [--paper A4|A3] [--landscape] [--title <t>]',
  options: {
    out: { type: 'string' }, pdf: { type: 'boolean' }, html: { type: 'boolean' }, station: { type: 'string' }, scenarios: { type: 'string' },
    paper: { type: 'string' }, landscape: { type: 'boolean' }, title: { type: 'string' },
  },
  async run({ values, positionals }, svc, io) {
    if (typeof values.out !== 'string') throw new UsageError('--out <dir> is required');
    const paper = values.paper ?? 'A4';
    if (paper !== 'A4' && paper !== 'A3') throw new UsageError('--paper must be A4 or A3');
    await openProject(svc, positionals[0], true);
    // Neither flag: both formats; one flag: just that one.
    const both = !values.pdf && !values.html;
    const r = await svc.invoke('report.generate', {
      outDir: values.out, pdf: both || !!values.pdf, html: both || !!values.html, paper, orientation: values.landscape ? 'landscape' : 'portrait',
      station: typeof values.station === 'string' ? values.station : undefined, title: typeof values.title === 'string' ? values.title : undefined,
      scenarios: typeof values.scenarios === 'string' ? values.scenarios.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    });
    for (const f of [r.html, r.pdf]) if (f) io.out(`wrote ${f}`);
    io.out(`${r.sections.length} sections in ${(r.ms / 1000).toFixed(1)} s`);
    for (const o of r.omittedPersonalFields) io.out(`  personal field left out: ${o.layer}.${o.field}`);
    return EXIT_OK;
  },
};
