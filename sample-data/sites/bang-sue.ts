/**
 * Bang Sue: Krung Thep Aphiwat Central Terminal and its 3.2 km surroundings. Roads, rail and land
 * zones are drawn from public maps (OpenStreetMap, SRT's published Bang Sue master plan) at the
 * accuracy of a sketch; stations come from the citation table (sources.json).
 */
import type { Position } from '../../core/geo/geometry.js';
import { createFrame, type XY } from '../lib/frame.js';
import { BANG_SUE_RADIUS } from '../lib/realdata.js';
import { realCensusSpec } from '../lib/real-census.js';
import { loadSources } from '../lib/sources.js';
import type { RailSpec, RoadSpec, SiteSpec, StationSpec, ZoneSpec } from '../lib/spec.js';

const CENTER: Position = [100.54167, 13.805];
const frame = createFrame(CENTER[0], CENTER[1]);
/** Metres east/north of the terminal to lon/lat. */
const m = (pts: XY[]): Position[] => pts.map((p) => frame.toLonLat(p));

/** A rectangle centred on c (metres), long axis at `bearing` degrees from north. */
function rect(c: XY, bearing: number, halfLong: number, halfWide: number): XY[] {
  const b = (bearing * Math.PI) / 180;
  const ax: XY = [Math.sin(b), Math.cos(b)], ay: XY = [Math.cos(b), -Math.sin(b)];
  return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([u, v]) => [c[0] + ax[0] * halfLong * v + ay[0] * halfWide * u, c[1] + ax[1] * halfLong * v + ay[1] * halfWide * u] as XY);
}

const road = (name: string, highway: RoadSpec['highway'], value: number, path: Position[], extra: Partial<RoadSpec> = {}): RoadSpec => ({ name, highway, value, path, ...extra });

/**
 * The Purple Line runs over Krungthep–Nonthaburi Rd: north from Tao Poon through Bang Son, Wong
 * Sawang and Yaek Tiwanon (through or within 10 m of their Namtang GTFS stops 335, 347, 354).
 */
const KRUNGTHEP_NONTHABURI: Position[] = [[100.5309, 13.8062], [100.5318, 13.8130], [100.5324266, 13.8200542], [100.5300, 13.8255], [100.5265, 13.8298], [100.5205, 13.8348], [100.5150, 13.8395]];

const VIBHAVADI: Position[] = [[100.5600, 13.7720], [100.5625, 13.7950], [100.5630, 13.8080], [100.5618, 13.8163], [100.5590, 13.8280], [100.5580, 13.8420]];

