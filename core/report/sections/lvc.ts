/** Report chapter: land value capture per scenario (uplift map, instruments, cash flow, NPV/IRR, share financed, sensitivity). */
import { latestLvcRuns, lvcParcelUplift, type RunRecord } from '../../lvc/store.js';
import { prepareParcels } from '../../scenario/prepare.js';
import { classLabels, classOf, quantileBreaks, rampColors } from '../classes.js';
import { thematicMapBlock } from '../map-block.js';
import { cashflowTable } from '../../lvc/cashflow.js';
import { INSTRUMENT_NAMES, type InstrumentId } from '../../lvc/instruments.js';
import { legalTable } from '../../lvc/legal-basis.js';
import { formatMoney as fmtMoney } from '../../util/money.js';
import { fmt, fmtPct, type Block, type ReportSection } from '../model.js';
import { SERIES_COLORS } from '../palette.js';
import { baseMapLayers, OUTLINED_PARCELS, type SectionContext } from './site.js';

/** Uplift classes: five quantiles of the parcels with any uplift (classes.ts), light to dark green. */
const UPLIFT_RAMP = ['#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c'];
const UPLIFT_K = 5;

const NO_UPLIFT = '#eeeeee';

function upliftMap(ctx: SectionContext, run: RunRecord): Block {
  const prep = prepareParcels(ctx.project, run.parcelLayer);
  const up = new Map(lvcParcelUplift(ctx.project, run.runId).map((u) => [u.fid, u.proximity + u.development]));
  const lv = ctx.project.layer(run.parcelLayer).fieldMap.land_value;
  const { layers, legend } = baseMapLayers(ctx, { parcels: 'none', network: false });
  // Uplift relative to today's land value: comparable across cheap and dear parcels.
  const feats = ctx.features(run.parcelLayer);
  const rels = feats.map((f) => {
    const i = prep.fidIndex.get(f.fid!);
    const base = i === undefined || !lv ? 0 : Number(f.properties[lv] ?? 0) * prep.cols.area[i];
    return base > 0 ? (up.get(f.fid!) ?? 0) / base : 0;
  });
  // Parcels without uplift (beyond the premium's reach, nothing added) are grey, not a class.
  const breaks = quantileBreaks(rels.filter((r) => r > 0), UPLIFT_K);
  const colors = rampColors(UPLIFT_RAMP, breaks.length + 1);
  const parcels = feats.map((f, j) => ({ geometry: f.geometry, fill: rels[j] > 0 ? colors[classOf(rels[j], breaks)] : NO_UPLIFT }));
  const lg = [...classLabels(breaks, (v) => fmtPct(v, v < 0.1 ? 1 : 0), ctx.t('legend.all')).map((label, k) => ({ label: ctx.t('legend.uplift', { range: label }), fill: colors[k], kind: 'area' as const })),
    { label: ctx.t('legend.noUplift'), fill: NO_UPLIFT, kind: 'area' as const }];
  return thematicMapBlock(ctx, [{ name: 'uplift', style: { stroke: '#fff', strokeWidth: 0.3, strokeUpTo: OUTLINED_PARCELS }, features: parcels }, ...layers], [...lg, ...legend.filter((l) => l.kind !== 'area')],
    ctx.t('map.uplift', { name: run.scenario.name }), ctx.t('cap.upliftMap'));
}

/** The unit a yearly table is printed in, per currency: crore for rupees, 億円 for yen, millions otherwise. */
function tableUnit(cur: string | null): { div: number; label: string } {
  const c = (cur ?? '').toUpperCase();
  return c === 'INR' ? { div: 1e7, label: '₹ crore' } : c === 'JPY' ? { div: 1e8, label: '億円' } : { div: 1e6, label: `${c || 'currency'} million` };
}

/**
 * The numbers a council member needs to recompute NPV and IRR by hand: flows by instrument and
 * calendar year, station cost, net, discount factors of both appraisals, and every parameter.
 */
