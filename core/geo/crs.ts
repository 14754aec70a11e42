/**
 * Coordinate reference systems: resolve whatever a file says (EPSG code, OGC URN, PROJ string,
 * OGC or ESRI WKT) to a proj4 definition, and transform to EPSG:4326 lon/lat.
 *
 * proj4 ships only a handful of EPSG definitions; the planning CRSs Ekimae's users meet are listed
 * here (checked against GDAL's `gdalsrsinfo -o proj4 EPSG:n`), and UTM / Japan plane rectangular
 * families are generated so a missing .prj lookup never blocks an import.
 */
import { createRequire } from 'node:module';
import type proj4Lib from 'proj4';
import { EkimaeError } from '../errors.js';
import type { Position } from './geometry.js';

/**
 * proj4, loaded the first time a CRS other than WGS 84 is used: evaluating the module is about
 * 25 ms of a command's start, and most files (every GeoJSON) never need it. Loaded from
 * node_modules, not bundled (the CLI's and the core host's bundles stay smaller too).
 */
let loaded: typeof proj4Lib | undefined;
const proj4 = (from: string, to: string) => (loaded ??= createRequire(import.meta.url)('proj4') as typeof proj4Lib)(from, to);

const JAPAN_PLANE_ORIGINS: Array<[number, number]> = [
  [33, 129.5], [33, 131], [36, 132 + 1 / 6], [33, 133.5], [36, 134 + 1 / 3], [36, 136],
  [36, 137 + 1 / 6], [36, 138.5], [36, 139 + 5 / 6], [40, 140 + 5 / 6], [44, 140.25], [44, 142.25],
  [44, 143.25], [26, 142], [26, 127.5], [26, 124], [26, 131], [20, 136], [26, 154],
];

const NAMED: Record<number, [string, string]> = {
  4326: ['WGS 84', '+proj=longlat +datum=WGS84 +no_defs'],
  // GDAL writes GPS data with heights (POINT Z) as WGS 84 3D; heights are dropped on import.
  4979: ['WGS 84 (3D)', '+proj=longlat +datum=WGS84 +no_defs'],
  4269: ['NAD83', '+proj=longlat +datum=NAD83 +no_defs'],
  4258: ['ETRS89', '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'],
  4240: ['Indian 1975', '+proj=longlat +a=6377276.345 +rf=300.8017 +towgs84=293,836,318,0.5,1.6,-2.8,2.1 +no_defs'],
  4612: ['JGD2000', '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'],
  6668: ['JGD2011', '+proj=longlat +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +no_defs'],
  3857: ['WGS 84 / Pseudo-Mercator', '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs'],
  900913: ['Google Mercator', '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs'],
  // Indian 1975 / UTM 47N and 48N: Thailand's older cadastral grids (Everest 1830). The datum shift is
  // EPSG's "Indian 1975 to WGS 84 (4)" (7 parameters, 3 m, Thailand onshore), the one PROJ/GDAL choose;
  // the older 3-parameter shift (210,814,289) lands about 180 m away from GDAL's answer.
  24047: ['Indian 1975 / UTM zone 47N', '+proj=utm +zone=47 +a=6377276.345 +rf=300.8017 +towgs84=293,836,318,0.5,1.6,-2.8,2.1 +units=m +no_defs'],
  24048: ['Indian 1975 / UTM zone 48N', '+proj=utm +zone=48 +a=6377276.345 +rf=300.8017 +towgs84=293,836,318,0.5,1.6,-2.8,2.1 +units=m +no_defs'],
  7755: ['WGS 84 / India NSF LCC', '+proj=lcc +lat_0=24 +lon_0=80 +lat_1=12.472955 +lat_2=35.1728044444444 +x_0=4000000 +y_0=4000000 +datum=WGS84 +units=m +no_defs'],
  3414: ['SVY21 / Singapore TM', '+proj=tmerc +lat_0=1.36666666666667 +lon_0=103.833333333333 +k=1 +x_0=28001.642 +y_0=38744.572 +ellps=WGS84 +units=m +no_defs'],
  2326: ['Hong Kong 1980 Grid System', '+proj=tmerc +lat_0=22.3121333333333 +lon_0=114.178555555556 +k=1 +x_0=836694.05 +y_0=819069.8 +ellps=intl +towgs84=-162.619,-276.959,-161.764,0.067753,-2.243648,-1.158828,-1.094246 +units=m +no_defs'],
  3123: ['PRS92 / Philippines zone 3', '+proj=tmerc +lat_0=0 +lon_0=121 +k=0.99995 +x_0=500000 +y_0=0 +ellps=clrk66 +towgs84=-127.62,-67.24,-47.04,-3.068,4.903,1.578,-1.06 +units=m +no_defs'],
  23830: ['DGN95 / Indonesia TM-3 zone 46.2', '+proj=tmerc +lat_0=0 +lon_0=94.5 +k=0.9999 +x_0=200000 +y_0=1500000 +ellps=WGS84 +units=m +no_defs'],
  32648: ['WGS 84 / UTM zone 48N', '+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs'],
};

