/**
 * Read a project's parcel layer once into typed columns (area and centroid in the local metric
 * projection, land-use codes, existing floor area, public flag), and the spatial joins a scenario
 * needs (exclusion masks, zone overrides). Everything is cached per project and invalidated when
 * the source layer changes (row count, last change, field mapping), so a rule change never re-reads.
 */
import Flatbush from 'flatbush';
import { EkimaeError } from '../errors.js';
import { fromWgs84, localMetricCrs, type CrsInfo, type Transform } from '../geo/crs.js';
import { familyOfLayerType, mapPositions, type Geometry } from '../geo/geometry.js';
import type { DB } from '../store/gpkg.js';
import type { LayerInfo, Project } from '../store/project.js';
import { layerArraysShared, valueAt, type ColumnArray } from '../store/layer-arrays.js';
import type { ParcelColumns } from './evaluate.js';
import type { ScenarioDef } from './model.js';
import { areaAndCentroidFlat, distanceToGeometry, pointInPolygons, polygonsOf, type Rings } from './parcel-geometry.js';
import { landUseCode, LU_UNKNOWN } from './vocabulary.js';

export interface PreparedParcels {
  layer: string;
  token: string;
  cols: ParcelColumns;
  /** Centroids in the local metric CRS. */
  cx: Float64Array;
  cy: Float64Array;
  crs: CrsInfo;
  /** Parcel index of a feature id (Map-like: only get). */
  fidIndex: FidIndex;
  /** Land-use codes present in the data. */
  presentUses: Set<number>;
  /** Raw land-use values not in the vocabulary, with counts (reported, never guessed). */
  unknownLandUses: Record<string, number>;
  /** The parcels' polygons in the local metric CRS, flat (engines that need the shapes again, as the census cover shares, take them from here). */
  rings?: FlatRings;
}

/** Polygons of every parcel as offsets into one coordinate array: parcel -> polygons -> rings -> x,y pairs. */
export interface FlatRings { parcelPoly: Int32Array; polyRing: Int32Array; ringCoord: Int32Array; xy: Float64Array }

/** Parcels' polygons (WGS84 lon/lat) projected into flat rings, for callers without a layer read through prepareParcels. */
export function flatRings(parcels: Rings[][], fwd: Transform): FlatRings {
  const parcelPoly = new Int32Array(parcels.length + 1), polyRing = [0], ringCoord = [0], xy: number[] = [];
  parcels.forEach((polys, i) => {
    for (const poly of polys) {
      for (const ring of poly) { for (const c of ring) { const [x, y] = fwd(c as [number, number]); xy.push(x, y); } ringCoord.push(xy.length); }
      polyRing.push(ringCoord.length - 1);
    }
    parcelPoly[i + 1] = polyRing.length - 1;
  });
  return { parcelPoly, polyRing: Int32Array.from(polyRing), ringCoord: Int32Array.from(ringCoord), xy: Float64Array.from(xy) };
}

export interface FidIndex { get(fid: number): number | undefined }

/**
 * The index of each feature id. A layer read in rowid order has ascending fids (usually 1..n): then
 * the fids array itself is the index (the guess fid − first, else a binary search), instead of a
 * million-entry Map built on every read of the parcels (a fifth of the read's time at metropolitan
 * scale). Otherwise a Map, where a repeated fid keeps its last parcel, as before.
 */
export function fidIndexOf(fids: Float64Array): FidIndex {
  const n = fids.length;
  let ascending = true;
  for (let i = 1; i < n && ascending; i++) ascending = fids[i] > fids[i - 1];
  if (!ascending) {
    const m = new Map<number, number>();
    for (let i = 0; i < n; i++) m.set(fids[i], i);
    return m;
  }
  const first = n ? fids[0] : 0;
  return {
    get(fid: number): number | undefined {
      if (typeof fid !== 'number') return undefined;
      const g = fid - first;
      if (g >= 0 && g < n && fids[g] === fid) return g;
      let lo = 0, hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1, v = fids[mid];
        if (v === fid) return mid;
        if (v < fid) lo = mid + 1; else hi = mid - 1;
      }
      return undefined;
    },
  };
}

/** Values of the ownership field read as public land. */
const PUBLIC_RE = /^(public|government|govt|state|state[_ ]owned|municipal|municipality|crown|railway|srt|treasury|public[_ ]land)$/i;

const cache = new WeakMap<DB, Map<string, { token: string; value: unknown }>>();

