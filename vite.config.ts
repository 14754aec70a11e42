import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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
  },
});
