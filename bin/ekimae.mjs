#!/usr/bin/env node
// The `ekimae` command. Runs the core bundled by esbuild (dist/cli/ekimae.mjs, rebuilt whenever a
// file under core/ is newer: scripts/build-app.mjs), so the CLI is always the code the tests
// exercise; a bundle needs about 55 MB less memory than compiling the sources on the fly with tsx,
// which a large import feels (core/io/import.bench.ts).
import { setFlagsFromString } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { ensureCliBundle } from '../scripts/build-app.mjs';

// `ekimae … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import(pathToFileURL(await ensureCliBundle()).href);

// A command is one short process whose hot loops (reading a network, building the graph) each run
// once: with concurrent on-stack replacement a loop goes on in unoptimised code while a background
// thread compiles it, which on a busy machine was a tenth of `ekimae catchment`'s CPU time
// (docs/PERFORMANCE.md, catchment-cli). V8 reads this flag when it replaces a loop, so it can be set
// now. Set after the imports: a changed flag no longer matches the code cache of Node's own
// modules, which then compile from source. Only on the engine it was measured on (Node 20's V8 11).
if (/^11\./.test(process.versions.v8)) setFlagsFromString('--no-concurrent-osr');
process.exitCode = await main(process.argv.slice(2));
