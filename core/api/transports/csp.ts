/**
 * The Content-Security-Policy of the app, one string for both hosts (the Electron app:// protocol and
 * the browser-mode server), so the renderer is tested under exactly the policy users run it under.
 * Nothing remote: every source is the app itself. maplibre-gl starts its worker from a blob: URL and
 * decodes tiles and images through blob:/data:, and sets inline style attributes on map controls,
 * hence those three allowances; no script is ever inline or evaluated.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers every response of the app carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': APP_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};
