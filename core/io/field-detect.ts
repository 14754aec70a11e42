/**
 * Guess a layer's role, which of its fields hold the planning attributes, and which are personal.
 * Guesses only: the user confirms or overrides, and the answer is stored in the project.
 */
import type { GeometryFamily } from '../geo/geometry.js';
import { SEMANTIC_FIELDS, type LayerRole } from '../store/layer-roles.js';
import type { FieldDef, Feature } from './types.js';
import { classifyValue, findInText, idShape, type PersonalKind } from './personal-values.js';

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

/** Reasons starting so mark a field to ask about before anything leaves the project (free text). */
export const REVIEW_REASON = 'free text: include or exclude it before exporting or packaging';
export const isReviewReason = (reason: string | null | undefined): boolean => !!reason && reason.startsWith(REVIEW_REASON);

/** How many features personal-data detection looks at, spread evenly over the whole layer. */
export const PERSONAL_SAMPLE = 1000;

/**
 * Every k-th item of a stream of unknown length, k doubling whenever the sample fills up: between
 * half and all of `size` items, evenly spread from the first to the last (IDs that only start at
 * row 5,000 are seen), in one pass and bounded memory.
 */
export class EvenSample<T> {
  readonly items: T[] = [];
  private stride = 1;
  private seen = 0;
  constructor(private size = PERSONAL_SAMPLE) {}
  add(item: T): void {
    if (this.seen++ % this.stride !== 0) return;
    this.items.push(item);
    if (this.items.length >= this.size) {
      let j = 0;
      for (let i = 0; i < this.items.length; i += 2) this.items[j++] = this.items[i];
      this.items.length = j;
      this.stride *= 2;
    }
  }
}

/** An evenly spread sample of an array (the in-memory path). */
export function evenSample<T>(all: readonly T[], size = PERSONAL_SAMPLE): T[] {
  const s = new EvenSample<T>(size);
  for (const x of all) s.add(x);
  return s.items;
}

const KIND_REASON: Record<PersonalKind, string> = {
  'thai-id': 'values are Thai national ID numbers (13 digits, check digit holds)',
  aadhaar: 'values are Aadhaar numbers (12 digits, Verhoeff check digit holds)',
  pan: 'values look like Indian PAN numbers',
  email: 'values look like e-mail addresses',
  phone: 'values look like phone numbers',
  'person-name': 'values look like person names',
};

/** Share of the field's non-empty sampled values (and least number) a kind needs before the field is flagged. */
const KIND_MIN: Record<PersonalKind, [share: number, hits: number]> = {
  // Check digits make a false match rare (1 in 10 random numbers), so a few valid IDs in any share of rows count.
  'thai-id': [0.02, 2], aadhaar: [0.02, 2], pan: [0.02, 2], email: [0.02, 2],
  phone: [0.2, 2], 'person-name': [0.3, 3],
};

/**
 * Fields that likely hold personal data, with the reason (never a value): by name, or by what the
 * values of an even sample of the whole layer are. Free text (long, varied, several words) is
 * flagged with REVIEW_REASON: it may name people and no pattern can tell, so the user decides.
 */
export function detectPersonalFields(fields: FieldDef[], features: Feature[], role?: LayerRole): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const places = role !== undefined && PLACE_ROLES.has(role);
  const sample = features.length > PERSONAL_SAMPLE ? evenSample(features) : features;
  for (const f of fields) {
    if (/ownership|owner_?type|own_?type/i.test(f.name)) continue; // public/private category, not a person
    if (PERSONAL_NAME.test(f.name)) { out[f.name] = `field name "${f.name}" suggests personal data`; continue; }
    if (f.type !== 'TEXT' && f.type !== 'INTEGER') continue;
    const vals: string[] = [];
    for (const x of sample) {
      const v = Object.prototype.hasOwnProperty.call(x.properties, f.name) ? x.properties[f.name] : null;
      if (v !== null && v !== undefined && v !== '') vals.push(String(v).trim());
    }
    // The names of stations, lines, streets and zones are long, varied and wordy, and name no person:
    // on those layers a name field is not free text to ask about (values that look personal still count).
    const why = personalReason(vals, f.type === 'TEXT', !(places && PLACE_NAME_FIELD.test(f.name)));
    if (why) out[f.name] = why;
  }
  return out;
}

/** Layers whose features are places, not people's property. */
const PLACE_ROLES = new Set<LayerRole>(['stations', 'entrances', 'rail', 'network', 'census', 'zones']);
const PLACE_NAME_FIELD = /^(name|name_[a-z]{2,8}|[a-z]+_name|line|lines|route|routes|route_(short|long)_name|stop_name|station|operator|agency)$/i;

function personalReason(vals: string[], text: boolean, freeText = true): string | null {
  const n = vals.length;
  if (!n) return null;
  const hits = new Map<PersonalKind, number>();
  const shapes = { 'thai-id': 0, aadhaar: 0 };
  for (const v of vals) {
    const k = classifyValue(v);
    if (k && (text || k === 'thai-id' || k === 'aadhaar')) hits.set(k, (hits.get(k) ?? 0) + 1);
    const s = idShape(v);
    if (s) shapes[s]++;
  }
  for (const k of ['thai-id', 'aadhaar', 'pan', 'email', 'phone', 'person-name'] as const) {
    const h = hits.get(k) ?? 0;
    const [share, least] = KIND_MIN[k];
    if (h < Math.min(least, n) || h / n < share) continue;
    // Numbers that merely have the ID's length pass the check digit 1 time in 10; IDs pass every time.
    if ((k === 'thai-id' || k === 'aadhaar') && h / shapes[k] < 0.9) continue;
    return KIND_REASON[k];
  }
  // Unchecked shape over most values: IDs typed with a wrong digit are still IDs.
  if (n >= 3 && shapes['thai-id'] / n >= 0.8) return 'values look like Thai national ID numbers (13 digits)';
  if (n >= 3 && shapes.aadhaar / n >= 0.8) return 'values look like Aadhaar numbers (12 digits)';
  if (text && freeText && n >= 3) {
    const distinct = new Set(vals).size;
    const mean = vals.reduce((a, v) => a + v.length, 0) / n;
    const wordy = vals.filter((v) => v.split(/\s+/).length >= 3).length;
    if (distinct / n >= 0.6 && mean >= 25 && wordy / n >= 0.5) {
      const inside = new Set(vals.flatMap(findInText));
      return inside.size ? `${REVIEW_REASON} (some values hold ${[...inside].map((k) => KIND_REASON[k].replace(/^values (are|look like) /, '')).join(', ')})` : REVIEW_REASON;
    }
  }
  return null;
}
