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
} as const;
