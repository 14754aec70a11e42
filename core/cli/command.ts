/** What a CLI subcommand is; exit codes shared by all. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { EkimaeService } from '../api/service.js';

export const EXIT_OK = 0;
export const EXIT_DATA = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Standard input as text (for `call <method> -`). */
  stdin: () => Promise<string>;
}

export interface Command {
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { values: Record<string, unknown>; positionals: string[] }, svc: EkimaeService, io: Io): Promise<number>;
  /**
   * A run without the service, tried first: file-to-answer commands skip loading the contract, its
   * schemas and every handler (most of the CLI's start-up). Returns undefined when the service is needed.
   */
  direct?(args: { values: Record<string, unknown>; positionals: string[] }, io: Io): Promise<number | undefined>;
}

export function parse(cmd: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...cmd.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