/** Per-project memo: `make` runs again only when `token` changes. */
export function cached<T>(p: Project, key: string, token: string, make: () => T): T {
  let m = cache.get(p.database);
  if (!m) { m = new Map(); cache.set(p.database, m); }
  const hit = m.get(key);
  if (hit && hit.token === token) return hit.value as T;
  const value = make();
  m.set(key, { token, value });
  return value;
}

/**
 * A cheap fingerprint of a layer (no row count, which scans a 200k-row table): it changes whenever
 * the layer is replaced, re-imported (contents last_change, max rowid, provenance) or re-mapped.
 */
export function layerToken(p: Project, name: string): string {
  const db = p.database;
  const row = db.prepare(`SELECT c.last_change AS lc, g.geometry_type_name AS gt FROM gpkg_contents c
    JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.table_name = ? AND c.data_type = 'features'`).get(name) as { lc: string; gt: string } | undefined;
  if (!row) throw new EkimaeError('E_LAYER_NOT_FOUND', `no layer "${name}" in ${p.path}`, { layer: name });
  const maxRowid = (db.prepare(`SELECT max(rowid) AS m FROM "${name.replace(/"/g, '""')}"`).get() as { m: number | null }).m;
  const map = db.prepare('SELECT semantic, field FROM ekimae_field_map WHERE table_name = ? ORDER BY semantic').all(name);
  const prov = (db.prepare('SELECT count(*) AS n FROM ekimae_provenance WHERE table_name = ?').get(name) as { n: number }).n;
  return JSON.stringify([name, row.gt, row.lc, maxRowid, map, prov]);
}

/** The parcel layer's name: the named one, or the only layer with role 'parcels'. */
export function parcelLayerName(p: Project, name?: string): string {
  if (name) return name;
  const all = (p.database.prepare("SELECT l.table_name AS t FROM ekimae_layers l JOIN gpkg_contents c ON c.table_name = l.table_name WHERE l.role = 'parcels' ORDER BY l.table_name").all() as Array<{ t: string }>).map((r) => r.t);
  if (all.length === 0) throw new EkimaeError('E_PARCELS_MISSING', 'the project has no layer with role "parcels"; import parcels or set a layer\'s role', {});
  if (all.length > 1) throw new EkimaeError('E_PARCELS_MISSING', `several parcel layers (${all.join(', ')}); say which one with parcelLayer`, { layers: all });
  return all[0];
}

function num(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  if (typeof v === 'string' && v.trim() !== '') { const x = Number(v); return Number.isFinite(x) ? x : NaN; }
  return NaN;
}

function projectGeometry(g: Geometry | null, fwd: Transform): Geometry | null {
  return g ? mapPositions(g, fwd) : null;
}

export function prepareParcels(p: Project, layerName?: string): PreparedParcels {
  const name = parcelLayerName(p, layerName);
  const token = layerToken(p, name);
  return cached(p, `parcels:${name}`, token, () => readParcels(p, p.layer(name), token));
}

