/**
 * The two sample projects (Bang Sue, the MAHSR corridor), analysed with defaults, as reports:
 * labels that never overprint, class breaks from each map's data, tables that add up to the census
 * totals GDAL reads from the same file, --station tables about that station, and the Thai and
 * Japanese PDFs with every page carrying something.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { main } from '../../../core/cli/main.js';
import { intersects, type Box } from '../../../core/report/labels.js';
import type { Block, ReportModel } from '../../../core/report/model.js';
import { CHROMIUM_ARGS } from '../../../core/report/render.js';
import { reportTranslator, type ReportKey } from '../../../core/report/i18n/index.js';
import { allowance, latinLeak, modelStrings, originalTexts, pdfText } from '../../helpers/latin-leak.js';
import { blankPages } from '../../helpers/pdf-blank.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
const SAMPLES = { bangSue: join(ROOT, 'sample-data', 'bang-sue.gpkg'), mahsr: join(ROOT, 'sample-data', 'mahsr-corridor.gpkg') };
const canRun = existsSync(SAMPLES.bangSue) && existsSync(SAMPLES.mahsr) && requireToolOrSkip('ogrinfo');
const canRender = canRun && requireToolOrSkip('chromium') && requireToolOrSkip('pdftotext') && requireToolOrSkip('pdftoppm');

const quiet = { out: () => {}, err: () => {}, stdin: async () => '' };
/** The census totals GDAL reads from the project file: what every table must add up to. */
function censusTotals(path: string): { residents: number; jobs: number } {
  const out = execFileSync('ogrinfo', ['-q', '-sql', 'SELECT SUM(population) AS p, SUM(jobs) AS j FROM census', path], { encoding: 'utf8' });
  return { residents: Number(/p \(\w+\) = ([\d.]+)/.exec(out)![1]), jobs: Number(/j \(\w+\) = ([\d.]+)/.exec(out)![1]) };
}
const num = (s: string) => Number(s.replace(/,/g, ''));
const blocks = (m: ReportModel) => m.sections.flatMap((s) => s.blocks.map((b) => ({ section: s.id, b })));
const tables = (m: ReportModel) => blocks(m).flatMap(({ section, b }) => (b.kind === 'table' ? [{ section, ...b }] : []));
const maps = (m: ReportModel) => blocks(m).flatMap(({ section, b }) => (b.kind === 'map' ? [{ section, ...b }] : []));
const labelBoxes = (svg: string): Array<Box & { text: string }> => [...svg.matchAll(/data-label-box="([\d. -]+)">([^<]*)</g)].map((m) => {
  const [x, y, w, h] = m[1].split(' ').map(Number);
  return { x, y, w, h, text: m[2] };
});
/** Each nested map (small multiples) on its own: labels of different cells never share a plane. */
const cells = (svg: string) => svg.split(/<svg /).slice(1);

/** Per fill colour, the parcels of a thematic layer (one M per parcel ring; parcels are single polygons here). */
function classCounts(svg: string, layer: string): Map<string, { n: number; d: string }> {
  const out = new Map<string, { n: number; d: string }>();
  for (const g of svg.matchAll(new RegExp(`<g data-layer="${layer}"[^>]*><g[^>]*>(.*?)</g></g>`, 'g'))) {
    for (const p of g[1].matchAll(/<path d="([^"]*)" fill="(#[0-9a-f]{6})"/g)) {
      const e = out.get(p[2]) ?? { n: 0, d: '' };
      e.n += (p[1].match(/M/g) ?? []).length; e.d += p[1];
      out.set(p[2], e);
    }
  }
  return out;
}

/**
 * A Japanese or Thai PDF: English prose (Latin words the project's names, sources and notes do not
 * account for) under 0.5 % of its letters; five catalogue keys printed in the language and not in
 * English; engine words (instrument names, appraisal labels) translated too.
 */
