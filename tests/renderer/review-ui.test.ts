// The app's review wiring outside the browser: the review file named beside an uploaded package the
// way the core names it, the key id as the banner shows it, and plain-words help for every error
// code the review path can raise (scanned from the core's sources, so a new code fails here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { en } from '../../renderer/i18n/en.js';
import { translator } from '../../renderer/i18n/index.js';
import { ERROR_CODES } from '../../core/api/errors.js';
import { UiError } from '../../renderer/api/client.js';
import { formatKeyId, reviewFileBeside } from '../../renderer/review/use-review.js';
import { REVIEW_ERROR_CODES, reviewErrorView } from '../../renderer/review/review-errors.js';
import { defaultReviewFile } from '../../core/review/session.js';

describe('review wiring', () => {
  it('names the review file as docs/REVIEW.md does: plan.zip -> plan.review.gpkg beside it', () => {
    expect(reviewFileBeside('/tmp/ekimae-uploads-x/review-plan/plan.zip')).toBe('/tmp/ekimae-uploads-x/review-plan/plan.review.gpkg');
    expect(reviewFileBeside('/data/PLAN.ZIP')).toBe('/data/PLAN.review.gpkg');
    expect(reviewFileBeside('/data/pkg/')).toBe('/data/pkg.review.gpkg');
    expect(reviewFileBeside('C:\\council\\plan.zip')).toBe('C:\\council\\plan.review.gpkg');
    // The same name the core gives when no reviewFile is passed (Electron relies on that default).
    for (const p of ['/tmp/u/review-plan/plan.zip', '/data/PLAN.ZIP', '/data/pkg/', '/data/plan.v2.zip']) expect(reviewFileBeside(p)).toBe(defaultReviewFile(p));
  });

  it('groups the 16-hex key id in fours', () => {
    expect(formatKeyId('d82e4019f4027495')).toBe('d82e 4019 f402 7495');
  });

  it('lists every code the review path throws, each a stable code with help', () => {
    const thrown = new Set<string>();
    for (const f of ['core/review/session.ts', 'core/review/comments-file.ts', 'core/review/anchor.ts', 'core/report/plan-package.ts', 'core/api/handlers/review.ts', 'core/report/verify-package.ts', 'core/report/package-zip.ts', 'core/report/package-source.ts', 'core/report/keyring.ts']) {
      for (const m of readFileSync(f, 'utf8').matchAll(/EkimaeError\(\s*'(E_[A-Z_]+)'/g)) thrown.add(m[1]);
    }
    expect(thrown.size).toBeGreaterThan(5);
    // plan-package.ts also makes packages; E_PROJECT_EXISTS comes only from package.create.
    thrown.delete('E_PROJECT_EXISTS');
    expect([...thrown].filter((c) => !(REVIEW_ERROR_CODES as readonly string[]).includes(c))).toEqual([]);
    for (const c of REVIEW_ERROR_CODES) {
      expect(ERROR_CODES).toHaveProperty([c]);
      expect(`help.${c}` in en || `review.help.${c}` in en).toBe(true);
    }
  });

  it('prefers review-specific help and appends the verifier\'s problems', () => {
    const t = translator('en');
    const coord = reviewErrorView(new UiError('E_COORD_INVALID', 'lon 101 is outside the pin area'), t);
    expect(coord.help).toBe(en['review.help.E_COORD_INVALID']);
    expect(coord.help).not.toBe(en['help.E_COORD_INVALID']);
    const pkg = reviewErrorView(new UiError('E_PACKAGE_INVALID', 'package failed verification', { problems: ['extra file: instructions.txt', 'report.pdf: sha256 mismatch'] }), t);
    expect(pkg.message).toBe('package failed verification\nextra file: instructions.txt\nreport.pdf: sha256 mismatch');
    const said = reviewErrorView(new UiError('E_PACKAGE_INVALID', 'p.zip failed verification: extra file: instructions.txt', { problems: ['extra file: instructions.txt'] }), t);
    expect(said.message).toBe('p.zip failed verification: extra file: instructions.txt');
    expect(reviewErrorView(new UiError('E_LAYER_NOT_FOUND', 'x'), translator('ja')).help).toBe(en['review.help.E_LAYER_NOT_FOUND']);
    expect(reviewErrorView(new UiError('E_PROJECT_READONLY', 'x'), t).help).toBe(en['help.E_PROJECT_READONLY']);
  });
});
