/** Temporary folders left by a killed Ekimae are removed at the next start-up; live ones are not. */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir, sweepTempDirs } from '../../../core/store/temp-dirs.js';
import { tmpDir } from '../../helpers/tmp.js';

const parent = tmpDir('ekimae-test-sweep-');

describe('temporary folders', () => {
  it('are named with a kind and the pid', () => {
    expect(makeTempDir('uploads', parent)).toMatch(new RegExp(`/ekimae-uploads-p${process.pid}-[A-Za-z0-9]{6}$`));
  });

  it('a folder of a SIGKILLed process is swept; ours, a live process\'s and unrelated folders stay', async () => {
    // A child makes its folder and is killed before it can clean up.
    const code = `const { mkdtempSync } = require('node:fs'); mkdtempSync(${JSON.stringify(join(parent, 'ekimae-downloads-p'))} + process.pid + '-'); setInterval(() => {}, 1000); process.stdout.write('ready');`;
    const killed = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((r) => killed.stdout.once('data', () => r()));
    const dead = readdirSync(parent).find((n) => n.startsWith(`ekimae-downloads-p${killed.pid}-`))!;
    expect(dead).toBeDefined();
    killed.kill('SIGKILL');
    await new Promise((r) => killed.once('exit', r));
    expect(existsSync(join(parent, dead))).toBe(true);

    const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const liveDir = join(parent, `ekimae-review-p${live.pid}-abcdef`);
    mkdirSync(liveDir);
    const mine = makeTempDir('gpkg', parent);
    const other = join(parent, 'ekimae-notes-123456');
    mkdirSync(other);
    try {
      expect(sweepTempDirs(parent)).toEqual([dead]);
      expect(existsSync(join(parent, dead))).toBe(false);
      for (const d of [liveDir, mine, other]) expect(existsSync(d), d).toBe(true);
    } finally {
      live.kill('SIGKILL');
    }
  });
});
