/**
 * The Mumbai–Ahmedabad HSR corridor sample: one project holding the whole alignment and a site
 * around each of the 12 stations (parcels carry the station they belong to), so a corridor-wide
 * comparison, a catchment per station and a report for all of them work on one file.
 */
import type { Feature } from '../../core/io/types.js';
import { buildSite, type SiteFeatures } from '../lib/build.js';
import { layerData } from '../lib/layers.js';
import { createRng } from '../lib/prng.js';
import { loadSources, positionSummary } from '../lib/sources.js';
import { growthSettings, writeSample, type SampleLayer } from '../lib/write.js';
import { alignment, MAHSR_IDS, mahsrSite } from '../sites/mahsr.js';

export function writeMahsr(path: string, clock: string): string {
  const src = loadSources().mahsr;
  const rng = createRng(20260101).fork('mahsr');
  const all: SiteFeatures = { stations: [], entrances: [], rail: [], network: [], parcels: [], buildings: [], census: [], zones: [] };
  for (const id of MAHSR_IDS) {
    const f = buildSite(mahsrSite(id), rng.fork(id), id);
    for (const k of Object.keys(all) as Array<keyof SiteFeatures>) all[k].push(...f[k]);
  }
  const corridor: Feature = {
    geometry: { type: 'LineString', coordinates: alignment() },
    properties: { line: 'MAHSR', name: src.lengths[0].name, status: 'under_construction', grade: 'elevated' },
  };
  const lv = src.land_value;
  const layers: SampleLayer[] = [
    { data: layerData('stations', all.stations), role: 'stations', title: 'HSR stations',
      note: `REAL: the 12 MAHSR stations (NHSRCL) with Marathi/Gujarati names; positions from the citation table sample-data/sources.json, which gives each position's source: ${positionSummary(src.stations)}. Cited positions are Wikipedia infobox coordinates; derived ones take the coordinate of the Indian Railways junction NHSRCL builds the station over or beside; approximate ones are read from OpenStreetMap and NHSRCL's site descriptions. Checked against the Indian Railways station list (datameet/railways, CC0): Vadodara and Ahmedabad are within 100 m of their junction's point, Sabarmati 169 m (the terminal is in the yard between the broad- and metre-gauge stations).` },
    { data: layerData('entrances', all.entrances), role: 'entrances', title: 'Station entrances',
      note: 'SYNTHETIC: two entrances 65 m either side of each station point (station designs not yet public in detail).' },
    { data: layerData('rail', [corridor, ...all.rail]), role: 'rail', title: 'Rail lines',
      note: `REAL, sketched: the MAHSR alignment through the 12 stations and waypoints where the line swings (the BKC–Shilphata tunnel, creek and river crossings); its length is within 3 % of the cited ${src.lengths[0].metres / 1000} km (${src.lengths[0].source}). Existing Indian Railways lines near the stations drawn as straight sketches by bearing from the station.` },
    { data: layerData('network', all.network), role: 'network', title: 'Walk network',
      note: 'REAL names and rough courses of the main roads near each station (NH 48, Western Express Highway, Relief Road, R C Dutt Road, Ashram Road, ...), drawn as sketches by bearing and offset from the station. SYNTHETIC lanes: collector lanes every 280-480 m in the cities and 600-1,100 m at the greenfield stations, then lanes every 50-120 m and 140-380 m, joining another road with probability 0.3-0.5 or ending as dead ends; never crossing railway lines or rivers; names invented ("<road> Lane n").' },
    { data: layerData('parcels', all.parcels), role: 'parcels', title: 'Parcels',
      note: `SYNTHETIC lots (Voronoi cells of seeded points traced on a 4 m raster, fronting the lanes): 45-95 m lots in the cities, 100-220 m agricultural plots at the greenfield stations (agricultural land is land_use "vacant"); the station field names the HSR station of the site. Floors and coverage by rule: in the cities rows of 2-4 floors and housing-society blocks of 4-7, at the greenfield stations village houses of 1-2 floors in large yards; a share of each site's blocks is built on, the others left as fields or cleared land (vacant) but for their arterial frontage, set so that the stock houses the census estimate at 65-95 m² per household (sample-data/README.md). REAL land named approximately: NHSRCL station precincts and the Thane, Surat and Sabarmati rolling-stock depots, Indian Railways junctions, Sayaji Baug, MSU, Sabarmati Ashram, the walled city of Ahmedabad. land_value ${lv.unit} in the range of ${lv.source}. owner_name values ("Owner 004321") are fake personal data, there to exercise the privacy rules.` },
    { data: layerData('buildings', all.buildings), role: 'buildings', title: 'Buildings (around the richer stations)',
      note: 'SYNTHETIC: footprints within 700 m of Thane, Surat, Vadodara, Ahmedabad and Sabarmati stations, each parcel shrunk to its site coverage; height = floors x 3.3 m + 1.2 m.' },
    { data: layerData('census', all.census), role: 'census', title: 'Census wards and villages (2011)',
      note: `REAL units: BMC electoral wards at BKC, municipal wards at Vadodara, Ahmedabad and Sabarmati, Census 2011 wards, towns and villages elsewhere. ${src.census.basis} Attribution: ward boundaries and BMC ward populations from datameet/Municipal_Spatial_Data (Mumbai and Ahmedabad folders CC BY-SA 2.5 IN, Vadodara CC BY 4.0); this layer, derived from them, is shared under CC BY-SA 2.5 IN; copies and licences in sample-data/realdata.` },
  ];
  writeSample(path, {
    name: 'Mumbai–Ahmedabad HSR corridor - sample', country: 'IN', currency: 'INR', priceYear: 2024,
    client: 'National High Speed Rail Corporation Ltd (sample)', center: [72.88, 21.07],
  }, layers, clock, {
    station: 1.14e11, infrastructure: 6e10, startYear: 0, years: 6,
    source: 'Stations: INR 3,681 crore for the BKC underground station (contract C-1, HCC-MEIL JV, Livemint 14 March 2023; core/lvc/sample-figures.json), the only station with a published contract value, plus a SAMPLE ASSUMPTION of INR 700 crore for each of the 11 elevated stations (their cost sits in the viaduct packages) = INR 11,381 crore; the whole 508 km project is INR 1.08 lakh crore (NHSRCL, 2015). Infrastructure: SAMPLE ASSUMPTION of INR 6,000 crore for station-area access roads and utilities. Spent over years 0-5. Replace with NHSRCL\'s figures.',
  }, growthSettings('mahsr-corridor'), 'mahsr-corridor');
  return path;
}
