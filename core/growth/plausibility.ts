/**
 * Plausibility checks on projected take-up: each compares a figure with a cited range and says so
 * in plain words when a scenario crosses it. They warn; they never change a figure.
 */
import type { Figures, HorizonFigures } from './takeup.js';

export const PLAUSIBILITY = {
  growthMultiple: { limit: 3, source: 'Issue #12 bound: no station district triples in 20–25 years without a new town programme; Bangkok\'s fastest districts grew under 2× in 2000–2020 (registration statistics).' },
  residentsPerHa: { limit: 600, source: 'Residents per gross parcel hectare above the densest large districts: Hong Kong\'s Kwun Tong and Mumbai\'s densest wards reach about 400–600 per gross ha (Census and Statistics Department HK 2021; MCGM ward data 2011).' },
  officeAddedM2: { limit: 1_000_000, source: 'More than 1 M m² of new offices in one station district is about a tenth of Bangkok\'s whole office stock (9–10 M m² in 2024 agency reports) or of Mumbai\'s Grade A stock (~13 M m²).' },
  openSpacePerResidentM2: { limit: 2, source: 'Public open space per resident below 2 m²: far under the 9 m² often cited from WHO, under India\'s URDPFI Guidelines (MoUD 2014: 10–12 m² of organised open space per person) and under Bangkok\'s own 7 m² per registered resident (BMA 2022).' },
} as const;

const fmt = (x: number) => Math.round(x).toLocaleString('en');

export function plausibilityWarnings(base: Figures, horizons: HorizonFigures[], siteAreaM2: number): string[] {
  const out: string[] = [];
  const last = horizons.at(-1);
  if (!last) return out;
  const P = PLAUSIBILITY;
  if (base.residents > 0 && last.residents / base.residents > P.growthMultiple.limit) {
    out.push(`residents by ${last.year} are ${(last.residents / base.residents).toFixed(1)}× today (over ${P.growthMultiple.limit}×). ${P.growthMultiple.source}`);
  }
  const ha = siteAreaM2 / 1e4;
  if (ha > 0 && last.residents / ha > P.residentsPerHa.limit) {
    out.push(`${fmt(last.residents / ha)} residents per gross ha by ${last.year} (over ${P.residentsPerHa.limit}). ${P.residentsPerHa.source}`);
  }
  if (last.officeM2 - base.officeM2 > P.officeAddedM2.limit) {
    out.push(`${fmt((last.officeM2 - base.officeM2) / 1e3)} thousand m² of new offices by ${last.year}. ${P.officeAddedM2.source}`);
  }
  if (last.residents > 0 && last.openSpaceM2 / last.residents < P.openSpacePerResidentM2.limit) {
    out.push(`${(last.openSpaceM2 / last.residents).toFixed(1)} m² of open space per resident by ${last.year}. ${P.openSpacePerResidentM2.source}`);
  }
  return out;
}
