/**
 * Every security setting of the shell in one place, so reading this file (and its test) is enough to
 * know what the renderer can do: nothing but call the contract through the preload bridge.
 */
import type { Session, WebContents, WebPreferences } from 'electron';
import { APP_CSP } from '../core/api/transports/csp.js';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ekimae';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

/** Without a preload (the hidden print window), the page gets no bridge at all. */
export function webPreferences(preload?: string): WebPreferences {
  return {
    ...(preload ? { preload } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** True only for a page of our own renderer, served by the app:// protocol. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** No navigation away from the app, no new windows, no <webview>: the window only ever shows our renderer. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** CSP on every response, and every permission (camera, geolocation, notifications, …) refused. */
export function hardenSession(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  // Remote content is never loaded: anything that is not our own scheme, data: or blob: is cancelled.
  session.webRequest.onBeforeRequest((details, callback) => {
    const ok = isAppUrl(details.url) || details.url.startsWith('data:') || details.url.startsWith(`blob:${APP_ORIGIN}`) || details.url.startsWith('devtools:');
    callback({ cancel: !ok });
  });
}
