/** Report charts with recharts as static SVG: fixed size, no animation, so print and HTML match. */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, XAxis, YAxis } from 'recharts';
import type { ChartSpec } from '../../core/report/model.js';

const W = 640, H = 280;
const compact = (v: number) => new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(v);

export function ReportChart({ spec }: { spec: ChartSpec }) {
  const axisProps = { fontSize: 10, tickFormatter: (v: unknown) => (typeof v === 'number' ? compact(v) : String(v)) };
  if (spec.type === 'line') {
    return (
      <LineChart width={W} height={H} data={spec.data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#e3e3e3" />
        <XAxis dataKey={spec.x} fontSize={10} />
        <YAxis {...axisProps} />
        <Legend wrapperStyle={{ fontSize: 10 }} />
        {spec.series.map((s) => <Line key={s.key} dataKey={s.key} name={s.label} stroke={s.color} dot={false} strokeWidth={2} isAnimationActive={false} />)}
      </LineChart>
    );
  }
  if (spec.type === 'tornado') {
    return (
      <BarChart width={W} height={Math.max(H, 28 * spec.data.length + 60)} data={spec.data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#e3e3e3" />
        <XAxis type="number" {...axisProps} domain={['auto', 'auto']} />
        <YAxis type="category" dataKey={spec.x} width={190} fontSize={9} />
        <ReferenceLine x={spec.base ?? 0} stroke="#333" />
        <Legend wrapperStyle={{ fontSize: 10 }} />
        {spec.series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} isAnimationActive={false} />)}
      </BarChart>
    );
  }
  return (
    <BarChart width={W} height={H} data={spec.data} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid stroke="#e3e3e3" vertical={false} />
      <XAxis dataKey={spec.x} fontSize={10} interval={0} />
      <YAxis {...axisProps} />
      <Legend wrapperStyle={{ fontSize: 10 }} />
      {spec.series.map((s) => <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={spec.type === 'stackedBar' ? 'a' : undefined} isAnimationActive={false} />)}
    </BarChart>
  );
}
