/**
 * The malformed-input corpus: every folder under tests/fixtures/malformed/<case>/ holds an input
 * `in.<ext>` (plus siblings such as in.shx) and `expected.json`:
 *   {"code": "E_…", "outcome": "error" | "issue", "note": "…", "options"?: ImportOptions}
 * Each case is imported through the service into a project that already holds a layer.
 *   error: the call fails with that code, the message names the file, the project's logical digest is unchanged.
 *   issue: the call succeeds, an issue with that code names the file, the existing layer's rows are unchanged.
 * Cases too big to commit (a 2 MB attribute value) are generated here and run through the same check.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { isErrorCode } from '../../../core/api/errors.js';
import type { ImportOptions } from '../../../core/io/types.js';
import { tmpDir } from '../../helpers/tmp.js';

interface Expected { code: string; outcome: 'error' | 'issue'; note: string; options?: ImportOptions }

const ROOT = new URL('../../fixtures/malformed/', import.meta.url).pathname;
const cases = readdirSync(ROOT).filter((d) => existsSync(join(ROOT, d, 'expected.json'))).sort();
const dir = tmpDir('ekimae-malformed-');

const BASE = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', geometry: { type: 'Point', coordinates: [100.5300, 13.8030] }, properties: { name: 'Bang Sue', code: 'BL11' } },
    { type: 'Feature', geometry: { type: 'Point', coordinates: [100.5410, 13.8130] }, properties: { name: 'Tao Poon', code: 'PP16' } },
  ],
};
let basePath = '';
beforeAll(() => {
  basePath = join(dir, 'stations.geojson');
  writeFileSync(basePath, JSON.stringify(BASE));
});

let n = 0;
const services: EkimaeService[] = [];
afterAll(() => { for (const s of services) s.close(); });

async function projectWithLayer() {
  const svc = new EkimaeService({ strictOutputs: true });
  services.push(svc);
  const created = await svc.call('project.create', { path: join(dir, `p${++n}.gpkg`), settings: { name: 'malformed corpus' } });
  expect(created.ok).toBe(true);
  const imported = await svc.call('layers.import', { path: basePath, role: 'stations', name: 'stations' });
  expect(imported.ok, JSON.stringify(imported)).toBe(true);
  return svc;
}

function inputOf(caseDir: string): string {
  const files = readdirSync(caseDir).filter((f) => f.startsWith('in.'));
  // The main file of a multi-file input (in.shp beside in.shx/in.dbf/in.prj/in.cpg).
  const main = files.find((f) => /\.shp$/i.test(f)) ?? files.find((f) => !/\.(shx|dbf|prj|cpg|qix|sbn|sbx)$/i.test(f)) ?? files[0];
  if (!main) throw new Error(`${caseDir} has no in.* file`);
  return join(caseDir, main);
}

/** Import `path` into a project that already has a layer and check the outcome the corpus promises. */
async function checkCase(path: string, exp: Expected): Promise<void> {
  expect(isErrorCode(exp.code), `${exp.code} is a stable error code`).toBe(true);
  const svc = await projectWithLayer();
  const project = svc.requireProject();
  const before = project.logicalDigest();
  const rowsBefore = project.readFeatures('stations');
  const fileName = path.split('/').pop()!;

  const r = await svc.call('layers.import', { path, ...(exp.options ? { options: exp.options } : {}) });

  if (exp.outcome === 'error') {
    expect(r.ok, `expected ${exp.code}, got ${JSON.stringify(r).slice(0, 300)}`).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(exp.code);
    expect(r.error.message, 'the message names the file').toContain(fileName);
    expect(project.logicalDigest(), 'nothing written').toBe(before);
  } else {
    expect(r.ok, `expected success with an ${exp.code} issue, got ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
    if (!r.ok) return;
    const value = r.value as { layers: Array<{ name: string; count: number }>; issues: Array<{ code: string; message: string; action: string }> };
    const hits = value.issues.filter((i) => i.code === exp.code);
    expect(hits.length, `issues: ${JSON.stringify(value.issues).slice(0, 400)}`).toBeGreaterThan(0);
    for (const h of hits) expect(h.message, 'the issue names the file').toContain(fileName);
    expect(value.layers.length).toBeGreaterThan(0);
    expect(project.readFeatures('stations'), 'the existing layer is untouched').toEqual(rowsBefore);
    expect(project.layers().map((l) => l.name)).toContain('stations');
  }
}

describe('malformed input corpus (tests/fixtures/malformed)', () => {
  it('holds at least 30 cases', () => {
    expect(cases.length + GENERATED.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    const exp = JSON.parse(readFileSync(join(ROOT, c, 'expected.json'), 'utf8')) as Expected;
    it(`${c}: ${exp.outcome} ${exp.code} — ${exp.note}`, async () => {
      await checkCase(inputOf(join(ROOT, c)), exp);
    });
  }

  for (const g of GENERATED) {
    it(`${g.name} (generated): ${g.expected.outcome} ${g.expected.code} — ${g.expected.note}`, async () => {
      const path = join(dir, g.file);
      writeFileSync(path, g.make());
      await checkCase(path, g.expected);
    });
  }
});

const GENERATED: Array<{ name: string; file: string; make: () => string | Buffer; expected: Expected }> = [
  {
    name: 'geojson-huge-attribute',
    file: 'huge-attribute.geojson',
    make: () => JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [100.53, 13.8] }, properties: { name: 'x', blob: 'ก'.repeat(700_000) } }],
    }),
    // 700 000 Thai characters are 2.1 MB of UTF-8, over the 1 MiB value limit.
    expected: { code: 'E_VALUE_TOO_LARGE', outcome: 'issue', note: 'a 2.1 MB attribute value is stored empty, with an issue' },
  },
];
