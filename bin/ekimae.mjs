#!/usr/bin/env node
// The `ekimae` command. Runs the core bundled by esbuild (dist/cli/ekimae.mjs, rebuilt whenever a
// file under core/ is newer: scripts/build-app.mjs), so the CLI is always the code the tests
// exercise; a bundle needs about 55 MB less memory than compiling the sources on the fly with tsx,
// which a large import feels (core/io/import.bench.ts).
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/build-app.mjs';

// `ekimae … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import(pathToFileURL(await ensureCliBundle()).href);
process.exitCode = await main(process.argv.slice(2));
