import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpDir } from '../helpers/tmp.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function generate(out: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'sample-data/generate.ts'), '--only', 'bang-sue', '--radius', '1200', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited ${code}: ${err}`))));
  });
}

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('sample-data generator', () => {
  // Two runs side by side over a 1.2 km Bang Sue (the full pipeline on less land, a few seconds
  // each on an idle machine): the same bytes.
  it('rebuilds bang-sue.gpkg byte for byte', async () => {
    const a = tmpDir('ekimae-sample-a-'), b = tmpDir('ekimae-sample-b-');
    await Promise.all([generate(a), generate(b)]);
    expect(sha(join(a, 'bang-sue.gpkg'))).toBe(sha(join(b, 'bang-sue.gpkg')));
  }, 300_000);
});
