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
