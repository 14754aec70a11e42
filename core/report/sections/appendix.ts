/** Appendix: every assumption with its source, and how the numbers were made. */
import { getLvcParams, latestLvcRuns } from '../../lvc/store.js';
import type { LvcParams } from '../../lvc/params.js';
import { ASSUMPTION_KEYS } from '../../scenario/assumptions.js';
import { getAssumptions } from '../../scenario/store.js';
import { term } from '../i18n/index.js';
import { fmt, type ReportSection } from '../model.js';
import type { SectionContext } from './site.js';

export function appendixSections(ctx: SectionContext): ReportSection[] {
  const a = getAssumptions(ctx.project);
  const tr = ctx.t;
  const lvc = latestLvcRuns(ctx.project)[0];
  const blocks: ReportSection['blocks'] = [
    { kind: 'table', caption: `${ctx.t('cap.assumptions')} (${a.country}${a.stored ? '' : tr('app.countryDefaults')})`, columns: [{ label: ctx.t('col.assumption') }, { label: ctx.t('col.value'), align: 'right' }, { label: ctx.t('col.unit') }, { label: ctx.t('app.col.sourceOriginal') }],
      rows: a.entries.map((e) => [term(tr, `assume.${e.key}`, ASSUMPTION_KEYS[e.key]?.label ?? e.key), fmt(e.value, Math.abs(e.value) < 10 && !Number.isInteger(e.value) ? 2 : 0), term(tr, `unit.${e.unit}`, e.unit), e.source]) },
  ];
  // Base-year calibration per census zone (issue #12.6): observed vs modelled, and each zone's factor.
  const calib = ctx.project.database.prepare('SELECT zone_id, census_residents, modelled_residents, residents_factor, census_jobs, modelled_jobs, jobs_factor, calibrated_on FROM ekimae_calibration_zones ORDER BY zone_id').all() as Array<{
    zone_id: string; census_residents: number; modelled_residents: number; residents_factor: number; census_jobs: number | null; modelled_jobs: number | null; jobs_factor: number; calibrated_on: string }>;
  if (calib.length) {
    const pctOf = (m: number, c: number) => (c > 0 ? `${(m / c - 1) * 100 >= 0 ? '+' : ''}${fmt((m / c - 1) * 100, 1)} %` : '—');
    blocks.push({ kind: 'table', caption: tr('app.cap.calibration', { date: calib[0].calibrated_on }),
      columns: [{ label: tr('app.col.zone') }, { label: tr('app.col.residentsCensus'), align: 'right' }, { label: tr('app.col.modelled'), align: 'right' }, { label: tr('app.col.residual'), align: 'right' }, { label: tr('app.col.factor'), align: 'right' },
        { label: tr('app.col.jobsCensus'), align: 'right' }, { label: tr('app.col.modelled'), align: 'right' }, { label: tr('app.col.factor'), align: 'right' }],
      rows: calib.map((r) => [r.zone_id, fmt(r.census_residents), fmt(r.modelled_residents), pctOf(r.modelled_residents, r.census_residents), `× ${fmt(r.residents_factor, 2)}`,
        r.census_jobs === null ? '—' : fmt(r.census_jobs), r.modelled_jobs === null ? '—' : fmt(r.modelled_jobs), `× ${fmt(r.jobs_factor, 2)}`]) });
  }
  if (lvc) {
    const p = lvc.params;
    blocks.push({ kind: 'table', caption: tr('app.cap.lvcParams'), columns: [{ label: tr('lvc.col.parameter') }, { label: tr('col.value') }, { label: tr('app.col.sourceOriginal') }], rows: [
      [tr('app.p.rates'), `${fmt(p.discountRate * 100, 1)} % / ${fmt(p.inflation * 100, 1)} % / ${fmt(p.priceGrowth * 100, 1)} %`, [lvc.sources.discountRate, lvc.sources.inflation].filter(Boolean).join(' ')],
      [tr('app.p.premium'), p.premiumCurve.map(([d, v]) => `${fmt(d)} m: ${fmt(v * 100)} %`).join('; '), lvc.sources.premiumCurve ?? ''],
      [tr('app.p.saleValue'), Object.entries(p.saleValuePerM2).map(([u, v]) => `${term(tr, `lu.${u}`, u)} ${fmt(v)}`).join(', '), lvc.sources.saleValuePerM2 ?? ''],
      [tr('app.p.constructionCost'), Object.entries(p.constructionCostPerM2).map(([u, v]) => `${term(tr, `lu.${u}`, u)} ${fmt(v)}`).join(', '), lvc.sources.constructionCostPerM2 ?? ''],
      [tr('app.p.margin'), tr('app.v.margin', { pct: fmt(p.developerMargin * 100) }), lvc.sources.developerMargin ?? ''],
      [tr('app.p.absorption'), tr('app.v.absorption', { years: fmt(p.absorption.years), start: fmt(p.absorption.startYear), steep: fmt(p.absorption.steepness, 2) }), lvc.sources.absorption ?? ''],
      [tr('app.p.cost'), tr('app.v.cost', { station: fmt(p.costs.station), infra: fmt(p.costs.infrastructure), years: fmt(p.costs.years), start: fmt(p.costs.startYear) }), lvc.sources['costs'] ?? tr('app.projectInput')],
      ...(p.socialDiscountRate !== undefined ? [[tr('app.p.social'), `${fmt(p.socialDiscountRate * 100, 1)} %`, lvc.sources.socialDiscountRate ?? '']] : []),
      ...(p.stationValues?.length ? [[tr('app.p.stationValues'), ctx.t('sv.seeTable', { n: p.stationValues.length }), lvc.sources.stationValues ?? '']] : []),
    ] });
  }
  const sv = stationValuesTable(ctx, lvc ? lvc.params : getLvcParams(ctx.project).params);
  if (sv) blocks.push(...sv);
  return [
    { id: 'assumptions', title: ctx.t('title.assumptions'), pageBreak: true, blocks },
    { id: 'methods', title: ctx.t('title.methods'), blocks: [{ kind: 'list', items: [tr('method.catchments'), tr('method.population'), tr('method.scenarios'), tr('method.lvc'), tr('method.crs')] }] },
  ];
}

