/**
 * Discounting and root finding for yearly cash flows (index t = year t, flows at year end,
 * year 0 undiscounted, as Excel's NPV(rate, …) + CF0 and IRR()).
 */
import { EkimaeError } from '../errors.js';

export function assertRate(rate: number, what = 'discount rate'): void {
  if (!Number.isFinite(rate) || rate <= -1) {
    throw new EkimaeError('E_INPUT_INVALID', `${what} must be a finite number above −100 % (got ${rate})`);
  }
}

export function npv(rate: number, flows: ArrayLike<number>): number {
  assertRate(rate);
  let v = 0, d = 1;
  for (let t = 0; t < flows.length; t++) {
    v += flows[t] / d;
    d *= 1 + rate;
  }
  return v;
}

/** Present value of each year's flow (for charts and the share-financed ratio). */
export function discountFactors(rate: number, years: number): Float64Array {
  assertRate(rate);
  const out = new Float64Array(years);
  let d = 1;
  for (let t = 0; t < years; t++) { out[t] = 1 / d; d *= 1 + rate; }
  return out;
}

/** Payment per period that repays `principal` over n periods at `rate` (ordinary annuity). */
export function annuityPayment(principal: number, rate: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0) throw new EkimaeError('E_INPUT_INVALID', `annuity term must be a whole number of years ≥ 1 (got ${n})`);
  assertRate(rate);
  if (rate === 0) return principal / n;
  return (principal * rate) / (1 - Math.pow(1 + rate, -n));
}

export type IrrResult =
  | { status: 'unique'; irr: number; roots: number[] }
  | { status: 'multiple'; irr: null; roots: number[] }
  | { status: 'none'; irr: null; roots: [] };

/**
 * Every internal rate of return in (−99 %, 1000 %]: NPV is scanned on a fine grid in
 * log(1 + r) and each sign change is refined by bisection to 1e-12. Cash flows with more than
 * one sign change can have several IRRs (or none); the result says so instead of returning
 * whichever root a Newton iteration happens to reach.
 */
export function irr(flows: ArrayLike<number>): IrrResult {
  let changes = 0, prev = 0;
  for (let t = 0; t < flows.length; t++) {
    const s = Math.sign(flows[t]);
    if (s !== 0) { if (prev !== 0 && s !== prev) changes++; prev = s; }
  }
  if (changes === 0) return { status: 'none', irr: null, roots: [] };
  const f = (r: number) => npvUnchecked(r, flows);
  const lo = Math.log(0.01), hi = Math.log(11);
  const steps = 4000;
  const roots: number[] = [];
  let x0 = Math.exp(lo) - 1, f0 = f(x0);
  for (let i = 1; i <= steps; i++) {
    const x1 = Math.exp(lo + ((hi - lo) * i) / steps) - 1;
    const f1 = f(x1);
    if (f0 === 0) roots.push(x0);
    else if (f0 * f1 < 0) roots.push(bisect(f, x0, x1, f0));
    x0 = x1; f0 = f1;
  }
  if (f0 === 0) roots.push(x0);
  const uniq = roots.filter((r, i) => i === 0 || Math.abs(r - roots[i - 1]) > 1e-9);
  if (uniq.length === 0) return { status: 'none', irr: null, roots: [] };
  if (uniq.length === 1) return { status: 'unique', irr: uniq[0], roots: uniq };
  return { status: 'multiple', irr: null, roots: uniq };
}

function npvUnchecked(rate: number, flows: ArrayLike<number>): number {
  let v = 0, d = 1;
  for (let t = 0; t < flows.length; t++) { v += flows[t] / d; d *= 1 + rate; }
  return v;
}

function bisect(f: (x: number) => number, a: number, b: number, fa: number): number {
  for (let i = 0; i < 200 && b - a > 1e-13; i++) {
    const m = (a + b) / 2, fm = f(m);
    if (fm === 0) return m;
    if (fa * fm < 0) b = m; else { a = m; fa = fm; }
  }
  return (a + b) / 2;
}

/** First year in which the cumulative (optionally discounted) flow turns ≥ 0 and stays so; null if never. */
export function paybackYear(flows: ArrayLike<number>, rate?: number): number | null {
  const df = rate === undefined ? null : discountFactors(rate, flows.length);
  let cum = 0, year: number | null = null;
  for (let t = 0; t < flows.length; t++) {
    cum += flows[t] * (df ? df[t] : 1);
    if (cum >= 0 && year === null) year = t;
    else if (cum < 0) year = null;
  }
  return year;
}