function cashflowBlocks(run: RunRecord, cur: string | null, priceYear?: number): Block[] {
  const t = cashflowTable(run, { currency: cur, priceYear });
  const u = tableUnit(cur);
  const idx = (k: string) => t.columns.indexOf(k);
  const inst = t.columns.filter((c) => c.startsWith('revenue_')).map((c) => c.slice('revenue_'.length));
  const money = (v: number) => (Math.abs(v / u.div) < 0.05 ? '0.0' : fmt(v / u.div, 1));
  const cols = [{ label: 'Year' }, ...inst.map((id) => ({ label: INSTRUMENT_NAMES[id as InstrumentId] ?? id, align: 'right' as const })),
    { label: 'Instrument costs', align: 'right' as const }, { label: 'Station and infrastructure', align: 'right' as const }, { label: 'Net (nominal)', align: 'right' as const },
    { label: `DF at ${fmtPct(run.params.discountRate)}`, align: 'right' as const }, { label: 'Net (real)', align: 'right' as const },
    { label: `DF at ${fmtPct(t.summary.find(([k]) => k.startsWith('social'))![1] as number)}`, align: 'right' as const }];
  const rows = t.rows.map((r) => [String(r[0]), ...inst.map((id) => money(r[idx(`revenue_${id}`)])), money(-r[idx('instrument_costs')]), money(-r[idx('station_infrastructure_cost')]),
    money(r[idx('net_nominal')]), r[idx('discount_factor_financial')].toFixed(6), money(r[idx('net_real')]), r[idx('discount_factor_economic')].toFixed(6)]);
  const params = t.parameters.filter(([k]) => k !== 'instrumentNames' && !(k.startsWith('instruments.') && !k.endsWith('.enabled') && t.parameters.some(([e, v]) => e === k.split('.').slice(0, 2).join('.') + '.enabled' && v === false)));
  return [
    { kind: 'table', caption: `Cash flow by instrument and year (${u.label}, nominal unless marked real)`,
      note: `Year-end flows; ${t.rows[0][0]} is year 0 (undiscounted). Financial NPV = Σ net (nominal) × DF; economic NPV = Σ net (real) × DF at the social rate; net (real) = net ÷ (1 + ${fmtPct(run.params.inflation)})^(year − ${t.rows[0][0]}). The same table at full precision: ekimae export --lvc ${run.runId} --format xlsx.`,
      columns: cols, rows },
    { kind: 'table', caption: 'Every parameter of this run', note: 'Instruments switched off are listed by their switch only; the source of each assumption is in the appendix.',
      columns: [{ label: 'Parameter' }, { label: 'Value' }], rows: params.map(([k, v]) => [k, typeof v === 'number' ? String(v) : String(v)]) },
  ];
}

function legalBlock(country: string | undefined): Block[] {
  const table = legalTable(country);
  if (!table) return [];
  return [{ kind: 'table', caption: `Capture instruments and their legal basis (${(country ?? '').toUpperCase()})`,
    note: 'Instruments are on by default only where a legal basis exists today; sources in docs/LVC.md.',
    columns: [{ label: 'Instrument' }, { label: 'In law' }, { label: 'Default' }, { label: 'Collected by' }, { label: 'Basis' }],
    rows: Object.entries(table).map(([id, b]) => [INSTRUMENT_NAMES[id as InstrumentId], b.inLaw === 'partial' ? 'in part' : b.inLaw ? 'yes' : 'no', b.defaultOn ? 'on' : 'off', b.collector, b.basis]) }];
}

