#!/usr/bin/env node
// `npm run bench`: run every *.bench.ts under core/, sample-data/ and tests/e2e/ (or those whose path contains
// one of the given words), one after another so they do not compete for the two cores. Each
// benchmark prints its own figures (medians and ratios against a named baseline); none asserts a time.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.bench.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = ['core', 'sample-data', 'tests/e2e'].flatMap((d) => find(d)).sort()
  .filter((f) => !filters.length || filters.some((w) => f.includes(w)));
let failed = 0;
for (const f of files) {
  console.log(`\n### ${f}`);
  const r = spawnSync('npx', ['tsx', f], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--expose-gc --max-old-space-size=16384' } });
  if (r.status !== 0) { failed++; console.log(`(benchmark ${f} exited ${r.status})`); }
}
process.exit(failed ? 1 : 0);
