/**
 * The time stamps written into projects (creation, import, export). Replaceable so the sample-data
 * generator and tests can produce byte-identical files.
 */
let fixed: string | null = null;

export function nowIso(): string {
  return fixed ?? new Date().toISOString();
}

/** Freeze the clock at an ISO time (null to release it). */
export function setFixedClock(iso: string | null): void {
  fixed = iso;
}

/** A stored time stamp to the minute, as reports and the CLI print it ("2026-12-07 09:14 UTC": a team may sit in several time zones); anything else as given. */
export function utcMinute(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}
