/**
 * Guess a layer's role, which of its fields hold the planning attributes, and which are personal.
 * Guesses only: the user confirms or overrides, and the answer is stored in the project.
 */
import type { GeometryFamily } from '../geo/geometry.js';
import { SEMANTIC_FIELDS, type LayerRole } from '../store/layer-roles.js';
import type { FieldDef, Feature } from './types.js';

const PATTERNS: Record<string, RegExp> = {
  parcel_id: /^(parcel_?id|plot_?(id|no)|lot_?(id|no)|pin|parcel_?no|cadastr.*|deed_?no|survey_?no)$/i,
  land_use: /^(land_?use|landuse|lu|lu_?code|use_?code|use|zoning|zone_?use|luc|lu_type|existing_?use)$/i,
  floor_area: /^(gfa|floor_?area|gfa_?m2|built_?up_?area|bua|floor_?area_?m2|total_?floor_?area|existing_?gfa)$/i,
  far: /^(far|fsi|far_?existing|existing_?far|fsi_?existing|plot_?ratio)$/i,
  floors: /^(floors|storeys|stories|levels|num_?floors|n_?floors|building_?levels|building:levels|floor_?count)$/i,
  land_value: /^(land_?value|lv_?m2|land_?value_?m2|value_?per_?m2|appraisal|appraised_?value|jantri|ready_?reckoner|rr_?rate|price_?m2|land_?price)$/i,
  ownership: /^(owner_?type|ownership|tenure|public_?private|land_?owner_?type|own_?type)$/i,
  owner_name: /^(owner|owner_?name|owners|name_?of_?owner|holder|khatedar|owner_?nm)$/i,
  station_id: /^(station_?id|stn_?id|station_?code|stn_?code|station)$/i,
  name: /^(name|name_?en|name_en|title|label|station_?name|stn_?name|zone_?name|ward_?name|khwaeng|tambon)$/i,
  line: /^(line|line_?name|route|route_?name|service)$/i,
  status: /^(status|state|phase)$/i,
  highway: /^(highway|road_?class|fclass|class|type|road_?type|hwy)$/i,
  bridge: /^(bridge|is_?bridge)$/i,
  tunnel: /^(tunnel|is_?tunnel)$/i,
  layer: /^(layer|z_?level|z_?order)$/i,
  walkable: /^(walkable|walk|pedestrian|foot)$/i,
  zone_id: /^(zone_?id|zone_?code|ward_?(id|code|no)|tract|geocode|khwaeng_?code|code|census_?code)$/i,
  population: /^(pop|population|pop_?total|tot_?pop|total_?pop|persons|residents|pop_?20\d\d|pop20\d\d)$/i,
  households: /^(hh|households|no_?hh|num_?hh|house_?holds|hh_?total)$/i,
  jobs: /^(jobs|employment|employed|workers|emp|jobs_?total|total_?jobs|workplace_?jobs)$/i,
  height: /^(height|height_?m|bldg_?height|building_?height|h)$/i,
};

export function detectFieldMap(role: LayerRole, fields: FieldDef[]): Record<string, string> {
  const out: Record<string, string> = {};
  const taken = new Set<string>();
  for (const semantic of SEMANTIC_FIELDS[role] as readonly string[]) {
    const re = PATTERNS[semantic === 'use' ? 'land_use' : semantic];
    if (!re) continue;
    const hit = fields.find((f) => !taken.has(f.name) && re.test(f.name.trim()));
    if (hit) { out[semantic] = hit.name; taken.add(hit.name); }
  }
  return out;
}

export function detectRole(fileName: string, family: GeometryFamily, fields: FieldDef[]): LayerRole {
  const n = fileName.toLowerCase();
  const has = (re: RegExp) => fields.some((f) => re.test(f.name));
  if (family === 'polygon') {
    if (/parcel|plot|lot|cadast|land/.test(n) || has(PATTERNS.land_use) && (has(PATTERNS.land_value) || has(PATTERNS.far))) return 'parcels';
    if (/census|ward|khwaeng|tambon|tract|zone_pop|district/.test(n) || has(PATTERNS.population)) return 'census';
    if (/build|bldg|footprint/.test(n) || has(PATTERNS.floors) || has(PATTERNS.height)) return 'buildings';
    if (/zon/.test(n)) return 'zones';
    return 'other';
  }
  if (family === 'line') {
    if (/rail|track|alignment|mrt|bts|srt|metro|hsr/.test(n)) return 'rail';
    if (/road|street|walk|network|path|osm|centre|center|soi|highway/.test(n) || has(PATTERNS.highway)) return 'network';
    return 'other';
  }
  if (/entrance|exit|gate/.test(n)) return 'entrances';
  if (/station|stn|stop/.test(n)) return 'stations';
  return 'other';
}

const PERSONAL_NAME = /(owner|holder|khatedar|citizen|national_?id|id_?card|idcard|aadhaa?r|passport|pan_?no|phone|mobile|tel|e-?mail|ชื่อ|เจ้าของ|所有者|氏名|मालिक|નામ)/i;
const PERSONAL_CONTENT: Array<[RegExp, string]> = [
  [/^\d{13}$/, 'values look like Thai national ID numbers (13 digits)'],
  [/^\d{4}\s?\d{4}\s?\d{4}$/, 'values look like Aadhaar numbers (12 digits)'],
  [/^[A-Z]{5}\d{4}[A-Z]$/, 'values look like Indian PAN numbers'],
  [/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i, 'values look like e-mail addresses'],
  [/^\+?\d[\d\s-]{8,14}\d$/, 'values look like phone numbers'],
];

/** Fields that likely hold personal data, with the reason (by name, or by what most values look like). */
export function detectPersonalFields(fields: FieldDef[], features: Feature[]): Record<string, string> {
  const out: Record<string, string> = {};
  const sample = features.slice(0, 500);
  for (const f of fields) {
    if (/ownership|owner_?type|own_?type/i.test(f.name)) continue; // public/private category, not a person
    if (PERSONAL_NAME.test(f.name)) { out[f.name] = `field name "${f.name}" suggests personal data`; continue; }
    if (f.type !== 'TEXT' && f.type !== 'INTEGER') continue;
    const vals = sample.map((x) => x.properties[f.name]).filter((v) => v !== null && v !== undefined && v !== '').map(String);
    if (vals.length < 3) continue;
    for (const [re, why] of PERSONAL_CONTENT) {
      if (vals.filter((v) => re.test(v.trim())).length / vals.length >= 0.8) { out[f.name] = why; break; }
    }
  }
  return out;
}
