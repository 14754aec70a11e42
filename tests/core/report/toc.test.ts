import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';
import { makeGridProject } from '../../helpers/grid-project.js';

const canRender = requireToolOrSkip('chromium') && requireToolOrSkip('pdftotext') && existsSync(REPORT_PAGE);
const pageText = (pdf: string, n: number) => execFileSync('pdftotext', ['-f', String(n), '-l', String(n), '-layout', pdf, '-'], { encoding: 'utf8' });

describe.skipIf(!canRender)('contents with page numbers', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  beforeAll(async () => {
    await makeGridProject(svc, dir, 2);
    for (const id of ['existing', 'trend', 'tod-moderate', 'tod-intensive']) await svc.invoke('scenario.evaluate', { id, store: true });
    await svc.invoke('lvc.run', { scenario: 'tod-moderate', draws: 50 });
  }, 120_000);

  for (const [paper, orientation] of [['A4', 'portrait'], ['A3', 'landscape']] as const) {
    it(`every entry's page starts that chapter (${paper} ${orientation}); the HTML keeps plain links`, async () => {
      const r = await svc.invoke('report.generate', { outDir: join(dir, `${paper}-${orientation}`), pdf: true, html: true, paper, orientation });
      // The contents page (after the cover): "  3. Walk catchments ....   7".
      const entries = [...pageText(r.pdf!, 2).matchAll(/^\s*(\d+)\.\s+(.+?)\s{2,}(\d+)\s*$/gm)].map((m) => ({ n: Number(m[1]), title: m[2], page: Number(m[3]) }));
      expect(entries.map((e) => e.title)).toEqual(r.sections);
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [r.pdf!], { encoding: 'utf8' }))![1]);
      for (const e of entries) {
        expect(e.page).toBeGreaterThan(2);
        expect(e.page).toBeLessThanOrEqual(pages);
        // The chapter heading ("3. Walk catchments") is on that page, and not on the one before.
        const heading = new RegExp(`^\\s*${e.n}\\.\\s+${e.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');
        expect(pageText(r.pdf!, e.page), `${e.title} on page ${e.page}`).toMatch(heading);
        expect(pageText(r.pdf!, e.page - 1)).not.toMatch(heading);
      }
      expect(new Set(entries.map((e) => e.page)).size).toBeGreaterThan(5);
      const html = readFileSync(r.html!, 'utf8');
      const toc = /<nav class="toc"[^>]*>(.*?)<\/nav>/s.exec(html)![1];
      expect(toc).toContain('href="#catchments"');
      expect(toc).not.toMatch(/class="page"/);
    }, 120_000);
  }
});
