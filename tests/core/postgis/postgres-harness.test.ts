/**
 * The test server harness itself: a test process that is killed outright (SIGKILL: no afterAll, no
 * exit handler) leaves no postgres running and no data directory behind, because the watchdog the
 * harness starts the server under notices its parent is gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPostgres } from '../../helpers/postgres.js';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const found = findPostgres();
const alive = (pid: number) => { try { return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')); } catch { return false; } };

describe.skipIf(!found.bin)(`test PostgreSQL harness${found.bin ? '' : ` — skipped: ${found.reason}`}`, () => {
  it('a killed test process leaves no postgres process and no data directory', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/core/postgis/crash-worker.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    child.stderr.on('data', (d) => { err += d; });
    const info = await new Promise<{ dir: string; pid: number }>((res, rej) => {
      child.stdout.on('data', (d) => { out += d; const line = out.split('\n').find((l) => l.startsWith('{')); if (line) res(JSON.parse(line)); });
      child.on('close', (code) => rej(new Error(`worker exited ${code}: ${err}`)));
    });
    expect(existsSync(join(info.dir, 'data', 'PG_VERSION'))).toBe(true);
    expect(alive(info.pid)).toBe(true);
    child.kill('SIGKILL');
    for (let i = 0; i < 300 && (existsSync(info.dir) || alive(info.pid)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(info.pid)).toBe(false);
    expect(existsSync(info.dir)).toBe(false);
  });
});
