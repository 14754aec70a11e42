#!/usr/bin/env node
// `npm start`: build what is stale, make sure better-sqlite3 is built for Electron, put a working copy
// of the Bang Sue sample in the user data folder (the committed sample is never modified), launch
// Electron on it. Options: --project <file.gpkg>, --rebuild.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, constants, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, buildElectron, buildRenderer, rendererIsStale } from './build-app.mjs';
import { defaultPlan, ensureElectronNative } from './electron-native.mjs';

/** Per-user data folder: $EKIMAE_DATA_DIR, else the platform's usual place. */
export function userDataDir(env = process.env, platform = process.platform, home = homedir()) {
  if (env.EKIMAE_DATA_DIR) return resolve(env.EKIMAE_DATA_DIR);
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Ekimae');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Ekimae');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'ekimae');
}

/**
 * The project to open at start-up, and a line saying what happened. --project wins; otherwise the
 * working copy of the Bang Sue sample (copied once, never overwritten, so the user's edits stay);
 * without the sample, an empty project that the host creates.
 */
export function ensureWorkingProject({ root = ROOT, dataDir = userDataDir(), project = null } = {}) {
  if (project) {
    const path = resolve(project);
    return { path, note: existsSync(path) ? `Opening ${path}` : `Creating an empty project at ${path}` };
  }
  const sample = join(root, 'sample-data', 'bang-sue.gpkg');
  const copy = join(dataDir, 'bang-sue.gpkg');
  if (existsSync(copy)) return { path: copy, note: `Opening your working copy of the Bang Sue sample: ${copy}` };
  if (existsSync(sample)) {
    mkdirSync(dataDir, { recursive: true });
    copyFileSync(sample, copy, constants.COPYFILE_EXCL);
    return { path: copy, fresh: true, note: `Copied the Bang Sue sample to ${copy} (the original stays untouched)` };
  }
  const empty = join(dataDir, 'untitled.gpkg');
  mkdirSync(dataDir, { recursive: true });
  return {
    path: empty,
    note: `The Bang Sue sample (sample-data/bang-sue.gpkg) is not built yet (npm run sample-data); ${existsSync(empty) ? 'opening' : 'creating'} an empty project at ${empty}`,
  };
}

/**
 * A fresh copy of the sample gets the whole analysis once (catchments, the four scenarios, land value
 * capture; a few seconds), so the app opens on results, not on raw layers. Results are derived data:
 * they are not committed with the sample, which keeps the repository small.
 */
export function analyzeFreshSample(path, { root = ROOT, run = spawnSync } = {}) {
  console.log('Running the walk catchments, density scenarios and land value capture on it once…');
  const r = run(process.execPath, [join(root, 'bin', 'ekimae.mjs'), 'analyze', path], { stdio: 'inherit' });
  if (r.status !== 0) console.error('(The analysis did not finish; the app opens on the layers and you can run it from the panels.)');
  return r.status === 0;
}

/** The Electron command line: the app root (package.json "main" is dist/electron/main.cjs) and the project. */
export function electronCommand({ root = ROOT, project, execPath = process.execPath }) {
  return { cmd: execPath, args: [join(root, 'node_modules', 'electron', 'cli.js'), root, `--project=${project}`], cwd: root };
}

/** Simple `--name value` / `--flag` parsing shared with serve.mjs. */
export function parseArgs(argv, known) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.startsWith('--') ? a.slice(2).split(/=(.*)/s, 2) : [null, null];
    if (!key || !(key in known)) throw new Error(`unknown argument ${a} (known: ${Object.keys(known).map((k) => `--${k}`).join(', ')})`);
    if (known[key] === 'flag') out[key] = true;
    else {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`--${key} needs a value`);
      out[key] = v;
    }
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2), { project: 'value', rebuild: 'flag' });
  await buildElectron();
  if (args.rebuild || rendererIsStale()) buildRenderer();
  ensureElectronNative(defaultPlan());
  const { path, note, fresh } = ensureWorkingProject({ project: args.project ?? null });
  console.log(note);
  if (fresh) analyzeFreshSample(path);
  const { cmd, args: eargs, cwd } = electronCommand({ project: path });
  const child = spawn(cmd, eargs, { cwd, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(`npm start: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
