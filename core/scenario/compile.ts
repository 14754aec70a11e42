/**
 * Compile a scenario definition into lookup tables indexed by band × land use, checking what the
 * schema alone cannot: overlapping or inverted bands, unknown band or land-use names, absurd caps,
 * splits that do not add up. Pure: no project, no parcels.
 */
import { EkimaeError } from '../errors.js';
import { MAX_FAR, MAX_FLOORS, ScenarioDefSchema, type ScenarioDef, type ScenarioDefInput } from './model.js';
import { isLandUse, LAND_USES, LU, NON_NET_LAND_USES, NU } from './vocabulary.js';

/** Land uses a rule without `landUses` covers: open space, water and transport only when named. */
export const DEFAULT_RULE_USES: readonly string[] = LAND_USES.filter((u) => !NON_NET_LAND_USES.includes(LU[u]));

/** Reserved band name for parcels beyond every band or not reached by the walk network. */
export const OUTSIDE_BAND = 'outside';

export interface CompiledRules {
  /** Number of bands; band index nb is 'outside'. */
  nb: number;
  bandNames: string[];
  bandFrom: Float64Array;
  bandTo: Float64Array;
  /** Per cell (band × land use, NB = nb + 1 rows of NU): 1 when some rule applies. */
  has: Uint8Array;
  far: Float64Array;
  floors: Float64Array;
  coverage: Float64Array;
  openShare: Float64Array;
  /** Floor-area shares: residential, commercial, office, civic (civic last so the four sum to 1). */
  sRes: Float64Array;
  sCom: Float64Array;
  sOff: Float64Array;
  sCiv: Float64Array;
  pkDwelling: Float64Array;
  pk100: Float64Array;
  softSiteFactor: number;
  /** 0 keep, 1 as private, 2 own factor. */
  publicMode: number;
  publicFactor: number;
}

const SPLIT_TOLERANCE = 1e-6;

function invalid(message: string, details: Record<string, unknown>): never {
  throw new EkimaeError('E_SCENARIO_INVALID', message, details);
}

/** Validate (schema first, so the engine is safe when called directly) and compile. */
export function compileRules(input: ScenarioDef | ScenarioDefInput): CompiledRules {
  const parsed = ScenarioDefSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const path = i.path.join('.');
    if (/maxFar|maxFloors/.test(path)) {
      invalid(`scenario "${(input as { name?: string }).name ?? '?'}": ${path} ${i.message} (FAR must be 0–${MAX_FAR}, floors 0–${MAX_FLOORS})`, { path, issues: parsed.error.issues.map((x) => ({ path: x.path.map(String), message: x.message })) });
    }
    invalid(`scenario "${(input as { name?: string }).name ?? '?'}": ${path || 'scenario'}: ${i.message}`, { path, issues: parsed.error.issues.map((x) => ({ path: x.path.map(String), message: x.message })) });
  }
  const def = parsed.data;
  const where = `scenario "${def.name}"`;

  const names = new Set<string>();
  for (const b of def.bands) {
    if (b.name === OUTSIDE_BAND) invalid(`${where}: band name "${OUTSIDE_BAND}" is reserved for parcels beyond every band`, { band: b.name });
    if (names.has(b.name)) invalid(`${where}: two bands are named "${b.name}"`, { band: b.name });
    names.add(b.name);
    if (!(b.toM > b.fromM)) invalid(`${where}: band "${b.name}" ends (${b.toM} m) at or before it starts (${b.fromM} m)`, { band: b.name });
  }
  const sorted = [...def.bands].sort((a, b) => a.fromM - b.fromM);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].fromM < sorted[i - 1].toM) {
      throw new EkimaeError('E_BANDS_OVERLAP', `${where}: band "${sorted[i].name}" (${sorted[i].fromM}–${sorted[i].toM} m) overlaps "${sorted[i - 1].name}" (${sorted[i - 1].fromM}–${sorted[i - 1].toM} m)`,
        { bands: [sorted[i - 1].name, sorted[i].name] });
    }
  }

  const nb = sorted.length;
  const NB = nb + 1;
  const cells = NB * NU;
  const out: CompiledRules = {
    nb, bandNames: [...sorted.map((b) => b.name), OUTSIDE_BAND],
    bandFrom: Float64Array.from(sorted, (b) => b.fromM), bandTo: Float64Array.from(sorted, (b) => b.toM),
    has: new Uint8Array(cells), far: new Float64Array(cells), floors: new Float64Array(cells), coverage: new Float64Array(cells),
    openShare: new Float64Array(cells), sRes: new Float64Array(cells), sCom: new Float64Array(cells), sOff: new Float64Array(cells),
    sCiv: new Float64Array(cells), pkDwelling: new Float64Array(cells), pk100: new Float64Array(cells),
    softSiteFactor: def.softSiteFactor,
    publicMode: def.publicLand.mode === 'keep' ? 0 : def.publicLand.mode === 'asPrivate' ? 1 : 2,
    publicFactor: def.publicLand.softSiteFactor,
  };
  const bandIndex = new Map(out.bandNames.map((n, i) => [n, i]));

  def.rules.forEach((r, ri) => {
    const at = `${where}, rule ${ri + 1}`;
    const sum = r.split.residential + r.split.commercial + r.split.office + r.split.civic;
    if (Math.abs(sum - 1) > SPLIT_TOLERANCE) invalid(`${at}: the floor-area split adds up to ${sum}, not 1`, { rule: ri, sum });
    const bands = r.bands ?? out.bandNames.slice(0, nb);
    const uses = r.landUses ?? DEFAULT_RULE_USES;
    for (const b of bands) if (!bandIndex.has(b)) invalid(`${at}: no band named "${b}" (bands: ${out.bandNames.join(', ')})`, { rule: ri, band: b });
    for (const u of uses) {
      if (!isLandUse(u)) throw new EkimaeError('E_LAND_USE_UNKNOWN', `${at}: "${u}" is not a land use (one of ${LAND_USES.join(', ')})`, { rule: ri, landUse: u });
    }
    for (const b of bands) {
      for (const u of uses) {
        const c = bandIndex.get(b)! * NU + LU[u as keyof typeof LU];
        out.has[c] = 1;
        out.far[c] = r.maxFar;
        out.floors[c] = r.maxFloors;
        out.coverage[c] = r.coverage;
        out.openShare[c] = r.openSpaceShare;
        out.sRes[c] = r.split.residential;
        out.sCom[c] = r.split.commercial;
        out.sOff[c] = r.split.office;
        out.sCiv[c] = 1 - r.split.residential - r.split.commercial - r.split.office;
        if (out.sCiv[c] < 0) out.sCiv[c] = 0;
        out.pkDwelling[c] = r.parking.perDwelling;
        out.pk100[c] = r.parking.per100m2NonResidential;
      }
    }
  });
  return out;
}

/** Land uses named by the rules that no parcel carries: not an error (rules are reusable), but worth saying. */
export function unusedLandUses(def: ScenarioDef, present: Set<number>): string[] {
  const named = new Set(def.rules.flatMap((r) => r.landUses ?? []));
  return [...named].filter((u) => isLandUse(u) && !present.has(LU[u])).sort();
}
