/**
 * The Mumbai–Ahmedabad HSR corridor: the 12 stations (citation table), the alignment sketched through
 * them, and one site per station. Each site names its real surroundings (roads, existing railway,
 * rivers, landmarks) by bearing and offset from the station, at the accuracy of a sketch.
 */
import type { Position } from '../../core/geo/geometry.js';
import { createFrame, type XY } from '../lib/frame.js';
import { MAHSR_RADIUS } from '../lib/realdata.js';
import { realCensusSpec } from '../lib/real-census.js';
import { loadSources } from '../lib/sources.js';
import type { FabricRules, LandUse, RailSpec, RoadSpec, SiteSpec, WaterSpec, ZoneSpec } from '../lib/spec.js';

/** Station positions plus waypoints where the line swings between them (tunnel to Shilphata, creek and river crossings). */
export const ALIGNMENT_WAYPOINTS: Record<string, Position[]> = {
  MAH01: [[72.92, 19.055], [72.99, 19.09], [73.03, 19.135]],
  MAH02: [[73.02, 19.25], [72.96, 19.33], [72.895, 19.39]],
  MAH03: [[72.85, 19.56], [72.80, 19.68]],
  MAH04: [[72.80, 19.89], [72.89, 20.05], [72.93, 20.20], [72.91, 20.30]],
  MAH05: [[72.98, 20.58]],
  MAH06: [[72.98, 20.95]],
  MAH07: [[72.99, 21.30], [73.06, 21.45]],
  MAH08: [[73.095, 21.86], [73.105, 22.05], [73.172, 22.23]],
  MAH09: [[73.17, 22.37], [73.105, 22.46], [73.045, 22.53], [72.96, 22.61]],
  MAH10: [[72.86, 22.71], [72.76, 22.83], [72.66, 22.94], [72.615, 22.995]],
  MAH11: [[72.596, 23.055]],
  MAH12: [],
};

/** A sketched line: its bearing (degrees from north) and its offset (m) to the right of that direction from the station. */
type Line = [name: string, highway: RoadSpec['highway'], bearing: number, offset: number, halfLength: number, bend: number];
interface StationSite {
  kind: 'urban' | 'greenfield';
  /** Share of the ordinary blocks that are built on; the rest are vacant (fields, scrub, cleared land). */
  builtUp: number;
  rich: boolean;
  roads: Line[];
  /** bearing 'hsr': the existing line the HSR runs beside (its local bearing). */
  rail: Array<[name: string, line: string, bearing: number | 'hsr', offset: number]>;
  water: Array<[name: string, bearing: number, offset: number, width: number]>;
  zones: Array<[name: string, use: LandUse, dx: number, dy: number, w: number, h: number, owner: 'NHSRCL' | 'railways' | 'state' | 'private', closed: boolean, lot: number]>;
  /** Voronoi seeds of the estimate zones (sites whose census zones are real ward polygons have none). */
  seeds?: XY[];
  band: [number, number];
}

