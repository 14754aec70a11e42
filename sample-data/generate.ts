/**
 * npm run sample-data [-- --out <dir>] [-- --only bang-sue|mahsr] [-- --radius <m>]
 * Rebuilds the sample projects byte for byte: seeded randomness, a frozen clock, VACUUMed files.
 * --radius shrinks the Bang Sue site (same pipeline, less land): the determinism test uses it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFixedClock } from '../core/store/clock.js';
import { writeBangSue } from './projects/bang-sue-project.js';
import { writeMahsr } from './projects/mahsr-project.js';

export const CLOCK = '2026-01-01T00:00:00.000Z';

export function generate(outDir: string, only?: string, radius?: number): string[] {
  mkdirSync(outDir, { recursive: true });
  setFixedClock(CLOCK);
  const written: string[] = [];
  try {
    if (!only || only === 'bang-sue') written.push(writeBangSue(join(outDir, 'bang-sue.gpkg'), CLOCK, radius));
    if (!only || only === 'mahsr') written.push(writeMahsr(join(outDir, 'mahsr-corridor.gpkg'), CLOCK));
  } finally {
    setFixedClock(null);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (k: string) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : undefined; };
  const out = opt('--out') ?? dirname(fileURLToPath(import.meta.url));
  const t0 = Date.now();
  const radius = opt('--radius');
  for (const f of generate(out, opt('--only'), radius ? Number(radius) : undefined)) console.log(`wrote ${f}`);
  console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
