/**
 * The CLI runs the core as an esbuild bundle (dist/cli/ekimae.mjs) that must never run stale code:
 * ensureCliBundle rebuilds it whenever a file under core/ is newer, and leaves it alone otherwise.
 * Checked on a scratch tree whose core/cli/main.ts says which version it is.
 */
import { mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no declarations
import { ensureCliBundle } from '../../scripts/build-app.mjs';
import { tmpDir } from '../helpers/tmp.js';

const run = async (bundle: string, stamp: number) => (await import(`${pathToFileURL(bundle).href}?${stamp}`)).main() as Promise<string>;

describe('the CLI bundle', () => {
  it('is built on first use, reused while core/ is unchanged, rebuilt when a core file is newer', async () => {
    const root = tmpDir('ekimae-cli-bundle-');
    mkdirSync(join(root, 'core', 'cli'), { recursive: true });
    mkdirSync(join(root, 'core', 'room'), { recursive: true });
    const version = (v: string) => writeFileSync(join(root, 'core', 'room', 'version.ts'), `export const VERSION: string = '${v}';\n`);
    version('one');
    writeFileSync(join(root, 'core', 'cli', 'main.ts'), "import { VERSION } from '../room/version.js';\nexport async function main(): Promise<string> { return VERSION; }\n");

    const bundle: string = await ensureCliBundle(root);
    expect(bundle).toBe(join(root, 'dist', 'cli', 'ekimae.mjs'));
    expect(await run(bundle, 1)).toBe('one');
    const built = statSync(bundle).mtimeMs;

    expect(await ensureCliBundle(root)).toBe(bundle);
    expect(statSync(bundle).mtimeMs).toBe(built);

    version('two');
    const later = new Date(built + 5_000);
    utimesSync(join(root, 'core', 'room', 'version.ts'), later, later);
    await ensureCliBundle(root);
    expect(await run(bundle, 2)).toBe('two');
  });
});