export interface CrsInfo {
  /** 'EPSG:n' when known, else 'CUSTOM'. */
  id: string;
  epsg: number | null;
  name: string;
  proj4: string;
  geographic: boolean;
}

function epsgDefinition(code: number): [string, string] | null {
  if (NAMED[code]) return NAMED[code];
  if (code >= 32601 && code <= 32660) return [`WGS 84 / UTM zone ${code - 32600}N`, `+proj=utm +zone=${code - 32600} +datum=WGS84 +units=m +no_defs`];
  if (code >= 32701 && code <= 32760) return [`WGS 84 / UTM zone ${code - 32700}S`, `+proj=utm +zone=${code - 32700} +south +datum=WGS84 +units=m +no_defs`];
  for (const [base, datum] of [[6669, 'JGD2011'], [2443, 'JGD2000']] as const) {
    const i = code - base;
    if (i >= 0 && i < 19) {
      const [lat0, lon0] = JAPAN_PLANE_ORIGINS[i];
      return [`${datum} / Japan Plane Rectangular CS ${romanOf(i + 1)}`,
        `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=0.9999 +x_0=0 +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`];
    }
  }
  return null;
}

/** True when Ekimae can resolve this EPSG code without a definition from the file. */
export function knowsEpsg(code: number): boolean {
  return epsgDefinition(code) !== null;
}

