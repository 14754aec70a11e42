/** Handlers for basemap methods (core/basemap). */
import type { EkimaeService, Handlers } from '../service.js';
import type { BASEMAP_METHODS } from '../schemas/basemap.js';
import { EkimaeError } from '../../errors.js';
import { ArchiveCache, readTile } from '../../basemap/index.js';
import { activeArchive, basemapState, setBasemap } from '../../basemap/settings.js';

const caches = new WeakMap<EkimaeService, ArchiveCache>();
/** One open archive per service (per window), kept between tile requests. */
export function archiveCacheOf(svc: EkimaeService): ArchiveCache {
  let c = caches.get(svc);
  if (!c) { c = new ArchiveCache(); caches.set(svc, c); }
  return c;
}

export const basemapHandlers: Handlers<keyof typeof BASEMAP_METHODS> = {
  'basemap.info': (_i, _c, svc) => basemapState(svc.requireProject(), archiveCacheOf(svc)),
  'basemap.set': (change, _c, svc) => setBasemap(svc.requireProject(), archiveCacheOf(svc), change),
  'basemap.tile': ({ z, x, y }, _c, svc) => {
    if (x >= 2 ** z || y >= 2 ** z) throw new EkimaeError('E_INPUT_INVALID', `tile ${z}/${x}/${y} does not exist: x and y must be below ${2 ** z}`);
    const a = activeArchive(svc.requireProject(), archiveCacheOf(svc));
    if (!a) throw new EkimaeError('E_FILE_NOT_FOUND', 'the project has no basemap file; choose one first');
    const b = readTile(a, z, x, y);
    return { format: a.info.format, data: b ? b.toString('base64') : null };
  },
};
