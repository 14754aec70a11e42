import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const page = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// base './' so the built renderer loads from file:// inside Electron as well as from the browser-mode server.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    sourcemap: false,
    // Two pages: the app, and the report page that the core prints to PDF and saves as static HTML.
    rollupOptions: { input: { main: page('./renderer/index.html'), report: page('./renderer/report.html') } },
  },
});
