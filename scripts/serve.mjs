#!/usr/bin/env node
// `npm run serve`: the app in a browser. Builds the renderer if it is missing or stale, opens the Bang
// Sue working copy (or --project), starts the loopback server and opens a browser on a one-time sign-in link.
// Options: --project <file.gpkg>, --port <n>, --no-open, --allow <dir>[:<dir>…] (folders the page may name
// besides the home and temp folders; see core/api/transports/browser-paths.ts).
import { spawn } from 'node:child_process';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import { ROOT, buildRenderer, rendererIsStale } from './build-app.mjs';
import { analyzeFreshSample, ensureWorkingProject, parseArgs } from './start-app.mjs';

function openBrowser(url) {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => console.log('(Could not open a browser here; open the URL above yourself.)'));
  child.unref();
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { project: 'value', port: 'value', 'no-open': 'flag', allow: 'value' });
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, not ${args.port}`);
  if (rendererIsStale()) buildRenderer();

  register();
  const { EkimaeService } = await import(pathToFileURL(join(ROOT, 'core', 'api', 'service.ts')).href);
  const { startServer } = await import(pathToFileURL(join(ROOT, 'core', 'api', 'transports', 'http-server.ts')).href);
  const { openStartupProject } = await import(pathToFileURL(join(ROOT, 'core', 'api', 'transports', 'startup-project.ts')).href);
  const { BrowserPathPolicy } = await import(pathToFileURL(join(ROOT, 'core', 'api', 'transports', 'browser-paths.ts')).href);

  const service = new EkimaeService();
  const { path, note, fresh } = ensureWorkingProject({ project: args.project ?? null });
  console.log(note);
  if (fresh) analyzeFreshSample(path);
  const opened = await openStartupProject(service, path);
  if (!opened.ok) console.error(`Could not open ${path}: ${opened.error.message} (${opened.error.code}); the app starts without a project.`);

  // There are no file dialogs in a browser: paths a page names must lie in the home or temp folder (not
  // hidden), the start-up project's folder, the samples, or a folder given with --allow.
  const pathPolicy = new BrowserPathPolicy({ allow: (args.allow ?? '').split(delimiter).filter(Boolean).map((d) => resolve(d)) });
  pathPolicy.addRoot(dirname(path));
  pathPolicy.addRoot(join(ROOT, 'sample-data'));
  const server = await startServer({ service, port, staticDir: join(ROOT, 'dist', 'renderer'), pathPolicy });
  // The browser is started with a one-time sign-in link, not the token: a command line is readable by
  // every local user (ps), and the link is spent once the browser has exchanged it for a cookie.
  const login = server.loginUrl();
  console.log(`\nEkimae is running at http://127.0.0.1:${server.port}/ (loopback only). Ctrl+C stops it.`);
  console.log(`Sign in once with ${login}\n(works once, within a minute; for another browser use ${server.url} and keep it private).`);
  if (!args['no-open']) openBrowser(login);

  const stop = async () => {
    // Whatever holds up the orderly stop (a client keeping its connection open), Ctrl+C ends the process.
    setTimeout(() => process.exit(0), 3000).unref();
    await server.close();
    service.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`npm run serve: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
