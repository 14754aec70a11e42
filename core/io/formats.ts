/**
 * Which parser reads which file. Detection trusts the content over the name where they disagree
 * in a way that would mislead a parser (a zip named .geojson is still a zip).
 */
import { EkimaeError } from '../errors.js';
import { parseGeoJson } from './geojson.js';
import { parseGeoPackage } from './geopackage.js';
import { parseShapefile } from './shapefile.js';
import { parseCsv } from './csv.js';
import { parseKml, parseKmz } from './kml.js';
import { parseOsmPbf } from './osm-pbf.js';
import { parseOsmXml } from './osm-xml.js';
import { parseGtfs } from './gtfs.js';
import { textHoldsGtfsStops, zipHoldsGtfs } from './gtfs-feed.js';
import type { RawLayer } from './normalize.js';
import type { SourceFile } from './source.js';
import type { ImportOptions, SourceInfo } from './types.js';

export type ImportFormat = SourceInfo['format'];
type Parser = (src: SourceFile, opts: ImportOptions) => RawLayer[];

/** One line per format module. */
const PARSERS: Partial<Record<ImportFormat, Parser>> = {
  geojson: parseGeoJson,
  geopackage: parseGeoPackage,
  shapefile: parseShapefile,
  csv: parseCsv,
  kml: parseKml,
  kmz: parseKmz,
  'osm-xml': parseOsmXml,
  'osm-pbf': parseOsmPbf,
  gtfs: parseGtfs,
};

const BY_EXTENSION: Array<[RegExp, ImportFormat]> = [
  [/\.(geo)?json$/i, 'geojson'],
  [/\.gpkg$/i, 'geopackage'],
  [/\.(shp|zip|dbf)$/i, 'shapefile'],
  [/\.kml$/i, 'kml'],
  [/\.kmz$/i, 'kmz'],
  [/\.(csv|tsv|txt)$/i, 'csv'],
  [/\.osm\.pbf$|\.pbf$/i, 'osm-pbf'],
  [/\.(osm|xml)$/i, 'osm-xml'],
];

export function importFormats(): ImportFormat[] {
  return Object.keys(PARSERS) as ImportFormat[];
}

export function detectFormat(src: SourceFile): ImportFormat {
  const b = src.bytes;
  const byName = BY_EXTENSION.find(([re]) => re.test(src.name))?.[1];
  const isZip = b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5);
  const isSqlite = Buffer.from(b.subarray(0, 16)).toString('latin1') === 'SQLite format 3\u0000';
  if (byName === 'geopackage') return 'geopackage';
  if (isSqlite) return 'geopackage';
  if (isZip) return byName === 'kmz' ? 'kmz' : zipHoldsGtfs(b) ? 'gtfs' : 'shapefile';
  // A GTFS stops file is a CSV too; its header says which (stop_id, stop_lat, stop_lon).
  if (byName === 'csv' && textHoldsGtfsStops(b)) return 'gtfs';
  if (byName) return byName;
  throw new EkimaeError('E_FORMAT_UNKNOWN',
    `${src.name}: unknown file type; Ekimae reads GeoJSON, Shapefile (.shp or .zip), GeoPackage, KML/KMZ, CSV, OSM (.osm, .pbf) and GTFS (.zip or a folder with stops.txt)`, { file: src.name });
}

export function parserFor(format: ImportFormat, file: string): Parser {
  const p = PARSERS[format];
  if (!p) throw new EkimaeError('E_FORMAT_UNKNOWN', `${file}: ${format} import is not available in this build`, { file, format });
  return p;
}
