/**
 * The review session as the UI sees it: which package is open, who signed it, and which project to
 * go back to. The record is kept in sessionStorage so a page reload (browser mode) or a renderer
 * reload (Electron) finds its way back into the same review instead of the welcome page.
 */
import { useCallback, useRef, useState } from 'react';
import { UiError, type Client, type Output } from '../api/client.js';
import type { ProjectInfo } from '../state/types.js';

export interface ReviewSessionInfo {
  /** The package as the core opened it (folder or .zip path). */
  package: string;
  /** The name shown to the reviewer (the uploaded or picked file's name). */
  name: string;
  reviewFile: string;
  keyId: string;
  /** Who signed it, by the keyring's name (or this installation), and the key's SHA-256 fingerprint. */
  signerName?: string | null;
  fingerprint?: string | null;
  manifestSha256: string;
  packageCreatedAt: string;
  /** The working copy's plan.gpkg: while the service's project has this path, the review is live. */
  planPath: string;
  /** The project that was open before the review, reopened by "Close review". */
  previousPath: string | null;
}

const STORE_KEY = 'ekimae.review.session';

function load(): ReviewSessionInfo | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(STORE_KEY);
    const v = raw ? JSON.parse(raw) as Partial<ReviewSessionInfo> : null;
    return v && typeof v.package === 'string' && typeof v.reviewFile === 'string' && typeof v.keyId === 'string' ? v as ReviewSessionInfo : null;
  } catch { return null; }
}

function save(s: ReviewSessionInfo | null): void {
  try {
    if (s) globalThis.sessionStorage?.setItem(STORE_KEY, JSON.stringify(s));
    else globalThis.sessionStorage?.removeItem(STORE_KEY);
  } catch { /* storage disabled: a reload then shows the plan without the review banner's details */ }
}

/** The .review.gpkg beside a package: the package path with a trailing .zip dropped (as the core names it). */
export function reviewFileBeside(packagePath: string): string {
  return `${packagePath.replace(/[\\/]+$/, '').replace(/\.zip$/i, '')}.review.gpkg`;
}

/** A short key id for the banner: the 16 hex digits grouped in fours. */
export function formatKeyId(keyId: string): string {
  return keyId.replace(/(.{4})(?=.)/g, '$1 ');
}

export interface ReviewState {
  session: ReviewSessionInfo | null;
  /** `acceptSigner`: the signer the reviewer was shown and accepted (SignerDialog). */
  open(pkg: string, opts: { name: string; reviewFile?: string; previousPath: string | null; acceptSigner?: { fingerprint: string; name?: string } }): Promise<Output<'review.open'>>;
  /** Ends the review in the core; resolves to the project to go back to. */
  close(): Promise<string | null>;
  /** Forget the session without calling the core (another project replaced it there). */
  forget(): void;
  /** At boot: back into a review the core still holds, or reopen the stored one; null when there is none. */
  resume(): Promise<ProjectInfo | null>;
}

export function useReview(client: Client): ReviewState {
  const [session, setSession] = useState<ReviewSessionInfo | null>(null);
  const current = useRef<ReviewSessionInfo | null>(null);

  const set = useCallback((s: ReviewSessionInfo | null) => {
    current.current = s;
    save(s);
    setSession(s);
  }, []);

  const open = useCallback(async (pkg: string, opts: { name: string; reviewFile?: string; previousPath: string | null; acceptSigner?: { fingerprint: string; name?: string } }) => {
    const r = await client.call('review.open', { package: pkg, ...(opts.reviewFile ? { reviewFile: opts.reviewFile } : {}), ...(opts.acceptSigner ? { acceptSigner: opts.acceptSigner } : {}) });
    // Reviewing a second package from inside a review goes back to the project before the first one.
    const previousPath = current.current ? current.current.previousPath : opts.previousPath;
    set({
      package: r.package, name: opts.name, reviewFile: r.reviewFile, keyId: r.keyId, signerName: r.signer.name, fingerprint: r.signer.fingerprint, manifestSha256: r.manifestSha256,
      packageCreatedAt: r.packageCreatedAt, planPath: r.project.path, previousPath,
    });
    return r;
  }, [client, set]);

  const close = useCallback(async () => {
    const back = current.current?.previousPath ?? null;
    await client.call('review.close', {});
    set(null);
    return back;
  }, [client, set]);

  const forget = useCallback(() => set(null), [set]);

  const resume = useCallback(async () => {
    const stored = load();
    if (!stored) return null;
    try {
      await client.call('review.list', {});
      const info = await client.call('project.info', {});
      set({ ...stored, planPath: info.path });
      return info;
    } catch (e) {
      if (!(e instanceof UiError && e.code === 'E_PROJECT_NOT_OPEN')) { set(null); throw e; }
    }
    // The core lost the session (restarted): open the same package and review file again.
    try {
      const r = await client.call('review.open', { package: stored.package, reviewFile: stored.reviewFile });
      set({ ...stored, keyId: r.keyId, signerName: r.signer.name, fingerprint: r.signer.fingerprint, manifestSha256: r.manifestSha256, planPath: r.project.path });
      return r.project;
    } catch (e) {
      set(null);
      throw e;
    }
  }, [client, set]);

  return { session, open, close, forget, resume };
}
