#!/usr/bin/env node
// `npm run build:app`: bundles the Electron shell (main, preload, core host, the Monte Carlo worker) into dist/electron/*.cjs
// with esbuild and builds the renderer into dist/renderer with vite. Also used by start-app.mjs and
// serve.mjs, which rebuild only what is stale.
import { createRequire } from 'node:module';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** Electron 45 runs Node 22. */
const ELECTRON_NODE_TARGET = 'node22';

/**
 * The newest mtime of a file or of a folder and everything in it. Runs at every `ekimae` start (over
 * core/): the entries' types come with the listing, so each file and folder is stat'ed once, and
 * paths are joined by hand (path.join normalising every path was two thirds of the check).
 */
function newestMtime(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  return st.isDirectory() ? newestIn(path, st.mtimeMs) : st.mtimeMs;
}

function newestIn(dir, newest) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    const m = e.isDirectory() ? newestIn(p, statSync(p).mtimeMs) : e.isSymbolicLink() ? newestMtime(p) : statSync(p).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

/** True when dist/renderer is missing or older than any renderer source (or the vite config). */
export function rendererIsStale(root = ROOT) {
  const built = join(root, 'dist', 'renderer', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'vite.config.ts')));
  return sources > statSync(built).mtimeMs;
}

export function buildRenderer(root = ROOT) {
  console.log('Building the renderer (vite build)…');
  // Loaded here, not at the top: bin/ekimae.mjs imports this file on every start, and node:child_process
  // (with net and stream behind it) is a measurable part of a short command's start-up.
  const { spawnSync } = createRequire(import.meta.url)('node:child_process');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the renderer build failed (see the vite output above)');
}

/** The contract's method names, read from the TypeScript source, to inline into the preload. */
export async function contractMethodNames(root = ROOT) {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(pathToFileURL(join(root, 'core', 'api', 'contract.ts')).href, import.meta.url);
  return [...mod.METHOD_NAMES];
}

/**
 * esbuild options for the three Electron bundles. The core host gets every `better-sqlite3` import
 * pointed at electron/native-sqlite.ts (which loads the Electron-ABI addon); only that module itself
 * reaches the real package, left external like electron.
 */
export function electronBundles(root, methodNames) {
  const nativeSqlite = join(root, 'electron', 'native-sqlite.ts');
  // core/ is ESM and may locate files from import.meta.url; in a CJS bundle that becomes the bundle's
  // own URL. dist/electron/ sits two levels below the root, as core/<room>/ does, so '../..' still works.
  const common = {
    bundle: true, platform: 'node', format: 'cjs', target: ELECTRON_NODE_TARGET, external: ['electron'], logLevel: 'warning', legalComments: 'none',
    define: { 'import.meta.url': '__ekimae_bundle_url' },
    banner: { js: 'const __ekimae_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  };
  const electronSqlite = {
    name: 'electron-sqlite',
    setup(build) {
      build.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
        resolve(args.importer) === nativeSqlite ? { path: 'better-sqlite3', external: true } : { path: nativeSqlite });
    },
  };
  return [
    { ...common, entryPoints: [join(root, 'electron', 'main.ts')], outfile: join(root, 'dist', 'electron', 'main.cjs') },
    {
      ...common,
      entryPoints: [join(root, 'electron', 'preload.ts')],
      outfile: join(root, 'dist', 'electron', 'preload.cjs'),
      define: { __EKIMAE_METHODS__: JSON.stringify(methodNames) },
      banner: {},
    },
    {
      ...common,
      entryPoints: [join(root, 'electron', 'core-host.ts')],
      outfile: join(root, 'dist', 'electron', 'core-host.cjs'),
      // playwright-core (PDF reports) finds its own files next to itself: load it from node_modules.
      external: [...common.external, 'playwright-core'],
      plugins: [electronSqlite],
    },
    // The Monte Carlo's worker threads (core/lvc/parallel-mc.ts finds it beside core-host.cjs).
    {
      ...common,
      entryPoints: [join(root, 'core', 'lvc', 'mc-worker.ts')],
      outfile: join(root, 'dist', 'electron', 'lvc-mc-worker.cjs'),
      external: [...common.external, 'playwright-core'],
      plugins: [electronSqlite],
    },
  ];
}

/**
 * The CLI's bundle: core/cli/main.ts and the core it uses, as ESM, two levels below the root as
 * core/<room>/ is (code that finds files from its own URL, '../..', still works). Split into chunks
 * beside the entry so a command loads only the modules it imports (the commands load on demand:
 * core/cli/main.ts); parsing the whole 2 MB bundle was a large part of a short command's start-up.
 * Rebuilt when any file under core/ is newer, so `ekimae` always runs the code the tests exercise.
 * Built in a temporary folder; chunks are named by content hash (a same-named one is the same
 * file) and moved in first, the entry renamed last, so two commands starting at once never load
 * half a build. Chunks no build has used for a day are removed.
 */
export const CLI_BUNDLE = join(ROOT, 'dist', 'cli', 'ekimae.mjs');

export async function ensureCliBundle(root = ROOT) {
  const dir = join(root, 'dist', 'cli');
  const out = join(dir, 'ekimae.mjs');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(root, 'core'))) return out;
  const esbuild = await import('esbuild');
  const tmp = join(dir, `.build-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  const now = Date.now();
  // The Monte Carlo's worker threads load it from beside the chunks (core/lvc/parallel-mc.ts).
  const mcWorker = join(root, 'core', 'lvc', 'mc-worker.ts');
  try {
    await esbuild.build({
      entryPoints: { ekimae: join(root, 'core', 'cli', 'main.ts'), ...(existsSync(mcWorker) ? { 'lvc-mc-worker': mcWorker } : {}) }, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
      outdir: tmp, chunkNames: 'chunk-[hash]', outExtension: { '.js': '.mjs' }, logLevel: 'error', legalComments: 'none',
      // Native and self-locating packages load from node_modules.
      external: ['better-sqlite3', 'playwright-core', 'esbuild'],
      banner: { js: "import { createRequire as __ekimaeCreateRequire } from 'node:module'; const require = __ekimaeCreateRequire(import.meta.url);" },
    });
    for (const name of readdirSync(tmp)) {
      if (name === 'ekimae.mjs') continue;
      renameSync(join(tmp, name), join(dir, name));
    }
    renameSync(join(tmp, 'ekimae.mjs'), out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const name of readdirSync(dir)) {
    if (!/^chunk-.*\.mjs$/.test(name)) continue;
    const p = join(dir, name);
    if (now - statSync(p).mtimeMs > 86_400_000) rmSync(p, { force: true });
  }
  return out;
}

export async function buildElectron(root = ROOT) {
  const esbuild = await import('esbuild');
  const names = await contractMethodNames(root);
  for (const options of electronBundles(root, names)) await esbuild.build(options);
  console.log(`Built dist/electron (main, preload with ${names.length} methods, core host, Monte Carlo worker).`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildElectron();
    buildRenderer();
  } catch (e) {
    console.error(`build:app failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
