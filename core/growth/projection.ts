/**
 * Per-parcel projection of a scenario by horizon year, for maps and band charts: what stands, plus
 * the built share of each horizon × (capacity − what stands) on the parcels the scenario's rules
 * change; capacity itself as the explicit alternative. The shares are the take-up's (stored, when
 * the latest run is of this scenario version, parcel layer and growth settings; else computed and
 * not stored, as reading a figure should not write the project).
 */
import { EkimaeError } from '../errors.js';
import type { Project } from '../store/project.js';
import type { Assumptions } from '../scenario/assumptions.js';
import { EXISTING_DEF } from '../scenario/defaults.js';
import type { ScenarioDef } from '../scenario/model.js';
import { prepareParcels, type PreparedParcels } from '../scenario/prepare.js';
import { evaluateScenario, type DistanceColumns } from '../scenario/run.js';
import { landValues } from './land-value.js';
import { getGrowth, latestTakeUpShares } from './store.js';
import { takeUp } from './takeup.js';

/** The columns a projection needs, per parcel in layer order. */
export interface ProjectionColumns {
  /** Parcel area in m² (FAR = floor area / area; NaN where the area is not positive). */
  area: Float64Array;
  /** What stands (Existing) and what the scenario's rules allow (capacity). */
  exFloorArea: Float64Array; exResidents: Float64Array; exJobs: Float64Array;
  capFloorArea: Float64Array; capResidents: Float64Array; capJobs: Float64Array;
  /** 1 where the scenario's rules change the parcel (only there does the take-up build). */
  redeveloped: Uint8Array;
  /** The scenario's band of each parcel (0..nb, nb = outside), and the band names. */
  band: Uint8Array;
  bandNames: string[];
  /** Built share of capacity by each horizon, horizon-major: share[h * n + i]. */
  share: Float32Array;
  horizons: number[];
}

export interface BandFigures { floorAreaM2: number; residents: number; jobs: number }

export interface ParcelProjection {
  n: number;
  horizons: number[];
  /** FAR per parcel, columns [horizon 0 … horizon H-1, capacity]: far[c * n + i]. */
  far: Float32Array;
  /** Floor area per parcel, the same layout. */
  floorArea: Float32Array;
  /** Sums per band (scenario's bands then "outside") for each column, then the total. */
  bands: Array<{ band: string; horizons: BandFigures[]; capacity: BandFigures }>;
  total: { horizons: BandFigures[]; capacity: BandFigures };
}

const zero = (): BandFigures => ({ floorAreaM2: 0, residents: 0, jobs: 0 });

/** The arithmetic alone: value at horizon h = what stands + share × (capacity − what stands) where redeveloped. */
export function projectParcels(c: ProjectionColumns): ParcelProjection {
  const n = c.area.length, H = c.horizons.length, C = H + 1;
  if (c.share.length !== n * H) throw new EkimaeError('E_PROJECT_INVALID', `take-up shares: ${c.share.length} for ${n} parcels × ${H} horizons`);
  const far = new Float32Array(C * n), floorArea = new Float32Array(C * n);
  const NB = c.bandNames.length;
  const sums = new Float64Array(NB * C * 3);
  for (let i = 0; i < n; i++) {
    const A = c.area[i];
    const b = Math.min(c.band[i], NB - 1);
    const redev = c.redeveloped[i] === 1;
    for (let col = 0; col < C; col++) {
      let fa: number, res: number, jobs: number;
      if (col === H) { fa = c.capFloorArea[i]; res = c.capResidents[i]; jobs = c.capJobs[i]; }
      else {
        const s = redev ? c.share[col * n + i] : 0;
        fa = c.exFloorArea[i] + s * (c.capFloorArea[i] - c.exFloorArea[i]);
        res = c.exResidents[i] + s * (c.capResidents[i] - c.exResidents[i]);
        jobs = c.exJobs[i] + s * (c.capJobs[i] - c.exJobs[i]);
      }
      floorArea[col * n + i] = fa;
      far[col * n + i] = A > 0 ? fa / A : NaN;
      // Parcels without a valid area count for nothing, as in the scenario's indicators.
      if (!(A > 0) || A === Infinity) continue;
      const o = (b * C + col) * 3;
      sums[o] += fa; sums[o + 1] += res; sums[o + 2] += jobs;
    }
  }
  const fig = (b: number, col: number): BandFigures => {
    const o = (b * C + col) * 3;
    return { floorAreaM2: sums[o], residents: sums[o + 1], jobs: sums[o + 2] };
  };
  const bands = c.bandNames.map((band, b) => ({ band, horizons: c.horizons.map((_, h) => fig(b, h)), capacity: fig(b, H) }));
  const add = (xs: BandFigures[]) => xs.reduce((a, x) => ({ floorAreaM2: a.floorAreaM2 + x.floorAreaM2, residents: a.residents + x.residents, jobs: a.jobs + x.jobs }), zero());
  const total = { horizons: c.horizons.map((_, h) => add(bands.map((x) => x.horizons[h]))), capacity: add(bands.map((x) => x.capacity)) };
  return { n, horizons: c.horizons, far, floorArea, bands, total };
}