const WR = 'Western Railway main line (Indian Railways)';
const SITES: Record<string, StationSite> = {
  MAH01: { kind: 'urban', builtUp: 0.95, rich: false, band: [120000, 320000],
    roads: [['Western Express Highway', 'trunk', 0, -1700, 2600, 60], ['Bandra–Kurla Complex Road', 'secondary', 70, -150, 1600, 40], ['Santacruz–Chembur Link Road', 'primary', 80, -1300, 2600, 80], ['Lal Bahadur Shastri Marg', 'primary', 15, 1900, 2600, 50], ['Sion–Bandra Link Road', 'secondary', 115, 900, 2200, -60]],
    rail: [['Western Railway suburban line', 'Western Railway', 0, -2250], ['Central Railway suburban line', 'Central Railway', 20, 1650]],
    water: [['Mithi River', 50, -550, 70]],
    zones: [['BKC HSR station (NHSRCL)', 'transport', 0, 0, 460, 140, 'NHSRCL', true, 200], ['Bandra–Kurla Complex offices', 'office', 300, -500, 900, 500, 'state', false, 90]], },
  MAH02: { kind: 'urban', builtUp: 0.39, rich: true, band: [25000, 60000],
    roads: [['Mumbra Bypass', 'primary', 160, -1200, 2400, 80], ['Shil–Diva Road', 'secondary', 90, -600, 2400, 40], ['Kalyan–Shil Road', 'primary', 20, 1200, 2400, 60]],
    rail: [['Central Railway main line (Thane–Kalyan)', 'Central Railway', 60, -1700]],
    water: [],
    zones: [['Thane HSR station (NHSRCL)', 'transport', 0, 0, 420, 130, 'NHSRCL', true, 200], ['Thane HSR rolling stock depot (NHSRCL)', 'transport', -900, 900, 700, 400, 'NHSRCL', true, 300]],
    seeds: [[400, 1300], [-1300, 300], [1200, -800], [-300, -1400]] },
  MAH03: { kind: 'urban', builtUp: 0.22, rich: false, band: [9000, 35000],
    roads: [['Virar–Manvelpada Road', 'secondary', 0, -1000, 2200, 50], ['Chandansar Road', 'tertiary', 100, 300, 2200, 40], ['Mumbai–Ahmedabad Highway (NH 48)', 'trunk', 10, 1800, 2400, 60]],
    rail: [['Western Railway suburban line (Virar)', 'Western Railway', 0, -1600]],
    water: [],
    zones: [['Virar HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-1200, 200], [600, 1100], [900, -1200]] },
  MAH04: { kind: 'greenfield', builtUp: 0.34, rich: false, band: [1500, 15000],
    roads: [['Boisar–Tarapur Road', 'secondary', 270, 200, 2200, 60], ['Palghar–Boisar Road', 'secondary', 170, -800, 2200, 40]],
    rail: [[WR, 'Western Railway', 5, -1500]],
    water: [],
    zones: [['Boisar HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-1300, 300], [700, 900], [600, -1200]] },
  MAH05: { kind: 'greenfield', builtUp: 0.78, rich: false, band: [3000, 25000],
    roads: [['Mumbai–Ahmedabad Highway (NH 48)', 'trunk', 10, -1200, 2400, 60], ['Vapi–Daman Road', 'secondary', 260, -400, 2200, 40]],
    rail: [[WR, 'Western Railway', 15, -1900]],
    water: [['Damanganga River', 100, -1500, 120]],
    zones: [['Vapi HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-1300, -600], [600, 300], [300, -1500]] },
  MAH06: { kind: 'greenfield', builtUp: 0.39, rich: false, band: [1500, 15000],
    roads: [['Bilimora–Chikhli Road', 'secondary', 80, 300, 2200, 50], ['Gandevi Road', 'tertiary', 160, -600, 2200, 40]],
    rail: [[WR, 'Western Railway', 15, -1600]],
    water: [['Ambika River', 90, -1400, 120]],
    zones: [['Bilimora HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-1400, 400], [500, 700], [800, -900]] },
  MAH07: { kind: 'greenfield', builtUp: 0.28, rich: true, band: [1500, 18000],
    roads: [['Mumbai–Ahmedabad Highway (NH 48)', 'trunk', 30, 1500, 2600, 60], ['Kadodara–Bardoli Road', 'secondary', 90, -1200, 2600, 50], ['Antroli–Palsana Road', 'tertiary', 10, -700, 2400, 40]],
    rail: [],
    water: [],
    zones: [['Surat HSR station (NHSRCL)', 'transport', 0, 0, 450, 130, 'NHSRCL', true, 200], ['Surat HSR rolling stock depot (NHSRCL)', 'transport', 1000, -900, 800, 420, 'NHSRCL', true, 300]],
    seeds: [[-300, 300], [1500, 1300], [-1300, -1200], [1200, -1500]] },
  MAH08: { kind: 'greenfield', builtUp: 0.36, rich: false, band: [1500, 15000],
    roads: [['Mumbai–Ahmedabad Highway (NH 48)', 'trunk', 15, 1600, 2200, 60], ['Bharuch–Dahej Road', 'secondary', 260, -900, 2200, 50]],
    rail: [],
    water: [],
    zones: [['Bharuch HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-200, 400], [-1300, -1000], [1200, -1200]] },
  MAH09: { kind: 'urban', builtUp: 0.45, rich: true, band: [18000, 70000],
    roads: [['R C Dutt Road', 'primary', 95, 300, 2400, 60], ['Old Padra Road', 'secondary', 120, 1300, 2200, 40], ['Sayajigunj Station Road', 'secondary', 100, 150, 2000, 30], ['Jetalpur Road', 'secondary', 160, 900, 2200, 40], ['Fatehgunj Main Road', 'secondary', 0, 700, 2400, 40]],
    rail: [[WR, 'Western Railway', 'hsr', 40]],
    water: [['Vishwamitri River', 350, 1250, 50]],
    zones: [['Vadodara Junction (Indian Railways)', 'transport', 0, 0, 700, 180, 'railways', true, 250], ['Sayaji Baug (Kamati Baug)', 'open_space', 1100, 100, 500, 400, 'state', true, 600], ['Maharaja Sayajirao University', 'civic', 500, 800, 700, 400, 'state', true, 150]], },
  MAH10: { kind: 'greenfield', builtUp: 0.52, rich: false, band: [3000, 25000],
    roads: [['Anand–Vidyanagar Road', 'secondary', 20, 500, 2200, 40], ['Ahmedabad–Vadodara Expressway (NE 1)', 'motorway', 40, -1500, 2400, 0], ['Anand–Sojitra Road', 'secondary', 240, -200, 2200, 40]],
    rail: [[WR, 'Western Railway', 40, 600]],
    water: [],
    zones: [['Anand HSR station (NHSRCL)', 'transport', 0, 0, 400, 120, 'NHSRCL', true, 200]],
    seeds: [[-500, -900], [1300, 600], [-1000, 900]] },
  MAH11: { kind: 'urban', builtUp: 0.64, rich: true, band: [20000, 85000],
    roads: [['Relief Road', 'primary', 270, 0, 2200, 30], ['Gandhi Road', 'secondary', 275, -500, 2200, 30], ['Kalupur–Saraspur Road', 'secondary', 90, 200, 2200, 40], ['Sardar Patel Road (Asarwa)', 'secondary', 10, 900, 2400, 50], ['Ashram Road', 'primary', 5, -2100, 2400, 40]],
    rail: [[WR, 'Western Railway', 'hsr', -250]],
    water: [['Sabarmati River', 8, -2550, 300]],
    zones: [['Ahmedabad Junction (Indian Railways)', 'transport', -250, 0, 800, 200, 'railways', true, 250], ['Ahmedabad HSR station (NHSRCL)', 'transport', 0, 0, 420, 110, 'NHSRCL', true, 200], ['Walled City (Old Ahmedabad)', 'mixed_use', -1200, -200, 1400, 1600, 'private', false, 60]], },
  // Sabarmati Junction and the Gandhi Ashram are both on the river's west bank (the ashram between
  // the Central Jail and the river); the HSR terminal lies in the yard between the broad-gauge
  // station (east) and the metre-gauge station (west). Sources in sources.json (mahsr.sites.MAH12).
  MAH12: { kind: 'urban', builtUp: 0.57, rich: true, band: [18000, 60000],
    roads: [['Ahmedabad–Gandhinagar Highway', 'trunk', 25, 750, 2400, 60], ['Ashram Road', 'primary', 210, 276, 2400, 0], ['Sabarmati–Chandkheda Road', 'secondary', 0, -300, 2400, 40], ['Dharmnagar Road', 'tertiary', 90, -900, 2000, 30]],
    rail: [['Western Railway (Sabarmati Junction)', 'Western Railway', 0, -50]],
    water: [['Sabarmati River', 30, 256, 300]],
    zones: [['Sabarmati HSR terminal and multimodal hub (NHSRCL)', 'transport', -150, 0, 450, 150, 'NHSRCL', true, 200], ['Sabarmati HSR rolling stock depot (NHSRCL)', 'transport', -900, 1350, 800, 450, 'NHSRCL', true, 300], ['Sabarmati (Gandhi) Ashram', 'civic', -720, -1180, 350, 250, 'state', true, 200]], },
};

const OWNER: Record<string, { ownership: 'public' | 'private'; ownerType: ZoneSpec['ownerType']; name?: string }> = {
  NHSRCL: { ownership: 'public', ownerType: 'NHSRCL', name: 'National High Speed Rail Corporation Ltd' },
  railways: { ownership: 'public', ownerType: 'railways', name: 'Indian Railways (Western Railway)' },
  state: { ownership: 'public', ownerType: 'state', name: 'Government land' },
  private: { ownership: 'private', ownerType: 'private' },
};

type Fabric = Pick<SiteSpec, 'frontageUse' | 'interiorUse' | 'stock'> & { rules: FabricRules };
// Land uses of the built blocks; builtUp leaves the other blocks unbuilt (fieldShare).
const URBAN: Fabric = {
  rules: { collectorGap: [280, 480], soiGap: [50, 120], soiLength: [150, 550], joinChance: 0.5, branchChance: 0.7, frontage: [50, 95], depth: [45, 80], interiorLotScale: 2.2, blockTolerance: 3, soiValue: [0, 0], soiNaming: 'lane' },
  // Shops with flats above on the main roads, four- to seven-storey housing society blocks and
  // chawl-like rows of two to four floors behind them, a few towers near the station.
  stock: {
    coverage: { residential: 0.4, commercial: 0.55, office: 0.4, mixed_use: 0.55, industrial: 0.45, civic: 0.3, transport: 0.25 },
    house: [1, 2], row: [2, 4], rowShare: [0.6, 0.3], walkUp: [0.12, 4, 7],
    shop: [1, 2], office: [4, 12], industrial: [1, 2], civic: [1, 3], transport: [1, 2],
    tower: { chance: 0.08, floors: [10, 25], coverage: 0.25, minArea: 2500 },
  },
  frontageUse: { commercial: 0.35, mixed_use: 0.3, residential: 0.25, office: 0.05, civic: 0.05 },
  interiorUse: { residential: 0.75, mixed_use: 0.07, commercial: 0.05, industrial: 0.05, civic: 0.05, open_space: 0.03 },
};
const GREENFIELD: Fabric = {
  rules: { collectorGap: [600, 1100], soiGap: [140, 380], soiLength: [200, 700], joinChance: 0.3, branchChance: 0.4, frontage: [100, 200], depth: [120, 220], interiorLotScale: 1.5, blockTolerance: 4, soiValue: [0, 0], soiNaming: 'lane' },
  // Village houses of one or two floors in large yards, sheds and small works along the roads.
  stock: {
    coverage: { residential: 0.2, commercial: 0.35, office: 0.35, mixed_use: 0.35, industrial: 0.35, civic: 0.2, transport: 0.2 },
    house: [1, 2], row: [2, 3], rowShare: [0.3, 0.05], walkUp: [0.02, 3, 5],
    shop: [1, 2], office: [3, 6], industrial: [1, 2], civic: [1, 2], transport: [1, 1],
    tower: { chance: 0.02, floors: [8, 14], coverage: 0.2, minArea: 4000 },
  },
  frontageUse: { commercial: 0.25, residential: 0.4, industrial: 0.2, civic: 0.07, mixed_use: 0.08 },
  interiorUse: { residential: 0.6, industrial: 0.2, civic: 0.06, open_space: 0.08, commercial: 0.06 },
};

// Each census zone's fabric at its own density (lib/census-fit.ts): 17 m² of residential floor per
// resident (about 75 m² per household of 4.4, inside the 65-95 m² band of the README), the Indian
// employment densities of the scenario defaults x 1.5 (shops hold storage and family space).
const CENSUS_FIT: SiteSpec['censusFit'] = { m2PerResident: 17, m2PerJob: { commercial: 22.5, office: 15, civic: 37.5, industrial: 60 }, mixedResidentialShare: 0.6, maxCoverage: 0.6, maxFloors: 7 };

/** Land-use weights with a share of vacant lots among the built blocks (cleared plots, yards for sale). */
function withVacant(uses: Partial<Record<LandUse, number>>, built: number): Partial<Record<LandUse, number>> {
  const total = Object.values(uses).reduce((a, b) => a + (b ?? 0), 0);
  const out: Partial<Record<LandUse, number>> = { vacant: 1 - built };
  for (const [k, v] of Object.entries(uses)) out[k as LandUse] = ((v ?? 0) / total) * built;
  return out;
}

export interface CorridorStation { id: string; name: string; lonLat: Position }

export function corridorStations(): CorridorStation[] {
  return loadSources().mahsr.stations.map((s) => ({ id: s.id, name: s.name, lonLat: [s.lon, s.lat] }));
}

/** The alignment: stations in order with the waypoints between them. */
export function alignment(): Position[] {
  return corridorStations().flatMap((s) => [s.lonLat, ...ALIGNMENT_WAYPOINTS[s.id]]);
}

export function mahsrSite(id: string): SiteSpec {
  const src = loadSources().mahsr;
  const st = src.stations.find((s) => s.id === id)!;
  const cfg = SITES[id];
  const frame = createFrame(st.lon, st.lat);
  const radius = MAHSR_RADIUS;
  const extent = radius + 400;
  const m = (pts: XY[]) => pts.map((p) => frame.toLonLat(p));
  const line = (bearing: number, offset: number, half: number, bend: number): Position[] => {
    const b = (bearing * Math.PI) / 180;
    const d: XY = [Math.sin(b), Math.cos(b)], n: XY = [Math.cos(b), -Math.sin(b)];
    const pts: XY[] = [];
    for (let k = 0; k <= 6; k++) {
      const t = -1 + k / 3;
      const lat = offset + bend * Math.sin(Math.PI * (k / 6));
      pts.push([d[0] * half * t + n[0] * lat, d[1] * half * t + n[1] * lat]);
    }
    return m(pts);
  };
  const type = cfg.kind === 'urban' ? URBAN : GREENFIELD;
  const [lo, hi] = cfg.band;
  const value = (h: string) => (h === 'trunk' || h === 'primary' ? hi * 0.8 : h === 'secondary' ? lo + (hi - lo) * 0.55 : lo + (hi - lo) * 0.35);
  const roads: RoadSpec[] = cfg.roads.map(([name, highway, bearing, offset, half, bend]) => ({
    name, highway, path: line(bearing, offset, half, bend), value: highway === 'motorway' ? 0 : value(highway), ...(highway === 'motorway' ? { sois: false } : {}),
  }));
  const rail: RailSpec[] = cfg.rail.map(([name, lineName, bearing, offset]) => ({
    line: lineName, name, status: 'operating', grade: 'at_grade', path: line(bearing === 'hsr' ? hsrBearing(id) : bearing, offset, extent * 1.2, 0), barrier: true,
  }));
  const water: WaterSpec[] = cfg.water.map(([name, bearing, offset, width]) => ({ name, path: line(bearing, offset, extent * 1.2, 60), width }));
  const zones: ZoneSpec[] = cfg.zones.map(([name, use, dx, dy, w, h, owner, closed, lot]) => {
    const o = OWNER[owner];
    const landUse: Partial<Record<LandUse, number>> = use === 'mixed_use' ? { mixed_use: 0.45, residential: 0.3, commercial: 0.2, civic: 0.05 } : use === 'office' ? { office: 0.6, commercial: 0.2, vacant: 0.1, civic: 0.1 } : { [use]: 1 };
    // Stations and junctions lie along the line: their long side (w) follows the alignment.
    const along = (owner === 'NHSRCL' || owner === 'railways') && !/depot/i.test(name);
    const b = along ? (hsrBearing(id) * Math.PI) / 180 : Math.PI / 2;
    const u: XY = [Math.sin(b), Math.cos(b)], v: XY = [Math.cos(b), -Math.sin(b)];
    const corner = (a: number, c: number): XY => [dx + u[0] * a * w / 2 + v[0] * c * h / 2, dy + u[1] * a * w / 2 + v[1] * c * h / 2];
    return {
      name, polygon: m([corner(-1, -1), corner(1, -1), corner(1, 1), corner(-1, 1)]),
      landUse, ownership: o.ownership, ownerType: o.ownerType, ownerName: o.name, lot, floors: use === 'office' ? [6, 20] : use === 'mixed_use' ? [2, 5] : [1, 3],
      value: [lo + (hi - lo) * 0.3, lo + (hi - lo) * 0.7], closed,
    };
  });
  const wards = src.census.zones.filter((z) => z.site === id);
  return {
    key: id,
    title: `${st.name} HSR station`,
    center: [st.lon, st.lat],
    radius,
    extent,
    buildingRadius: cfg.rich ? 700 : 0,
    roads,
    rail,
    stations: [{ id, name: st.name, nameLocal: st.name_local, line: st.line, lonLat: [st.lon, st.lat], source: st.source, entrances: [{ name: 'Entrance A', dx: -60, dy: 25 }, { name: 'Entrance B', dx: 60, dy: -25 }] }],
    zones,
    water,
    census: wards.map((z, i) => (z.feature ? realCensusSpec(z, src.census.basis)
      : { id: z.zone_id, name: z.name, nameLocal: z.name_local, seed: frame.toLonLat(cfg.seeds![i]), population: z.population, households: z.households, jobs: z.jobs, basis: src.census.basis })),
    rules: { ...type.rules, soiValue: [lo, lo + (hi - lo) * 0.35] },
    stock: type.stock,
    fieldShare: 1 - cfg.builtUp,
    frontageUse: withVacant(type.frontageUse, 0.95),
    interiorUse: withVacant(type.interiorUse, 0.95),
    publicOwner: 'Government land',
    valueRange: [lo, hi],
    censusFit: CENSUS_FIT,
  };
}

export const MAHSR_IDS = Object.keys(SITES);

/** The alignment's bearing through a station (degrees from north), from its neighbouring points. */
function hsrBearing(id: string): number {
  const pts = alignment();
  const st = corridorStations().find((s) => s.id === id)!;
  const i = pts.findIndex((p) => p[0] === st.lonLat[0] && p[1] === st.lonLat[1]);
  const a = pts[Math.max(0, i - 1)], b = pts[Math.min(pts.length - 1, i + 1)];
  const f = createFrame(st.lonLat[0], st.lonLat[1]);
  const [ax, ay] = f.toXY(a), [bx, by] = f.toXY(b);
  return (Math.atan2(bx - ax, by - ay) * 180) / Math.PI;
}
