/**
 * `ekimae report` straight after `npm ci`: no dist/renderer yet. The command builds the report page
 * itself (core/report/report-page.ts) into the renderer folder, here an empty one named by
 * EKIMAE_RENDERER_DIR, and writes the report; a second command reuses the page it built.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureReportPage, reportPageIsStale } from '../../core/report/report-page.js';
import { tmpDir } from '../helpers/tmp.js';
import { requireToolOrSkip } from '../helpers/tools.js';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const sample = join(ROOT, 'sample-data', 'bang-sue.gpkg');

describe.skipIf(!requireToolOrSkip('chromium') || !existsSync(sample))('the report page is built on demand', () => {
  it('ekimae report works with no built renderer, builds the page once and reuses it', () => {
    const dir = tmpDir('ekimae-fresh-');
    const rendererDir = join(dir, 'dist-renderer');
    copyFileSync(sample, join(dir, 's.gpkg'));
    const env = { ...process.env, EKIMAE_RENDERER_DIR: rendererDir };
    const report = (out: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'ekimae.mjs'), 'report', join(dir, 's.gpkg'), '--out', join(dir, out), '--html'], { env, encoding: 'utf8', timeout: 300_000 });

    expect(existsSync(rendererDir)).toBe(false);
    const r = report('r1');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const page = join(rendererDir, 'report.html');
    expect(existsSync(page)).toBe(true);
    // The page's script is in place beside it, and no temporary build folder or lock is left.
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(readFileSync(page, 'utf8'))![1];
    expect(existsSync(join(rendererDir, script))).toBe(true);
    expect(readdirSync(rendererDir).filter((f) => f.startsWith('.'))).toEqual([]);
    const html = readFileSync(join(dir, 'r1', 'report.html'), 'utf8');
    expect(html).toContain('Site and context');
    expect(html).toContain('<svg');

    // Current now: the next command uses it as it is.
    expect(reportPageIsStale(ROOT, rendererDir)).toBe(false);
  }, 320_000);

  it('two commands asking at once build it once between them (the second waits for the lock) and leave no temporary files', async () => {
    const dir = join(tmpDir('ekimae-race-'), 'renderer');
    const [a, b] = await Promise.all([ensureReportPage(ROOT, dir), ensureReportPage(ROOT, dir)]);
    expect(a).toBe(join(dir, 'report.html'));
    expect(b).toBe(a);
    expect(readdirSync(dir).sort()).toEqual(['assets', 'report.html']);
    const built = statSync(a).mtimeMs;
    expect(await ensureReportPage(ROOT, dir)).toBe(a);
    expect(statSync(a).mtimeMs).toBe(built);
  }, 120_000);

  it('an installed app with no page and no sources to build one from fails with E_REPORT_RENDER, naming the page', async () => {
    const root = tmpDir('ekimae-installed-');
    await expect(ensureReportPage(root, join(root, 'dist', 'renderer'))).rejects.toMatchObject({ code: 'E_REPORT_RENDER', message: expect.stringContaining('cannot be built here') });
  });
});
