/** Left panel: layers with visibility, role, count, legend, and the field mapping of the selected layer. */
import { useT, type MessageKey } from '../i18n/index.js';
import type { LayerInfo, LayerRole } from '../state/types.js';
import { rgbCss, type Rgba } from '../map/palette.js';
import { LAYER_ROLE_LIST, SEMANTIC_BY_ROLE } from '../state/roles.js';

export interface LegendItem { label: string; color: Rgba; count?: number }

export interface LayerPanelProps {
  layers: LayerInfo[];
  hidden: ReadonlySet<string>;
  selected: string | null;
  legends: Record<string, LegendItem[]>;
  busy: boolean;
  onToggle(name: string): void;
  onSelect(name: string): void;
  onRole(name: string, role: LayerRole): void;
  onFieldMap(name: string, semantic: string, field: string | null): void;
}

export function LayerPanel(props: LayerPanelProps) {
  const t = useT();
  const { layers, hidden, selected, legends } = props;
  return (
    <section className="panel layer-panel" aria-label={t('layers.heading')}>
      <h2>{t('layers.heading')}</h2>
      {layers.length === 0 && <p className="muted">{t('layers.empty')}</p>}
      <ul className="layer-list">
        {layers.map((l) => (
          <li key={l.name} className={l.name === selected ? 'layer selected' : 'layer'}>
            <div className="layer-row">
              <input
                type="checkbox"
                checked={!hidden.has(l.name)}
                onChange={() => props.onToggle(l.name)}
                aria-label={t('layers.show', { name: l.title || l.name })}
              />
              <button type="button" className="layer-name" onClick={() => props.onSelect(l.name)} aria-label={t('layers.select', { name: l.title || l.name })} aria-pressed={l.name === selected}>
                <span className="layer-title">{l.title || l.name}</span>
                <span className="layer-count">{t('layers.count', { n: l.count.toLocaleString() })}</span>
              </button>
            </div>
            <label className="layer-role">
              <span className="sr-only">{t('layers.role', { name: l.title || l.name })}</span>
              <select value={l.role} disabled={props.busy} onChange={(e) => props.onRole(l.name, e.target.value as LayerRole)} aria-label={t('layers.role', { name: l.title || l.name })}>
                {LAYER_ROLE_LIST.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
              </select>
            </label>
            {legends[l.name] && !hidden.has(l.name) && (
              <ul className="legend" aria-label={`${t('layers.legend')}: ${l.title || l.name}`}>
                {legends[l.name].slice(0, 10).map((e) => (
                  <li key={e.label}>
                    <span className="swatch" style={{ background: rgbCss(e.color) }} />
                    <span className="legend-label">{e.label}</span>
                    {e.count !== undefined && <span className="legend-count">{e.count}</span>}
                  </li>
                ))}
              </ul>
            )}
            {l.name === selected && (
              <FieldMapEditor layer={l} busy={props.busy} onChange={(sem, field) => props.onFieldMap(l.name, sem, field)} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FieldMapEditor({ layer, busy, onChange }: { layer: LayerInfo; busy: boolean; onChange(semantic: string, field: string | null): void }) {
  const t = useT();
  const semantics = SEMANTIC_BY_ROLE[layer.role];
  if (semantics.length === 0) return null;
  return (
    <fieldset className="field-map">
      <legend>{t('layers.fieldMap')}</legend>
      {semantics.map((s) => {
        const label = t('layers.fieldFor', { semantic: t(`semantic.${s}` as MessageKey), name: layer.title || layer.name });
        return (
          <label key={s} className="field-map-row">
            <span>{t(`semantic.${s}` as MessageKey)}</span>
            <select value={layer.fieldMap[s] ?? ''} disabled={busy} aria-label={label} onChange={(e) => onChange(s, e.target.value === '' ? null : e.target.value)}>
              <option value="">{t('layers.noField')}</option>
              {layer.fields.map((f) => <option key={f.name} value={f.name}>{f.name}{f.personal ? ' 🔒' : ''}</option>)}
            </select>
          </label>
        );
      })}
    </fieldset>
  );
}
