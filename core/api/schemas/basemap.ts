/** Basemap methods: the user's local tile archive (MBTiles or PMTiles) under the project's map and report. */
import { z } from 'zod';
import { PathSchema } from './common.js';

const ArchiveInfoSchema = z.object({
  kind: z.enum(['mbtiles', 'pmtiles']),
  format: z.enum(['pbf', 'png', 'jpg', 'webp']),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  name: z.string().nullable(),
  attribution: z.string().nullable(),
  vectorLayers: z.array(z.object({ id: z.string(), geometry: z.string().optional() })),
});

export const BasemapStateSchema = z.object({
  /** The archive the project points at (absolute), or null. */
  path: z.string().nullable(),
  enabled: z.boolean(),
  archive: ArchiveInfoSchema.nullable(),
  /** Why a set basemap cannot be drawn now (file moved, damaged), as an error code and message. */
  problem: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const BASEMAP_METHODS = {
  'basemap.info': {
    description: 'The basemap the project uses: its local MBTiles/PMTiles file, whether it is shown, and what the archive holds.',
    input: z.object({}).strict(),
    output: BasemapStateSchema,
  },
  'basemap.set': {
    description: 'Point the project at a local MBTiles or PMTiles file (checked before it is kept), clear it (path null), or switch it on or off.',
    input: z.object({ path: PathSchema.nullable().optional(), enabled: z.boolean().optional() }).strict(),
    output: BasemapStateSchema,
  },
  'basemap.tile': {
    description: 'One basemap tile (z/x/y, XYZ numbering) as base64 bytes, vector tiles unzipped; data null where the archive has none.',
    input: z.object({ z: z.number().int().min(0).max(24), x: z.number().int().min(0), y: z.number().int().min(0) }).strict(),
    output: z.object({ format: z.enum(['pbf', 'png', 'jpg', 'webp']), data: z.string().nullable() }),
  },
} as const;
