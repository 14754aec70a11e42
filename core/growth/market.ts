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
import { stationPrices, type MarketFigures } from './station-prices.js';

export type { MarketFigures };

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
  // Sale values and costs per price group (station and walk band), flattened for the loop.
  const { group, markets, land } = stationPrices(g, n, m.station, m.stationNames, m.dist);
  const sale = Float64Array.from(markets.flatMap((q) => [q.saleValuePerM2.residential, q.saleValuePerM2.commercial, q.saleValuePerM2.office]));
  const cost = Float64Array.from(markets.flatMap((q) => [q.constructionCostPerM2.residential, q.constructionCostPerM2.commercial, q.constructionCostPerM2.office, q.constructionCostPerM2.civic]));
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