function readParcels(p: Project, info: LayerInfo, token: string): PreparedParcels {
  if (familyOfLayerType(info.geometryType as never) !== 'polygon') throw new EkimaeError('E_PARCELS_MISSING', `layer "${info.name}" holds ${info.geometryType}, not parcel polygons`, { layer: info.name });
  const box = info.bbox;
  if (!box) throw new EkimaeError('E_PARCELS_MISSING', `parcel layer "${info.name}" has no features with geometry`, { layer: info.name });
  const crs = localMetricCrs((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  const fwd = fromWgs84(crs);
  const fm = info.fieldMap;
  // Typed arrays shared with the catchment run that read them first (one read of the parcels per analysis).
  const a = layerArraysShared(p, info.name, []);
  const g = a.geometry!;
  const col = (semantic: string) => (fm[semantic] ? a.columns[fm[semantic]] ?? null : null);
  const at = (c: ColumnArray | null, i: number) => (c ? valueAt(c, i) : undefined);
  const luCol = col('land_use'), faCol = col('floor_area'), farCol = col('far'), flCol = col('floors'), ownCol = col('ownership');
  const n = a.count;
  const cols: ParcelColumns = {
    n, fid: new Float64Array(n), area: new Float64Array(n), landUse: new Uint8Array(n), existingFa: new Float64Array(n),
    existingFloors: new Float64Array(n), isPublic: new Uint8Array(n),
  };
  const cx = new Float64Array(n), cy = new Float64Array(n);
  const presentUses = new Set<number>();
  const unknownLandUses: Record<string, number> = {};
  // Projected rings straight into flat arrays (sized from the packed geometry: polygon parts only).
  const parcelPoly = new Int32Array(n + 1), polyRing: number[] = [0], ringCoord: number[] = [0];
  const xy = new Float64Array(g.coords.length);
  let nxy = 0;
  for (let i = 0; i < n; i++) {
    cols.fid[i] = a.fids[i];
    const t = g.types[i];
    const first = polyRing.length - 1;
    if (t === 3 || t === 6) {
      for (let q = g.featureStart[i]; q < g.featureStart[i + 1]; q++) {
        for (let r = g.partStart[q]; r < g.partStart[q + 1]; r++) {
          for (let v = g.ringStart[r]; v < g.ringStart[r + 1]; v++) {
            const c = fwd([g.coords[2 * v], g.coords[2 * v + 1]]);
            xy[nxy++] = c[0]; xy[nxy++] = c[1];
          }
          ringCoord.push(nxy);
        }
        polyRing.push(ringCoord.length - 1);
      }
    }
    parcelPoly[i + 1] = polyRing.length - 1;
    const m = areaAndCentroidFlat(xy, ringCoord, polyRing, first, parcelPoly[i + 1]);
    cols.area[i] = m.area > 0 ? m.area : NaN;
    cx[i] = m.cx; cy[i] = m.cy;
    const raw = fm.land_use ? at(luCol, i) : null;
    const lu = landUseCode(raw);
    cols.landUse[i] = lu;
    if (lu !== LU_UNKNOWN) presentUses.add(lu);
    else { const k = raw === null || raw === undefined ? '(empty)' : String(raw).slice(0, 60); unknownLandUses[k] = (unknownLandUses[k] ?? 0) + 1; }
    let fa = fm.floor_area ? num(at(faCol, i)) : NaN;
    if (!(fa >= 0) && fm.far) { const far = num(at(farCol, i)); if (far >= 0 && cols.area[i] > 0) fa = far * cols.area[i]; }
    cols.existingFa[i] = fa >= 0 ? fa : NaN;
    const fl = fm.floors ? num(at(flCol, i)) : NaN;
    cols.existingFloors[i] = fl >= 0 ? fl : NaN;
    const own = ownCol ? valueAt(ownCol, i) : null;
    cols.isPublic[i] = typeof own === 'string' && PUBLIC_RE.test(own.trim()) ? 1 : 0;
  }
  const rings: FlatRings = { parcelPoly, polyRing: Int32Array.from(polyRing), ringCoord: Int32Array.from(ringCoord), xy: xy.slice(0, nxy) };
  return { layer: info.name, token, cols, cx, cy, crs, fidIndex: fidIndexOf(cols.fid), presentUses, unknownLandUses, rings };
}

interface IndexedLayer { geoms: Geometry[]; index: Flatbush | null; family: 'point' | 'line' | 'polygon' }

function indexedLayer(p: Project, prep: PreparedParcels, name: string): IndexedLayer {
  return cached(p, `indexed:${name}:${prep.crs.id}`, layerToken(p, name), () => {
    const info = p.layer(name);
    const fwd = fromWgs84(prep.crs);
    const geoms = p.readFeatures(name).map((f) => projectGeometry(f.geometry, fwd)).filter((g): g is Geometry => g !== null);
    let index: Flatbush | null = null;
    if (geoms.length) {
      index = new Flatbush(geoms.length);
      for (const g of geoms) {
        let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
        const visit = (c: unknown): void => {
          if (typeof (c as number[])[0] === 'number') {
            const [x, y] = c as number[];
            if (x < x0) x0 = x; if (y < y0) y0 = y; if (x > x1) x1 = x; if (y > y1) y1 = y;
          } else for (const k of c as unknown[]) visit(k);
        };
        visit(g.coordinates);
        index.add(x0, y0, x1, y1);
      }
      index.finish();
    }
    return { geoms, index, family: familyOfLayerType(info.geometryType as never) };
  });
}

/** 1 for parcels whose centroid lies in (polygon layers) or within bufferM of (any layer) a feature of any exclusion layer. */
export function exclusionMask(p: Project, prep: PreparedParcels, exclusions: ScenarioDef['exclusions']): Uint8Array | null {
  if (!exclusions.length) return null;
  const mask = new Uint8Array(prep.cols.n);
  for (const ex of exclusions) {
    const L = indexedLayer(p, prep, ex.layer);
    if (L.family !== 'polygon' && !(ex.bufferM > 0)) {
      throw new EkimaeError('E_SCENARIO_INVALID', `exclusion layer "${ex.layer}" holds ${L.family}s: give a bufferM (m) for the corridor it excludes`, { layer: ex.layer });
    }
    const one = cached(p, `excl:${prep.layer}:${ex.layer}:${ex.bufferM}`, `${prep.token}|${layerToken(p, ex.layer)}`, () => {
      const m = new Uint8Array(prep.cols.n);
      if (!L.index) return m;
      const r = ex.bufferM;
      for (let i = 0; i < prep.cols.n; i++) {
        const x = prep.cx[i], y = prep.cy[i];
        if (!Number.isFinite(x)) continue;
        for (const k of L.index.search(x - r, y - r, x + r, y + r)) {
          const g = L.geoms[k];
          const hit = r > 0 ? distanceToGeometry(x, y, g) <= r : pointInPolygons(x, y, polygonsOf(g));
          if (hit) { m[i] = 1; break; }
        }
      }
      return m;
    });
    for (let i = 0; i < mask.length; i++) mask[i] |= one[i];
  }
  return mask;
}

export interface ZoneArrays { zoneFar: Float64Array; zoneFloors: Float64Array; zoneUse: Uint8Array }

/** Per parcel: the far / floors / land_use of the zone polygon holding its centroid (last zone wins). */
export function zoneArrays(p: Project, prep: PreparedParcels, zoneLayer: string): ZoneArrays {
  return cached(p, `zones:${prep.layer}:${zoneLayer}`, `${prep.token}|${layerToken(p, zoneLayer)}`, () => {
    const info = p.layer(zoneLayer);
    if (familyOfLayerType(info.geometryType as never) !== 'polygon') throw new EkimaeError('E_SCENARIO_INVALID', `zone layer "${zoneLayer}" must hold polygons`, { layer: zoneLayer });
    const fm = info.fieldMap;
    const fwd = fromWgs84(prep.crs);
    const zones = p.readFeatures(zoneLayer).filter((f) => f.geometry).map((f, k) => {
      const lu = fm.land_use ? f.properties[fm.land_use] : null;
      const code = lu === null || lu === undefined || lu === '' ? LU_UNKNOWN : landUseCode(lu);
      if ((lu ?? '') !== '' && code === LU_UNKNOWN) {
        throw new EkimaeError('E_LAND_USE_UNKNOWN', `zone layer "${zoneLayer}", feature ${f.fid ?? k}: land use "${String(lu)}" is not in the vocabulary`, { layer: zoneLayer, fid: f.fid, landUse: lu });
      }
      const far = fm.far ? num(f.properties[fm.far]) : NaN;
      const floors = fm.floors ? num(f.properties[fm.floors]) : NaN;
      if (far < 0 || far > 50 || floors < 0 || floors > 300) {
        throw new EkimaeError('E_SCENARIO_INVALID', `zone layer "${zoneLayer}", feature ${f.fid ?? k}: far ${far} / floors ${floors} out of range (FAR 0–50, floors 0–300)`, { layer: zoneLayer, fid: f.fid });
      }
      const polys = polygonsOf(projectGeometry(f.geometry, fwd)) as Rings[];
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (const poly of polys) for (const [x, y] of poly[0] ?? []) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
      return { polys, box: [x0, y0, x1, y1], far, floors, code };
    });
    const n = prep.cols.n;
    const out: ZoneArrays = { zoneFar: new Float64Array(n).fill(NaN), zoneFloors: new Float64Array(n).fill(NaN), zoneUse: new Uint8Array(n).fill(LU_UNKNOWN) };
    zones.forEach((z) => {
      for (let i = 0; i < n; i++) {
        const x = prep.cx[i], y = prep.cy[i];
        if (x < z.box[0] || x > z.box[2] || y < z.box[1] || y > z.box[3] || !pointInPolygons(x, y, z.polys)) continue;
        if (z.far === z.far) out.zoneFar[i] = z.far;
        if (z.floors === z.floors) out.zoneFloors[i] = z.floors;
        if (z.code !== LU_UNKNOWN) out.zoneUse[i] = z.code;
      }
    });
    return out;
  });
}
