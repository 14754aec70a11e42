import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { fmt } from '../../../core/report/model.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const canRender = requireToolOrSkip('chromium') && requireToolOrSkip('pdftotext') && existsSync(REPORT_PAGE);

describe.skipIf(!canRender)('master-plan report (HTML + PDF through Chromium)', () => {
  const dir = tmpDir();
  const svc = new EkimaeService();
  let out: { html: string | null; pdf: string | null };

  beforeAll(async () => {
    const sq = (x: number, y: number, d = 0.002) => [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]];
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { land_use: 'residential', land_value: 85000, owner_name: 'Somchai Jaidee' }, geometry: { type: 'Polygon', coordinates: sq(100.535, 13.800) } },
      { type: 'Feature', properties: { land_use: 'commercial', land_value: 120000, owner_name: 'Malee Srisuk' }, geometry: { type: 'Polygon', coordinates: sq(100.540, 13.801) } },
      { type: 'Feature', properties: { land_use: 'open_space', land_value: 30000, owner_name: 'Krung Thep' }, geometry: { type: 'Polygon', coordinates: sq(100.545, 13.806) } },
    ] }));
    writeFileSync(join(dir, 'stations.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: 'กรุงเทพอภิวัฒน์ 駅', name_local: 'สถานีกลางกรุงเทพอภิวัฒน์' }, geometry: { type: 'Point', coordinates: [100.541, 13.804] } },
      { type: 'Feature', properties: { name: 'Vadodara', name_local: 'વડોદરા', name_hi: 'वडोदरा' }, geometry: { type: 'Point', coordinates: [100.538, 13.802] } },
    ] }));
    await svc.invoke('project.create', { path: join(dir, 'p.gpkg'), settings: { name: 'Report Test Site', country: 'TH', currency: 'THB', client: 'Test Client' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    await svc.invoke('layers.import', { path: join(dir, 'stations.geojson'), role: 'stations' });
    out = await svc.invoke('report.generate', { outDir: join(dir, 'out'), pdf: true, html: true });
  }, 120_000);

  it('writes a self-contained HTML file: no scripts, no external requests, a CSP that forbids them', () => {
    const html = readFileSync(out.html!, 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg');
    expect(html).toContain('Report Test Site');
  });

  it('prints a PDF whose text carries the site, the figures and non-Latin names, and no personal data', () => {
    const text = execFileSync('pdftotext', ['-layout', out.pdf!, '-'], { encoding: 'utf8' });
    expect(text).toContain('Report Test Site');
    expect(text).toContain('Test Client');
    expect(text).toMatch(/Parcels\s/);
    expect(text).toContain(fmt(3));
    expect(text).toContain('parcels.geojson');
    expect(text).toMatch(/page 1 of \d+/);
    // Thai and Japanese place names reach the PDF as text (fonts embedded), not as missing glyphs.
    expect(text).toContain('กรุงเทพอภิวัฒน์');
    expect(text).toContain('駅');
    // The stations table lists every name field: Thai, Gujarati and Devanagari scripts printed as text.
    expect(text).toContain('สถานีกลางกรุงเทพอภิวัฒน์');
    expect(text).toContain('વડોદરા');
    expect(text).toContain('वडोदरा');
    // Personal field is named as left out, its values never printed.
    expect(text).toContain('owner_name');
    expect(text).not.toContain('Somchai');
    expect(text).not.toContain('Malee');
  });

  it('renders its pages to images (pdftoppm)', () => {
    if (!requireToolOrSkip('pdftoppm')) return;
    execFileSync('pdftoppm', ['-png', '-r', '30', out.pdf!, join(dir, 'page')]);
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(pages.length).toBeGreaterThanOrEqual(4);
  });
});
