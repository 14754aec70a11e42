/** The Bang Sue sample project: one site around Krung Thep Aphiwat Central Terminal. */
import { buildSite } from '../lib/build.js';
import { layerData } from '../lib/layers.js';
import { createRng } from '../lib/prng.js';
import { loadSources, positionSummary } from '../lib/sources.js';
import { growthSettings, writeSample, type SampleLayer } from '../lib/write.js';
import { bangSueSite } from '../sites/bang-sue.js';

export function writeBangSue(path: string, clock: string, radius?: number): string {
  const full = bangSueSite();
  const site = radius ? { ...full, radius, extent: Math.min(full.extent, radius + 400), buildingRadius: Math.min(full.buildingRadius, radius) } : full;
  const src = loadSources()['bang-sue'];
  const f = buildSite(site, createRng(20260101).fork('bang-sue'), 'BS');
  const lv = src.land_value;
  const maxGtfs = Math.round(Math.max(...src.stations.map((s) => s.published?.metres ?? 0)));
  const layers: SampleLayer[] = [
    { data: layerData('stations', f.stations), role: 'stations', title: 'Stations',
      note: `REAL: station names and positions from the citation table sample-data/sources.json, which gives each position's source: ${positionSummary(src.stations)}. Cited positions are Wikipedia infobox coordinates or stops of the Namtang GTFS feed (Office of Transport and Traffic Policy and Planning, feed_version 20230422, via asiripanich/bangkok-gtfs; no licence stated); approximate ones are OpenStreetMap readings. Every station is within 100 m of its Namtang GTFS stop (${maxGtfs} m at most; sources.json "published"). Thai names are the official station names.` },
    { data: layerData('entrances', f.entrances), role: 'entrances', title: 'Station entrances',
      note: 'SYNTHETIC positions: entrances placed 40-300 m around each station point (terminal entrances on its real sides: Thoet Damri forecourt, Kamphaeng Phet 2 side, south). Station ids are real.' },
    { data: layerData('rail', f.rail), role: 'rail', title: 'Rail lines',
      note: 'REAL alignments, sketched: SRT Dark Red and Light Red Lines, intercity lines, MRT Blue and Purple Lines, BTS Sukhumvit Line and the planned/under-construction high-speed lines through the terminal, drawn through the cited station positions after OpenStreetMap (accuracy about 100-200 m). The Rama VI Bridge segment has its cited length of 442 m (Wikipedia, Bang Sue District).' },
    { data: layerData('network', f.network), role: 'network', title: 'Walk network',
      note: 'REAL names and rough courses of the arterials (Phahonyothin, Vibhavadi Rangsit, Lat Phrao, Kamphaeng Phet 2/5/6, Thoet Damri, Pradipat, Sutthisan, Rama VI, Pracha Chuen, Pracharat Sai 1/2, Krungthep-Nonthaburi, Techawanit, Wong Sawang; Don Mueang Tollway and Si Rat Expressway as elevated, non-walkable motorways) after OpenStreetMap. SYNTHETIC sois: collector lanes every 350-650 m, then sois every 40-95 m (seeded), 200-800 m deep, joining another road with probability 0.35 or ending as dead ends, never crossing rail corridors, the river, parks or SRT land; names follow Thai soi numbering (odd one side, even the other) but are invented.' },
    { data: layerData('parcels', f.parcels), role: 'parcels', title: 'Parcels',
      note: `SYNTHETIC lots: blocks between roads, rail and water cut into lots fronting the street (frontage 30-60 m, depth 30-56 m) as Voronoi cells of seeded points traced on a 4 m raster. REAL land zones: the SRT land (terminal, development zones A-E, yards, Chatuchak market, Rot Fai park), BMA parks, the Mo Chit 2 bus terminal and the SCG head office, approximated from OpenStreetMap and the published Bang Sue master plan; these are public land (owner_type SRT/state) except SCG. land_use by rule (arterial frontage: mostly commercial/mixed-use shophouses; sois: mostly residential). Floors and coverage by rule: shophouse and townhouse rows of 3-4 floors on the arterials thinning into houses of 1-2 floors with yards in the sois, condominium towers (8-32 floors) only on large lots within 800 m of a station; floor_area = area x coverage x floors, sized so that the stock houses the census at about 110 m² per household (sample-data/README.md). land_value ${lv.unit} in the range of ${lv.source}. owner_name values ("Owner 004321") are fake personal data, there to exercise the privacy rules.` },
    { data: layerData('buildings', f.buildings), role: 'buildings', title: 'Buildings',
      note: 'SYNTHETIC: one footprint per built parcel, the parcel shrunk to its site coverage (residential 30 %, commercial and mixed use 50 %, office 40 %, towers 30 %, ...); height = floors x 3.3 m + 1.2 m.' },
    { data: layerData('census', f.census), role: 'census', title: 'Census zones (khwaeng)',
      note: `REAL boundaries and units: the khwaeng (sub-districts) touching the site, with their Thai names and DOPA geocodes. ${src.census.basis} Attribution: boundaries © Royal Thai Survey Department, distributed by OCHA/HDX (COD-AB Thailand) under CC BY-IGO 3.0; copies and licences in sample-data/realdata.` },
    { data: layerData('development_zones', f.zones), role: 'zones', title: 'SRT development zones (Bang Sue master plan)',
      note: 'APPROXIMATED from the State Railway of Thailand Bang Sue Grand Station development master plan (zones A-E around the terminal, public land); outlines, planned FAR and uses are illustrative, not the gazetted figures.' },
  ];
  writeSample(path, {
    name: 'Bang Sue Grand Station (Krung Thep Aphiwat) - sample',
    country: 'TH', currency: 'THB', priceYear: 2024, client: 'State Railway of Thailand (sample)', center: site.center as [number, number],
  }, layers, clock, {
    station: 32e9, infrastructure: 10e9, startYear: 0, years: 5,
    source: 'Station: THB 29 bn for SRT Red Line Contract 1 (Bang Sue Grand Station and depots, Sino-Thai–Unique JV, 2012; NNT via Pattaya Mail, 2 July 2012; core/lvc/sample-figures.json) escalated about 10 % to 2024 prices (Thai CPI) = THB 32 bn. Infrastructure: SAMPLE ASSUMPTION of THB 10 bn for station-area roads, utilities and public space. Spent over years 0-4. Replace with the audited costs.',
  }, growthSettings('bang-sue'), 'bang-sue');
  return path;
}
