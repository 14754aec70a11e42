/**
 * "Review a plan package": in Electron a native file dialog (a .zip, or a folder package's
 * manifest.json); in browser mode a file input whose .zip is uploaded to the server first.
 */
import { useRef } from 'react';
import { isBrowserBridge, type EkimaeBridge } from '../api/bridge.js';
import { UiError } from '../api/client.js';
import { useT } from '../i18n/index.js';
import { splitPath } from '../state/file-actions.js';
import { reviewFileBeside } from './use-review.js';

export interface ChosenPackage { path: string; name: string; reviewFile?: string }

/** Electron: a picked manifest.json stands for its folder package. */
export async function pickPackage(bridge: EkimaeBridge, title: string): Promise<ChosenPackage | null> {
  const p = await bridge.pickFile?.({ title, filters: [{ name: 'Plan package', extensions: ['zip', 'json'] }] });
  if (!p) return null;
  const { dir, base } = splitPath(p);
  const path = base.toLowerCase() === 'manifest.json' ? dir : p;
  return { path, name: splitPath(path).base };
}

/**
 * Browser mode: the upload folder is deleted with the server, so the review file is named explicitly
 * beside the uploaded zip. The batch is named after the file so uploading the same package again
 * (within one server's life) lands in the same folder and resumes its comments.
 */
export async function uploadPackage(bridge: EkimaeBridge, file: File): Promise<ChosenPackage> {
  if (!isBrowserBridge(bridge)) throw new UiError('E_INPUT_INVALID', 'uploads exist only in browser mode');
  const stem = file.name.replace(/\.zip$/i, '').replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 50) || 'package';
  const r = await bridge.upload(file, `review-${stem}`);
  if (!r.ok) throw new UiError(r.error.code, r.error.message, r.error.details);
  const path = (r.value as { path: string }).path;
  return { path, name: file.name, reviewFile: reviewFileBeside(path) };
}

export interface ReviewOpenerProps {
  bridge: EkimaeBridge;
  busy: boolean;
  onChosen(p: Promise<ChosenPackage | null>): void;
}

export function ReviewOpener({ bridge, busy, onChosen }: ReviewOpenerProps) {
  const t = useT();
  const input = useRef<HTMLInputElement>(null);
  const browser = isBrowserBridge(bridge);
  if (!browser && !bridge.pickFile) return null;
  return (
    <>
      <button type="button" disabled={busy} title={t('review.openHint')}
        onClick={() => (browser ? input.current?.click() : onChosen(pickPackage(bridge, t('review.open'))))}>
        {busy ? t('review.opening') : t('review.open')}
      </button>
      {browser && (
        <input ref={input} type="file" accept=".zip,application/zip" className="sr-only" aria-label={t('review.file')} tabIndex={-1}
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) onChosen(uploadPackage(bridge, f));
          }} />
      )}
    </>
  );
}
