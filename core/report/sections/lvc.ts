/** Report chapter: land value capture per scenario (uplift map, instruments, cash flow, NPV/IRR, share financed, sensitivity). */
import { latestLvcRuns, lvcParcelUplift, type RunRecord } from '../../lvc/store.js';
import { prepareParcels } from '../../scenario/prepare.js';
import { listScenarios } from '../../scenario/store.js';
import { classLabels, classOf, quantileBreaks, rampColors } from '../classes.js';
import { thematicMapBlock } from '../map-block.js';
import { cashflowTable } from '../../lvc/cashflow.js';
import { INSTRUMENT_NAMES, type InstrumentId } from '../../lvc/instruments.js';
import { legalTable } from '../../lvc/legal-basis.js';
import type { PercentileIntervals } from '../../lvc/sensitivity.js';
import { sentence, term, type ReportT } from '../i18n/index.js';
import { fmt, fmtMoneyMarket as fmtMoney, fmtPct, type Block, type ReportSection } from '../model.js';
import { SERIES_COLORS } from '../palette.js';
import { baseMapLayers, OUTLINED_PARCELS, type SectionContext } from './site.js';

/** Uplift classes: five quantiles of the parcels with any uplift (classes.ts), light to dark green. */
const UPLIFT_RAMP = ['#e5f5e0', '#c7e9c0', '#a1d99b', '#74c476', '#41ab5d', '#238b45', '#006d2c'];
const UPLIFT_K = 5;

const NO_UPLIFT = '#eeeeee';

/** A table row of each percentile's sampling interval ("a – b"). */
function samplingRow(label: string, ci: PercentileIntervals, f: (x: number) => string): string[] {
  return [label, ...[ci.p10, ci.p50, ci.p90].map(([lo, hi]) => `${f(lo)} – ${f(hi)}`)];
}

/** Why the Monte Carlo took the draws it did, when it ran under a stop rule (sensitivity.ts McStop); '' for a fixed number. */
function stopText(tr: ReportT, mc: RunRecord['result']['monteCarlo']): string {
  const st = mc.stop;
  if (!st) return '';
  const pt = String(+(st.tolerance * 100).toPrecision(3)), tol = `${pt} %`;
  return st.converged
    ? tr('lvc.note.stopped', { draws: fmt(mc.draws), max: fmt(st.maxDraws), tol, pt, every: fmt(st.every), min: fmt(st.minDraws) })
    : tr('lvc.note.stopMax', { max: fmt(st.maxDraws), tol, pt });
}

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
function tableUnit(cur: string | null, t: ReportT): { div: number; label: string } {
  const c = (cur ?? '').toUpperCase();
  return c === 'INR' ? { div: 1e7, label: '₹ crore' } : c === 'JPY' ? { div: 1e8, label: '億円' } : { div: 1e6, label: t('lvc.unitMillion', { cur: c || t('lvc.currency') }) };
}

/**
 * The numbers a council member needs to recompute NPV and IRR by hand: flows by instrument and
 * calendar year, station cost, net, discount factors of both appraisals, and every parameter.
 */
function cashflowBlocks(run: RunRecord, cur: string | null, priceYear: number | undefined, tr: ReportT): Block[] {
  const t = cashflowTable(run, { currency: cur, priceYear });
  const u = tableUnit(cur, tr);
  const idx = (k: string) => t.columns.indexOf(k);
  const inst = t.columns.filter((c) => c.startsWith('revenue_')).map((c) => c.slice('revenue_'.length));
  const money = (v: number) => (Math.abs(v / u.div) < 0.05 ? '0.0' : fmt(v / u.div, 1));
  const cols = [{ label: tr('col.year') }, ...inst.map((id) => ({ label: term(tr, `inst.${id}`, INSTRUMENT_NAMES[id as InstrumentId] ?? id), align: 'right' as const })),
    { label: tr('lvc.col.instCosts'), align: 'right' as const }, { label: tr('lvc.col.stationInfra'), align: 'right' as const }, { label: tr('lvc.col.netNominal'), align: 'right' as const },
    { label: tr('lvc.col.dfAt', { rate: fmtPct(run.params.discountRate) }), align: 'right' as const }, { label: tr('lvc.col.netReal'), align: 'right' as const },
    { label: tr('lvc.col.dfAt', { rate: fmtPct(t.summary.find(([k]) => k.startsWith('social'))![1] as number) }), align: 'right' as const }];
  const rows = t.rows.map((r) => [String(r[0]), ...inst.map((id) => money(r[idx(`revenue_${id}`)])), money(-r[idx('instrument_costs')]), money(-r[idx('station_infrastructure_cost')]),
    money(r[idx('net_nominal')]), r[idx('discount_factor_financial')].toFixed(6), money(r[idx('net_real')]), r[idx('discount_factor_economic')].toFixed(6)]);
  const params = t.parameters.filter(([k]) => k !== 'instrumentNames' && !(k.startsWith('instruments.') && !k.endsWith('.enabled') && t.parameters.some(([e, v]) => e === k.split('.').slice(0, 2).join('.') + '.enabled' && v === false)));
  return [
    { kind: 'table', caption: tr('lvc.cap.cashflow', { unit: u.label }),
      note: tr('lvc.note.cashflow', { y0: t.rows[0][0], infl: fmtPct(run.params.inflation), run: run.runId }),
      columns: cols, rows },
    { kind: 'table', caption: tr('lvc.cap.params'), note: tr('lvc.note.params'),
      columns: [{ label: tr('lvc.col.parameter') }, { label: tr('col.value') }], rows: params.map(([k, v]) => [k,
        // Per-station prices are a table of their own in the appendix (the spreadsheet export keeps them in full).
        k === 'stationValues' ? tr('sv.seeTable', { n: run.params.stationValues?.length ?? 0 })
        : typeof v === 'boolean' ? tr(v ? 'lvc.yes' : 'lvc.no') : String(v)]) },
  ];
}

