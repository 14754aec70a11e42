/**
 * A council review end to end through the service: a signed package made from a small project,
 * opened read-only, commented on, reopened, exported, imported back by the consultant.
 * Positions are checked against hand arithmetic and against GDAL reading the exported files.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../../core/api/service.js';
import { createCloneTransport } from '../../../core/api/transports/clone-transport.js';
import { REPORT_PAGE } from '../../../core/report/render.js';
import { tmpDir } from '../../helpers/tmp.js';
import { requireToolOrSkip } from '../../helpers/tools.js';

const canRender = requireToolOrSkip('chromium') && existsSync(REPORT_PAGE);
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

// Parcel 1: 100.530..100.532 x 13.800..13.802, centre (100.531, 13.801).
// Parcel 2: 100.532..100.534 x 13.800..13.801, centre (100.533, 13.8005).
// Plan extent 100.530..100.534 x 13.800..13.802: larger side 0.004 deg, 25% = 0.001 < 0.01,
// so pins may go in 100.520..100.544 x 13.790..13.812.
const PARCELS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { land_use: 'residential', far: 2 }, geometry: { type: 'Polygon', coordinates: [[[100.53, 13.8], [100.532, 13.8], [100.532, 13.802], [100.53, 13.802], [100.53, 13.8]]] } },
    { type: 'Feature', properties: { land_use: 'commercial', far: 4 }, geometry: { type: 'Polygon', coordinates: [[[100.532, 13.8], [100.534, 13.8], [100.534, 13.801], [100.532, 13.801], [100.532, 13.8]]] } },
  ],
};

describe.skipIf(!canRender)('council review of a signed plan package', () => {
  const dir = tmpDir();
  const svc = new EkimaeService({ strictOutputs: true });
  let folder: string, zip: string, planSha: string, zipSha: string;

  const fails = async (method: string, input: unknown) => {
    const r = await svc.call(method, input);
    if (r.ok) throw new Error(`${method} should have failed`);
    return r.error;
  };

  beforeAll(async () => {
    process.env.EKIMAE_HOME = join(dir, 'home');
    writeFileSync(join(dir, 'parcels.geojson'), JSON.stringify(PARCELS));
    await svc.invoke('project.create', { path: join(dir, 'plan.gpkg'), settings: { name: 'Review Test', client: 'Bangkok' } });
    await svc.invoke('layers.import', { path: join(dir, 'parcels.geojson'), role: 'parcels' });
    folder = (await svc.invoke('package.create', { out: join(dir, 'pkg') })).path;
    zip = (await svc.invoke('package.create', { out: join(dir, 'pkgz'), zip: true })).path;
    await svc.invoke('project.close', {});
    planSha = sha(join(folder, 'plan.gpkg'));
    zipSha = sha(zip);
  }, 240_000);

  it('refuses review calls before a package is open', async () => {
    expect((await fails('review.list', {})).code).toBe('E_PROJECT_NOT_OPEN');
  });

  it('opens the plan read-only: reads work, writes are refused', async () => {
    const o = await svc.invoke('review.open', { package: folder });
    expect(o.reviewFile).toBe(`${folder}.review.gpkg`);
    expect(o.manifestSha256).toBe(sha(join(folder, 'manifest.json')));
    expect(o.project.readOnly).toBe(true);
    expect(o.project.settings.name).toBe('Review Test');
    expect(o.comments).toEqual([]);
    expect(o.pinArea![0]).toBeCloseTo(100.52, 9);
    expect(o.pinArea![3]).toBeCloseTo(13.812, 9);
    const info = await svc.invoke('project.info', {});
    expect(info.layers.map((l) => [l.name, l.role, l.count])).toEqual([['parcels', 'parcels', 2]]);
    const fc = await svc.invoke('layers.features', { layer: 'parcels' });
    expect(fc.features.map((f) => f.properties.land_use)).toEqual(['residential', 'commercial']);
    const model = await svc.invoke('report.model', {});
    expect(model.sections.length).toBeGreaterThan(0);
    expect((await fails('project.updateSettings', { patch: { name: 'Changed' } })).code).toBe('E_PROJECT_READONLY');
    expect((await fails('layers.setRole', { layer: 'parcels', role: 'zones' })).code).toBe('E_PROJECT_READONLY');
    expect((await fails('layers.remove', { layer: 'parcels' })).code).toBe('E_PROJECT_READONLY');
    expect((await fails('layers.import', { path: join(dir, 'parcels.geojson') })).code).toBe('E_PROJECT_READONLY');
    expect((await fails('layers.setPersonal', { layer: 'parcels', field: 'far', personal: true })).code).toBe('E_PROJECT_READONLY');
    expect((await fails('scenario.defaults', {})).code).toBe('E_PROJECT_READONLY');
  });

  it('pins comments to a place and to a parcel (at its centre)', async () => {
    const place = await svc.invoke('review.addComment', { lon: 100.5335, lat: 13.8015, text: 'Station plaza should face the soi.', author: 'Council planner' });
    expect(place).toMatchObject({ lon: 100.5335, lat: 13.8015, status: 'open', layer: null, fid: null, author: 'Council planner', currentPackage: true });
    expect(place.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const fc = await svc.invoke('layers.features', { layer: 'parcels' });
    const fid2 = fc.features[1].id!;
    const parcel = await svc.invoke('review.addComment', { layer: 'parcels', fid: fid2, text: '  FAR 4 here blocks the view corridor.  ', author: 'Ward office' });
    expect(parcel.text).toBe('FAR 4 here blocks the view corridor.');
    expect(parcel).toMatchObject({ layer: 'parcels', fid: fid2 });
    expect(parcel.lon).toBeCloseTo(100.533, 12);
    expect(parcel.lat).toBeCloseTo(13.8005, 12);
    const list = await svc.invoke('review.list', {});
    expect(list.map((c) => c.text)).toEqual(['Station plaza should face the soi.', 'FAR 4 here blocks the view corridor.']);
  });

  it('resolves, edits and removes comments', async () => {
    const extra = await svc.invoke('review.addComment', { lon: 100.531, lat: 13.801, text: 'Typo in the legend', author: 'Clerk' });
    const resolved = await svc.invoke('review.updateComment', { id: extra.id, status: 'resolved' });
    expect(resolved.status).toBe('resolved');
    expect(resolved.updatedAt).not.toBeNull();
    expect((await svc.invoke('review.list', { status: 'resolved' })).map((c) => c.id)).toEqual([extra.id]);
    expect((await svc.invoke('review.updateComment', { id: extra.id, text: 'Typo in the map legend' })).text).toBe('Typo in the map legend');
    await svc.invoke('review.removeComment', { id: extra.id });
    expect((await svc.invoke('review.list', {})).some((c) => c.id === extra.id)).toBe(false);
    expect((await fails('review.removeComment', { id: extra.id })).code).toBe('E_COMMENT_NOT_FOUND');
    expect((await fails('review.updateComment', { id: 'no-such-id', status: 'resolved' })).code).toBe('E_COMMENT_NOT_FOUND');
  });

  it('gives clear codes for bad input and leaves the comments as they were', async () => {
    const before = await svc.invoke('review.list', {});
    const fid = (await svc.invoke('layers.features', { layer: 'parcels' })).features[0].id!;
    const empty = await fails('review.addComment', { lon: 100.531, lat: 13.801, text: '', author: 'A' });
    expect(empty.code).toBe('E_INPUT_INVALID');
    expect(empty.message).toMatch(/text/);
    expect((await fails('review.addComment', { lon: 100.531, lat: 13.801, text: '   ', author: 'A' })).code).toBe('E_INPUT_INVALID');
    expect((await fails('review.addComment', { lon: 100.531, lat: 13.801, text: 'x'.repeat(4001), author: 'A' })).code).toBe('E_INPUT_INVALID');
    expect((await svc.invoke('review.addComment', { lon: 100.531, lat: 13.801, text: 'y'.repeat(4000), author: 'A' })).text).toHaveLength(4000);
    const nan = await fails('review.addComment', { lon: Number.NaN, lat: 13.801, text: 'x', author: 'A' });
    expect(nan.code).toBe('E_INPUT_INVALID');
    expect(nan.message).toMatch(/lon/);
    expect((await fails('review.addComment', { lon: Infinity, lat: 13.801, text: 'x', author: 'A' })).code).toBe('E_INPUT_INVALID');
    // Just outside the pin area (east edge 100.544) and inside it.
    const far = await fails('review.addComment', { lon: 100.5441, lat: 13.801, text: 'x', author: 'A' });
    expect(far.code).toBe('E_COORD_INVALID');
    expect(far.message).toMatch(/outside the plan's area/);
    expect((await svc.invoke('review.addComment', { lon: 100.5439, lat: 13.801, text: 'edge', author: 'A' })).lon).toBe(100.5439);
    const unknownFid = await fails('review.addComment', { layer: 'parcels', fid: 999, text: 'x', author: 'A' });
    expect(unknownFid.code).toBe('E_FEATURE_NOT_FOUND');
    expect(unknownFid.message).toMatch(/parcels.*999/);
    expect((await fails('review.addComment', { layer: 'roads', fid, text: 'x', author: 'A' })).code).toBe('E_LAYER_NOT_FOUND');
    expect((await fails('review.addComment', { fid, text: 'x', author: 'A' })).code).toBe('E_INPUT_INVALID');
    expect((await fails('review.addComment', { lon: 100.531, text: 'x', author: 'A' })).code).toBe('E_INPUT_INVALID');
    expect((await fails('review.addComment', { text: 'x', author: 'A' })).code).toBe('E_INPUT_INVALID');
    expect((await fails('review.addComment', { lon: 100.531, lat: 13.801, text: 'x', author: '' })).code).toBe('E_INPUT_INVALID');
    const after = await svc.invoke('review.list', {});
    expect(after.length).toBe(before.length + 2); // only the two valid ones
    for (const c of after.slice(-2)) await svc.invoke('review.removeComment', { id: c.id });
  });

  it('resumes the same comments when the package is opened again, by a new service too', async () => {
    const ids = (await svc.invoke('review.list', {})).map((c) => c.id);
    expect(ids).toHaveLength(2);
    expect(await svc.invoke('review.close', {})).toEqual({ closed: true });
    expect((await fails('review.list', {})).code).toBe('E_PROJECT_NOT_OPEN');
    const other = new EkimaeService();
    const o = await other.invoke('review.open', { package: folder });
    expect(o.comments.map((c) => c.id)).toEqual(ids);
    await other.invoke('review.close', {});
    const again = await svc.invoke('review.open', { package: folder });
    expect(again.comments.map((c) => c.id)).toEqual(ids);
  });

  it('works through a structuredClone transport (as over Electron IPC) and a JSON one (NaN arrives as null)', async () => {
    const other = new EkimaeService({ strictOutputs: true });
    const t = createCloneTransport(other);
    const o = await t.call('review.open', { package: folder });
    expect(o.ok).toBe(true);
    const l = await t.call('review.list', {});
    expect(l.ok && (l.value as unknown[]).length).toBe(2);
    const viaJson = JSON.parse(JSON.stringify({ lon: Number.NaN, lat: 13.801, text: 'x', author: 'A' }));
    const bad = await t.call('review.addComment', viaJson);
    expect(!bad.ok && bad.error.code).toBe('E_INPUT_INVALID');
    expect((await t.call('review.close', {})).ok).toBe(true);
  });

  it('exports the comments as GeoPackage and GeoJSON layers GDAL reads', async () => {
    const g = await svc.invoke('review.export', { format: 'gpkg', path: join(dir, 'comments.gpkg') });
    expect(g.layers).toEqual([{ name: 'review_comments', count: 2 }]);
    expect(g.omittedFields).toEqual([]);
    const j = await svc.invoke('review.export', { format: 'geojson', path: join(dir, 'comments.geojson') });
    expect(j.layers[0].count).toBe(2);
    if (!requireToolOrSkip('ogrinfo')) return;
    for (const f of ['comments.gpkg', 'comments.geojson']) {
      const so = execFileSync('ogrinfo', ['-al', '-so', join(dir, f)], { encoding: 'utf8' });
      expect(so).toContain('Feature Count: 2');
      expect(so).toMatch(/Geometry: Point/);
      for (const field of ['comment_id', 'author', 'text', 'status', 'created_at', 'layer', 'parcel_fid', 'package_manifest_sha256']) expect(so).toContain(`${field}:`);
    }
    const all = execFileSync('ogrinfo', ['-al', '-q', join(dir, 'comments.gpkg')], { encoding: 'utf8' });
    expect(all).toContain('POINT (100.5335 13.8015)');
    expect(all).toContain('POINT (100.533 13.8005)');
    expect(all).toContain('text (String) = FAR 4 here blocks the view corridor.');
    expect(all).toContain('author (String) = Ward office');
  });

  it('the consultant imports the export back with layers.import and reads the comments at their places', async () => {
    const consultant = new EkimaeService();
    await consultant.invoke('project.create', { path: join(dir, 'consultant.gpkg'), settings: { name: 'Consultant' } });
    for (const [f, name] of [['comments.gpkg', 'from_gpkg'], ['comments.geojson', 'from_geojson']] as const) {
      const r = await consultant.invoke('layers.import', { path: join(dir, f), name });
      expect(r.layers).toHaveLength(1);
      expect(r.layers[0]).toMatchObject({ name, role: 'other', geometryType: 'POINT', count: 2 });
      expect(r.layers[0].fields.filter((x) => x.personal)).toEqual([]);
      const fc = await consultant.invoke('layers.features', { layer: name });
      const byText = new Map(fc.features.map((x) => [x.properties.text, x]));
      const plaza = byText.get('Station plaza should face the soi.')!;
      expect(plaza.geometry).toEqual({ type: 'Point', coordinates: [100.5335, 13.8015] });
      expect(plaza.properties).toMatchObject({ author: 'Council planner', status: 'open', layer: null, parcel_fid: null });
      const onParcel = byText.get('FAR 4 here blocks the view corridor.')!;
      expect(onParcel.properties).toMatchObject({ layer: 'parcels', author: 'Ward office' });
      const [lon, lat] = (onParcel.geometry as { coordinates: [number, number] }).coordinates;
      expect(lon).toBeCloseTo(100.533, 12);
      expect(lat).toBeCloseTo(13.8005, 12);
    }
    consultant.close();
  });

  it('never writes the package: plan.gpkg and the zip keep their sha256 and still verify', async () => {
    const plan = (await svc.invoke('project.info', {})).path;
    await svc.invoke('review.close', {});
    expect(existsSync(plan)).toBe(false); // the working copy is gone
    const z = await svc.invoke('review.open', { package: zip });
    expect(z.reviewFile).toBe(join(dir, 'pkgz.review.gpkg'));
    await svc.invoke('review.addComment', { layer: 'parcels', fid: 1, text: 'On the zipped version', author: 'B' });
    await svc.invoke('review.close', {});
    expect(sha(join(folder, 'plan.gpkg'))).toBe(planSha);
    expect(sha(zip)).toBe(zipSha);
    expect((await svc.invoke('package.verify', { path: folder })).ok).toBe(true);
    expect((await svc.invoke('package.verify', { path: zip })).ok).toBe(true);
  });

  it('keeps comments made on an earlier package version, marked as such', async () => {
    // The zip was made after the folder: another manifest (createdAt), so another manifest sha256.
    const o = await svc.invoke('review.open', { package: zip, reviewFile: `${folder}.review.gpkg` });
    expect(o.manifestSha256).toBe(createHash('sha256').update(unzipSync(readFileSync(zip))['manifest.json']).digest('hex'));
    expect(o.comments.length).toBe(2);
    expect(o.comments.every((c) => !c.currentPackage && c.packageManifestSha256 === sha(join(folder, 'manifest.json')))).toBe(true);
    const fresh = await svc.invoke('review.addComment', { lon: 100.531, lat: 13.801, text: 'On the new version', author: 'C' });
    expect(fresh).toMatchObject({ currentPackage: true, packageManifestSha256: o.manifestSha256 });
    await svc.invoke('review.removeComment', { id: fresh.id });
    await svc.invoke('review.close', {});
  });

  it('opening another project ends the review session', async () => {
    await svc.invoke('review.open', { package: folder });
    await svc.invoke('project.open', { path: join(dir, 'plan.gpkg'), readOnly: true });
    expect((await fails('review.addComment', { lon: 100.531, lat: 13.801, text: 'x', author: 'A' })).code).toBe('E_PROJECT_NOT_OPEN');
    expect((await svc.invoke('project.info', {})).settings.name).toBe('Review Test');
    await svc.invoke('project.close', {});
  });

  it('refuses a tampered package, folder or zip, naming the problem', async () => {
    const bad = join(dir, 'tampered');
    cpSync(folder, bad, { recursive: true });
    const b = readFileSync(join(bad, 'plan.gpkg'));
    b[b.length - 100] ^= 1;
    writeFileSync(join(bad, 'plan.gpkg'), b);
    const e = await fails('review.open', { package: bad });
    expect(e.code).toBe('E_PACKAGE_INVALID');
    expect(e.details?.problems).toContain('plan.gpkg was changed (sha256 differs)');
    expect(existsSync(`${bad}.review.gpkg`)).toBe(false);
    const entries = unzipSync(readFileSync(zip));
    entries['report.html'] = strToU8('<html>forged</html>');
    writeFileSync(join(dir, 'forged.zip'), zipSync(entries));
    const z = await fails('review.open', { package: join(dir, 'forged.zip') });
    expect(z.code).toBe('E_PACKAGE_INVALID');
    expect(z.message).toMatch(/report\.html/);
    writeFileSync(join(dir, 'junk.zip'), 'not a zip');
    expect((await fails('review.open', { package: join(dir, 'junk.zip') })).code).toBe('E_ZIP_INVALID');
    expect((await fails('review.open', { package: join(dir, 'nowhere') })).code).toBe('E_FILE_NOT_FOUND');
    const wrongKey = await fails('review.open', { package: folder, trustedKeyId: '0123456789abcdef' });
    expect(wrongKey.code).toBe('E_PACKAGE_INVALID');
    expect((await fails('review.list', {})).code).toBe('E_PROJECT_NOT_OPEN');
  });

  it('a failed open leaves the running review as it was', async () => {
    await svc.invoke('review.open', { package: folder });
    expect((await fails('review.open', { package: join(dir, 'forged.zip') })).code).toBe('E_PACKAGE_INVALID');
    expect(await svc.invoke('review.list', {})).toHaveLength(2);
    await svc.invoke('review.close', {});
  });

  it('will not write comments into a plan project given as the review file', async () => {
    const before = sha(join(dir, 'plan.gpkg'));
    const e = await fails('review.open', { package: folder, reviewFile: join(dir, 'plan.gpkg') });
    expect(e.code).toBe('E_PROJECT_INVALID');
    expect(e.message).toMatch(/not a review file/);
    expect(sha(join(dir, 'plan.gpkg'))).toBe(before);
  });
});