const ROADS: RoadSpec[] = [
  road('Phahonyothin Rd', 'primary', 110000, [[100.5450, 13.7720], [100.5498, 13.7937], [100.5540, 13.8026], [100.5580, 13.8095], [100.5615, 13.8163], [100.5690, 13.8290], [100.5740, 13.8380]]),
  road('Vibhavadi Rangsit Rd', 'trunk', 85000, VIBHAVADI),
  road('Lat Phrao Rd', 'primary', 90000, [[100.5617, 13.8163], [100.5700, 13.8110], [100.5800, 13.8060]]),
  road('Kamphaeng Phet 2 Rd', 'secondary', 60000, [[100.5470, 13.7960], [100.5478, 13.8050], [100.5490, 13.8130], [100.5510, 13.8200], [100.5535, 13.8270], [100.5590, 13.8330]]),
  road('Kamphaeng Phet 5 Rd', 'tertiary', 45000, [[100.5445, 13.7928], [100.5455, 13.7945], [100.5470, 13.7960]]),
  road('Kamphaeng Phet 6 Rd', 'secondary', 40000, [[100.5378, 13.8062], [100.5405, 13.8090], [100.5440, 13.8200], [100.5470, 13.8280], [100.5500, 13.8400], [100.5520, 13.8470]]),
  road('Thoet Damri Rd', 'secondary', 40000, [[100.5402, 13.7924], [100.5390, 13.7960], [100.5380, 13.8010], [100.5375, 13.8060], [100.5340, 13.8100]]),
  road('Pradipat Rd', 'secondary', 62500, [[100.5498, 13.7937], [100.5450, 13.7929], [100.5400, 13.7924], [100.5330, 13.7916], [100.5250, 13.7905], [100.5180, 13.7895]]),
  road('Sutthisan Winitchai Rd', 'secondary', 55000, [[100.5498, 13.7937], [100.5600, 13.7900], [100.5720, 13.7880], [100.5790, 13.7870]]),
  road('Rama VI Rd', 'secondary', 50000, [[100.5472, 13.7931], [100.5455, 13.7830], [100.5440, 13.7720]]),
  road('Pracha Chuen Rd', 'secondary', 50000, [[100.5309, 13.8062], [100.5345, 13.8120], [100.5365, 13.8200], [100.5375, 13.8300], [100.5385, 13.8400], [100.5395, 13.8470]]),
  road('Pracharat Sai 2 Rd', 'secondary', 45000, [[100.5309, 13.8062], [100.5300, 13.8000], [100.5285, 13.7905], [100.5275, 13.7730]]),
  road('Krungthep–Nonthaburi Rd', 'secondary', 50000, KRUNGTHEP_NONTHABURI),
  road('Pracharat Sai 1 Rd', 'tertiary', 35000, [[100.5170, 13.7760], [100.5178, 13.7900], [100.5185, 13.8000], [100.5192, 13.8130], [100.5188, 13.8250], [100.5175, 13.8380]]),
  road('Pracharat Bamphen Rd', 'tertiary', 32000, [[100.5185, 13.8063], [100.5250, 13.8063], [100.5309, 13.8062]]),
  road('Techawanit Rd', 'tertiary', 35000, [[100.5380, 13.8012], [100.5340, 13.8016], [100.5300, 13.8002]]),
  road('Wong Sawang Rd', 'tertiary', 32000, [[100.5265, 13.8298], [100.5333, 13.8280], [100.5400, 13.8270], [100.5465, 13.8266]]),
  road('Krung Thep Aphiwat concourse', 'pedestrian', 0, m([[-440, -40], [-120, -40], [120, -40], [655, -40]]), { sois: false }),
  road('Chatuchak Park path', 'footway', 0, m([[650, -200], [1000, -230], [1362, -200]]), { sois: false }),
  road('Wachirabenchathat Park path', 'footway', 0, m([[830, 700], [1200, 620], [1600, 650], [1930, 700]]), { sois: false }),
  road('Don Mueang Tollway', 'motorway', 0, VIBHAVADI.map((p) => [p[0] + 0.00005, p[1]] as Position), { bridge: true, layer: 2, sois: false }),
  road('Si Rat Expressway', 'motorway', 0, [[100.5392, 13.7720], [100.5398, 13.7900], [100.5392, 13.7990], [100.5360, 13.8045], [100.5322, 13.8140], [100.5336, 13.8300], [100.5352, 13.8470]], { bridge: true, layer: 1, sois: false }),
];

const NORTH: Position[] = [[100.54167, 13.805], [100.5445, 13.8130], [100.5475, 13.8200], [100.54944, 13.82639], [100.5520, 13.8350], [100.5545, 13.8420]];
const SOUTH: Position[] = [[100.54167, 13.805], [100.5420, 13.7980], [100.5410, 13.7900], [100.5390, 13.7800], [100.5380, 13.7720]];
// Through Bang Son (GTFS stop 13849) and west to the Rama VI Bridge.
const WEST: Position[] = [[100.54167, 13.805], [100.5385, 13.8085], [100.5362, 13.8150], [100.5348, 13.8200], [100.5342405, 13.822116], [100.5300, 13.8222], [100.5250, 13.8210], [100.5200, 13.8190], [100.5160, 13.8168]];
const shift = (pts: Position[], dx: number, dy: number): Position[] => m(pts.map(frame.toXY).map(([x, y]) => [x + dx, y + dy] as XY));

