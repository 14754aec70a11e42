/**
 * Number.prototype.toFixed's exact text, written straight into a byte buffer (CSV writers of
 * 100k-row answers otherwise spend their time creating and joining small strings). x·10^d is
 * rounded as an integer and its digits written with the point put in by hand; where that product
 * lies within rounding error of a half (where toFixed's exact decimal expansion might round the
 * other way), or is too large for exact integers, toFixed itself answers.
 */
const POW = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/** Writes x.toFixed(digits) at pos (the buffer must have room: 40 bytes); returns the position after it. */
export function writeFixed(buf: Uint8Array, pos: number, x: number, digits: number): number {
  const p = POW[digits];
  const neg = x < 0;
  const s = (neg ? -x : x) * p;
  if (p === undefined || !(s < 2 ** 52) || Math.abs(s - Math.floor(s) - 0.5) <= s * 1e-15 + 1e-12) {
    const t = x.toFixed(digits);
    for (let i = 0; i < t.length; i++) buf[pos++] = t.charCodeAt(i);
    return pos;
  }
  let r = Math.round(s);
  if (neg) buf[pos++] = 45;
  // Digits from the right: at least digits + 1 of them (a leading 0 before the point).
  let n = 0;
  const tmp = SCRATCH;
  if (r < 2147483648) {
    // Small integer arithmetic (coordinates at 7 decimals and street distances at 6 fit).
    let k = r | 0;
    do { const q = (k / 10) | 0; tmp[n++] = 48 + k - q * 10; k = q; } while (k > 0 || n <= digits);
  } else {
    do { tmp[n++] = 48 + (r % 10); r = Math.floor(r / 10); } while (r > 0 || n <= digits);
  }
  while (n > digits) buf[pos++] = tmp[--n];
  if (digits) { buf[pos++] = 46; while (n > 0) buf[pos++] = tmp[--n]; }
  return pos;
}

const SCRATCH = new Uint8Array(32);

export function fixed(x: number, digits: number): string {
  const b = new Uint8Array(48);
  return String.fromCharCode(...b.subarray(0, writeFixed(b, 0, x, digits)));
}