export function lvcSections(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection[] {
  const runs = latestLvcRuns(ctx.project).reverse()
    .filter((r) => !opts.scenarios?.length || opts.scenarios.includes(r.scenario.id) || opts.scenarios.includes(r.scenario.name));
  const cur = ctx.currency;
  return runs.map((run) => {
    const s = run.result.summary;
    const irrOf = (x: typeof s.irr) => (x.status === 'unique' ? fmtPct(x.irr) : x.status === 'none' ? 'none' : `several (${x.roots.map((r) => fmtPct(r)).join(', ')})`);
    const irr = irrOf(s.irr);
    const eco = run.result.economic, fin = run.result.financial;
    const settings = ctx.project.settings();
    const mc = run.result.monteCarlo;
    return {
      id: `lvc-${run.scenario.id}`, title: ctx.t('title.lvc', { name: run.scenario.name }), pageBreak: true,
      blocks: [
        { kind: 'text', text: `Uplift is counted in two parts that never overlap: the station's proximity premium on today's land value, and the residual land value of the floor area "${run.scenario.name}" adds over "${run.baseline}" (priced without the station). Instruments draw on that uplift and together can never take more than it (present values at ${fmtPct(run.params.discountRate)}).` },
        ...(fin && eco ? [{ kind: 'list' as const, items: [fin.label, eco.label] }] : []),
        { kind: 'keyFigures', items: [
          { label: 'Uplift, all parcels (as mapped)', value: fmtMoney(s.upliftTotal, cur) },
          ...(s.upliftTotalWithinReach !== undefined ? [{ label: 'of which on parcels within walking reach', value: fmtMoney(s.upliftTotalWithinReach, cur) }] : []),
          { label: 'Uplift, proximity', value: fmtMoney(s.upliftProximity, cur) }, { label: 'Uplift, added floor area', value: fmtMoney(s.upliftDevelopment, cur) },
          { label: 'Captured (PV)', value: fmtMoney(s.pvCaptured, cur) }, { label: 'Station and infrastructure cost (PV)', value: fmtMoney(s.pvCost, cur) },
          { label: ctx.t('kf.share'), value: fmtPct(s.shareFinanced) }, { label: `${ctx.t('kf.npv')} (financial)`, value: fmtMoney(s.npv, cur) }, { label: `${ctx.t('kf.irr')} (financial, nominal)`, value: irr },
          { label: ctx.t('kf.payback'), value: s.paybackYear === null ? 'none' : String(s.paybackYear) },
          ...(eco ? [{ label: 'Economic NPV (real)', value: fmtMoney(eco.npv, cur) }, { label: 'Economic IRR (real)', value: irrOf(eco.irr) }] : []),
        ] },
        { kind: 'text', text: `Station and infrastructure capital cost: ${fmtMoney(run.params.costs.station, cur)} station + ${fmtMoney(run.params.costs.infrastructure, cur)} infrastructure (${settings.priceYear ?? ''} prices). Source: ${run.sources.costs ?? 'not given'}` },
        upliftMap(ctx, run),
        { kind: 'table', caption: ctx.t('cap.instruments'), note: 'PV = present value; capped = limited by the uplift left for it',
          columns: [{ label: 'Instrument' }, { label: 'On' }, { label: 'Revenue (PV)', align: 'right' }, { label: 'Own cost (PV)', align: 'right' }, { label: 'Capped' }, { label: 'Note' }],
          rows: run.result.instruments.map((f) => {
            const pvCost = f.cost.reduce((a, v, t) => a + v / (1 + run.params.discountRate) ** t, 0);
            return [f.name, f.enabled ? 'yes' : 'no', fmtMoney(f.pvRevenue, cur), fmtMoney(pvCost, cur), f.capped ? 'yes' : 'no', f.note ?? ''];
          }) },
        { kind: 'chart', caption: `Yearly cash flow (${cur ?? 'currency'}, nominal)`, chart: { type: 'line', x: 'year',
          data: run.result.years.map((y, t) => ({ year: y, captured: run.result.captured[t], cost: run.result.costs[t], net: run.result.net[t] })),
          series: [{ key: 'captured', label: 'Captured', color: SERIES_COLORS[2] }, { key: 'cost', label: 'Station and infrastructure cost', color: SERIES_COLORS[1] }, { key: 'net', label: 'Net', color: SERIES_COLORS[0] }] } },
        { kind: 'chart', caption: `Sensitivity of NPV: each input at its low and high value, one at a time (change from the base NPV ${fmtMoney(run.result.tornado.baseNpv, cur)})`, chart: { type: 'tornado', x: 'label', base: 0,
          data: run.result.tornado.bars.map((b) => ({ label: b.label, low: b.npvLow - run.result.tornado.baseNpv, high: b.npvHigh - run.result.tornado.baseNpv })),
          series: [{ key: 'low', label: 'Low value', color: SERIES_COLORS[1] }, { key: 'high', label: 'High value', color: SERIES_COLORS[0] }] } },
        { kind: 'table', caption: `Monte Carlo, ${fmt(mc.draws)} draws (seed ${mc.seed}), all uncertain inputs together`,
          columns: [{ label: '' }, { label: 'P10', align: 'right' }, { label: 'P50', align: 'right' }, { label: 'P90', align: 'right' }],
          rows: [['NPV', fmtMoney(mc.npv.p10, cur), fmtMoney(mc.npv.p50, cur), fmtMoney(mc.npv.p90, cur)],
            ...(mc.share ? [['Share of cost financed', fmtPct(mc.share.p10), fmtPct(mc.share.p50), fmtPct(mc.share.p90)]] : [])],
          note: `probability that NPV > 0: ${fmtPct(mc.probabilityNpvPositive)}` },
        ...cashflowBlocks(run, cur, settings.priceYear),
        ...legalBlock(settings.country as string | undefined),
        ...(run.result.warnings.length ? [{ kind: 'list' as const, items: run.result.warnings.map((w) => `Note: ${w}`) }] : []),
      ],
    };
  });
}