/** The Rama VI Bridge: its cited 442 m laid from its east abutment towards the west bank. */
function ramaVIBridge(): Position[] {
  const east = frame.toXY([100.5160, 13.8168]);
  const bearing = (245 * Math.PI) / 180;
  return m([east, [east[0] + 442 * Math.sin(bearing), east[1] + 442 * Math.cos(bearing)]]);
}

const RAIL: RailSpec[] = [
  { line: 'SRT Dark Red Line', name: 'Dark Red Line (Krung Thep Aphiwat – Rangsit)', status: 'operating', grade: 'elevated', path: NORTH, barrier: true },
  { line: 'SRT Northern Line', name: 'Northern and Northeastern Lines (intercity)', status: 'operating', grade: 'at_grade', path: shift(NORTH, -28, 8), barrier: true },
  { line: 'SRT Dark Red Line', name: 'Dark Red Line extension to Hua Lamphong', status: 'planned', grade: 'at_grade', path: SOUTH, barrier: true },
  { line: 'SRT Northern Line', name: 'Intercity line to Hua Lamphong', status: 'operating', grade: 'at_grade', path: shift(SOUTH, 25, 0), barrier: true },
  { line: 'SRT Light Red Line', name: 'Light Red Line (Krung Thep Aphiwat – Taling Chan)', status: 'operating', grade: 'at_grade', path: WEST, barrier: true },
  { line: 'SRT Southern Line', name: 'Rama VI Bridge (SRT Southern Line / Light Red Line over the Chao Phraya)', status: 'operating', grade: 'elevated', path: ramaVIBridge(), barrier: false },
  { line: 'HSR Three Airports', name: 'High-speed rail linking three airports (Don Mueang – Bang Sue – Suvarnabhumi – U-Tapao)', status: 'planned', grade: 'elevated', path: [...shift(SOUTH, -30, 0).reverse(), ...shift(NORTH, 30, 0).slice(1)], barrier: false },
  { line: 'HSR Thai–Chinese', name: 'Thai–Chinese high-speed railway (Bangkok – Nakhon Ratchasima)', status: 'under_construction', grade: 'elevated', path: shift(NORTH, 55, -5), barrier: false },
  { line: 'MRT Blue Line', name: 'MRT Blue Line', status: 'operating', grade: 'underground', path: [[100.5612, 13.8132], [100.5580, 13.8080], [100.5535, 13.8026], [100.5485, 13.7977], [100.5440, 13.7990], [100.5395, 13.8035], [100.5350, 13.8060], [100.530889, 13.806222], [100.5260, 13.8063], [100.5215, 13.8063], [100.5190, 13.8030]], barrier: false },
  { line: 'MRT Purple Line', name: 'MRT Purple Line', status: 'operating', grade: 'elevated', path: [[100.530889, 13.806222], ...KRUNGTHEP_NONTHABURI.slice(1)], barrier: false },
  { line: 'BTS Sukhumvit Line', name: 'BTS Sukhumvit Line', status: 'operating', grade: 'elevated', path: [[100.5452, 13.7720], [100.5498, 13.7937], [100.5538333, 13.8025833], [100.5578, 13.8094], [100.56194, 13.81667], [100.5690, 13.8290]], barrier: false },
];

const srt = (name: string, ring: XY[], landUse: ZoneSpec['landUse'], lot: number, floors: [number, number], value: [number, number], plannedFar?: number, plannedUse?: ZoneSpec['plannedUse']): ZoneSpec => ({
  name, polygon: m(ring), landUse, ownership: 'public', ownerType: 'SRT', ownerName: 'State Railway of Thailand', lot, floors, value, closed: true, plannedFar, plannedUse,
});

