#!/usr/bin/env node
// The `ekimae` command. Runs the TypeScript core directly through tsx, so the CLI is always the
// same code the tests exercise (no separate build to fall out of date).
import { register } from 'tsx/esm/api';

register();
// `ekimae … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });
const { main } = await import('../core/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
