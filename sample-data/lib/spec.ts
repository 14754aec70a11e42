/** What a site description gives the generator: real features by name and position, and the rules for the synthetic fabric. */
import type { Position } from '../../core/geo/geometry.js';

export type LandUse = 'residential' | 'commercial' | 'office' | 'mixed_use' | 'industrial' | 'civic' | 'open_space' | 'transport' | 'vacant' | 'water';
export type OwnerType = 'SRT' | 'state' | 'private' | 'NHSRCL' | 'railways';

export interface RoadSpec {
  name: string;
  highway: 'motorway' | 'trunk' | 'primary' | 'secondary' | 'tertiary' | 'residential' | 'service' | 'pedestrian' | 'footway';
  path: Position[];
  /** Frontage land value, currency per m², for parcels on this road. */
  value?: number;
  bridge?: boolean;
  layer?: number;
  /** Sois branch off this road (false for expressways, concourses, footbridges). */
  sois?: boolean;
}

export interface RailSpec {
  line: string;
  name: string;
  status: 'operating' | 'under_construction' | 'planned';
  grade: 'at_grade' | 'elevated' | 'underground';
  path: Position[];
  /** True where the corridor is fenced at ground level: no soi crosses it. */
  barrier: boolean;
}

export interface StationSpec {
  id: string;
  name: string;
  nameLocal: string;
  line: string;
  lonLat: Position;
  /** Where the position comes from (listed in sources.json too). */
  source: string;
  /** Entrance offsets in metres [east, north] from the station point, with names. */
  entrances: Array<{ name: string; dx: number; dy: number }>;
}

export interface ZoneSpec {
  name: string;
  polygon: Position[];
  landUse: Partial<Record<LandUse, number>>;
  ownership: 'public' | 'private';
  ownerType: OwnerType;
  ownerName?: string;
  /** Typical lot side in metres (one lot when the zone is smaller). */
  lot: number;
  floors: [number, number];
  value: [number, number];
  /** Sois never enter it (parks, rail land, campuses). */
  closed: boolean;
  /** Planned FAR, for the development-zone layer (absent = not a development zone). */
  plannedFar?: number;
  plannedUse?: LandUse;
}

export interface WaterSpec {
  name: string;
  path: Position[];
  width: number;
}

export interface CensusSpec {
  id: string;
  name: string;
  nameLocal: string;
  /** A point inside the zone; the zone is the site's Voronoi cell of these seeds (boundaries approximate). */
  seed?: Position;
  /** A real boundary (lon/lat MultiPolygon coordinates) instead of a Voronoi cell; clip: cut to the site disc. */
  polygon?: { coordinates: Position[][][]; clip: boolean; restOf?: string };
  population: number;
  households: number;
  jobs: number;
  basis: string;
}

export interface FabricRules {
  /** Spacing of sois along a road, metres. */
  soiGap: [number, number];
  soiLength: [number, number];
  /** Spacing of the long collector lanes grown from the real roads first (synthetic, tertiary). */
  collectorGap: [number, number];
  /** Chance that a soi meeting another road joins it (else it ends short: a dead end). */
  joinChance: number;
  branchChance: number;
  /** Lot frontage and depth, metres, in the ordinary fabric. */
  frontage: [number, number];
  depth: [number, number];
  /** Lots away from the street are this many times the street lot's side. */
  interiorLotScale: number;
  /** Douglas–Peucker tolerance (m) for block outlines traced from the raster: larger = fewer vertices. */
  blockTolerance: number;
  /** Soi land value, currency per m², far from and next to arterials. */
  soiValue: [number, number];
  /** Name of the sois: `${prefix} ${road} ${n}` (Thai soi numbering) or generic lanes. */
  soiNaming: 'thai' | 'lane';
}

/**
 * The existing building stock: floors and site coverage by land use and position. Floor area is
 * lot area × coverage × floors, so these rules decide how many dwellings and jobs the site holds.
 */
export interface StockRules {
  /** Built footprint / lot area by land use (each lot varies it by -15 % to +10 %). */
  coverage: Partial<Record<LandUse, number>>;
  /** Residential floors: detached or village houses, and townhouse/shophouse rows. */
  house: [number, number];
  row: [number, number];
  /** Share of residential lots that are rows: on an arterial, and far (600 m+) from one. */
  rowShare: [near: number, far: number];
  /** Walk-up apartment blocks among residential lots: their share and floors. */
  walkUp: [share: number, min: number, max: number];
  /** Commercial lots off the arterials (markets, shops; on an arterial they are shophouse rows). */
  shop: [number, number];
  office: [number, number];
  industrial: [number, number];
  civic: [number, number];
  transport: [number, number];
  /** Towers (condominiums, offices) on large residential/office/mixed lots within 800 m of a station. */
  tower: { chance: number; floors: [number, number]; coverage: number; minArea: number };
}

/**
 * How the ordinary fabric is fitted to each census zone (lib/census-fit.ts): the floor area that
 * houses one census resident and the floor area per census job by use, the site's own figures.
 */
export interface CensusFit {
  /** Residential floor area (m²) per census resident: the implied dwelling size / census persons per household. */
  m2PerResident: number;
  /** Floor area (m²) per census job: the country's employment densities x the site's slack (storage, family space). */
  m2PerJob: { commercial: number; office: number; civic: number; industrial: number };
  /** Residential share of mixed-use floor area (the country default of the scenario engine). */
  mixedResidentialShare: number;
  /** Caps when a zone needs more stock than its fabric holds. */
  maxCoverage: number;
  maxFloors: number;
}

export interface SiteSpec {
  key: string;
  title: string;
  center: Position;
  /** Parcels and census inside this radius (m); roads and rail to the square of half-side `extent`. */
  radius: number;
  extent: number;
  /** Building footprints only within this distance of the centre (where the 3D view looks). */
  buildingRadius: number;
  roads: RoadSpec[];
  rail: RailSpec[];
  stations: StationSpec[];
  zones: ZoneSpec[];
  water: WaterSpec[];
  census: CensusSpec[];
  rules: FabricRules;
  stock: StockRules;
  /** Share of the ordinary blocks left unbuilt (fields, scrub, cleared land): their lots off the arterials are vacant. */
  fieldShare: number;
  /** Land uses of the ordinary fabric, on arterial frontage and inside the sois. */
  frontageUse: Partial<Record<LandUse, number>>;
  interiorUse: Partial<Record<LandUse, number>>;
  /** Owner shown for public lots outside the named zones (an agency, never a person). */
  publicOwner: string;
  /** The cited land value range (currency/m²): per-parcel values are kept inside it. */
  valueRange: [number, number];
  /** Fit the ordinary fabric to each census zone's density (absent: one intensity for the whole site). */
  censusFit?: CensusFit;
}
