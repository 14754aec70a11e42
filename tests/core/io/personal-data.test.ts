/**
 * Issue #16: the fourteen kinds of personal data of tests/fixtures/personal-data/fourteen-kinds,
 * each imported and then looked for in every export format, the report and the plan package.
 * "Held" = none of the kind's source values appears anywhere in the output's bytes, nor in any cell
 * of any table of an output GeoPackage (provenance included). A positive control (everything
 * included) shows the same search finds them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { buildReportModel } from '../../../core/report/build.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const FIX = join(__dirname, '../../fixtures/personal-data/fourteen-kinds');
const expected = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8')) as {
  kinds: Array<{ kind: number; label: string; field: string; found: string; review?: boolean }>; notPersonal: string[];
};
const source = JSON.parse(readFileSync(join(FIX, 'parcels.geojson'), 'utf8')) as { features: Array<{ id: string; properties: Record<string, unknown> }> };
const FILLER = new Set(['-', 'n/a', 'pending']);

/** Every personal value of a kind as written in the source, and digits-only forms of IDs. */
function needlesOf(field: string): string[] {
  const out = new Set<string>();
  for (const f of source.features) {
    const v = String(field === 'id' ? f.id : f.properties[field] ?? '');
    if (!v || FILLER.has(v)) continue;
    out.add(v);
    if (/^[\d\s-]+$/.test(v)) out.add(v.replace(/[\s-]/g, ''));
  }
  return [...out];
}

