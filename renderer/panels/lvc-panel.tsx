/**
 * Land value capture for a saved scenario: headline figures (NPV, IRR, payback, share of the station
 * cost financed), the phased cash flow and the tornado of NPV sensitivities.
 */
import { useEffect, useState } from 'react';
import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useT } from '../i18n/index.js';
import { newJobId, type Client, type Output } from '../api/client.js';

export type LvcRun = Output<'lvc.run'>;

export interface LvcPanelProps {
  client: Client;
  parcelLayer: string | null;
  hasCatchment: boolean;
  readOnly: boolean;
  currency: string;
  onError(e: unknown): void;
}

const money = (v: number, cur: string) => {
  const a = Math.abs(v);
  const [d, s] = a >= 1e9 ? [1e9, ' bn'] : a >= 1e6 ? [1e6, ' m'] : [1, ''];
  return `${cur} ${(v / d).toLocaleString(undefined, { maximumFractionDigits: d === 1 ? 0 : 1 })}${s}`;
};

export function LvcPanel({ client, parcelLayer, hasCatchment, readOnly, currency, onError }: LvcPanelProps) {
  const t = useT();
  const [scenarios, setScenarios] = useState<{ id: string; name: string }[]>([]);
  const [id, setId] = useState('');
  const [run, setRun] = useState<LvcRun | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = async () => {
    try {
      const l = await client.call('scenario.list', {});
      setScenarios(l.map((s) => ({ id: s.id, name: s.name })));
      setId((cur) => cur || (l.find((s) => s.id === 'tod-moderate') ?? l.find((s) => s.id !== 'existing') ?? l[0])?.id || '');
    } catch (e) { onError(e); }
  };
  useEffect(() => { void refresh(); }, [client]);

  async function start() {
    if (!id) return;
    setBusy(true);
    try {
      setRun(await client.call('lvc.run', { scenario: id, jobId: newJobId('lvc'), ...(parcelLayer ? { parcelLayer } : {}) }));
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }

  const s = run?.result.summary;
  const years = run?.result.years ?? [];
  const flow = years.map((y, i) => ({ year: y, captured: run!.result.captured[i], cost: -(run!.result.costs[i] ?? 0), net: run!.result.net[i] }));
  const tornado = run ? [...run.result.tornado.bars].sort((a, b) => Math.abs(b.npvHigh - b.npvLow) - Math.abs(a.npvHigh - a.npvLow)).slice(0, 8)
    .map((b) => ({ label: b.label, low: b.npvLow - run.result.tornado.baseNpv, high: b.npvHigh - run.result.tornado.baseNpv })) : [];
  const cur = currency || '';
  return (
    <section className="analysis-section" aria-label={t('lvc.heading')}>
      <div className="analysis-controls">
        <label>
          <span>{t('scenario.select')}</span>
          <select value={id} onFocus={() => void refresh()} onChange={(e) => setId(e.target.value)} aria-label={t('lvc.scenario')}>
            {scenarios.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void start()} disabled={busy || !id || !hasCatchment || readOnly}>
          {busy ? t('catchment.running') : t('lvc.run')}
        </button>
      </div>
      {!hasCatchment && <p className="note">{t('scenario.needsCatchment')}</p>}
      {scenarios.length === 0 && <p className="muted">{t('lvc.noScenario')}</p>}
      {run && s && (
        <div className="lvc-grid">
          <div className="indicators" role="group" aria-label={t('lvc.summary')}>
            <Card label={t('lvc.npv')} value={money(s.npv, cur)} testid="lvc-npv" />
            <Card label={t('lvc.irr')} value={s.irr.irr === null ? t('lvc.irrNone') : `${(s.irr.irr * 100).toFixed(1)} %`} testid="lvc-irr" />
            <Card label={t('lvc.payback')} value={s.paybackYear === null ? '—' : String(s.paybackYear)} testid="lvc-payback" />
            <Card label={t('lvc.share')} value={s.shareFinanced === null ? '—' : `${(s.shareFinanced * 100).toFixed(0)} %`} testid="lvc-share" />
            <Card label={t('lvc.uplift')} value={money(s.upliftTotal, cur)} testid="lvc-uplift" />
            <Card label={t('lvc.captured')} value={money(s.pvCaptured, cur)} testid="lvc-captured" />
          </div>
          <figure className="chart lvc-flow" aria-label={t('lvc.cashFlow')}>
            <figcaption>{t('lvc.cashFlow')}</figcaption>
            <ResponsiveContainer width="100%" height={170}>
              <ComposedChart data={flow} margin={{ left: 8, right: 8, top: 4, bottom: 4 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="year" tick={{ fontSize: 11 }} />
                <YAxis tick={{ fontSize: 11 }} width={64} tickFormatter={(v: number) => money(v, '').trim()} />
                <Tooltip formatter={(v) => money(Number(v), cur)} />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <ReferenceLine y={0} stroke="#888" />
                <Bar dataKey="captured" name={t('lvc.capturedFlow')} fill="#3b8b5a" isAnimationActive={false} />
                <Bar dataKey="cost" name={t('lvc.costFlow')} fill="#c8283c" isAnimationActive={false} />
                <Line dataKey="net" name={t('lvc.netFlow')} stroke="#1f2733" dot={false} isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </figure>
          <figure className="chart lvc-tornado" aria-label={t('lvc.tornado')}>
            <figcaption>{t('lvc.tornado')}</figcaption>
            <ResponsiveContainer width="100%" height={Math.max(120, 30 + tornado.length * 22)}>
              <BarChart data={tornado} layout="vertical" stackOffset="sign" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" tick={{ fontSize: 11 }} tickFormatter={(v: number) => money(v, '').trim()} />
                <YAxis type="category" dataKey="label" width={150} interval={0} tick={{ fontSize: 11 }} />
                <Tooltip formatter={(v) => money(Number(v), cur)} />
                <ReferenceLine x={0} stroke="#555" />
                <Bar dataKey="low" name={t('lvc.low')} fill="#c8283c" stackId="t" isAnimationActive={false} />
                <Bar dataKey="high" name={t('lvc.high')} fill="#3b8b5a" stackId="t" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
          {run.result.warnings.length > 0 && <ul className="warnings">{run.result.warnings.slice(0, 4).map((w, i) => <li key={i}>{w}</li>)}</ul>}
        </div>
      )}
    </section>
  );
}

function Card({ label, value, testid }: { label: string; value: string; testid: string }) {
  return (
    <div className="indicator" role="group" aria-label={label}>
      <span className="indicator-label">{label}</span>
      <span className="indicator-value" data-testid={testid}>{value}</span>
    </div>
  );
}
