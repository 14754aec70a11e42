#!/usr/bin/env node
// The test command: type-check the rooms, run every vitest suite, and print one plain
// "N passed, N failed, N skipped" line (CI reads it; it does not read vitest's own summary).
// Exits non-zero when anything failed or when no test ran at all.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

mkdirSync('test-results', { recursive: true });
const summaryFile = 'test-results/summary.txt';
rmSync(summaryFile, { force: true });
let passed = 0, failed = 0, skipped = 0;

function step(name, cmd, args) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  return r.status === 0;
}

// The compiler enforces the rooms (core/ has no DOM types); count it as a test.
for (const [name, project] of [['typecheck core/', 'core/tsconfig.json'], ['typecheck all', 'tsconfig.json']]) {
  if (step(name, 'npx', ['tsc', '-p', project, '--noEmit'])) passed++; else { failed++; console.error(`FAILED: ${name}`); }
}

if (existsSync('renderer/index.html')) {
  if (!step('build renderer', 'npx', ['vite', 'build', '--logLevel', 'warn'])) { failed++; console.error('FAILED: renderer build'); }
}

const json = 'test-results/vitest.json';
rmSync(json, { force: true });
const extra = process.argv.slice(2);
step('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${json}`, ...extra]);
if (existsSync(json)) {
  const r = JSON.parse(readFileSync(json, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += r.numFailedTests ?? 0;
  skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count; count it as a failure.
  for (const s of r.testResults ?? []) if (s.status === 'failed' && (s.assertionResults ?? []).length === 0) { failed++; console.error(`FAILED to load: ${s.name}\n${s.message ?? ''}`); }
} else {
  failed++;
  console.error('FAILED: vitest wrote no results');
}
if (passed === 0 && failed === 0) failed = 1;
const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
writeFileSync(summaryFile, line + '\n');
console.log(`\n${line}`);
process.exit(failed > 0 ? 1 : 0);
