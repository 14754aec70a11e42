/**
 * On which page each link target of a Chromium-printed PDF lies. Chromium writes every element a
 * link points to (the contents' chapter links) as a named destination, /Dests in the catalog:
 * `/id [page-object 0 R /XYZ x y 0]`. Page objects are numbered by walking the /Pages tree. Skia
 * writes a PDF 1.4 with a classic xref table and no object streams, so objects are found by offset.
 */

const ascii = (b: Uint8Array, from: number, to: number) => Buffer.from(b.buffer, b.byteOffset + from, Math.max(0, to - from)).toString('latin1');

function objectOffsets(pdf: Uint8Array): Map<number, number> {
  const tail = ascii(pdf, Math.max(0, pdf.length - 1024), pdf.length);
  const start = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!start) throw new Error('no startxref at the end of the PDF');
  const at = Number(start[1]);
  const head = /^xref\s+(\d+)\s+(\d+)\s+/.exec(ascii(pdf, at, at + 64));
  if (!head) throw new Error('the PDF has no classic xref table');
  const first = Number(head[1]), count = Number(head[2]);
  const table = ascii(pdf, at + head[0].length, at + head[0].length + count * 20);
  const offsets = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const entry = table.slice(i * 20, i * 20 + 18);
    if (entry.endsWith('n')) offsets.set(first + i, Number(entry.slice(0, 10)));
  }
  return offsets;
}

/** The dictionary text of object n (up to its stream or endobj). */
function dictOf(pdf: Uint8Array, offsets: Map<number, number>, n: number): string {
  const at = offsets.get(n);
  if (at === undefined) throw new Error(`object ${n} is not in the xref table`);
  // Dictionaries are ASCII; stop at the stream keyword or endobj, whichever comes first.
  for (let window = 256; ; window *= 2) {
    const text = ascii(pdf, at, Math.min(pdf.length, at + window));
    const stop = text.search(/\bstream\r?\n|\bendobj/);
    if (stop >= 0) return text.slice(0, stop);
    if (at + window >= pdf.length) return text;
  }
}

const ref = (text: string, key: string) => {
  const m = new RegExp(`/${key}\\s+(\\d+)\\s+0\\s+R`).exec(text);
  return m ? Number(m[1]) : null;
};

/** Named destination → 1-based page number. */
export function destinationPages(pdf: Uint8Array): Map<string, number> {
  const offsets = objectOffsets(pdf);
  const tail = ascii(pdf, Math.max(0, pdf.length - 4096), pdf.length);
  const root = ref(tail.slice(tail.lastIndexOf('trailer')), 'Root');
  if (root === null) throw new Error('the PDF trailer names no catalog');
  const catalog = dictOf(pdf, offsets, root);
  const pagesRoot = ref(catalog, 'Pages');
  if (pagesRoot === null) throw new Error('the PDF catalog has no page tree');
  const pageNumber = new Map<number, number>();
  const walk = (n: number) => {
    const d = dictOf(pdf, offsets, n);
    if (/\/Type\s*\/Pages\b/.test(d)) {
      const kids = /\/Kids\s*\[([^\]]*)\]/.exec(d)?.[1] ?? '';
      for (const m of kids.matchAll(/(\d+)\s+0\s+R/g)) walk(Number(m[1]));
    } else pageNumber.set(n, pageNumber.size + 1);
  };
  walk(pagesRoot);
  const out = new Map<string, number>();
  const destsRef = ref(catalog, 'Dests');
  if (destsRef === null) return out;
  const dests = dictOf(pdf, offsets, destsRef);
  for (const m of dests.matchAll(/\/([^\s/[\]<>()]+)\s*\[\s*(\d+)\s+0\s+R/g)) {
    const page = pageNumber.get(Number(m[2]));
    // PDF names escape bytes as #xx.
    if (page !== undefined) out.set(decodeURIComponent(m[1].replace(/#([0-9a-fA-F]{2})/g, '%$1')), page);
  }
  return out;
}
