/**
 * The redevelopment test, per parcel: does the building the rules allow pay for the land it needs?
 * Residual land value = gross development value × (1 − developer margin) − construction −
 * demolition; the landowner sells only above the existing use value (land at its recorded value +
 * the standing building, depreciated) × (1 + premium) — the "EUV plus" benchmark of UK viability
 * practice (Harman 2012, Viability Testing Local Plans; Planning Practice Guidance on viability,
 * 2019). The margin per m² of land ranks the parcels that pass; NaN marks those that fail.
 * Sale values, costs and missing land prices come from the parcel's station and distance band
 * (market.stationValues) where given, else the project-wide figures.
 * Where floor area above the base entitlement is bought from the authority (premium / chargeable
 * FSI: market.premiumFsiChargePerM2, per station band or project-wide), the charge on the parcel's
 * bonus floor area is a cost of the scheme like construction, so it comes off the residual.
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
  /** Floor area above the base entitlement (m²) the allowed building needs (premium FSI); absent = none. */
  bonus?: Float64Array;
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

/**
 * 1 + premiumAt(curve, dist[i]) for every i, into `out`: the same arithmetic on the curve's points
 * held in typed arrays (the take-up's re-runs price a million parcels per draw).
 */
export function premiumFactorsInto(curve: Array<[number, number]>, dist: Float64Array, out: Float64Array): Float64Array {
  const K = curve.length, xs = new Float64Array(K), ys = new Float64Array(K);
  for (let k = 0; k < K; k++) { xs[k] = curve[k][0]; ys[k] = curve[k][1]; }
  const x0 = xs[0], y0 = ys[0];
  for (let i = 0; i < dist.length; i++) {
    const d = dist[i];
    let v = 0;
    if (!(d >= 0) || d === Infinity) v = 0;
    else if (d <= x0) v = y0;
    else {
      for (let k = 1; k < K; k++) {
        if (d <= xs[k]) { const a = xs[k - 1], b = xs[k]; v = b === a ? ys[k] : ys[k - 1] + (d - a) / (b - a) * (ys[k] - ys[k - 1]); break; }
      }
    }
    out[i] = 1 + v;
  }
  return out;
}

export interface Viability { margin: Float64Array; residual: Float64Array; existingUse: Float64Array }

/** The market's figures as the test uses them (one object, so the per-parcel functions below stay small and inlined). */
export interface MarketConstants { sv: [number, number, number]; cc: [number, number, number]; costByClass: number[]; keep: number; hurdle: number; demo: number; bshare: number; charge: number }

export function marketConstants(g: MarketFigures): MarketConstants {
  const sv = g.saleValuePerM2, cc = g.constructionCostPerM2;
  return {
    sv: [sv.residential, sv.commercial, sv.office], cc: [cc.residential, cc.commercial, cc.office],
    costByClass: [cc.residential, cc.commercial, cc.office, cc.civic],
    keep: 1 - g.developerMargin, hurdle: 1 + g.landownerPremium, demo: g.demolitionCostPerM2, bshare: g.existingBuildingShare,
    charge: g.premiumFsiChargePerM2 ?? 0,
  };
}

/**
 * Existing use value of parcel i: land at its recorded value (unknown = the station band's land price,
 * `landFill`, when one is given; else nothing) plus the standing building, depreciated.
 */
export function existingUseValue(m: Pick<MarketParcels, 'area' | 'landValue' | 'existingFa' | 'existingClass'>, i: number, k: MarketConstants, landFill = NaN): number {
  const E = m.existingFa[i] > 0 ? m.existingFa[i] : 0;
  return existingLandValue(m.landValue[i], m.area[i], landFill) + E * k.bshare * k.costByClass[m.existingClass[i]];
}

/**
 * Residual land value of the allowed building; premium1 = 1 + the station premium at the parcel's
 * distance; bonus = its floor area above the base entitlement (m²), charged at k.charge per m².
 */
