/**
 * Class breaks for thematic maps, chosen from each map's own values: quantiles, so every class holds
 * about the same number of parcels and no map is saturated in one colour (the fixed FAR and uplift
 * classes put most of a TOD scenario's parcels in the top class). Breaks are rounded to two
 * significant figures for the legend; ties (many parcels at one FAR cap) merge classes rather than
 * making empty ones.
 */

/** Two significant figures: 0.0437 → 0.044, 3.86 → 3.9, 1234 → 1200. */
export function round2(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  return Number(v.toPrecision(2));
}

/** Up to k − 1 increasing breaks at the k-quantiles of the finite values (class i: breaks[i−1] ≤ v < breaks[i]). */
export function quantileBreaks(values: ArrayLike<number>, k: number): number[] {
  const v = Float64Array.from(Array.from(values).filter((x) => Number.isFinite(x))).sort();
  if (v.length < 2 || k < 2) return [];
  const out: number[] = [];
  for (let i = 1; i < k; i++) {
    // The value below which a share i/k of the parcels lies.
    const b = round2(v[Math.min(v.length - 1, Math.floor((i * v.length) / k))]);
    if (b > v[0] && (out.length === 0 || b > out[out.length - 1]) && b <= v[v.length - 1]) out.push(b);
  }
  return out;
}

export function classOf(v: number, breaks: number[]): number {
  let i = 0;
  while (i < breaks.length && v >= breaks[i]) i++;
  return i;
}

/** Legend texts: "< b1", "b1–b2", …, "≥ bn" (format decides digits and units). */
export function classLabels(breaks: number[], format: (v: number) => string, all = 'all'): string[] {
  if (!breaks.length) return [all];
  return [`< ${format(breaks[0])}`, ...breaks.slice(1).map((b, i) => `${format(breaks[i])}–${format(b)}`), `≥ ${format(breaks[breaks.length - 1])}`];
}

/** n colours spread over a sequential ramp (light to dark). */
export function rampColors(ramp: string[], n: number): string[] {
  if (n <= 1) return [ramp[Math.floor(ramp.length / 2)]];
  return Array.from({ length: n }, (_, i) => ramp[Math.round((i * (ramp.length - 1)) / (n - 1))]);
}
