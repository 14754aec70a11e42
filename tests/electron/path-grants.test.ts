// The path policy on its own: which contract fields are paths (found from the schemas), and the rules.
import { describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../core/api/contract.js';
import { methodPathFields, PathGrants } from '../../electron/path-grants.js';

describe('path fields found from the contract schemas', () => {
  it('are exactly the PathSchema fields of every method', () => {
    const found = Object.fromEntries(METHOD_NAMES.map((m) => [m, methodPathFields(m).map((k) => k.join('.'))]).filter(([, f]) => f.length));
    // Listed by hand from core/api/schemas/*.ts (every use of PathSchema).
    expect(found).toEqual({
      'project.create': ['path'], 'project.open': ['path'], 'project.saveAs': ['path'], 'layers.preview': ['path'], 'layers.import': ['path'],
      'layers.export': ['path'], 'report.generate': ['outDir'], 'package.create': ['out'], 'package.verify': ['path'],
      'review.open': ['package', 'reviewFile'], 'review.export': ['path'], 'basemap.set': ['path'], 'lvc.exportCashflow': ['path'],
    });
  });
});

describe('PathGrants', () => {
  const g = new PathGrants(['/data/ekimae']);
  g.grant('/home/u/plans/bangsue.zip');
  g.grant('/home/u/pkgs/folder-pkg/manifest.json');

  it('a granted file, anything under a root; not relative paths, siblings, or .. escapes', () => {
    expect(g.allows('/home/u/plans/bangsue.zip')).toBe(true);
    expect(g.allows('/data/ekimae/sample.gpkg')).toBe(true);
    expect(g.allows('/data/ekimae')).toBe(true);
    expect(g.allows('/data/ekimae-evil/x')).toBe(false);
    expect(g.allows('/data/ekimae/../etc/passwd')).toBe(false);
    expect(g.allows('/home/u/plans/other.zip')).toBe(false);
    expect(g.allows('plans/bangsue.zip')).toBe(false);
  });

  it('the folder holding a granted file only for folder fields (a folder package picked by its manifest.json)', () => {
    expect(g.check('review.open', { package: '/home/u/pkgs/folder-pkg' })).toBeNull();
    expect(g.check('package.verify', { path: '/home/u/pkgs/folder-pkg' })?.code).toBe('E_PATH_NOT_GRANTED');
  });

  it('grants paths the core reports opening (the project to go back to after a review)', () => {
    const h = new PathGrants([]);
    h.grantFromResult('review.open', { package: '/a/p.zip', reviewFile: '/a/p.review.gpkg', project: { path: '/tmp/ekimae-review-1/package/plan.gpkg' } });
    h.grantFromResult('project.info', { path: '/a/site.gpkg' });
    h.grantFromResult('layers.import', { path: '/a/ignored.gpkg' });
    expect(['/a/p.zip', '/a/p.review.gpkg', '/tmp/ekimae-review-1/package/plan.gpkg', '/a/site.gpkg'].every((p) => h.allows(p))).toBe(true);
    expect(h.allows('/a/ignored.gpkg')).toBe(false);
  });
});