function expectTranslated(pdf: string, text: string, lang: 'ja' | 'th', model: ReportModel, originals: string[], keys: Array<[ReportKey, Record<string, string>?]>, terms: string[]) {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
  const leak = latinLeak(pdfText(pdf), allowance(model, originals, pages));
  expect(leak.share, JSON.stringify(leak.words.slice(0, 30))).toBeLessThan(0.005);
  // Whitespace differs between the page and pdftotext (Thai has none between words; lines wrap): compare without it.
  const flat = text.replace(/\s+/g, '');
  const t = reportTranslator(lang), en = reportTranslator('en');
  for (const [k, vars] of keys) {
    expect(flat).toContain(t(k, vars).replace(/\s+/g, ''));
    expect(flat).not.toContain(en(k, vars).replace(/\s+/g, ''));
  }
  for (const w of terms) expect(flat).toContain(w);
}

describe.skipIf(!canRun)('the sample reports', () => {
  const dir = tmpDir('ekimae-samples-');
  const bs = join(dir, 'bang-sue.gpkg'), mh = join(dir, 'mahsr.gpkg');
  const svc = new EkimaeService();
  let bangSue: ReportModel, mahsr: ReportModel, surat: ReportModel;

  beforeAll(async () => {
    copyFileSync(SAMPLES.bangSue, bs);
    copyFileSync(SAMPLES.mahsr, mh);
    expect(await main(['analyze', bs], quiet)).toBe(0);
    expect(await main(['analyze', mh], quiet)).toBe(0);
    await svc.invoke('project.open', { path: bs });
    bangSue = await svc.invoke('report.model', {});
    await svc.invoke('project.open', { path: mh });
    mahsr = await svc.invoke('report.model', {});
    surat = await svc.invoke('report.model', { station: 'Surat' });
  }, 300_000);

  it('labels never overprint: no two label boxes of a map intersect, and the Bang Sue interchanges are all named', () => {
    for (const m of [bangSue, mahsr, surat]) for (const map of maps(m)) for (const cell of cells(map.svg)) {
      const boxes = labelBoxes(cell);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        expect(intersects(boxes[i], boxes[j]), `${map.section}: "${boxes[i].text}" and "${boxes[j].text}"`).toBe(false);
      }
    }
    const site = maps(bangSue).find((x) => x.section === 'site')!.svg;
    const named = labelBoxes(site).map((b) => b.text).join('|') + (/data-not-labelled="\d+">([^<]*)</.exec(site)?.[1] ?? '');
    for (const s of ['Mo Chit', 'Chatuchak Park', 'Kamphaeng Phet', 'Bang Sue', 'Krung Thep Aphiwat']) expect(named).toContain(s);
    // Mo Chit and Chatuchak Park are 150 m apart: both get a label of their own on the site map.
    expect(labelBoxes(site).map((b) => b.text)).toEqual(expect.arrayContaining(['Mo Chit', 'Chatuchak Park']));
  });

  it('class breaks come from each map: two scenarios\' FAR maps put parcels in different classes, uplift maps are not saturated', () => {
    const far = (id: string) => classCounts(maps(bangSue).find((x) => x.section === `scenario-${id}`)!.svg, 'far');
    const [trend, intensive] = [far('trend'), far('tod-intensive')];
    const legend = (id: string) => [...maps(bangSue).find((x) => x.section === `scenario-${id}`)!.svg.matchAll(/>(FAR [^<]+)</g)].map((m) => m[1]);
    expect(legend('trend')).not.toEqual(legend('tod-intensive'));
    // Same colours, different parcels in them: the class of a parcel changed between the scenarios.
    const differ = [...trend.keys()].filter((c) => intensive.has(c) && intensive.get(c)!.d !== trend.get(c)!.d);
    expect(differ.length).toBeGreaterThanOrEqual(2);
    for (const m of [bangSue, mahsr]) for (const map of maps(m).filter((x) => x.section.startsWith('lvc-'))) {
      const counts = classCounts(map.svg, 'uplift');
      counts.delete('#eeeeee');
      const n = [...counts.values()].reduce((a, c) => a + c.n, 0);
      const top = Math.max(...[...counts.values()].map((c) => c.n));
      // Five quantile classes: about a fifth each (ties and rounding of breaks allowed for).
      expect(counts.size).toBeGreaterThanOrEqual(4);
      expect(top / n, map.section).toBeLessThanOrEqual(1 / 5 + 0.12);
    }
  });

  it('catchment tables add up to the census totals: the outermost band plus "beyond" is the site total', () => {
    for (const [m, path] of [[bangSue, bs], [mahsr, mh]] as const) {
      const census = censusTotals(path);
      const t = tables(m).find((x) => x.section === 'catchments')!;
      const total = t.rows.find((r) => r[0].startsWith('Site total'))!;
      const beyond = t.rows.find((r) => r[0].startsWith('Beyond'))!;
      expect(num(total[5])).toBe(census.residents);
      expect(num(total[7])).toBe(census.jobs);
      const outer = t.rows.filter((r) => r[0] === t.rows[t.rows.indexOf(beyond) - 1][0] && r[1].startsWith(beyond[0].replace(/\D/g, '').replace(/(\d)(?=(\d{3})+$)/g, '$1,')));
      expect(outer.length).toBeGreaterThan(0);
      expect(Math.abs(num(outer[0][5]) + num(beyond[5]) - census.residents)).toBeLessThanOrEqual(1);
    }
    // The corridor table: every station within 800 m, plus beyond, is the site's census total.
    const census = censusTotals(mh);
    const c = tables(mahsr).find((x) => x.section === 'corridor' && x.caption.startsWith('Walk catchments within'))!;
    const rows = c.rows.filter((r) => !r[0].startsWith('Site total'));
    expect(rows.length).toBe(13);
    expect(Math.abs(rows.reduce((a, r) => a + num(r[4]), 0) - census.residents)).toBeLessThanOrEqual(rows.length);
    expect(num(c.rows[c.rows.length - 1][4])).toBe(census.residents);
  });

  it('the take-up table says why high-speed-rail boardings do not change between scenarios (MAHSR) and does not say it where metro complexes respond (Bang Sue)', () => {
    const takeUp = (m: ReportModel) => tables(m).find((x) => x.caption.startsWith('Projected take-up by horizon'))!;
    const note = (m: ReportModel) => takeUp(m).note ?? '';
    expect(note(mahsr)).toMatch(/same in every scenario/);
    expect(note(bangSue)).not.toMatch(/same in every scenario/);
    // MAHSR's scenarios do print identical boardings: the sentence describes the table it stands under.
    const t = takeUp(mahsr);
    const byYear = new Map<string, Set<string>>();
    for (const r of t.rows.filter((r) => /projected/.test(r[1]))) byYear.set(r[1], (byYear.get(r[1]) ?? new Set()).add(r[6]));
    expect(byYear.size).toBeGreaterThan(0);
    for (const v of byYear.values()) expect(v.size).toBe(1);
  });

  it('--station Surat: the corridor table is Surat, beyond, and Surat\'s site; its rows add up; scenario tables are Surat\'s', () => {
    const c = tables(surat).find((x) => x.section === 'corridor' && x.caption.startsWith('Walk catchments within'))!;
    expect(c.rows.map((r) => r[0])).toEqual(['Surat', 'Beyond 800 m walk', 'Site of Surat (census)']);
    expect(num(c.rows[0][4]) + num(c.rows[1][4])).toBeCloseTo(num(c.rows[2][4]), -1);
    // Surat's site is a small part of the corridor's census total.
    expect(num(c.rows[2][4])).toBeLessThan(censusTotals(mh).residents / 2);
    for (const t of tables(surat).filter((x) => x.section === 'corridor')) {
      expect(t.rows.filter((r) => ['Vadodara', 'Thane', 'Anand', 'Ahmedabad'].includes(r[0]))).toEqual([]);
    }
    const ind = tables(surat).find((x) => x.section.startsWith('scenario-') && x.caption.startsWith('Indicators'))!;
    expect(ind.rows.map((r) => r[0])).toEqual(['Surat']);
  });

  it('opens with an executive summary: existing census figures and scenario capacities, labelled as such', () => {
    expect(bangSue.sections[0].id).toBe('summary');
    const h = bangSue.sections[0].blocks.find((b): b is Extract<Block, { kind: 'headline' }> => b.kind === 'headline')!;
    const census = censusTotals(bs);
    expect(h.items.find((i) => i.label === 'Residents in the site')).toMatchObject({ value: census.residents.toLocaleString('en-US'), kind: 'existing' });
    expect(h.items.find((i) => i.label === 'TOD intensive: residents')).toMatchObject({ kind: 'capacity' });
    expect(h.items.some((i) => i.label.startsWith('TOD moderate: land value capture NPV'))).toBe(true);
    // Issue #12: analyze stores the projected take-up; its horizon figures come first, capacity beside them.
    const group = h.items.filter((i) => i.group === 'TOD intensive');
    const proj = group.filter((i) => i.kind === 'projected' && /: residents in \d{4}$/.test(i.label));
    expect(proj.map((i) => i.label)).toEqual(['TOD intensive: residents in 2030', 'TOD intensive: residents in 2035', 'TOD intensive: residents in 2045']);
    expect(group.findIndex((i) => i.kind === 'projected')).toBeLessThan(group.findIndex((i) => i.kind === 'capacity'));
    const num = (v: string) => Number(v.replace(/,/g, ''));
    expect(num(proj.at(-1)!.value)).toBeLessThan(num(group.find((i) => i.label === 'TOD intensive: residents')!.value));
    expect(h.items.find((i) => i.label === 'TOD moderate: land value capture NPV')).toMatchObject({ kind: 'projected' });
  });

  it('a version saved after the analysis: the scenario chapter and the capture chapter both say their figures are of version 1 (on a copy)', async () => {
    const copy = join(dir, 'bang-sue-v2.gpkg');
    copyFileSync(bs, copy);
    const own = new EkimaeService();
    try {
      await own.invoke('project.open', { path: copy });
      const cur = await own.invoke('scenario.get', { id: 'tod-moderate' });
      await own.invoke('scenario.save', { id: 'tod-moderate', scenario: { ...cur.definition, softSiteFactor: cur.definition.softSiteFactor + 0.5 }, note: 'stricter soft sites' });
      const m = await own.invoke('report.model', {});
      const texts = (id: string) => m.sections.find((s) => s.id === id)!.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));
      const at = `${cur.createdAt.slice(0, 10)} ${cur.createdAt.slice(11, 16)} UTC`;
      expect(texts('scenario-tod-moderate')).toContain(`Rules and figures of version 1, saved ${at}. A later version (2) has been saved but not evaluated: this chapter reports version 1.`);
      expect(texts('scenario-trend')).toContain(`Rules and figures of version 1, saved ${at}.`);
      const lvc = texts('lvc-tod-moderate').find((t) => t.startsWith('Computed on version'));
      expect(lvc).toMatch(/^Computed on version 1 of the scenario's rules, on \d{4}-\d{2}-\d{2}\. Version 2 has been saved since: run the capture again to follow it\.$/);
      expect(texts('lvc-trend').find((t) => t.startsWith('Computed on version'))).toMatch(/^Computed on version 1 of the scenario's rules, on \d{4}-\d{2}-\d{2}\.$/);
      const versions = tables(m).find((t) => t.caption === 'Scenario versions in this report')!;
      expect(versions.rows.find((r) => r[0] === cur.definition.name)!.slice(1, 5)).toEqual(['1 of 2', at, '—', 'Ekimae default']);
    } finally { own.close(); }
  });

  it('no English prose in the Japanese and Thai report models: Latin words beyond names, sources, codes and units are under 0.5 % of the letters, where the English model has over 15 % (sources and names, in their own language, are allowed in every model)', async () => {
    await svc.invoke('project.open', { path: bs });
    const originals = originalTexts(bs);
    const en = latinLeak(modelStrings(bangSue).join('\n'), allowance(bangSue, originals, 0));
    expect(en.share).toBeGreaterThan(0.15);
    // Per-station prices appear as their own table, never as a JSON dump in the LVC parameter table.
    expect(modelStrings(bangSue).filter((x) => x.includes('"bands"'))).toEqual([]);
    for (const lang of ['ja', 'th'] as const) {
      const m = await svc.invoke('report.model', { lang });
      const leak = latinLeak(modelStrings(m).join('\n'), allowance(m, originals, 0));
      expect(leak.share, `${lang}: ${JSON.stringify(leak.words.slice(0, 30))}`).toBeLessThan(0.005);
    }
  }, 120_000);

  describe.skipIf(!canRender)('printed in Thai and Japanese', () => {
    it('Bang Sue in Thai: translated titles and prose (English under 0.5 % of letters), no blank page, label boxes hold the text Chromium draws', async () => {
      await svc.invoke('project.open', { path: bs });
      const r = await svc.invoke('report.generate', { outDir: join(dir, 'th'), pdf: true, html: true, lang: 'th' });
      const text = execFileSync('pdftotext', [r.pdf!, '-'], { encoding: 'utf8' });
      for (const t of ['บทสรุปผู้บริหาร', 'พื้นที่และบริบท', 'พื้นที่เดินเท้า', 'สมมติฐาน', 'ขีดความสามารถ', 'ประมาณการ', 'สารบัญ']) expect(text).toContain(t);
      expect(blankPages(r.pdf!)).toEqual([]);
      expectTranslated(r.pdf!, text, 'th', await svc.invoke('report.model', { lang: 'th' }), originalTexts(bs),
        [['lvc.cap.params'], ['lvc.kf.captured'], ['app.cap.lvcParams'], ['cap.personalLeftOut'], ['lvc.cap.legal', { country: 'TH' }]], ['การจัดรูปที่ดิน']);
      // The width estimate must bound what the browser really draws, or "no intersecting boxes" proves nothing.
      const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage();
        await page.goto(`file://${r.html}`);
        const over = await page.evaluate(() => [...document.querySelectorAll('text[data-label-box]')].flatMap((el) => {
          const [x, y, w, h] = el.getAttribute('data-label-box')!.split(' ').map(Number);
          const b = (el as SVGTextElement).getBBox();
          return b.x >= x - 0.5 && b.y >= y - 1.5 && b.x + b.width <= x + w + 0.5 && b.y + b.height <= y + h + 1.5 ? [] : [`${el.textContent}: drawn ${[b.x, b.y, b.width, b.height].map((v) => v.toFixed(1))} box ${[x, y, w, h]}`];
        }));
        expect(over).toEqual([]);
      } finally {
        await browser.close();
      }
    }, 400_000);

    it('the MAHSR corridor in Japanese: translated titles and prose (English under 0.5 % of letters), no blank page', async () => {
      await svc.invoke('project.open', { path: mh });
      const r = await svc.invoke('report.generate', { outDir: join(dir, 'ja'), pdf: true, html: false, lang: 'ja' });
      const text = execFileSync('pdftotext', [r.pdf!, '-'], { encoding: 'utf8' });
      for (const t of ['要旨', '対象地区と周辺状況', '沿線の駅', '徒歩圏', '前提条件', '目次']) expect(text).toContain(t);
      expect(blankPages(r.pdf!)).toEqual([]);
      expectTranslated(r.pdf!, text, 'ja', await svc.invoke('report.model', { lang: 'ja' }), originalTexts(mh),
        [['lvc.cap.params'], ['lvc.kf.captured'], ['app.cap.lvcParams'], ['cap.personalLeftOut'], ['lvc.cap.legal', { country: 'IN' }]], ['財務分析：名目価格', '開発権の売却']);
    }, 400_000);
  });
});
