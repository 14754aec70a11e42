/**
 * MBTiles 1.3: an SQLite file with a `tiles` table (rows in TMS order, y counted from the south) and a
 * `metadata` table of name/value pairs. Opened read-only: Ekimae never writes to the user's archive.
 */
import Database from 'better-sqlite3';
import { EkimaeError } from '../errors.js';
import { normaliseFormat, sniffFormat, type ArchiveInfo, type TileArchive, type VectorLayerInfo } from './archive.js';

export function openMbtiles(path: string): TileArchive {
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new EkimaeError('E_FILE_NOT_FOUND', `cannot open ${path}: ${(e as Error).message}`, { path });
  }
  try {
    const meta = new Map<string, string>();
    try {
      for (const r of db.prepare('SELECT name, value FROM metadata').all() as Array<{ name: string; value: unknown }>) meta.set(String(r.name), String(r.value ?? ''));
    } catch (e) {
      throw new EkimaeError('E_FORMAT_INVALID', `${path} is not an MBTiles file (no metadata table): ${(e as Error).message}`, { path });
    }
    let stmt: Database.Statement;
    try {
      stmt = db.prepare('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
    } catch (e) {
      throw new EkimaeError('E_FORMAT_INVALID', `${path} is not an MBTiles file (no tiles table): ${(e as Error).message}`, { path });
    }
    const zooms = db.prepare('SELECT MIN(zoom_level) AS lo, MAX(zoom_level) AS hi FROM tiles').get() as { lo: number | null; hi: number | null };
    if (zooms.lo === null || zooms.hi === null) throw new EkimaeError('E_NO_FEATURES', `${path} holds no tiles`, { path });
    let format = normaliseFormat(meta.get('format'));
    if (!format) {
      const first = db.prepare('SELECT tile_data FROM tiles LIMIT 1').get() as { tile_data: Buffer };
      format = sniffFormat(first.tile_data) ?? (first.tile_data[0] === 0x1f || first.tile_data[0] === 0x1a ? 'pbf' : null);
      if (!format) throw new EkimaeError('E_FORMAT_UNKNOWN', `${path}: tile format "${meta.get('format') ?? ''}" is not pbf, png, jpg or webp`, { path });
    }
    const info: ArchiveInfo = {
      kind: 'mbtiles', format,
      minzoom: numberOr(meta.get('minzoom'), zooms.lo), maxzoom: numberOr(meta.get('maxzoom'), zooms.hi),
      bounds: parseBounds(meta.get('bounds')), name: meta.get('name') || null, attribution: meta.get('attribution') || null,
      vectorLayers: vectorLayersOf(meta.get('json')),
    };
    return {
      path, info,
      rawTile(z, x, y) {
        // MBTiles rows count from the south (TMS); map tiles count from the north (XYZ).
        const row = stmt.get(z, x, 2 ** z - 1 - y) as { tile_data: Buffer } | undefined;
        return row ? row.tile_data : null;
      },
      sampleTiles: (n) => (db.prepare('SELECT tile_data FROM tiles LIMIT ?').all(n) as Array<{ tile_data: Buffer }>).map((r) => r.tile_data),
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

function numberOr(s: string | undefined, fallback: number): number {
  const n = Number(s);
  return s !== undefined && s !== '' && Number.isInteger(n) ? n : fallback;
}

export function parseBounds(s: unknown): [number, number, number, number] | null {
  if (typeof s !== 'string') return null;
  const b = s.split(',').map(Number);
  if (b.length !== 4 || b.some((v) => !Number.isFinite(v))) return null;
  if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90 || b[0] > b[2] || b[1] > b[3]) return null;
  return b as [number, number, number, number];
}

/** TileJSON vector_layers from the metadata `json` row (MBTiles) or the metadata object (PMTiles). */
export function vectorLayersOf(json: unknown): VectorLayerInfo[] {
  let o: unknown = json;
  if (typeof json === 'string') {
    try { o = JSON.parse(json); } catch { return []; }
  }
  const vl = (o as { vector_layers?: unknown } | null)?.vector_layers;
  if (!Array.isArray(vl)) return [];
  const geometryOf = new Map<string, string>();
  const stats = (o as { tilestats?: { layers?: Array<{ layer?: unknown; geometry?: unknown }> } }).tilestats?.layers;
  if (Array.isArray(stats)) for (const s of stats) if (typeof s.layer === 'string' && typeof s.geometry === 'string') geometryOf.set(s.layer, s.geometry);
  return vl.filter((l): l is { id: string } => typeof l?.id === 'string' && l.id.length > 0 && l.id.length <= 200).slice(0, 500)
    .map((l) => (geometryOf.has(l.id) ? { id: l.id, geometry: geometryOf.get(l.id) } : { id: l.id }));
}
