/**
 * Disk full and read-only storage, as coded errors with help instead of E_INTERNAL. SQLite rolls the
 * transaction back and the temporary-file-and-rename writes leave the target untouched, so the
 * message can say that nothing was changed.
 */
import { EkimaeError } from '../errors.js';

function codeOf(e: unknown): string {
  return e && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : '';
}

/**
 * The coded error for a storage failure, or null. `writing` says the operation only writes (an export,
 * Save As): then permission errors (EACCES, EPERM) are about the target too, not a source being read.
 */
export function storageError(e: unknown, path?: string, writing = false): EkimaeError | null {
  if (e instanceof EkimaeError) return null;
  const code = codeOf(e);
  const msg = e instanceof Error ? e.message : '';
  const where = path ? `${path}: ` : '';
  const details = path ? { path } : undefined;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || /database or disk is full/.test(msg)) {
    return new EkimaeError('E_DISK_FULL', `${where}the disk is full; nothing was changed. Free some space (or choose another drive) and try again`, details);
  }
  if (code === 'EROFS' || code.startsWith('SQLITE_READONLY') || /readonly database/.test(msg) || (writing && (code === 'EACCES' || code === 'EPERM'))) {
    return new EkimaeError('E_FILE_READONLY', `${where}cannot be written (read-only file or folder, or no permission); nothing was changed. Open the project read-only, or save a copy where you can write`, details);
  }
  return null;
}