const ZONES: ZoneSpec[] = [
  srt('Krung Thep Aphiwat Central Terminal', rect([0, 0], 15, 300, 122), { transport: 1 }, 2000, [3, 4], [70000, 90000]),
  srt('Bang Sue development Zone A (station front)', [[60, -330], [420, -330], [440, -560], [80, -560]], { vacant: 0.7, transport: 0.3 }, 90, [1, 2], [60000, 80000], 8, 'office'),
  srt('Bang Sue development Zone B (east plaza)', [[190, -250], [560, -250], [590, 100], [230, 200]], { vacant: 0.6, transport: 0.4 }, 110, [1, 2], [55000, 75000], 6, 'commercial'),
  srt('Bang Sue development Zone C (north-east)', [[250, 330], [700, 330], [760, 750], [330, 800]], { vacant: 0.75, transport: 0.25 }, 120, [1, 2], [45000, 65000], 5, 'mixed_use'),
  srt('Bang Sue development Zone D (west forecourt)', [[-430, -250], [-140, -250], [-120, 380], [-420, 300]], { vacant: 0.6, transport: 0.25, civic: 0.15 }, 100, [1, 3], [45000, 65000], 4.5, 'mixed_use'),
  srt('Bang Sue development Zone E (north, former yards)', [[-110, 470], [150, 420], [560, 1600], [220, 1640]], { vacant: 0.5, transport: 0.5 }, 140, [1, 2], [35000, 50000], 3.5, 'residential'),
  srt('Bang Sue rail yard and depot', [[470, 1200], [830, 1200], [990, 1640], [680, 1680]], { transport: 1 }, 160, [1, 2], [30000, 40000]),
  { name: 'Mo Chit 2 bus terminal', polygon: m([[420, 850], [770, 850], [800, 1150], [470, 1150]]), landUse: { transport: 1 }, ownership: 'public', ownerType: 'state', ownerName: 'The Transport Co., Ltd. (state)', lot: 400, floors: [1, 3], value: [40000, 55000], closed: true },
  { name: 'Chatuchak Weekend Market', polygon: m([[680, -850], [1020, -900], [1120, -470], [790, -330]]), landUse: { commercial: 1 }, ownership: 'public', ownerType: 'SRT', ownerName: 'State Railway of Thailand', lot: 70, floors: [1, 2], value: [70000, 95000], closed: true },
  { name: 'Chatuchak Park', polygon: m([[790, -330], [1120, -470], [1250, -150], [900, -20]]), landUse: { open_space: 1 }, ownership: 'public', ownerType: 'state', ownerName: 'Bangkok Metropolitan Administration', lot: 600, floors: [0, 0], value: [60000, 70000], closed: true },
  { name: 'Queen Sirikit Park', polygon: m([[900, -20], [1250, -150], [1420, 250], [1000, 330]]), landUse: { open_space: 1 }, ownership: 'public', ownerType: 'state', ownerName: 'Bangkok Metropolitan Administration', lot: 600, floors: [0, 0], value: [60000, 70000], closed: true },
  { name: 'Wachirabenchathat Park (Rot Fai Park)', polygon: m([[1000, 330], [1420, 250], [1600, 900], [1150, 1000]]), landUse: { open_space: 1 }, ownership: 'public', ownerType: 'SRT', ownerName: 'State Railway of Thailand', lot: 600, floors: [0, 0], value: [50000, 60000], closed: true },
  { name: 'SCG head office', polygon: m([[-1045, -277], [-559, -277], [-505, 166], [-991, 221]]), landUse: { office: 0.7, industrial: 0.2, open_space: 0.1 }, ownership: 'private', ownerType: 'private', lot: 110, floors: [3, 12], value: [45000, 60000], closed: true },
  // Listed last: the remaining SRT tract around the terminal (the specific zones above take precedence).
  srt('SRT Bang Sue land (yards, staff housing, reserve)', [[-390, -900], [555, -900], [650, 0], [770, 800], [990, 1640], [560, 1720], [240, 1640], [-120, 470], [-380, 250], [-430, -250]], { transport: 0.45, vacant: 0.35, residential: 0.12, civic: 0.08 }, 110, [1, 4], [30000, 45000]),
];

