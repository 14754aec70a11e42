/**
 * Issue #13.3: sale values and land prices per sample station, each sourced (core/lvc/sample-figures.json),
 * checked as a reviewer would: development value against land value per station, the corridor's order of
 * land values, Bang Sue's condominium prices inside the published range for its zone, the synthetic parcels'
 * land values inside each station's range, and the figures written into both samples' settings.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LvcParamsSchema } from '../../core/lvc/params.js';
import { GrowthSettingsSchema } from '../../core/growth/settings.js';
import { lvcStationValues, marketStationValues, sampleFigures, type Sample } from '../../sample-data/lib/station-values.js';
import { SAMPLE_DIR } from './checks.js';

const SAMPLES: Sample[] = ['bang-sue', 'mahsr-corridor'];
const MAHSR = ['Mumbai BKC', 'Thane', 'Virar', 'Boisar', 'Vapi', 'Bilimora', 'Surat', 'Bharuch', 'Vadodara', 'Anand', 'Ahmedabad', 'Sabarmati'];

describe.each(SAMPLES)('per-station values of the %s sample', (sample) => {
  const { stations } = sampleFigures(sample);
  const file = `${SAMPLE_DIR}${sample}.gpkg`;

  it('gives every figure as low ≤ central ≤ high with a unit, what it measures, a confidence and a source naming a year', () => {
    for (const s of stations) {
      for (const [k, f] of Object.entries({ residential: s.residential, officeCommercial: s.officeCommercial, land: s.land, ...(s.constructionCost ? { constructionCost: s.constructionCost } : {}) })) {
        expect(f.low, `${s.station} ${k}`).toBeGreaterThan(0);
        expect(f.low).toBeLessThanOrEqual(f.central);
        expect(f.central).toBeLessThanOrEqual(f.high);
        expect(f.unit.length).toBeGreaterThan(3);
        expect(f.confidence).toMatch(/approximate|cited/);
        // A cited figure names its publication's year; any other says it is approximate or an assumption.
        if (f.confidence.startsWith('cited')) expect(f.source, `${s.station} ${k} source`).toMatch(/(19|20)\d\d/);
        else expect(f.source, `${s.station} ${k} source`).toMatch(/approximate|assumption/i);
      }
      // A government rate is labelled as one: usually below market.
      if (/guidance|appraisal/.test(s.land.measures ?? '')) expect(s.land.measures).toMatch(/below market/);
    }
  });

  it('has one entry per station of the sample, by its exact name', () => {
    if (!existsSync(file)) return;
    const db = new Database(file, { readonly: true });
    const names = (db.prepare('SELECT name FROM stations').all() as Array<{ name: string }>).map((r) => r.name);
    db.close();
    expect(stations.map((s) => s.station).sort()).toEqual([...names].sort());
    if (sample === 'mahsr-corridor') expect(stations.map((s) => s.station)).toEqual(MAHSR);
  });

  it('new-build value over land value is 1.5–6 at urban stations and 3–15 where the land is mostly farmland', () => {
    // A residual-value check: land worth more than the flats built on it (BKC's 0.3× before) or a
    // flat price 43× the land (Bilimora's before) means one of the two figures is wrong for the place.
    for (const s of stations) {
      const ratio = s.residential.central / s.land.central;
      const [lo, hi] = s.kind === 'urban' ? [1.5, 6] : [3, 15];
      expect(ratio, `${s.station}: ${s.residential.central} / ${s.land.central}`).toBeGreaterThanOrEqual(lo);
      expect(ratio, s.station).toBeLessThanOrEqual(hi);
    }
  });

  it('keeps the synthetic parcels\' median land value inside each station\'s land range', () => {
    if (!existsSync(file)) return;
    const db = new Database(file, { readonly: true });
    const rows = db.prepare("SELECT station, land_value AS v FROM parcels WHERE land_use NOT IN ('water', 'open_space', 'transport')").all() as Array<{ station: string; v: number }>;
    db.close();
    for (const s of stations) {
      const v = rows.filter((r) => r.station === s.station).map((r) => r.v).sort((a, b) => a - b);
      expect(v.length, s.station).toBeGreaterThan(50);
      const median = v[Math.floor(v.length / 2)];
      expect(median, `${s.station} median parcel land value`).toBeGreaterThanOrEqual(s.land.low);
      expect(median, `${s.station} median parcel land value`).toBeLessThanOrEqual(s.land.high);
    }
  });

  it('turns the central figures into valid settings for land value capture and the take-up market', () => {
    const lvc = lvcStationValues(sample);
    expect(LvcParamsSchema.shape.stationValues.parse(lvc)).toHaveLength(stations.length);
    expect(GrowthSettingsSchema.shape.market.shape.stationValues.parse(marketStationValues(sample))).toHaveLength(stations.length);
    const s0 = stations[0], b0 = lvc[0].bands[0];
    expect(b0.saleValuePerM2).toEqual({ residential: s0.residential.central, commercial: s0.officeCommercial.central, office: s0.officeCommercial.central });
    expect(b0.landValuePerM2).toBe(s0.land.central);
    expect(lvc[0].source).toContain(s0.residential.source);
  });

  it('is written into the sample project: LVC parameters and growth market alike', () => {
    if (!existsSync(file)) return;
    const db = new Database(file, { readonly: true });
    const lvc = JSON.parse((db.prepare("SELECT params_json FROM ekimae_lvc_params WHERE key = 'current'").get() as { params_json: string }).params_json);
    const growth = JSON.parse((db.prepare("SELECT settings_json FROM ekimae_growth WHERE key = 'growth'").get() as { settings_json: string }).settings_json);
    db.close();
    expect(lvc.stationValues).toEqual(lvcStationValues(sample));
    expect(growth.market.stationValues).toEqual(marketStationValues(sample, lvc.instruments.developmentRights));
  });
});

describe('the corridor and Bangkok against published ranges', () => {
  it('MAHSR land values fall from BKC to Thane to Surat to Bilimora', () => {
    const land = new Map(sampleFigures('mahsr-corridor').stations.map((s) => [s.station, s.land.central]));
    const order = ['Mumbai BKC', 'Thane', 'Surat', 'Bilimora'].map((n) => land.get(n)!);
    for (let k = 1; k < order.length; k++) expect(order[k - 1]).toBeGreaterThan(order[k]);
    // and BKC's flats sell above Thane's, Thane's above any Gujarat station's
    const res = new Map(sampleFigures('mahsr-corridor').stations.map((s) => [s.station, s.residential.central]));
    expect(res.get('Mumbai BKC')!).toBeGreaterThan(res.get('Thane')!);
    for (const n of ['Vadodara', 'Ahmedabad', 'Sabarmati', 'Surat', 'Bilimora']) expect(res.get('Thane')!).toBeGreaterThan(res.get(n)!);
  });

  it('Thane\'s new flats stay at or below ANAROCK\'s Thane city average (the HSR station is on the city\'s edge)', () => {
    const thane = sampleFigures('mahsr-corridor').stations.find((s) => s.station === 'Thane')!;
    // ANAROCK: ₹13,550/sq ft in Q2 2022, ₹19,800 in Q2 2025; 1 m² = 10.764 sq ft.
    expect(thane.residential.central).toBeLessThanOrEqual(19_800 * 10.764);
    expect(thane.residential.high).toBeLessThanOrEqual(13_550 * 10.764 + 500);
  });

  it('Bang Sue\'s inner-north condominiums sit in the published Phahonyothin–Lat Phrao range, the rest in Colliers\' outer-Bangkok range', () => {
    const bs = sampleFigures('bang-sue').stations;
    for (const s of bs) {
      // Plus Property 2017: launches THB 120,000–180,000/m² in Phahonyothin–Lat Phrao; Colliers 2022: outer Bangkok 70,000–120,000.
      const [lo, hi] = /inner north/.test(s.zone ?? '') ? [120_000, 180_000] : [70_000, 120_000];
      expect(s.residential.central, s.station).toBeGreaterThanOrEqual(lo);
      expect(s.residential.central, s.station).toBeLessThanOrEqual(hi);
      // Treasury appraisal never above Bangkok's highest, THB 1 M per square wah = 250,000/m².
      expect(s.land.high).toBeLessThanOrEqual(250_000);
    }
  });
});
