/** Walk catchment: run it (a long job with progress and cancel) and read the bands per station. */
import { useEffect, useState } from 'react';
import { useT } from '../i18n/index.js';
import { newJobId, UiError, type Client, type Output } from '../api/client.js';
import { checkCatchmentColumns, type CatchmentColumns } from '../map/catchment-columns.js';

export type CatchmentRun = Output<'catchment.results'>;

/** The run's per-parcel results and reached streets as typed arrays (catchment.columns): no object per parcel. */
const resultsOf = async (client: Client, runId: number): Promise<CatchmentColumns> =>
  checkCatchmentColumns(await client.call('catchment.columns', { runId, streets: true }));

export interface CatchmentPanelProps {
  client: Client;
  parcelLayer: string | null;
  readOnly: boolean;
  onResult(run: CatchmentRun, results: CatchmentColumns): void;
  onError(e: unknown): void;
}

function parseMinutes(s: string): number[] | null {
  const v = s.split(/[,\s]+/).filter(Boolean).map(Number);
  return v.length > 0 && v.length <= 10 && v.every((x) => Number.isFinite(x) && x > 0 && x <= 1000) ? v : null;
}

export function CatchmentPanel({ client, parcelLayer, readOnly, onResult, onError }: CatchmentPanelProps) {
  const t = useT();
  const [minutes, setMinutes] = useState('5, 10, 15');
  const [speed, setSpeed] = useState(80);
  const [run, setRun] = useState<CatchmentRun | null>(null);
  const [busy, setBusy] = useState(false);

  // Show the latest stored run when the project has one.
  useEffect(() => {
    let live = true;
    (async () => {
      try {
        const r = await client.call('catchment.results', {});
        const p = await resultsOf(client, r.runId);
        if (live) { setRun(r); onResult(r, p); }
      } catch (e) {
        if (!(e instanceof UiError && e.code === 'E_CATCHMENT_NOT_FOUND')) onError(e);
      }
    })();
    return () => { live = false; };
    // Only on mount: later runs arrive through the button.
  }, [client]);

  const bands = parseMinutes(minutes);
  async function start() {
    if (!bands) return;
    setBusy(true);
    try {
      const r = await client.call('catchment.run', {
        bandsMin: bands, speedMPerMin: speed, jobId: newJobId('catchment'), ...(parcelLayer ? { parcels: parcelLayer } : {}),
      });
      const p = await resultsOf(client, r.runId);
      setRun(r);
      onResult(r, p);
    } catch (e) {
      onError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="analysis-section" aria-label={t('catchment.heading')}>
      <div className="analysis-controls">
        <label>
          <span>{t('catchment.bands')}</span>
          <input type="text" value={minutes} onChange={(e) => setMinutes(e.target.value)} aria-label={t('catchment.bands')} aria-invalid={!bands} size={10} />
        </label>
        <label>
          <span>{t('catchment.speed')}</span>
          <input type="number" min={10} max={300} value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label={t('catchment.speed')} style={{ width: 70 }} />
        </label>
        <button type="button" className="primary" onClick={() => void start()} disabled={busy || !bands || readOnly}>
          {busy ? t('catchment.running') : t('catchment.run')}
        </button>
      </div>
      {run ? (
        <>
          {run.warnings.length > 0 && <ul className="warnings">{run.warnings.slice(0, 4).map((w, i) => <li key={i}>{w}</li>)}</ul>}
          <table className="data-table" aria-label={t('catchment.table')}>
            <thead>
              <tr><th>{t('catchment.station')}</th><th>{t('catchment.band')}</th><th>{t('catchment.parcels')}</th><th>{t('catchment.area')}</th><th>{t('catchment.pedshed')}</th></tr>
            </thead>
            <tbody>
              {run.bands.map((b) => (
                <tr key={`${b.stationId}-${b.bandM}`}>
                  <td>{b.stationName ?? b.stationId}</td>
                  <td>{t('catchment.bandValue', { m: Math.round(b.bandM), min: Math.round(b.bandM / (run.params.speedMPerMin || 80)) })}</td>
                  <td className="num">{b.parcels}</td>
                  <td className="num">{(b.areaM2 / 10_000).toFixed(1)}</td>
                  <td className="num">{(b.pedshed * 100).toFixed(0)} %</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : <p className="muted">{t('catchment.none')}</p>}
    </section>
  );
}
