/** Debian's chromium through playwright-core, with the flags that make WebGL work on SwiftShader here. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

/** npm test builds the renderer first; a direct `npx vitest run tests/e2e` builds it here when missing. */
export function ensureRendererBuilt(): string {
  const dir = 'dist/renderer';
  if (!existsSync(`${dir}/index.html`)) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  return dir;
}
