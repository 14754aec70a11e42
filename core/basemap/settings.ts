/**
 * The project's basemap setting (ekimae_settings key `basemap`): the path of the user's local tile
 * archive and whether it is shown. The path is the user's own file on this machine; the archive is
 * never copied into the project.
 */
import { resolve } from 'node:path';
import { EkimaeError } from '../errors.js';
import type { Project } from '../store/project.js';
import type { ArchiveInfo, TileArchive } from './archive.js';
import { ArchiveCache } from './open.js';

export interface BasemapSetting { path: string | null; enabled: boolean }

export interface BasemapState extends BasemapSetting {
  archive: ArchiveInfo | null;
  problem: { code: string; message: string } | null;
}

export function basemapSetting(project: Project): BasemapSetting {
  const v = project.settings().basemap as Partial<BasemapSetting> | undefined;
  return { path: typeof v?.path === 'string' && v.path ? v.path : null, enabled: v?.enabled !== false };
}

/** The archive the project points at, opened through `cache`, with what went wrong if it cannot be. */
export function basemapState(project: Project, cache: ArchiveCache): BasemapState {
  const s = basemapSetting(project);
  if (!s.path) return { ...s, archive: null, problem: null };
  try {
    return { ...s, archive: cache.get(s.path).info, problem: null };
  } catch (e) {
    const err = e instanceof EkimaeError ? e : new EkimaeError('E_FORMAT_INVALID', String((e as Error).message));
    return { ...s, archive: null, problem: { code: err.code, message: err.message } };
  }
}

/** Change the setting; a new path is opened first, so a bad file leaves the project as it was. */
export function setBasemap(project: Project, cache: ArchiveCache, change: { path?: string | null; enabled?: boolean }): BasemapState {
  const cur = basemapSetting(project);
  const next: BasemapSetting = { ...cur };
  if (change.path !== undefined) {
    if (change.path === null) next.path = null;
    else {
      const abs = resolve(change.path);
      cache.get(abs); // throws a coded error for a missing, damaged or unsupported file
      next.path = abs;
      if (change.enabled === undefined) next.enabled = true;
    }
  }
  if (change.enabled !== undefined) next.enabled = change.enabled;
  project.updateSettings({ basemap: next });
  return basemapState(project, cache);
}

/** The archive to draw from, or null when none is set. */
export function activeArchive(project: Project, cache: ArchiveCache): TileArchive | null {
  const s = basemapSetting(project);
  return s.path ? cache.get(s.path) : null;
}
