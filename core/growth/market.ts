/**
 * The redevelopment test, per parcel: does the building the rules allow pay for the land it needs?
 * Residual land value = gross development value × (1 − developer margin) − construction −
 * demolition; the landowner sells only above the existing use value (land at its recorded value +
 * the standing building, depreciated) × (1 + premium) — the "EUV plus" benchmark of UK viability
 * practice (Harman 2012, Viability Testing Local Plans; Planning Practice Guidance on viability,
 * 2019). The margin per m² of land ranks the parcels that pass; NaN marks those that fail.
 * Sale values, costs and missing land prices come from the parcel's station and distance band
 * (market.stationValues) where given, else the project-wide figures.
 */
import type { GrowthSettings } from './settings.js';

export interface MarketParcels {
  n: number;
  area: Float64Array;
  /** Land value per m² of land (NaN = unknown: the land counts for nothing in the existing use value). */
  landValue: Float64Array;
  /** Walk distance to the nearest station (m); NaN / Infinity = not reached (no premium). */
  dist: Float64Array;
  /** Existing floor area and the construction-cost class of its use: 0 residential, 1 commercial, 2 office, 3 civic/other. */
  existingFa: Float64Array;
  existingClass: Uint8Array;
  /** The building the rules allow, by use (m²); 0 everywhere for a parcel that keeps what stands. */
  capRes: Float64Array;
  capCom: Float64Array;
  capOff: Float64Array;
  /** 1 = the parcel may take growth at all (capacity beyond what stands, not agricultural, not excluded). */
  eligible: Uint8Array;
  /** Nearest station (index into stationNames, -1 = none): needed only for per-station values. */
  station?: Int32Array;
  stationNames?: string[];
}

/** The market figures; stationValues may be left out (tests, benchmarks, settings stored before it existed). */
export type MarketFigures = Omit<GrowthSettings['market'], 'stationValues'> & Partial<Pick<GrowthSettings['market'], 'stationValues'>>;

const USES = ['residential', 'commercial', 'office'] as const;
const COST_USES = ['residential', 'commercial', 'office', 'civic'] as const;

/**
 * Price group per parcel (0 = project-wide; then each listed station's bands in order) and, per
 * group, sale values (3 uses), construction costs (4 classes) and the land price filling missing values.
 */
export interface MarketPrices { group: Int32Array | null; sale: Float64Array; cost: Float64Array; land: Float64Array }

export function marketPrices(m: MarketParcels, g: MarketFigures): MarketPrices {
  const sv = g.stationValues ?? [];
  const G = 1 + sv.reduce((k, s) => k + s.bands.length, 0);
  const sale = new Float64Array(G * 3), cost = new Float64Array(G * 4), land = new Float64Array(G).fill(NaN);
  const put = (k: number, s: Partial<Record<string, number>> | undefined, c: Partial<Record<string, number>> | undefined, l: number | undefined) => {
    USES.forEach((u, j) => { sale[k * 3 + j] = s?.[u] ?? g.saleValuePerM2[u]; });
    COST_USES.forEach((u, j) => { cost[k * 4 + j] = c?.[u] ?? g.constructionCostPerM2[u]; });
    if (l !== undefined) land[k] = l;
  };
  put(0, undefined, undefined, undefined);
  if (!sv.length || !m.station || !m.stationNames) return { group: null, sale, cost, land };
  const first = new Map<string, number>();
  let k = 1;
  for (const s of sv) {
    first.set(s.station.trim().toLowerCase(), k);
    for (const b of s.bands) put(k++, b.saleValuePerM2, b.constructionCostPerM2, b.landValuePerM2);
  }
  const byStation = m.stationNames.map((nm) => {
    const f = first.get(nm.trim().toLowerCase());
    return f === undefined ? null : { f, bands: sv.find((s) => s.station.trim().toLowerCase() === nm.trim().toLowerCase())!.bands };
  });
  const group = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) {
    const st = m.station[i];
    const e = st >= 0 ? byStation[st] : null;
    if (!e) continue;
    const d = m.dist[i];
    for (let b = 0; b < e.bands.length; b++) if (d <= e.bands[b].maxDistM) { group[i] = e.f + b; break; }
  }
  return { group, sale, cost, land };
}

export function premiumAt(curve: Array<[number, number]>, d: number): number {
  if (!(d >= 0) || d === Infinity) return 0;
  if (d <= curve[0][0]) return curve[0][1];
  for (let k = 1; k < curve.length; k++) {
    if (d <= curve[k][0]) {
      const [x0, y0] = curve[k - 1], [x1, y1] = curve[k];
      return x1 === x0 ? y1 : y0 + (d - x0) / (x1 - x0) * (y1 - y0);
    }
  }
  return 0;
}

export interface Viability { margin: Float64Array; residual: Float64Array; existingUse: Float64Array }

export function viability(m: MarketParcels, g: MarketFigures, into?: Viability): Viability {
  const n = m.n;
  const out = into && into.margin.length === n ? into : { margin: new Float64Array(n), residual: new Float64Array(n), existingUse: new Float64Array(n) };
  const { group, sale, cost, land } = marketPrices(m, g);
  const keep = 1 - g.developerMargin, hurdle = 1 + g.landownerPremium, demo = g.demolitionCostPerM2, bshare = g.existingBuildingShare;
  const curve = g.premiumCurve;
  for (let i = 0; i < n; i++) {
    const k = group ? group[i] : 0, s3 = k * 3, c4 = k * 4;
    const E = m.existingFa[i] > 0 ? m.existingFa[i] : 0;
    const lv = m.landValue[i] >= 0 ? m.landValue[i] : land[k];
    const euv = (lv >= 0 ? lv * m.area[i] : 0) + E * bshare * cost[c4 + m.existingClass[i]];
    out.existingUse[i] = euv;
    if (m.eligible[i] !== 1 || !(m.area[i] > 0)) { out.residual[i] = NaN; out.margin[i] = NaN; continue; }
    const res = m.capRes[i], com = m.capCom[i], off = m.capOff[i];
    // Civic and industrial floor area is provided at cost: it neither adds nor takes value.
    const gdv = (res * sale[s3] + com * sale[s3 + 1] + off * sale[s3 + 2]) * (1 + premiumAt(curve, m.dist[i]));
    const build = res * cost[c4] + com * cost[c4 + 1] + off * cost[c4 + 2];
    const rlv = gdv * keep - build - E * demo;
    out.residual[i] = rlv;
    const margin = (rlv - euv * hurdle) / m.area[i];
    out.margin[i] = margin > 0 ? margin : NaN;
  }
  return out;
}
