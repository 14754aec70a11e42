/**
 * Blank pages of a PDF, found from the page images: each page rendered in grey at 20 dpi by poppler's
 * pdftoppm, and a page is blank when its body (below the chapter heading, above the footer: 12 % to
 * 90 % of the height) has almost no ink. Text and vector drawings (maps, charts) both count, since
 * they are what a reader sees; the footer and a heading left alone on a page do not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Share of body pixels darker than light grey, per page (1-based order). */
export function bodyInk(pdf: string): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'ekimae-pages-'));
  try {
    execFileSync('pdftoppm', ['-gray', '-r', '20', pdf, join(dir, 'p')]);
    return readdirSync(dir).filter((f) => f.endsWith('.pgm')).sort((a, b) => Number(/(\d+)\.pgm$/.exec(a)![1]) - Number(/(\d+)\.pgm$/.exec(b)![1])).map((f) => {
      const buf = readFileSync(join(dir, f));
      // P5 header: magic, width, height, maxval, each separated by whitespace; then one byte per pixel.
      const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(buf.subarray(0, 64).toString('latin1'))!;
      const w = Number(head[1]), h = Number(head[2]), start = head[0].length;
      let ink = 0, n = 0;
      for (let y = Math.floor(h * 0.12); y < Math.floor(h * 0.9); y++) {
        for (let x = 0; x < w; x++, n++) if (buf[start + y * w + x] < 200) ink++;
      }
      return ink / n;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Text of one page (1-based) less its last line (the footer), as pdftotext reads it. */
function pageText(pdf: string, page: number): string {
  const t = execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-layout', pdf, '-'], { encoding: 'utf8' }).trim().split('\n');
  return t.slice(0, -1).join('\n');
}

/**
 * Pages (1-based) whose body has less than 0.2 % ink — less than one short line of text — and whose
 * text is no more than a heading: the end of a table or paragraph carried onto a new page sits above
 * the body band, and it is content, not a blank page.
 */
export function blankPages(pdf: string): number[] {
  return bodyInk(pdf).flatMap((v, i) => (v < 0.002 && pageText(pdf, i + 1).replace(/\s+/g, '').length < 120 ? [i + 1] : []));
}
