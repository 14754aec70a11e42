#!/usr/bin/env node
// better-sqlite3 for Electron's ABI, into .electron-native/better-sqlite3 (the npm-installed addon is
// built for Node and stays for tests and the CLI). A copy of node_modules/better-sqlite3 gets the
// prebuilt Electron addon from prebuild-install, or, failing that, is compiled by node-gyp against
// Electron's headers. Both need internet once; a stamp file skips the work on later starts.
// The core host loads the result through better-sqlite3's nativeBinding option (electron/native-sqlite.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

/** node-gyp: npm's own copy (npm sets npm_config_node_gyp in scripts; else it sits beside node), or npx. */
export function nodeGypCommand(env = process.env, execPath = process.execPath, exists = existsSync) {
  const candidates = [env.npm_config_node_gyp, join(dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];
  const found = candidates.find((c) => c && exists(c));
  return found ? { cmd: execPath, args: [found] } : { cmd: process.platform === 'win32' ? 'npx.cmd' : 'npx', args: ['--yes', 'node-gyp'] };
}

/** Everything the script will do, as data (tested without running any of it). */
export function electronNativePlan({ root = ROOT, electronVersion, sqliteVersion, platform = process.platform, arch = process.arch, env = process.env, execPath = process.execPath, exists = existsSync }) {
  const base = join(root, '.electron-native');
  const dir = join(base, 'better-sqlite3');
  const gyp = nodeGypCommand(env, execPath, exists);
  return {
    source: join(root, 'node_modules', 'better-sqlite3'),
    dir,
    binding: join(dir, 'build', 'Release', 'better_sqlite3.node'),
    stampFile: join(base, 'stamp.json'),
    stamp: { electron: electronVersion, betterSqlite3: sqliteVersion, platform, arch },
    attempts: [
      {
        name: 'prebuilt download (prebuild-install)',
        cmd: execPath,
        args: [join(root, 'node_modules', 'prebuild-install', 'bin.js'), '--runtime', 'electron', '--target', electronVersion, '--arch', arch, '--platform', platform, '--verbose'],
        cwd: dir,
      },
      {
        name: 'compile against Electron headers (node-gyp)',
        cmd: gyp.cmd,
        args: [...gyp.args, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'],
        cwd: dir,
      },
    ],
  };
}

function defaultRun(cmd, args, cwd) {
  return spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, npm_config_runtime: 'electron' } }).status === 0;
}

/**
 * Ensures the addon exists for this Electron, better-sqlite3, platform and arch; returns its path.
 * `run(cmd, args, cwd) → boolean` and `fs` are injectable for tests.
 */
export function ensureElectronNative(plan, { run = defaultRun, fs = { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync, cpSync }, log = console.log } = {}) {
  if (fs.existsSync(plan.binding) && fs.existsSync(plan.stampFile)) {
    try {
      if (JSON.stringify(JSON.parse(fs.readFileSync(plan.stampFile, 'utf8'))) === JSON.stringify(plan.stamp)) return plan.binding;
    } catch {
      // An unreadable stamp means rebuild.
    }
  }
  log(`Preparing better-sqlite3 ${plan.stamp.betterSqlite3} for Electron ${plan.stamp.electron} (${plan.stamp.platform}-${plan.stamp.arch})…`);
  fs.rmSync(plan.dir, { recursive: true, force: true });
  fs.mkdirSync(plan.dir, { recursive: true });
  // The sources only: the Node build in build/ must not be mistaken for the Electron one.
  const nodeBuild = join(plan.source, 'build');
  fs.cpSync(plan.source, plan.dir, { recursive: true, filter: (src) => src !== nodeBuild && !src.startsWith(nodeBuild + sep) });
  const tried = [];
  for (const a of plan.attempts) {
    tried.push(a.name);
    if (run(a.cmd, a.args, a.cwd) && fs.existsSync(plan.binding)) {
      fs.writeFileSync(plan.stampFile, JSON.stringify(plan.stamp));
      log(`better-sqlite3 for Electron: ${plan.binding}`);
      return plan.binding;
    }
  }
  throw new Error(
    `could not get better-sqlite3 for Electron ${plan.stamp.electron} (${plan.stamp.platform}-${plan.stamp.arch}); tried: ${tried.join(', then ')}.\n` +
      'This needs internet access once (a prebuilt download from GitHub, or Electron headers from electronjs.org plus a C++ toolchain: ' +
      'build-essential and python3 on Linux, Xcode command line tools on macOS, Visual Studio Build Tools on Windows).\n' +
      'Without it, `npm run serve` runs the same app in your browser. See docs/DESKTOP.md.',
  );
}

export function defaultPlan(root = ROOT) {
  return electronNativePlan({
    root,
    electronVersion: readJson(join(root, 'node_modules', 'electron', 'package.json')).version,
    sqliteVersion: readJson(join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureElectronNative(defaultPlan());
  } catch (e) {
    console.error(`electron-native: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