/** All text an output holds: its bytes as UTF-8, and for SQLite files every cell of every table. */
function textOf(path: string): string {
  if (statSync(path).isDirectory()) return readdirSync(path).map((f) => textOf(join(path, f))).join('\n');
  const bytes = readFileSync(path);
  const parts = [bytes.toString('utf8')];
  if (path.endsWith('.zip')) for (const [name, b] of Object.entries(unzipSync(bytes))) parts.push(name, Buffer.from(b).toString('utf8'));
  if (bytes.subarray(0, 15).toString() === 'SQLite format 3') {
    const db = new Database(path, { readonly: true });
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t.replace(/"/g, '""')}"`).raw(true).iterate() as Iterable<unknown[]>) {
        for (const c of row) parts.push(c instanceof Uint8Array ? Buffer.from(c).toString('utf8') : String(c));
      }
    }
    db.close();
  }
  return parts.join('\n');
}

function leaked(text: string, field: string): string[] {
  return needlesOf(field).filter((n) => text.includes(n));
}

const dir = tmpDir('ekimae-pii-');
const svc = new EkimaeService();
afterAll(() => svc.close());
const held: Record<string, Record<string, string>> = {};
afterAll(() => {
  // The tried/held table of issue #16, printed for the record.
  const channels = [...new Set(Object.values(held).flatMap((r) => Object.keys(r)))];
  const lines = [`| # | kind | ${channels.join(' | ')} |`, `|---|---|${channels.map(() => '---').join('|')}|`];
  for (const k of expected.kinds) lines.push(`| ${k.kind} | ${k.label} | ${channels.map((c) => held[k.field]?.[c] ?? '–').join(' | ')} |`);
  console.log(lines.join('\n'));
});

beforeAll(async () => {
  await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Personal data' } });
  await svc.invoke('layers.import', { path: join(FIX, 'parcels.geojson'), role: 'parcels', name: 'parcels' });
});

describe('detection on import', () => {
  it.each(expected.kinds.map((k) => [k.kind, k.label, k] as const))('kind %i, %s: flagged', async (_n, _l, k) => {
    const info = (await svc.invoke('layers.list', {})).find((l) => l.name === 'parcels')!;
    const f = info.fields.find((x) => x.name === k.field)!;
    expect(f.personal).toBe(true);
    expect(f.personalReason).toContain(k.found);
    expect(f.personalReason?.startsWith('free text')).toBe(!!k.review);
  });

  it('leaves the fields that are not personal alone', async () => {
    const info = (await svc.invoke('layers.list', {})).find((l) => l.name === 'parcels')!;
    expect(info.fields.filter((f) => expected.notPersonal.includes(f.name) && f.personal)).toEqual([]);
  });

  it('keeps no personal value in the project provenance (duplicate ids are reported without the id)', async () => {
    const info = (await svc.invoke('layers.list', {})).find((l) => l.name === 'parcels')!;
    const issues = info.provenance.flatMap((p) => p.issues);
    expect(issues.filter((i) => i.code === 'E_DUPLICATE_ID')).toHaveLength(2);
    const text = JSON.stringify(info.provenance);
    for (const k of expected.kinds) expect(leaked(text, k.field)).toEqual([]);
  });
});

const FORMATS = [['geojson', 'out.geojson'], ['gpkg', 'out.gpkg'], ['csv', 'out.csv'], ['shapefile', 'out.zip']] as const;

describe('exports', () => {
  it.each(FORMATS)('%s: refused with E_FIELD_REVIEW naming the free-text field until it is decided; nothing written', async (format, file) => {
    const r = await svc.call('layers.export', { layers: ['parcels'], format, path: join(dir, `undecided-${file}`) });
    expect(!r.ok && r.error.code).toBe('E_FIELD_REVIEW');
    expect(!r.ok && r.error.details).toEqual({ fields: ['parcels.remarks'] });
    expect(existsSync(join(dir, `undecided-${file}`))).toBe(false);
  });

  it.each(FORMATS)('%s: with the free text excluded, none of the fourteen kinds is in the file or its sidecars', async (format, file) => {
    const out = join(dir, `held-${file}`);
    const r = await svc.invoke('layers.export', { layers: ['parcels'], format, path: out, excludeFields: ['parcels.remarks'] });
    expect(r.omittedFields.map((o) => o.field).sort()).toEqual(expected.kinds.map((k) => k.field).sort());
    const stem = out.replace(/\.[^.]+$/, '');
    const text = [out, ...readdirSync(dir).map((f) => join(dir, f)).filter((f) => f.startsWith(`${stem}.`) && f !== out)].map(textOf).join('\n');
    expect(text).toContain('BS-00700'); // the export holds the parcels
    for (const k of expected.kinds) {
      expect(leaked(text, k.field), `kind ${k.kind} in ${format}`).toEqual([]);
      (held[k.field] ??= {})[format] = 'held';
    }
  });

  it.each(FORMATS)('%s: included, every kind is found by the same search (the search can fail)', async (format, file) => {
    const out = join(dir, `all-${file}`);
    await svc.invoke('layers.export', { layers: ['parcels'], format, path: out, includePersonal: true });
    const text = textOf(out);
    for (const k of expected.kinds) expect(leaked(text, k.field).length, `kind ${k.kind} in ${format}`).toBeGreaterThan(0);
  });

  it('including only the remarks sends the remarks and nothing else personal', async () => {
    const out = join(dir, 'remarks.geojson');
    await svc.invoke('layers.export', { layers: ['parcels'], format: 'geojson', path: out, includeFields: ['parcels.remarks'] });
    const text = textOf(out);
    expect(leaked(text, 'remarks').length).toBe(needlesOf('remarks').length);
    // Names and phones written inside a remark go with it: that is what including it means.
    const remarks = needlesOf('remarks');
    for (const k of expected.kinds.filter((x) => !x.review)) expect(leaked(text, k.field).filter((n) => !remarks.some((r) => r.includes(n)))).toEqual([]);
  });

  it('a field named in includeFields/excludeFields that does not exist is E_FIELD_NOT_FOUND', async () => {
    const r = await svc.call('layers.export', { layers: ['parcels'], format: 'geojson', path: join(dir, 'x.geojson'), excludeFields: ['parcels.nope'] });
    expect(!r.ok && r.error.code).toBe('E_FIELD_NOT_FOUND');
  });
});

describe('report', () => {
  it('the report model holds none of the fourteen kinds, and lists the fields left out', async () => {
    const project = svc.requireProject();
    const model = buildReportModel(project, {});
    const text = JSON.stringify(model);
    expect(text).toContain('Personal fields left out');
    for (const k of expected.kinds) {
      expect(leaked(text, k.field), `kind ${k.kind} in the report`).toEqual([]);
      (held[k.field] ??= {}).report = 'held';
    }
  });
});

const canRender = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('plan package', () => {
  beforeAll(() => { process.env.EKIMAE_HOME = join(dir, 'home'); });

  it('refused with E_FIELD_REVIEW while the free text is undecided; no folder left', async () => {
    const r = await svc.call('package.create', { out: join(dir, 'pkg-undecided') });
    expect(!r.ok && r.error.code).toBe('E_FIELD_REVIEW');
    expect(readdirSync(dir).filter((f) => f.startsWith('pkg-undecided'))).toEqual([]);
  });

  it('none of the fourteen kinds in plan.gpkg (provenance included), report.html or manifest; provenance written by an older Ekimae is scrubbed', async () => {
    // An older Ekimae wrote the duplicate id (a national ID) into the provenance issue: simulate it.
    const db = svc.requireProject().database;
    const tid = source.features[10].id;
    const row = db.prepare("SELECT fid, issues_json FROM ekimae_provenance WHERE table_name = 'parcels'").get() as { fid: number; issues_json: string };
    const issues = JSON.parse(row.issues_json) as Array<{ code: string; message: string }>;
    issues.push({ code: 'E_DUPLICATE_ID', message: `parcels.geojson, feature 12: id ${tid} is also used by feature 11; both kept` });
    db.prepare('UPDATE ekimae_provenance SET issues_json = ? WHERE fid = ?').run(JSON.stringify(issues), row.fid);
    expect(leaked(textOf(join(dir, 'p.gpkg')), 'id').length).toBeGreaterThan(0);

    const r = await svc.invoke('package.create', { out: join(dir, 'pkg'), excludeFields: ['parcels.remarks'] });
    expect(r.omittedPersonalFields.map((o) => o.field).sort()).toEqual(expected.kinds.map((k) => k.field).sort());
    const text = textOf(r.path);
    expect(text).toContain('BS-00700');
    expect(text).toContain('[removed]');
    for (const k of expected.kinds) {
      expect(leaked(text, k.field), `kind ${k.kind} in the package`).toEqual([]);
      (held[k.field] ??= {}).package = 'held';
    }
    expect((await svc.invoke('package.verify', { path: r.path })).ok).toBe(true);
  }, 180_000);
});
