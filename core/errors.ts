/**
 * Stable error codes. They cross every transport as data, the UI maps each to plain help,
 * and tests pin them: never rename one, only add.
 */
export const ERROR_CODES = {
  E_INPUT_INVALID: 'A request did not match the contract (wrong or missing argument).',
  E_METHOD_UNKNOWN: 'No such API method.',
  E_FILE_NOT_FOUND: 'The file does not exist or cannot be read.',
  E_FILE_EMPTY: 'The file is empty.',
  E_FILE_TOO_LARGE: 'The file is larger than Ekimae can read at once.',
  E_FORMAT_UNKNOWN: 'The file format was not recognised.',
  E_FORMAT_INVALID: 'The file is damaged or not what its name says.',
  E_ZIP_INVALID: 'The zip archive is damaged or truncated.',
  E_SHP_PART_MISSING: 'A shapefile part (.shp, .shx or .dbf) is missing.',
  E_RECORD_DELETED: 'A record is marked deleted in its dBase table and was left out.',
  E_CRS_UNKNOWN: 'The coordinate reference system could not be understood.',
  E_CRS_MISSING: 'The file does not say which coordinate reference system it uses.',
  E_COORD_INVALID: 'A coordinate is not a finite number or lies outside the valid range.',
  E_GEOMETRY_INVALID: 'A geometry is malformed or invalid.',
  E_GEOMETRY_REPAIRED: 'A geometry was repaired (a safe, documented fix).',
  E_GEOMETRY_EMPTY: 'A feature has an empty or missing geometry.',
  E_GEOMETRY_MIXED: 'The layer mixes geometry types that cannot share one table.',
  E_GEOMETRY_UNSUPPORTED: 'A geometry type Ekimae does not store (e.g. GeometryCollection).',
  E_FIELD_RENAMED: 'A field was renamed: its name is reserved (fid, geom) or repeats another field (names ignore case).',
  E_ENCODING: 'The text encoding could not be decoded reliably.',
  E_TOO_DEEP: 'The document nests deeper than any real GIS file does.',
  E_VALUE_TOO_LARGE: 'An attribute value is larger than the limit.',
  E_DUPLICATE_ID: 'Two features share one id.',
  E_NETWORK_LINK: 'The KML refers to remote content (NetworkLink); Ekimae never fetches it.',
  E_NOT_GPKG: 'The file is not a GeoPackage.',
  E_NO_FEATURES: 'The file holds no usable features.',
  E_CSV_NO_GEOMETRY: 'No longitude/latitude or WKT column was found in the CSV.',
  E_WKT_INVALID: 'A WKT geometry could not be parsed.',
  E_OSM_NODE_MISSING: 'An OpenStreetMap way refers to nodes the file does not contain (an extract cut without complete ways).',
  E_LAYER_NOT_FOUND: 'No such layer in the project.',
  E_FIELD_NOT_FOUND: 'No such field in the layer.',
  E_PROJECT_NOT_FOUND: 'The project file does not exist.',
  E_PROJECT_EXISTS: 'A file already exists at that path.',
  E_PROJECT_INVALID: 'The file is not an Ekimae project (or is from a newer version).',
  E_PROJECT_NOT_OPEN: 'No project is open.',
  E_PROJECT_READONLY: 'The project is open read-only.',
  E_PROJECT_BUSY: 'The project is being changed by a job that has not finished (a large import); try again when it is done.',
  E_EXPORT_FAILED: 'The export could not be written.',
  E_CANCELLED: 'The job was cancelled.',
  E_NETWORK_EMPTY: 'The walk network has no walkable lines.',
  E_SNAP_TOO_FAR: 'A station or entrance is too far from any walkable street to snap onto it.',
  E_NO_STATIONS: 'No station or entrance points to start the catchment from.',
  E_CATCHMENT_NOT_FOUND: 'No such catchment run in the project.',
  E_ACCESS_NOT_FOUND: 'No such accessibility run in the project.',
  E_SCENARIO_NOT_FOUND: 'No such scenario (or version) in the project.',
  E_SCENARIO_INVALID: 'A scenario rule is out of range or inconsistent.',
  E_BANDS_OVERLAP: 'Two walk bands of a scenario overlap.',
  E_LAND_USE_UNKNOWN: 'A rule or zone names a land use that is not in the vocabulary.',
  E_PARCELS_MISSING: 'The project has no (single) parcel layer to evaluate.',
  E_DISTANCES_MISSING: 'No walking distances for the parcels: compute a catchment or pass distances.',
  E_ASSUMPTION_INVALID: 'A planning assumption is missing or out of range.',
  E_CENSUS_MISSING: 'No census layer (role census) to calibrate the base year against, or none overlapping the parcels.',
  E_CENSUS_FIELD_MISSING: 'The census layer has no field mapped to population (or no zone with a population value).',
  E_REPORT_RENDER: 'The report could not be rendered (Chromium missing or the report page not built).',
  E_INTERNAL: 'An unexpected internal error.',
  E_FORBIDDEN: 'The request was refused: wrong or missing access token, or not from the app itself.',
  E_PACKAGE_INVALID: 'The plan package failed verification (changed, incomplete or unsigned) and cannot be opened for review.',
  E_FEATURE_NOT_FOUND: 'No feature with that id in the layer.',
  E_COMMENT_NOT_FOUND: 'No such review comment.',
  E_GTFS_FILE_MISSING: 'A GTFS feed lacks a file it needs (stops.txt always; trips.txt and routes.txt once stop_times.txt is there).',
  E_GTFS_COLUMN_MISSING: 'A GTFS file lacks a column the GTFS reference requires.',
  E_GTFS_TIME_INVALID: 'A GTFS time is not H:MM:SS with minutes and seconds below 60 (times past 24:00:00 are valid).',
  E_GTFS_STOP_NO_COORDS: 'A GTFS stop, station or entrance has no valid stop_lat/stop_lon.',
  E_GTFS_REFERENCE: 'A GTFS row refers to an id (stop, parent station, route, trip, shape, service) that the feed does not define, or to one of the wrong kind.',
  E_GTFS_DUPLICATE_ID: 'Two rows of a GTFS file share an id that must be unique (stop_id, route_id, trip_id).',
  E_GTFS_VALUE_INVALID: 'A GTFS value is outside what the reference allows (location_type, route_type, date, headway, sequence).',
  E_PROJECT_UNTRUSTED_SCHEMA: 'The project holds views or triggers that neither Ekimae nor the GeoPackage standard creates; it is not opened until they are removed.',
  E_SOURCE_TIMEOUT: 'Reading the file took far longer than its size explains (a damaged or hostile file); it was stopped.',
  E_SIGNER_UNKNOWN: 'The plan package is signed by a key this installation does not trust yet; check its fingerprint with the sender, then accept it explicitly.',
  E_SIGNER_CHANGED: 'The plan package names a trusted signer but is signed with a different key; accept the change only if the signer confirms it.',
  E_KEY_UNSUPPORTED: 'The key is not an Ed25519 public key (RSA, ECDSA and other kinds are refused).',
  E_KEYRING_INVALID: 'The trusted-signers file (trusted-signers.json) is damaged.',
  E_PACKAGE_TOO_LARGE: 'The plan package would inflate beyond the size limit, or one entry compresses suspiciously well (a zip bomb).',
  E_PATH_NOT_GRANTED: 'The app may only use files and folders chosen in a file dialog (or its own data folder). In browser mode: files in your home or temp folder that are not hidden, or in a folder started with --allow.',
  E_FIELD_REVIEW: 'A free-text field may name people: include or exclude it before exporting or packaging.',
  E_TOO_MANY_FIELDS: 'The layer has more fields than a GeoPackage table can hold (2,000 columns).',
  E_FILE_READONLY: 'The file or its folder cannot be written (read-only, or no permission).',
  E_DISK_FULL: 'The disk is full; nothing was changed.',
  E_SERVER_BUSY: 'The app is answering too many requests at once; try again in a moment.',
  E_CONFLICT: 'Someone saved the same thing in the shared database since you opened it; your change was refused and nothing was lost: both versions are kept, and yours can be saved as a new scenario (details name the call).',
  E_DATABASE: 'The PostgreSQL database could not be reached or refused the request (address, role, password, PostGIS extension or permissions); nothing was changed.',
  E_BINARY_BODY_INVALID: 'A binary answer (a layer as typed arrays) arrived malformed or truncated; nothing was drawn from it.',
  E_CATCHMENT_RESULT_INVALID: 'A stored catchment result does not fit its run (a band that is not one of the run\'s bands, a parcel id beyond 32 bits): the table was changed outside Ekimae; run the catchment again.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorData {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one error type core code throws; anything else reaching a transport is E_INTERNAL. */
export class EkimaeError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'EkimaeError';
    this.code = code;
    this.details = details;
  }
  toData(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export function toErrorData(err: unknown): ErrorData {
  if (err instanceof EkimaeError) return err.toData();
  // Another process holds the project's write lock past the busy timeout: nothing was written.
  const sqliteCode = (err as { code?: unknown } | null)?.code;
  if (typeof sqliteCode === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(sqliteCode)) {
    return { code: 'E_PROJECT_BUSY', message: `another program is writing to the project; nothing was changed, try again (${(err as Error).message})` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'E_INTERNAL', message: `Internal error: ${message}` };
}

export function isErrorCode(s: string): s is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERROR_CODES, s);
}
