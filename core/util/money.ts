/**
 * Money as each market writes it: Indian rupees in lakh and crore with Indian digit grouping
 * (₹ 1,23,45,678; ₹ 12.3 crore; ₹ 1.08 lakh crore), Thai baht in million/billion (฿ 79.2 bn),
 * yen in 万/億/兆 (¥ 3.2 億円) — and anything else as code + bn/m. Negative amounts keep the sign.
 */

/** Indian grouping: last three digits, then pairs (1,23,45,678). */
export function groupIndian(n: number, digits = 0): string {
  const [int, frac] = Math.abs(n).toFixed(digits).split('.');
  const last3 = int.slice(-3), rest = int.slice(0, -3);
  const grouped = rest ? `${rest.replace(/\B(?=(\d{2})+(?!\d))/g, ',')},${last3}` : last3;
  return `${n < 0 ? '-' : ''}${grouped}${frac ? '.' + frac : ''}`;
}

const western = (n: number, digits: number) => `${n < 0 ? '-' : ''}${Math.abs(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

export function formatMoney(v: number | null | undefined, currency: string | null | undefined, opts: { digits?: number } = {}): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const cur = (currency ?? '').toUpperCase();
  const a = Math.abs(v);
  const d = opts.digits;
  if (cur === 'INR') {
    // 1 lakh = 1e5, 1 crore = 1e7, 1 lakh crore = 1e12.
    if (a >= 1e12) return `₹ ${groupIndian(v / 1e12, d ?? 2)} lakh crore`;
    if (a >= 1e7) return `₹ ${groupIndian(v / 1e7, d ?? (a >= 1e10 ? 0 : 1))} crore`;
    if (a >= 1e5) return `₹ ${groupIndian(v / 1e5, d ?? 1)} lakh`;
    return `₹ ${groupIndian(v, d ?? 0)}`;
  }
  if (cur === 'JPY') {
    if (a >= 1e12) return `¥ ${western(v / 1e12, d ?? 2)} 兆円`;
    if (a >= 1e8) return `¥ ${western(v / 1e8, d ?? 1)} 億円`;
    if (a >= 1e4) return `¥ ${western(v / 1e4, d ?? 0)} 万円`;
    return `¥ ${western(v, d ?? 0)}`;
  }
  const sym = cur === 'THB' ? '฿' : cur || '';
  const [div, unit] = a >= 1e9 ? [1e9, ' bn'] : a >= 1e6 ? [1e6, ' million'] : [1, ''];
  return `${sym ? sym + ' ' : ''}${western(v / div, d ?? (div === 1 ? 0 : 1))}${unit}`;
}

/** An amount in full (no units), grouped the local way: for tables a reviewer recomputes from. */
export function formatAmount(v: number, currency: string | null | undefined): string {
  return (currency ?? '').toUpperCase() === 'INR' ? groupIndian(v, 0) : western(v, 0);
}
