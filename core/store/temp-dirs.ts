/**
 * Ekimae's temporary folders are named ekimae-<kind>-p<pid>-XXXXXX, so one left behind by a process
 * that was killed (no exit handler runs on SIGKILL or a power cut) can be recognised and removed the
 * next time Ekimae starts, without touching a folder a running Ekimae still uses.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAME = /^ekimae-([a-z]+)-p(\d+)-[A-Za-z0-9]{6}$/;

export function makeTempDir(kind: string, parent = tmpdir()): string {
  return mkdtempSync(join(parent, `ekimae-${kind}-p${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Remove Ekimae temporary folders in `parent` whose process is gone; returns their names. */
export function sweepTempDirs(parent = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try { names = readdirSync(parent); } catch { return removed; }
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
      removed.push(name);
    } catch { /* another user's folder, or already gone */ }
  }
  return removed;
}

let swept = false;
/** Once per process, at start-up. */
export function sweepTempDirsOnce(): void {
  if (swept) return;
  swept = true;
  sweepTempDirs();
}
