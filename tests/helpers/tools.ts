import { execFileSync, spawnSync } from 'node:child_process';

/** True when a command-line tool (GDAL's ogrinfo, chromium, pdftoppm, …) is installed. */
export function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** CI must not skip what its own .ci/run installs: a missing tool there is a failure, not a skip. */
export function requireToolOrSkip(cmd: string): boolean {
  const ok = hasTool(cmd);
  if (!ok && process.env.CI) throw new Error(`${cmd} is missing in CI; .ci/run should install it`);
  return ok;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}
