/**
 * The application's version: written into projects, reports and plan packages, and printed by
 * `ekimae --version`. Its own module (no imports) so the CLI can print it without loading the store.
 * Equal to package.json's version (tests/cli/cli.test.ts).
 */
export const APP_VERSION = '0.1.0';
