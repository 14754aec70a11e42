/** Handlers for report methods. */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Handlers } from '../service.js';
import type { REPORT_METHODS } from '../schemas/report.js';
import { buildReportModel } from '../../report/build.js';
import { reportAuthors } from '../../report/scenario-authors.js';
import type { ReportModel } from '../../report/model.js';
import { renderReport } from '../../report/render.js';
import { makePlanPackage, verifyPlanPackage } from '../../report/plan-package.js';
import { parseFingerprint } from '../../report/keyring.js';

export const reportHandlers: Handlers<keyof typeof REPORT_METHODS> = {
  'report.model': async (opts, _c, svc) => {
    const project = svc.requireProject();
    return buildReportModel(project, opts, await reportAuthors(project));
  },

  'report.generate': async ({ outDir, html, pdf, name, jobId: _j, ...opts }, ctx, svc) => {
    const t0 = performance.now();
    ctx.progress(0, 'collecting results');
    const project = svc.requireProject();
    const dir = resolve(outDir);
    mkdirSync(dir, { recursive: true });
    let model!: ReportModel;
    const authors = await reportAuthors(project);
    // Chromium starts and loads the report page while the model is being built.
    const out = await renderReport(() => (model = buildReportModel(project, opts, authors)), {
      outDir: dir, html: html ?? true, pdf: pdf ?? false, name, onStep: (s) => { if (s === 'model built') ctx.progress(0.3, 'rendering'); },
    });
    ctx.progress(1, 'done');
    return { ...out, sections: model.sections.map((s) => s.title), omittedPersonalFields: model.omittedPersonalFields, ms: performance.now() - t0 };
  },

  'package.create': async ({ out, zip, includePersonal, includeFields, excludeFields, signer, jobId: _j, ...opts }, ctx, svc) => {
    ctx.progress(0, 'rendering report and copying the project');
    const r = await makePlanPackage(svc.requireProject(), { ...opts, out: resolve(out), zip, includePersonal, includeFields, excludeFields, signer });
    ctx.progress(1, 'signed');
    return { path: r.path, keyId: r.manifest.signature.keyId, files: r.manifest.files, omittedPersonalFields: r.manifest.omittedPersonalFields };
  },

  'package.verify': ({ path, acceptFingerprint, ...opts }) =>
    verifyPlanPackage(resolve(path), { ...opts, ...(acceptFingerprint ? { acceptFingerprint: parseFingerprint(acceptFingerprint)! } : {}) }),
};
