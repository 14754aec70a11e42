#!/usr/bin/env node
// Builds only the report page (renderer/report.html and what it imports) into the folder given:
// what the core runs when a report is asked for and dist/renderer has no current report page
// (core/report/report-page.ts moves the result into place). The app's own build (vite.config.ts)
// makes the same page together with the app.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const outDir = process.argv[2];
if (!outDir) { console.error('usage: build-report-page.mjs <outDir>'); process.exit(2); }
const { build } = await import('vite');
const { default: react } = await import('@vitejs/plugin-react');
await build({
  configFile: false, root: resolve(root, 'renderer'), base: './', logLevel: 'warn', plugins: [react()],
  build: { outDir: resolve(outDir), emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { report: resolve(root, 'renderer', 'report.html') } } },
});
