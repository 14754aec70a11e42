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
import { APP_VERSION } from '../version.js';

export interface CommandEntry { name: string; summary: string; load: () => Promise<Command> }

/**
 * One line per command, with its summary (for the help and `<command> --help`); the module is
 * imported only when the command runs, so the help loads none of them.
 */
export const COMMANDS: CommandEntry[] = [
  { name: 'new', summary: 'create a project file', load: async () => (await import('./commands/project.js')).newCommand },
  { name: 'import', summary: 'import files (GeoJSON, Shapefile, GeoPackage, KML/KMZ, CSV, OSM, GTFS zip or folder) into a project', load: async () => (await import('./commands/project.js')).importCommand },
  { name: 'info', summary: 'show a project: settings, layers, counts, CRS, extent, roles, provenance', load: async () => (await import('./commands/project.js')).infoCommand },
  { name: 'export', summary: 'export layers to GeoJSON, GeoPackage, CSV or zipped Shapefile; or a land value capture run\'s cash flow (--lvc) to CSV or .xlsx', load: async () => (await import('./commands/project.js')).exportCommand },
  { name: 'report', summary: 'write the master-plan report (self-contained HTML, PDF)', load: async () => (await import('./commands/report.js')).reportCommand },
  { name: 'package', summary: 'make a signed plan package for a council (report.pdf, report.html, plan.gpkg, manifest)', load: async () => (await import('./commands/report.js')).packageCommand },
  { name: 'verify', summary: 'check a plan package: its files, the Ed25519 signature, and that the signer is trusted (ekimae keys)', load: async () => (await import('./commands/report.js')).verifyCommand },
  { name: 'keys', summary: 'trusted signers of plan packages: list, add a public key or fingerprint under a name, remove', load: async () => (await import('./commands/keys.js')).keysCommand },
  { name: 'review', summary: 'comment on a signed plan package (list, add at a place or parcel, resolve, remove, export)', load: async () => (await import('./commands/review.js')).reviewCommand },
  { name: 'catchment', summary: 'walk catchments along the street network (files, or a project\'s layers with results stored)', load: async () => (await import('./commands/catchment.js')).catchmentCommand },
  { name: 'access', summary: 'residents and jobs within walk bands of every network node and parcel (stored in the project)', load: async () => (await import('./commands/access.js')).accessCommand },
  { name: 'scenario', summary: 'evaluate density scenarios (the four defaults unless --ids) on the latest catchment, store them, print the comparison', load: async () => (await import('./commands/scenario.js')).scenarioCommand },
  { name: 'lvc', summary: 'land value capture for scenarios (default: all four; uplift, instruments, NPV/IRR, share of station cost financed), stored', load: async () => (await import('./commands/lvc.js')).lvcCommand },
  { name: 'analyze', summary: 'run walk catchments, the default density scenarios and land value capture, and store them', load: async () => (await import('./commands/analyze.js')).analyzeCommand },
  { name: 'call', summary: 'invoke any API method with JSON input, print its JSON output', load: async () => (await import('./commands/call.js')).callCommand },
  { name: 'push', summary: 'write a project into a PostgreSQL/PostGIS schema for a team to share (layers as PostGIS tables)', load: async () => (await import('./commands/push.js')).pushCommand },
  { name: 'pull', summary: 'copy a project shared in PostgreSQL/PostGIS into a GeoPackage file', load: async () => (await import('./commands/pull.js')).pullCommand },
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

function help(): string {
  return [`Ekimae ${APP_VERSION} — transit-oriented development planning from the command line`, '', 'usage: ekimae <command> [options]   (ekimae <command> --help for details; ekimae --version)', '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`)].join('\n');
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name) { io.err(help()); return EXIT_USAGE; } // a usage error: stdout stays clean for pipes
  if (name === '--help' || name === '-h' || name === 'help') { io.out(help()); return EXIT_OK; }
  if (name === '--version' || name === '-V' || name === 'version') { io.out(`ekimae ${APP_VERSION}`); return EXIT_OK; }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`ekimae: unknown command "${name}"\n\n${help()}`);
    return EXIT_USAGE;
  }
  const cmd = await entry.load();
  let svc: EkimaeService | null = null;
  try {
    const args = parse(cmd, rest);
    if (args.values.help) { io.out(`${entry.summary}\n\nusage: ${cmd.usage}`); return EXIT_OK; }
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
