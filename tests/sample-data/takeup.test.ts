/**
 * Issue #12: every default scenario on both samples is a plan for its horizons, not build-out.
 * Projected take-up stays within 3× today by the last horizon (the bound) and within the
 * ranges docs/SCENARIOS.md cites; capacity is an upper bound everywhere.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkimaeService } from '../../core/api/service.js';
import { latestTakeUpShares } from '../../core/growth/store.js';
import { tmpDir } from '../helpers/tmp.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
type TakeUp = Awaited<ReturnType<EkimaeService['invoke']>> extends never ? never : { name: string; id: string; takeUp: {
  base: Record<string, number>; capacity: Record<string, number>; horizons: Array<Record<string, number>>;
  stations: Array<{ station: string; base: Record<string, number>; capacity: Record<string, number>; horizons: Array<Record<string, number>> }> } };

describe.each(['bang-sue', 'mahsr-corridor'])('projected take-up on the %s sample', (sample) => {
  const src = join(ROOT, 'sample-data', `${sample}.gpkg`);
  const svc = new EkimaeService();
  let runs: TakeUp[] = [];
  let path = '';
  beforeAll(async () => {
    if (!existsSync(src)) return;
    path = join(tmpDir(), `${sample}.gpkg`);
    copyFileSync(src, path);
    await svc.invoke('project.open', { path });
    if (!(await svc.invoke('growth.get', {})).stored) {
      await svc.invoke('growth.set', { settings: JSON.parse(readFileSync(join(ROOT, 'sample-data', 'growth', `${sample}.json`), 'utf8')) });
    }
    await svc.invoke('catchment.run', {});
    await svc.invoke('scenario.defaults', {});
    await svc.invoke('scenario.calibrate', {});
    const ids = (await svc.invoke('scenario.list', {})).map((s) => s.id);
    runs = (await svc.invoke('growth.takeUp', { ids, store: true })).scenarios as unknown as TakeUp[];
  }, 300_000);

  it.skipIf(!existsSync(src))('no default scenario passes 3× today\'s residents or jobs by its last horizon, and capacity bounds take-up', () => {
    expect(runs.map((r) => r.id)).toEqual(expect.arrayContaining(['existing', 'trend', 'tod-moderate', 'tod-intensive']));
    for (const r of runs) {
      const t = r.takeUp, last = t.horizons.at(-1)!;
      expect(last.residents / t.base.residents, `${r.name} residents by ${last.year}`).toBeLessThanOrEqual(3);
      expect(last.jobs / t.base.jobs, `${r.name} jobs by ${last.year}`).toBeLessThanOrEqual(3);
      let prev = t.base;
      for (const h of t.horizons) {
        for (const k of ['residents', 'jobs', 'floorAreaM2', 'dwellings']) {
          expect(h[k], `${r.name} ${k} ${h.year} ≤ capacity`).toBeLessThanOrEqual(t.capacity[k] * (1 + 1e-9) + 1e-6);
          expect(h[k], `${r.name} ${k} ${h.year} does not fall back`).toBeGreaterThanOrEqual(prev[k] - 1e-6 * Math.abs(prev[k]));
        }
        prev = h;
      }
      // Where each station is its own market area (the corridor), each stays within 3× too; at Bang Sue the
      // SRT yards around Kamphaeng Phet are new land (a multiple of a tiny base says nothing).
      for (const s of sample === 'mahsr-corridor' ? t.stations : []) {
        if (s.base.residents < 1000) continue;
        expect(s.horizons.at(-1)!.residents / s.base.residents, `${r.name} at ${s.station}`).toBeLessThanOrEqual(3);
      }
    }
  });

  it.skipIf(!existsSync(src))('Existing does not grow; Trend grows within the cited range; TOD scenarios add growth near stations', () => {
    const by = (id: string) => runs.find((r) => r.id === id)!.takeUp;
    const ex = by('existing');
    for (const h of ex.horizons) expect(h.residents).toBeCloseTo(ex.base.residents, 3);
    const trend = by('trend'), mod = by('tod-moderate'), int = by('tod-intensive');
    const years = trend.horizons.at(-1)!.year - 2024;
    const annual = Math.pow(trend.horizons.at(-1)!.residents / trend.base.residents, 1 / years) - 1;
    // Bangkok: −0.3 to +1.2 %/yr (registration trend to condominium growth); MAHSR station areas: 0–3 %/yr (Census 2011 district growth, tapered).
    const [lo, hi] = sample === 'bang-sue' ? [-0.003, 0.012] : [0, 0.03];
    expect(annual, `Trend residents per year to ${trend.horizons.at(-1)!.year}`).toBeGreaterThanOrEqual(lo);
    expect(annual).toBeLessThanOrEqual(hi);
    expect(mod.horizons.at(-1)!.residents).toBeGreaterThan(trend.horizons.at(-1)!.residents);
    expect(int.horizons.at(-1)!.residents).toBeGreaterThanOrEqual(mod.horizons.at(-1)!.residents * 0.999);
    // Capacity is the rules' upper bound, far above what the market takes: it must never be the headline.
    expect(trend.capacity.residents).toBeGreaterThan(trend.horizons.at(-1)!.residents);
  });

  // Issue #12 point 8: market areas follow Bang Sue's price submarkets (sample-data/growth/bang-sue.json), so
  // the dearer inner-north stations no longer out-rank every parcel of the cheaper Bang Sue–Tao Poon–Bang Pho
  // submarket. Reads the growth settings stored in the sample: needs the sample regenerated from that file.
  // Only Bang Sue has price submarkets (the corridor's areas are its stations): declared for Bang Sue only, not skipped for MAHSR.
  const itBangSue = (sample === 'bang-sue' ? it.skipIf(!existsSync(src)) : () => undefined) as ReturnType<typeof it.skipIf>;
  itBangSue('Trend grows at every Bang Sue station of 5,000 residents or more; the district\'s ceiling is unchanged', async () => {
    const by = (id: string) => runs.find((r) => r.id === id)!.takeUp;
    const trend = by('trend');
    const big = trend.stations.filter((s) => s.base.residents >= 5000);
    expect(big.map((s) => s.station)).toEqual(expect.arrayContaining(['Tao Poon', 'Bang Pho', 'Bang Son (Purple)', 'Chatuchak', 'Saphan Khwai']));
    for (const s of big) expect(s.horizons.at(-1)!.residents - s.base.residents, `Trend growth at ${s.station} by ${s.horizons.at(-1)!.year}`).toBeGreaterThan(0);
    // The areas' ceilings add up to the district's 110,000 m² of housing and 70,000 m² of other floor area a
    // year (docs/SCENARIOS.md); the Master plan adds the SRT programme's due of each period on top (programmeAbsorption).
    for (const id of ['trend', 'tod-moderate', 'tod-intensive', 'master-plan']) {
      let prevYear = 2024, prevDue = 0;
      for (const h of by(id).horizons) {
        const years = h.year - prevYear, due = h.programmeDueM2 - prevDue;
        if (id !== 'master-plan') {
          expect(due).toBe(0);
          expect(h.ceilingResidentialM2, `${id} ${h.year}`).toBeCloseTo(110_000 * years, 3);
          expect(h.ceilingNonResidentialM2, `${id} ${h.year}`).toBeCloseTo(70_000 * years, 3);
        } else {
          expect(due).toBeGreaterThan(0);
          expect(h.ceilingResidentialM2 + h.ceilingNonResidentialM2, `${id} ${h.year}`).toBeCloseTo(180_000 * years + due, 3);
          expect(h.programmeShortM2).toBeLessThan(1);
        }
        prevYear = h.year; prevDue = h.programmeDueM2;
      }
    }
    // TOD adds growth and moves it near the stations: more residents within 400 m than Trend by the last horizon.
    const near = async (id: string) => {
      const r = await svc.invoke('growth.parcels', { id });
      return r.bands.find((b) => b.band === '0-400m')!.horizons.at(-1)!.residents;
    };
    const [t400, m400, i400] = [await near('trend'), await near('tod-moderate'), await near('tod-intensive')];
    expect(m400).toBeGreaterThan(t400);
    expect(i400).toBeGreaterThan(m400);
  });

  it.skipIf(!existsSync(src))('stores per-parcel built shares in [0, 1], rising with the horizon, only on parcels whose rules change them', async () => {
    const p = svc.requireProject();
    const st = latestTakeUpShares(p, 'tod-moderate')!;
    const H = st.stored.summary.horizons.length, n = st.fids.length;
    expect(st.share.length).toBe(n * H);
    let built = 0;
    for (let i = 0; i < n; i++) {
      for (let h = 0; h < H; h++) {
        const s = st.share[h * n + i];
        expect(s >= 0 && s <= 1).toBe(true);
        if (h > 0) expect(s).toBeGreaterThanOrEqual(st.share[(h - 1) * n + i]);
      }
      if (st.share[(H - 1) * n + i] > 0) built++;
    }
    expect(built).toBeGreaterThan(0);
    expect(built).toBe(st.stored.summary.horizons.at(-1)!.parcelsBuilt);
  });
});
