/**
 * Per-station prices for the redevelopment test: which price group each parcel falls in (its
 * nearest station's walk band in market.stationValues, else group 0 = the project-wide figures) and
 * the market figures of each group, with the land price that fills a parcel's missing land value.
 * Kept apart from the test itself so any evaluation loop (viability(), the take-up's fused pass)
 * can take one set of market constants per group.
 */
import type { GrowthSettings } from './settings.js';

type Market = GrowthSettings['market'];
/** The market figures; stationValues may be left out (tests, benchmarks, settings stored before it existed). */
export type MarketFigures = Omit<Market, 'stationValues'> & Partial<Pick<Market, 'stationValues'>>;

export interface StationPrices {
  /** Group per parcel, or null when every parcel takes the project-wide figures. */
  group: Int32Array | null;
  /** Market figures per group (group 0 = the project-wide ones), each with the station's overrides applied. */
  markets: MarketFigures[];
  /** Land price per m² per group filling a missing land value (NaN = none given). */
  land: Float64Array;
}

export function stationPrices(g: MarketFigures, n: number, station: Int32Array | undefined, stationNames: string[] | undefined, dist: Float64Array): StationPrices {
  return { group: stationGroups(g, n, station, stationNames, dist), ...groupMarkets(g) };
}

/** The market figures and land fill of each price group (group 0 = the project-wide figures). */
export function groupMarkets(g: MarketFigures): { markets: MarketFigures[]; land: Float64Array } {
  const markets: MarketFigures[] = [g];
  const land: number[] = [NaN];
  for (const s of g.stationValues ?? []) {
    for (const b of s.bands) {
      markets.push({
        ...g,
        saleValuePerM2: { ...g.saleValuePerM2, ...(b.saleValuePerM2 ?? {}) },
        constructionCostPerM2: { ...g.constructionCostPerM2, ...(b.constructionCostPerM2 ?? {}) },
        ...(b.premiumFsiChargePerM2 !== undefined ? { premiumFsiChargePerM2: b.premiumFsiChargePerM2 } : {}),
      });
      land.push(b.landValuePerM2 ?? NaN);
    }
  }
  return { markets, land: Float64Array.from(land) };
}

/** Whether any price group charges for floor area above the base entitlement (premium FSI). */
export function chargesPremiumFsi(g: MarketFigures): boolean {
  return (g.premiumFsiChargePerM2 ?? 0) > 0 || (g.stationValues ?? []).some((s) => s.bands.some((b) => (b.premiumFsiChargePerM2 ?? 0) > 0));
}

/**
 * What the price groups depend on besides the parcels: the stations named and their band
 * distances, not the prices. Equal keys give equal groups (re-runs on scaled prices keep them).
 */
export function groupsKey(g: MarketFigures): string {
  return JSON.stringify((g.stationValues ?? []).map((s) => [s.station, s.bands.map((b) => b.maxDistM)]));
}

/** Price group per parcel (its nearest station's walk band, else 0), or null when no station has its own figures. */
export function stationGroups(g: MarketFigures, n: number, station: Int32Array | undefined, stationNames: string[] | undefined, dist: Float64Array): Int32Array | null {
  const sv = g.stationValues ?? [];
  if (!sv.length || !station || !stationNames) return null;
  const first = new Map<string, { k: number; bands: Market['stationValues'][number]['bands'] }>();
  let k = 1;
  for (const s of sv) {
    first.set(s.station.trim().toLowerCase(), { k, bands: s.bands });
    k += s.bands.length;
  }
  const byStation = stationNames.map((nm) => first.get(nm.trim().toLowerCase()) ?? null);
  const group = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const st = station[i];
    const e = st >= 0 ? byStation[st] : null;
    if (!e) continue;
    const d = dist[i];
    for (let b = 0; b < e.bands.length; b++) if (d <= e.bands[b].maxDistM) { group[i] = e.k + b; break; }
  }
  return group;
}
