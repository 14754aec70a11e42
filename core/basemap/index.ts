export { readTile, type ArchiveInfo, type TileArchive, type TileFormat } from './archive.js';
export { openArchive, ArchiveCache } from './open.js';
export { decodeMvt, type MvtLayer, type MvtFeature } from './mvt.js';
