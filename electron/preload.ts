/**
 * The preload: builds window.ekimae (the bridge the renderer codes against) from the contract's method
 * names. It runs sandboxed and can only require 'electron', so scripts/build-app.mjs bundles it into
 * one CJS file with the method list inlined as __EKIMAE_METHODS__ (no zod, no core code in here).
 * Channel names match electron/ipc.ts (a test checks both sides).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

declare const __EKIMAE_METHODS__: readonly string[];

const methods = new Set<string>(__EKIMAE_METHODS__);

function subscribe<T>(channel: string, cb: (value: T) => void): () => void {
  const listener = (_event: IpcRendererEvent, value: T) => cb(value);
  ipcRenderer.on(channel, listener);
  return () => {
    ipcRenderer.removeListener(channel, listener);
  };
}

contextBridge.exposeInMainWorld('ekimae', {
  kind: 'electron',
  call(method: string, input: unknown) {
    if (typeof method !== 'string' || !methods.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'E_METHOD_UNKNOWN', message: `no method "${String(method).slice(0, 80)}"` } });
    }
    return ipcRenderer.invoke(`ekimae:call:${method}`, input);
  },
  onProgress: (cb: (e: unknown) => void) => subscribe('ekimae:progress', cb),
  onMenu: (cb: (action: string) => void) => subscribe('ekimae:menu', cb),
  pickFile: (opts: unknown) => ipcRenderer.invoke('ekimae:pickFile', opts),
});
