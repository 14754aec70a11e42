/**
 * The headless entry point: `ekimae <command> ...`. Exit codes: 0 ok, 1 user or data error
 * (message on stderr), 2 usage error.
 *
 * Commands and the service load on demand: evaluating the contract (every zod schema, every
 * handler and the engines behind them) was most of a file-to-answer run's start-up, and a command
 * such as `catchment --network f.geojson` needs none of it (`npm run bench -- catchment-cli`).
 */
import { EkimaeError } from '../errors.js';
import type { EkimaeService } from '../api/service.js';
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, parse, UsageError, type Command, type Io } from './command.js';
import { redactText } from '../store/postgis/url.js';

export interface CommandEntry { name: string; load: () => Promise<Command> }

/** One line per command; the module is imported only when the command runs (or for the help). */
export const COMMANDS: CommandEntry[] = [
  { name: 'new', load: async () => (await import('./commands/project.js')).newCommand },
  { name: 'import', load: async () => (await import('./commands/project.js')).importCommand },
  { name: 'info', load: async () => (await import('./commands/project.js')).infoCommand },
  { name: 'export', load: async () => (await import('./commands/project.js')).exportCommand },
  { name: 'report', load: async () => (await import('./commands/report.js')).reportCommand },
  { name: 'package', load: async () => (await import('./commands/report.js')).packageCommand },
  { name: 'verify', load: async () => (await import('./commands/report.js')).verifyCommand },
  { name: 'keys', load: async () => (await import('./commands/keys.js')).keysCommand },
  { name: 'review', load: async () => (await import('./commands/review.js')).reviewCommand },
  { name: 'catchment', load: async () => (await import('./commands/catchment.js')).catchmentCommand },
  { name: 'access', load: async () => (await import('./commands/access.js')).accessCommand },
  { name: 'scenario', load: async () => (await import('./commands/scenario.js')).scenarioCommand },
  { name: 'lvc', load: async () => (await import('./commands/lvc.js')).lvcCommand },
  { name: 'analyze', load: async () => (await import('./commands/analyze.js')).analyzeCommand },
  { name: 'call', load: async () => (await import('./commands/call.js')).callCommand },
  { name: 'push', load: async () => (await import('./commands/push.js')).pushCommand },
  { name: 'pull', load: async () => (await import('./commands/pull.js')).pullCommand },
];

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function help(): Promise<string> {
  const cmds = await Promise.all(COMMANDS.map((c) => c.load()));
  return ['Ekimae — transit-oriented development planning from the command line', '', 'usage: ekimae <command> [options]   (ekimae <command> --help for details)', '',
    ...cmds.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) { io.err(await help()); return EXIT_USAGE; } // a usage error: stdout stays clean for pipes
  if (name === '--help' || name === '-h' || name === 'help') { io.out(await help()); return EXIT_OK; }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`ekimae: unknown command "${name}"\n\n${await help()}`);
    return EXIT_USAGE;
  }
  const cmd = await entry.load();
  let svc: EkimaeService | null = null;
  try {
    const args = parse(cmd, rest);
    if (args.values.help) { io.out(`${cmd.summary}\n\nusage: ${cmd.usage}`); return EXIT_OK; }
    const done = cmd.direct ? await cmd.direct(args, io) : undefined;
    if (done !== undefined) return done;
    svc = new (await import('../api/service.js')).EkimaeService();
    return await cmd.run(args, svc, io);
  } catch (e) {
    // A database address in a message never shows its password.
    if (e instanceof UsageError) { io.err(redactText(`ekimae ${cmd.name}: ${e.message}\nusage: ${cmd.usage}`)); return EXIT_USAGE; }
    if (e instanceof EkimaeError) { io.err(redactText(`ekimae ${cmd.name}: ${e.code}: ${e.message}`)); return EXIT_DATA; }
    io.err(redactText(`ekimae ${cmd.name}: E_INTERNAL: ${(e as Error).stack ?? e}`));
    return EXIT_DATA;
  } finally {
    svc?.close();
  }
}