export function bangSueSite(): SiteSpec {
  const src = loadSources()['bang-sue'];
  const exits = (n: number, r: number) => Array.from({ length: n }, (_, i) => ({ name: `Exit ${i + 1}`, dx: Math.round(r * Math.cos((2 * Math.PI * i) / n + 0.6)), dy: Math.round(r * Math.sin((2 * Math.PI * i) / n + 0.6)) }));
  const ENTRANCES: Record<string, StationSpec['entrances']> = {
    KTW: [
      { name: 'Entrance 1 (Thoet Damri forecourt)', dx: -150, dy: -60 },
      { name: 'Entrance 2 (Thoet Damri, north)', dx: -110, dy: 150 },
      { name: 'Entrance 3 (Kamphaeng Phet 2 side)', dx: 150, dy: -30 },
      { name: 'Entrance 4 (south, Zone A)', dx: 70, dy: -300 },
    ],
    BL11: [{ name: 'Exit 1', dx: -40, dy: 20 }, { name: 'Exit 2', dx: 30, dy: -35 }],
  };
  const stations: StationSpec[] = src.stations.map((s) => ({
    id: s.id, name: s.name, nameLocal: s.name_local, line: s.line, lonLat: [s.lon, s.lat], source: s.source,
    entrances: ENTRANCES[s.id] ?? exits(s.id === 'BL10' ? 4 : 2, 45),
  }));
  return {
    key: 'bang-sue',
    title: 'Bang Sue Grand Station (Krung Thep Aphiwat)',
    center: CENTER,
    radius: BANG_SUE_RADIUS,
    extent: 3600,
    buildingRadius: 1500,
    roads: ROADS,
    rail: RAIL,
    stations,
    zones: ZONES,
    water: [{ name: 'Chao Phraya River', path: [[100.5060, 13.7700], [100.5085, 13.7850], [100.5115, 13.8000], [100.5128, 13.8140], [100.5110, 13.8300], [100.5060, 13.8420]], width: 260 }],
    census: src.census.zones.map((z) => realCensusSpec(z, src.census.basis)),
    rules: {
      collectorGap: [350, 650], soiGap: [40, 95], soiLength: [200, 800], joinChance: 0.35, branchChance: 0.85,
      frontage: [30, 60], depth: [30, 56], interiorLotScale: 2.4, blockTolerance: 2.2, soiValue: [12000, 32000], soiNaming: 'thai',
    },
    // Shophouse and townhouse rows of 3-4 floors on the arterials, thinning into sois of one- and
    // two-storey houses with yards, warehouses, temples and schools; condominium towers near stations.
    stock: {
      coverage: { residential: 0.3, commercial: 0.5, office: 0.4, mixed_use: 0.5, industrial: 0.5, civic: 0.25, transport: 0.25 },
      house: [1, 2], row: [3, 4], rowShare: [0.5, 0.08], walkUp: [0.03, 5, 8],
      shop: [1, 2], office: [3, 8], industrial: [1, 2], civic: [1, 3], transport: [1, 2],
      tower: { chance: 0.1, floors: [8, 32], coverage: 0.3, minArea: 1500 },
    },
    frontageUse: { commercial: 0.18, mixed_use: 0.2, office: 0.07, residential: 0.33, civic: 0.06, vacant: 0.08, industrial: 0.06, open_space: 0.02 },
    interiorUse: { residential: 0.62, mixed_use: 0.05, commercial: 0.05, industrial: 0.07, civic: 0.07, vacant: 0.09, open_space: 0.05 },
    fieldShare: 0,
    publicOwner: 'Treasury Department (state land)',
    valueRange: src.land_value.range,
    // Each khwaeng's fabric at its own registered density (lib/census-fit.ts): 45 m² of residential
    // floor per registered resident (about 98 m² per registered household of 2.15, README), the Thai
    // employment densities of the scenario defaults x 1.3 (shophouses hold storage and family space).
    censusFit: { m2PerResident: 45, m2PerJob: { commercial: 26, office: 19.5, civic: 39, industrial: 65 }, mixedResidentialShare: 0.5, maxCoverage: 0.6, maxFloors: 8 },
  };
}
