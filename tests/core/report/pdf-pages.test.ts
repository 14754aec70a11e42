import { describe, expect, it } from 'vitest';
import { destinationPages } from '../../../core/report/pdf-pages.js';

/** A PDF 1.4 with a classic xref table: objects numbered 1.. in order, offsets counted as written. */
function pdf(objects: string[], rootObj = 1): Uint8Array {
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${body}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<</Size ${objects.length + 1}\n/Root ${rootObj} 0 R>>\nstartxref\n${xref}\n%%EOF`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

describe('chapter pages from a PDF\'s named destinations', () => {
  it('numbers pages by walking a nested page tree, and decodes #xx in names', () => {
    // Page order: 4 (page 1), then the subtree 5: 7 (page 2) and 6 (page 3).
    const doc = pdf([
      '<</Type /Catalog\n/Pages 2 0 R\n/Dests 3 0 R>>',
      '<</Type /Pages\n/Kids [4 0 R 5 0 R]\n/Count 3>>',
      '<</sources [6 0 R /XYZ 0 842.88 0]\n/site [4 0 R /XYZ 0 842.88 0]\n/lvc#2Dtrend [7 0 R /XYZ 0 300 0]>>',
      '<</Type /Page\n/Parent 2 0 R\n/Contents 8 0 R>>',
      '<</Type /Pages\n/Parent 2 0 R\n/Kids [7 0 R 6 0 R]\n/Count 2>>',
      '<</Type /Page\n/Parent 5 0 R>>',
      '<</Type /Page\n/Parent 5 0 R>>',
      '<</Length 12>> stream\nendobj BT ET\nendstream',
    ]);
    expect(Object.fromEntries(destinationPages(doc))).toEqual({ site: 1, 'lvc-trend': 2, sources: 3 });
  });

  it('a PDF without destinations has none; one without an xref table is an error', () => {
    expect(destinationPages(pdf(['<</Type /Catalog\n/Pages 2 0 R>>', '<</Type /Pages\n/Kids [3 0 R]>>', '<</Type /Page>>'])).size).toBe(0);
    expect(() => destinationPages(new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF')))).toThrow(/startxref/);
  });
});
