/** Charts of what the project holds now: features per layer and parcel area by land use. */
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useT } from '../i18n/index.js';
import { rgbCss, type Rgba } from '../map/palette.js';

export interface CountDatum { name: string; count: number }
export interface AreaDatum { label: string; hectares: number; color: Rgba }

export function OverviewCharts({ counts, areas }: { counts: CountDatum[]; areas: AreaDatum[] | null }) {
  const t = useT();
  return (
    <section className="panel charts" aria-label={t('charts.heading')}>
      <figure className="chart" aria-label={t('charts.counts')}>
        <figcaption>{t('charts.counts')}</figcaption>
        <ResponsiveContainer width="100%" height={Math.max(90, 26 + counts.length * 22)}>
          <BarChart data={counts} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 11 }} />
            <YAxis type="category" dataKey="name" width={120} interval={0} tick={{ fontSize: 11 }} />
            <Tooltip />
            <Bar dataKey="count" name={t('charts.features')} fill="#4f6d8f" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="chart" aria-label={t('charts.landUse')}>
        <figcaption>{t('charts.landUse')}</figcaption>
        {areas && areas.length > 0 ? (
          <ResponsiveContainer width="100%" height={Math.max(90, 26 + areas.length * 20)}>
            <BarChart data={areas} layout="vertical" margin={{ left: 8, right: 16, top: 4, bottom: 4 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tick={{ fontSize: 11 }} />
              <YAxis type="category" dataKey="label" width={120} interval={0} tick={{ fontSize: 11 }} />
              <Tooltip formatter={(v) => `${Number(v).toFixed(2)} ha`} />
              <Bar dataKey="hectares" name={t('charts.hectares')} isAnimationActive={false}>
                {areas.map((a) => <Cell key={a.label} fill={rgbCss(a.color)} />)}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        ) : <p className="muted small">{t('charts.noLandUse')}</p>}
      </figure>
    </section>
  );
}
