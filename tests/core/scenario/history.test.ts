/**
 * A scenario's version history (scenario.history): every saved version newest first, its note, and
 * what changed from the version before in words (core/scenario/changes.ts), each line written out by
 * hand below from the two definitions. On a file nobody is recorded as the saver; the database case
 * (the role that saved each version) is in tests/core/postgis/postgis-store.test.ts.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { definitionChanges } from '../../../core/scenario/changes.js';
import { ScenarioDefSchema, type ScenarioDefInput } from '../../../core/scenario/model.js';
import { tmpDir } from '../../helpers/tmp.js';

const split = (residential: number) => ({ residential, commercial: 1 - residential, office: 0, civic: 0 });
const BASE: ScenarioDefInput = {
  name: 'TOD core', bands: [{ name: 'core', fromM: 0, toM: 400 }, { name: 'ring', fromM: 400, toM: 800 }], softSiteFactor: 1.5, publicLand: { mode: 'keep' },
  rules: [
    { bands: ['core'], landUses: ['residential'], maxFar: 6, maxFloors: 30, coverage: 0.6, split: split(1) },
    { bands: ['ring'], maxFar: 3, maxFloors: 12, coverage: 0.5, split: split(0.8) },
  ],
};
const def = (d: ScenarioDefInput) => ScenarioDefSchema.parse(d);

describe('definitionChanges', () => {
  it('the same definition: no lines', () => {
    expect(definitionChanges(def(BASE), def(BASE))).toEqual([]);
  });

  it('a rule\'s FAR, floors and coverage, named by its bands and uses', () => {
    const next = def({ ...BASE, rules: [{ ...BASE.rules[0], maxFar: 8, maxFloors: 40, coverage: 0.55 }, BASE.rules[1]] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rule 1 (core; residential): max FAR 6 → 8; max floors 30 → 40; coverage 60 % → 55 %']);
  });

  it('a rule inserted first reads as one addition, not as every rule changed; a removed rule is named', () => {
    const added = { bands: ['core'], landUses: ['commercial'], maxFar: 10, maxFloors: 50, coverage: 0.7, split: split(0) };
    const next = def({ ...BASE, rules: [added, ...BASE.rules] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rule 1 added (core; commercial): max FAR 10, max floors 50, coverage 70 %']);
    expect(definitionChanges(next, def(BASE))).toEqual(['rule 1 of the previous version removed (core; commercial)']);
  });

  it('rules swapped: said, because later rules win where they overlap', () => {
    const next = def({ ...BASE, rules: [BASE.rules[1], BASE.rules[0]] });
    expect(definitionChanges(def(BASE), next)).toEqual(['rules reordered (later rules win where they overlap)']);
  });

  it('two rules with the same bands and uses are compared by position', () => {
    const twin = def({ ...BASE, rules: [BASE.rules[1], { ...BASE.rules[1], maxFar: 4 }] });
    const next = def({ ...BASE, rules: [BASE.rules[1], { ...BASE.rules[1], maxFar: 5, split: split(0.5) }] });
    expect(definitionChanges(twin, next)).toEqual(['rule 2 (ring; all uses): max FAR 4 → 5; use split residential 80 %, commercial 20 %, office 0 %, civic 0 % → residential 50 %, commercial 50 %, office 0 %, civic 0 %']);
  });

  it('bands, soft sites, public land, exclusions, zones, overrides, induced growth, agricultural land and the name', () => {
    const a = def({ ...BASE, exclusions: [{ layer: 'heritage', kind: 'heritage' }], parcelOverrides: [{ fid: 7, maxFar: 2 }, { fid: 9, mode: 'keep' }] });
    const b = def({
      ...BASE, name: 'TOD core (council)', description: 'after the hearing',
      bands: [{ name: 'core', fromM: 0, toM: 500 }, { name: 'ring', fromM: 500, toM: 800 }, { name: 'edge', fromM: 800, toM: 1200 }],
      softSiteFactor: 2, publicLand: { mode: 'own', softSiteFactor: 3 },
      exclusions: [{ layer: 'heritage', kind: 'heritage', bufferM: 50 }, { layer: 'canals', kind: 'water', bufferM: 20 }],
      zoneLayer: 'zones', parcelOverrides: [{ fid: 7, maxFar: 3 }, { fid: 11, mode: 'redevelop' }], inducedGrowth: 0.25, rezonesAgricultural: true,
    });
    expect(definitionChanges(a, b)).toEqual([
      'name "TOD core" → "TOD core (council)"',
      'description edited',
      'band "core" 0–400 m → 0–500 m',
      'band "ring" 400–800 m → 500–800 m',
      'band "edge" added (800–1200 m)',
      'soft-site factor 1.5 → 2',
      'public land kept → own factor 3',
      'exclusion heritage (layer heritage): buffer 0 → 50 m',
      'exclusion added: water from layer canals within 20 m',
      'zone layer none → zones',
      'parcel overrides: 1 added (parcel 11); 1 changed (parcel 7); 1 removed (parcel 9)',
      'induced growth 0 % → 25 % of the baseline',
      'now rezones agricultural land',
    ]);
  });
});

describe('definitionChanges in Japanese and Thai (the app\'s Versions list and the report\'s versions table)', () => {
  const a = def({ ...BASE, exclusions: [{ layer: 'heritage', kind: 'heritage' }], parcelOverrides: [{ fid: 7, maxFar: 2 }, { fid: 9, mode: 'keep' }] });
  const b = def({
    ...BASE, name: 'TOD core (council)',
    bands: [{ name: 'core', fromM: 0, toM: 500 }, { name: 'ring', fromM: 500, toM: 800 }],
    rules: [{ ...BASE.rules[0], maxFar: 8, coverage: 0.55 }, { ...BASE.rules[1], split: split(0.5) }, { bands: ['core'], landUses: ['commercial', 'office'], maxFar: 10, maxFloors: 50, coverage: 0.7, split: split(0) }],
    softSiteFactor: 2, publicLand: { mode: 'asPrivate' },
    exclusions: [{ layer: 'canals', kind: 'water', bufferM: 20 }],
    parcelOverrides: [{ fid: 7, maxFar: 3 }, { fid: 11, mode: 'redevelop' }, { fid: 12, mode: 'redevelop' }], inducedGrowth: 0.3,
  });

  it('Japanese: the report\'s terms (最大容積率, 建蔽率, 用途構成), land uses and exclusion kinds translated, the project\'s own names kept', () => {
    expect(definitionChanges(a, b, 'ja')).toEqual([
      '名称「TOD core」→「TOD core (council)」',
      '距離帯「core」 0–400 m → 0–500 m',
      '距離帯「ring」 400–800 m → 500–800 m',
      'ルール 1（core；住宅）：最大容積率 6 → 8；建蔽率 60 % → 55 %',
      'ルール 2（ring；すべての用途）：用途構成 住宅 80 %、商業 20 %、業務 0 %、公共 0 % → 住宅 50 %、商業 50 %、業務 0 %、公共 0 %',
      'ルール 3 を追加（core；商業、業務）：最大容積率 10、最大階数 50、建蔽率 70 %',
      '再開発閾値（ソフトサイト係数）1.5 → 2',
      '公有地 現状維持 → 民有地と同じ規則',
      '除外区域を追加：レイヤー canals の水面（20 m 以内）',
      '除外区域を削除：レイヤー heritage の文化財',
      '敷地ごとの設定：追加 2 件（敷地 11、12）；変更 1 件（敷地 7）；削除 1 件（敷地 9）',
      '誘発される成長（基準成長に対して）0 % → 30 %',
    ]);
  });

  it('Thai: the report\'s terms (FAR สูงสุด, สัดส่วนพื้นที่ปกคลุม), land uses and exclusion kinds translated, the project\'s own names kept', () => {
    expect(definitionChanges(a, b, 'th')).toEqual([
      'ชื่อ “TOD core” → “TOD core (council)”',
      'ช่วงระยะ “core” 0–400 ม. → 0–500 ม.',
      'ช่วงระยะ “ring” 400–800 ม. → 500–800 ม.',
      'ข้อกำหนดที่ 1 (core; ที่อยู่อาศัย): FAR สูงสุด 6 → 8; สัดส่วนพื้นที่ปกคลุม 60 % → 55 %',
      'ข้อกำหนดที่ 2 (ring; ทุกการใช้ประโยชน์): สัดส่วนการใช้ อยู่อาศัย 80 %, พาณิชย์ 20 %, สำนักงาน 0 %, สาธารณะ 0 % → อยู่อาศัย 50 %, พาณิชย์ 50 %, สำนักงาน 0 %, สาธารณะ 0 %',
      'เพิ่มข้อกำหนดที่ 3 (core; พาณิชยกรรม, สำนักงาน): FAR สูงสุด 10, จำนวนชั้นสูงสุด 50, สัดส่วนพื้นที่ปกคลุม 70 %',
      'ตัวคูณแปลงพร้อมพัฒนา 1.5 → 2',
      'ที่ดินของรัฐ คงไว้ตามเดิม → ใช้ข้อกำหนดเดียวกับที่ดินเอกชน',
      'เพิ่มพื้นที่ยกเว้น: แหล่งน้ำ จากชั้นข้อมูล canals ภายในระยะ 20 ม.',
      'ลบพื้นที่ยกเว้น: มรดกทางวัฒนธรรม จากชั้นข้อมูล heritage',
      'การกำหนดรายแปลง: เพิ่ม 2 แปลง (แปลง 11, 12); เปลี่ยน 1 แปลง (แปลง 7); ลบ 1 แปลง (แปลง 9)',
      'การเติบโตที่โครงการดึงดูดเพิ่ม (เทียบกับการเติบโตฐาน) 0 % → 30 %',
    ]);
  });

  it('the default scenarios\' band "outside" reads as the report calls it; a project\'s own band names stay', () => {
    const x = def({ ...BASE, rules: [{ ...BASE.rules[1], bands: ['ring', 'outside'] }] });
    const y = def({ ...BASE, rules: [{ ...BASE.rules[1], bands: ['ring', 'outside'], maxFar: 4 }] });
    expect(definitionChanges(x, y, 'ja')).toEqual(['ルール 1（ring、徒歩圏外；すべての用途）：最大容積率 3 → 4']);
    expect(definitionChanges(x, y, 'th')).toEqual(['ข้อกำหนดที่ 1 (ring, นอกพื้นที่เดินเท้า; ทุกการใช้ประโยชน์): FAR สูงสุด 3 → 4']);
    expect(definitionChanges(x, y)).toEqual(['rule 1 (ring, outside; all uses): max FAR 3 → 4']);
  });

  it('the same changes, line for line, in every language: no English word is left in the Japanese and Thai lines but the project\'s own names', () => {
    const en = definitionChanges(a, b);
    const own = /TOD core|council|core|ring|canals|heritage|FAR/g;
    for (const lang of ['ja', 'th'] as const) {
      const lines = definitionChanges(a, b, lang);
      expect(lines).toHaveLength(en.length);
      for (const l of lines) expect(l.replace(own, '')).not.toMatch(/[A-Za-z]{2,}/);
    }
  });
});

describe('scenario.history on a project file', () => {
  const dir = tmpDir();
  const svc = new EkimaeService({ strictOutputs: true });
  beforeAll(async () => {
    await svc.invoke('project.create', { path: join(dir, 'h.gpkg'), settings: { name: 'history test', country: 'TH' } });
  });

  it('lists every version newest first with its note and its changes; nobody is named as the saver in a file', async () => {
    const v1 = await svc.invoke('scenario.save', { scenario: BASE, note: 'first draft' });
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...BASE, rules: [{ ...BASE.rules[0], maxFar: 7 }, BASE.rules[1]] }, note: 'FAR up after the market study' });
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...BASE, rules: [{ ...BASE.rules[0], maxFar: 7 }, BASE.rules[1]] } });
    const h = await svc.invoke('scenario.history', { id: v1.id });
    expect(h).toMatchObject({ id: 'tod-core', name: 'TOD core', authors: 'file', warnings: [] });
    expect(h.versions.map((v) => [v.version, v.note, v.savedBy, v.savedAt, v.changes])).toEqual([
      [3, null, null, null, []],
      [2, 'FAR up after the market study', null, null, ['rule 1 (core; residential): max FAR 6 → 7']],
      [1, 'first draft', null, null, null],
    ]);
    expect(h.versions.every((v) => !Number.isNaN(Date.parse(v.createdAt)))).toBe(true);
  });

  it('ekimae scenario --history prints the same, newest first, and changes nothing', async () => {
    const { main } = await import('../../../core/cli/main.js');
    const path = join(dir, 'h.gpkg');
    const before = svc.requireProject().logicalDigest();
    const out: string[] = [];
    const code = await main(['scenario', path, '--history', 'tod-core'], { out: (x) => out.push(x), err: () => undefined, stdin: async () => '' });
    expect(code).toBe(0);
    const h = await svc.invoke('scenario.history', { id: 'tod-core' });
    const at = (v: number) => { const c = h.versions.find((x) => x.version === v)!.createdAt; return `${c.slice(0, 10)} ${c.slice(11, 16)} UTC`; };
    expect(out).toEqual([
      'TOD core (tod-core): 3 versions (a project file records when, not by whom)',
      `v3  ${at(3)}`, '    same rules as v2',
      `v2  ${at(2)}  (FAR up after the market study)`, '    rule 1 (core; residential): max FAR 6 → 7',
      `v1  ${at(1)}  (first draft)`, '    first version',
    ]);
    expect(svc.requireProject().logicalDigest()).toBe(before);
  });

  it('a database that cannot be asked: the versions still come (from the working copy), who saved them is null, and a warning says why', async () => {
    const p = svc.requireProject();
    p.scenarioAuthors = async () => { throw new Error('cannot connect to postgresql://planner:***@db/tod: connection refused'); };
    try {
      const h = await svc.invoke('scenario.history', { id: 'tod-core' });
      expect(h.authors).toBe('database');
      expect(h.versions.map((v) => [v.version, v.savedBy])).toEqual([[3, null], [2, null], [1, null]]);
      expect(h.warnings).toEqual(['who saved each version could not be read from the database: cannot connect to postgresql://planner:***@db/tod: connection refused']);
    } finally { p.scenarioAuthors = undefined; }
  });

  it('an unknown scenario is E_SCENARIO_NOT_FOUND', async () => {
    const r = await svc.call('scenario.history', { id: 'no-such' });
    expect(r.ok ? null : r.error.code).toBe('E_SCENARIO_NOT_FOUND');
  });
});

describe('the report says which version each scenario chapter shows, and lists the versions', () => {
  const SITE = join(import.meta.dirname, '../../fixtures/scenario-project/site');
  const dir = tmpDir();
  const svc = new EkimaeService({ strictOutputs: true });
  const RULE = { maxFar: 4, maxFloors: 100, coverage: 1, split: { residential: 1, commercial: 0, office: 0, civic: 0 } };
  const SCEN = { name: 'Test TOD', bands: [{ name: 'near', fromM: 0, toM: 800 }], softSiteFactor: 1, publicLand: { mode: 'keep' as const }, rules: [{ bands: ['near'], ...RULE }] };
  const DIST = { kind: 'explicit' as const, fids: [1, 2, 3, 4], distM: [100, 200, 300, 400], station: ['S1', 'S1', 'S1', 'S1'] };
  type Model = Awaited<ReturnType<typeof svc.invoke<'report.model'>>>;
  const versionsTable = (m: Model) => m.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.caption === 'Scenario versions in this report') as { rows: string[][]; note?: string } | undefined;
  const chapterText = (m: Model, name: string) => m.sections.find((s) => s.title.includes(name))!.blocks.filter((b) => b.kind === 'text').map((b) => (b as { text: string }).text);

  beforeAll(async () => {
    await svc.invoke('project.create', { path: join(dir, 'r.gpkg'), settings: { name: 'report versions', country: 'TH' } });
    for (const [f, role] of [['parcels', 'parcels'], ['stations', 'stations']] as const) await svc.invoke('layers.import', { path: join(SITE, `${f}.geojson`), role, name: f });
    const v1 = await svc.invoke('scenario.save', { scenario: SCEN, note: 'draft' });
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...SCEN, rules: [{ ...SCEN.rules[0], maxFar: 5 }] }, note: 'after the workshop' });
    await svc.invoke('scenario.evaluate', { id: v1.id, store: true, distances: DIST });
    // Saved after the evaluation: the report's figures are still version 2's.
    await svc.invoke('scenario.save', { id: v1.id, scenario: { ...SCEN, rules: [{ ...SCEN.rules[0], maxFar: 6 }] } });
  });

  it('the chapter names version 2 and the unevaluated version 3; the table lists version 2 with its note and its change; a file names no saver', async () => {
    const m = await svc.invoke('report.model', {});
    const h = await svc.invoke('scenario.history', { id: 'test-tod' });
    const v2 = h.versions.find((v) => v.version === 2)!;
    const at = `${v2.createdAt.slice(0, 10)} ${v2.createdAt.slice(11, 16)} UTC`;
    expect(chapterText(m, 'Test TOD')).toContain(`Rules and figures of version 2, saved ${at}. A later version (3) has been saved but not evaluated: this chapter reports version 2.`);
    const t = versionsTable(m)!;
    expect(t.rows).toEqual([['Test TOD', '2 of 3', at, '—', 'after the workshop', 'From version 1: rule 1 (near; all uses): max FAR 4 → 5']]);
    expect(t.note).toContain('A project file records when a version was saved, not by whom');
  });

  it('a database that cannot be asked: the report still comes, "saved by" is empty and the table says why', async () => {
    const p = svc.requireProject();
    p.scenarioAuthors = async () => { throw new Error('connection refused'); };
    try {
      const t = versionsTable(await svc.invoke('report.model', {}))!;
      expect(t.rows[0][3]).toBe('—');
      expect(t.note).toContain('Who saved each version could not be read from the shared database: connection refused');
      expect(t.note).not.toContain('not by whom');
    } finally { p.scenarioAuthors = undefined; }
  });

  it('in Japanese and Thai the change is written in the report\'s language', async () => {
    const ja = await svc.invoke('report.model', { lang: 'ja' });
    const t = ja.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.caption === '本報告書に掲載したシナリオの版') as { rows: string[][] };
    expect(t.rows[0].slice(1, 2)).toEqual(['第 2 版（全 3 版）']);
    expect(t.rows[0][5]).toBe('第 1 版から：ルール 1（near；すべての用途）：最大容積率 4 → 5');
    const th = await svc.invoke('report.model', { lang: 'th' });
    const u = th.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.caption === 'ฉบับของฉากทัศน์ในรายงานนี้') as { rows: string[][] };
    expect(u.rows[0][5]).toBe('จากฉบับที่ 1: ข้อกำหนดที่ 1 (near; ทุกการใช้ประโยชน์): FAR สูงสุด 4 → 5');
  });
});

describe('scenario order', () => {
  it('a new version keeps the scenario where it was in the list (and so in reports)', async () => {
    const svc = new EkimaeService({ strictOutputs: true });
    await svc.invoke('project.create', { path: join(tmpDir(), 'o.gpkg'), settings: { name: 'order', country: 'TH' } });
    const a = await svc.invoke('scenario.save', { scenario: { ...BASE, name: 'A' } });
    await svc.invoke('scenario.save', { scenario: { ...BASE, name: 'B' } });
    await svc.invoke('scenario.save', { id: a.id, scenario: { ...BASE, name: 'A', softSiteFactor: 2 } });
    expect((await svc.invoke('scenario.list', {})).map((s) => [s.name, s.version])).toEqual([['A', 2], ['B', 1]]);
    svc.close();
  });
});
