/** Report methods: the report model (for Electron to print) and rendered HTML/PDF files. */
import { z } from 'zod';
import { JobIdSchema, PathSchema } from './common.js';
import { OrientationSchema, PaperSchema, ReportModelSchema } from '../../report/model.js';

const ReportOptionsSchema = {
  paper: PaperSchema.optional(),
  orientation: OrientationSchema.optional(),
  scenarios: z.array(z.string().min(1).max(200)).max(50).optional(),
  station: z.string().min(1).max(200).optional(),
  title: z.string().min(1).max(300).optional(),
  /** Report language; default: the project's `language` setting, else English. */
  lang: z.enum(['en', 'ja', 'th']).optional(),
};

export const REPORT_METHODS = {
  'report.model': {
    description: 'The master-plan report as data (sections, tables, chart data, SVG maps), for a client that prints it itself.',
    input: z.object({ ...ReportOptionsSchema }).strict(),
    output: ReportModelSchema,
    bulk: true,
  },
  'report.generate': {
    description: 'Write the master-plan report as self-contained HTML and/or PDF into a folder.',
    input: z.object({ ...ReportOptionsSchema, outDir: PathSchema, html: z.boolean().optional(), pdf: z.boolean().optional(), name: z.string().regex(/^[\w.-]{1,80}$/).optional(), jobId: JobIdSchema }).strict(),
    output: z.object({ html: z.string().nullable(), pdf: z.string().nullable(), sections: z.array(z.string()), omittedPersonalFields: z.array(z.object({ layer: z.string(), field: z.string() })), ms: z.number() }),
    long: true,
  },
  'package.create': {
    description: 'Make a signed plan package for a council: report.pdf, report.html, plan.gpkg and a signed manifest.json (folder or .zip).',
    input: z.object({ ...ReportOptionsSchema, out: PathSchema, zip: z.boolean().optional(), includePersonal: z.boolean().optional(), jobId: JobIdSchema }).strict(),
    output: z.object({ path: z.string(), keyId: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() })), omittedPersonalFields: z.array(z.object({ layer: z.string(), field: z.string() })) }),
    long: true,
  },
  'package.verify': {
    description: 'Check a plan package: every file against the manifest, and the manifest against its Ed25519 signature (optionally against a trusted key id).',
    input: z.object({ path: PathSchema, trustedKeyId: z.string().regex(/^[0-9a-f]{16}$/).optional() }).strict(),
    output: z.object({ ok: z.boolean(), keyId: z.string().nullable(), problems: z.array(z.string()), files: z.number().int() }),
  },
} as const;
