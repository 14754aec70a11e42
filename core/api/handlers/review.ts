/** Handlers for review methods. One review session per service; its plan is the service's project. */
import { resolve } from 'node:path';
import { EkimaeError } from '../../errors.js';
import type { EkimaeService, Handlers } from '../service.js';
import type { REVIEW_METHODS } from '../schemas/review.js';
import { ReviewSession } from '../../review/session.js';
import { parseFingerprint } from '../../report/keyring.js';

const sessions = new WeakMap<EkimaeService, ReviewSession>();

/** The live session, or E_PROJECT_NOT_OPEN; a session whose plan was replaced by another project is ended here. */
function requireSession(svc: EkimaeService): ReviewSession {
  const s = sessions.get(svc);
  if (s && s.isOpen && svc.project === s.plan) return s;
  if (s) endSession(svc);
  throw new EkimaeError('E_PROJECT_NOT_OPEN', 'no plan package is open for review; open one with review.open');
}

function endSession(svc: EkimaeService): boolean {
  const s = sessions.get(svc);
  if (!s) return false;
  sessions.delete(svc);
  if (svc.project === s.plan) svc.setProject(null);
  s.close();
  return true;
}

export const reviewHandlers: Handlers<keyof typeof REVIEW_METHODS> = {
  'review.open': ({ package: pkg, trustedKeyId, reviewFile, acceptSigner }, _c, svc) => {
    // A package that fails to open leaves the current review as it was.
    const s = ReviewSession.open(resolve(pkg), {
      trustedKeyId, reviewFile: reviewFile === undefined ? undefined : resolve(reviewFile),
      acceptSigner: acceptSigner && { fingerprint: parseFingerprint(acceptSigner.fingerprint)!, name: acceptSigner.name },
    });
    endSession(svc);
    svc.setProject(s.plan);
    sessions.set(svc, s);
    return {
      package: s.packagePath, reviewFile: s.comments.path, manifestSha256: s.manifestSha256, keyId: s.keyId, signer: s.signer,
      packageCreatedAt: String(s.manifest.createdAt ?? ''), pinArea: s.pinArea, project: s.plan.info(), comments: s.list(),
    };
  },

  'review.addComment': (req, _c, svc) => requireSession(svc).add(req),

  'review.list': ({ status }, _c, svc) => requireSession(svc).list(status),

  'review.updateComment': ({ id, text, status }, _c, svc) => requireSession(svc).update(id, { text, status }),

  'review.removeComment': ({ id }, _c, svc) => {
    requireSession(svc).remove(id);
    return { removed: id };
  },

  'review.export': ({ format, path, overwrite }, _c, svc) => requireSession(svc).comments.export(format, resolve(path), overwrite),

  'review.close': (_i, _c, svc) => ({ closed: endSession(svc) }),
};
