// The packaging config's fuses (issue #16 point 6) and what they require of the code.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const config = JSON.parse(readFileSync('electron-builder.json', 'utf8'));

describe('electron-builder.json', () => {
  it('flips the fuses: no ELECTRON_RUN_AS_NODE, NODE_OPTIONS or --inspect; cookies encrypted; app only from an integrity-checked asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false, enableCookieEncryption: true, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true, onlyLoadAppFromAsar: true, loadBrowserProcessSpecificV8Snapshot: false, grantFileProtocolExtraPrivileges: false,
    });
    // Integrity validation and only-from-asar mean nothing without an asar (and its integrity hash).
    expect(config.asar).toBe(true);
    expect(config.asar?.disableIntegrity).toBeUndefined();
  });

  it('with RunAsNode off, nothing in electron/ forks node (the core is a utilityProcess)', () => {
    for (const f of readdirSync('electron')) {
      const src = readFileSync(join('electron', f), 'utf8');
      expect(src, f).not.toMatch(/child_process|ELECTRON_RUN_AS_NODE/);
    }
    expect(readFileSync('electron/main.ts', 'utf8')).toMatch(/utilityProcess\.fork/);
  });

  it('packages the built app, the Electron sqlite addon unpacked, and package.json whose main is the bundled shell', () => {
    expect(config.files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', '.electron-native/**', 'package.json']));
    expect(config.asarUnpack).toContain('**/*.node');
    expect(JSON.parse(readFileSync('package.json', 'utf8')).main).toBe('dist/electron/main.cjs');
  });
});
