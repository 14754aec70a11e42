/** Report methods: the report model (for Electron to print) and rendered HTML/PDF files. */
import { z } from 'zod';
import { JobIdSchema, PathSchema } from './common.js';
import { FingerprintSchema, SignerInfoSchema } from './keys.js';
import { FieldChoiceSchema } from './project.js';
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
    input: z.object({ ...ReportOptionsSchema, out: PathSchema, zip: z.boolean().optional(), includePersonal: z.boolean().optional(), includeFields: FieldChoiceSchema.optional(), excludeFields: FieldChoiceSchema.optional(), signer: z.string().min(1).max(200).regex(/^[^\u0000-\u001f]+$/).optional(), jobId: JobIdSchema }).strict(),
    output: z.object({ path: z.string(), keyId: z.string(), files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number() })), omittedPersonalFields: z.array(z.object({ layer: z.string(), field: z.string() })) }),
    long: true,
  },
  'package.verify': {
    description: 'Check a plan package: its entries are exactly the manifest\'s files, each matches its hash, the manifest has a valid Ed25519 signature, and the signer is trusted (keyring). An unknown signer is pinned only with trustNewSigner; a new key for a known name only with acceptChangedSigner.',
    input: z.object({
      path: PathSchema, trustedKeyId: z.string().regex(/^[0-9a-f]{16}$/).optional(),
      trustNewSigner: z.boolean().optional(), acceptChangedSigner: z.boolean().optional(), acceptFingerprint: FingerprintSchema.optional(), signerName: z.string().min(1).max(200).optional(),
    }).strict(),
    output: z.object({ ok: z.boolean(), keyId: z.string().nullable(), problems: z.array(z.string()), files: z.number().int(), signer: SignerInfoSchema, code: z.string().nullable() }),
  },
} as const;
