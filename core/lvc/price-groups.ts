/**
 * Price groups: each parcel takes its sale values and (missing) land price from its nearest
 * station's walking-distance band (params.stationValues), else the project-wide values (group 0).
 * Groups depend only on which stations and bands exist, so a change of any sale value, cost or
 * margin re-prices a handful of groups instead of every parcel.
 */
import type { LvcParams } from './params.js';
import type { LvcParcels } from './uplift.js';

export interface PriceGroups {
  /** Group per parcel (0 = project-wide values). */
  group: Int32Array;
  count: number;
  labels: string[];
}

type StationValues = NonNullable<LvcParams['stationValues']>;

/** What the grouping and the land-price fill depend on: a prepared run is reused only while this is unchanged. */
export function groupSignature(p: LvcParams): string {
  return JSON.stringify((p.stationValues ?? []).map((s) => [s.station.trim().toLowerCase(), s.bands.map((b) => [b.maxDistM, b.landValuePerM2 ?? null])]));
}

export function priceGroups(parcels: LvcParcels, sv: StationValues | undefined): PriceGroups {
  const n = parcels.fid.length;
  const group = new Int32Array(n);
  const labels = ['project-wide values'];
  if (!sv?.length || !parcels.station || !parcels.stationNames) return { group, count: 1, labels };
  // First group index of each listed station; bands in the order given (checked increasing).
  const first = new Map<string, number>();
  for (const s of sv) {
    first.set(s.station.trim().toLowerCase(), labels.length);
    let lo = 0;
    for (const b of s.bands) { labels.push(`${s.station}, ${lo}–${b.maxDistM} m`); lo = b.maxDistM; }
  }
  const stationGroup = parcels.stationNames.map((name) => first.get(name.trim().toLowerCase()) ?? -1);
  const byName = new Map(sv.map((s) => [s.station.trim().toLowerCase(), s]));
  for (let i = 0; i < n; i++) {
    const st = parcels.station[i];
    if (st < 0 || stationGroup[st] < 0) continue;
    const bands = byName.get(parcels.stationNames[st].trim().toLowerCase())!.bands;
    const d = parcels.distM[i];
    for (let b = 0; b < bands.length; b++) if (d <= bands[b].maxDistM) { group[i] = stationGroup[st] + b; break; }
  }
  return { group, count: labels.length, labels };
}

/** Sale value per m² by use for each group (group 0 = params.saleValuePerM2). */
export function groupSaleValues(p: LvcParams, count: number): Array<Record<string, number>> {
  const out: Array<Record<string, number>> = [p.saleValuePerM2];
  for (const s of p.stationValues ?? []) for (const b of s.bands) out.push({ ...p.saleValuePerM2, ...(b.saleValuePerM2 ?? {}) });
  return out.slice(0, count);
}

/** Construction cost per m² by use for each group (group 0 = params.constructionCostPerM2). */
export function groupCostValues(p: LvcParams, count: number): Array<Record<string, number>> {
  const out: Array<Record<string, number>> = [p.constructionCostPerM2];
  for (const s of p.stationValues ?? []) for (const b of s.bands) out.push({ ...p.constructionCostPerM2, ...(b.constructionCostPerM2 ?? {}) });
  return out.slice(0, count);
}

/** Premium FSI price per m² of bonus floor area for each group (group 0 and bands without one: developmentRights.pricePerM2). */
export function groupPremiumFsiPrices(p: LvcParams, count: number): number[] {
  const flat = p.instruments.developmentRights.pricePerM2;
  const out = [flat];
  for (const s of p.stationValues ?? []) for (const b of s.bands) out.push(b.premiumFsiPricePerM2 ?? flat);
  return out.slice(0, count);
}

/** Land price per m² for each group, or NaN where none is given. */
export function groupLandValues(p: LvcParams, count: number): number[] {
  const out = [NaN];
  for (const s of p.stationValues ?? []) for (const b of s.bands) out.push(b.landValuePerM2 ?? NaN);
  return out.slice(0, count);
}
