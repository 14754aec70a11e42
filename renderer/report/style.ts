import type { Orientation, Paper } from '../../core/report/model.js';

/** Print-first CSS; fonts cover Latin, Thai, Japanese, Devanagari and Gujarati (Debian's Noto and TLWG fonts). */
export function reportCss(paper: Paper, orientation: Orientation): string {
  return `
@page { size: ${paper} ${orientation}; margin: 15mm 15mm 18mm 15mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'Noto Sans', 'Noto Sans Thai', 'Loma', 'Noto Sans CJK JP', 'Noto Sans Devanagari', 'Noto Sans Gujarati', sans-serif;
  font-size: 10pt; line-height: 1.4; color: #1d1d1d; }
h1 { font-size: 26pt; margin: 0 0 8pt; color: #10324a; }
h2 { font-size: 15pt; color: #10324a; border-bottom: 1.5pt solid #10324a; padding-bottom: 3pt; margin: 0 0 8pt; }
.cover { min-height: 240mm; display: flex; flex-direction: column; justify-content: center; page-break-after: always; }
.cover .brand { font-size: 12pt; letter-spacing: 2pt; color: #c1121f; margin-bottom: 24pt; }
.cover .subtitle { font-size: 13pt; color: #444; margin-bottom: 24pt; }
.cover dl { display: grid; grid-template-columns: 40mm 1fr; gap: 4pt 8pt; }
.cover dt { color: #666; } .cover dd { margin: 0; }
.mono { font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; word-break: break-all; }
.toc { page-break-after: always; } .toc ol { font-size: 12pt; line-height: 1.9; } .toc a { color: #10324a; text-decoration: none; }
.toc .page { float: right; padding-left: 8pt; font-variant-numeric: tabular-nums; }
/* While a printer paginates, maps keep their size and skip their drawing (a quick first print). */
.paginating .map svg > * { display: none; }
.chapter { margin-bottom: 14pt; } .chapter.break { page-break-before: always; }
/* Maps, charts and short tables stay whole; a table longer than a page must break, or the chapter
   heading before it is left alone on a blank page (the Assumptions chapter did). A heading keeps to what follows. */
figure { margin: 0 0 12pt; break-inside: avoid; }
figure.table.long { break-inside: auto; }
h2 { break-after: avoid; }
figcaption { font-size: 8.5pt; color: #555; margin-top: 3pt; }
.map svg { display: block; max-width: 100%; height: auto; border: 0.5pt solid #ccc; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th { background: #10324a; color: #fff; text-align: left; padding: 3pt 4pt; font-weight: 600; }
td { padding: 2.5pt 4pt; border-bottom: 0.5pt solid #ddd; vertical-align: top; }
tr:nth-child(even) td { background: #f4f6f8; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; } tr { break-inside: avoid; }
.figures { display: flex; flex-wrap: wrap; gap: 8pt; margin-bottom: 10pt; }
.figure { border: 0.8pt solid #10324a; border-radius: 3pt; padding: 5pt 9pt; min-width: 30mm; }
.figure .value { font-size: 14pt; font-weight: 700; color: #10324a; } .figure .label { font-size: 8pt; color: #555; }
.headline td.value { font-size: 11pt; font-weight: 700; color: #10324a; white-space: nowrap; }
.badge { display: inline-block; border-radius: 2pt; padding: 0 4pt; font-size: 7.5pt; border: 0.6pt solid; }
.badge.existing { color: #555; border-color: #999; } .badge.capacity { color: #8a4b00; border-color: #d98b2b; } .badge.projected { color: #0b5d1e; border-color: #2f9e44; }
@media screen { body { max-width: 190mm; margin: 0 auto; padding: 12mm; background: #fff; } .cover { min-height: auto; padding: 30mm 0; } }
`;
}
