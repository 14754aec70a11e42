/** Review methods: a council reviewer opens a signed plan package read-only and pins comments to it. */
import { z } from 'zod';
import { BBoxSchema, LayerNameSchema, PathSchema } from './common.js';
import { ExportResultSchema, ProjectInfoSchema } from './project.js';
import { FingerprintSchema, SignerInfoSchema } from './keys.js';
import { AUTHOR_MAX, COMMENT_STATUSES, TEXT_MAX } from '../../review/comments-file.js';

const CommentTextSchema = z.string().max(TEXT_MAX * 2).refine((s) => s.trim().length >= 1 && s.trim().length <= TEXT_MAX, `text must be 1 to ${TEXT_MAX} characters (not only spaces)`);
const AuthorSchema = z.string().max(AUTHOR_MAX * 2).refine((s) => s.trim().length >= 1 && s.trim().length <= AUTHOR_MAX, `author must be 1 to ${AUTHOR_MAX} characters`);
const CommentIdSchema = z.string().min(1).max(100);

export const CommentSchema = z.object({
  id: z.string(),
  author: z.string(),
  text: z.string(),
  status: z.enum(COMMENT_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string().nullable(),
  layer: z.string().nullable(),
  fid: z.number().int().nullable(),
  lon: z.number(),
  lat: z.number(),
  packageManifestSha256: z.string(),
  /** False for comments made on an earlier version of the package (kept, shown apart). */
  currentPackage: z.boolean(),
});

export const REVIEW_METHODS = {
  'review.open': {
    description: 'Verify a signed plan package and open its plan read-only for review, with the comments kept beside it.',
    input: z.object({
      package: PathSchema, trustedKeyId: z.string().regex(/^[0-9a-f]{16}$/).optional(), reviewFile: PathSchema.optional(),
      /** The signer the reviewer was shown (E_SIGNER_UNKNOWN / E_SIGNER_CHANGED details) and accepted. */
      acceptSigner: z.object({ fingerprint: FingerprintSchema, name: z.string().min(1).max(200).optional() }).strict().optional(),
    }).strict(),
    output: z.object({
      package: z.string(), reviewFile: z.string(), manifestSha256: z.string(), keyId: z.string(), signer: SignerInfoSchema, packageCreatedAt: z.string(),
      pinArea: BBoxSchema.nullable(), project: ProjectInfoSchema, comments: z.array(CommentSchema),
    }),
  },
  'review.addComment': {
    description: 'Pin a comment to a place (lon, lat) or a feature (layer and fid; at its centre unless lon/lat are given).',
    input: z.object({
      text: CommentTextSchema, author: AuthorSchema,
      lon: z.number().min(-180).max(180).optional(), lat: z.number().min(-90).max(90).optional(),
      layer: LayerNameSchema.optional(), fid: z.number().int().min(0).optional(),
    }).strict(),
    output: CommentSchema,
  },
  'review.list': {
    description: 'The review comments, oldest first (optionally only open or resolved ones).',
    input: z.object({ status: z.enum(COMMENT_STATUSES).optional() }).strict(),
    output: z.array(CommentSchema),
  },
  'review.updateComment': {
    description: 'Change a comment\'s text or mark it resolved (or open again).',
    input: z.object({ id: CommentIdSchema, text: CommentTextSchema.optional(), status: z.enum(COMMENT_STATUSES).optional() }).strict(),
    output: CommentSchema,
  },
  'review.removeComment': {
    description: 'Delete a review comment.',
    input: z.object({ id: CommentIdSchema }).strict(),
    output: z.object({ removed: z.string() }),
  },
  'review.export': {
    description: 'Write the comments as a GeoPackage or GeoJSON point layer the consultant imports back into the project.',
    input: z.object({ format: z.enum(['gpkg', 'geojson']), path: PathSchema, overwrite: z.boolean().optional() }).strict(),
    output: ExportResultSchema,
  },
  'review.close': {
    description: 'End the review: close the plan and remove the working copy (comments stay in the review file).',
    input: z.object({}).strict(),
    output: z.object({ closed: z.boolean() }),
  },
} as const;
