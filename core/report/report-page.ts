/**
 * The report page (renderer/report.html built by vite) is made on demand, as the CLI's bundle is:
 * `ekimae report` straight after `npm ci` must work without a separate `npx vite build`. The page is
 * rebuilt when it is missing or older than its sources; only the report entry is built (about 1.5 s,
 * not the app's 30 s), into a temporary folder whose files are then moved into place, report.html
 * last, so a reader never sees a half-written page. A lock file keeps two commands from building at
 * once: the second waits and uses the first one's page.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EkimaeError } from '../errors.js';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

/** Where the report page lives: $EKIMAE_RENDERER_DIR, else dist/renderer (the app's build, which Electron prints from). */
export function rendererDir(root = REPO): string {
  return process.env.EKIMAE_RENDERER_DIR ? resolve(process.env.EKIMAE_RENDERER_DIR) : join(root, 'dist', 'renderer');
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** The page's sources: 0 when they are not there (an installed app ships the built page only). */
function sourcesMtime(root: string): number {
  return Math.max(newestMtime(join(root, 'renderer', 'report')), newestMtime(join(root, 'renderer', 'report.html')));
}

export function reportPageIsStale(root = REPO, dir = rendererDir(root)): boolean {
  const page = join(dir, 'report.html');
  if (!existsSync(page)) return true;
  return sourcesMtime(root) > statSync(page).mtimeMs;
}

/** A lock left by a process that died is taken over; one older than this is assumed dead too. */
const LOCK_STALE_MS = 5 * 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/** Take the lock (O_EXCL create), waiting while another live process holds it. */
async function lock(path: string): Promise<() => void> {
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = NaN, age = 0;
    try { holder = Number(readFileSync(path, 'utf8')); age = Date.now() - statSync(path).mtimeMs; } catch { continue; }
    if ((Number.isInteger(holder) && holder > 0 && !alive(holder)) || age > LOCK_STALE_MS) rmSync(path, { force: true });
    else await sleep(150);
  }
}

function runBuild(root: string, outDir: string): Promise<string> {
  const script = join(root, 'scripts', 'build-report-page.mjs');
  return new Promise((done, fail) => {
    // In Electron's core host process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain Node.
    const child = spawn(process.execPath, [script, outDir], { cwd: root, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => { log += d; });
    child.stderr.on('data', (d) => { log += d; });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done(log) : fail(new Error(log.trim().split('\n').slice(-5).join('\n') || `exit code ${code}`))));
  });
}

/**
 * The report page, built first if missing or stale. Returns its path. An installed app without the
 * sources or vite uses the page it has; with no page and no way to build one it is a coded error.
 */
export async function ensureReportPage(root = REPO, dir = rendererDir(root)): Promise<string> {
  const page = join(dir, 'report.html');
  if (!reportPageIsStale(root, dir)) return page;
  const canBuild = existsSync(join(root, 'scripts', 'build-report-page.mjs')) && existsSync(join(root, 'node_modules', 'vite')) && sourcesMtime(root) > 0;
  if (!canBuild) {
    if (existsSync(page)) return page;
    throw new EkimaeError('E_REPORT_RENDER', `the report page is not built (${page}) and cannot be built here (needs the sources and vite: run "npm ci")`);
  }
  mkdirSync(dir, { recursive: true });
  const release = await lock(join(dir, '.report-page.lock'));
  const tmp = join(dir, `.report-build-${process.pid}-${Date.now()}`);
  try {
    // Another command may have built it while this one waited for the lock.
    if (!reportPageIsStale(root, dir)) return page;
    try {
      await runBuild(root, tmp);
    } catch (e) {
      throw new EkimaeError('E_REPORT_RENDER', `building the report page failed: ${(e as Error).message}`);
    }
    // Assets have content hashes in their names: moving them in first never changes what a current page loads.
    const assets = join(tmp, 'assets');
    if (existsSync(assets)) {
      mkdirSync(join(dir, 'assets'), { recursive: true });
      for (const f of readdirSync(assets)) renameSync(join(assets, f), join(dir, 'assets', f));
    }
    renameSync(join(tmp, 'report.html'), page);
    return page;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    release();
  }
}