function legalBlock(country: string | undefined, tr: ReportT): Block[] {
  const table = legalTable(country);
  if (!table) return [];
  const cc = (country ?? '').toUpperCase();
  return [{ kind: 'table', caption: tr('lvc.cap.legal', { country: cc }),
    note: tr('lvc.note.legal'),
    columns: [{ label: tr('lvc.col.instrument') }, { label: tr('lvc.col.inLaw') }, { label: tr('lvc.col.default') }, { label: tr('lvc.col.collector') }, { label: tr('lvc.col.basis') }],
    rows: Object.entries(table).map(([id, b]) => [term(tr, `inst.${id}`, INSTRUMENT_NAMES[id as InstrumentId]), tr(b.inLaw === 'partial' ? 'lvc.inPart' : b.inLaw ? 'lvc.yes' : 'lvc.no'), tr(b.defaultOn ? 'lvc.on' : 'lvc.off'),
      term(tr, `legal.${cc}.${id}.collector`, b.collector), term(tr, `legal.${cc}.${id}.basis`, b.basis)]) }];
}

/** An instrument's warning ("Joint development on railway land: leases run …"): its name and its sentence, each in the report's language. */
function instrumentSentence(tr: ReportT, w: string): string {
  const id = (Object.keys(INSTRUMENT_NAMES) as InstrumentId[]).find((k) => w.startsWith(`${INSTRUMENT_NAMES[k]}: `));
  return id ? `${term(tr, `inst.${id}`, INSTRUMENT_NAMES[id])}: ${sentence(tr, w.slice(INSTRUMENT_NAMES[id].length + 2))}` : sentence(tr, w);
}

