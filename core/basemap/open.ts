/** Opens the user's basemap file by what it is (SQLite or PMTiles), not by what its name says. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EkimaeError } from '../errors.js';
import { fileMagic, unzipTile, type TileArchive, type VectorLayerInfo } from './archive.js';
import { decodeMvt } from './mvt.js';
import { openMbtiles } from './mbtiles.js';
import { openPmtiles } from './pmtiles.js';

export function openArchive(path: string): TileArchive {
  const magic = fileMagic(path);
  let a: TileArchive;
  if (magic.toString('latin1', 0, 7) === 'PMTiles') a = openPmtiles(path);
  else if (magic.toString('latin1', 0, 15) === 'SQLite format 3') a = openMbtiles(path);
  else throw new EkimaeError('E_FORMAT_UNKNOWN', `${path} is neither an MBTiles (SQLite) nor a PMTiles file`, { path });
  if (a.info.format === 'pbf' && a.info.vectorLayers.length === 0) a.info.vectorLayers = layersFromTiles(a);
  return a;
}

/**
 * Source layers of a vector archive without `vector_layers` metadata, from a few of its tiles: the map
 * style needs their names, and the default style draws unknown ones by geometry type anyway.
 */
function layersFromTiles(a: TileArchive): VectorLayerInfo[] {
  const names = new Set<string>();
  try {
    for (const t of a.sampleTiles(16)) for (const l of decodeMvt(unzipTile(t))) if (l.name && l.name.length <= 200) names.add(l.name);
  } catch (e) {
    a.close();
    throw new EkimaeError('E_FORMAT_INVALID', `${a.path}: its tiles are not valid vector tiles: ${(e as Error).message}`, { path: a.path });
  }
  return [...names].sort().map((id) => ({ id }));
}

/**
 * One open archive per path, reopened when the file changes (the user re-made the extract): a map
 * pan asks for dozens of tiles, and opening SQLite or reading a PMTiles root directory per tile would
 * be most of the cost.
 */
export class ArchiveCache {
  private current: { path: string; stamp: string; archive: TileArchive } | null = null;

  get(path: string): TileArchive {
    const abs = resolve(path);
    let stamp: string;
    try {
      const st = statSync(abs);
      stamp = `${st.size}:${st.mtimeMs}`;
    } catch {
      this.clear();
      throw new EkimaeError('E_FILE_NOT_FOUND', `the basemap file ${abs} is gone (moved or deleted); choose it again`, { path: abs });
    }
    if (this.current && this.current.path === abs && this.current.stamp === stamp) return this.current.archive;
    const archive = openArchive(abs);
    this.clear();
    this.current = { path: abs, stamp, archive };
    return archive;
  }

  clear(): void {
    this.current?.archive.close();
    this.current = null;
  }
}
