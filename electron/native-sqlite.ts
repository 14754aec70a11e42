/**
 * better-sqlite3 for Electron's ABI. The npm-installed addon is compiled for Node (tests, CLI) and
 * cannot load in Electron; scripts/electron-native.mjs builds a second copy into .electron-native/.
 * scripts/build-app.mjs bundles the core host with every `import Database from 'better-sqlite3'`
 * pointed at this module, so core/ stays unaware and each database opens with that addon through
 * better-sqlite3's own `nativeBinding` option.
 */
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/electron-native.mjs puts the addon, relative to the app root (kept equal by a test). */
export const ELECTRON_BINDING_RELATIVE = join('.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/** The addon path the main process hands to the core host. */
export const BINDING_ENV = 'EKIMAE_SQLITE_BINDING';

export function electronBindingPath(env: NodeJS.ProcessEnv = process.env): string {
  const path = env[BINDING_ENV];
  if (!path || !existsSync(path)) {
    throw new Error(
      `better-sqlite3 for Electron is missing (${path ?? `${BINDING_ENV} not set`}). ` +
        'Run `node scripts/electron-native.mjs` once with internet access (npm start does it); see docs/DESKTOP.md.',
    );
  }
  return path;
}

export class ElectronDatabase extends BetterSqlite3 {
  constructor(filename?: string | Buffer, options: BetterSqlite3.Options = {}) {
    super(filename, { ...options, nativeBinding: electronBindingPath() });
  }
}

export default ElectronDatabase;