export function lvcSections(ctx: SectionContext, opts: { scenarios?: string[] }): ReportSection[] {
  const runs = latestLvcRuns(ctx.project).reverse()
    .filter((r) => !opts.scenarios?.length || opts.scenarios.includes(r.scenario.id) || opts.scenarios.includes(r.scenario.name));
  const cur = ctx.currency;
  // The baseline is stored by scenario id; the reader knows it by its name.
  const scenarios = listScenarios(ctx.project);
  const names = new Map(scenarios.map((x) => [x.id, x.name]));
  const latest = new Map(scenarios.map((x) => [x.id, x.version]));
  return runs.map((run) => {
    const s = run.result.summary;
    const tr = ctx.t;
    const irrOf = (x: typeof s.irr) => (x.status === 'unique' ? fmtPct(x.irr) : x.status === 'none' ? tr('lvc.none') : tr('lvc.several', { roots: x.roots.map((r) => fmtPct(r)).join(', ') }));
    const irr = irrOf(s.irr);
    const eco = run.result.economic, fin = run.result.financial;
    const settings = ctx.project.settings();
    const mc = run.result.monteCarlo;
    return {
      id: `lvc-${run.scenario.id}`, title: ctx.t('title.lvc', { name: run.scenario.name }), pageBreak: true,
      blocks: [
        { kind: 'text', text: tr('lvc.intro', { name: run.scenario.name, baseline: names.get(run.baseline) ?? run.baseline, rate: fmtPct(run.params.discountRate) }) },
        // Which rules the capture was computed on: a version saved since would give other figures.
        { kind: 'text', text: [tr('lvc.onVersion', { v: run.scenario.version, date: run.createdAt.slice(0, 10) }),
          (latest.get(run.scenario.id) ?? 0) > run.scenario.version ? tr('lvc.newerVersion', { latest: latest.get(run.scenario.id)! }) : ''].filter(Boolean).join(' ') },
        ...(fin && eco ? [{ kind: 'list' as const, items: [sentence(tr, fin.label), sentence(tr, eco.label)] }] : []),
        { kind: 'keyFigures', items: [
          { label: tr('lvc.kf.upliftAll'), value: fmtMoney(s.upliftTotal, cur) },
          ...(s.upliftTotalWithinReach !== undefined ? [{ label: tr('lvc.kf.withinReach'), value: fmtMoney(s.upliftTotalWithinReach, cur) }] : []),
          { label: tr('lvc.kf.upliftProximity'), value: fmtMoney(s.upliftProximity, cur) }, { label: tr('lvc.kf.upliftDevelopment'), value: fmtMoney(s.upliftDevelopment, cur) },
          { label: tr('lvc.kf.captured'), value: fmtMoney(s.pvCaptured, cur) }, { label: tr('lvc.kf.costPv'), value: fmtMoney(s.pvCost, cur) },
          { label: ctx.t('kf.share'), value: fmtPct(s.shareFinanced) }, { label: tr('lvc.kf.npvFin'), value: fmtMoney(s.npv, cur) }, { label: tr('lvc.kf.irrFin'), value: irr },
          { label: ctx.t('kf.payback'), value: s.paybackYear === null ? tr('lvc.none') : String(s.paybackYear) },
          ...(eco ? [{ label: tr('lvc.kf.npvEco'), value: fmtMoney(eco.npv, cur) }, { label: tr('lvc.kf.irrEco'), value: irrOf(eco.irr) }] : []),
        ] },
        { kind: 'text', text: tr('lvc.costText', { station: fmtMoney(run.params.costs.station, cur), infra: fmtMoney(run.params.costs.infrastructure, cur), year: settings.priceYear ?? '', source: run.sources.costs ?? tr('lvc.notGiven') }) },
        upliftMap(ctx, run),
        { kind: 'table', caption: ctx.t('cap.instruments'), note: tr('lvc.note.instruments'),
          columns: [{ label: tr('lvc.col.instrument') }, { label: tr('lvc.col.on') }, { label: tr('lvc.col.revenuePv'), align: 'right' }, { label: tr('lvc.col.ownCostPv'), align: 'right' }, { label: tr('lvc.col.capped') }, { label: tr('summary.col.note') }],
          rows: run.result.instruments.map((f) => {
            const pvCost = f.cost.reduce((a, v, t) => a + v / (1 + run.params.discountRate) ** t, 0);
            return [term(tr, `inst.${f.id}`, f.name), tr(f.enabled ? 'lvc.yes' : 'lvc.no'), fmtMoney(f.pvRevenue, cur), fmtMoney(pvCost, cur), tr(f.capped ? 'lvc.yes' : 'lvc.no'), f.note ? sentence(tr, f.note) : ''];
          }) },
        { kind: 'chart', caption: tr('lvc.cap.yearly', { cur: cur ?? tr('lvc.currency') }), chart: { type: 'line', x: 'year',
          data: run.result.years.map((y, t) => ({ year: y, captured: run.result.captured[t], cost: run.result.costs[t], net: run.result.net[t] })),
          series: [{ key: 'captured', label: tr('lvc.series.captured'), color: SERIES_COLORS[2] }, { key: 'cost', label: tr('lvc.series.cost'), color: SERIES_COLORS[1] }, { key: 'net', label: tr('lvc.series.net'), color: SERIES_COLORS[0] }] } },
        { kind: 'chart', caption: tr('lvc.cap.tornado', { npv: fmtMoney(run.result.tornado.baseNpv, cur) }), chart: { type: 'tornado', x: 'label', base: 0,
          data: run.result.tornado.bars.map((b) => ({ label: term(tr, `tornado.${b.id}`, b.label), low: b.npvLow - run.result.tornado.baseNpv, high: b.npvHigh - run.result.tornado.baseNpv })),
          series: [{ key: 'low', label: tr('lvc.series.low'), color: SERIES_COLORS[1] }, { key: 'high', label: tr('lvc.series.high'), color: SERIES_COLORS[0] }] } },
        { kind: 'table', caption: tr('lvc.cap.monteCarlo', { draws: fmt(mc.draws), seed: mc.seed }),
          columns: [{ label: '' }, { label: 'P10', align: 'right' }, { label: 'P50', align: 'right' }, { label: 'P90', align: 'right' }],
          rows: [[ctx.t('kf.npv'), fmtMoney(mc.npv.p10, cur), fmtMoney(mc.npv.p50, cur), fmtMoney(mc.npv.p90, cur)],
            ...(mc.ci95 ? [samplingRow(tr('lvc.row.sampling', { what: ctx.t('kf.npv') }), mc.ci95.npv, (x) => fmtMoney(x, cur))] : []),
            ...(mc.share ? [[ctx.t('kf.share'), fmtPct(mc.share.p10), fmtPct(mc.share.p50), fmtPct(mc.share.p90)]] : []),
            ...(mc.share && mc.ci95?.share ? [samplingRow(tr('lvc.row.sampling', { what: ctx.t('kf.share') }), mc.ci95.share, fmtPct)] : [])],
          note: mc.ci95 ? tr('lvc.note.mc', { prob: tr('lvc.note.probPositive', { p: fmtPct(mc.probabilityNpvPositive) }), sampling: tr('lvc.note.sampling'), stop: stopText(tr, mc) }).trim()
            : tr('lvc.note.probPositive', { p: fmtPct(mc.probabilityNpvPositive) }) },
        ...cashflowBlocks(run, cur, settings.priceYear, tr),
        ...legalBlock(settings.country as string | undefined, tr),
        ...(run.result.warnings.length ? [{ kind: 'list' as const, items: run.result.warnings.map((w) => tr('note.prefix', { text: instrumentSentence(tr, w) })) }] : []),
      ],
    };
  });
}
