/**
 * The basemap a report draws: the project's basemap when it is set and on. A file that is gone or
 * damaged does not stop the report; the site map's caption says why it has no basemap.
 */
import { basename } from 'node:path';
import { EkimaeError } from '../errors.js';
import { openArchive } from '../basemap/open.js';
import { basemapSetting } from '../basemap/settings.js';
import type { Project } from '../store/project.js';
import { basemapUnderlay, type MapUnderlay } from './svg-basemap.js';

export interface ReportBasemap {
  draw: { underlay: MapUnderlay; caption: string } | null;
  close(): void;
}

export function reportBasemap(project: Project): ReportBasemap {
  const s = basemapSetting(project);
  if (!s.path || !s.enabled) return { draw: null, close: () => {} };
  try {
    const a = openArchive(s.path);
    const what = a.info.name && a.info.name !== basename(s.path).replace(/\.\w+$/, '') ? `${a.info.name} (${basename(s.path)})` : basename(s.path);
    return {
      draw: { underlay: basemapUnderlay(a), caption: `Basemap: ${what}${a.info.attribution ? `, ${a.info.attribution.replace(/<[^>]*>/g, '')}` : ''}.` },
      close: () => a.close(),
    };
  } catch (e) {
    // The caption names the file, not its folder: a report travels, the user's directories need not.
    const code = e instanceof EkimaeError ? e.code : 'E_INTERNAL';
    const why = code === 'E_FILE_NOT_FOUND' ? 'is missing' : 'cannot be read as MBTiles or PMTiles';
    return { draw: { underlay: () => '', caption: `Basemap not drawn: ${basename(s.path)} ${why} (${code}).` }, close: () => {} };
  }
}
