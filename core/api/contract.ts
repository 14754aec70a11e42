/**
 * The one contract: every method Ekimae's core offers, with zod schemas for its input and output.
 * Electron IPC, the browser-mode HTTP server, the CLI and the tests are all generated from this map;
 * nothing declares a method a second time.
 */
import type { z } from 'zod';
import { PROJECT_METHODS } from './schemas/project.js';
import { CATCHMENT_METHODS } from './schemas/catchment.js';
import { REPORT_METHODS } from './schemas/report.js';
import { LVC_METHODS } from './schemas/lvc.js';
import { SCENARIO_METHODS } from './schemas/scenario.js';
import { REVIEW_METHODS } from './schemas/review.js';
import { GROWTH_METHODS } from './schemas/growth.js';
import { BASEMAP_METHODS } from './schemas/basemap.js';
import { KEYS_METHODS } from './schemas/keys.js';
import { ACCESS_METHODS } from './schemas/access.js';

export interface MethodDef {
  description: string;
  input: z.ZodType;
  output: z.ZodType;
  /** Reports progress and can be cancelled (takes an optional jobId). */
  long?: boolean;
  /** Output can be large (feature lists); transports may skip re-validating it. */
  bulk?: boolean;
  /** Output holds typed arrays: HTTP sends it as a binary body (transports/binary-body.ts), IPC clones it as is. */
  binary?: boolean;
}

export const CONTRACT = {
  ...PROJECT_METHODS,
  ...CATCHMENT_METHODS,
  ...REPORT_METHODS,
  ...LVC_METHODS,
  ...SCENARIO_METHODS,
  ...REVIEW_METHODS,
  ...GROWTH_METHODS,
  ...BASEMAP_METHODS,
  ...KEYS_METHODS,
  ...ACCESS_METHODS,
} as const satisfies Record<string, MethodDef>;

export type Contract = typeof CONTRACT;
export type MethodName = keyof Contract;
export type Input<M extends MethodName> = z.input<Contract[M]['input']>;
export type Output<M extends MethodName> = z.output<Contract[M]['output']>;

export const METHOD_NAMES = Object.keys(CONTRACT) as MethodName[];

export function isMethodName(s: string): s is MethodName {
  return Object.prototype.hasOwnProperty.call(CONTRACT, s);
}

export interface ProgressEvent {
  jobId: string;
  method: MethodName;
  /** 0…1, or null when the total is unknown. */
  fraction: number | null;
  message: string;
}