function romanOf(n: number): string {
  const r: Array<[number, string]> = [[10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let s = '';
  for (const [v, c] of r) while (n >= v) { s += c; n -= v; }
  return s;
}

function fromEpsg(code: number, what: string): CrsInfo {
  const def = epsgDefinition(code);
  if (!def) {
    throw new EkimaeError('E_CRS_UNKNOWN', `EPSG:${code} is not one Ekimae knows; give the file a .prj/WKT or a PROJ string instead`, { crs: what });
  }
  return { id: `EPSG:${code}`, epsg: code, name: def[0], proj4: def[1], geographic: def[1].includes('+proj=longlat') };
}

/** The EPSG code a WKT string declares for itself (its last AUTHORITY / ID), or an ESRI UTM name. */
export function epsgFromWkt(wkt: string): number | null {
  const auth = [...wkt.matchAll(/(?:AUTHORITY|ID)\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]/gi)];
  if (auth.length) {
    // The outermost CRS's authority is the last one in WKT1 and the last top-level one in WKT2.
    return Number(auth[auth.length - 1][1]);
  }
  const esriUtm = /^PROJCS\["WGS_1984_UTM_Zone_(\d+)([NS])"/i.exec(wkt.trim());
  if (esriUtm) return (esriUtm[2].toUpperCase() === 'N' ? 32600 : 32700) + Number(esriUtm[1]);
  if (/^GEOGCS\["(GCS_WGS_1984|WGS 84|WGS84)"/i.test(wkt.trim())) return 4326;
  // ESRI .prj files carry no authority, and proj4 does not know ESRI datum names (so it would drop
  // the datum shift): recognise the CRSs listed above by name, e.g. "Indian_1975_UTM_Zone_47N".
  const name = /^(?:PROJCS|GEOGCS)\["([^"]*)"/i.exec(wkt.trim())?.[1];
  if (name) {
    const key = nameKey(name);
    for (const [code, [n]] of Object.entries(NAMED)) if (nameKey(n) === key) return Number(code);
  }
  return null;
}

function nameKey(name: string): string {
  return name.toLowerCase().replace(/^gcs_/, '').replace(/[^a-z0-9]/g, '');
}

/**
 * Resolve any CRS description: a number, 'EPSG:n', an OGC URN or URL, 'CRS84', a PROJ string or WKT.
 * Throws E_CRS_UNKNOWN with the text it could not read.
 */
export function resolveCrs(input: string | number): CrsInfo {
  if (typeof input === 'number') return fromEpsg(input, String(input));
  const s = input.trim();
  if (!s) throw new EkimaeError('E_CRS_UNKNOWN', 'empty CRS description');
  if (/CRS:?84$/i.test(s) || /OGC:1\.3:CRS84/i.test(s)) return fromEpsg(4326, s);
  const code = /^(?:EPSG:+|urn:ogc:def:crs:EPSG:[\d.]*:|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/\d+\/)(\d+)$/i.exec(s)
    ?? /^(\d{4,6})$/.exec(s);
  if (code) return fromEpsg(Number(code[1]), s);
  if (s.startsWith('+')) return checked({ id: 'CUSTOM', epsg: null, name: s, proj4: s, geographic: s.includes('+proj=longlat') }, s);
  if (/^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS|COMPD_CS|COMPOUNDCRS)\s*\[/i.test(s)) {
    const epsg = epsgFromWkt(s);
    if (epsg !== null && epsgDefinition(epsg)) return fromEpsg(epsg, s);
    const name = /^\w+\s*\[\s*"([^"]*)"/.exec(s)?.[1] ?? 'custom WKT';
    return checked({ id: 'CUSTOM', epsg, name, proj4: s, geographic: /^GEOG/i.test(s) }, s);
  }
  throw new EkimaeError('E_CRS_UNKNOWN', `cannot read CRS "${s.slice(0, 120)}"`, { crs: s.slice(0, 500) });
}

function checked(info: CrsInfo, what: string): CrsInfo {
  try {
    const t = proj4(info.proj4, 'EPSG:4326');
    const probe = info.geographic ? [100, 13] : [500000, 1500000];
    const out = t.forward(probe);
    if (!Number.isFinite(out[0]) || !Number.isFinite(out[1])) throw new Error('non-finite');
    return info;
  } catch (e) {
    throw new EkimaeError('E_CRS_UNKNOWN', `cannot use CRS "${what.slice(0, 120)}": ${(e as Error).message}`, { crs: what.slice(0, 500) });
  }
}

export type Transform = (p: Position) => Position;

/** A function taking a position in `from` to EPSG:4326 lon/lat; identity for WGS 84. */
export function toWgs84(from: CrsInfo): Transform {
  if (from.epsg === 4326 || from.proj4 === NAMED[4326][1]) return (p) => [p[0], p[1]];
  const conv = proj4(from.proj4, NAMED[4326][1]);
  return (p) => {
    const out = conv.forward([p[0], p[1]]);
    return [out[0], out[1]];
  };
}

/** The inverse: EPSG:4326 lon/lat to `to` (used by exports in another CRS and by local metric frames). */
export function fromWgs84(to: CrsInfo): Transform {
  if (to.epsg === 4326 || to.proj4 === NAMED[4326][1]) return (p) => [p[0], p[1]];
  const conv = proj4(NAMED[4326][1], to.proj4);
  return (p) => {
    const out = conv.forward([p[0], p[1]]);
    return [out[0], out[1]];
  };
}

/** The project's analysis CRS: the UTM zone of the site centre (metres, scale error < 0.04 % in zone). */
export function localMetricCrs(lon: number, lat: number): CrsInfo {
  const zone = Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
  return fromEpsg((lat >= 0 ? 32600 : 32700) + zone, 'local');
}

/** OGC WKT1 for EPSG:4326 as GeoPackage and shapefile .prj files carry it. */
export const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';

/** ESRI flavour for shapefile .prj (what ArcGIS and QGIS write). */
export const WGS84_ESRI_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
