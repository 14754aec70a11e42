/**
 * Per-station sale values, land prices and (where they differ) construction costs for a sample,
 * from the cited low/central/high figures of core/lvc/sample-figures.json: the central figures
 * become one band over the whole station area (no source at hand gives a gradient within a
 * station area; the proximity premium curve carries the distance effect), with the sources written
 * beside them so the report can print them.
 */
import { readFileSync } from 'node:fs';
import type { LvcParams } from '../../core/lvc/params.js';
import type { GrowthSettings } from '../../core/growth/settings.js';
import { premiumFsiCharge } from '../../core/growth/defaults.js';

export interface Figure { low: number; central: number; high: number; unit: string; measures?: string; confidence: string; source: string }
export interface StationFigures {
  station: string;
  kind: 'urban' | 'greenfield';
  zone?: string;
  residential: Figure;
  officeCommercial: Figure;
  land: Figure;
  constructionCost?: Figure;
  gradient: null;
  note?: string;
}

export type Sample = 'bang-sue' | 'mahsr-corridor';

/** Beyond any walk distance a station area reaches: the band covers the whole station area. */
export const WHOLE_AREA_M = 20_000;

/** Premium / chargeable FSI as a share of a station's land rate, by the state's regulation (core/lvc/sample-figures.json). */
export interface PremiumFsiFigures {
  about: string;
  rules: Record<string, { landRateShare: number; low: number; high: number; confidence: string; source: string }>;
  stations: Record<string, string>;
}

export function sampleFigures(sample: Sample): { note: string; stations: StationFigures[]; premiumFsi: PremiumFsiFigures | null } {
  const d = JSON.parse(readFileSync(new URL('../../core/lvc/sample-figures.json', import.meta.url), 'utf8'));
  return { note: d.stationValuesNote as string, stations: d[sample].stationValues as StationFigures[], premiumFsi: (d[sample].premiumFsi as PremiumFsiFigures | undefined) ?? null };
}

/** Premium FSI price per m² of bonus floor area at a station: the share of its land rate its state's regulation sets (undefined = none given). */
export function premiumFsiPrice(pf: PremiumFsiFigures | null, s: StationFigures): number | undefined {
  const rule = pf ? pf.rules[pf.stations[s.station]] : undefined;
  return rule ? Math.round(rule.landRateShare * s.land.central) : undefined;
}

/** The premium FSI rules with their sources, in one text for the parameters' sources (null = the sample has none). */
export function premiumFsiSource(sample: Sample): string | null {
  const pf = sampleFigures(sample).premiumFsi;
  if (!pf) return null;
  const rules = Object.entries(pf.rules).map(([k, r]) => `${k}: ${Math.round(100 * r.landRateShare)} % of the land rate (range ${Math.round(100 * r.low)}–${Math.round(100 * r.high)} %, ${r.confidence}; stations ${Object.keys(pf.stations).filter((s) => pf.stations[s] === k).join(', ')}): ${r.source}`);
  return `${pf.about} ${rules.join(' ')}`;
}

function sourceOf(s: StationFigures): string {
  const part = (label: string, f: Figure) => `${label} (${f.measures ? `${f.measures}; ` : ''}${f.confidence}; range ${f.low.toLocaleString('en')}–${f.high.toLocaleString('en')}): ${f.source.replace(/\.+$/, '')}.`;
  const text = [part('Residential', s.residential), part('Office/commercial', s.officeCommercial), part('Land', s.land),
    ...(s.constructionCost ? [part('Construction cost', s.constructionCost)] : [])].join(' ');
  if (text.length > 2000) throw new Error(`sample-figures.json: the sources of ${s.station} exceed 2,000 characters`);
  return text;
}

export function lvcStationValues(sample: Sample): NonNullable<LvcParams['stationValues']> {
  const { stations, premiumFsi } = sampleFigures(sample);
  return stations.map((s) => {
    const oc = s.officeCommercial.central;
    const cc = s.constructionCost?.central;
    const pf = premiumFsiPrice(premiumFsi, s);
    return {
      station: s.station,
      bands: [{
        maxDistM: WHOLE_AREA_M,
        saleValuePerM2: { residential: s.residential.central, commercial: oc, office: oc },
        landValuePerM2: s.land.central,
        ...(cc !== undefined ? { constructionCostPerM2: { residential: cc, commercial: cc, office: cc } } : {}),
        ...(pf !== undefined ? { premiumFsiPricePerM2: pf } : {}),
      }],
      source: sourceOf(s),
    };
  });
}

/**
 * The growth market's per-station figures, from the same land value capture values: the premium
 * FSI price becomes the developer's charge = price × the share bought (developmentRights), 0 where
 * development rights are not sold.
 */
export function marketStationValues(sample: Sample, rights?: LvcParams['instruments']['developmentRights']): GrowthSettings['market']['stationValues'] {
  return lvcStationValues(sample).map((s) => ({
    station: s.station, source: s.source,
    bands: s.bands.map((b) => ({
      maxDistM: b.maxDistM,
      saleValuePerM2: b.saleValuePerM2 as { residential: number; commercial: number; office: number },
      landValuePerM2: b.landValuePerM2,
      ...(b.constructionCostPerM2 ? { constructionCostPerM2: { ...b.constructionCostPerM2, civic: b.constructionCostPerM2.residential } } : {}),
      ...(b.premiumFsiPricePerM2 !== undefined && rights ? { premiumFsiChargePerM2: premiumFsiCharge(rights, b.premiumFsiPricePerM2) } : {}),
    })),
  }));
}