/**
 * Per-station sale values, land prices and construction costs (issue #13.3): one row per station and
 * band, the project-wide figures first; sources numbered once each, listed after the table.
 */
function stationValuesTable(ctx: SectionContext, p: LvcParams): ReportSection['blocks'] | null {
  const all = p.stationValues ?? [];
  const list = ctx.station ? all.filter((s) => s.station.trim().toLowerCase() === ctx.station!.name.trim().toLowerCase()) : all;
  if (!list.length) return null;
  const money = (r: Record<string, number> | undefined, use: string, base: Record<string, number>) => (r?.[use] !== undefined ? fmt(r[use]) : `${fmt(base[use] ?? 0)}*`);
  const sources: string[] = [];
  const ref = (src: string) => { const k = sources.indexOf(src); if (k >= 0) return `[${k + 1}]`; sources.push(src); return `[${sources.length}]`; };
  const rows = [[ctx.t('sv.projectWide'), '', fmt(p.saleValuePerM2.residential ?? 0), fmt(p.saleValuePerM2.commercial ?? 0), fmt(p.saleValuePerM2.office ?? 0), '—', fmt(p.constructionCostPerM2.residential ?? 0), '']];
  for (const s of list) {
    let lo = 0;
    for (const b of s.bands) {
      rows.push([s.station, b.maxDistM >= 20_000 ? ctx.t('sv.wholeArea') : `${fmt(lo)}–${fmt(b.maxDistM)} m`,
        money(b.saleValuePerM2, 'residential', p.saleValuePerM2), money(b.saleValuePerM2, 'commercial', p.saleValuePerM2), money(b.saleValuePerM2, 'office', p.saleValuePerM2),
        b.landValuePerM2 !== undefined ? fmt(b.landValuePerM2) : '—', money(b.constructionCostPerM2, 'residential', p.constructionCostPerM2), s.source ? ref(s.source) : '']);
      lo = b.maxDistM;
    }
  }
  return [
    { kind: 'table', caption: ctx.t('cap.stationValues', { currency: ctx.currency ?? '' }), note: ctx.t('sv.note'),
      columns: [{ label: ctx.t('col.station') }, { label: ctx.t('col.walkBand') }, { label: ctx.t('col.saleRes'), align: 'right' }, { label: ctx.t('col.saleCom'), align: 'right' },
        { label: ctx.t('col.saleOff'), align: 'right' }, { label: ctx.t('col.landValue'), align: 'right' }, { label: ctx.t('col.buildCost'), align: 'right' }, { label: ctx.t('col.source') }],
      rows },
    { kind: 'list', items: sources.map((src, k) => `[${k + 1}] ${src}`) },
  ];
}
