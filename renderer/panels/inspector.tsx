/** Right panel: the clicked feature's planning values (by role mapping) and its attributes. */
import { useT, type MessageKey } from '../i18n/index.js';
import type { Feature, LayerInfo } from '../state/types.js';
import { geometryArea } from '../map/geodesic-area.js';

export interface InspectorProps {
  layer: LayerInfo | null;
  feature: Feature | null;
  onClose(): void;
}

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString() : v.toLocaleString(undefined, { maximumFractionDigits: 3 });
  return String(v);
}

export function Inspector({ layer, feature, onClose }: InspectorProps) {
  const t = useT();
  if (!layer || !feature) {
    return (
      <section className="panel inspector" aria-label={t('inspector.heading')}>
        <h2>{t('inspector.heading')}</h2>
        <p className="muted">{t('inspector.empty')}</p>
      </section>
    );
  }
  const personal = new Set(layer.fields.filter((f) => f.personal).map((f) => f.name));
  // Personal fields never reach the UI (the core leaves them out); say how many are hidden.
  const attrs = Object.entries(feature.properties).filter(([k]) => !personal.has(k));
  const mapped = Object.entries(layer.fieldMap).filter(([, f]) => !personal.has(f));
  const area = geometryArea(feature.geometry as never);
  return (
    <section className="panel inspector" aria-label={t('inspector.heading')}>
      <div className="panel-head">
        <h2>{t('inspector.heading')}</h2>
        <button type="button" className="icon" onClick={onClose} aria-label={t('inspector.close')}>×</button>
      </div>
      <dl className="kv">
        <dt>{t('inspector.layer')}</dt><dd>{layer.title || layer.name}</dd>
        <dt>{t('inspector.feature')}</dt><dd>#{feature.id ?? '—'}</dd>
        {area > 0 && (<><dt>{t('inspector.area')}</dt><dd>{t('inspector.areaValue', { v: Math.round(area).toLocaleString() })}</dd></>)}
      </dl>
      {mapped.length > 0 && (
        <>
          <h3>{t('inspector.mapped')}</h3>
          <dl className="kv" aria-label={t('inspector.mapped')}>
            {mapped.map(([sem, field]) => (
              <div key={sem} className="kv-row"><dt>{t(`semantic.${sem}` as MessageKey)}</dt><dd>{show(feature.properties[field])}</dd></div>
            ))}
          </dl>
        </>
      )}
      <h3>{t('inspector.attributes')}</h3>
      <table className="attr-table" aria-label={t('inspector.attributes')}>
        <tbody>
          {attrs.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{show(v)}</td></tr>)}
        </tbody>
      </table>
      {personal.size > 0 && <p className="muted small">{t('inspector.hidden', { n: personal.size })}</p>}
    </section>
  );
}