export function residualOf(res: number, com: number, off: number, existingFa: number, premium1: number, k: MarketConstants, bonus: number): number {
  const E = existingFa > 0 ? existingFa : 0;
  // Civic and industrial floor area is provided at cost: it neither adds nor takes value.
  const gdv = (res * k.sv[0] + com * k.sv[1] + off * k.sv[2]) * premium1;
  const build = res * k.cc[0] + com * k.cc[1] + off * k.cc[2];
  return gdv * k.keep - build - E * k.demo - bonus * k.charge;
}

/** Margin per m² of land over existing use value × (1 + premium); NaN = fails the test. */
export function marginOf(res: number, com: number, off: number, existingFa: number, euv: number, premium1: number, area: number, k: MarketConstants, bonus: number): number {
  const margin = (residualOf(res, com, off, existingFa, premium1, k, bonus) - euv * k.hurdle) / area;
  return margin > 0 ? margin : NaN;
}

/** Prices of a market relative to a base market: sale values, construction costs (every use, the standing building's too) and the premium FSI charge, each × one factor everywhere. */
export interface MarketScales { sale: number; cost: number; charge: number }

/**
 * marginOf's numerator split by the price each part scales with, at a base market: per parcel,
 * margin × area = sale × premium1 × gdv − cost × build − charge × fsi − fixed on a market whose
 * prices are the base's × MarketScales (the sensitivity's draws). A re-run then tests a parcel
 * with four multiply-adds instead of the market's objects; equal to marginOf up to rounding.
 */
export interface MarginParts { gdv: Float64Array; build: Float64Array; fsi: Float64Array; fixed: Float64Array }

export function marginPartsAt(into: MarginParts, t: number, res: number, com: number, off: number, existingFa: number, euvLand: number, existingClass: number, k: MarketConstants, bonus: number): void {
  const E = existingFa > 0 ? existingFa : 0;
  into.gdv[t] = (res * k.sv[0] + com * k.sv[1] + off * k.sv[2]) * k.keep;
  into.build[t] = res * k.cc[0] + com * k.cc[1] + off * k.cc[2] + k.hurdle * E * k.bshare * k.costByClass[existingClass];
  into.fsi[t] = bonus * k.charge;
  into.fixed[t] = E * k.demo + k.hurdle * euvLand;
}

/** The land part of existingUseValue (recorded value, else the band's fill; unknown = 0). */
export function existingLandValue(landValue: number, area: number, landFill: number): number {
  const lv = landValue >= 0 ? landValue : landFill;
  return lv >= 0 ? lv * area : 0;
}

export function viability(m: MarketParcels, g: MarketFigures, into?: Viability): Viability {
  const n = m.n;
  const out = into && into.margin.length === n ? into : { margin: new Float64Array(n), residual: new Float64Array(n), existingUse: new Float64Array(n) };
  // Sale values, costs and land prices per price group (station and walk band); group 0 = project-wide.
  const { group, markets, land } = stationPrices(g, n, m.station, m.stationNames, m.dist);
  const ks = markets.map(marketConstants);
  for (let i = 0; i < n; i++) {
    const gi = group ? group[i] : 0, k = ks[gi];
    const euv = existingUseValue(m, i, k, land[gi]);
    out.existingUse[i] = euv;
    if (m.eligible[i] !== 1 || !(m.area[i] > 0)) { out.residual[i] = NaN; out.margin[i] = NaN; continue; }
    const p1 = 1 + premiumAt(g.premiumCurve, m.dist[i]);
    const bonus = m.bonus ? m.bonus[i] : 0;
    out.residual[i] = residualOf(m.capRes[i], m.capCom[i], m.capOff[i], m.existingFa[i], p1, k, bonus);
    out.margin[i] = marginOf(m.capRes[i], m.capCom[i], m.capOff[i], m.existingFa[i], euv, p1, m.area[i], k, bonus);
  }
  return out;
}