export interface ScenarioProjection extends ParcelProjection {
  parcelLayer: string;
  fids: Float64Array;
  baseYear: number;
  /** Where the shares came from, in words ("stored take-up run 4", "computed now (not stored)"). */
  source: string;
}

export interface ProjectionOptions {
  parcelLayer?: string;
  distances: (prep: PreparedParcels) => DistanceColumns;
  assumptions: Assumptions;
  /** A saved scenario (its stored take-up is used when it is current). */
  stored?: { id: string; version: number };
}

const sameFids = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export function scenarioProjection(p: Project, def: ScenarioDef, o: ProjectionOptions): ScenarioProjection {
  const prep = prepareParcels(p, o.parcelLayer);
  const g = getGrowth(p).settings;
  const ev = { parcelLayer: o.parcelLayer, distances: o.distances, assumptions: o.assumptions };
  // evaluateScenario reuses one result buffer per parcel layer: copy Existing's before the scenario runs.
  const exR = evaluateScenario(p, EXISTING_DEF, ev).result;
  const ex = { fa: exR.floorArea.slice(), res: exR.residents.slice(), jobs: exR.jobs.slice() };
  let share: Float32Array | null = null;
  let source = '';
  if (o.stored) {
    const s = latestTakeUpShares(p, o.stored.id);
    if (s && s.stored.version === o.stored.version && s.stored.parcelLayer === prep.layer && sameFids(s.fids, prep.cols.fid)
      && JSON.stringify(s.stored.settings) === JSON.stringify(g)) {
      share = s.share;
      source = `stored take-up run ${s.stored.runId} (${s.stored.createdAt})`;
    }
  }
  if (!share) {
    const t = takeUp(p, def, { parcelLayer: o.parcelLayer, distances: o.distances, assumptions: o.assumptions, growth: g, landValue: (pp) => landValues(p, pp) });
    share = t.share;
    source = 'take-up computed now (not stored)';
  }
  // The take-up evaluated the scenario into the shared buffer too; evaluate it last so the buffer is its.
  const cap = evaluateScenario(p, def, ev);
  const r = cap.result;
  const proj = projectParcels({
    area: prep.cols.area, exFloorArea: ex.fa, exResidents: ex.res, exJobs: ex.jobs,
    capFloorArea: r.floorArea, capResidents: r.residents, capJobs: r.jobs, redeveloped: r.redeveloped,
    band: r.band, bandNames: cap.rules.bandNames, share, horizons: g.horizons,
  });
  return { ...proj, parcelLayer: prep.layer, fids: prep.cols.fid, baseYear: g.baseYear, source };
}
