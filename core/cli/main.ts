/**
 * The headless entry point: `ekimae <command> ...`. Exit codes: 0 ok, 1 user or data error
 * (message on stderr), 2 usage error.
 */
import { EkimaeError } from '../api/errors.js';
import { EkimaeService } from '../api/service.js';
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, parse, UsageError, type Command, type Io } from './command.js';
import { callCommand } from './commands/call.js';
import { catchmentCommand } from './commands/catchment.js';
import { exportCommand, importCommand, infoCommand, newCommand } from './commands/project.js';
import { analyzeCommand } from './commands/analyze.js';
import { lvcCommand } from './commands/lvc.js';
import { packageCommand, reportCommand, verifyCommand } from './commands/report.js';
import { scenarioCommand } from './commands/scenario.js';
import { reviewCommand } from './commands/review.js';
import { keysCommand } from './commands/keys.js';
import { pushCommand } from './commands/push.js';
import { pullCommand } from './commands/pull.js';
import { redactText } from '../store/postgis/url.js';

/** One line per command module. */
export const COMMANDS: Command[] = [newCommand, importCommand, infoCommand, exportCommand, reportCommand, packageCommand, verifyCommand, keysCommand, reviewCommand, catchmentCommand, scenarioCommand, lvcCommand, analyzeCommand, callCommand, pushCommand, pullCommand];

const defaultIo: Io = {
  out: (s) => process.stdout.write(s + '\n'),
  err: (s) => process.stderr.write(s + '\n'),
  stdin: async () => {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

function help(): string {
  return ['Ekimae — transit-oriented development planning from the command line', '', 'usage: ekimae <command> [options]   (ekimae <command> --help for details)', '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) { io.err(help()); return EXIT_USAGE; } // a usage error: stdout stays clean for pipes
  if (name === '--help' || name === '-h' || name === 'help') { io.out(help()); return EXIT_OK; }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.err(`ekimae: unknown command "${name}"\n\n${help()}`);
    return EXIT_USAGE;
  }
  const svc = new EkimaeService();
  try {
    const args = parse(cmd, rest);
    if (args.values.help) { io.out(`${cmd.summary}\n\nusage: ${cmd.usage}`); return EXIT_OK; }
    return await cmd.run(args, svc, io);
  } catch (e) {
    // A database address in a message never shows its password.
    if (e instanceof UsageError) { io.err(redactText(`ekimae ${cmd.name}: ${e.message}\nusage: ${cmd.usage}`)); return EXIT_USAGE; }
    if (e instanceof EkimaeError) { io.err(redactText(`ekimae ${cmd.name}: ${e.code}: ${e.message}`)); return EXIT_DATA; }
    io.err(redactText(`ekimae ${cmd.name}: E_INTERNAL: ${(e as Error).stack ?? e}`));
    return EXIT_DATA;
  } finally {
    svc.close();
  }
}
