/**
 * The scenario model as it crosses the contract and is stored in the project: walk bands, rules by
 * band × land use, zone overrides, exclusions, public land, per-parcel overrides. Schemas check
 * shape and ranges; compile.ts checks what needs the whole scenario (band overlaps, vocabulary).
 */
import { z } from 'zod';
import { EXCLUSION_KINDS } from './vocabulary.js';

/** Upper sanity limits: anything beyond is a typo, not a plan (Manhattan and Hong Kong peak near FAR 15–20). */
export const MAX_FAR = 50;
export const MAX_FLOORS = 300;

export const BandSchema = z.object({
  name: z.string().min(1).max(60),
  fromM: z.number().min(0).max(100_000),
  toM: z.number().min(0).max(100_000),
}).strict();

export const SplitSchema = z.object({
  residential: z.number().min(0).max(1),
  commercial: z.number().min(0).max(1),
  office: z.number().min(0).max(1),
  civic: z.number().min(0).max(1),
}).strict();

export const ParkingSchema = z.object({
  perDwelling: z.number().min(0).max(10),
  per100m2NonResidential: z.number().min(0).max(20),
}).strict();

export const RuleSchema = z.object({
  /** Band names the rule applies to; omitted = every band (not parcels outside all bands). */
  bands: z.array(z.string().min(1).max(60)).max(50).optional(),
  /** Land uses the rule applies to; omitted = every land use but open space, water and transport. Checked against the vocabulary. */
  landUses: z.array(z.string().min(1).max(60)).max(20).optional(),
  maxFar: z.number().min(0).max(MAX_FAR),
  maxFloors: z.number().min(0).max(MAX_FLOORS),
  /** Share of the developable site a building may cover (0–1]. */
  coverage: z.number().gt(0).max(1),
  /** Share of the site given over as public open space on redevelopment (0–0.9). */
  openSpaceShare: z.number().min(0).max(0.9).default(0),
  split: SplitSchema,
  parking: ParkingSchema.default({ perDwelling: 0, per100m2NonResidential: 0 }),
}).strict();

export const ExclusionSchema = z.object({
  layer: z.string().min(1).max(200),
  kind: z.enum(EXCLUSION_KINDS),
  /** For line or point layers: parcels whose centroid lies within this distance are excluded. */
  bufferM: z.number().min(0).max(2000).default(0),
}).strict();

export const PublicLandSchema = z.object({
  /** keep: public parcels never redevelop; asPrivate: same soft-site test; own: its own factor. */
  mode: z.enum(['keep', 'asPrivate', 'own']),
  softSiteFactor: z.number().min(1).max(100).default(1),
}).strict();

export const ParcelOverrideSchema = z.object({
  fid: z.number().int(),
  maxFar: z.number().min(0).max(MAX_FAR).optional(),
  maxFloors: z.number().min(0).max(MAX_FLOORS).optional(),
  landUse: z.string().min(1).max(60).optional(),
  /** keep: never redevelops; redevelop: redevelops to its permitted floor area without the soft-site test. */
  mode: z.enum(['keep', 'redevelop']).optional(),
}).strict();

export const ScenarioDefSchema = z.object({
  name: z.string().min(1).max(120),
  description: z.string().max(4000).default(''),
  bands: z.array(BandSchema).min(1).max(20),
  /** Later rules win where they overlap, so a general rule can come first and exceptions after. */
  rules: z.array(RuleSchema).max(500),
  /** A parcel redevelops only if permitted floor area ≥ this factor × existing floor area. */
  softSiteFactor: z.number().min(1).max(100),
  publicLand: PublicLandSchema,
  exclusions: z.array(ExclusionSchema).max(50).default([]),
  /** A layer of role 'zones' whose far / floors / land_use fields override the band rules inside it. */
  zoneLayer: z.string().min(1).max(200).nullable().default(null),
  parcelOverrides: z.array(ParcelOverrideSchema).max(100_000).default([]),
  /**
   * Extra demand the scenario attracts to the site, as a share of the baseline growth of each
   * market area (docs/SCENARIOS.md, "Take-up"); never beyond the area's absorption ceiling.
   */
  inducedGrowth: z.number().min(0).max(2).default(0),
  /** Vacant land beyond the urban edge (agricultural) takes growth only in a scenario that says it rezones it. */
  rezonesAgricultural: z.boolean().default(false),
}).strict();

export type Band = z.output<typeof BandSchema>;
export type Rule = z.output<typeof RuleSchema>;
export type ScenarioDef = z.output<typeof ScenarioDefSchema>;
export type ScenarioDefInput = z.input<typeof ScenarioDefSchema>;
export type ParcelOverride = z.output<typeof ParcelOverrideSchema>;
