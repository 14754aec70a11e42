/**
 * The station proximity premium: the share by which land value rises with walking distance to a
 * station, as a piecewise-linear curve of (distance m, premium) points, zero beyond the last point.
 */
import { EkimaeError } from '../errors.js';

export type PremiumCurve = Array<[distanceM: number, premium: number]>;

export function checkCurve(curve: PremiumCurve): void {
  if (!curve.length) throw new EkimaeError('E_INPUT_INVALID', 'the premium curve needs at least one point');
  for (let i = 0; i < curve.length; i++) {
    const [d, p] = curve[i];
    if (!Number.isFinite(d) || d < 0) throw new EkimaeError('E_INPUT_INVALID', `premium curve distance ${d} must be ≥ 0`);
    if (!Number.isFinite(p) || p < 0 || p > 10) throw new EkimaeError('E_INPUT_INVALID', `premium ${p} at ${d} m must be between 0 and 10 (0–1000 %)`);
    if (i > 0 && d <= curve[i - 1][0]) throw new EkimaeError('E_INPUT_INVALID', 'premium curve distances must increase');
  }
}

/** Premium at distance d (metres); `stretch` scales the distances (1 = as given). */
export function premiumAt(curve: PremiumCurve, d: number, stretch = 1): number {
  if (!(d >= 0) || d === Infinity) return 0;
  const x = d / stretch;
  if (x <= curve[0][0]) return curve[0][1];
  for (let i = 1; i < curve.length; i++) {
    const [d1, p1] = curve[i];
    if (x <= d1) {
      const [d0, p0] = curve[i - 1];
      return p0 + ((p1 - p0) * (x - d0)) / (d1 - d0);
    }
  }
  return 0;
}
